"""The list's query (services/worklist.py) against a plain Python reading of the same rows: every
filter, paged in small pages with a tiny budget so the partial-page path is walked too."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from counter_app.db import cipher
from counter_app.desk import Desk, ListFilter
from counter_app.domain.statuses import CLOCK_RUNNING
from counter_app.domain.text import fold
from counter_app.domain.vn_time import VN_TZ
from counter_app.services.worklist import worklist
from tests.conftest import raw_store
from tests.ui.conftest import bulk_dossiers

NOW = datetime(2026, 3, 9, 10, 0, tzinfo=VN_TZ)  # a Monday after the week of dossiers


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    from counter_app.db.store import Store
    from counter_app.services import catalogue
    from counter_app.services.office import init_office
    from tests.conftest import AGENCY, TEST_PROCEDURES

    store = Store.open(tmp_path_factory.mktemp("worklist"))
    with store.write() as session:
        init_office(session, agency_code=AGENCY, agency_name="UBND xã Bình Mỹ", place="Bình Mỹ")
        catalogue.import_procedures(session, catalogue.parse_procedures([(str(i), p) for i, p in
                                                                          enumerate(TEST_PROCEDURES)]))
    bulk_dossiers(store, 900, per_day=180, statuses=(2, 4, 5, 9, 10, 2, 7))
    yield store
    store.close()


def everything(store) -> list[dict]:  # noqa: ANN001
    con = raw_store(store.path)
    con.row_factory = cipher.dbapi.Row
    try:
        return [dict(r) for r in con.execute(
            "SELECT d.code, d.search_key, d.status, d.received_at, d.due_at, a.name_folded, a.id_number, a.phone "
            "FROM dossier d JOIN applicant a ON a.id = d.applicant_id ORDER BY d.search_key DESC")]
    finally:
        con.close()


def name_matches(name_folded: str, query: str) -> bool:
    words, tokens = re.findall(r"[0-9a-z]+", fold(query)), re.findall(r"[0-9a-z]+", name_folded)
    return all(w in tokens for w in words[:-1]) and any(t.startswith(words[-1]) for t in tokens)


def expected(rows: list[dict], flt: ListFilter) -> list[str]:
    now = NOW.isoformat(timespec="seconds")
    tomorrow = "2026-03-10T00:00:00+07:00"
    in_24h = "2026-03-10T10:00:00+07:00"

    def keep(r: dict) -> bool:
        q = flt.query
        if q.startswith("000."):
            ok = r["code"].startswith(q.upper())
        elif q.isdigit():
            ok = q in (r["id_number"], r["phone"])
        else:
            ok = not q or name_matches(r["name_folded"], q)
        ok = ok and (not flt.statuses or r["status"] in flt.statuses)
        day = r["received_at"][:10]
        ok = ok and (flt.received_from is None or day >= flt.received_from.isoformat())
        ok = ok and (flt.received_to is None or day <= flt.received_to.isoformat())
        running, due = r["status"] in CLOCK_RUNNING, r["due_at"]
        return ok and {
            "": True,
            "overdue": running and due < now,
            "today": running and now <= due < tomorrow,  # still to come today (domain/deadlines.py)
            "24h": running and now <= due < in_24h,
        }[flt.deadline]

    return [r["code"] for r in rows if keep(r)]


def paged(store, flt: ListFilter) -> tuple[list[str], int]:  # noqa: ANN001
    from dataclasses import asdict

    codes, key, calls = [], None, 0
    with store.read() as session:
        while True:
            page = worklist(session, **asdict(flt), limit=7, before_key=key, now=NOW, budget=40)
            calls += 1
            assert len(page.rows) <= 7
            codes += [r.code for r in page.rows]
            if page.next_key is None:
                return codes, calls
            key = page.next_key


FILTERS = [
    ListFilter(),
    ListFilter(statuses=frozenset({5})),
    ListFilter(statuses=frozenset({2, 4})),
    ListFilter(statuses=frozenset({10}), received_from=date(2026, 3, 3), received_to=date(2026, 3, 4)),
    ListFilter(deadline="overdue"),
    ListFilter(deadline="today"),
    ListFilter(deadline="24h"),
    ListFilter(deadline="overdue", statuses=frozenset({4, 10})),
    ListFilter(deadline="overdue", statuses=frozenset({10})),  # contradictory: nothing
    ListFilter(query="nguyen"),
    ListFilter(query="Đặng Quốc Việt 1"),
    ListFilter(query="tran thi anh", statuses=frozenset({7})),
    ListFilter(query="le", deadline="overdue"),
    ListFilter(query="001090000123"),
    ListFilter(query="000.00.20.H12-260304"),
    ListFilter(query="000.00.20.H12-2603", statuses=frozenset({9}), received_to=date(2026, 3, 3)),
    ListFilter(query="000.00.20.H12-269999"),  # no such day
    ListFilter(query="000.00.20.H12-260"),
    ListFilter(query="000.00.20.H12-26030"),
    ListFilter(query="000.00.20.H12-2613"),  # no such month
    ListFilter(received_from=date(2026, 3, 5)),
]


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in vars(f).items() if v))
def test_every_filter_pages_to_exactly_the_matching_rows(week, flt: ListFilter) -> None:  # noqa: ANN001
    want = expected(everything(week), flt)
    got, _calls = paged(week, flt)
    assert got == want


def test_the_walk_stops_at_its_budget_and_says_where_to_go_on(week, monkeypatch) -> None:  # noqa: ANN001
    from counter_app.services import worklist as module

    monkeypatch.setattr(module, "SPARSE", 1)  # as if status 10 held a million dossiers: walked, not read whole
    flt = ListFilter(statuses=frozenset({10}))
    want = expected(everything(week), flt)
    with week.read() as session:
        page = worklist(session, statuses=flt.statuses, limit=50, now=NOW, budget=40)
    assert len(page.rows) < 50 and page.next_key is not None  # a partial page: more may follow
    assert [r.code for r in page.rows] == want[:len(page.rows)]


def test_rows_carry_sync_state_and_overdue(week) -> None:  # noqa: ANN001
    with week.read() as session:
        rows = worklist(session, deadline="overdue", now=NOW, limit=500).rows
    assert rows and all(r.overdue for r in rows)
    # Only the first dossier went through the intake service (and its outbox); the copies did not.
    assert {r.code: r.sync for r in rows if r.sync == "pending"} == {"000.00.20.H12-260302-0001": "pending"}
    with week.read() as session:
        returned = worklist(session, statuses=[10], now=NOW).rows
    assert returned and not any(r.overdue for r in returned)


def test_desk_worklist_uses_the_same_filter(week) -> None:  # noqa: ANN001
    page = Desk(week).worklist(ListFilter(statuses=frozenset({5})), limit=5)
    assert len(page.rows) == 5 and {r.status for r in page.rows} == {5}
