"""The local store's tables (SQLModel). Times are ISO 8601 strings in Vietnam time (+07:00), so
they sort as text and read back exactly as the officer saw them."""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class Office(SQLModel, table=True):
    __tablename__ = "office"
    id: int = Field(default=1, primary_key=True)
    agency_code: str
    agency_name: str  # the parent body, e.g. "UBND xã Bình Mỹ"
    office_name: str  # the receiving unit printed on every paper
    place: str  # for "<place>, ngày … tháng … năm …"
    counter: int  # 0–9: this counter's slice of the day's dossier numbers
    created_at: str
    settings_json: str = "{}"


class Procedure(SQLModel, table=True):
    __tablename__ = "procedure"
    code: str = Field(primary_key=True)
    name: str
    name_folded: str
    field: str = ""
    working_days: float = 0.0  # halves allowed; 0 = same day
    fee: str = ""
    fee_amount: int | None = None
    documents_json: str = "[]"
    active: bool = True
    updated_at: str


class Applicant(SQLModel, table=True):
    """The person as they presented themselves for one dossier: a snapshot, never edited later,
    so a reprinted slip shows what was handed in that day."""

    __tablename__ = "applicant"
    __table_args__ = (
        Index("ix_applicant_id_number", "id_number"),
        Index("ix_applicant_phone", "phone"),
    )
    id: str = Field(primary_key=True)
    full_name: str
    name_folded: str
    id_number: str = ""
    old_id_number: str = ""
    birth_date: str | None = None
    gender: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    extra_json: str = "{}"


class Dossier(SQLModel, table=True):
    __tablename__ = "dossier"
    __table_args__ = (
        # The statistics' ranges, with every column their queries read (migration 0009).
        Index("ix_dossier_received_stats", "received_at", "status", "channel", "procedure_code", "procedure_name"),
        Index("ix_dossier_status_due", "status", "due_at"),
        Index("ix_dossier_applicant", "applicant_id"),
        Index("ix_dossier_finished_stats", "finished_at", "received_at", "status", "due_at", "start_at",
              "procedure_code"),
        Index("ix_dossier_returned_stats", "returned_at", "rating"),
    )
    id: str = Field(primary_key=True)  # UUIDv7, the sync key
    code: str = Field(sa_column_kwargs={"unique": True})
    # Newest-first ordering key of the search index (FTS5 rowid): received time in ms, made unique.
    search_key: int = Field(sa_column_kwargs={"unique": True})
    agency_code: str
    counter: int
    procedure_code: str
    procedure_name: str
    working_days: float
    applicant_id: str = Field(foreign_key="applicant.id")
    status: int
    channel: int = 1
    sets: int = 1
    received_at: str
    start_at: str  # when the working-time clock started (cut-off, lunch, weekends applied)
    due_at: str
    returned_at: str | None = None
    recipient_name: str | None = None
    recipient_id_number: str | None = None
    recipient_relation: str | None = None
    note: str = ""
    officer: str = ""
    created_at: str
    updated_at: str
    original_due_at: str | None = None  # the first appointment, kept when an extension moves due_at
    extension_count: int = 0  # at most one extension (Mẫu 04) per dossier
    paused_at: str | None = None  # set while a supplement request (5) stops the clock
    rating: int | None = None  # satisfaction at return: 1 satisfied, 2 neutral, 3 not satisfied
    finished_at: str | None = None  # processing ended: result ready (9), withdrawn (7) or stopped (8)


def _count() -> int:
    return Field(default=0, sa_column_kwargs={"server_default": "0"})


class TallyDay(SQLModel, table=True):
    """The statistics' counts per day, kept by triggers on `dossier` (migration 0011)."""

    __tablename__ = "tally_day"
    __table_args__ = {"sqlite_with_rowid": False}
    day: str = Field(primary_key=True)
    procedure_code: str = Field(primary_key=True)
    procedure_name: str = Field(primary_key=True)
    channel: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    received: int = _count()
    refused: int = _count()
    resolved: int = _count()
    early: int = _count()
    on_time: int = _count()
    late: int = _count()
    withdrawn: int = _count()
    stopped: int = _count()
    returned: int = _count()
    rating_1: int = _count()
    rating_2: int = _count()
    rating_3: int = _count()


class TallyWork(SQLModel, table=True):
    """The resolved dossiers' working-minute sums per (day ended, day counted from) (migration 0011)."""

    __tablename__ = "tally_work"
    __table_args__ = {"sqlite_with_rowid": False}
    finish_day: str = Field(primary_key=True)
    start_day: str = Field(primary_key=True)
    dossiers: int = _count()
    finish_minutes: int = _count()
    start_minutes: int = _count()


class TallyPeriod(SQLModel, table=True):
    """The working hours tally_work's minutes are counted in (migration 0011)."""

    __tablename__ = "tally_period"
    start_minute: int = Field(primary_key=True)
    end_minute: int


