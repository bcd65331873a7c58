"""Statistics on a store built so that every category has a known count (worked out by hand)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, text

from counter_app.clock import parse_iso
from counter_app.errors import UserError
from counter_app.services import intake, statistics, workflow
from tests.conftest import applicant, clerk

ME = clerk("cb.an")
NOW = parse_iso("2026-04-10T10:00:00+07:00")


def make(store, at: str, *, channel: int = 1, refusal: str = "") -> str:  # noqa: ANN001
    req = intake.parse_intake({"procedure_code": "9.000003", "applicant": applicant(), "channel": channel,
                               "received_at": at, "refusal_reason": refusal}, now=NOW)
    with store.write() as session:
        return intake.create_dossier(session, req, actor=clerk(), now=parse_iso(at)).dossier["code"]


def move(store, code: str, status: int, at: str) -> None:  # noqa: ANN001
    with store.write() as session:
        if status == 10:
            workflow.return_result(session, code, workflow.Recipient("Nguyễn Văn Đức"), actor=ME, rating=1,
                                   now=parse_iso(at))
        else:
            workflow.move(session, code, status, actor=ME, note="lý do", now=parse_iso(at))


@pytest.fixture
def march(desk):  # noqa: ANN001, ANN201
    a = make(desk, "2026-02-23T08:00:00+07:00")          # due Thu 26 Feb 08:00
    move(desk, a, 9, "2026-03-03T10:00:00+07:00")         # late, carried over
    make(desk, "2026-02-25T08:00:00+07:00")              # B: due Mon 2 Mar 08:00, still open: overdue
    c = make(desk, "2026-03-02T08:00:00+07:00")          # due Thu 5 Mar 08:00
    move(desk, c, 9, "2026-03-04T10:00:00+07:00")         # early
    move(desk, c, 10, "2026-03-06T09:00:00+07:00")        # returned, rating 1
    d = make(desk, "2026-03-02T09:00:00+07:00")          # due Thu 5 Mar 09:00
    move(desk, d, 4, "2026-03-02T10:00:00+07:00")
    move(desk, d, 9, "2026-03-05T15:00:00+07:00")         # on time (same day)
    e = make(desk, "2026-03-03T08:00:00+07:00")
    move(desk, e, 7, "2026-03-04T08:00:00+07:00")         # withdrawn
    f = make(desk, "2026-03-03T09:00:00+07:00")
    move(desk, f, 4, "2026-03-03T10:00:00+07:00")
    move(desk, f, 8, "2026-03-10T08:00:00+07:00")         # stopped
    make(desk, "2026-03-30T09:00:00+07:00")              # G: due Thu 2 Apr 09:00: within deadline
    make(desk, "2026-03-27T09:00:00+07:00")              # H: due Wed 1 Apr 09:00: within, due within 24 h
    i = make(desk, "2026-03-10T08:00:00+07:00")
    move(desk, i, 4, "2026-03-10T09:00:00+07:00")
    move(desk, i, 5, "2026-03-12T09:00:00+07:00")         # waiting for a supplement at the end
    make(desk, "2026-03-11T08:00:00+07:00", refusal="Không thuộc thẩm quyền")  # J: refused
    make(desk, "2026-03-16T08:00:00+07:00", channel=2)   # K: online, due Thu 19 Mar: overdue
    make(desk, "2026-04-02T08:00:00+07:00")              # L: after the period
    return desk


def test_every_category_of_march(march) -> None:  # noqa: ANN001
    with march.read() as session:
        s = statistics.compute(session, date(2026, 3, 1), date(2026, 3, 31))
    assert (s.received, s.received_by_channel, s.refused, s.carried_over) == (8, {1: 7, 2: 1}, 1, 2)
    assert (s.resolved, s.early, s.on_time, s.late) == (3, 1, 1, 1)
    assert (s.withdrawn, s.stopped, s.returned, s.ratings) == (1, 1, 1, {1: 1})
    assert (s.in_process, s.in_process_within, s.in_process_overdue) == (5, 3, 2)
    assert (s.waiting_supplement, s.due_within_24h) == (1, 1)
    assert s.qd766_on_time_rate == 62.5
    assert (s.early_rate, s.on_time_rate, s.late_rate) == (33.3, 33.3, 33.3)
    # A: 50 working hours, C: 18, D: 28 -> 96 / 3 = 32 h = 4 working days
    assert s.average_working_days == 4.0
    proc = s.by_procedure["9.000003"]
    assert (proc.received, proc.resolved, proc.early, proc.on_time, proc.late) == (8, 3, 1, 1, 1)
    assert s.by_field["Thử nghiệm"].received == 8


def test_a_period_with_nothing_in_it(march) -> None:  # noqa: ANN001
    with march.read() as session:
        s = statistics.compute(session, date(2025, 1, 1), date(2025, 1, 31))
    assert (s.received, s.resolved, s.in_process) == (0, 0, 0)
    assert s.early_rate is None and s.average_working_days is None


def test_weekly_series(march) -> None:  # noqa: ANN001
    with march.read() as session:
        series = statistics.weekly_series(session, date(2026, 3, 1), date(2026, 3, 31))
    weeks = {w: (r, d, rate) for w, r, d, rate in series}
    assert weeks[date(2026, 3, 2)] == (4, 3, 66.7)  # C, D, E, F received; A, C, D resolved (A late)
    assert weeks[date(2026, 3, 30)] == (1, 0, None)


@pytest.mark.parametrize(("a", "b", "message"), [
    (date(2026, 3, 31), date(2026, 3, 1), "sau ngày kết thúc"),
    (date(2016, 1, 1), date(2026, 3, 1), "dài quá 5 năm"),
])
def test_bad_ranges(desk, a, b, message) -> None:  # noqa: ANN001
    with desk.read() as session:
        with pytest.raises(UserError, match=message):
            statistics.compute(session, a, b)


def test_a_procedure_resolved_in_a_period_that_received_none_keeps_its_name(march) -> None:  # noqa: ANN001
    with march.read() as session:
        s = statistics.compute(session, date(2026, 3, 4), date(2026, 3, 5))  # C and D ready, nothing received
        (name,) = session.execute(text("SELECT DISTINCT procedure_name FROM dossier")).scalars()
    assert (s.received, s.resolved) == (0, 2)
    assert s.procedure_names == {"9.000003": name} and s.by_procedure["9.000003"].resolved == 2


def test_a_periods_figures_counted_over_the_dossiers_are_read_from_the_indexes_not_the_rows(march) -> None:  # noqa: ANN001
    """Counted over the dossiers (as the district does; the counter reads its running totals), a year
    on a million dossiers is ~100k rows a query: read from a covering index, not a page of the
    encrypted store per dossier (migration 0009). Only the open dossiers at the end are looked up."""
    plans: list[tuple[str, str]] = []

    def explain(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if statement.lstrip().startswith("SELECT") and "FROM dossier d" in statement:
            raw = cursor.connection.cursor()
            plans.append((statement, " | ".join(r[-1] for r in raw.execute("EXPLAIN QUERY PLAN " + statement,
                                                                            parameters).fetchall())))
            raw.close()

    event.listen(march.engine, "after_cursor_execute", explain)
    try:
        with march.read() as session:
            statistics.compute(session, date(2026, 3, 1), date(2026, 3, 31), source=statistics.Source())
    finally:
        event.remove(march.engine, "after_cursor_execute", explain)
    ranges = [(s, p) for s, p in plans if "status_event" not in s]  # the open ones' last move: by dossier
    assert len(ranges) >= 5
    for statement, plan in ranges:
        searches = [step for step in plan.split(" | ") if " d " in f" {step} "]
        assert searches and all("COVERING INDEX" in step for step in searches), (statement[:120], plan)


def test_a_copy_made_on_the_spot_after_the_cut_off_counts_as_no_working_time(desk) -> None:  # noqa: ANN001
    """Received on Friday after 15:00, its clock starts on Monday morning; done and ready before the
    officer leaves on Friday. It was resolved in the period, so it is in the average, with 0 days."""
    code = make(desk, "2026-03-06T16:00:00+07:00")
    move(desk, code, 9, "2026-03-06T16:30:00+07:00")
    with desk.read() as session:
        s = statistics.compute(session, date(2026, 3, 6), date(2026, 3, 6))
        (start,) = session.execute(text("SELECT start_at FROM dossier WHERE code = :c"), {"c": code}).one()
    assert start.startswith("2026-03-09T07:00")
    assert (s.resolved, s.average_working_days) == (1, 0.0)
