"""The counter's statistics read from the running totals (migration 0011) instead of the dossiers.

A period's received, ended and returned counts, per procedure and channel, and the working time
of its resolved dossiers, in the very shape of the rows statistics.py's queries over `dossier`
return, so one loop there reads either (docs/rules.md, "Statistics"). The totals hold the dossiers'
current state, as those queries read it; tests/unit/test_statistics_tallies.py holds both paths to
the same answers. The dossiers open at an instant (carried over, in process) are still read from
the dossier index: their split needs each one's due time and last move.

The district's database has no totals: it keeps the queries over its dossier table.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam, text
from sqlmodel import Session

from counter_app.domain.calendar import WorkCalendar

_DAY_ROWS = text(
    "SELECT procedure_code, channel, SUM(received), SUM(refused), MAX(CASE WHEN received > 0 THEN procedure_name END), "
    "SUM(resolved), SUM(early), SUM(on_time), SUM(late), SUM(withdrawn), SUM(stopped), SUM(returned), "
    "SUM(rating_1), SUM(rating_2), SUM(rating_3) FROM tally_day WHERE day >= :a AND day <= :b "
    "GROUP BY procedure_code, channel ORDER BY procedure_code, channel")


class Tallies:
    """One period's rows from the totals. `usable` says whether the working time applies: its
    minutes were counted in the calendar's own hours (the counts need no calendar)."""

    def __init__(self, session: Session, date_from: date, date_to: date, calendar: WorkCalendar | None = None) -> None:
        self._session = session
        self._from, self._to = date_from, date_to
        self._calendar = calendar
        self._days: list[Any] | None = None

    @staticmethod
    def usable(session: Session, calendar: WorkCalendar) -> bool:
        held = [tuple(r) for r in session.execute(text(
            "SELECT start_minute, end_minute FROM tally_period ORDER BY start_minute"))]
        return held == calendar.policy.period_minutes

    def _period(self) -> dict[str, str]:
        return {"a": self._from.isoformat(), "b": self._to.isoformat()}

    def _day_rows(self) -> list[Any]:
        if self._days is None:
            self._days = self._session.execute(_DAY_ROWS, self._period()).all()
        return self._days

    def received(self) -> list[tuple[str, str, str, int, bool, int]]:
        """(group, code, name, channel, refused?, count), as statistics.py's received query."""
        rows = []
        for code, channel, received, refused, name, *_ in self._day_rows():
            if received:
                rows.append(("", code, name, channel, False, received))
            if refused:
                rows.append(("", code, "", channel, True, refused))
        return rows

    def finished(self) -> list[tuple[Any, ...]]:
        """(group, code, '', resolved, early, on time, late, withdrawn, stopped, None) per procedure."""
        by_code: dict[str, list[int]] = {}
        for code, _channel, _r, _x, _name, *counts in self._day_rows():
            total = by_code.setdefault(code, [0] * 6)
            for i, n in enumerate(counts[:6]):
                total[i] += n
        return [("", code, "", *counts, None) for code, counts in by_code.items() if any(counts)]

    def names_of_finished(self, codes: list[str]) -> list[tuple[str, str, str]]:
        """(group, code, name) of procedures ended in the period: the latest name by text, as MAX."""
        return [("", code, name) for code, name in self._session.execute(text(
            "SELECT procedure_code, MAX(procedure_name) FROM tally_day WHERE day >= :a AND day <= :b "
            "AND resolved + withdrawn + stopped > 0 AND procedure_code IN :codes GROUP BY procedure_code")
            .bindparams(bindparam("codes", expanding=True)), {**self._period(), "codes": codes})]

    def returned(self) -> list[tuple[str, int, int, int, int]]:
        """(group, returned, rated 1, 2, 3)."""
        sums = [0, 0, 0, 0]
        for *_, returned, r1, r2, r3 in self._day_rows():
            for i, n in enumerate((returned, r1, r2, r3)):
                sums[i] += n
        return [("", *sums)]

    def daily(self) -> list[tuple[str, int, int, int]]:
        """(day, received and not refused, resolved, resolved by the due day) of each day with either."""
        return [tuple(r) for r in self._session.execute(text(
            "SELECT day, SUM(received), SUM(resolved), SUM(early + on_time) FROM tally_day "
            "WHERE day >= :a AND day <= :b AND received + resolved > 0 GROUP BY day"), self._period())]

    def working_minutes(self) -> tuple[int, dict[str, tuple[int, int]]]:
        """A working day's minutes, and the resolved dossiers' summed working minutes and count.

        Each (day ended, day counted from) pair holds n dossiers and the sums of their working
        minute of the day at each end; a dossier's time is cum[end day] - cum[start day] plus the
        minutes into its end day (if a working day) less those into its start day, so a pair's is
        n·(cum_f − cum_b) + w_f·Σf − w_b·Σb, whatever the calendar says of the days in between."""
        pairs = self._session.execute(text(
            "SELECT finish_day, start_day, dossiers, finish_minutes, start_minutes FROM tally_work "
            "WHERE finish_day >= :a AND finish_day <= :b AND dossiers > 0"), self._period()).all()
        if not pairs:
            return 0, {}
        assert self._calendar is not None, "the working time needs the calendar"
        day_minutes = self._calendar.policy.day_minutes
        first = date.fromisoformat(min(p.start_day for p in pairs))
        cum = {day.isoformat(): (before, int(working))
               for day, before, working in self._calendar.working_minutes_by_day(first, self._to)}
        total = count = 0
        for finish_day, start_day, n, finish_minutes, start_minutes in pairs:
            (cum_f, w_f), (cum_b, w_b) = cum[finish_day], cum[start_day]
            total += n * (cum_f - cum_b) + w_f * finish_minutes - w_b * start_minutes
            count += n
        return day_minutes, {"": (total, count)}
