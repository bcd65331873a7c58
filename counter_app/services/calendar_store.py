"""The holiday table kept in the store: shipped years, admin edits, updates from the district."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, delete, select

from counter_app import clock
from counter_app.db.models import CalendarDayRow, CalendarYear
from counter_app.domain.calendar import WorkCalendar
from counter_app.domain.holidays import CalendarDay, YearTable, check_year, in_range, provisional_year, shipped_years
from counter_app.domain.text import collapse_spaces, nfc
from counter_app.errors import UserError
from counter_app.services import audit, settings
from counter_app.services.permissions import authorize

REVISION_KEY = "calendar.revision"
# One built calendar per store file, reused while the stored revision is unchanged: building it
# reads every row and was a quarter of an intake's time.
_cache: dict[str, tuple[int, WorkCalendar]] = {}


def _bump(session: Session) -> None:
    settings.put(session, REVISION_KEY, int(settings.get(session, REVISION_KEY, 0)) + 1)


def ensure_shipped_years(session: Session) -> list[int]:
    """Add the official tables this build ships for years the store does not have yet."""
    have = set(session.exec(select(CalendarYear.year).where(CalendarYear.official == True)).all())  # noqa: E712
    added = []
    for year, table in sorted(shipped_years().items()):
        if year not in have:
            replace_year(session, table, origin="shipped")
            added.append(year)
    return added


def replace_year(session: Session, table: YearTable, *, origin: str, actor: audit.Actor = audit.SYSTEM) -> None:
    """An official table replaces the whole year (provisional days and earlier edits included)."""
    authorize(session, actor, "calendar", target=str(table.year))
    session.exec(delete(CalendarDayRow).where(col(CalendarDayRow.year) == table.year))
    for day in table.days:
        session.add(CalendarDayRow(day=day.day.isoformat(), year=table.year, kind=day.kind,
                                   name=day.name, origin=origin))
    year_row = session.get(CalendarYear, table.year) or CalendarYear(year=table.year, official=table.official,
                                                                      updated_at="")
    year_row.official, year_row.source = table.official, table.source
    year_row.updated_at = clock.iso(clock.now())
    session.add(year_row)
    _bump(session)
    audit.record(session, actor, "calendar.replace_year", str(table.year),
                 {"origin": origin, "official": table.official, "days": len(table.days)})


def set_day(session: Session, day: date, kind: str, name: str, *, actor: audit.Actor) -> None:
    """An admin edit: a holiday ('off') or a working Saturday/Sunday ('work')."""
    authorize(session, actor, "calendar", target=day.isoformat())
    check_year(day.year)
    if kind not in ("off", "work"):
        raise UserError("Loại ngày phải là 'off' (ngày nghỉ) hoặc 'work' (ngày làm việc).")
    if kind == "off" and day.weekday() >= 5:
        raise UserError(f"Ngày {day:%d/%m/%Y} đã là ngày nghỉ cuối tuần.")
    if kind == "work" and day.weekday() < 5:
        raise UserError(f"Ngày {day:%d/%m/%Y} đã là ngày làm việc.")
    name = collapse_spaces(nfc(name)) or ("Ngày nghỉ" if kind == "off" else "Ngày làm việc bù")
    row = session.get(CalendarDayRow, day.isoformat())
    if row is None:
        row = CalendarDayRow(day=day.isoformat(), year=day.year, kind=kind, name=name, origin="admin")
    row.kind, row.name, row.origin = kind, name, "admin"
    session.add(row)
    _bump(session)
    audit.record(session, actor, "calendar.set_day", day.isoformat(), {"kind": kind, "name": name})


def clear_day(session: Session, day: date, *, actor: audit.Actor) -> bool:
    authorize(session, actor, "calendar", target=day.isoformat())
    row = session.get(CalendarDayRow, day.isoformat())
    if row is None:
        return False
    session.delete(row)
    _bump(session)
    audit.record(session, actor, "calendar.clear_day", day.isoformat(), {"kind": row.kind, "name": row.name})
    return True


def year_tables(session: Session) -> dict[int, YearTable]:
    """Official years as stored; a year with only admin edits is its provisional table plus them."""
    years = {y.year: y for y in session.exec(select(CalendarYear)).all()}
    rows_by_year: dict[int, list[CalendarDayRow]] = {}
    for row in session.exec(select(CalendarDayRow)).all():
        rows_by_year.setdefault(row.year, []).append(row)
    tables: dict[int, YearTable] = {}
    # A year out of range (an edit taken before set_day checked the year) can hold no dossier.
    for year in {y for y in set(years) | set(rows_by_year) if in_range(y)}:
        stored = [CalendarDay(date.fromisoformat(r.day), r.kind, r.name) for r in rows_by_year.get(year, [])]
        meta = years.get(year)
        if meta is not None and meta.official:
            tables[year] = YearTable(year, True, tuple(sorted(stored, key=lambda d: d.day)), meta.source)
            continue
        base = {d.day: d for d in provisional_year(year).days}
        base.update({d.day: d for d in stored})
        tables[year] = YearTable(year, False, tuple(sorted(base.values(), key=lambda d: d.day)), "")
    return tables


def year_table(session: Session, year: int) -> YearTable:
    """One year's table as the calendar uses it; a year out of range is refused."""
    return work_calendar(session).table(check_year(year))


def work_calendar(session: Session) -> WorkCalendar:
    revision = int(settings.get(session, REVISION_KEY, 0))
    key = str(session.get_bind().url)
    cached = _cache.get(key)
    if cached is not None and cached[0] == revision:
        return cached[1]
    calendar = WorkCalendar(year_tables(session))
    _cache[key] = (revision, calendar)
    return calendar
