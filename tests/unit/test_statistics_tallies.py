"""The counter's statistics come from running totals the store keeps (migration 0011) and must say
exactly what counting the dossiers says (Source(): the district's way), whatever the history."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import event, text

from counter_app.clock import parse_iso
from counter_app.domain.calendar import WorkCalendar, WorkPolicy
from counter_app.domain.statuses import ALLOWED_MOVES, CLOCK_RUNNING
from counter_app.domain.vn_time import VN_TZ
from counter_app.services import intake, statistics, workflow
from tests.conftest import applicant, clerk

ME = clerk("cb.an")
NOW = parse_iso("2026-07-01T08:00:00+07:00")
PROCEDURES = ("9.000003", "9.000000", "9.000005")
BY_ROWS = statistics.Source()  # counted over the dossier rows


def _intake(store, at: datetime, procedure: str, channel: int, refusal: str) -> str:  # noqa: ANN001
    req = intake.parse_intake({"procedure_code": procedure, "applicant": applicant(), "channel": channel,
                               "received_at": at.isoformat(), "refusal_reason": refusal}, now=NOW)
    with store.write() as session:
        return intake.create_dossier(session, req, actor=clerk(), now=at).dossier["code"]


def busy_months(store, seed: int, dossiers: int = 70) -> None:  # noqa: ANN001
    """Intakes from January to May 2026 at any hour of the day (after the cut-off too, weekends
    included), each walked along the allowed moves: supplements, extensions, withdrawals, stops,
    results the same afternoon or weeks late, returns with and without a rating."""
    rng = random.Random(seed)
    first = datetime(2026, 1, 2, 7, 0, tzinfo=VN_TZ)
    for _ in range(dossiers):
        at = first + timedelta(days=rng.randrange(0, 140), minutes=rng.randrange(0, 10 * 60 + 30))
        refusal = "Không thuộc thẩm quyền" if rng.random() < 0.07 else ""
        code = _intake(store, at, rng.choice(PROCEDURES), rng.choice((1, 1, 1, 2, 3)), refusal)
        status, when, extended = (3 if refusal else 2), at, False
        while status in ALLOWED_MOVES and rng.random() < 0.9:
            when += timedelta(minutes=rng.choice((20, 90, 60 * 20, 60 * 50, 60 * 24 * 6, 60 * 24 * 20)))
            if when >= NOW:
                break
            with store.write() as session:
                if status in CLOCK_RUNNING and not extended and rng.random() < 0.15:
                    extended = True
                    due = parse_iso(workflow.load(session, code).due_at)
                    workflow.extend(session, code, new_due=due + timedelta(days=rng.choice((3, 10))),
                                    reason="Xin lỗi vì chậm", actor=ME, now=when)
                    continue
                target = rng.choice(sorted(ALLOWED_MOVES[status]))
                if target == 10:
                    workflow.return_result(session, code, workflow.Recipient("Trần Thị Mai"), actor=ME,
                                           rating=rng.choice((None, 1, 2, 3)), now=when)
                else:
                    workflow.move(session, code, target, actor=ME, note="lý do", now=when)
            status = target


def periods(seed: int) -> list[tuple[date, date]]:
    rng = random.Random(seed)
    months = [(date(2026, m, 1), date(2026, m + 1, 1) - timedelta(days=1)) for m in range(1, 7)]
    days = [date(2026, 1, 1) + timedelta(days=rng.randrange(0, 180)) for _ in range(25)]
    weeks = [(d, d + timedelta(days=6)) for d in days[:8]]
    return [*months, *((d, d) for d in days), *weeks, (date(2026, 1, 1), date(2026, 6, 30)),
            (date(2025, 12, 1), date(2025, 12, 31))]


def both(store, a: date, b: date, source: statistics.Source = statistics.COUNTER):  # noqa: ANN001, ANN201
    with store.read() as session:
        return (statistics.compute(session, a, b, source=source),
                statistics.compute(session, a, b, source=replace(BY_ROWS, calendar=source.calendar)))


@pytest.mark.parametrize("seed", [1, 2])
def test_every_figure_from_the_totals_is_the_figure_counted_over_the_dossiers(desk, seed: int) -> None:  # noqa: ANN001
    busy_months(desk, seed)
    compared = 0
    for a, b in periods(seed):
        tallied, counted = both(desk, a, b)
        assert tallied == counted, (a, b)
        compared += tallied.received + tallied.resolved + tallied.returned
    assert compared > 100  # the periods did hold dossiers


def test_the_counters_figures_do_not_range_over_the_dossiers_received_ended_or_returned(desk) -> None:  # noqa: ANN001
    busy_months(desk, 3, dossiers=20)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        statements.append(statement)

    event.listen(desk.engine, "before_cursor_execute", seen)
    try:
        with desk.read() as session:
            s = statistics.compute(session, date(2026, 1, 1), date(2026, 6, 30))
    finally:
        event.remove(desk.engine, "before_cursor_execute", seen)
    assert s.received > 0 and s.resolved > 0
    # The open-at-an-instant reads (carried over, in process) name finished_at >= too, with no upper end.
    ranges = ("d.received_at >= ? AND d.received_at < ?", "d.finished_at >= ? AND d.finished_at < ?",
              "d.returned_at >= ? AND d.returned_at < ?")
    assert [x for x in statements if any(r in x for r in ranges)] == []
    assert any("tally_day" in x for x in statements)


def test_other_working_hours_are_counted_over_the_dossiers_and_agree(desk) -> None:  # noqa: ANN001
    """The totals' working minutes are in the default hours; a calendar with others is not misread."""
    busy_months(desk, 4, dossiers=30)
    hours = WorkPolicy(periods=((time(8, 0), time(12, 0)),))  # mornings only
    tallied, counted = both(desk, date(2026, 1, 1), date(2026, 6, 30),
                            replace(statistics.COUNTER, calendar=WorkCalendar(policy=hours)))
    assert tallied == counted
    default, _ = both(desk, date(2026, 1, 1), date(2026, 6, 30))
    assert tallied.average_working_days != default.average_working_days


