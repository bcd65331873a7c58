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
- `file_ref`: which office's events name which digitised file (file_refs.py): who may read it.
- `tally_day`, `tally_work`, `tally_period`: the statistics' running totals per office, kept by
  triggers on `dossier` (migration 0009, counter_app/db/tally_sql.py).

Columns are declared with counter_app/db/schema_kit.py: NOT NULL unless `.null`.
"""

from __future__ import annotations

import sqlalchemy as sa

from counter_app.db import tally_sql
from counter_app.db.schema_kit import BIG, BIG_SEQ, INT, TEXT, columns, s

metadata = sa.MetaData()

device = sa.Table("device", metadata, *columns(
    id=s(36).pk, agency_code=s(20), counter=INT, token_hash=s(64), label=s(200).default(""), created_at=s(32),
    revoked_at=s(32).null),
    sa.UniqueConstraint("token_hash", name="uq_device_token_hash"))

# device_id NULL: made by the district itself (origin "district", else "counter");
# sort_key: protocol.event_key, (UTC time, id).
event = sa.Table("event", metadata, *columns(
    seq=BIG_SEQ, event_id=s(36), dossier_id=s(36), agency_code=s(20), device_id=s(36).null, counter=INT.null,
    origin=s(10), kind=s(32), from_status=INT.null, to_status=INT, at=s(40), sort_key=s(80), payload_hash=s(64),
    payload_json=TEXT, received_at=s(32), batch_id=s(36).null),
    sa.UniqueConstraint("event_id", name="uq_event_event_id"),
    sa.Index("ix_event_agency_seq", "agency_code", "seq"),
    sa.Index("ix_event_dossier", "dossier_id", "sort_key"),
    # Only the events that asked for a supplement: whether a dossier was waiting at a period's end
    # (migration 0010, services/statistics.py Source.waiting_supplement_at_end).
    sa.Index("ix_event_supplement", "dossier_id", "sort_key", sqlite_where=sa.text("to_status = 5"),
             postgresql_where=sa.text("to_status = 5")),
    sqlite_autoincrement=True)  # never reuse a sequence number, even after a failed transaction

dossier = sa.Table("dossier", metadata, *columns(
    id=s(36).pk, agency_code=s(20), code=s(40), counter=INT, status=INT, procedure_code=s(60),
    received_at=s(40), due_at=s(40), returned_at=s(40).null, last_key=s(80), last_event_id=s(36),
    created_at=s(32), updated_at=s(32),
    # From the latest snapshot, for the dashboard's search and statistics (docs/server-web.md):
    # the folded applicant name (counter_app.domain.text.fold) and ID number, the procedure's name,
    # the channel, when the clock started and when processing ended.
    name_folded=s(200).default(""), id_number=s(20).default(""), procedure_name=TEXT.default(""),
    channel=INT.default("1"), start_at=s(40).null, finished_at=s(40).null,
    # How many papers the checklist lists: the digitisation indicators (migration 0008); whether
    # every paper has a kept file, and the result (digitised_flags.py, migration 0009).
    papers=INT.default("0"), digitised=INT.default("0"), result_kept=INT.default("0"),
    # 1: processing ended more than 90 days after the receipt (indexed.long_running, migration 0010).
    long_running=INT.default("0")),
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
    # its index alone (migration 0006). The dossiers open at an instant (migration 0010): those
    # still open, those received in the 90 days before it, and the few long running, each from its
    # own index with every column the query reads (services/statistics.py, _open_at).
    sa.Index("ix_dossier_received_stats", "received_at", "agency_code", "channel", "status"),
    sa.Index("ix_dossier_finished_stats", "finished_at", "received_at", "status", "agency_code", "due_at",
             "start_at", "last_key", "id"),
    sa.Index("ix_dossier_open_stats", "received_at", "finished_at", "status", "agency_code", "due_at", "last_key",
             "id", sqlite_where=sa.text("long_running = 0"), postgresql_where=sa.text("long_running = 0")),
    sa.Index("ix_dossier_long_running", "finished_at", "received_at", "status", "agency_code", "due_at", "last_key",
             "id", sqlite_where=sa.text("long_running = 1"), postgresql_where=sa.text("long_running = 1")),
    sa.Index("ix_dossier_returned_stats", "returned_at", "agency_code"),
)

# result: conflict | invalid; dossier_id: to find the waiting events of a dossier.
review = sa.Table("review", metadata, *columns(
    id=BIG_SEQ, event_id=s(100), payload_hash=s(64), result=s(10), code=s(40), reason=TEXT, device_id=s(36),
    agency_code=s(20), payload_json=TEXT, received_at=s(32), resolved_at=s(32).null, dossier_id=s(36).null),
    # The same refused payload sent again is one case to review, not two.
    sa.UniqueConstraint("event_id", "payload_hash", name="uq_review_event_payload"),
    # Only the open waiting cases (review.py): usually none, so this index stays tiny.
    sa.Index("ix_review_waiting", "agency_code", "dossier_id",
             sqlite_where=sa.text("code = 'waiting' AND resolved_at IS NULL"),
             postgresql_where=sa.text("code = 'waiting' AND resolved_at IS NULL")),
    sa.Index("ix_review_device_received", "device_id", "received_at"))  # the daily room (review.py)

# Events refused for lack of room in review (review.py): only counted, per device and day
# (YYYY-MM-DD, Vietnam time).
review_overflow = sa.Table("review_overflow", metadata, *columns(
    device_id=s(36).pk, day=s(10).pk, events=INT, last_at=s(32)))

# kind: catalogue | calendar; agency_code NULL: every office.
publication = sa.Table("publication", metadata, *columns(
    seq=BIG_SEQ, kind=s(20), agency_code=s(20).null, payload_json=TEXT, published_at=s(32),
    note=s(500).default("")),
    sqlite_autoincrement=True)

batch = sa.Table("batch", metadata, *columns(
    batch_id=s(36).pk, device_id=s(36), events=INT, stored=INT, received_at=s(32)),
    sa.Index("ix_batch_device_received", "device_id", "received_at"))  # a counter's "last seen"

# role: admin | leader | viewer; password_hash: argon2, like the counter's accounts;
# locked_until: the log-in throttle after failures.
staff = sa.Table("staff", metadata, *columns(
    id=s(36).pk, username=s(64), full_name=s(200).default(""), role=s(10), password_hash=s(200),
    created_at=s(32), disabled_at=s(32).null, failed_logins=INT.default("0"), locked_until=s(32).null),
    sa.UniqueConstraint("username", name="uq_staff_username"))

# What each device last asked the pull feed for (web/pull_seen.py): it holds every publication up to
# `publications_after`, so the dashboard can say which offices have a catalogue or calendar.
device_pull = sa.Table("device_pull", metadata, *columns(
    device_id=s(36).pk, at=s(32), events_after=BIG, publications_after=BIG))

# Server-side sessions: only a hash of the cookie is kept, so a copy of the database logs no one in;
# ending a session or disabling its account takes effect on the next request. csrf: the token every
# form of this session posts back.
staff_session = sa.Table("staff_session", metadata, *columns(
    token_hash=s(64).pk, staff_id=s(36), csrf=s(64), created_at=s(32), seen_at=s(32)),
    sa.Index("ix_staff_session_staff", "staff_id"))

# username: as typed, for a failed log-in.
staff_audit = sa.Table("staff_audit", metadata, *columns(
    id=BIG_SEQ, at=s(32), username=s(64), action=s(40), target=s(200).default(""),
    detail_json=TEXT.default("{}"), client=s(64).default("")),
    sa.Index("ix_staff_audit_at", "at"),
    sqlite_autoincrement=True)

# The newest audit-trail head each device reported with a push (audit_heads.py): one row a device.
audit_head = sa.Table("audit_head", metadata, *columns(
    device_id=s(36).pk, agency_code=s(20), counter=INT, seq=BIG, hash=s(64), reported_at=s(32),
    first_reported_at=s(32)))

# A head that does not continue the one held before (kind: older, or rewritten: the same entry with
# another hash): kept for the district to look at; the head itself moves on, so one break is flagged once.
audit_break = sa.Table("audit_break", metadata, *columns(
    id=BIG_SEQ, device_id=s(36), agency_code=s(20), counter=INT, kind=s(10), reported_seq=BIG,
    reported_hash=s(64), held_seq=BIG, held_hash=s(64), held_reported_at=s(32), at=s(32),
    resolved_at=s(32).null),
    sa.Index("ix_audit_break_device", "device_id", "resolved_at"),
    sqlite_autoincrement=True)

# Each office's own procedures (office_procedures.py): what a counter's people added to or changed
# in the office's catalogue, the latest change of each code. `sort_key` orders changes (time, id);
# entry_hash is of the entry as received, procedure_json its ProcedureSpec.to_dict as parsed here.
office_procedure = sa.Table("office_procedure", metadata, *columns(
    agency_code=s(20).pk, code=s(60).pk, entry_id=s(36), entry_hash=s(64), sort_key=s(80),
    procedure_json=TEXT, name=TEXT, officer=s(1000).default(""), device_id=s(36), counter=INT, at=s(40),
    received_at=s(32)),
    sa.Index("ix_office_procedure_code", "code"))  # /thu-tuc/<code> without an office

# What each device last said it still had waiting in its outbox (protocol.WaitingReport).
device_waiting = sa.Table("device_waiting", metadata, *columns(
    device_id=s(36).pk, events=BIG, oldest_age_s=BIG.null, reported_at=s(32)))

# One row per stored "digitised" event (file_refs.py): the file it names, for whom. Read by hash
# and office (may this device send or read the file?) and by dossier (the dashboard's page).
# seen_at: when the server stored the event; file_kind ('component' / 'result') and component (the
# checklist paper, 0 for "giấy tờ khác"): the digitisation indicators (migration 0008).
file_ref = sa.Table("file_ref", metadata, *columns(
    event_id=s(36).pk, sha256=s(64), agency_code=s(20), dossier_id=s(36), seen_at=s(32),
    file_kind=s(10).default("component"), component=INT.default("0")),
    sa.Index("ix_file_ref_sha_agency", "sha256", "agency_code"),
    sa.Index("ix_file_ref_dossier", "dossier_id"))

# The statistics' running totals per office (migration 0009: triggers on `dossier` keep them;
# counter_app/db/tally_sql.py). Counts per (day, office, channel); the resolved dossiers' working
# minutes per (office, day ended, day counted from); the working hours those were counted in.
tally_day = sa.Table("tally_day", metadata, *columns(
    day=s(10).pk, agency_code=s(20).pk, channel=INT.pk,
    **{c: INT.default("0") for c in tally_sql.DISTRICT.counts}),
    sqlite_with_rowid=False)
tally_work = sa.Table("tally_work", metadata, *columns(
    finish_day=s(10).pk, start_day=s(10).pk, agency_code=s(20).pk,
    **{c: INT.default("0") for c in tally_sql.WORK_SUMS}),
    sqlite_with_rowid=False)
tally_period = sa.Table("tally_period", metadata, *columns(start_minute=INT.pk, end_minute=INT))
