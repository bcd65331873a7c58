"""The first schema: office, catalogue, applicants, dossiers, documents, events, outbox, codes,
calendar.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agency_code", sa.String, nullable=False),
        sa.Column("agency_name", sa.String, nullable=False),
        sa.Column("office_name", sa.String, nullable=False),
        sa.Column("place", sa.String, nullable=False),
        sa.Column("counter", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("settings_json", sa.String, nullable=False),
    )
    op.create_table(
        "procedure",
        sa.Column("code", sa.String, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("name_folded", sa.String, nullable=False),
        sa.Column("field", sa.String, nullable=False),
        sa.Column("working_days", sa.Float, nullable=False),
        sa.Column("fee", sa.String, nullable=False),
        sa.Column("fee_amount", sa.Integer, nullable=True),
        sa.Column("documents_json", sa.String, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_table(
        "applicant",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("full_name", sa.String, nullable=False),
        sa.Column("name_folded", sa.String, nullable=False),
        sa.Column("id_number", sa.String, nullable=False),
        sa.Column("old_id_number", sa.String, nullable=False),
        sa.Column("birth_date", sa.String, nullable=True),
        sa.Column("gender", sa.String, nullable=False),
        sa.Column("address", sa.String, nullable=False),
        sa.Column("phone", sa.String, nullable=False),
        sa.Column("email", sa.String, nullable=False),
        sa.Column("extra_json", sa.String, nullable=False),
    )
    op.create_index("ix_applicant_id_number", "applicant", ["id_number"])
    op.create_index("ix_applicant_phone", "applicant", ["phone"])
    op.create_table(
        "dossier",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("code", sa.String, nullable=False, unique=True),
        sa.Column("agency_code", sa.String, nullable=False),
        sa.Column("counter", sa.Integer, nullable=False),
        sa.Column("procedure_code", sa.String, nullable=False),
        sa.Column("procedure_name", sa.String, nullable=False),
        sa.Column("working_days", sa.Float, nullable=False),
        sa.Column("applicant_id", sa.String, sa.ForeignKey("applicant.id"), nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("channel", sa.Integer, nullable=False),
        sa.Column("sets", sa.Integer, nullable=False),
        sa.Column("received_at", sa.String, nullable=False),
        sa.Column("start_at", sa.String, nullable=False),
        sa.Column("due_at", sa.String, nullable=False),
        sa.Column("returned_at", sa.String, nullable=True),
        sa.Column("recipient_name", sa.String, nullable=True),
        sa.Column("recipient_id_number", sa.String, nullable=True),
        sa.Column("recipient_relation", sa.String, nullable=True),
        sa.Column("note", sa.String, nullable=False),
        sa.Column("officer", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_index("ix_dossier_received_at", "dossier", ["received_at"])
    op.create_index("ix_dossier_status_due", "dossier", ["status", "due_at"])
    op.create_index("ix_dossier_applicant", "dossier", ["applicant_id"])
    op.create_table(
        "dossier_document",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dossier_id", sa.String, sa.ForeignKey("dossier.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("form", sa.String, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_index("ix_dossier_document_dossier", "dossier_document", ["dossier_id", "position"])
    op.create_table(
        "status_event",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("dossier_id", sa.String, sa.ForeignKey("dossier.id"), nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("from_status", sa.Integer, nullable=True),
        sa.Column("to_status", sa.Integer, nullable=False),
        sa.Column("at", sa.String, nullable=False),
        sa.Column("officer", sa.String, nullable=False),
        sa.Column("actor", sa.String, nullable=False),
        sa.Column("note", sa.String, nullable=False),
        sa.Column("payload_json", sa.String, nullable=False),
    )
    op.create_index("ix_status_event_dossier", "status_event", ["dossier_id", "at"])
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String, nullable=False, unique=True),
        sa.Column("dossier_id", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("payload_json", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("sent_at", sa.String, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.String, nullable=False),
        sa.Column("state", sa.String, nullable=False),
    )
    op.create_index("ix_outbox_pending", "outbox", ["seq"], sqlite_where=sa.text("sent_at IS NULL"))
    op.create_table(
        "code_counter",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agency_code", sa.String, nullable=False),
        sa.Column("day", sa.String, nullable=False),
        sa.Column("counter", sa.Integer, nullable=False),
        sa.Column("last_n", sa.Integer, nullable=False),
        sa.UniqueConstraint("agency_code", "day", "counter"),
    )
    op.create_table(
        "calendar_year",
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("official", sa.Boolean, nullable=False),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_table(
        "calendar_day",
        sa.Column("day", sa.String, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("origin", sa.String, nullable=False),
    )
    op.create_index("ix_calendar_day_year", "calendar_day", ["year"])


def downgrade() -> None:
    raise NotImplementedError("The store never goes back to an older schema; restore a backup instead.")
