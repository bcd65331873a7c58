"""The server's tables (SQLAlchemy Core, with their own MetaData: the counter app's SQLModel tables
live in the same process during tests and must not collide).

- `event`: every event once (UNIQUE event_id: the database, not an "exists?" check, decides), with
  the payload exactly as received and its hash. `seq` is the pull feed's monotonic sequence.
- `dossier`: the current state of each dossier; its full snapshot is the payload of `last_event_id`
  (not copied, so ingest writes each snapshot once).
- `review`: events refused for a person to look at (same id with another payload, invalid ones,
  moves waiting for their predecessor); `review_overflow` counts what found no room there.
- `publication`: catalogue and calendar updates for the counters, with their own sequence.
- `device`: counters allowed to sync; only a hash of each token is kept.
- `batch`: one row per batch received, for the audit trail and to report replays.
- `staff`, `staff_audit`: district staff accounts of the web dashboard and every action they took
  (docs/server-web.md).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# A 64-bit sequence on PostgreSQL; on SQLite the column must be exactly INTEGER to be the rowid.
BigSeq = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

device = sa.Table(
    "device",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("agency_code", sa.String(20), nullable=False),
    sa.Column("counter", sa.Integer, nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False),
    sa.Column("label", sa.String(200), nullable=False, server_default=""),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("revoked_at", sa.String(32), nullable=True),
    sa.UniqueConstraint("token_hash", name="uq_device_token_hash"),
)

event = sa.Table(
    "event",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("dossier_id", sa.String(36), nullable=False),
    sa.Column("agency_code", sa.String(20), nullable=False),
    sa.Column("device_id", sa.String(36), nullable=True),  # NULL: made by the district itself
    sa.Column("counter", sa.Integer, nullable=True),
    sa.Column("origin", sa.String(10), nullable=False),  # counter | district
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("from_status", sa.Integer, nullable=True),
    sa.Column("to_status", sa.Integer, nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("sort_key", sa.String(80), nullable=False),  # protocol.event_key: (UTC time, id)
    sa.Column("payload_hash", sa.String(64), nullable=False),
    sa.Column("payload_json", sa.Text, nullable=False),
    sa.Column("received_at", sa.String(32), nullable=False),
    sa.Column("batch_id", sa.String(36), nullable=True),
    sa.UniqueConstraint("event_id", name="uq_event_event_id"),
    sa.Index("ix_event_agency_seq", "agency_code", "seq"),
    sa.Index("ix_event_dossier", "dossier_id", "sort_key"),
    sqlite_autoincrement=True,  # never reuse a sequence number, even after a failed transaction
)

dossier = sa.Table(
    "dossier",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("agency_code", sa.String(20), nullable=False),
    sa.Column("code", sa.String(40), nullable=False),
    sa.Column("counter", sa.Integer, nullable=False),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("procedure_code", sa.String(60), nullable=False),
    sa.Column("received_at", sa.String(40), nullable=False),
    sa.Column("due_at", sa.String(40), nullable=False),
    sa.Column("returned_at", sa.String(40), nullable=True),
    sa.Column("last_key", sa.String(80), nullable=False),
    sa.Column("last_event_id", sa.String(36), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
    # From the latest snapshot, for the dashboard's search and statistics (docs/server-web.md):
    # the folded applicant name (counter_app.domain.text.fold) and ID number, the procedure's name,
    # the channel, when the clock started and when processing ended.
    sa.Column("name_folded", sa.String(200), nullable=False, server_default=""),
    sa.Column("id_number", sa.String(20), nullable=False, server_default=""),
    sa.Column("procedure_name", sa.Text, nullable=False, server_default=""),
    sa.Column("channel", sa.Integer, nullable=False, server_default="1"),
    sa.Column("start_at", sa.String(40), nullable=True),
    sa.Column("finished_at", sa.String(40), nullable=True),
    sa.UniqueConstraint("code", name="uq_dossier_code"),
    sa.Index("ix_dossier_agency_code", "agency_code", "code"),
    # Prefix searches (LIKE 'x%'): PostgreSQL uses a btree for them only in byte order (the
    # database's collation may not be C); SQLite's search adds a range on the plain index.
    # The name's index is also the search's order (dossiers.search): on PostgreSQL its first column
    # is `name_folded COLLATE "C"` (migration 0006). Migration 0004 (web face) gives PostgreSQL a
    # text_pattern_ops index of the code.
    sa.Index("ix_dossier_name_code", "name_folded", "code"),
    sa.Index("ix_dossier_id_number", "id_number"),
    sa.Index("ix_dossier_agency_received", "agency_code", "received_at"),
    sa.Index("ix_dossier_agency_finished", "agency_code", "finished_at"),
    # The district's statistics, all offices in one grouped pass, each range query answered from
    # its index alone (migration 0006).
    sa.Index("ix_dossier_received_stats", "received_at", "agency_code", "channel", "status"),
    sa.Index("ix_dossier_finished_stats", "finished_at", "received_at", "status", "agency_code", "due_at", "start_at"),
    sa.Index("ix_dossier_returned_stats", "returned_at", "agency_code"),
)

review = sa.Table(
    "review",
    metadata,
    sa.Column("id", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(100), nullable=False),
    sa.Column("payload_hash", sa.String(64), nullable=False),
    sa.Column("result", sa.String(10), nullable=False),  # conflict | invalid
    sa.Column("code", sa.String(40), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("device_id", sa.String(36), nullable=False),
    sa.Column("agency_code", sa.String(20), nullable=False),
    sa.Column("payload_json", sa.Text, nullable=False),
    sa.Column("received_at", sa.String(32), nullable=False),
    sa.Column("resolved_at", sa.String(32), nullable=True),
    sa.Column("dossier_id", sa.String(36), nullable=True),  # to find the waiting events of a dossier
    # The same refused payload sent again is one case to review, not two.
    sa.UniqueConstraint("event_id", "payload_hash", name="uq_review_event_payload"),
    # Only the open waiting cases (review.py): usually none, so this index stays tiny.
    sa.Index("ix_review_waiting", "agency_code", "dossier_id",
             sqlite_where=sa.text("code = 'waiting' AND resolved_at IS NULL"),
             postgresql_where=sa.text("code = 'waiting' AND resolved_at IS NULL")),
    sa.Index("ix_review_device_received", "device_id", "received_at"),  # the daily room (review.py)
)

# Events refused for lack of room in review (review.py): only counted, per device and day.
review_overflow = sa.Table(
    "review_overflow",
    metadata,
    sa.Column("device_id", sa.String(36), primary_key=True),
    sa.Column("day", sa.String(10), primary_key=True),  # YYYY-MM-DD, Vietnam time
    sa.Column("events", sa.Integer, nullable=False),
    sa.Column("last_at", sa.String(32), nullable=False),
)

publication = sa.Table(
    "publication",
    metadata,
    sa.Column("seq", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),  # catalogue | calendar
    sa.Column("agency_code", sa.String(20), nullable=True),  # NULL: every office
    sa.Column("payload_json", sa.Text, nullable=False),
    sa.Column("published_at", sa.String(32), nullable=False),
    sa.Column("note", sa.String(500), nullable=False, server_default=""),
    sqlite_autoincrement=True,
)

batch = sa.Table(
    "batch",
    metadata,
    sa.Column("batch_id", sa.String(36), primary_key=True),
    sa.Column("device_id", sa.String(36), nullable=False),
    sa.Column("events", sa.Integer, nullable=False),
    sa.Column("stored", sa.Integer, nullable=False),
    sa.Column("received_at", sa.String(32), nullable=False),
    sa.Index("ix_batch_device_received", "device_id", "received_at"),  # a counter's "last seen"
)

staff = sa.Table(
    "staff",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("full_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("role", sa.String(10), nullable=False),  # admin | leader | viewer
    sa.Column("password_hash", sa.String(200), nullable=False),  # argon2, like the counter's accounts
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("disabled_at", sa.String(32), nullable=True),
    sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", sa.String(32), nullable=True),  # log-in throttle after failures
    sa.UniqueConstraint("username", name="uq_staff_username"),
)

# What each device last asked the pull feed for (web/pull_seen.py): it holds every publication up to
# `publications_after`, so the dashboard can say which offices have a catalogue or calendar.
device_pull = sa.Table(
    "device_pull",
    metadata,
    sa.Column("device_id", sa.String(36), primary_key=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("events_after", sa.BigInteger, nullable=False),
    sa.Column("publications_after", sa.BigInteger, nullable=False),
)

# Server-side sessions: only a hash of the cookie is kept, so a copy of the database logs no one in;
# ending a session or disabling its account takes effect on the next request.
staff_session = sa.Table(
    "staff_session",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("staff_id", sa.String(36), nullable=False),
    sa.Column("csrf", sa.String(64), nullable=False),  # the token every form of this session posts back
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("seen_at", sa.String(32), nullable=False),
    sa.Index("ix_staff_session_staff", "staff_id"),
)

staff_audit = sa.Table(
    "staff_audit",
    metadata,
    sa.Column("id", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("username", sa.String(64), nullable=False),  # as typed for a failed log-in
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("target", sa.String(200), nullable=False, server_default=""),
    sa.Column("detail_json", sa.Text, nullable=False, server_default="{}"),
    sa.Column("client", sa.String(64), nullable=False, server_default=""),
    sa.Index("ix_staff_audit_at", "at"),
    sqlite_autoincrement=True,
)

# The newest audit-trail head each device reported with a push (audit_heads.py): one row a device.
audit_head = sa.Table(
    "audit_head",
    metadata,
    sa.Column("device_id", sa.String(36), primary_key=True),
    sa.Column("agency_code", sa.String(20), nullable=False),
    sa.Column("counter", sa.Integer, nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("reported_at", sa.String(32), nullable=False),
    sa.Column("first_reported_at", sa.String(32), nullable=False),
)

# A head that does not continue the one held before (older, or the same entry with another hash):
# kept for the district to look at; the head itself moves on, so one break is flagged once.
audit_break = sa.Table(
    "audit_break",
    metadata,
    sa.Column("id", BigSeq, primary_key=True, autoincrement=True),
    sa.Column("device_id", sa.String(36), nullable=False),
    sa.Column("agency_code", sa.String(20), nullable=False),
    sa.Column("counter", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),  # older | rewritten
    sa.Column("reported_seq", sa.BigInteger, nullable=False),
    sa.Column("reported_hash", sa.String(64), nullable=False),
    sa.Column("held_seq", sa.BigInteger, nullable=False),
    sa.Column("held_hash", sa.String(64), nullable=False),
    sa.Column("held_reported_at", sa.String(32), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("resolved_at", sa.String(32), nullable=True),
    sa.Index("ix_audit_break_device", "device_id", "resolved_at"),
    sqlite_autoincrement=True,
)

# Each office's own procedures (office_procedures.py): what a counter's people added to or changed
# in the office's catalogue, the latest change of each code. `sort_key` orders changes (time, id).
office_procedure = sa.Table(
    "office_procedure",
    metadata,
    sa.Column("agency_code", sa.String(20), primary_key=True),
    sa.Column("code", sa.String(60), primary_key=True),
    sa.Column("entry_id", sa.String(36), nullable=False),
    sa.Column("entry_hash", sa.String(64), nullable=False),  # of the entry as received
    sa.Column("sort_key", sa.String(80), nullable=False),
    sa.Column("procedure_json", sa.Text, nullable=False),  # ProcedureSpec.to_dict, as parsed here
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("officer", sa.String(1000), nullable=False, server_default=""),
    sa.Column("device_id", sa.String(36), nullable=False),
    sa.Column("counter", sa.Integer, nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("received_at", sa.String(32), nullable=False),
    sa.Index("ix_office_procedure_code", "code"),  # /thu-tuc/<code> without an office
)

# What each device last said it still had waiting in its outbox (protocol.WaitingReport).
device_waiting = sa.Table(
    "device_waiting",
    metadata,
    sa.Column("device_id", sa.String(36), primary_key=True),
    sa.Column("events", sa.BigInteger, nullable=False),
    sa.Column("oldest_age_s", sa.BigInteger, nullable=True),
    sa.Column("reported_at", sa.String(32), nullable=False),
)
