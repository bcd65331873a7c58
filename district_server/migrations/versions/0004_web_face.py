"""The web face (docs/server-web.md): the dossier columns the dashboard searches and counts by
(copied from each dossier's latest snapshot, filled here for the dossiers already held), their
indexes, what each device last pulled, and the staff accounts with the audit of what they did.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from district_server.indexed import indexed_columns

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BACKFILL_CHUNK = 1000


def upgrade() -> None:
    with op.batch_alter_table("dossier") as batch:
        batch.add_column(sa.Column("name_folded", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("id_number", sa.String(20), nullable=False, server_default=""))
        batch.add_column(sa.Column("procedure_name", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("channel", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("start_at", sa.String(40), nullable=True))
        batch.add_column(sa.Column("finished_at", sa.String(40), nullable=True))
    op.create_index("ix_dossier_name", "dossier", ["name_folded"], postgresql_ops={"name_folded": "text_pattern_ops"})
    if op.get_bind().dialect.name == "postgresql":  # code prefix search (SQLite uses uq_dossier_code)
        op.create_index("ix_dossier_code_pattern", "dossier", ["code"], postgresql_ops={"code": "text_pattern_ops"})
    op.create_index("ix_dossier_id_number", "dossier", ["id_number"])
    op.create_index("ix_dossier_agency_received", "dossier", ["agency_code", "received_at"])
    op.create_index("ix_dossier_agency_finished", "dossier", ["agency_code", "finished_at"])
    op.create_index("ix_batch_device_received", "batch", ["device_id", "received_at"])
    op.create_table(
        "staff",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("disabled_at", sa.String(32), nullable=True),
        sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.String(32), nullable=True),
        sa.UniqueConstraint("username", name="uq_staff_username"),
    )
    op.create_table(
        "device_pull",
        sa.Column("device_id", sa.String(36), primary_key=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("events_after", sa.BigInteger, nullable=False),
        sa.Column("publications_after", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "staff_session",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("staff_id", sa.String(36), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("seen_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_staff_session_staff", "staff_session", ["staff_id"])
    op.create_table(
        "staff_audit",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(200), nullable=False, server_default=""),
        sa.Column("detail_json", sa.Text, nullable=False, server_default="{}"),
        sa.Column("client", sa.String(64), nullable=False, server_default=""),
        sqlite_autoincrement=True,
    )
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
            conn.execute(sa.update(dossier).where(dossier.c.id == dossier_id).values(**indexed_columns(snapshot)))
        after = rows[-1].id


def downgrade() -> None:
    raise NotImplementedError("The server never goes back to an older schema; restore a backup instead.")
