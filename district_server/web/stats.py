"""District statistics: the counter's own definitions (counter_app/services/statistics.py, QĐ 766
indicator 2.1) run on the server's database, per office and for the whole district, for a month,
a quarter or a year (docs/server-web.md "Statistics")."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from counter_app.domain import holidays
from counter_app.domain.calendar import WorkCalendar
from counter_app.errors import UserError
from counter_app.services import digitisation_stats, statistics
from counter_app.services.digitisation_stats import Digitisation
from counter_app.services.statistics import Statistics
from district_server.database import Database
from district_server.indexed import LONG_RUNNING_DAYS
from district_server.schema import device, publication
from district_server.web import strings

KINDS = {"thang": "Tháng", "quy": "Quý", "nam": "Năm"}


@dataclass(frozen=True)
class Period:
    kind: str  # thang | quy | nam
    year: int
    number: int  # month 1–12, quarter 1–4; 1 for a year

    @property
    def bounds(self) -> tuple[date, date]:
        if self.kind == "nam":
            return date(self.year, 1, 1), date(self.year, 12, 31)
        first_month = self.number if self.kind == "thang" else 3 * self.number - 2
        months = 1 if self.kind == "thang" else 3
        start = date(self.year, first_month, 1)
        nxt = date(self.year + (first_month + months - 1) // 12, (first_month + months - 1) % 12 + 1, 1)
        return start, nxt - timedelta(days=1)

    @property
    def title(self) -> str:
        if self.kind == "nam":
            return f"Năm {self.year}"
        return f"{KINDS[self.kind]} {self.number}/{self.year}"


def parse_period(kind: str, year: str, number: str, *, today: date) -> Period:
    """The period of the page's query (defaults: this month), or UserError."""
    kind = kind or "thang"
    try:
        y = int(year) if year else today.year
        n = int(number) if number else (today.month if kind == "thang" else (today.month - 1) // 3 + 1)
    except ValueError:
        raise UserError(strings.BAD_PERIOD) from None
    limit = {"thang": 12, "quy": 4, "nam": 1}.get(kind)
    if limit is None or not 2000 <= y <= 2100 or not 1 <= (1 if kind == "nam" else n) <= limit:
        raise UserError(strings.BAD_PERIOD)
    return Period(kind, y, 1 if kind == "nam" else n)


def server_calendar(db: Database) -> WorkCalendar:
    """The official tables shipped with the app, then each year the district published for every office."""
    tables = holidays.shipped_years()
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(publication.c.payload_json).where(
            publication.c.kind == "calendar", publication.c.agency_code.is_(None)).order_by(publication.c.seq)).all()
    for (text,) in rows:
        table = holidays.load_year_table(json.loads(text))
        tables[table.year] = table
    return WorkCalendar(tables)


def offices(db: Database) -> list[str]:
    """The offices the district issued tokens to (a handful of rows, not a scan of the dossiers)."""
    with db.engine.connect() as conn:
        return list(conn.execute(sa.select(device.c.agency_code).distinct().order_by(device.c.agency_code)).scalars())


@contextmanager
def _transaction(db: Database) -> Iterator[sa.Connection]:
    """A plain transaction, not db.read(): the average working time uses a temporary table, which a
    read-only PostgreSQL transaction may not create. Without PostgreSQL's JIT compiler: the in-process
    query's estimate (a subquery per open dossier) crosses jit_above_cost, and compiling took longer
    (0.6–2 s on the bench's district of 1M) than running the whole page's queries."""
    with db.engine.connect() as conn, conn.begin():
        if not db.is_sqlite:
            conn.exec_driver_sql("SET LOCAL jit = off")
        yield conn


def _source(db: Database, agency_code: str | None, calendar: WorkCalendar | None) -> statistics.Source:
    # No figures per procedure: the pages show none. The counts come from the running totals per
    # office (migration 0009); the dossiers open at an instant from the dossier indexes.
    return statistics.Source(events="event", procedures=False, ratings=False, agency_code=agency_code,
                             postgresql=not db.is_sqlite, calendar=calendar or server_calendar(db),
                             by_procedure=False, keyed_events=True, tallied_by="office",
                             long_running_days=LONG_RUNNING_DAYS)


def compute(db: Database, period: Period, agency_code: str | None, calendar: WorkCalendar | None = None) -> Statistics:
    date_from, date_to = period.bounds
    with _transaction(db) as conn:
        return statistics.compute(conn, date_from, date_to, source=_source(db, agency_code, calendar))  # type: ignore[arg-type]


def district_table(db: Database, period: Period) -> tuple[Statistics, list[tuple[str, Statistics]]]:
    """The whole district, then each office: one grouped pass over the period's dossiers (GROUP BY
    the office), the district the sum of the offices' figures."""
    date_from, date_to = period.bounds
    with _transaction(db) as conn:
        whole, parts = statistics.compute_by_office(conn, date_from, date_to,  # type: ignore[arg-type]
                                                    source=_source(db, None, None))
    return whole, [(a, parts.get(a) or Statistics(date_from, date_to)) for a in offices(db)]


def digitisation_table(db: Database, period: Period) -> tuple[Digitisation, dict[str, Digitisation]]:
    """The digitisation indicators (the counter's definitions, services/digitisation_stats.py, counted
    in the district's running totals): the whole district, the sum of its offices, and each office."""
    date_from, date_to = period.bounds
    with _transaction(db) as conn:
        parts = digitisation_stats.by_office_from_totals(conn, date_from, date_to)
    by_office = {str(a): d for a, d in parts.items()}
    return sum(by_office.values(), Digitisation()), by_office
