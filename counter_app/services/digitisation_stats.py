"""The two digitisation indicators (docs/digitisation.md, "Statistics"), defined once for the report,
the register's note and the workbook. Apart from services/statistics.compute: their own two queries
over the same indexed ranges (received_at, finished_at), so the main figures' speed does not depend
on the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from counter_app import clock
from counter_app.domain.statuses import RESOLVED, sql_in
from counter_app.services.statistics import count_where, period_bounds

_RESOLVED = sql_in(RESOLVED)


@dataclass(frozen=True)
class Digitisation:
    """The two digitisation indicators of the provincial quality index for a period:
    - received: dossiers received in the period (not refused); fully_digitised: of these, the ones
      with a kept file for every paper of their checklist (an empty checklist: at least one paper);
    - resolved: dossiers whose result was ready in the period (finished_at in it, status 9 or 10);
      results_digitised: of these, the ones with a kept result."""

    received: int
    fully_digitised: int
    resolved: int
    results_digitised: int

    @property
    def intake_rate(self) -> float | None:
        return round(100 * self.fully_digitised / self.received, 1) if self.received else None

    @property
    def result_rate(self) -> float | None:
        return round(100 * self.results_digitised / self.resolved, 1) if self.resolved else None


def fully_digitised_sql() -> str:
    """SQL true for the dossier `d` whose every checklist paper has a scan kept (a dossier with no
    checklist: any paper scanned). The one definition: the indicator below and the register's note."""
    covered = ("(SELECT COUNT(DISTINCT f.component_index) FROM dossier_file f WHERE f.dossier_id = d.id "
               "AND f.kind = 'component' AND f.component_index > 0)")
    listed = "(SELECT COUNT(*) FROM dossier_document dd WHERE dd.dossier_id = d.id)"
    anything = "EXISTS (SELECT 1 FROM dossier_file f WHERE f.dossier_id = d.id AND f.kind = 'component')"
    return f"(({listed} > 0 AND {covered} = {listed}) OR ({listed} = 0 AND {anything}))"


def result_digitised_sql() -> str:
    """SQL true for the dossier `d` whose result has a scan kept (kết quả điện tử)."""
    return "EXISTS (SELECT 1 FROM dossier_file f WHERE f.dossier_id = d.id AND f.kind = 'result')"


def digitisation(session: Session, date_from: date, date_to: date) -> Digitisation:
    """The counter's figures from its dossier_file table (counter_app/digitise/filestore.py)."""
    start, end = period_bounds(date_from, date_to)
    params = {"s": clock.iso(start), "e": clock.iso(end)}
    received, full = session.execute(text(
        f"SELECT COUNT(*), {count_where(fully_digitised_sql())} "
        "FROM dossier d WHERE d.received_at >= :s AND d.received_at < :e AND d.status != 3"), params).one()
    result = result_digitised_sql()
    resolved, results = session.execute(text(
        f"SELECT COUNT(*), {count_where(result)} "
        f"FROM dossier d WHERE d.finished_at >= :s AND d.finished_at < :e AND d.status IN {_RESOLVED}"),
        params).one()
    return Digitisation(int(received), int(full or 0), int(resolved), int(results or 0))
