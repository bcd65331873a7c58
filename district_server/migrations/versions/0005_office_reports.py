"""What counters tell about their office besides events: each office's own procedures
(district_server/office_procedures.py) and the events each counter last said it had waiting."""

from __future__ import annotations

from alembic import op

from counter_app.db.schema_kit import BIG, INT, TEXT, columns, s
from counter_app.db.schema_kit import downgrade as downgrade

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table("office_procedure", *columns(
        agency_code=s(20).pk, code=s(60).pk, entry_id=s(36), entry_hash=s(64), sort_key=s(80),
        procedure_json=TEXT, name=TEXT, officer=s(1000).default(""), device_id=s(36), counter=INT, at=s(40),
        received_at=s(32)))
    op.create_index("ix_office_procedure_code", "office_procedure", ["code"])
    op.create_table("device_waiting", *columns(
        device_id=s(36).pk, events=BIG, oldest_age_s=BIG.null, reported_at=s(32)))

