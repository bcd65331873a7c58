"""The statistics read from the running totals (counter_app/db/tally_sql.py) instead of the dossiers.

A period's received, ended and returned counts, and the working time of its resolved dossiers, in
the very shape of the rows statistics.py's queries over `dossier` return, so one loop there reads
either (docs/rules.md, "Statistics"). Two stores keep totals: the counter's per procedure and
channel (migration 0011), the district server's per office and channel (its migration 0009). The
totals hold the dossiers' current state, as those queries read it; tests/unit/test_statistics_tallies.py
and tests/server/test_stats_tallies.py hold both paths to the same answers. The dossiers open at an
instant (carried over, in process) are still read from the dossier index: their split needs each
one's due time and last move.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, text
from sqlmodel import Session

from counter_app.domain.calendar import WorkCalendar


@dataclass(frozen=True)
class Slice:
    """What the figures are asked of: every query grouped by office (`by_office`), or one office's
    (`agency_code`, the district's totals only), per procedure (the counter's only), and whether
    returns are counted by rating (the counter's)."""

    by_office: bool = False
    agency_code: str | None = None
    per_procedure: bool = True
    ratings: bool = True
    postgresql: bool = False

    def group(self) -> str:
        return "agency_code" if self.by_office else "''"

    def where(self, table: str = "") -> str:
        """The office's condition, its column of `table` (an alias with its dot) or of the only one."""
        return f" AND {table}agency_code = :agency" if self.agency_code else ""

    def group_by(self, *columns: str) -> str:
        grouped = ["agency_code"] * self.by_office + list(columns)
        return f" GROUP BY {', '.join(grouped)}" if grouped else ""


class Tallies:
    """One period's rows from the totals. `usable` says whether the working time applies: its
    minutes were counted in the calendar's own hours (the counts need no calendar)."""

    def __init__(self, session: Session, date_from: date, date_to: date, calendar: WorkCalendar | None = None,
                 of: Slice = Slice()) -> None:
        self._session = session
        self._from, self._to = date_from, date_to
        self._calendar = calendar
        self._of = of
        self._days: list[Any] | None = None

    @staticmethod
    def usable(session: Session, calendar: WorkCalendar) -> bool:
        held = [tuple(r) for r in session.execute(text(
            "SELECT start_minute, end_minute FROM tally_period ORDER BY start_minute"))]
        return held == calendar.policy.period_minutes

    def _period(self) -> dict[str, Any]:
        return {"a": self._from.isoformat(), "b": self._to.isoformat(), "agency": self._of.agency_code}

    def _day_rows(self) -> list[Any]:
        """(group, code, channel, received, refused, name, resolved, early, on time, late, withdrawn,
        stopped, returned, rated 1, 2, 3) per group, procedure and channel."""
        if self._days is None:
            of = self._of
            procedure = ("procedure_code", "MAX(CASE WHEN received > 0 THEN procedure_name END)") \
                if of.per_procedure else ("''", "''")
            rated = "SUM(rating_1), SUM(rating_2), SUM(rating_3)" if of.ratings else "0, 0, 0"
            self._days = self._session.execute(text(
                f"SELECT {of.group()}, {procedure[0]}, channel, SUM(received), SUM(refused), {procedure[1]}, "
                f"SUM(resolved), SUM(early), SUM(on_time), SUM(late), SUM(withdrawn), SUM(stopped), SUM(returned), "
                f"{rated} FROM tally_day WHERE day >= :a AND day <= :b{of.where()}"
                f"{of.group_by(*['procedure_code'] * of.per_procedure, 'channel')}"), self._period()).all()
        return self._days

    def received(self) -> list[tuple[str, str, str, int, bool, int]]:
        """(group, code, name, channel, refused?, count), as statistics.py's received query."""
        rows = []
        for group, code, channel, received, refused, name, *_ in self._day_rows():
            if received:
                rows.append((group, code, name, channel, False, received))
            if refused:
                rows.append((group, code, "", channel, True, refused))
        return rows

    def finished(self) -> list[tuple[Any, ...]]:
        """(group, code, '', resolved, early, on time, late, withdrawn, stopped, None) per procedure."""
        by_code: dict[tuple[str, str], list[int]] = {}
        for group, code, _channel, _r, _x, _name, *counts in self._day_rows():
            total = by_code.setdefault((group, code), [0] * 6)
            for i, n in enumerate(counts[:6]):
                total[i] += n
        return [(group, code, "", *counts, None) for (group, code), counts in by_code.items() if any(counts)]

    def names_of_finished(self, codes: list[str]) -> list[tuple[str, str, str]]:
        """(group, code, name) of procedures ended in the period: the latest name by text, as MAX."""
        return [("", code, name) for code, name in self._session.execute(text(
            "SELECT procedure_code, MAX(procedure_name) FROM tally_day WHERE day >= :a AND day <= :b "
            "AND resolved + withdrawn + stopped > 0 AND procedure_code IN :codes GROUP BY procedure_code")
            .bindparams(bindparam("codes", expanding=True)), {**self._period(), "codes": codes})]

    def returned(self) -> list[tuple[str, int, int, int, int]]:
        """(group, returned, rated 1, 2, 3)."""
        sums: dict[str, list[int]] = {}
        for group, *_, returned, r1, r2, r3 in self._day_rows():
            total = sums.setdefault(group, [0, 0, 0, 0])
            for i, n in enumerate((returned, r1, r2, r3)):
                total[i] += n
        return [(group, *total) for group, total in sums.items()] or [("", 0, 0, 0, 0)]

    def daily(self) -> list[tuple[str, int, int, int]]:
        """(day, received and not refused, resolved, resolved by the due day) of each day with either."""
        return [tuple(r) for r in self._session.execute(text(
            "SELECT day, SUM(received), SUM(resolved), SUM(early + on_time) FROM tally_day "
            f"WHERE day >= :a AND day <= :b AND received + resolved > 0{self._of.where()} GROUP BY day"),
            self._period())]

    def working_minutes(self) -> tuple[int, dict[str, tuple[int, int]]]:
        """A working day's minutes, and per group the resolved dossiers' summed working minutes and
        their count, summed by the database over the working-day table.

        Each (day ended, day counted from) pair holds n dossiers and the sums of their working
        minute of the day at each end; a dossier's time is cum[end day] - cum[start day] plus the
        minutes into its end day (if a working day) less those into its start day, so a pair's is
        n·(cum_f − cum_b) + w_f·Σf − w_b·Σb, whatever the calendar says of the days in between.
        A district's year holds ~50k pairs per 500k dossiers: summed in Python, they cost more than
        every query of the page."""
        where = f"w.finish_day >= :a AND w.finish_day <= :b AND w.dossiers > 0{self._of.where('w.')}"
        first = self._session.execute(text(f"SELECT MIN(w.start_day) FROM tally_work w WHERE {where}"),
                                      self._period()).scalar()
        if first is None:
            return 0, {}
        assert self._calendar is not None, "the working time needs the calendar"
        with working_day_table(self._session, date.fromisoformat(first), self._to, self._calendar,
                               postgresql=self._of.postgresql):
            group = "w.agency_code" if self._of.by_office else "''"
            rows = self._session.execute(text(
                f"SELECT {group}, SUM(w.dossiers * (f.cum - b.cum) + f.working * w.finish_minutes "
                "- b.working * w.start_minutes), SUM(w.dossiers) FROM tally_work w "
                "JOIN stat_day f ON f.day = w.finish_day JOIN stat_day b ON b.day = w.start_day "
                f"WHERE {where}{' GROUP BY w.agency_code' if self._of.by_office else ''}"), self._period()).all()
        return self._calendar.policy.day_minutes, {g: (int(total), int(n)) for g, total, n in rows if n}


@contextmanager
def working_day_table(session: Session, first: date, last: date, calendar: WorkCalendar, *,
                      postgresql: bool) -> Iterator[None]:
    """`stat_day` (day, working minutes before it since `first`, its own working minutes) for the
    days from `first` to `last`, for a query to join in the block: both statistics paths sum the
    working time in the database. A temporary table is the connection's own (SQLite and
    PostgreSQL) and shadows any real one; on SQLite WITHOUT ROWID, so each lookup is one b-tree
    search."""
    session.execute(text("CREATE TEMP TABLE IF NOT EXISTS stat_day (day TEXT PRIMARY KEY, cum INTEGER NOT NULL, "
                         f"working INTEGER NOT NULL){'' if postgresql else ' WITHOUT ROWID'}"))
    session.execute(text("DELETE FROM stat_day"))
    session.execute(text("INSERT INTO stat_day VALUES (:day, :cum, :working)"),
                    [{"day": day.isoformat(), "cum": before, "working": int(working)}
                     for day, before, working in calendar.working_minutes_by_day(first, last)])
    try:
        yield
    finally:
        session.execute(text("DELETE FROM stat_day"))
