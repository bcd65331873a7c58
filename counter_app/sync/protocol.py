"""The sync protocol between a counter and the district server: one module, imported by both ends,
so a field renamed on one side cannot silently disagree with the other.

Push: `POST /v1/push` with a `PushRequest`; the answer is a `PushResponse` carrying the protocol
marker, the batch id and one result per event sent, in the order sent. Anything else (a captive
portal's 200 HTML page, truncated JSON, a missing id) is not an acknowledgement and the events stay
pending. Events travel as the outbox wrote them (raw JSON objects): the server hashes exactly what it
received, so "same id, different payload" is detected whatever fields a newer client adds.

Pull: `GET /v1/pull?events_after=N&publications_after=M` returns what the other counters of the same
office recorded and what the district changed (`FeedEvent`), and catalogue / calendar updates
(`Publication`), each list ordered by a monotonic server sequence; the client stores the `Cursor`.
`own=1` adds the device's own events (a counter restored from an older backup takes its later
events back); the answer says `own: true` when the server did so.

Additions stay backward compatible (docs/sync.md): a newer counter says what it understands in the
push's `features` (a server answers `held` only to a counter that lists it) and adds its audit
trail's head (`audit_head`); an older server ignores both, an older counter sends neither.
Likewise `waiting` (how many events the counter still has to send, WaitingReport) and
`procedures` (the office's own catalogue changes, OfficeProcedure, answered in the push answer's
`procedures`): an older server ignores them and answers none, so the counter keeps its procedures
pending until the server is upgraded.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from counter_app.domain.vn_time import VN_TZ

PROTOCOL = "qmc-sync/1"
SERVICE = "quay-mot-cua-district"
# The district server's public status page of one dossier: the slip's look-up QR points at
# f"{server}{LOOKUP_PATH}{code}" unless the office set its own address (papers.lookup_url).
LOOKUP_PATH = "/tra-cuu/"

# Limits the server enforces (413 beyond them) and the client stays well under.
MAX_BATCH_EVENTS = 1000
MAX_BODY_BYTES = 16 * 1024 * 1024  # after decompression; a 1,000-event batch is ~2 MB
CLIENT_BATCH_EVENTS = 500
PULL_PAGE_EVENTS = 500
PULL_PAGE_PUBLICATIONS = 20

# Clock skew tolerated between a counter and the server (same as intake's own future check).
MAX_FUTURE = timedelta(minutes=10)
OLDEST_EVENT_YEAR = 2000

# Event kinds the server accepts. One list for both ends: a new kind of event in the counter app
# must be added here, or the server rejects it for review (never silently stores it).
EVENT_KINDS: frozenset[str] = frozenset({
    "intake",  # the dossier is received (2) or refused at intake (3)
    "move",  # a status move (docs/rules.md, "Statuses"); also the district's own moves
    "handover",  # passed to / back from the processing officer or agency
    "supplement",  # supplement requested (5): the clock stops
    "resume",  # the complete dossier came back: the clock restarts
    "extension",  # apology and extension (Mẫu 04), once per dossier
    "refusal",
    "withdrawal",
    "stop",
    "result",  # result ready (9)
    "return",  # result handed over (10)
    "rating",  # satisfaction at return
    "note",
    "correction",
    # a paper of the dossier (or its result) was digitised: the status stays; the details name the
    # file (code, component, name, file_kind, sha256, pages, size), whose bytes follow apart (sync/uploads.py)
    "digitised",
})

PushOutcome = Literal["stored", "duplicate", "conflict", "invalid", "held"]
ACKNOWLEDGED: frozenset[str] = frozenset({"stored", "duplicate"})  # the server holds exactly this event
# "held": valid, but its predecessor has not reached the server yet; the server keeps it and applies
# it when the predecessor arrives. The counter keeps it pending (a resend answers "duplicate" once
# it was applied). Older counters are answered "invalid" (code "waiting") instead, as before.
HELD = "held"
FEATURE_HELD = "held"  # in PushRequest.features: this counter understands the "held" outcome
FEATURE_AUDIT = "audit_head"
CLIENT_FEATURES: tuple[str, ...] = (FEATURE_HELD, FEATURE_AUDIT)

# The office's own procedures (OfficeProcedure) one push may carry; a commune's whole catalogue
# imported at once is a few hundred, and the client's batches hold at most CLIENT_BATCH_EVENTS rows.
MAX_BATCH_PROCEDURES = 1000
ProcedureOutcome = Literal["stored", "duplicate", "superseded", "conflict", "invalid"]
# "superseded": valid, but the server already holds a later change of that procedure from the same
# office; nothing to resend, so acknowledged like "stored".
PROCEDURE_ACKNOWLEDGED: frozenset[str] = frozenset({"stored", "duplicate", "superseded"})
# A counter reports what it still has waiting at least this often (an empty push when it has
# nothing else to send); the dashboard flags a counter whose last report is older than STALE.
WAITING_REPORT_EVERY = timedelta(hours=1)
WAITING_REPORT_STALE = timedelta(hours=3)

_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _not_a_boolean(value: Any) -> Any:  # noqa: ANN401
    if isinstance(value, bool):
        raise ValueError("phải là một số nguyên, không phải true/false")
    return value


# A JSON integer (91796.0 is one, as JSON Schema counts); true and false are not, though pydantic's
# lax mode would read them as 1 and 0.
Whole = Annotated[int, BeforeValidator(_not_a_boolean)]
# An optional one from 0 to 2**63 - 1 (2**31 - 1 for a count). Not `Whole | None` with bounds on the
# Field: pydantic then writes them into the schema as "ge"/"le", which JSON Schema does not know, and
# Schemathesis sends what the model refuses.
MaybeSeq = Annotated[Annotated[int, Field(ge=0, le=2**63 - 1)] | None, BeforeValidator(_not_a_boolean)]
MaybeCount = Annotated[Annotated[int, Field(ge=0, le=2**31 - 1)] | None, BeforeValidator(_not_a_boolean)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class EventPayload(BaseModel):
    """One outbox payload (counter_app/sync/outbox.py): the event and the dossier as it stood after it.

    Extra fields are kept (a newer counter may add some); the server stores the payload as received.
    """

    model_config = ConfigDict(extra="allow")

    event_id: str
    kind: str
    dossier_id: str
    from_status: int | None = None
    to_status: int = Field(ge=1, le=10)
    at: str
    officer: str = Field(default="", max_length=1000)
    actor: str = Field(default="officer", max_length=40)
    note: str = ""  # no limit of its own: an officer's long note must not get an event refused
    dossier: dict[str, Any]

    @field_validator("event_id", "dossier_id")
    @classmethod
    def _uuid(cls, value: str) -> str:
        if not _UUID_RE.match(value):
            raise ValueError("phải là một UUID viết thường")
        return value

    @field_validator("from_status")
    @classmethod
    def _status(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= 10:
            raise ValueError("mã trạng thái phải từ 1 đến 10")
        return value

    @field_validator("at")
    @classmethod
    def _time(cls, value: str) -> str:
        parse_time(value)
        return value


class _Lenient(_Model):
    """Read as far as it goes: a field missing or of another kind than the counters write reads as
    its default. The payload is kept as received, and one odd field must not stop a dossier being
    filed (nor a whole pull with it). Strict types, so JSON's true is not a 1 nor "3" a 3."""

    @model_validator(mode="wrap")
    @classmethod
    def _as_far_as_it_goes(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:  # noqa: ANN401
        try:
            return handler(data)
        except ValidationError as exc:
            if not isinstance(data, dict):
                raise  # not an object at all: the field that holds it reads as its default
            bad = {err["loc"][0] for err in exc.errors() if err["loc"]}
            return handler({k: v for k, v in data.items() if k not in bad})


class SnapshotPerson(_Lenient):
    """The applicant (or the recipient at the return) in a dossier snapshot."""

    full_name: StrictStr = ""
    id_number: StrictStr = ""
    old_id_number: StrictStr = ""
    birth_date: StrictStr = ""
    gender: StrictStr = ""
    address: StrictStr = ""
    phone: StrictStr = ""
    email: StrictStr = ""
    extra: dict[str, Any] = Field(default_factory=dict)
    relation: StrictStr = ""  # the recipient's, to the applicant


class SnapshotPaper(_Lenient):
    """One line of the dossier's checklist of papers."""

    name: StrictStr = ""
    form: StrictStr = ""
    count: StrictInt | None = None


class DossierSnapshot(_Lenient):
    """The dossier as it stood after an event (EventPayload.dossier, written by
    counter_app/services/dossiers.dossier_dict), read the one way both ends read it: a counter
    filing another counter's dossier (sync/pull.py) and the server keeping each dossier's state
    (district_server/ingest.py, indexed.py). What must be right for an event to be taken at all
    (the code, the times, the office) the server checks on the payload itself
    (district_server/event_checks.py)."""

    id: StrictStr | None = None
    code: StrictStr = ""
    agency_code: StrictStr | None = None
    procedure_code: StrictStr = ""
    procedure_name: StrictStr = ""
    working_days: StrictFloat = 0.0
    applicant: SnapshotPerson = SnapshotPerson()
    documents: list[SnapshotPaper] = Field(default_factory=list)
    channel: StrictInt | None = None
    sets: StrictInt | None = None
    received_at: StrictStr = ""
    start_at: StrictStr = ""
    due_at: StrictStr = ""
    finished_at: StrictStr | None = None
    returned_at: StrictStr | None = None
    recipient: None | SnapshotPerson = None
    note: StrictStr = ""
    officer: StrictStr = ""
    original_due_at: StrictStr | None = None
    extension_count: StrictInt = 0
    paused_at: StrictStr | None = None
    rating: StrictInt | None = None

    @field_validator("documents", mode="before")
    @classmethod
    def _lines_as_objects(cls, value: Any) -> Any:  # noqa: ANN401
        # A line that is not an object reads as an empty one, so the others keep their places.
        return [v if isinstance(v, dict) else {} for v in value] if isinstance(value, list) else value

    @classmethod
    def of(cls, snapshot: Any) -> DossierSnapshot:  # noqa: ANN401 - whatever the payload held
        return cls.model_validate(snapshot if isinstance(snapshot, dict) else {})


class AuditHead(_Model):
    """The newest entry of a counter's audit trail (counter_app/services/audit.py): its sequence
    number and hash. The anchor is the head the counter sent last time, with the hash its trail has
    for that entry now ("" when the entry is gone): the server checks it against what it holds, so
    entries deleted and then written over are caught even when the head moved on past them."""

    # Patterns rather than validators: they are part of the published schema (Schemathesis holds
    # the server to it).
    seq: Whole = Field(ge=0, le=2**63 - 1)
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    anchor_seq: MaybeSeq = None
    anchor_hash: str | None = Field(default=None, pattern=r"^([0-9a-f]{64})?$")


def _iso_time(value: str) -> str:
    parse_time(value)
    return value


IsoTime = Annotated[str, AfterValidator(_iso_time)]  # parse_time reads it


class WaitingReport(_Model):
    """What the counter's outbox still holds once this batch is in: events waiting to be sent (not
    counting those the server refused, which wait for a person), and how long the oldest of them
    has waited. An age, not a time: a counter's clock that is off does not make it wrong."""

    events: Whole = Field(ge=0, le=2**31 - 1)
    oldest_age_s: MaybeCount = None  # None: nothing waits


class ProcedureFacts(_Model):
    """A procedure as the catalogue holds it (services/catalogue.ProcedureSpec.to_dict). The shape is
    checked here; the catalogue's own rules (half days, forms of papers …) by catalogue.parse_procedure
    on the server, the same function the counter's import uses."""

    code: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,59}$")
    name: str = Field(min_length=1, max_length=2000)
    field: str = Field(default="", max_length=500)
    working_days: float = Field(ge=0, le=365)
    fee: str = Field(default="", max_length=2000)
    fee_amount: Whole | None = Field(default=None, ge=0, le=2**53)
    documents: list[dict[str, Any]] = Field(default_factory=list, max_length=200)


