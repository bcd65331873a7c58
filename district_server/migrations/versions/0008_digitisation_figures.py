"""What the district's digitisation indicators read (counter_app/services/digitisation_stats.py,
docs/server-web.md "Statistics"): each file reference's kind and checklist paper, and each
dossier's checklist size.

- file_ref.file_kind ('component' / 'result') and file_ref.component (the paper, 1-based; 0 for
  "giấy tờ khác"), from the event each row came from (file_refs.ref_of, as ingest fills them);
- dossier.papers, how many papers its latest snapshot lists (indexed.py, as ingest fills it). Here
  it is filled only for the dossiers that have a file: for the others it changes no indicator (a
  dossier without a kept file is not digitised, whatever its checklist), and the next event of
  such a dossier brings its snapshot anyway. That keeps the step to the digitised dossiers instead
  of reading every dossier's latest payload.

Revision ID: 0008
Revises: 0007 (file references)
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from counter_app.db.schema_kit import INT, add_columns, s
from counter_app.db.schema_kit import downgrade as downgrade
from district_server.file_refs import ref_of
from district_server.indexed import papers_of

revision = "0008"
down_revision = "0007"

BACKFILL_CHUNK = 1000


def upgrade() -> None:
    add_columns("file_ref", file_kind=s(10).default("component"), component=INT.default("0"))
    add_columns("dossier", papers=INT.default("0"))
    conn = op.get_bind()
    _fill_file_refs(conn)
    _fill_papers(conn)


def _fill_file_refs(conn: sa.Connection) -> None:
    """Each reference's kind and paper, read from its event by the function ingest uses."""
    file_ref = sa.table("file_ref", *(sa.column(n) for n in ("event_id", "file_kind", "component")))
    event = sa.table("event", *(sa.column(n) for n in ("event_id", "dossier_id", "agency_code", "kind",
                                                          "payload_json", "received_at")))
    after = ""
    while True:
        rows = conn.execute(sa.select(event.c.event_id, event.c.dossier_id, event.c.agency_code, event.c.kind,
                                      event.c.payload_json, event.c.received_at)
                            .join(file_ref, file_ref.c.event_id == event.c.event_id)
                            .where(file_ref.c.event_id > after).order_by(file_ref.c.event_id)
                            .limit(BACKFILL_CHUNK)).mappings().all()
        if not rows:
            return
        for row in rows:
            ref = ref_of(row)
            if ref is not None:
                conn.execute(sa.update(file_ref).where(file_ref.c.event_id == row["event_id"])
                             .values(file_kind=ref["file_kind"], component=ref["component"]))
        after = rows[-1]["event_id"]


def _fill_papers(conn: sa.Connection) -> None:
    """The checklist size of each dossier with a file, from its latest event's snapshot."""
    dossier = sa.table("dossier", *(sa.column(n) for n in ("id", "last_event_id", "papers")))
    event = sa.table("event", sa.column("event_id"), sa.column("payload_json"))
    file_ref = sa.table("file_ref", sa.column("dossier_id"))
    with_files = sa.select(file_ref.c.dossier_id).distinct()
    after = ""
    while True:
        rows = conn.execute(sa.select(dossier.c.id, event.c.payload_json)
                            .join(event, event.c.event_id == dossier.c.last_event_id)
                            .where(dossier.c.id > after, dossier.c.id.in_(with_files))
                            .order_by(dossier.c.id).limit(BACKFILL_CHUNK)).all()
        if not rows:
            return
        for dossier_id, text in rows:
            try:
                snapshot = json.loads(text).get("dossier")
            except (TypeError, ValueError, AttributeError):
                snapshot = None
            conn.execute(sa.update(dossier).where(dossier.c.id == dossier_id).values(papers=papers_of(snapshot)))
        after = rows[-1].id
