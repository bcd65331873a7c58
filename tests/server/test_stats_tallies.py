"""The district's statistics come from running totals its database keeps (migration 0009, triggers
on `dossier` and `file_ref`) and must say exactly what counting the dossiers and their files says,
per office and for the whole district, whatever was written: rows added one by one and a batch at
a time, pushes upserted over earlier ones, status, time and checklist changes, a dossier moved to
another office, rows deleted, files named before and after their dossier arrived, and a database
upgraded from 0008 with its dossiers and files. On SQLite and PostgreSQL."""

from __future__ import annotations

import random
from dataclasses import asdict, replace
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from counter_app.services import digitisation_stats, statistics
from district_server.database import Database, insert_many, open_database
from district_server.schema import dossier, file_ref
from district_server.web import stats

OFFICES = ("000.00.20.H12", "000.00.21.H12", "000.00.22.H12")
_MOVES = ("status, due_at, returned_at, last_key, last_event_id, updated_at, name_folded, id_number, procedure_name, "
          "channel, start_at, finished_at, papers").split(", ")


def _at(rng: random.Random, day: date) -> str:
    return f"{day.isoformat()}T{rng.randrange(6, 19):02d}:{rng.randrange(60):02d}:00+07:00"


def _dossier(rng: random.Random, n: int) -> dict[str, Any]:
    """A dossier row of any state ingest can leave: received any hour (weekends too), ended before
    its clock started or weeks late, returned or not, refused, withdrawn, stopped, in process."""
    received = date(2025, 11, 1) + timedelta(days=rng.randrange(0, 240))
    status = rng.choice((2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 10, 10, 10))
    start = received + timedelta(days=rng.choice((0, 0, 1, 3)))
    finished = received + timedelta(days=rng.choice((0, 1, 4, 9, 25)))
    due = received + timedelta(days=rng.choice((1, 3, 5, 10)))
    return {
        "id": f"d-{n:06d}", "agency_code": rng.choice(OFFICES), "code": f"X-{n:06d}", "counter": 0, "status": status,
        "procedure_code": "1.000001", "received_at": _at(rng, received), "due_at": _at(rng, due),
        "returned_at": _at(rng, finished + timedelta(days=rng.randrange(0, 5))) if status == 10 else None,
        "last_key": f"{received.isoformat()}T00:00:00.000000Z-{n:06d}", "last_event_id": f"e-{n:06d}",
        "created_at": "2026-07-01T00:00:00+07:00", "updated_at": "2026-07-01T00:00:00+07:00",
        "name_folded": "nguyen van a", "id_number": "", "procedure_name": "Chứng thực bản sao",
        "channel": rng.choice((1, 1, 2, 3)), "start_at": _at(rng, start),
        "finished_at": _at(rng, finished) if status in (7, 8, 9, 10) or rng.random() < 0.05 else None,
        "papers": rng.choice((0, 1, 2, 3)),
    }


def _files(rng: random.Random, made: list[dict[str, Any]], first: int, count: int) -> list[dict[str, Any]]:
    """File references as ingest records them: checklist papers (1-based, 0 for "giấy tờ khác",
    sometimes one beyond the checklist) and results, for dossiers held or not yet arrived."""
    rows = []
    for i in range(first, first + count):
        target = rng.choice(made)
        kind = rng.choice(("component", "component", "component", "result"))
        rows.append({"event_id": f"f-{i:06d}", "sha256": f"{i:064x}", "agency_code": target["agency_code"],
                     "dossier_id": target["id"], "seen_at": "2026-07-01T00:00:00+07:00", "file_kind": kind,
                     "component": rng.choice((0, 1, 2, 3, 4)) if kind == "component" else 0})
    return rows


