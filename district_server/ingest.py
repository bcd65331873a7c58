"""Push: one batch of events from one device, applied in one transaction, one result per event.

- stored: new here, now held (and the dossier's current state moved on if it is the latest event);
- duplicate: this exact event was already held (a resend after a lost answer, a replayed batch);
- conflict: the same id with another payload, or a dossier code already used by another dossier:
  kept aside in `review` for a person, nothing else changes;
- invalid: an event the server cannot accept as is (unknown kind, future time, another office's
  dossier, a code outside the counter's slice, a missing field, a status move the counter's rule
  table forbids): also kept in `review` (within the device's daily room, review.py), with the
  reason sent back;
- held: a move from a status the dossier is not in yet — its predecessor has not arrived (rules.py).
  Kept in `review` as waiting and applied by the server when the predecessor arrives; the counter
  keeps it pending (once staff close the case unapplied, a resend is `invalid`, code `dismissed`).
  Only a counter that lists the "held" feature is answered so; an older one gets `invalid` with
  code `waiting`, as before.

The push may carry the counter's audit-trail head (audit_heads.py), what it still has waiting
(waiting.py) and the office's own procedures (office_procedures.py), each recorded in the same
transaction.

One bad event never sinks its batch: whatever is wrong with it (even text no database can store)
becomes that event's verdict, and the others are stored.

Uniqueness is the database's job: events go in with INSERT … ON CONFLICT (event_id) DO NOTHING,
and only the ids that did not go in are compared with what is held. Two counters sending the same
id at the same moment cannot both store it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from counter_app.domain.vn_time import VN_TZ
from counter_app.sync.protocol import (
    FEATURE_HELD,
    HELD,
    PROTOCOL,
    DossierSnapshot,
    EventResult,
    PushOptions,
    PushResponse,
)
from district_server import audit_heads, file_refs, office_procedures, review, rules, waiting
from district_server.auth import Device
from district_server.database import Database, insert_many
from district_server.event_checks import Checked, check_event
from district_server.indexed import INDEXED, indexed_columns
from district_server.received import Refusal, storable, storable_json
from district_server.schema import batch, device, dossier, event
from district_server.timeutil import now_iso

BeforeCommit = Callable[[str], None]
log = logging.getLogger("district_server")


def ingest(
    db: Database,
    dev: Device,
    batch_id: str,
    raw_events: list[Any],
    *,
    before_commit: BeforeCommit | None = None,
    options: PushOptions | None = None,
) -> PushResponse:
    options = options or PushOptions()
    held_outcome = FEATURE_HELD in options.features
    now_dt = datetime.now(VN_TZ)
    now = now_iso()
    results: list[EventResult | None] = [None] * len(raw_events)
    refused: list[tuple[int, str, str, str, str, str]] = []  # index, id, hash, result, code, reason
    checked: list[Checked] = []
    first_seen: dict[str, Checked] = {}
    repeats: list[tuple[int, Checked]] = []  # the same id twice in one batch: answered like the first
    for i, raw in enumerate(raw_events):
        raw_id = storable(str(raw.get("event_id", ""))[:100]) if isinstance(raw, dict) else ""
        try:
            item = check_event(raw, dev, now_dt)
        except Refusal as exc:
            refused.append((i, raw_id, _raw_hash(raw), "invalid", exc.code, exc.reason))
            continue
        except Exception:  # noqa: BLE001 - whatever is wrong with one event is that event's verdict
            log.exception("event %d of batch %s could not be checked", i, batch_id)
            refused.append((i, raw_id, _raw_hash(raw), "invalid", "unreadable",
                            "Máy chủ huyện không đọc được sự kiện này; sự kiện được giữ lại để kiểm tra."))
            continue
        item.index = i
        item.batch_id = batch_id
        earlier = first_seen.get(item.event.event_id)
        if earlier is None:
            first_seen[item.event.event_id] = item
            checked.append(item)
        elif earlier.payload_hash == item.payload_hash:
            repeats.append((i, earlier))
        else:
            refused.append((i, item.event.event_id, item.payload_hash, "conflict", "payload_mismatch",
                            _MISMATCH))

    with db.write(dev.agency_code) as conn:
        kept, held_codes = _refuse_code_clashes(conn, checked, refused)
        to_store = _answer_held(conn, kept, held_codes, results, refused)
        accepted, later, applied_waiting = _apply_rules(conn, dev.agency_code, to_store, held_codes, refused, now_dt)
        stored_ids = _insert_events(db, conn, accepted + later, now)
        for item in accepted:
            if item.event.event_id in stored_ids:
                results[item.index] = EventResult(event_id=item.event.event_id, result="stored")
        _classify_not_inserted(conn, [c for c in accepted if c.event.event_id not in stored_ids], results, refused)
        _upsert_dossiers(conn, [c for c in accepted + later if c.event.event_id in stored_ids], now)
        review.mark_applied(conn, [(c.event.event_id, c.payload_hash) for c in accepted + later
                                   if c.event.event_id in stored_ids and c.event.event_id in applied_waiting], now)
        over = _keep_for_review(db, conn, dev, raw_events, refused, now)
        closed = review.dismissed(conn, [(r[1], r[2]) for r in refused if r[4] == review.WAITING]) if held_outcome \
            else set()
        for i, event_id, digest, result, code, reason in refused:
            if i in over:
                result, code, reason = "invalid", "review_full", over[i]
            elif (event_id, digest) in closed:
                code, reason = "dismissed", review.DISMISSED  # invalid: the counter stops resending it
            elif held_outcome and code == review.WAITING:
                result = HELD  # kept as waiting: the server applies it when its predecessor arrives
            results[i] = EventResult(event_id=event_id, result=result, code=code, reason=reason)  # type: ignore[arg-type]
        for i, earlier in repeats:
            first = results[earlier.index]
            assert first is not None
            same = "duplicate" if first.result in ("stored", "duplicate") else first.result
            results[i] = EventResult(event_id=first.event_id, result=same, code=first.code, reason=first.reason)  # type: ignore[arg-type]
        mine = sum(1 for c in accepted if c.event.event_id in stored_ids)
        replayed = _log_batch(db, conn, dev, batch_id, len(raw_events), mine, now)
        head = audit_heads.record(db, conn, dev, options.audit_head, now) if options.audit_head else None
        own = office_procedures.record(db, conn, dev, options.procedures, now) if options.procedures else []
        if options.waiting is not None:
            waiting.record(db, conn, dev, options.waiting, now)
        if before_commit is not None:
            before_commit(batch_id)
    assert all(r is not None for r in results)
    return PushResponse(protocol=PROTOCOL, batch_id=batch_id, results=results, replayed=replayed,  # type: ignore[arg-type]
                        server_time=now, audit_head=head, procedures=own)


def _raw_hash(raw: Any) -> str:
    """The review key of a refused payload (wrapped, as before: rows kept earlier still match)."""
    return hashlib.sha256(storable_json({"raw": raw}).encode("utf-8")).hexdigest()


def _answer_held(conn: Connection, items: list[Checked], held_codes: dict[str, str], results: list,  # noqa: ANN001
                 refused: list) -> list[Checked]:  # noqa: ANN001
    """Events already held are answered at once (duplicate, or conflict for another payload) and
    are not checked again against a history that has moved on since; the rest is returned. Only
    events of dossiers already held can be (every stored event upserts its dossier)."""
    maybe = [c.event.event_id for c in items if c.event.dossier_id in held_codes]
    if not maybe:
        return items
    held = dict(conn.execute(sa.select(event.c.event_id, event.c.payload_hash)
                             .where(event.c.event_id.in_(maybe))).all())
    fresh = []
    for item in items:
        digest = held.get(item.event.event_id)
        if digest is None:
            fresh.append(item)
        elif digest == item.payload_hash:
            results[item.index] = EventResult(event_id=item.event.event_id, result="duplicate")
        else:
            refused.append((item.index, item.event.event_id, item.payload_hash, "conflict", "payload_mismatch",
                            _MISMATCH))
    return fresh


def _apply_rules(conn: Connection, agency_code: str, items: list[Checked], held_codes: dict[str, str],
                 refused: list, now: datetime,  # noqa: ANN001
                 also: tuple[str, ...] = ()) -> tuple[list[Checked], list[Checked], set[str]]:
    """The status rules (rules.py) at each event's place in its dossier's history, together with the
    events of the same dossiers that were waiting for a predecessor. Returns this batch's accepted
    events, the waiting ones that now fit, and the ids that had been waiting (to close their case).
    `held_codes`: the code of each of these dossiers the server already holds (the others have no
    history: every stored event upserts its dossier). `also`: more held dossiers whose waiting
    events to re-check (one the district just moved)."""
    ids = sorted({c.event.dossier_id for c in items} | set(also))
    if not ids:
        return [], [], set()
    histories: dict[str, list[rules.Step]] = {}
    known = sorted(set(held_codes) & set(ids))
    if known:  # a batch of new intakes has no history to read
        for r in conn.execute(sa.select(event.c.dossier_id, event.c.sort_key, event.c.kind, event.c.from_status,
                                        event.c.to_status).where(event.c.dossier_id.in_(known))).all():
            histories.setdefault(r.dossier_id, []).append(rules.Step(r.sort_key, r.kind, r.from_status,
                                                                     r.to_status))
        for steps in histories.values():
            steps.sort()
    codes = dict(held_codes)
    codes.update({c.event.dossier_id: c.code for c in items if c.event.kind == "intake"})
    rows = review.waiting_for(conn, agency_code, ids)
    mine = {c.event.event_id for c in items}
    waiting = _rechecked(conn, [r for r in rows if r.event_id not in mine], now)
    # A waiting event carrying another code than its dossier's stays for a person to look at.
    waiting = [w for w in waiting if codes.get(w.event.dossier_id, w.code) == w.code]
    candidates = items + waiting
    ok, refusals = rules.settle(candidates, histories, dossier_of=lambda c: c.event.dossier_id,
                                step_of=lambda c: c.step, code_of=lambda c: c.code)
    for item, verdict, reason in refusals:
        if item.batch_id is None:
            continue  # still waiting: its case stays open as it is
        if verdict == "waiting":
            refused.append((item.index, item.event.event_id, item.payload_hash, "invalid", review.WAITING, reason))
        else:
            refused.append((item.index, item.event.event_id, item.payload_hash, "conflict", "history_conflict",
                            reason))
    return ([c for c in ok if c.batch_id is not None], [c for c in ok if c.batch_id is None],
            {r.event_id for r in rows})


def apply_waiting(db: Database, conn: Connection, dossier_id: str) -> int:
    """After a move made at the district: the dossier's waiting events that now fit are applied,
    in the caller's transaction (which holds the office's lock). Returns how many."""
    now = now_iso()
    agency_code, code = conn.execute(sa.select(dossier.c.agency_code, dossier.c.code)
                                     .where(dossier.c.id == dossier_id)).one()
    _, later, was_waiting = _apply_rules(conn, agency_code, [], {dossier_id: code}, [], datetime.now(VN_TZ),
                                         also=(dossier_id,))
    stored = _insert_events(db, conn, later, now)
    _upsert_dossiers(conn, [c for c in later if c.event.event_id in stored], now)
    review.mark_applied(conn, [(c.event.event_id, c.payload_hash) for c in later
                               if c.event.event_id in stored and c.event.event_id in was_waiting], now)
    return len(stored)


def _rechecked(conn: Connection, rows: list[Any], now: datetime) -> list[Checked]:
    """Waiting events as they were received, checked again as their own device's (its office and
    counter number; a device revoked since then still sent them while it was trusted)."""
    if not rows:
        return []
    devices = {r.id: Device(r.id, r.agency_code, r.counter) for r in conn.execute(
        sa.select(device.c.id, device.c.agency_code, device.c.counter)
        .where(device.c.id.in_({r.device_id for r in rows}))).all()}
    out = []
    for row in rows:
        dev = devices.get(row.device_id)
        if dev is None:
            continue
        try:
            item = check_event(json.loads(row.payload_json), dev, now)
        except (Refusal, ValueError):
            continue  # it no longer passes the checks (e.g. the payload was stored escaped): stays for a person
        if item.payload_hash == row.payload_hash:
            out.append(item)
    return out


_MISMATCH = ("Mã sự kiện này đã được nhận với nội dung khác; sự kiện được giữ lại để cán bộ huyện kiểm tra "
             "(không ghi đè dữ liệu đã có).")


def _refuse_code_clashes(conn: Connection, checked: list[Checked],  # noqa: ANN001
                         refused: list) -> tuple[list[Checked], dict[str, str]]:
    """A dossier code belongs to one dossier id for ever. Two counters set up with the same number
    would issue the same codes: the second one is kept for review instead of overwriting the first.
    Safe without a race because this office's writers hold the same lock. Returns the events kept
    and the code of each dossier already held (by id) among those of the batch."""
    if not checked:
        return [], {}
    ids = list({c.event.dossier_id for c in checked})
    codes = list({c.code for c in checked})
    rows = conn.execute(sa.select(dossier.c.id, dossier.c.code)
                        .where(sa.or_(dossier.c.id.in_(ids), dossier.c.code.in_(codes)))).all()
    code_of = {r.id: r.code for r in rows}
    held = dict(code_of)
    owner_of = {r.code: r.id for r in rows}
    keep: list[Checked] = []
    for item in checked:
        did = item.event.dossier_id
        if code_of.get(did, item.code) != item.code:
            refused.append((item.index, item.event.event_id, item.payload_hash, "conflict", "dossier_code_changed",
                            f"Hồ sơ này đã được nhận với mã {code_of[did]}, khác mã {item.code}; sự kiện được giữ "
                            "lại để cán bộ huyện kiểm tra."))
            continue
        if owner_of.get(item.code, did) != did:
            refused.append((item.index, item.event.event_id, item.payload_hash, "conflict", "code_taken",
                            f"Mã hồ sơ {item.code} đã thuộc về một hồ sơ khác (hai quầy trùng số quầy?); sự kiện "
                            "được giữ lại để cán bộ huyện kiểm tra."))
            continue
        code_of[did] = item.code
        owner_of[item.code] = did
        keep.append(item)
    return keep, held


def _insert_events(db: Database, conn: Connection, items: list[Checked], now: str) -> set[str]:
    if not items:
        return set()
    rows = [{
        "event_id": c.event.event_id, "dossier_id": c.event.dossier_id, "agency_code": c.device.agency_code,
        "device_id": c.device.id, "counter": c.device.counter, "origin": "counter", "kind": c.event.kind,
        "from_status": c.event.from_status, "to_status": c.event.to_status, "at": c.event.at,
        "sort_key": c.sort_key, "payload_hash": c.payload_hash, "payload_json": c.payload_json,
        "received_at": now, "batch_id": c.batch_id,
    } for c in items]
    if not db.is_sqlite:
        stored = set(insert_many(conn, "event", rows, "ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
                             returning=True))
    else:
        stmt = db.insert(event).on_conflict_do_nothing(index_elements=["event_id"]).returning(event.c.event_id)
        stored = set(conn.execute(stmt, rows).scalars().all())
    file_refs.record(db, conn, [r for r in rows if r["event_id"] in stored])  # who may read the files they name
    return stored


def _classify_not_inserted(conn: Connection, items: list[Checked], results: list, refused: list) -> None:  # noqa: ANN001
    """Ids the unique constraint turned away: the same payload is a duplicate, another one a conflict."""
    if not items:
        return
    held = dict(conn.execute(sa.select(event.c.event_id, event.c.payload_hash)
                             .where(event.c.event_id.in_([c.event.event_id for c in items]))).all())
    for item in items:
        if held.get(item.event.event_id) == item.payload_hash:
            results[item.index] = EventResult(event_id=item.event.event_id, result="duplicate")
        else:
            refused.append((item.index, item.event.event_id, item.payload_hash, "conflict", "payload_mismatch",
                            _MISMATCH))


# What a later event changes in a dossier's current state (the rest is fixed at intake).
_DOSSIER_MOVES = ("status", "due_at", "returned_at", "last_key", "last_event_id", "updated_at", *INDEXED)


def _upsert_dossiers(conn: Connection, stored: list[Checked], now: str) -> None:
    """Each dossier's current state follows its latest event, whatever order events arrive in."""
    latest: dict[str, Checked] = {}
    for item in stored:
        seen = latest.get(item.event.dossier_id)
        if seen is None or item.sort_key > seen.sort_key:
            latest[item.event.dossier_id] = item
    if not latest:
        return
    rows = []
    for item in latest.values():
        snap = DossierSnapshot.of(item.event.dossier)
        rows.append({
            "id": item.event.dossier_id, "agency_code": item.code.split("-", 1)[0], "code": item.code,
            "counter": item.counter, "status": item.event.to_status, "procedure_code": snap.procedure_code,
            "received_at": snap.received_at, "due_at": snap.due_at, "returned_at": snap.returned_at or None,
            "last_key": item.sort_key, "last_event_id": item.event.event_id, "created_at": now, "updated_at": now,
            **indexed_columns(snap),
        })
    updated = ", ".join(f"{n} = excluded.{n}" for n in _DOSSIER_MOVES)
    insert_many(conn, "dossier", rows,
                f"ON CONFLICT (id) DO UPDATE SET {updated} WHERE dossier.last_key < excluded.last_key")


