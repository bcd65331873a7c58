"""What counters tell about their office besides events: each office's own procedures
(district_server/office_procedures.py) and the events each counter last said it had waiting.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office_procedure",
        sa.Column("agency_code", sa.String(20), primary_key=True),
        sa.Column("code", sa.String(60), primary_key=True),
        sa.Column("entry_id", sa.String(36), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.Column("sort_key", sa.String(80), nullable=False),
        sa.Column("procedure_json", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("officer", sa.String(1000), nullable=False, server_default=""),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("counter", sa.Integer, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("received_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_office_procedure_code", "office_procedure", ["code"])
    op.create_table(
        "device_waiting",
        sa.Column("device_id", sa.String(36), primary_key=True),
        sa.Column("events", sa.BigInteger, nullable=False),
        sa.Column("oldest_age_s", sa.BigInteger, nullable=True),
        sa.Column("reported_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("The server never goes back to an older schema; restore a backup instead.")
