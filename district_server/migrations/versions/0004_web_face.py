"""The web face (docs/server-web.md): the dossier columns the dashboard searches and counts by
(copied from each dossier's latest snapshot, filled here for the dossiers already held), their
indexes, what each device last pulled, and the staff accounts with the audit of what they did."""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from counter_app.db.schema_kit import BIG, BIG_SEQ, INT, TEXT, add_columns, columns, s
from counter_app.db.schema_kit import downgrade as downgrade
from district_server.indexed import indexed_columns

revision = "0004"
down_revision = "0003"

BACKFILL_CHUNK = 1000


def upgrade() -> None:
    add_columns("dossier", name_folded=s(200).default(""), id_number=s(20).default(""),
                procedure_name=TEXT.default(""), channel=INT.default("1"), start_at=s(40).null,
                finished_at=s(40).null)
    op.create_index("ix_dossier_name", "dossier", ["name_folded"], postgresql_ops={"name_folded": "text_pattern_ops"})
    if op.get_bind().dialect.name == "postgresql":  # code prefix search (SQLite uses uq_dossier_code)
        op.create_index("ix_dossier_code_pattern", "dossier", ["code"], postgresql_ops={"code": "text_pattern_ops"})
    op.create_index("ix_dossier_id_number", "dossier", ["id_number"])
    op.create_index("ix_dossier_agency_received", "dossier", ["agency_code", "received_at"])
    op.create_index("ix_dossier_agency_finished", "dossier", ["agency_code", "finished_at"])
    op.create_index("ix_batch_device_received", "batch", ["device_id", "received_at"])
    op.create_table("staff", *columns(
        id=s(36).pk, username=s(64), full_name=s(200).default(""), role=s(10), password_hash=s(200),
        created_at=s(32), disabled_at=s(32).null, failed_logins=INT.default("0"), locked_until=s(32).null),
        sa.UniqueConstraint("username", name="uq_staff_username"))
    op.create_table("device_pull", *columns(
        device_id=s(36).pk, at=s(32), events_after=BIG, publications_after=BIG))
    op.create_table("staff_session", *columns(
        token_hash=s(64).pk, staff_id=s(36), csrf=s(64), created_at=s(32), seen_at=s(32)))
    op.create_index("ix_staff_session_staff", "staff_session", ["staff_id"])
    op.create_table("staff_audit", *columns(
        id=BIG_SEQ, at=s(32), username=s(64), action=s(40), target=s(200).default(""),
        detail_json=TEXT.default("{}"), client=s(64).default("")),
        sqlite_autoincrement=True)
    op.create_index("ix_staff_audit_at", "staff_audit", ["at"])
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    """The dossiers held before: their columns from the payload of their latest event, a chunk at a time."""
    dossier = sa.table("dossier", sa.column("id", sa.String), sa.column("last_event_id", sa.String),
                       *(sa.column(n) for n in ("name_folded", "id_number", "procedure_name", "channel",
                                                "start_at", "finished_at")))
    event = sa.table("event", sa.column("event_id", sa.String), sa.column("payload_json", sa.Text))
    after = ""
    while True:
        rows = conn.execute(sa.select(dossier.c.id, event.c.payload_json)
                            .join(event, event.c.event_id == dossier.c.last_event_id)
                            .where(dossier.c.id > after).order_by(dossier.c.id).limit(BACKFILL_CHUNK)).all()
        if not rows:
            return
        for dossier_id, text in rows:
            try:
                snapshot = json.loads(text).get("dossier")
            except (ValueError, AttributeError):
                snapshot = None
            # The columns this step made (later steps add more: indexed_columns names them too).
            values = {k: v for k, v in indexed_columns(snapshot).items() if k in dossier.c}
            conn.execute(sa.update(dossier).where(dossier.c.id == dossier_id).values(**values))
        after = rows[-1].id

