"""Audit heads: the newest audit-trail head each counter reported, and the breaks seen in them
(district_server/audit_heads.py)."""

from __future__ import annotations

from alembic import op

from counter_app.db.schema_kit import BIG, BIG_SEQ, INT, columns, s
from counter_app.db.schema_kit import downgrade as downgrade

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table("audit_head", *columns(
        device_id=s(36).pk, agency_code=s(20), counter=INT, seq=BIG, hash=s(64), reported_at=s(32),
        first_reported_at=s(32)))
    op.create_table("audit_break", *columns(
        id=BIG_SEQ, device_id=s(36), agency_code=s(20), counter=INT, kind=s(10), reported_seq=BIG,
        reported_hash=s(64), held_seq=BIG, held_hash=s(64), held_reported_at=s(32), at=s(32),
        resolved_at=s(32).null),
        sqlite_autoincrement=True)
    op.create_index("ix_audit_break_device", "audit_break", ["device_id", "resolved_at"])

