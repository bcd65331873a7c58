"""The district's statistics counted in one grouped pass (GROUP BY office): the district's figures
are the sum of its offices', each office's the same as counted alone, and the queries read the
dossiers and the running totals through an index, never the whole table (docs/server-web.md, "Statistics"); the name
search takes its first rows from the index in the order it shows them. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from counter_app import clock
from counter_app.domain.ids import new_id
from counter_app.services.statistics import Statistics
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


def _month_start() -> datetime:
    return clock.now().replace(day=1, hour=0, minute=0, second=0)


def _before(days: int) -> str:
    return clock.iso(_month_start() - timedelta(days=days))


_AFTER = "after the month's end"


def _pushed(server_db: Database, counter0, histories: list[tuple[int, list[tuple[int, str]]]]) -> None:  # noqa: ANN001
    """Dossiers received `days` before this month and moved at the given times (_AFTER: now), made
    by the counter's own services and pushed with those times."""
    after = clock.iso(max(clock.now(), _month_start() + timedelta(minutes=1)))
    ids = intake_many(counter0, len(histories))
    times, received = {}, {}
    for did, (days, moves) in zip(ids, histories, strict=True):
        for status, _ in moves:
            move(counter0, did, status)
        received[did] = _before(days)
        times[did] = [received[did]] + [after if at == _AFTER else at for _, at in moves]
    events = []
    for payload in outbox_payloads(counter0):  # each dossier's events in the order they were made
        did = payload["dossier_id"]
        payload["at"] = times[did].pop(0)
        payload["dossier"].update(received_at=received[did], start_at=received[did], due_at=_before(2))
        if payload["dossier"].get("finished_at"):
            payload["dossier"]["finished_at"] = payload["at"]
        events.append(payload)
    dev, _token = add_device(server_db, AGENCY, 0)
    result = ingest.ingest(server_db, dev, new_id(), events)
    assert [r.result for r in result.results] == ["stored"] * len(events)


def _last_month(server_db: Database) -> Statistics:
    last_month = (_month_start() - timedelta(days=1)).date()
    return stats.compute(server_db, stats.Period("thang", last_month.year, last_month.month), AGENCY)


def test_a_dossier_counts_as_waiting_for_a_supplement_at_a_months_end_only_if_its_last_move_before_asked_for_one(
        server_db: Database, counter0) -> None:  # noqa: ANN001
    """Last month's figures, read after every dossier moved on this month: whether each was waiting
    at the month's end comes from its history, not from where it stands today."""
    _pushed(server_db, counter0, [  # each received 10 days before the month's end
        (10, [(4, _before(8)), (9, _AFTER)]),  # never asked, done since
        (10, [(4, _before(8)), (5, _before(6)), (4, _AFTER), (9, _AFTER)]),  # waiting at the end, done since
        (10, [(4, _before(8)), (5, _before(6)), (4, _before(4)), (9, _AFTER)]),  # asked, answered before the end
        (10, [(4, _before(8)), (5, _before(6))]),  # waiting at the end, and still
        (10, [(4, _before(8)), (5, _AFTER), (4, _AFTER), (9, _AFTER)]),  # asked only after the end
    ])
    with _plans(server_db) as plans:
        figures = _last_month(server_db)
    assert figures.in_process == 5
    assert figures.waiting_supplement == 2
    # All were due before the end: overdue, unless waiting (the clock stopped).
    assert (figures.in_process_within, figures.in_process_overdue) == (2, 3)
    # Those never asked before the end are told apart by the small index of the requests alone.
    (open_at_end,) = [p for s, p in plans if "to_status = 5" in s]
    assert "ix_event_supplement" in open_at_end, open_at_end


def test_a_dossier_received_long_before_a_months_end_and_finished_after_it_was_open_at_that_end(
        server_db: Database, counter0) -> None:  # noqa: ANN001
    """However long processing took: the dossiers open at an instant are read as those received in
    the 90 days before it and the few long running (migration 0010), and none may be left out."""
    _pushed(server_db, counter0, [
        (200, [(4, _before(150)), (9, _AFTER)]),  # 200 days in the works, done since: long running
        (95, [(4, _before(90)), (9, _AFTER)]),  # just over the 90 days
        (20, [(4, _before(15)), (9, _AFTER)]),  # a usual one, done since
        (200, [(4, _before(150))]),  # still in the works
        (200, [(4, _before(150)), (9, _before(5))]),  # done before the end: not open
        (80, [(4, _before(70)), (9, _before(1))]),  # done before the end: not open
    ])
    with server_db.read() as conn:
        flags = sorted(conn.execute(sa.text("SELECT long_running FROM dossier")).scalars())
    assert flags == [0, 0, 0, 1, 1, 1]  # the three done more than 90 days after their receipt
    figures = _last_month(server_db)
    assert (figures.in_process, figures.in_process_overdue) == (4, 4)
    assert figures.carried_over == 5  # all but the one received during the month
