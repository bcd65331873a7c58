"""Dossiers held by the district server the way the counters put them there (a real counter's
intake and moves, pushed through the server's own ingest), for the web face's tests."""

from __future__ import annotations

from typing import Any

from counter_app.db.store import Store
from counter_app.domain.ids import new_id
from district_server import ingest
from district_server.auth import Device, add_device
from district_server.database import Database
from tests.conftest import AGENCY
from tests.server.helpers import outbox_payloads


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