def _keep_for_review(db: Database, conn: Connection, dev: Device, raw_events: list[Any], refused: list,
                     now: str) -> dict[int, str]:
    """Refused events go to review, within the device's daily room; returns, for those that found
    no room, the reason to answer instead."""
    if not refused:
        return {}
    rows = []
    for i, event_id, digest, result, code, reason in refused:
        raw = raw_events[i]
        dossier_id = raw.get("dossier_id") if isinstance(raw, dict) else None
        rows.append({"index": i, "event_id": event_id or "?", "payload_hash": digest, "result": result, "code": code,
                     "reason": reason, "payload_json": storable_json(raw),
                     "dossier_id": storable(dossier_id) if isinstance(dossier_id, str) and len(dossier_id) <= 36
                     else None})
    over = review.keep(db, conn, dev.id, dev.agency_code, rows, now)
    return {row["index"]: row["reason"] for row in over}


def _log_batch(db: Database, conn: Connection, dev: Device, batch_id: str, count: int, stored: int, now: str) -> bool:
    """True when this batch id was received before (a replay: every event then is a duplicate)."""
    # RETURNING rather than rowcount: psycopg does not report a rowcount for INSERT … DO NOTHING here.
    row = conn.execute(db.insert(batch).values(batch_id=batch_id, device_id=dev.id, events=count, stored=stored,
                                               received_at=now)
                       .on_conflict_do_nothing(index_elements=["batch_id"]).returning(batch.c.batch_id)).first()
    return row is None
