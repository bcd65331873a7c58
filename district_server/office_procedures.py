"""Each office's own procedures: what the people of a counter added to, or changed in, the office's
catalogue (counter_app/services/catalogue.import_procedures), sent with a push as
`protocol.OfficeProcedure` entries and kept here per office, the latest change of each code.

- stored: new here, or later than the change held (by the time the office made it, then the id:
  protocol.event_key), which it replaces;
- duplicate: this very entry is held (a resend after a lost answer);
- superseded: valid, but a later change of that procedure is held already (another counter of the
  office, or entries arriving out of order): nothing changes, and the counter need not resend;
- conflict: the entry's id is held with another content;
- invalid: the entry cannot be read (unknown version, a bad field, a procedure the catalogue's
  rules refuse — the same `catalogue.parse_procedure` the counter's import applies, future time).

One bad entry never sinks its batch; they are not kept for review (the counter shows the reason
beside the entry and its people fix the catalogue). The dashboard lists them per office and the
public procedure pages add them to the district's catalogue for that office (web/procedure_pages.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from counter_app.domain.vn_time import VN_TZ
from counter_app.errors import UserError
from counter_app.services import catalogue
from counter_app.services.catalogue import ProcedureSpec
from counter_app.sync.protocol import (
    MAX_FUTURE,
    OLDEST_EVENT_YEAR,
    OfficeProcedure,
    ProcedureResult,
    canonical_json,
    event_key,
    parse_time,
)
from district_server.auth import Device
from district_server.database import Database
from district_server.received import Refusal, read_object, storable
from district_server.schema import office_procedure

VERSIONS = (1,)


@dataclass(frozen=True)
class Entry:
    index: int
    entry: OfficeProcedure
    spec: ProcedureSpec
    entry_hash: str
    sort_key: str


def _check(index: int, raw: Any, now: datetime) -> Entry:  # noqa: ANN401 - whatever arrived
    if not isinstance(raw, dict):
        raise Refusal("not_object", "Thủ tục gửi lên không phải một đối tượng JSON.")
    if raw.get("v") not in VERSIONS:
        raise Refusal("unknown_version", f"Máy chủ huyện chưa đọc được thủ tục phiên bản '{str(raw.get('v'))[:10]}'; "
                      "hãy nâng cấp máy chủ huyện.")
    entry, _text, digest = read_object(raw, OfficeProcedure, "Thủ tục",
                                       "Thủ tục chứa ký tự không hợp lệ (không phải văn bản Unicode).")
    at = parse_time(entry.at)
    if at > now + MAX_FUTURE or at.year < OLDEST_EVENT_YEAR:
        raise Refusal("bad_time", f"Thủ tục {entry.procedure.code} ghi thời điểm thay đổi {entry.at[:40]}, không "
                      "hợp lệ so với giờ máy chủ; hãy kiểm tra đồng hồ máy quầy.")
    try:
        spec = catalogue.parse_procedure(raw["procedure"], f"Thủ tục {entry.procedure.code}")
    except UserError as exc:
        raise Refusal("bad_procedure", exc.message) from None
    return Entry(index, entry, spec, digest, event_key(entry.at, entry.entry_id))


def _entry_id(raw: Any) -> str:  # noqa: ANN401
    value = raw.get("entry_id") if isinstance(raw, dict) else None
    return storable(value[:36]) if isinstance(value, str) else ""


def record(db: Database, conn: Connection, dev: Device, raws: list[Any], now: str) -> list[ProcedureResult]:
    """Check and keep the office's procedures of one push, in the caller's push transaction (which
    holds the office's lock: two counters of one office do not interleave). One result per entry."""
    now_dt = datetime.now(VN_TZ)
    results: list[ProcedureResult | None] = [None] * len(raws)
    entries: list[Entry] = []
    for i, raw in enumerate(raws):
        try:
            entries.append(_check(i, raw, now_dt))
        except Refusal as exc:
            results[i] = ProcedureResult(entry_id=_entry_id(raw), result="invalid", code=exc.code, reason=exc.reason)
    codes = sorted({e.spec.code for e in entries})
    held: dict[str, Any] = {}
    for start in range(0, len(codes), 500):
        chunk = codes[start:start + 500]
        held.update({r.code: r for r in conn.execute(sa.select(office_procedure).where(
            office_procedure.c.agency_code == dev.agency_code, office_procedure.c.code.in_(chunk))).all()})
    for item in entries:
        current = held.get(item.spec.code)
        entry_id = item.entry.entry_id
        if current is not None and current.entry_id == entry_id:
            same = current.entry_hash == item.entry_hash
            results[item.index] = ProcedureResult(
                entry_id=entry_id, result="duplicate" if same else "conflict",
                code="" if same else "payload_mismatch",
                reason="" if same else "Thủ tục này đã được gửi với nội dung khác; hãy báo quản trị viên.")
            continue
        if current is not None and current.sort_key >= item.sort_key:
            results[item.index] = ProcedureResult(entry_id=entry_id, result="superseded")
            continue
        row = {"agency_code": dev.agency_code, "code": item.spec.code, "entry_id": entry_id,
               "entry_hash": item.entry_hash, "sort_key": item.sort_key,
               "procedure_json": canonical_json(item.spec.to_dict()), "name": item.spec.name,
               "officer": item.entry.officer, "device_id": dev.id, "counter": dev.counter, "at": item.entry.at,
               "received_at": now}
        stmt = db.insert(office_procedure).values(**row)
        moved = {k: v for k, v in row.items() if k not in ("agency_code", "code")}
        conn.execute(stmt.on_conflict_do_update(index_elements=["agency_code", "code"], set_=moved))
        held[item.spec.code] = _Held(entry_id, item.entry_hash, item.sort_key)
        results[item.index] = ProcedureResult(entry_id=entry_id, result="stored")
    assert all(r is not None for r in results)
    return results  # type: ignore[return-value]


@dataclass(frozen=True)
class _Held:
    entry_id: str
    entry_hash: str
    sort_key: str


# --- what the district shows ---------------------------------------------------------------------


def of_office(db: Database, agency_code: str) -> list[dict[str, Any]]:
    """The office's own procedures, by code: each with the procedure (ProcedureSpec), who changed it
    last, from which counter and when."""
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(office_procedure).where(office_procedure.c.agency_code == agency_code)
                            .order_by(office_procedure.c.code)).all()
    return [_shown(r) for r in rows]


