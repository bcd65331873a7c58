"""The counter's dossier list: newest first, a page at a time, with the officer's filters.

Builds on services/search.py: the same rows (DossierRow), the same keyset paging on
dossier.search_key (newest first), the same folded name query (fts_query). What this adds is the
filters (status set, received date range, due today / within 24 hours / overdue) and a bound on
the work behind every page, whatever the filters and however many dossiers ten years hold:

- a page walks candidates in search_key order (the search_key index, the FTS5 index for a name, or
  the status/due index when the statuses asked for are few) and keeps those that pass the filters;
- it stops after `budget` candidates even when the page is not full, and says where it stopped
  (`Page.next_key` with fewer rows than asked): the caller asks again from there. So one call never
  holds the store for long, and a scan at the counter never waits behind a slow filter.

Every statement goes through the driver (db/plain_rows), so a page reads alike in a session or on
the plain connection of the window's first seconds (db/plain_store.py), and no SQLAlchemy is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from counter_app import clock
from counter_app.db.plain_rows import Reader, tuples
from counter_app.domain import deadlines
from counter_app.domain.codes import code_day_range
from counter_app.domain.statuses import CLOCK_RUNNING
from counter_app.domain.vn_time import day_start
from counter_app.services.search import DossierRow, Page, key_at, read_query, select_rows

PAGE_SIZE = 100
BUDGET = 8192  # candidates looked at per call: ~40 ms on a 1M-dossier store
SPARSE = 20_000  # a status set with fewer dossiers than this is read through its own index
_CHUNK_MAX = 4096


_BY_STATUS = "INDEXED BY ix_dossier_status_due"

DEADLINES = ("", "today", "24h", "overdue")  # no deadline filter, due today, due within 24 h, overdue


@dataclass(frozen=True)
class WorkRow(DossierRow):
    """A list row: the search row, plus what the list shows beside it."""

    sync: str = "synced"  # "pending" while an event of this dossier waits for the district server
    overdue: bool = False  # the clock runs and the appointment has passed


@dataclass
class _Plan:
    status_conds: list[str] = field(default_factory=list)  # status and due time: ix_dossier_status_due
    other_conds: list[str] = field(default_factory=list)  # code prefix, person
    params: dict[str, Any] = field(default_factory=dict)
    lo: int | None = None  # search_key range from the received dates (inclusive, exclusive)
    hi: int | None = None
    statuses: frozenset[int] | None = None  # None: any status
    match: str = ""  # FTS query for a name
    person: bool = False  # an ID number or phone: one person's few dossiers
    nothing: bool = False  # the filters contradict each other: no row can match

    @property
    def conds(self) -> list[str]:
        return self.status_conds + self.other_conds


def worklist(
    reader: Reader,
    *,
    query: str = "",
    statuses: Iterable[int] = (),
    received_from: date | None = None,
    received_to: date | None = None,
    deadline: str = "",
    limit: int = PAGE_SIZE,
    before_key: int | None = None,
    now: datetime | None = None,
    budget: int = BUDGET,
) -> Page:
    """One page of the list, newest first. `query` is read as search.read_query reads it (name, ID
    number, phone or code prefix); `statuses` empty means every status; `received_to` is
    inclusive; `deadline` is one of DEADLINES. Fewer than `limit` rows with a `next_key`: the
    budget ran out first, more may follow from `next_key`."""
    now = now or clock.now()
    plan = _plan(now, query, frozenset(int(s) for s in statuses), (received_from, received_to), deadline)
    if plan.nothing:
        return Page([], None)
    sparse = plan.statuses is not None and not plan.person and _fewer_than(reader, plan, SPARSE)
    if plan.person:
        page = _all_at_once(reader, plan, limit, before_key)
    elif plan.match and sparse:
        # A name among few statuses: their keys as a set, and the name index walked over their span
        # only (cheap: no table reads), so a rare status never means reading every "Nguyễn".
        allowed = _status_keys(reader, plan)
        if not allowed:
            return Page([], None)
        plan.lo, plan.hi = min(allowed), max(allowed) + 1
        page = _walk(reader, plan, _fts_keys(reader, plan), limit, before_key, budget * 4, allowed)
    elif plan.match:
        page = _walk(reader, plan, _fts_keys(reader, plan), limit, before_key, budget)
    elif sparse:
        page = _all_at_once(reader, plan, limit, before_key, hint=_BY_STATUS)
    else:
        page = _walk(reader, plan, _index_keys(reader, plan), limit, before_key, budget)
    return Page(_decorate(reader, page.rows, now), page.next_key)


def _plan(now: datetime, query: str, wanted: frozenset[int], received: tuple[date | None, date | None],
          deadline: str) -> _Plan:
    plan = _Plan()
    statuses = wanted or None
    if deadline:
        if deadline not in DEADLINES:
            raise ValueError(deadline)
        statuses = CLOCK_RUNNING if statuses is None else statuses & CLOCK_RUNNING
        lo, hi = deadlines.window(deadline, now)
        if lo is not None:
            plan.status_conds.append("d.due_at >= :due_lo")
            plan.params["due_lo"] = clock.iso(lo)
        plan.status_conds.append("d.due_at < :due_hi")
        plan.params["due_hi"] = clock.iso(hi)
    if statuses is not None:
        if not statuses:
            plan.nothing = True
        plan.statuses = statuses
        # Integers we made ourselves: inlined so SQLite sees a constant IN list.
        plan.status_conds.append(f"d.status IN ({','.join(str(s) for s in sorted(statuses))})")
    _narrow(plan, received)
    _text(plan, (query or "").strip())
    return plan


def _text(plan: _Plan, query: str) -> None:
    """The query box, read as the search command reads it (search.read_query)."""
    q = read_query(query)
    if q.code_prefix:
        # Unary plus: never let SQLite walk the code index for a broad prefix ("000.…" is every row).
        plan.other_conds.append("+d.code >= :code_lo AND +d.code < :code_hi")
        plan.params.update(code_lo=q.code_prefix, code_hi=q.code_prefix + "\uffff")
        _narrow(plan, code_day_range(q.code_prefix))
    elif q.number:
        plan.other_conds.append("d.applicant_id IN (SELECT id FROM applicant WHERE id_number = :n OR phone = :n)")
        plan.params["n"] = q.number
        plan.person = True
    else:
        plan.match = q.match


def _narrow(plan: _Plan, days: tuple[date | None, date | None]) -> None:
    first, last = days
    if first is not None:
        lo = key_at(day_start(first))
        plan.lo = lo if plan.lo is None else max(plan.lo, lo)
    if last is not None:
        hi = key_at(day_start(last + timedelta(days=1)))
        plan.hi = hi if plan.hi is None else min(plan.hi, hi)
    if plan.lo is not None and plan.hi is not None and plan.lo >= plan.hi:
        plan.nothing = True


# --- candidates, newest first ---------------------------------------------------------------------


def _range_sql(column: str, plan: _Plan, cursor: int | None) -> tuple[str, dict[str, Any]]:
    conds, params = [], {}
    if cursor is not None:
        conds.append(f"{column} < :cursor")
        params["cursor"] = cursor
    if plan.hi is not None:
        conds.append(f"{column} < :key_hi")
        params["key_hi"] = plan.hi
    if plan.lo is not None:
        conds.append(f"{column} >= :key_lo")
        params["key_lo"] = plan.lo
    return " AND ".join(conds), params


def _index_keys(reader: Reader, plan: _Plan) -> Callable[[int | None, int], list[int]]:
    def keys(cursor: int | None, n: int) -> list[int]:
        where, params = _range_sql("search_key", plan, cursor)
        sql = "SELECT search_key FROM dossier" + (f" WHERE {where}" if where else "")
        return [k for (k,) in tuples(reader, sql + " ORDER BY search_key DESC LIMIT :n", {**params, "n": n})]

    return keys


def _fts_keys(reader: Reader, plan: _Plan) -> Callable[[int | None, int], list[int]]:
    def keys(cursor: int | None, n: int) -> list[int]:
        where, params = _range_sql("rowid", plan, cursor)
        sql = "SELECT rowid FROM dossier_search WHERE dossier_search MATCH :m" + (f" AND {where}" if where else "")
        return [k for (k,) in tuples(reader, sql + " ORDER BY rowid DESC LIMIT :n",
                                     {**params, "m": plan.match, "n": n})]

    return keys


def _walk(
    reader: Reader,
    plan: _Plan,
    keys: Callable[[int | None, int], list[int]],
    limit: int,
    before_key: int | None,
    budget: int,
    allowed: set[int] | None = None,
) -> Page:
    """Take candidate keys chunk by chunk, keep the rows that pass the filters, stop at a full page,
    at the end of the candidates, or when the budget is spent (then say where to go on)."""
    rows: list[DossierRow] = []
    cursor, seen = before_key, 0
    if allowed is not None:
        # Keys are checked against the set in memory, so big chunks cost little, and a name that is
        # also a prefix query ("nguyen"*) makes FTS5 merge its whole doclist on every call anyway.
        chunk = chunk_max = 4 * _CHUNK_MAX
    else:
        chunk, chunk_max = (limit + 1 if not plan.conds else min(4 * (limit + 1), _CHUNK_MAX)), _CHUNK_MAX
    while True:
        batch = keys(cursor, chunk)
        wanted = batch if allowed is None else [k for k in batch if k in allowed]
        if wanted:
            rows += _rows_for(reader, plan, wanted, limit + 1 - len(rows))
        if len(rows) > limit:
            return Page(rows[:limit], rows[limit - 1].search_key)
        if len(batch) < chunk:
            return Page(rows, None)
        cursor, seen = batch[-1], seen + len(batch)
        if seen >= budget:
            return Page(rows, cursor)
        chunk = min(chunk * 4, chunk_max)


def _rows_for(reader: Reader, plan: _Plan, keys: list[int], limit: int) -> list[DossierRow]:
    # Keys we read ourselves, inlined so SQLite sees a constant list on its unique index.
    where = " AND ".join([f"d.search_key IN ({','.join(str(int(k)) for k in keys)})", *plan.conds])
    return select_rows(reader, where, plan.params, limit=limit)


def _all_at_once(reader: Reader, plan: _Plan, limit: int, before_key: int | None, *, hint: str = "") -> Page:
    """A small candidate set (one person, a rare status): its keys in one statement, then the rows.
    SQLite's statistics see ~1/6 of the store behind every status, so the status index is named
    outright; the unary plus keeps it off the search_key index (which would walk everything)."""
    where, params = _range_sql("+d.search_key", plan, before_key)
    conds = " AND ".join(c for c in [*plan.conds, where] if c)
    sql = f"SELECT d.search_key FROM dossier d {hint} WHERE {conds} ORDER BY +d.search_key DESC LIMIT :lim"
    keys = [k for (k,) in tuples(reader, sql, {**plan.params, **params, "lim": limit + 1})]
    rows = _rows_for(reader, _Plan(), keys[:limit], limit) if keys else []
    return Page(rows, rows[-1].search_key if len(keys) > limit else None)


def _fewer_than(reader: Reader, plan: _Plan, cap: int) -> bool:
    """Are the dossiers in these statuses (and due window) few? Reads at most `cap` index entries."""
    where = " AND ".join(plan.status_conds)
    sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM dossier d WHERE {where} LIMIT :cap)"
    return tuples(reader, sql, {**plan.params, "cap": cap})[0][0] < cap


def _status_keys(reader: Reader, plan: _Plan) -> set[int]:
    where, params = _range_sql("+d.search_key", plan, None)
    conds = " AND ".join(c for c in [*plan.status_conds, where] if c)
    sql = f"SELECT d.search_key FROM dossier d {_BY_STATUS} WHERE {conds}"
    return {k for (k,) in tuples(reader, sql, {**plan.params, **params})}


def _decorate(reader: Reader, rows: list[DossierRow], now: datetime) -> list[WorkRow]:
    if not rows:
        return []
    # The outbox's pending index holds only unsent events (a few hundred): one read per page.
    marks = ",".join("?" * len(rows))
    waiting = {d for (d,) in tuples(
        reader, f"SELECT DISTINCT dossier_id FROM outbox WHERE sent_at IS NULL AND dossier_id IN ({marks})",
        tuple(r.id for r in rows))}
    stamp = clock.iso(now)
    return [
        WorkRow(**vars(r), sync="pending" if r.id in waiting else "synced",
                overdue=r.status in CLOCK_RUNNING and r.due_at < stamp)
        for r in rows
    ]
