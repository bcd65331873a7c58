"""Pull: what a counter has not seen yet, from its cursor.

Events: every event of the device's office with seq > cursor, except the device's own (it has
them) — unless it asks for them (`own`): a counter restored from an older backup no longer has
its later events, and takes them back this way (the answer says `"own": true`). They come with
the dossier snapshot they carried, so a dossier received at counter 1 can be opened at counter 2.
The district's own status changes are events too (origin "district").
Publications (catalogue, calendar) have their own sequence and cursor.

The answer is assembled as text around the stored payloads (they are JSON already), so a page of
500 dossiers is not parsed and re-serialised on every pull.
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from counter_app.sync.protocol import PROTOCOL, PULL_PAGE_EVENTS, PULL_PAGE_PUBLICATIONS
from district_server.auth import Device
from district_server.database import Database
from district_server.schema import event, publication


def pull_page(db: Database, dev: Device, events_after: int, publications_after: int,
              limit: int = PULL_PAGE_EVENTS, *, own: bool = False, public_url: str | None = None) -> str:
    limit = max(1, min(limit, PULL_PAGE_EVENTS))
    with db.read() as conn:
        stmt = (sa.select(event.c.seq, event.c.origin, event.c.counter, event.c.payload_json)
                .where(event.c.agency_code == dev.agency_code, event.c.seq > events_after))
        if not own:
            stmt = stmt.where(sa.or_(event.c.device_id.is_(None), event.c.device_id != dev.id))
        rows = conn.execute(stmt.order_by(event.c.seq).limit(limit)).all()
        more = len(rows) == limit
        if more:
            next_events = rows[-1].seq
        else:
            # Nothing else for this device up to the office's newest seq in this snapshot: step over
            # its own events, so they are not scanned again on every pull. Safe because an office's
            # writers commit in seq order (database.py).
            top = conn.execute(sa.select(sa.func.max(event.c.seq))
                               .where(event.c.agency_code == dev.agency_code)).scalar()
            next_events = max(events_after, int(top or 0))
        pubs = conn.execute(
            sa.select(publication.c.seq, publication.c.kind, publication.c.agency_code, publication.c.payload_json,
                      publication.c.published_at)
            .where(publication.c.seq > publications_after)
            .where(sa.or_(publication.c.agency_code.is_(None), publication.c.agency_code == dev.agency_code))
            .order_by(publication.c.seq)
            .limit(PULL_PAGE_PUBLICATIONS + 1)
        ).all()
    more_pubs = len(pubs) > PULL_PAGE_PUBLICATIONS
    pubs = pubs[:PULL_PAGE_PUBLICATIONS]
    next_pubs = pubs[-1].seq if pubs else publications_after
    events_json = ",".join(
        f'{{"seq":{r.seq},"origin":{json.dumps(r.origin)},'
        f'"counter":{"null" if r.counter is None else int(r.counter)},"payload":{r.payload_json}}}'
        for r in rows
    )
    pubs_json = ",".join(
        f'{{"seq":{p.seq},"kind":{json.dumps(p.kind)},"agency_code":{json.dumps(p.agency_code)},'
        f'"published_at":{json.dumps(p.published_at)},"payload":{p.payload_json}}}'
        for p in pubs
    )
    more_json = "true" if (more or more_pubs) else "false"
    return (f'{{"protocol":{json.dumps(PROTOCOL)},"events":[{events_json}],"publications":[{pubs_json}],'
            f'"cursor":{{"events":{next_events},"publications":{next_pubs}}},"more":{more_json},'
            f'"own":{"true" if own else "false"},"public_url":{json.dumps(public_url)}}}')
