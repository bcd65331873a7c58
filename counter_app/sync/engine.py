"""One sync pass: push the outbox in batches, then pull what the district and the other counters did.

Push: pending outbox rows go up a few hundred at a time, oldest first. A row is marked sent only
from a checked acknowledgement (client.py); a failed or unanswered batch keeps every row pending
and records the attempt and the reason on it. Events the server refuses (same id with another
payload, an unknown kind, a future time …) become `rejected` with the server's reason: they stop
being retried, stay visible, and do not hold back the rest. Events the server `held` (their
predecessor has not reached it yet) stay pending with the reason: the server applies them itself
when the predecessor arrives, and the next pass's resend is then answered `duplicate`. Every
batch carries the audit trail's head (audit_anchor.py) and what will still wait once it is in
(WaitingReport); when the server does not hold the newest head at the end of a pass (no events went
up, or the pull wrote an entry), or the last report it took is wrong by now or over an hour old, an
empty batch carries both.

Pull: each page (other counters' events with their dossier snapshots, the district's status
changes, catalogue and calendar publications) is applied together with the new cursor in one local
transaction, so a crash never advances the cursor past data it did not keep. Pulled events are
written to the local history directly — never to the outbox, so they are not sent back. After a
restore (`KEY_RECOVER_OWN`) the pull asks for this counter's own events too: those recorded after
the backup come back, and the code counter moves past the codes they used.

Files (uploads.py): after the events, the pull and the audit head, the file store's waiting files
go up (`send_files`). They never hold events up: a file that fails stays waiting and the pass still
counts as done, and an event recorded while a file is on its way pauses the file (it resumes at the
server's offset next pass) so the next pass sends the event at once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, text, update
from sqlmodel import Session, col, func, select

from counter_app import clock
from counter_app.db.models import Applicant, CodeCounter, Dossier, DossierDocument, Outbox, StatusEvent
from counter_app.db.store import Store
from counter_app.domain import holidays
from counter_app.domain.codes import parse_dossier_code
from counter_app.domain.ids import new_id
from counter_app.domain.text import fold
from counter_app.errors import UserError
from counter_app.services import audit, calendar_store, catalogue, settings
from counter_app.services.office import require_office
from counter_app.sync import audit_anchor, outbox, uploads
from counter_app.sync.client import SyncClient
from counter_app.sync.errors import BatchTooLarge, CertificateRefused, ServerUnreachable, SyncRefused
from counter_app.sync.protocol import (
    ACKNOWLEDGED,
    CLIENT_BATCH_EVENTS,
    HELD,
    PROCEDURE_ACKNOWLEDGED,
    WAITING_REPORT_EVERY,
    Cursor,
    EventPayload,
    FeedEvent,
    Publication,
    PullResponse,
    PushResponse,
    WaitingReport,
    event_key,
)

log = logging.getLogger(__name__)

# Settings keys (the `setting` table): one place, so the window reads what the engine writes.
KEY_SERVER = "sync.server_url"
KEY_TOKEN = "sync.token"
KEY_DEVICE = "sync.device"  # {"device_id", "agency_code", "counter"}
KEY_CURSOR = "sync.cursor"  # Cursor as a dict
KEY_LAST_SUCCESS = "sync.last_success"  # ISO time of the last complete pass
KEY_LAST_ERROR = "sync.last_error"  # {"at", "message", "permanent"} or None
KEY_LAST_ATTEMPT = "sync.last_attempt"
KEY_RECOVER_OWN = "sync.recover_own"  # True after a restore: pull this counter's own events back
KEY_FINGERPRINT = "sync.fingerprint"  # the pinned server certificate "AA:BB:…", or None (system CAs)
KEY_WAITING_REPORTED = "sync.waiting_reported"  # {"at", "events"}: the WaitingReport the server last took

OLDER_SERVER = ("[older_server] Máy chủ huyện chưa nhận được thủ tục riêng của đơn vị (phiên bản cũ); "
                "thủ tục được giữ để gửi lại khi máy chủ được nâng cấp.")

MAX_PULL_PAGES = 10_000  # a bound, not a target: 5M events at 500 a page
OUTBOX_ERROR_MAX = 500


@dataclass
class PassCounts:
    pushed: int = 0
    pulled: int = 0

    def summary(self, session: Session) -> dict[str, int]:
        counts = outbox_counts(session)
        return {"pushed": self.pushed, "pulled": self.pulled, "pending": counts["pending"],
                "rejected": counts["rejected"]}


# --- reading the outbox ---------------------------------------------------------------------------


def outbox_counts(session: Session) -> dict[str, int]:
    """Waiting and rejected events (both have no sent_at, so the partial pending index serves it)."""
    rows = session.exec(
        select(Outbox.state, func.count()).where(Outbox.sent_at == None).group_by(Outbox.state)  # noqa: E711
    ).all()
    found = dict(rows)
    return {"pending": int(found.get("pending", 0)), "rejected": int(found.get("rejected", 0))}


Row = tuple[int, str, str]  # an outbox row to send: seq, event (or entry) id, payload JSON


def _pending_batch(session: Session, after_seq: int, up_to_seq: int, size: int) -> tuple[list[Row], list[Row]]:
    """The next pending rows, oldest first: (events, the office's own procedures)."""
    stmt = (
        select(Outbox.seq, Outbox.event_id, Outbox.payload_json, Outbox.kind)
        .where(Outbox.sent_at == None, Outbox.state == "pending")  # noqa: E711
        .where(Outbox.seq > after_seq, Outbox.seq <= up_to_seq)
        .order_by(Outbox.seq)
        .limit(size)
    )
    events: list[Row] = []
    procedures: list[Row] = []
    for seq, event_id, payload, kind in session.exec(stmt).all():
        (procedures if kind == outbox.KIND_PROCEDURE else events).append((int(seq), event_id, payload))
    return events, procedures


def waiting_report(session: Session) -> WaitingReport:
    """What the outbox holds pending now, and the age of the oldest (the first by seq: rows are
    written in time order). The count reads every pending row (their state sits past the payload),
    so a pass counts once; its batches work out their reports from it (_Waiting)."""
    count = outbox.pending_count(session)
    return WaitingReport(events=count, oldest_age_s=_age(_first_pending_at(session, 0)) if count else None)


def _first_pending_at(session: Session, after_seq: int) -> str | None:
    """When the first pending row after `after_seq` was written: a seek on the pending index."""
    return session.execute(text("SELECT created_at FROM outbox WHERE sent_at IS NULL AND state = 'pending' "
                                "AND seq > :after ORDER BY seq LIMIT 1"), {"after": after_seq}).scalar()


def _age(at: str | None) -> int | None:
    return None if not at else max(0, int((clock.now() - clock.parse_iso(at)).total_seconds()))


@dataclass
class _Waiting:
    """What will still wait once each batch of a pass is in: the pending rows counted at the first
    batch, less those sent in batches since, plus those the server kept pending (held, or
    procedures an older server did not take); the oldest of them by the next pending row."""

    left: int
    kept: list[int]  # seqs still pending after their batch

    def after(self, session: Session, batch_rows: int, last_seq: int) -> WaitingReport:
        self.left -= batch_rows
        times = [_first_pending_at(session, last_seq)]
        if self.kept:
            times.append(session.execute(text("SELECT created_at FROM outbox WHERE seq = :seq"),
                                         {"seq": min(self.kept)}).scalar())
        oldest = min((t for t in times if t), default=None)
        return WaitingReport(events=max(0, self.left) + len(self.kept), oldest_age_s=_age(oldest))


# --- push -----------------------------------------------------------------------------------------


def push_pending(
    store: Store,
    client: SyncClient,
    *,
    batch_size: int = CLIENT_BATCH_EVENTS,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Push every event that was pending when the pass began; return how many the server now holds.

    Rows added while the pass runs wait for the next pass, so the loop always ends.
    """
    with store.read() as session:
        top = session.exec(select(func.max(Outbox.seq))).one() or 0
    pushed = 0
    after = 0
    size = max(1, batch_size)
    audit_head, _ = audit_anchor.head_to_send(store)
    counted: _Waiting | None = None
    while True:
        with store.read() as session:
            rows, procedures = _pending_batch(session, after, top, size)
            if not rows and not procedures:
                return pushed
            if counted is None:
                counted = _Waiting(outbox.pending_count(session), [])
            last = max(r[0] for r in rows + procedures)
            waiting = counted.after(session, len(rows) + len(procedures), last)
        batch_id = new_id()
        ids = [event_id for _, event_id, _ in rows]
        try:
            ack = client.push(batch_id, ids, [payload for _, _, payload in rows], audit_head=audit_head,
                              waiting=waiting, procedures=[(entry, payload) for _, entry, payload in procedures])
        except BatchTooLarge:
            if size == 1:
                _note_failure(store, rows + procedures, "Sự kiện quá lớn, máy chủ huyện không nhận.")
                raise SyncRefused("Một sự kiện quá lớn để máy chủ huyện nhận; hãy báo quản trị viên.",
                                  code="too_large") from None
            size = max(1, size // 2)  # the server's limit is lower than ours: halve and go on
            counted.left += len(rows) + len(procedures)  # not sent: counted again with the smaller batch
            continue
        except CertificateRefused:
            raise  # nothing was sent: the link is at fault, not these events
        except (ServerUnreachable, SyncRefused) as exc:
            _note_failure(store, rows + procedures, exc.message)
            raise
        audit_anchor.note_held(store, ack.audit_head)
        if audit_head is not None:
            audit_head = audit_anchor.continued(audit_head)
        pushed += _apply_ack(store, rows, ack, procedures, waiting)
        counted.kept += [seq for (seq, _, _), r in zip(rows, ack.results, strict=True) if r.result == HELD]
        if procedures and not ack.procedures:
            counted.kept += [seq for seq, _, _ in procedures]
        after = last
        if on_batch is not None:
            on_batch(pushed)


def report_audit_head(store: Store, client: SyncClient) -> None:
    """At the end of a pass: an empty batch for the audit head when the server does not hold the
    newest one yet. After the pull, so the pull is never kept waiting behind another counter's
    write, and the head includes the pull's own entry."""
    audit_head, unheld = audit_anchor.head_to_send(store)
    with store.read() as session:
        reported = settings.get(session, KEY_WAITING_REPORTED)
        waiting = waiting_report(session)
    if not (isinstance(reported, dict) and isinstance(reported.get("at"), str)):
        reported = {"at": "2000-01-01T00:00:00+07:00", "events": None}
    # The last batch's report said what would wait if the server took it all: events it held, and
    # those written during the pass, make it wrong; and an idle counter reports now and then.
    due = (reported.get("events") != waiting.events
           or clock.now() - clock.parse_iso(reported["at"]) >= WAITING_REPORT_EVERY)
    if not due and (audit_head is None or not unheld):
        return
    ack = client.push(new_id(), [], [], audit_head=audit_head, waiting=waiting)
    audit_anchor.note_held(store, ack.audit_head)
    with store.write() as session:
        settings.put(session, KEY_WAITING_REPORTED, {"at": clock.iso(clock.now()), "events": waiting.events})


def send_files(store: Store, client: SyncClient, files: uploads.FileQueue | None) -> uploads.DrainCounts:
    """The waiting files, last in a pass (no queue: nothing to send). Never raises for the network:
    the events of the pass are already safe, so a file failure is a count in the summary."""
    if files is None:
        return uploads.DrainCounts()
    with store.read() as session:
        top = session.exec(select(func.max(Outbox.seq))).one() or 0

    def new_event() -> bool:  # between chunks: the outbox's newest row, by its primary key
        with store.read() as session:
            return (session.exec(select(func.max(Outbox.seq))).one() or 0) > top

    try:
        return uploads.drain(client, files, stop=new_event)
    except UserError as exc:  # the file store could not say what waits or note a file sent (busy …)
        log.warning("files not sent this pass: %s", exc.message)
        return uploads.DrainCounts(error=exc.message)


def _apply_ack(store: Store, rows: list[Row], ack: PushResponse, procedures: Sequence[Row] = (),
               waiting: WaitingReport | None = None) -> int:
    stamp = clock.iso(clock.now())
    sent: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    held: list[dict[str, Any]] = []
    if procedures and not ack.procedures:  # a server older than the office's own procedures
        held.extend({"seq": seq, "err": OLDER_SERVER} for seq, _, _ in procedures)
    for (seq, _entry, _payload), answer in zip(procedures if ack.procedures else [], ack.procedures, strict=True):
        if answer.result in PROCEDURE_ACKNOWLEDGED:
            sent.append({"seq": seq, "at": stamp})
        else:
            reason = answer.reason or "Máy chủ huyện không nhận thủ tục này."
            rejected.append({"seq": seq, "err": f"[{answer.code or answer.result}] {reason}"[:OUTBOX_ERROR_MAX]})
    for (seq, _event_id, _payload), result in zip(rows, ack.results, strict=True):
        if result.result in ACKNOWLEDGED:
            sent.append({"seq": seq, "at": stamp})
        elif result.result == HELD:
            reason = result.reason or "Máy chủ huyện giữ sự kiện này chờ sự kiện trước nó."
            held.append({"seq": seq, "err": f"[held] {reason}"[:OUTBOX_ERROR_MAX]})
        else:
            reason = result.reason or "Máy chủ huyện không nhận sự kiện này."
            rejected.append({"seq": seq, "err": f"[{result.code or result.result}] {reason}"[:OUTBOX_ERROR_MAX]})
    with store.write() as session:
        if sent:
            session.execute(text("UPDATE outbox SET sent_at = :at, state = 'sent', last_error = '', "
                                 "attempts = attempts + 1 WHERE seq = :seq"), sent)
        if rejected:
            session.execute(text("UPDATE outbox SET state = 'rejected', last_error = :err, "
                                 "attempts = attempts + 1 WHERE seq = :seq"), rejected)
        if held:  # still pending: resent next pass, answered "duplicate" once the server applied it
            session.execute(text("UPDATE outbox SET last_error = :err, attempts = attempts + 1 WHERE seq = :seq"),
                            held)
        if waiting is not None:
            settings.put(session, KEY_WAITING_REPORTED, {"at": stamp, "events": waiting.events})
    return len(sent)


def _note_failure(store: Store, rows: list[Row], message: str) -> None:
    """The attempt and its reason go on every row of the batch, so "stuck in the outbox" always
    comes with an explanation. Best effort: the store being busy must not hide the real error."""
    params = [{"seq": seq, "err": message[:OUTBOX_ERROR_MAX]} for seq, _, _ in rows]
    try:
        with store.write() as session:
            session.execute(text("UPDATE outbox SET attempts = attempts + 1, last_error = :err WHERE seq = :seq"),
                            params)
    except UserError:
        log.warning("could not record the failed attempt on %d outbox rows", len(rows))


# --- pull -----------------------------------------------------------------------------------------


def pull_all(store: Store, client: SyncClient) -> int:
    """Pull pages until the server says there is no more; return how many events were applied."""
    applied = 0
    with store.read() as session:
        cursor = Cursor.model_validate(settings.get(session, KEY_CURSOR, {}) or {})
        own = bool(settings.get(session, KEY_RECOVER_OWN, False))
    for _ in range(MAX_PULL_PAGES):
        page = client.pull(cursor, own=own)
        done = not page.more or page.cursor == cursor
        with store.write() as session:
            applied += apply_page(session, page)
            settings.put(session, KEY_CURSOR, page.cursor.model_dump())
            if own and done and page.own:  # an older server ignores own=1: ask again once upgraded
                settings.put(session, KEY_RECOVER_OWN, False)
        cursor = page.cursor
        if done:
            break
    return applied


def apply_page(session: Session, page: PullResponse) -> int:
    """Apply one pulled page inside the caller's transaction; return how many items were new here.
    What changed is written to the audit trail as the district's doing (audit.SYSTEM)."""
    office = require_office(session)
    events = _apply_events(session, page.events, office.agency_code, office.counter)
    publications = [{"seq": p.seq, "kind": p.kind} for p in page.publications if apply_publication(session, p)]
    if events or publications:
        audit.record(session, audit.SYSTEM, "sync_pull", "",
                     {"events": events, "publications": publications, "cursor": page.cursor.model_dump()})
    return events + len(publications)


# Fields of a snapshot that may change after intake; the others (code, applicant, procedure) never do.
_MUTABLE = ("due_at", "start_at", "finished_at", "returned_at", "note", "original_due_at", "extension_count",
            "paused_at", "rating")
_IN_CHUNK = 500  # SQLite's bound-parameter limit is far above this


def _chunks(values: list[str]) -> list[list[str]]:
    return [values[i:i + _IN_CHUNK] for i in range(0, len(values), _IN_CHUNK)]


def _apply_events(session: Session, items: list[FeedEvent], agency_code: str, counter: int) -> int:
    """Other counters' events (and their dossiers when new here) and the district's changes.

    Set-based on purpose: a counter set up late pulls the whole office's history, page after page,
    so each page is a handful of queries, not a handful per event. The history holds each event
    once (its id is the key); a dossier's state follows its latest event, by the same (time, id)
    order the server uses, so both ends agree whatever order events arrive in.
    """
    events: list[tuple[FeedEvent, EventPayload]] = []
    for item in items:
        try:
            ev = EventPayload.model_validate(item.payload)
        except ValidationError:
            log.warning("pulled event %s is malformed; skipped", item.seq)
            continue
        if ev.dossier.get("agency_code", agency_code) == agency_code:
            events.append((item, ev))
    if not events:
        return 0
    known = set()
    for chunk in _chunks([ev.event_id for _, ev in events]):
        known.update(session.exec(select(StatusEvent.id).where(col(StatusEvent.id).in_(chunk))).all())
    dossier_ids = sorted({ev.dossier_id for _, ev in events})
    existing: set[str] = set()
    latest: dict[str, str] = {}
    for chunk in _chunks(dossier_ids):
        existing.update(session.exec(select(Dossier.id).where(col(Dossier.id).in_(chunk))).all())
        for did, at, eid in session.exec(select(StatusEvent.dossier_id, StatusEvent.at, StatusEvent.id)
                                         .where(col(StatusEvent.dossier_id).in_(chunk))).all():
            latest[did] = max(latest.get(did, ""), event_key(at, eid))
    codes_taken: dict[str, str] = {}
    for chunk in _chunks(sorted({str(ev.dossier.get("code") or "") for _, ev in events})):
        rows = session.exec(select(Dossier.code, Dossier.id).where(col(Dossier.code).in_(chunk))).all()
        codes_taken.update(dict(rows))

    new_dossiers: dict[str, dict[str, Any]] = {}
    applicants: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    updates: dict[str, dict[str, Any]] = {}
    history: list[dict[str, Any]] = []
    page_keys: set[int] = set()
    for item, ev in events:
        if ev.event_id in known:
            continue  # ours, or pulled before
        did = ev.dossier_id
        if did not in existing and did not in new_dossiers:
            row = _new_dossier_rows(session, ev, codes_taken, page_keys, applicants, documents)
            if row is None:
                continue
            new_dossiers[did] = row
        key = event_key(ev.at, ev.event_id)
        if key > latest.get(did, ""):
            latest[did] = key
            state = _state_from(ev)
            if did in new_dossiers:
                new_dossiers[did].update(state)
            else:
                updates[did] = state
        known.add(ev.event_id)
        # The event's own details (hand-over unit, new due date …) when the sender included them,
        # plus where it came from.
        details = (ev.model_extra or {}).get("details")
        local = {**(details if isinstance(details, dict) else {}),
                 "_sync": {"origin": item.origin, "counter": item.counter, "server_seq": item.seq}}
        history.append({"id": ev.event_id, "dossier_id": did, "kind": ev.kind, "from_status": ev.from_status,
                        "to_status": ev.to_status, "at": clock.iso(clock.parse_iso(ev.at)), "officer": ev.officer,
                        "actor": ev.actor, "note": ev.note, "payload_json": json.dumps(local, ensure_ascii=False)})
    if applicants:
        session.execute(insert(Applicant.__table__), applicants)
        session.execute(insert(Dossier.__table__), list(new_dossiers.values()))
        session.execute(text("INSERT INTO dossier_search(rowid, name) VALUES (:k, :n)"),
                        [{"k": d["search_key"], "n": a["name_folded"]}
                         for d, a in zip(new_dossiers.values(), applicants, strict=True)])
    if documents:
        session.execute(insert(DossierDocument.__table__), documents)
    _skip_used_codes(session, agency_code, counter, [d["code"] for d in new_dossiers.values()])
    for did, state in updates.items():
        session.execute(update(Dossier.__table__).where(Dossier.__table__.c.id == did).values(**state))
    if history:
        session.execute(insert(StatusEvent.__table__), history)
    return len(history)


def _skip_used_codes(session: Session, agency_code: str, counter: int, codes: list[str]) -> None:
    """Codes of this counter's own slice that came down (its events recorded after the backup it was
    restored from): the day's code counter moves past them, so no code is issued twice."""
    top: dict[str, int] = {}
    for code in codes:
        parsed = parse_dossier_code(code)
        if parsed is not None and parsed.agency_code == agency_code and parsed.counter == counter:
            day = parsed.day.isoformat()
            top[day] = max(top.get(day, 0), parsed.seq - counter * 1000)
    for day, n in top.items():
        row = session.exec(select(CodeCounter).where(CodeCounter.agency_code == agency_code, CodeCounter.day == day,
                                                     CodeCounter.counter == counter)).first()
        if row is None:
            session.add(CodeCounter(agency_code=agency_code, day=day, counter=counter, last_n=n))
        elif row.last_n < n:
            row.last_n = n
            session.add(row)


def _state_from(ev: EventPayload) -> dict[str, Any]:
    """The dossier columns an event's snapshot decides (status and what may change after intake)."""
    snap = ev.dossier
    state: dict[str, Any] = {"status": ev.to_status, "updated_at": clock.iso(clock.now())}
    for name in _MUTABLE:
        if name in snap:
            state[name] = snap[name]
    if "recipient" in snap:
        recipient = snap["recipient"] or {}
        state["recipient_name"] = recipient.get("full_name") or None
        state["recipient_id_number"] = recipient.get("id_number") or None
        state["recipient_relation"] = recipient.get("relation") or None
    return state


def _new_dossier_rows(session: Session, ev: EventPayload, codes_taken: dict[str, str], page_keys: set[int],
                      applicants: list[dict[str, Any]], documents: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Another counter's dossier, so a slip printed there scans here. No outbox entry: it is the
    other counter's to send, and it already did."""
    from counter_app.services.intake import _search_key  # the one place the index key is made

    snap = ev.dossier
    code = str(snap.get("code") or "")
    parsed = parse_dossier_code(code)
    if parsed is None:
        log.warning("pulled dossier %s has no valid code; skipped", ev.dossier_id)
        return None
    if codes_taken.get(code, ev.dossier_id) != ev.dossier_id:
        # Two counters set up with the same number issue the same codes: keep ours, say so.
        log.warning("pulled dossier %s reuses code %s of local dossier %s; skipped", ev.dossier_id, code,
                    codes_taken[code])
        return None
    codes_taken[code] = ev.dossier_id
    person = snap.get("applicant") or {}
    name = str(person.get("full_name") or "")
    applicant_id = new_id()
    applicants.append({
        "id": applicant_id, "full_name": name, "name_folded": fold(name),
        "id_number": str(person.get("id_number") or ""), "old_id_number": str(person.get("old_id_number") or ""),
        "birth_date": person.get("birth_date") or None, "gender": str(person.get("gender") or ""),
        "address": str(person.get("address") or ""), "phone": str(person.get("phone") or ""),
        "email": str(person.get("email") or ""),
        "extra_json": json.dumps(person.get("extra") or {}, ensure_ascii=False),
    })
    for position, doc in enumerate(snap.get("documents") or [], 1):
        if isinstance(doc, dict):
            documents.append({"dossier_id": ev.dossier_id, "position": position, "name": str(doc.get("name") or ""),
                              "form": str(doc.get("form") or ""), "count": int(doc.get("count") or 1)})
    received = clock.parse_iso(str(snap.get("received_at") or ev.at))
    stamp = clock.iso(clock.now())
    search_key = _search_key(session, received)
    # _search_key sees stored rows only: step past keys given earlier in this page (upwards, where
    # no stored key of this millisecond can be).
    while search_key in page_keys:
        search_key += 1
    page_keys.add(search_key)
    return {
        "id": ev.dossier_id, "code": code, "search_key": search_key, "agency_code": parsed.agency_code,
        "counter": parsed.counter, "procedure_code": str(snap.get("procedure_code") or ""),
        "procedure_name": str(snap.get("procedure_name") or ""), "working_days": float(snap.get("working_days") or 0),
        "applicant_id": applicant_id, "status": ev.to_status, "channel": int(snap.get("channel") or 1),
        "sets": int(snap.get("sets") or 1), "received_at": clock.iso(received),
        "start_at": str(snap.get("start_at") or clock.iso(received)), "due_at": str(snap.get("due_at") or ""),
        "returned_at": None, "recipient_name": None, "recipient_id_number": None, "recipient_relation": None,
        "note": "", "officer": str(snap.get("officer") or ""), "created_at": stamp, "updated_at": stamp,
        "original_due_at": None, "extension_count": 0, "paused_at": None, "rating": None,
    }


def apply_publication(session: Session, publication: Publication) -> bool:
    """Catalogue and calendar updates from the district; a bad one is logged and skipped (the
    server checked it with these same functions, so that means a version mismatch)."""
    try:
        if publication.kind == "catalogue":
            records = publication.payload.get("procedures")
            if not isinstance(records, list):
                raise UserError("thiếu danh sách thủ tục")
            specs = catalogue.parse_procedures([(f"Thủ tục thứ {i}", r) for i, r in enumerate(records, 1)])
            catalogue.import_procedures(session, specs)
        else:
            table = holidays.load_year_table(publication.payload)
            calendar_store.replace_year(session, table, origin="server")
    except (UserError, ValueError) as exc:
        log.warning("publication %s (%s) skipped: %s", publication.seq, publication.kind, exc)
        return False
    return True