def test_a_store_upgraded_to_the_totals_counts_the_dossiers_it_already_held(desk) -> None:  # noqa: ANN001
    busy_months(desk, 5, dossiers=40)
    expected = [both(desk, a, b)[1] for a, b in periods(5)]
    # The store as 0010 left it: the same dossiers, no totals, no triggers.
    with desk.engine.begin() as conn:
        for (name,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                         "name LIKE 'tally_%'")).all():
            conn.execute(text(f"DROP TRIGGER {name}"))
        for table in ("tally_day", "tally_work", "tally_period"):
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0010'"))
    desk.migrate("head")
    assert [both(desk, a, b)[0] for a, b in periods(5)] == expected


def test_a_dossier_removed_takes_its_counts_with_it(desk) -> None:  # noqa: ANN001
    busy_months(desk, 6, dossiers=25)
    with desk.engine.begin() as conn:
        code = conn.execute(text("SELECT code FROM dossier WHERE status = 10 LIMIT 1")).scalar_one()
        for table in ("status_event", "dossier_document", "dossier_search_map", "outbox"):
            if conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = :t"), {"t": table}).first():
                conn.execute(text(f"DELETE FROM {table} WHERE dossier_id = (SELECT id FROM dossier WHERE code = :c)"),
                             {"c": code})
        conn.execute(text("DELETE FROM dossier WHERE code = :c"), {"c": code})
    tallied, counted = both(desk, date(2026, 1, 1), date(2026, 6, 30))
    assert tallied == counted


def test_rows_written_straight_to_the_table_move_their_counts_too(desk) -> None:  # noqa: ANN001
    """The district's pull writes dossier rows itself (sync/pull.py): a due date, a channel, a name or
    a rating changed after the result still moves the counts where they belong."""
    busy_months(desk, 7, dossiers=30)
    with desk.engine.begin() as conn:
        conn.execute(text("UPDATE dossier SET due_at = '2026-01-05T08:00:00+07:00' WHERE status IN (9, 10) "
                          "AND rowid % 2 = 0"))
        conn.execute(text("UPDATE dossier SET channel = 2, procedure_name = 'Tên mới' WHERE rowid % 3 = 0"))
        conn.execute(text("UPDATE dossier SET rating = 3 WHERE returned_at IS NOT NULL AND rowid % 2 = 1"))
        conn.execute(text("UPDATE dossier SET start_at = received_at WHERE rowid % 4 = 1"))
    for a, b in periods(7):
        tallied, counted = both(desk, a, b)
        assert tallied == counted, (a, b)


def test_the_leaders_weekly_chart_from_the_totals_is_the_one_counted_over_the_dossiers(desk) -> None:  # noqa: ANN001
    busy_months(desk, 8)
    shown = 0
    for a, b in periods(8):
        with desk.read() as session:
            tallied = statistics.weekly_series(session, a, b)
            counted = statistics.weekly_series(session, a, b, source=BY_ROWS)
        assert tallied == counted, (a, b)
        shown += sum(received + resolved for _w, received, resolved, _rate in tallied)
    assert shown > 100
