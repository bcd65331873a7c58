"""The pull half of a sync pass (engine.py pushes first).

Each page (other counters' events with their dossier snapshots, the district's status
changes, catalogue and calendar publications) is applied together with the new cursor in one local
transaction, so a crash never advances the cursor past data it did not keep. Pulled events are
written to the local history directly — never to the outbox, so they are not sent back. After a
restore (`KEY_RECOVER_OWN`) the pull asks for this counter's own events too: those recorded after
the backup come back, and the code counter moves past the codes they used.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, text, update
from sqlmodel import Session, col, select

from counter_app import clock
from counter_app.db.models import Applicant, CodeCounter, Dossier, DossierDocument, StatusEvent
from counter_app.db.store import Store
from counter_app.digitise import filestore
from counter_app.domain import holidays
from counter_app.domain.codes import parse_dossier_code
from counter_app.domain.ids import new_id
from counter_app.domain.text import fold
from counter_app.errors import UserError
from counter_app.services import audit, calendar_store, catalogue, settings
from counter_app.services.office import require_office
from counter_app.sync.client import SyncClient
from counter_app.sync.engine import KEY_CURSOR, KEY_PUBLIC_URL, KEY_RECOVER_OWN
from counter_app.sync.protocol import (
    Cursor,
    DossierSnapshot,
    EventPayload,
    FeedEvent,
    Publication,
    PullResponse,
    SnapshotPerson,
    event_key,
)

log = logging.getLogger(__name__)

MAX_PULL_PAGES = 10_000  # a bound, not a target: 5M events at 500 a page

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
            if settings.get(session, KEY_PUBLIC_URL) != page.public_url:
                settings.put(session, KEY_PUBLIC_URL, page.public_url)
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
    events: list[tuple[FeedEvent, EventPayload, DossierSnapshot]] = []
    for item in items:
        try:
            ev = EventPayload.model_validate(item.payload)
        except ValidationError:
            log.warning("pulled event %s is malformed; skipped", item.seq)
            continue
        snap = DossierSnapshot.of(ev.dossier)
        if snap.agency_code in (None, agency_code):
            events.append((item, ev, snap))
    if not events:
        return 0
    known = set()
    for chunk in _chunks([ev.event_id for _, ev, _ in events]):
        known.update(session.exec(select(StatusEvent.id).where(col(StatusEvent.id).in_(chunk))).all())
    dossier_ids = sorted({ev.dossier_id for _, ev, _ in events})
    existing: set[str] = set()
    latest: dict[str, str] = {}
    for chunk in _chunks(dossier_ids):
        existing.update(session.exec(select(Dossier.id).where(col(Dossier.id).in_(chunk))).all())
        for did, at, eid in session.exec(select(StatusEvent.dossier_id, StatusEvent.at, StatusEvent.id)
                                         .where(col(StatusEvent.dossier_id).in_(chunk))).all():
            latest[did] = max(latest.get(did, ""), event_key(at, eid))
    codes_taken: dict[str, str] = {}
    for chunk in _chunks(sorted({snap.code for _, _, snap in events})):
        rows = session.exec(select(Dossier.code, Dossier.id).where(col(Dossier.code).in_(chunk))).all()
        codes_taken.update(dict(rows))

    new_dossiers: dict[str, dict[str, Any]] = {}
    applicants: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    updates: dict[str, dict[str, Any]] = {}
    history: list[dict[str, Any]] = []
    papers: list[tuple[str, str, str, str, dict[str, Any]]] = []
    page_keys: set[int] = set()
    for item, ev, snap in events:
        if ev.event_id in known:
            continue  # ours, or pulled before
        did = ev.dossier_id
        if did not in existing and did not in new_dossiers:
            row = _new_dossier_rows(session, ev, snap, codes_taken, page_keys, applicants, documents)
            if row is None:
                continue
            new_dossiers[did] = row
        key = event_key(ev.at, ev.event_id)
        if key > latest.get(did, ""):
            latest[did] = key
            state = _state_from(ev, snap)
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
        if ev.kind == filestore.EVENT_KIND and isinstance(details, dict):
            papers.append((did, ev.event_id, clock.iso(clock.parse_iso(ev.at)), ev.officer, details))
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
    filestore.record_pulled(session, papers)  # another counter's scans: listed here, fetched when opened
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


def _state_from(ev: EventPayload, snap: DossierSnapshot) -> dict[str, Any]:
    """The dossier columns an event's snapshot decides (status and what may change after intake)."""
    sent = snap.model_fields_set
    state: dict[str, Any] = {"status": ev.to_status, "updated_at": clock.iso(clock.now())}
    state.update({name: getattr(snap, name) for name in _MUTABLE if name in sent})
    if "recipient" in sent:
        recipient = snap.recipient or SnapshotPerson()
        state["recipient_name"] = recipient.full_name or None
        state["recipient_id_number"] = recipient.id_number or None
        state["recipient_relation"] = recipient.relation or None
    return state


def _new_dossier_rows(session: Session, ev: EventPayload, snap: DossierSnapshot, codes_taken: dict[str, str],
                      page_keys: set[int], applicants: list[dict[str, Any]],
                      documents: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Another counter's dossier, so a slip printed there scans here. No outbox entry: it is the
    other counter's to send, and it already did."""
    from counter_app.services.intake import _search_key  # the one place the index key is made

    code = snap.code
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
    person = snap.applicant
    applicant_id = new_id()
    applicants.append({
        "id": applicant_id, "full_name": person.full_name, "name_folded": fold(person.full_name),
        "id_number": person.id_number, "old_id_number": person.old_id_number, "birth_date": person.birth_date or None,
        "gender": person.gender, "address": person.address, "phone": person.phone, "email": person.email,
        "extra_json": json.dumps(person.extra, ensure_ascii=False),
    })
    documents.extend({"dossier_id": ev.dossier_id, "position": position, "name": doc.name, "form": doc.form,
                      "count": doc.count or 1} for position, doc in enumerate(snap.documents, 1))
    received = clock.parse_iso(snap.received_at or ev.at)
    stamp = clock.iso(clock.now())
    search_key = _search_key(session, received)
    # _search_key sees stored rows only: step past keys given earlier in this page (upwards, where
    # no stored key of this millisecond can be).
    while search_key in page_keys:
        search_key += 1
    page_keys.add(search_key)
    return {
        "id": ev.dossier_id, "code": code, "search_key": search_key, "agency_code": parsed.agency_code,
        "counter": parsed.counter, "procedure_code": snap.procedure_code, "procedure_name": snap.procedure_name,
        "working_days": snap.working_days, "applicant_id": applicant_id, "status": ev.to_status,
        "channel": snap.channel or 1, "sets": snap.sets or 1, "received_at": clock.iso(received),
        "start_at": snap.start_at or clock.iso(received), "due_at": snap.due_at,
        "returned_at": None, "recipient_name": None, "recipient_id_number": None, "recipient_relation": None,
        "note": "", "officer": snap.officer, "created_at": stamp, "updated_at": stamp,
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
