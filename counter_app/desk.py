"""The counter window's one door to the core: plain values in, plain dataclasses and dicts out (a
dossier as counter_app/desk_types.py types it).

Each `Desk` method opens its own transaction (`store.read()` / `store.write()`) and calls the
services, so the window never holds a session or sees a table. The methods are meant to run on
the window's store lane (ui/workers.py), never on the UI thread. This module's own imports stay
light (no SQLAlchemy): the window imports it at start-up and lets the lane pay for the rest.

The window's desk (`open_reading_first`) answers its first screen (`office`, `procedures`,
`worklist`, desk_admin.has_accounts: the `reading()` methods) through a plain read-only connection
(db/plain_store.py) while `open_store` loads SQLAlchemy and opens the store off the lane; every
other method uses the full store, and opens it first if it is not open yet.

The module-level functions (counter_app/desk_fields.py) are pure and quick (field checks, reading an
ID-card QR, searching an already loaded catalogue): the window calls them directly as the officer types.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter_app import clock
from counter_app.db import plain_rows
from counter_app.db.plain_store import PlainStore
from counter_app.desk_fields import (  # noqa: F401 - the window calls them as desk.check_fields …
    agency_code_problem,
    birth_date_iso,
    check_fields,
    read_id_card,
    search_procedures,
)
from counter_app.desk_types import DossierCard, DossierLife, LifeEvent, Saved
from counter_app.domain import actions
from counter_app.domain.actor import Actor
from counter_app.domain.public_papers import PosterJob
from counter_app.domain.scanner_config import ScannerConfig
from counter_app.domain.vn_time import vn_datetime
from counter_app.errors import UserError
from counter_app.sync.status import SyncStatus

if TYPE_CHECKING:
    from counter_app.db.plain_rows import Reader
    from counter_app.db.store import Store
    from counter_app.services.attention import Attention
    from counter_app.services.procedure_specs import ProcedureSpec
    from counter_app.services.search import Page


@dataclass(frozen=True)
class OfficeInfo:
    agency_code: str
    agency_name: str
    office_name: str
    place: str
    counter: int


@dataclass(frozen=True)
class DuePreview:
    received_at: datetime
    due_at: datetime
    warning: str  # empty, or why the date may still move (a provisional holiday on the way)

    @property
    def due_text(self) -> str:
        return vn_datetime(self.due_at)


@dataclass(frozen=True)
class ListFilter:
    """What the dossier list asks for (services/worklist.py reads it)."""

    query: str = ""  # name (diacritics optional), ID number, phone or the start of a code
    statuses: frozenset[int] = frozenset()  # empty: every status
    received_from: date | None = None
    received_to: date | None = None  # inclusive
    deadline: str = ""  # "", "today", "24h" or "overdue"


@dataclass(frozen=True)
class SettingField:
    key: str
    label: str
    kind: str  # text | number | choice | folder
    hint: str
    choices: tuple[tuple[str, str], ...]  # (value, label) for "choice"
    value: Any


class Desk:
    """The store and the one acting person: every write and every audit entry made through this
    desk names `actor` (the logged-in officer at the window, the OS user for the scripted
    interface), and the core's permission gate checks that person's role (docs/roles.md)."""

    def __init__(self, store: Store | None, actor: Actor | None = None, *, plain: PlainStore | None = None,
                 directory: Path | None = None) -> None:
        """On an open `store`; or (store None) reading through `plain` until the store in `directory`
        is opened (open_reading_first)."""
        self._store = store
        self._plain = plain
        self._directory = directory if store is None else store.path.parent
        self._actor = actor

    @classmethod
    def open(cls, data_dir: str | None = None, *, actor: Actor | None = None) -> Desk:
        """Open (creating and migrating as needed) the store in --data-dir, COUNTER_APP_DATA or
        the user's data folder. Without `actor` nobody acts until someone logs in."""
        from counter_app.config import data_dir as resolve
        from counter_app.db.store import Store

        return cls(Store.open(resolve(data_dir)), actor)

    @classmethod
    def open_reading_first(cls, data_dir: str | None = None, *, actor: Actor | None = None) -> Desk:
        """The window's desk: reading through the plain connection when the store needs nothing but
        reading to open (db/plain_store.py), so its first screen comes before SQLAlchemy is loaded;
        otherwise opened as `open` does."""
        from counter_app.config import data_dir as resolve

        directory = resolve(data_dir)
        plain = PlainStore.open(directory)
        if plain is None:
            return cls.open(str(directory), actor=actor)
        return cls(None, actor, plain=plain, directory=directory)

    @property
    def store(self) -> Store:
        """The store; opened here if the desk still reads through the plain connection (the window
        has `open_store` do it off the lane first, so this waits only for a call that came early)."""
        if self._store is None:
            self.use_store(self.open_store())
        assert self._store is not None
        return self._store

    @property
    def store_is_open(self) -> bool:
        return self._store is not None

    @property
    def generation(self) -> int:
        """The store's count of committed writes (0 while nothing but the plain connection is open)."""
        return self._store.generation if self._store is not None else 0

    def open_store(self) -> Store:
        """Open the store this desk reads (SQLAlchemy imported, the schema checked and migrated if it
        must be, the clear files sealed), and load the services the window calls next, so that none
        of it is paid on the store lane. Touches nothing of this desk: safe on another thread while
        the lane reads; `use_store` then hands it over."""
        import importlib

        from counter_app.db.store import Store

        assert self._directory is not None
        store = Store.open(self._directory)
        for module in _WINDOW_SERVICES:
            importlib.import_module(module)
        return store

    def use_store(self, store: Store) -> None:
        """From now on every read and write goes through `store` (on the store lane: a read through
        the plain connection may be under way there until this runs)."""
        self._store = store
        if self._plain is not None:
            self._plain.close()
            self._plain = None

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """One read transaction for the plain reads (db/plain_rows): a session of the store once it
        is open, else the plain connection."""
        if self._store is not None:
            with self._store.read() as session:
                yield session
        else:
            assert self._plain is not None
            with self._plain.read() as conn:
                yield conn

    @property
    def actor(self) -> Actor:
        """Who acts now; a desk nobody is logged in at refuses every write."""
        if self._actor is None:
            raise UserError("Chưa đăng nhập: hãy đăng nhập trước khi làm việc.")
        return self._actor

    @property
    def acting(self) -> Actor | None:
        return self._actor

    def act_as(self, actor: Actor | None) -> None:
        """Log-in and log-out set this (counter_app/desk_admin.py); nothing else does."""
        self._actor = actor

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        if self._plain is not None:
            self._plain.close()

    def office(self) -> OfficeInfo | None:
        with self.reading() as reader:
            office = plain_rows.fetch_one(
                reader, "SELECT agency_code, agency_name, office_name, place, counter FROM office WHERE id = 1", {})
        return _office_info(office) if office is not None else None

    def setup_office(self, *, agency_code: str, agency_name: str, office_name: str = "", place: str = "",
                     counter: int = 0, passphrase: str | None = None) -> OfficeInfo:
        """The first-run dialog's office; `passphrase` the admin's office recovery passphrase (none:
        the recovery code made with the store is shown instead, db/keys.py)."""
        from counter_app.db import keys
        from counter_app.services.office import init_office

        if passphrase is not None:
            keys.check_passphrase(passphrase)  # refused before the office is written
        with self.store.write() as session:
            result = init_office(session, agency_code=agency_code, agency_name=agency_name,
                                 office_name=office_name, place=place, counter=counter)
            info = _office_info(result.office)
        if result.created:
            self.store.set_office_passphrase(passphrase)
        return info

    def take_recovery_code(self) -> str | None:
        """The recovery code this store's opening made (a new or just-encrypted store), once: the
        window shows it to be written down, and it is forgotten."""
        code, self.store.recovery_code = self.store.recovery_code, None
        return code

    def procedures(self) -> list[ProcedureSpec]:
        from counter_app.services.procedure_specs import list_procedures

        with self.reading() as reader:
            return list_procedures(reader)

    def preview_due(self, procedure_code: str, received_at: datetime | None = None) -> DuePreview:
        """The appointment time the form shows before saving (the same calendar as the save)."""
        from counter_app.services import intake

        received = received_at or clock.now()
        with self.store.read() as session:
            due = intake.preview_due(session, procedure_code, received)
        # intake words the provisional-holiday warning; the preview shows the same sentence.
        return DuePreview(received, due.due, " ".join(intake.provisional_warnings(due)))

    def save_intake(self, form: dict[str, Any]) -> Saved:
        """Check and save one intake (the contract's intake object). UserError names the field."""
        from counter_app.services import intake

        request = intake.parse_intake(form)
        with self.store.write() as session:
            result = intake.create_dossier(session, request, actor=self.actor)
        return Saved(DossierCard.of(result.dossier, clock.now()), result.warnings)

    def open_dossier(self, code: str) -> DossierCard:
        """What a scan opens (the dossier as `show` prints it, plus `overdue`); UserError for a
        code of another office, one that does not exist, or something that is not a code."""
        from counter_app.services.lookup import open_by_code

        with self.store.read() as session:
            dossier = open_by_code(session, code)
        return DossierCard.of(dossier, clock.now())

    def worklist(self, flt: ListFilter, before_key: int | None = None, limit: int | None = None) -> Page:
        """One page of the dossier list (rows are services.worklist.WorkRow)."""
        from counter_app.services import worklist

        with self.reading() as reader:
            return worklist.worklist(reader, **asdict(flt), before_key=before_key,
                                     limit=limit or worklist.PAGE_SIZE)

    # --- the dossier's life (workflow) --------------------------------------------------------------

    def dossier_life(self, code: str) -> DossierLife:
        """What the dossier view shows: the dossier (as `open_dossier`), its status history, whether
        its one extension is used (`extended`), and its digitised papers in force (`digitised`)."""
        with self.store.read() as session:
            return _life(session, code)

    def move(self, code: str, status: int, *, note: str = "", missing: list[str] | None = None) -> DossierLife:
        """A status move (docs/rules.md, "Statuses"); UserError, and nothing written, when it is not allowed."""
        from counter_app.services import workflow

        with self.store.write() as session:
            workflow.move(session, code, status, actor=self.actor, note=note, missing=missing)
            return _life(session, code)

    def act(self, code: str, key: str, values: Mapping[str, Any] | None = None) -> DossierLife:
        """One action of the table (domain/actions.py) with what the officer typed for it; the
        return has its own entry (`return_result`), with the recipient."""
        action = actions.BY_KEY[key]
        v = values or {}
        if key == "handover":
            return self.hand_over(code, to_unit=v.get("to_unit", ""), note=v.get("note", ""))
        if key == "extend":
            return self.extend(code, new_due=v["new_due"], reason=v.get("reason", ""))
        if action.target is None or key == "return":
            raise ValueError(f"action {key!r} has its own entry")
        return self.move(code, action.target, note=v.get("reason", ""), missing=v.get("missing"))

    def hand_over(self, code: str, *, to_unit: str, note: str = "") -> DossierLife:
        from counter_app.services import workflow

        with self.store.write() as session:
            workflow.hand_over(session, code, to_unit=to_unit, actor=self.actor, note=note)
            return _life(session, code)

    def extend(self, code: str, *, new_due: datetime, reason: str) -> DossierLife:
        from counter_app.services import workflow

        with self.store.write() as session:
            workflow.extend(session, code, new_due=new_due, reason=reason, actor=self.actor)
            return _life(session, code)

    def return_result(self, code: str, *, full_name: str, id_number: str = "", relation: str = "",
                      rating: int | None = None) -> DossierLife:
        """Hand the result over (9 -> 10) and record to whom; UserError when not ready / already returned."""
        from counter_app.services import workflow

        recipient = workflow.Recipient(full_name, id_number, relation)
        with self.store.write() as session:
            workflow.return_result(session, code, recipient, actor=self.actor, rating=rating)
            return _life(session, code)

    def attention(self, pickup_days: int | None = None) -> Attention:
        """The attention list now; `pickup_days` None: the office setting."""
        from counter_app.services import attention, office_settings

        with self.store.read() as session:
            days = pickup_days if pickup_days is not None else office_settings.value(session, PICKUP_DAYS_KEY)
            return attention.attention(session, pickup_days=days)

    def pickup_days(self) -> int:
        from counter_app.services import office_settings

        with self.store.read() as session:
            return int(office_settings.value(session, PICKUP_DAYS_KEY))

    # --- the office's settings (services/office_settings.py declares them) ---------------------------

    def settings(self) -> dict[str, Any]:
        from counter_app.services import office_settings

        with self.store.read() as session:
            return office_settings.values(session)

    def setting(self, key: str) -> Any:
        from counter_app.services import office_settings

        with self.store.read() as session:
            return office_settings.value(session, key)

    def scanner(self) -> ScannerConfig:
        from counter_app.services import office_settings

        with self.store.read() as session:
            return office_settings.scanner(session)

    def set_scanner(self, config: ScannerConfig) -> ScannerConfig:
        """The scanner's mode, port and speed as office settings (one transaction, audited)."""
        checked = ScannerConfig.checked(config.mode, config.port, config.baud)
        self.set_settings({"scanner.mode": checked.mode, "scanner.port": checked.port, "scanner.baud": checked.baud})
        return checked

    def settings_form(self) -> list[SettingField]:
        """What the settings screen shows: every declared setting with its current value."""
        from counter_app.services import office_settings

        with self.store.read() as session:
            current = office_settings.values(session)
        return [SettingField(o.key, o.label, o.kind, o.hint, o.choices() if o.choices else (), current[o.key])
                for o in office_settings.OPTIONS]

    def set_setting(self, key: str, value: Any) -> Any:
        """Check, store and audit one setting (admin only); the stored value comes back."""
        return self.set_settings({key: value})[key]

    def set_settings(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Several settings in one transaction: all are stored, or (one refused) none."""
        from counter_app.services import office_settings

        with self.store.write() as session:
            return {key: office_settings.put(session, key, value, actor=self.actor) for key, value in changes.items()}

    # --- catalogue and calendar (admin) -------------------------------------------------------------

    def import_catalogue(self, path: str) -> dict[str, int]:
        """A catalogue file (.xlsx, .csv, .json): new codes added, existing ones updated."""
        from pathlib import Path

        from counter_app.services import catalogue

        specs = catalogue.read_catalogue_file(Path(path))
        with self.store.write() as session:
            result = catalogue.import_procedures(session, specs, actor=self.actor)
        return {"added": result.added, "updated": result.updated, "unchanged": result.unchanged}

    def set_calendar_day(self, day: date, kind: str, name: str = "") -> None:
        """A holiday ('off') or a swapped working day ('work') in the office's calendar."""
        from counter_app.services import calendar_store

        with self.store.write() as session:
            calendar_store.set_day(session, day, kind, name, actor=self.actor)

    # --- papers -------------------------------------------------------------------------------------

    def slip_pdf(self, code: str, paper: str = "a5") -> bytes:
        """Mẫu 01 of a stored dossier: A5 pages ("a5") or both copies on one A4 sheet ("a4-2up")."""
        from counter_app.services import papers
        from counter_app.services.permissions import authorize

        with self.store.read() as session:
            authorize(session, self.actor, "print", target=code)
            return papers.slip_pdf(session, code, paper)  # type: ignore[arg-type]  # checked there

    def form_pdf(self, code: str, form: str) -> bytes:
        """Mẫu 02–06 of a stored dossier (UserError when the dossier has no such event)."""
        from counter_app.services import papers
        from counter_app.services.permissions import authorize

        with self.store.read() as session:
            authorize(session, self.actor, "print", target=code)
            return papers.form_pdf(session, code, form)

    def public_pdf(self, job: PosterJob) -> bytes:
        """A public paper (services/posters.py): a procedure's poster, a batch of posters or the
        listing board, as `job` says; UserError for an unknown code, field or paper."""
        from counter_app.services import posters
        from counter_app.services.permissions import authorize

        with self.store.read() as session:
            authorize(session, self.actor, "print", target=job.target)
            if job.kind == "poster":
                return posters.poster_pdf(session, job.code, job.paper)
            if job.kind == "batch":
                return posters.posters_pdf(session, job.field, job.paper)
            return posters.listing_pdf(session, job.field)

    def poster_fields(self) -> list[str]:
        """The catalogue's fields, in the listing board's order (the Niêm yết screen's filter)."""
        from counter_app.services import catalogue, posters

        with self.store.read() as session:
            return posters.fields(catalogue.list_procedures(session))

    def record_print(self, code: str, paper: str, *, detail: dict[str, Any] | None = None) -> None:
        """One line in the audit trail per print, naming the acting officer: `paper` "01" is the slip
        (print.slip), "poster" a procedure's poster or a batch of them (print.poster, `code` the
        procedure or the field), "list" the listing board (print.listing), else print.form."""
        from counter_app.services import audit
        from counter_app.services.permissions import authorize

        action = _PRINT_ACTIONS.get(paper, "print.form")
        with self.store.write() as session:
            authorize(session, self.actor, "print", target=code)
            audit.record(session, self.actor, action, code, {"form": paper, **(detail or {})})

    def sync_status(self) -> SyncStatus:
        """What the status bar says of the district server (sync.commands.sync_status): linked or
        not, events waiting, the last success, what failed."""
        from counter_app.sync.commands import sync_status

        return SyncStatus.of(sync_status(self.store))



PICKUP_DAYS_KEY = "attention.pickup_days"
# What the window calls once its first screen is up (the scanner and paper settings, the sync count,
# the attention list, the backup's state): loaded by open_store, off the store lane.
_WINDOW_SERVICES = ("counter_app.services.office_settings", "counter_app.services.attention",
                    "counter_app.sync.commands", "counter_app.desk_admin")
_PRINT_ACTIONS = {"01": "print.slip", "poster": "print.poster", "list": "print.listing"}


def _life(session: Any, code: str) -> DossierLife:
    from counter_app.digitise.filestore import files_of
    from counter_app.services import workflow
    from counter_app.services.dossiers import dossier_dict
    from counter_app.services.lookup import find_own

    dossier = find_own(session, code)
    events = workflow.history(session, dossier.code)
    return DossierLife(
        card=DossierCard.of(dossier_dict(session, dossier), clock.now()),
        history=tuple(LifeEvent.of(e) for e in events), extended=dossier.extension_count >= 1,
        rating=dossier.rating, paused_at=dossier.paused_at, original_due_at=dossier.original_due_at,
        digitised=tuple(f for f in files_of(session, dossier) if f.current),
        printable_forms=tuple(actions.printable_forms(events)))


def _office_info(office: Any) -> OfficeInfo:
    return OfficeInfo(office.agency_code, office.agency_name, office.office_name, office.place, office.counter)