def by_office(db: Database) -> dict[str, list[dict[str, Any]]]:
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(office_procedure)
                            .order_by(office_procedure.c.agency_code, office_procedure.c.code)).all()
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r.agency_code, []).append(_shown(r))
    return out


def entry_ids(db: Database, agency_code: str) -> list[str]:
    """The ids of the office's current changes, by code: what `fingerprint` needs, without parsing."""
    with db.engine.connect() as conn:
        return list(conn.execute(sa.select(office_procedure.c.entry_id)
                                 .where(office_procedure.c.agency_code == agency_code)
                                 .order_by(office_procedure.c.code)).scalars())


def offices_with(db: Database, code: str) -> list[str]:
    """The offices that hold a procedure of this code of their own (ix_office_procedure_code). A
    typed address is anything: no code the catalogue cannot hold goes near the database."""
    if not catalogue.is_procedure_code(code):
        return []
    with db.engine.connect() as conn:
        return list(conn.execute(sa.select(office_procedure.c.agency_code).where(office_procedure.c.code == code)
                                 .order_by(office_procedure.c.agency_code)).scalars())


def fingerprint(ids: list[str]) -> str:
    """Changes whenever the office's procedures do (the public pages' ETag); ids in code order."""
    return hashlib.sha256("|".join(ids).encode()).hexdigest()[:8]


def _shown(r: Any) -> dict[str, Any]:  # noqa: ANN401 - a row of office_procedure
    spec = catalogue.parse_procedure(json.loads(r.procedure_json), f"Thủ tục {r.code}")
    return {"spec": spec, "entry_id": r.entry_id, "officer": r.officer, "counter": r.counter, "at": r.at,
            "received_at": r.received_at}
