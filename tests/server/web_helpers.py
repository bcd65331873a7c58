"""Dossiers held by the district server the way the counters put them there (a real counter's
intake and moves, pushed through the server's own ingest), staff accounts, and a log-in, for the
web face's tests."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from counter_app.db.store import Store
from counter_app.domain.ids import new_id
from district_server import ingest, staff
from district_server.auth import Device, add_device
from district_server.database import Database
from tests.conftest import AGENCY
from tests.server.helpers import intake_many, make_counter, move, outbox_payloads

PASSWORD = "mat-khau-dai-1"
OTHER_AGENCY = "000.00.21.H12"
ACCOUNTS = {"admin": "lan.admin", "leader": "hung.lanhdao", "viewer": "mai.xem"}


def push_all(db: Database, store: Store, dev: Device | None = None) -> list[dict[str, Any]]:
    """Every outbox event of the counter, pushed (in batches of the protocol's size); the payloads."""
    dev = dev or add_device(db, AGENCY, 0)[0]
    payloads = outbox_payloads(store)
    for i in range(0, len(payloads), 1000):
        result = ingest.ingest(db, dev, new_id(), payloads[i:i + 1000])
        assert {r.result for r in result.results} <= {"stored", "duplicate"}, result.results
    return payloads


def codes(payloads: list[dict[str, Any]]) -> dict[str, str]:
    """dossier id -> its code."""
    return {p["dossier_id"]: p["dossier"]["code"] for p in payloads}


@contextmanager
def quick_hashes() -> Iterator[None]:
    # argon2 at its real cost makes each log-in ~0.1 s; what is tested is the gate, not the cost.
    from argon2 import PasswordHasher

    from counter_app.services import accounts

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        yield


@dataclass
class Site:
    db: Database
    store: Store
    device: Device
    code: dict[str, str]  # ready (9), processing (4), received (2), returned (10); elsewhere (4, another office)
    review_id: int  # a conflict kept for review: an event sent again with another note
    other: Store  # the other office's counter (tests move its dossier at the district)

    def close(self) -> None:
        self.store.close()
        self.other.close()


def build_site(db: Database, directory: Path) -> Site:
    """One office's counter with four dossiers in four states, all pushed; one conflicting resend
    kept for review; a staff account of each role."""
    store = make_counter(directory / "counter0", 0)
    ready, processing, received, returned = intake_many(store, 4)
    for did, steps in ((ready, (4, 9)), (processing, (4,)), (returned, (4, 9, 10))):
        for status in steps:
            move(store, did, status)
    dev = add_device(db, AGENCY, 0, "Quầy 0 Bình Mỹ")[0]
    payloads = push_all(db, store, dev)
    by_id = codes(payloads)
    changed = {**payloads[-1], "note": "sửa tay sau khi đã gửi"}
    answer = ingest.ingest(db, dev, new_id(), [changed])
    assert answer.results[0].result == "conflict", answer.results
    from district_server.review import list_reviews

    (kept,) = [r for r in list_reviews(db) if r["event_id"] == changed["event_id"]]
    other = make_counter(directory / "other", 0, OTHER_AGENCY)
    (elsewhere,) = intake_many(other, 1, name="Trần Thị Bình")
    move(other, elsewhere, 4)
    by_id.update(codes(push_all(db, other, add_device(db, OTHER_AGENCY, 0, "Quầy 0 Bình An")[0])))
    for role, username in ACCOUNTS.items():
        staff.add_staff(db, username, f"Cán bộ {role}", role, PASSWORD)
    return Site(db, store, dev, {"ready": by_id[ready], "processing": by_id[processing],
                                  "received": by_id[received], "returned": by_id[returned],
                                  "elsewhere": by_id[elsewhere]}, kept["id"], other)


def log_in(client: Any, username: str, password: str = PASSWORD) -> Any:
    """The log-in form filled and sent, as a browser would (its double-submit token included)."""
    form = client.get("/quan-tri/dang-nhap")
    pre = re.search(r'name="pre" value="([^"]+)"', form.text).group(1)
    return client.post("/quan-tri/dang-nhap", data={"pre": pre, "username": username, "password": password,
                                                    "next": "/quan-tri/"})


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def text_of(page: str) -> str:
    """What a reader sees of a page: the text without tags, entities decoded, spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))