class DossierDocument(SQLModel, table=True):
    __tablename__ = "dossier_document"
    __table_args__ = (Index("ix_dossier_document_dossier", "dossier_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    dossier_id: str = Field(foreign_key="dossier.id")
    position: int
    name: str
    form: str = ""
    count: int = 1


class StatusEvent(SQLModel, table=True):
    """Append-only history of a dossier; each event keeps the time it happened."""

    __tablename__ = "status_event"
    __table_args__ = (Index("ix_status_event_dossier", "dossier_id", "at"),)
    id: str = Field(primary_key=True)  # UUIDv7
    dossier_id: str = Field(foreign_key="dossier.id")
    kind: str  # intake | move | return | …
    from_status: int | None = None
    to_status: int
    at: str
    officer: str = ""
    actor: str = "officer"  # officer | scripted
    note: str = ""
    payload_json: str = "{}"


class DossierFile(SQLModel, table=True):
    """A digitised paper of a dossier: one PDF kept by its SHA-256 in the data folder's files/
    (counter_app/digitise/filestore.py). Append-only: a component scanned again gets a new row and
    the newest one of (dossier, kind, component) is the one in force."""

    __tablename__ = "dossier_file"
    __table_args__ = (
        Index("ix_dossier_file_dossier", "dossier_id", "kind", "component_index"),
        Index("ix_dossier_file_sha256", "sha256"),
    )
    id: int | None = Field(default=None, primary_key=True)
    dossier_id: str = Field(foreign_key="dossier.id")
    component_index: int  # the checklist's position (1…); 0: a paper outside it, or the result
    component_name: str
    kind: str  # component | result
    pages: int
    size: int
    sha256: str
    created_at: str
    officer: str = ""
    event_id: str = ""  # the status_event (kind "digitised") written with it, and so its outbox entry


class FileSent(SQLModel, table=True):
    """A digitised file the district server holds whole and checked (counter_app/digitise/upload_queue.py)."""

    __tablename__ = "file_sent"
    sha256: str = Field(primary_key=True)
    sent_at: str


class Outbox(SQLModel, table=True):
    """What must reach the district server, written in the same transaction as the change."""

    __tablename__ = "outbox"
    __table_args__ = (
        # state and sent_at too: the waiting counts read the index alone (migration 0008)
        Index("ix_outbox_pending", "seq", "state", "sent_at", sqlite_where=text("sent_at IS NULL")),
        # a dossier's unsent events (its sync state) from the index alone (migration 0010)
        Index("ix_outbox_unsent_dossier", "dossier_id", "state", "sent_at", sqlite_where=text("sent_at IS NULL")),
    )
    seq: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(sa_column_kwargs={"unique": True})
    dossier_id: str
    kind: str
    payload_json: str
    created_at: str
    sent_at: str | None = None
    attempts: int = 0
    last_error: str = ""
    state: str = "pending"  # pending | sent | rejected


class CodeCounter(SQLModel, table=True):
    """The last number issued by one counter on one day; bumped inside the intake transaction."""

    __tablename__ = "code_counter"
    __table_args__ = (UniqueConstraint("agency_code", "day", "counter"),)
    id: int | None = Field(default=None, primary_key=True)
    agency_code: str
    day: str
    counter: int
    last_n: int


class CalendarYear(SQLModel, table=True):
    __tablename__ = "calendar_year"
    year: int = Field(primary_key=True)
    official: bool
    source: str = ""
    updated_at: str


class CalendarDayRow(SQLModel, table=True):
    __tablename__ = "calendar_day"
    day: str = Field(primary_key=True)  # YYYY-MM-DD
    year: int = Field(index=True)
    kind: str  # off | work
    name: str = ""
    origin: str = "shipped"  # shipped | admin | server


class Setting(SQLModel, table=True):
    """Small named values (sync link and cursors, office preferences), JSON-encoded."""

    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value_json: str
    updated_at: str


class Officer(SQLModel, table=True):
    """An officer account: roles officer / leader / admin; the password only as an argon2 hash."""

    __tablename__ = "officer"
    username: str = Field(primary_key=True)
    full_name: str
    role: str
    password_hash: str
    active: bool = True
    failed_count: int = 0
    locked_until: str | None = None  # repeated wrong passwords slow the next attempt down
    created_at: str
    updated_at: str


class AuditEntry(SQLModel, table=True):
    """Append-only; each entry's hash covers the previous entry's hash, so an edit or a deletion
    anywhere breaks the chain from that point on."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target"), {"sqlite_autoincrement": True})
    seq: int | None = Field(default=None, primary_key=True)
    at: str
    actor: str
    actor_kind: str
    action: str
    target: str = ""
    detail_json: str = "{}"
    prev_hash: str
    hash: str


__all__ = [
    "AuditEntry",
    "Officer",
    "Applicant",
    "CalendarDayRow",
    "CalendarYear",
    "CodeCounter",
    "Dossier",
    "DossierDocument",
    "DossierFile",
    "Office",
    "Outbox",
    "Procedure",
    "Setting",
    "StatusEvent",
]