class OfficeProcedure(_Model):
    """One change the office made to its own catalogue (an import by a person on the counter:
    services/catalogue.import_procedures), the procedure as it stands after it. Versioned by `v`: a
    server that does not know the version refuses the entry (code `unknown_version`) and keeps it
    out, rather than reading fields it does not know."""

    v: Literal[1]
    entry_id: str = Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    at: IsoTime  # when the office made the change: the later change of a procedure replaces the earlier
    officer: str = Field(default="", max_length=1000)
    procedure: ProcedureFacts


class ProcedureResult(_Model):
    entry_id: str
    result: ProcedureOutcome
    code: str = ""  # bad_procedure, unknown_version, future_time, payload_mismatch, …
    reason: str = ""  # Vietnamese


class PushOptions(_Model):
    """What a push says besides its events; an older counter says none of it."""

    features: list[str] = Field(default_factory=list, max_length=20)  # what this counter understands
    audit_head: AuditHead | None = None
    waiting: WaitingReport | None = None
    # OfficeProcedure objects, each checked on its own: a bad one is refused alone, never its batch.
    procedures: list[Any] = Field(default_factory=list, max_length=MAX_BATCH_PROCEDURES)


class PushRequest(PushOptions):
    protocol: Literal["qmc-sync/1"]
    batch_id: str
    events: list[dict[str, Any]] = Field(max_length=MAX_BATCH_EVENTS)

    @field_validator("batch_id")
    @classmethod
    def _batch_uuid(cls, value: str) -> str:
        uuid.UUID(value)
        return value


