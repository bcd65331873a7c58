"""Audit heads: the newest audit-trail head each counter reported, and the breaks seen in them
(district_server/audit_heads.py).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BigSeq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("device_id", sa.String(36), primary_key=True),
        sa.Column("agency_code", sa.String(20), nullable=False),
        sa.Column("counter", sa.Integer, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("reported_at", sa.String(32), nullable=False),
        sa.Column("first_reported_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "audit_break",
        sa.Column("id", BigSeq, primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("agency_code", sa.String(20), nullable=False),
        sa.Column("counter", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("reported_seq", sa.BigInteger, nullable=False),
        sa.Column("reported_hash", sa.String(64), nullable=False),
        sa.Column("held_seq", sa.BigInteger, nullable=False),
        sa.Column("held_hash", sa.String(64), nullable=False),
        sa.Column("held_reported_at", sa.String(32), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("resolved_at", sa.String(32), nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_audit_break_device", "audit_break", ["device_id", "resolved_at"])


def downgrade() -> None:
    raise NotImplementedError("The server never goes back to an older schema; restore a backup instead.")
