"""The office this store belongs to: set once by `init`, read by everything else."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from counter_app import clock
from counter_app.db import plain_rows
from counter_app.db.models import Office
from counter_app.domain.codes import check_counter, normalise_agency_code
from counter_app.domain.text import collapse_spaces, nfc
from counter_app.errors import NotInitialisedError, UserError
from counter_app.services.audit import Actor

DEFAULT_OFFICE_NAME = "Bộ phận tiếp nhận và trả kết quả"


@dataclass(frozen=True)
class InitResult:
    office: Office
    created: bool


def get_office(session: Session) -> Office | None:
    return session.get(Office, 1)


def require_office(session: Session) -> Office:
    office = get_office(session)
    if office is None:
        raise NotInitialisedError()
    return office


def office_identity(session: Session) -> tuple[str, int]:
    """(agency code, counter number): what an intake needs of the office, read plainly
    (db/plain_rows); the ORM row, for anything that changes it, is require_office's."""
    row = plain_rows.fetch_one(session, "SELECT agency_code, counter FROM office WHERE id = 1", {})
    if row is None:
        raise NotInitialisedError()
    return row.agency_code, row.counter


def init_office(
    session: Session,
    *,
    agency_code: str,
    agency_name: str,
    office_name: str = "",
    place: str = "",
    counter: int = 0,
    actor: Actor | None = None,
) -> InitResult:
    """Create the office, the demo catalogue and the shipped calendar; an existing store is kept."""
    code = normalise_agency_code(agency_code)
    counter = check_counter(counter)
    existing = get_office(session)
    if existing is not None:
        if existing.agency_code != code:
            raise UserError(
                f"Kho dữ liệu đã được khởi tạo cho cơ quan {existing.agency_code}; không thể đổi sang "
                f"{code}. Không có gì thay đổi."
            )
        return InitResult(existing, created=False)
    name = collapse_spaces(nfc(agency_name))
    if not name:
        raise UserError("Cần nhập tên cơ quan (ví dụ: UBND xã Bình Mỹ).", field="agency_name")
    office = Office(
        agency_code=code,
        agency_name=name,
        office_name=collapse_spaces(nfc(office_name)) or DEFAULT_OFFICE_NAME,
        place=collapse_spaces(nfc(place)) or _place_from_name(name),
        counter=counter,
        created_at=clock.iso(clock.now()),
    )
    session.add(office)
    from counter_app.services import audit, calendar_store, catalogue

    audit.record(session, actor or audit.SYSTEM, "office.init", code,
                 {"agency_name": office.agency_name, "counter": counter})

    catalogue.import_procedures(session, catalogue.load_shipped_catalogue())
    calendar_store.ensure_shipped_years(session)
    session.flush()
    return InitResult(office, created=True)


def _place_from_name(name: str) -> str:
    """'UBND xã Bình Mỹ' -> 'Bình Mỹ' for the "<place>, ngày …" line when no place was given."""
    lowered = name.lower()
    for prefix in ("ubnd xã ", "ubnd phường ", "ubnd đặc khu ", "ủy ban nhân dân xã ", "ủy ban nhân dân phường "):
        if lowered.startswith(prefix):
            return name[len(prefix):].strip()
    return name