class EventResult(_Model):
    event_id: str
    result: PushOutcome
    code: str = ""  # machine-readable reason: future_time, unknown_kind, other_agency, payload_mismatch, …
    reason: str = ""  # Vietnamese, shown to the officer beside the event


class PushResponse(_Model):
    protocol: Literal["qmc-sync/1"]
    batch_id: str
    results: list[EventResult]
    replayed: bool = False  # this batch id was seen before (every event then comes back a duplicate)
    server_time: str
    # The audit head the server now holds for this device (None: none sent, or an older server).
    audit_head: AuditHead | None = None
    # One per procedure sent, in the order sent; empty from an older server.
    procedures: list[ProcedureResult] = Field(default_factory=list)


class Cursor(_Model):
    events: int = Field(default=0, ge=0)
    publications: int = Field(default=0, ge=0)


class FeedEvent(_Model):
    seq: int
    origin: Literal["counter", "district"]
    counter: int | None = None  # the counter that recorded it; None for the district's own changes
    payload: dict[str, Any]  # an EventPayload, as stored


class Publication(_Model):
    seq: int
    kind: Literal["catalogue", "calendar"]
    agency_code: str | None = None  # None: for every office
    payload: dict[str, Any]  # catalogue: {"procedures": [...]}; calendar: a year table (holidays.py)
    published_at: str