def _write_histories(db: Database, rng: random.Random) -> None:
    made = [_dossier(rng, n) for n in range(400)]
    with db.write() as conn:
        conn.execute(sa.insert(file_ref), _files(rng, made[:300], 0, 300))  # named before their dossier arrives
        for row in made[:40]:  # one at a time
            conn.execute(sa.insert(dossier).values(**row))
        conn.execute(sa.insert(dossier), made[40:300])  # a batch
    # A push over dossiers already held, as ingest writes it (an upsert of each one's latest state).
    pushed = [{**_dossier(rng, n), "id": made[n]["id"], "code": made[n]["code"]} for n in range(250, 330)]
    pushed += made[300:]
    with db.write() as conn:
        insert_many(conn, "dossier", pushed,
                    "ON CONFLICT (id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in _MOVES))
    with db.write() as conn:
        for ref in _files(rng, made, 300, 400):  # named after, one at a time as a push's events
            conn.execute(sa.insert(file_ref).values(**ref))
        for n in rng.sample(range(400), 120):  # a column or two changed by hand, as a district move does
            other = _dossier(rng, n)
            changed = rng.sample(["status", "finished_at", "due_at", "returned_at", "start_at", "channel",
                                  "agency_code", "received_at", "papers"], rng.choice((1, 2)))
            conn.execute(sa.update(dossier).where(dossier.c.id == made[n]["id"])
                         .values({c: other[c] for c in changed}))
        conn.execute(sa.delete(dossier).where(dossier.c.id.in_([made[n]["id"] for n in rng.sample(range(400), 15)])))


def _periods(rng: random.Random) -> list[tuple[date, date]]:
    months = [(date(2026, m, 1), date(2026, m + 1, 1) - timedelta(days=1)) for m in range(1, 7)]
    days = [date(2025, 11, 1) + timedelta(days=rng.randrange(0, 260)) for _ in range(10)]
    return [*months, *((d, d) for d in days), *((d, d + timedelta(days=6)) for d in days[:4]),
            (date(2026, 1, 1), date(2026, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))]


def _both_ways(db: Database, date_from: date, date_to: date) -> list[tuple[Any, Any]]:
    """(from the totals, counted over the dossiers) for the district by office and each office alone,
    and the digitisation indicators of every office."""
    calendar = stats.server_calendar(db)
    out = []
    with db.engine.connect() as conn, conn.begin():
        out.append((digitisation_stats.by_office_from_totals(conn, date_from, date_to),
                    digitisation_stats.by_office(conn, date_from, date_to, digitisation_stats.DISTRICT_FILES)))
        for agency in (None, *OFFICES):
            src = stats._source(db, agency, calendar)
            assert src.tally_slice() is not None
            rows = replace(src, tallied_by="")
            if agency is None:
                tallied, counted = (statistics.compute_by_office(conn, date_from, date_to, source=s)  # type: ignore[arg-type]
                                    for s in (src, rows))
                out.append(((asdict(tallied[0]), {k: asdict(v) for k, v in tallied[1].items()}),
                            (asdict(counted[0]), {k: asdict(v) for k, v in counted[1].items()})))
            else:
                out.append(tuple(asdict(statistics.compute(conn, date_from, date_to, source=s))  # type: ignore[arg-type]
                                 for s in (src, rows)))
    return out


def test_the_district_figures_from_the_totals_are_those_counted_over_the_dossiers(db_url: str) -> None:
    db = open_database(db_url)
    try:
        rng = random.Random(14)
        _write_histories(db, rng)
        compared = digitised = 0
        for a, b in _periods(rng):
            figures = _both_ways(db, a, b)
            for tallied, counted in figures:
                assert tallied == counted, (a, b)
            compared += figures[1][0][0]["resolved"]
            digitised += sum(d.fully_digitised + d.results_digitised for d in figures[0][0].values())
        assert compared > 300 and digitised > 50  # the periods saw resolved and digitised dossiers
    finally:
        db.close()


def test_a_district_database_upgraded_to_the_totals_counts_the_dossiers_it_held(db_url: str) -> None:
    db = Database(db_url)
    try:
        db.migrate("0008")
        _write_histories(db, random.Random(3))
        db.migrate()
        for a, b in _periods(random.Random(3)):
            for tallied, counted in _both_ways(db, a, b):
                assert tallied == counted, (a, b)
    finally:
        db.close()
