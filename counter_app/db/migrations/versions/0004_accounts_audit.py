"""Officer accounts and the hash-chained audit trail."""

from __future__ import annotations

from alembic import op

from counter_app.db.schema_kit import BOOL, INT, STR, columns
from counter_app.db.schema_kit import downgrade as downgrade

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table("officer", *columns(
        username=STR.pk, full_name=STR, role=STR, password_hash=STR, active=BOOL, failed_count=INT.default("0"),
        locked_until=STR.null, created_at=STR, updated_at=STR))
    op.create_table("audit_log", *columns(
        seq=INT.serial, at=STR, actor=STR, actor_kind=STR, action=STR, target=STR, detail_json=STR,
        prev_hash=STR, hash=STR),
        sqlite_autoincrement=True)  # a deleted entry leaves a gap instead of a reused number
    op.create_index("ix_audit_log_target", "audit_log", ["target"])
    # Append-only at the database level too: an UPDATE or DELETE through SQLite is refused.
    op.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
               "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
    op.execute("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
               "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")