class PullResponse(_Model):
    protocol: Literal["qmc-sync/1"]
    events: list[FeedEvent]
    publications: list[Publication]
    cursor: Cursor
    more: bool
    own: bool = False  # the device's own events are included (asked with own=1)
    # Where citizens open the slip's look-up QR (the district's address with a real certificate),
    # None when the district set none: counter_app/services/papers.lookup_url.
    public_url: str | None = None


class AuditBreak(_Model):
    """A break the server saw in a device's reported audit heads (district_server/audit_heads.py)."""

    id: int
    kind: Literal["older", "rewritten"]
    reported_seq: int
    held_seq: int
    at: str
    message: str  # Vietnamese


class AuditCheck(_Model):
    """`GET /v1/audit-head`: what the server holds of this device's audit trail."""

    protocol: Literal["qmc-sync/1"]
    head: AuditHead | None = None
    reported_at: str | None = None
    breaks: list[AuditBreak] = Field(default_factory=list)  # not yet dealt with by the district


class DeviceInfo(_Model):
    protocol: Literal["qmc-sync/1"]
    device_id: str
    agency_code: str
    counter: int
    public_url: str | None = None  # as in PullResponse


class Health(_Model):
    status: Literal["ok"]
    service: Literal["quay-mot-cua-district"]
    protocol: str


class ErrorBody(_Model):
    protocol: str  # required: a portal's {"error": …} page must not pass for ours
    error: str  # bad_token, too_large, bad_json, bad_request, …
    message: str  # Vietnamese


# --- helpers shared by both ends ----------------------------------------------------------------


def canonical_json(data: Any) -> str:
    """One text per value: the hash of an event does not depend on key order or spacing."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def payload_hash(data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def parse_time(value: str) -> datetime:
    """An ISO 8601 time with its offset (a time without one is Vietnam time, as everywhere else)."""
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("thời điểm phải là chuỗi ISO 8601")
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=VN_TZ)
    return dt


def event_key(at: str, event_id: str) -> str:
    """The order of events on one dossier: the time it happened (in UTC, so offsets compare), then
    the UUIDv7 id. Both ends use it, so they agree on which event is the latest."""
    utc = parse_time(at).astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S.%f}Z|{event_id}"
