"""The district's statistics counted in one grouped pass (GROUP BY office): the district's figures
are the sum of its offices', each office's the same as counted alone, and the queries read the
dossiers and the running totals through an index, never the whole table (docs/server-web.md, "Statistics"); the name
search takes its first rows from the index in the order it shows them. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from counter_app import clock
from counter_app.domain.ids import new_id
from district_server import ingest
from district_server.auth import add_device
from district_server.database import Database
from district_server.dossiers import search
from district_server.web import stats
from tests.conftest import AGENCY
from tests.server.helpers import intake_many, move, outbox_payloads
from tests.server.web_helpers import OTHER_AGENCY, Site

_SUMMED = ("received", "refused", "carried_over", "resolved", "early", "on_time", "late", "withdrawn", "stopped",
           "returned", "in_process", "in_process_within", "in_process_overdue", "waiting_supplement",
           "due_within_24h")


def _periods() -> list[stats.Period]:
    today = clock.now().date()
    return [stats.Period("thang", today.year, today.month), stats.Period("quy", today.year, (today.month - 1) // 3 + 1),
            stats.Period("nam", today.year, 1), stats.Period("nam", today.year - 1, 1)]


def test_the_district_figures_are_the_sum_of_its_offices_each_the_same_as_counted_alone(web_site: Site) -> None:
    db = web_site.db
    for period in _periods():
        whole, per_office = stats.district_table(db, period)
        assert [a for a, _ in per_office] == sorted([AGENCY, OTHER_AGENCY])
        for agency, office in per_office:
            assert asdict(office) == asdict(stats.compute(db, period, agency)), (period, agency)
        assert asdict(whole) == asdict(stats.compute(db, period, None)), period
        for name in _SUMMED:
            assert getattr(whole, name) == sum(getattr(s, name) for _, s in per_office), (period, name)
        channels = {ch for _, s in per_office for ch in s.received_by_channel}
        assert whole.received_by_channel == {ch: sum(s.received_by_channel.get(ch, 0) for _, s in per_office)
                                             for ch in sorted(channels)}
    this_year = stats.district_table(db, _periods()[2])
    assert this_year[0].received == 5 and this_year[0].resolved == 2 and this_year[0].in_process == 3


@contextmanager
def _plans(db: Database) -> Iterator[list[tuple[str, str]]]:
    """(statement, its plan) of every query the block runs, explained on its own connection right
    after it ran (the temporary table it may use exists there). PostgreSQL is told to avoid a
    sequential scan and a sort wherever an index can stand in, so a tiny test table shows the plan a
    big one gets; where it still shows one, no index could serve."""
    found: list[tuple[str, str]] = []

    def explain(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if not statement.lstrip().upper().startswith("SELECT") or not re.search(r"dossier|tally_(day|work)",
                                                                                statement):
            return
        raw = cursor.connection.cursor()
        try:
            if db.is_sqlite:
                raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)
                plan = "\n".join(str(r[-1]) for r in raw.fetchall())
            else:
                raw.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_sort = off")
                raw.execute("EXPLAIN " + statement, parameters)
                plan = "\n".join(r[0] for r in raw.fetchall())
                raw.execute("SET LOCAL enable_seqscan = on; SET LOCAL enable_sort = on")
        finally:
            raw.close()
        found.append((statement, plan))

    sa.event.listen(db.engine, "after_cursor_execute", explain)
    try:
        yield found
    finally:
        sa.event.remove(db.engine, "after_cursor_execute", explain)


def _whole_table_reads(plans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    whole = re.compile(r"^SCAN (d|tally_day|tally_work)\b|Seq Scan on (dossier|tally_day|tally_work)\b", re.MULTILINE)
    return [(s, p) for s, p in plans if whole.search(p)]


def test_the_district_statistics_read_the_dossiers_through_an_index_never_the_whole_table(web_site: Site) -> None:
    for period in _periods()[:3]:
        with _plans(web_site.db) as plans:
            stats.district_table(web_site.db, period)
            stats.digitisation_table(web_site.db, period)
        assert len(plans) >= 6  # the totals of the days and of the working time, the open at each end, two of files
        assert _whole_table_reads(plans) == [], period


def test_a_name_search_takes_its_first_rows_from_the_index_in_the_order_it_shows_them(web_site: Site) -> None:
    run: Callable[[], Any] = lambda: search(web_site.db, "nguyen van")  # noqa: E731
    with _plans(web_site.db) as plans:
        by, rows = run()
    assert by == "name" and rows
    (statement, plan), = [(s, p) for s, p in plans if "name_folded" in s]
    assert "ix_dossier_name_code" in plan, plan
    assert not re.search(r"TEMP B-TREE|\bSort\b", plan), plan
    names = [r["applicant"] for r in rows]
    assert names == sorted(names, key=lambda n: search_key(n)), names


def search_key(name: str) -> str:
    from counter_app.domain.text import fold

    return fold(name)


def test_a_dossier_counts_as_waiting_for_a_supplement_at_a_months_end_only_if_its_last_move_before_asked_for_one(
        server_db: Database, counter0) -> None:  # noqa: ANN001
    """Last month's figures, read after every dossier moved on this month: whether each was waiting
    at the month's end comes from its history, not from where it stands today."""
    month_start = clock.now().replace(day=1, hour=0, minute=0, second=0)
    before = lambda days: clock.iso(month_start - timedelta(days=days))  # noqa: E731
    after = clock.iso(max(clock.now(), month_start + timedelta(minutes=1)))
    histories = {  # each dossier's moves after its intake, with their times; all received before the month's end
        "never asked, done since": [(4, before(8)), (9, after)],
        "waiting at the end, done since": [(4, before(8)), (5, before(6)), (4, after), (9, after)],
        "asked and answered before the end, done since": [(4, before(8)), (5, before(6)), (4, before(4)), (9, after)],
        "waiting at the end and still": [(4, before(8)), (5, before(6))],
        "asked only after the end": [(4, before(8)), (5, after), (4, after), (9, after)],
    }
    ids = intake_many(counter0, len(histories))
    for did, moves in zip(ids, histories.values(), strict=True):
        for status, _ in moves:
            move(counter0, did, status)
    times = {did: [before(10)] + [at for _, at in moves] for did, moves in zip(ids, histories.values(), strict=True)}
    events = []
    for payload in outbox_payloads(counter0):  # each dossier's events in the order they were made
        payload["at"] = times[payload["dossier_id"]].pop(0)
        snapshot = payload["dossier"]
        snapshot.update(received_at=before(10), start_at=before(10), due_at=before(2))
        if snapshot.get("finished_at"):
            snapshot["finished_at"] = payload["at"]
        events.append(payload)
    dev, _token = add_device(server_db, AGENCY, 0)
    result = ingest.ingest(server_db, dev, new_id(), events)
    assert [r.result for r in result.results] == ["stored"] * len(events)

    last_month = (month_start - timedelta(days=1)).date()
    with _plans(server_db) as plans:
        figures = stats.compute(server_db, stats.Period("thang", last_month.year, last_month.month), AGENCY)
    assert figures.in_process == len(histories)
    assert figures.waiting_supplement == 2  # "waiting at the end, done since" and "… and still"
    # All were due before the end: overdue, unless waiting (the clock stopped).
    assert (figures.in_process_within, figures.in_process_overdue) == (2, 3)
    # Those never asked before the end are told apart by the small index of the requests alone.
    (open_at_end,) = [p for s, p in plans if "to_status = 5" in s]
    assert "ix_event_supplement" in open_at_end, open_at_end
