"""What the window reads of a dossier, typed: the desk (counter_app/desk.py) builds these from the
dict `counter-app show` prints (services/dossiers.dossier_dict), so screens read attributes and an
`IntEnum` status instead of indexing string keys. The dict stays the scripted interface's JSON.

Light on purpose, like desk.py: no SQLAlchemy, no Qt (the window imports it at start-up).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from counter_app import clock
from counter_app.domain import deadlines
from counter_app.domain.statuses import Status
from counter_app.domain.vn_time import vn_datetime

if TYPE_CHECKING:
    from counter_app.digitise.filestore import FileRow


@dataclass(frozen=True)
class Applicant:
    full_name: str
    id_number: str
    birth_date: str  # ISO date, or "" when not given
    gender: str
    address: str
    phone: str
    email: str
    old_id_number: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)  # the procedure's own fields, as typed at intake

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Applicant:
        return cls(data["full_name"], data["id_number"], data["birth_date"], data["gender"], data["address"],
                   data["phone"], data["email"], data.get("old_id_number", ""), dict(data.get("extra") or {}))


@dataclass(frozen=True)
class Recipient:
    """Who took the result away (the applicant, or someone for them with `relation`)."""

    full_name: str
    id_number: str = ""
    relation: str = ""

    @classmethod
    def of(cls, data: Mapping[str, Any] | None) -> Recipient | None:
        if not data:
            return None
        return cls(data.get("full_name") or "", data.get("id_number") or "", data.get("relation") or "")


@dataclass(frozen=True)
class Document:
    """One line of the papers handed in."""

    name: str
    form: str  # bản chính, bản sao …
    count: int


@dataclass(frozen=True)
class DossierCard:
    """A dossier as `counter-app show` prints it, plus whether it is overdue now."""

    id: str
    code: str
    status: Status
    status_label: str
    procedure_code: str
    procedure_name: str
    working_days: float
    applicant: Applicant | None
    documents: tuple[Document, ...]
    channel: int
    sets: int
    received_at: str  # ISO times with their offset, as stored
    start_at: str
    due_at: str
    finished_at: str | None
    returned_at: str | None
    recipient: Recipient | None
    note: str
    officer: str
    agency_code: str
    sync: str  # synced | pending | rejected
    overdue: bool

    @classmethod
    def of(cls, data: Mapping[str, Any], now: datetime) -> DossierCard:
        """From `dossier_dict`'s (or `open_by_code`'s) dict; overdue as of `now`."""
        status = Status(data["status"])
        applicant = data.get("applicant")
        return cls(
            id=data["id"], code=data["code"], status=status, status_label=data["status_label"],
            procedure_code=data["procedure_code"], procedure_name=data["procedure_name"],
            working_days=data["working_days"], applicant=Applicant.of(applicant) if applicant else None,
            documents=tuple(Document(d["name"], d["form"], d["count"]) for d in data["documents"]),
            channel=data["channel"], sets=data["sets"], received_at=data["received_at"], start_at=data["start_at"],
            due_at=data["due_at"], finished_at=data["finished_at"], returned_at=data["returned_at"],
            recipient=Recipient.of(data["recipient"]), note=data["note"], officer=data["officer"],
            agency_code=data["agency_code"], sync=data["sync"],
            overdue=deadlines.is_overdue(status, clock.parse_iso(data["due_at"]), now),
        )

    @property
    def applicant_name(self) -> str:
        return self.applicant.full_name if self.applicant else ""

    @property
    def due_text(self) -> str:
        return vn_datetime(clock.parse_iso(self.due_at))


@dataclass(frozen=True)
class LifeEvent:
    """One line of the dossier's history (services/workflow.history): a move, a hand-over, an
    extension, a return, a paper digitised. Fields an event of its kind does not record stay empty."""

    event_id: str
    kind: str  # domain/event_kinds.py
    from_status: Status | None  # None for the intake
    status: Status | None
    at: str
    officer: str
    actor: str
    note: str
    to_unit: str = ""  # a hand-over
    missing: tuple[str, ...] = ()  # a supplement request
    new_due_at: str | None = None  # an extension
    previous_due_at: str | None = None
    recipient: Recipient | None = None  # a return
    rating: int | None = None

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> LifeEvent:
        return cls(
            event_id=data["event_id"], kind=data["kind"], from_status=_status(data.get("from_status")),
            status=_status(data.get("status")), at=data["at"], officer=data.get("officer") or "",
            actor=data.get("actor") or "", note=data.get("note") or "", to_unit=data.get("to_unit") or "",
            missing=tuple(data.get("missing") or ()), new_due_at=data.get("new_due_at"),
            previous_due_at=data.get("previous_due_at"), recipient=Recipient.of(data.get("recipient")),
            rating=data.get("rating"),
        )


@dataclass(frozen=True)
class DossierLife:
    """What the dossier view shows: the card, its history, and what its actions depend on."""

    card: DossierCard
    history: tuple[LifeEvent, ...]
    extended: bool  # its one extension (Mẫu 04) is used
    rating: int | None  # 1 satisfied, 2 neutral, 3 not satisfied; None until rated at return
    paused_at: str | None  # while a supplement request stops the clock
    original_due_at: str | None  # the first appointment, once an extension moved it
    digitised: tuple[FileRow, ...]  # its papers kept as files, those in force
    printable_forms: tuple[str, ...]  # the forms its history can print again (domain/actions.py)

    @property
    def code(self) -> str:
        return self.card.code

    @property
    def status(self) -> Status:
        return self.card.status


@dataclass(frozen=True)
class Saved:
    """A new dossier, as intake saved it, and what the officer should know about its date."""

    dossier: DossierCard
    warnings: tuple[str, ...]

    @property
    def code(self) -> str:
        return self.dossier.code

    @property
    def due_text(self) -> str:
        return self.dossier.due_text


def _status(value: int | None) -> Status | None:
    return None if value is None else Status(value)
