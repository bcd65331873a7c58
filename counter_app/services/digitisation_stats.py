"""The two digitisation indicators (docs/digitisation.md, "Statistics"), defined once for the
counter's report, the register's note and workbook, and the district's statistics pages. Apart from
services/statistics.compute: their own two queries over the same indexed ranges (received_at,
finished_at), so the main figures' speed does not depend on the files.

The definitions are SQL over a dossier `d` and a table of kept files; each end names its own
(`Files`): the counter's dossier_file rows and checklist, the district's file_ref rows and the
checklist size it copies from each dossier's snapshot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text

from counter_app import clock
from counter_app.domain.statuses import RESOLVED, sql_in
from counter_app.services.statistics import count_where, period_bounds

_RESOLVED = sql_in(RESOLVED)

# The indicators' names wherever a person reads them: the counter's report screen, workbook and PDF
# page (services/reports.figures) and the district's statistics pages. One concept, one name.
INTAKE_LABEL = "Hồ sơ tiếp nhận được số hóa đủ thành phần"
RESULT_LABEL = "Kết quả giải quyết được số hóa"


@dataclass(frozen=True)
class Files:
    """Where a database keeps one row per kept file (`table`, with the dossier in `dossier_id`, the
    file's kind 'component' / 'result' in `kind`, its checklist paper, 1-based, 0 for "giấy tờ
    khác", in `component`) and how many papers each dossier `d`'s checklist has (`listed`, SQL)."""

    table: str
    kind: str
    component: str
    listed: str


COUNTER_FILES = Files("dossier_file", "kind", "component_index",
                      "(SELECT COUNT(*) FROM dossier_document dd WHERE dd.dossier_id = d.id)")
DISTRICT_FILES = Files("file_ref", "file_kind", "component", "d.papers")


@dataclass(frozen=True)
class Digitisation:
    """The two digitisation indicators of the provincial quality index for a period:
    - received: dossiers received in the period (not refused); fully_digitised: of these, the ones
      with a kept file for every paper of their checklist (an empty checklist: at least one paper);
    - resolved: dossiers whose result was ready in the period (finished_at in it, status 9 or 10);
      results_digitised: of these, the ones with a kept result."""

    received: int = 0
    fully_digitised: int = 0
    resolved: int = 0
    results_digitised: int = 0

    @property
    def intake_rate(self) -> float | None:
        return round(100 * self.fully_digitised / self.received, 1) if self.received else None

    @property
    def result_rate(self) -> float | None:
        return round(100 * self.results_digitised / self.resolved, 1) if self.resolved else None

    def __add__(self, other: Digitisation) -> Digitisation:
        return Digitisation(self.received + other.received, self.fully_digitised + other.fully_digitised,
                            self.resolved + other.resolved, self.results_digitised + other.results_digitised)


def fully_digitised_sql(files: Files = COUNTER_FILES) -> str:
    """SQL true for the dossier `d` whose every checklist paper has a scan kept (a dossier with no
    checklist: any paper scanned). The one definition: the indicator below and the register's note."""
    f = files
    covered = (f"(SELECT COUNT(DISTINCT f.{f.component}) FROM {f.table} f WHERE f.dossier_id = d.id "
               f"AND f.{f.kind} = 'component' AND f.{f.component} > 0)")
    anything = f"EXISTS (SELECT 1 FROM {f.table} f WHERE f.dossier_id = d.id AND f.{f.kind} = 'component')"
    return f"(({f.listed} > 0 AND {covered} = {f.listed}) OR ({f.listed} = 0 AND {anything}))"


def result_digitised_sql(files: Files = COUNTER_FILES) -> str:
    """SQL true for the dossier `d` whose result has a scan kept (kết quả điện tử)."""
    return f"EXISTS (SELECT 1 FROM {files.table} f WHERE f.dossier_id = d.id AND f.{files.kind} = 'result')"


def digitisation(session: Any, date_from: date, date_to: date) -> Digitisation:  # noqa: ANN401 - a Session
    """The counter's figures from its dossier_file table (counter_app/digitise/filestore.py)."""
    return by_office(session, date_from, date_to, COUNTER_FILES, grouped=False).get(None, Digitisation())


def by_office(conn: Any, date_from: date, date_to: date, files: Files, *,  # noqa: ANN401 - Session or Connection
              grouped: bool = True) -> Mapping[str | None, Digitisation]:
    """The figures per office (`grouped`: keyed by agency code; else one entry, None). An office
    with nothing in the period has no entry."""
    start, end = period_bounds(date_from, date_to)
    params = {"s": clock.iso(start), "e": clock.iso(end)}
    key, group = ("d.agency_code", " GROUP BY d.agency_code") if grouped else ("NULL", "")
    counts: dict[str | None, list[int]] = {}
    received = conn.execute(text(
        f"SELECT {key}, COUNT(*), {count_where(fully_digitised_sql(files))} FROM dossier d "
        f"WHERE d.received_at >= :s AND d.received_at < :e AND d.status != 3{group}"), params).all()
    for office, n, full in received:
        counts.setdefault(office, [0, 0, 0, 0])[0:2] = [int(n), int(full or 0)]
    resolved = conn.execute(text(
        f"SELECT {key}, COUNT(*), {count_where(result_digitised_sql(files))} FROM dossier d "
        f"WHERE d.finished_at >= :s AND d.finished_at < :e AND d.status IN {_RESOLVED}{group}"), params).all()
    for office, n, results in resolved:
        counts.setdefault(office, [0, 0, 0, 0])[2:4] = [int(n), int(results or 0)]
    return {office: Digitisation(*c) for office, c in counts.items() if c != [0, 0, 0, 0]}


def by_office_from_totals(conn: Any, date_from: date, date_to: date) -> Mapping[str, Digitisation]:  # noqa: ANN401
    """The district's figures per office from its running totals (district migration 0009: tally_day
    counts each dossier's digitisation flags on the day received and the day ended), the same as
    `by_office` over DISTRICT_FILES (tests/server/test_stats_tallies.py holds them to it)."""
    period_bounds(date_from, date_to)  # the same refusal of a reversed or too long period
    rows = conn.execute(text(
        "SELECT agency_code, SUM(received), SUM(received_digitised), SUM(resolved), SUM(results_digitised) "
        "FROM tally_day WHERE day >= :a AND day <= :b GROUP BY agency_code"),
        {"a": date_from.isoformat(), "b": date_to.isoformat()}).all()
    return {office: Digitisation(*(int(n) for n in counts)) for office, *counts in rows if any(counts)}
