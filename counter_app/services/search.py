"""Finding dossiers: by code (what a barcode scan does), by folded name, ID number or phone.

Results come newest first, a page at a time (keyset paging on dossier.search_key, which is also
the rowid of the FTS5 name index), so a query costs one page whatever ten years of data hold.
The rows are read through the driver (db/plain_rows), on a session or on the plain connection the
window reads through before SQLAlchemy is loaded (db/plain_store.py); only `find_by_code` needs the ORM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from counter_app.db import plain_rows
from counter_app.db.plain_rows import Reader
from counter_app.domain.codes import code_day_range
from counter_app.domain.text import fold
from counter_app.domain.vn_time import day_start

if TYPE_CHECKING:
    from sqlmodel import Session

    from counter_app.db.models import Dossier

PAGE_SIZE = 50
# The start of a dossier code ("000.00.20.H12-2602…"): agency codes always begin "ddd."
CODE_PREFIX_RE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z.\-]*$")


@dataclass(frozen=True)
class DossierRow:
    """One line of a result list: only what the list shows."""

    id: str
    code: str
    applicant_name: str
    id_number: str
    phone: str
    procedure_name: str
    received_at: str
    due_at: str
    status: int
    returned_at: str | None
    search_key: int


@dataclass(frozen=True)
class Page:
    rows: list[DossierRow]
    next_key: int | None  # pass as `before_key` for the next page; None: no more


_ROW_SQL = """
SELECT d.id, d.code, a.full_name, a.id_number, a.phone, d.procedure_name, d.received_at, d.due_at,
       d.status, d.returned_at, d.search_key
FROM dossier d JOIN applicant a ON a.id = d.applicant_id
"""


def key_at(moment: datetime) -> int:
    """The search_key of a dossier received at `moment`: milliseconds × 1000, and intake adds
    0…999 to keep it unique. Newest-first ordering and date bounds both come from it."""
    return int(moment.timestamp() * 1000) * 1000


def select_rows(reader: Reader, where: str, params: dict, *, order: str = "d.search_key DESC",
                limit: int = PAGE_SIZE) -> list[DossierRow]:
    """List rows for a WHERE clause over `dossier d` (other services' filters reuse the one shape)."""
    sql = f"{_ROW_SQL} WHERE {where} ORDER BY {order} LIMIT :lim"
    return _rows(reader, sql, {**params, "lim": limit})


def _rows(reader: Reader, sql: str, params: dict) -> list[DossierRow]:
    # Straight to the driver (its own :name parameters): the list's SQL differs on every page (the
    # keys are inlined), so SQLAlchemy would compile a text() construct afresh each time, and that
    # cost more than the query.
    return [DossierRow(*r) for r in plain_rows.tuples(reader, sql, params)]


def find_by_code(session: Session, code: str) -> Dossier | None:
    from sqlmodel import select

    from counter_app.db.models import Dossier

    value = (code or "").strip().upper()
    if not value:
        return None
    return session.exec(select(Dossier).where(Dossier.code == value)).first()


def fts_query(query: str) -> str:
    """'Nguyễn Văn Đ' -> '"nguyen" "van" "d"*': every word must match, the last as a prefix."""
    words = re.findall(r"[0-9a-z]+", fold(query))
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


@dataclass(frozen=True)
class Query:
    """What the officer typed in a search box, read once for the search command and the dossier list:
    a code prefix, an ID card or phone number (9 digits or more, spaces and dots ignored), or a name."""

    code_prefix: str = ""
    number: str = ""
    match: str = ""  # the name as an FTS5 expression (fts_query)

    @property
    def empty(self) -> bool:
        return not (self.code_prefix or self.number or self.match)


def read_query(text: str) -> Query:
    q = (text or "").strip()
    upper = q.upper()
    if CODE_PREFIX_RE.match(upper):
        return Query(code_prefix=upper)
    digits = re.sub(r"[\s.\-]", "", q)
    if digits.isdigit() and len(digits) >= 9:
        return Query(number=digits)
    return Query(match=fts_query(q))


def search(reader: Reader, query: str, *, limit: int = PAGE_SIZE, before_key: int | None = None) -> Page:
    """The search command's page: newest first, `limit` rows, `next_key` when more follow."""
    q = read_query(query)
    if q.code_prefix:
        return _by_code_prefix(reader, q.code_prefix, limit, before_key)
    if q.number:
        return _by_number(reader, q.number, limit, before_key)
    if not q.match:
        return _latest(reader, limit, before_key)
    sql = (
        _ROW_SQL
        + " JOIN (SELECT rowid AS k FROM dossier_search WHERE dossier_search MATCH :m"
        + (" AND rowid < :before" if before_key is not None else "")
        + " ORDER BY rowid DESC LIMIT :lim) hits ON hits.k = d.search_key ORDER BY d.search_key DESC"
    )
    return _page(reader, sql, {"m": q.match, "before": before_key, "lim": limit + 1}, limit)


def _latest(reader: Reader, limit: int, before_key: int | None) -> Page:
    where = " WHERE d.search_key < :before" if before_key is not None else ""
    sql = _ROW_SQL + where + " ORDER BY d.search_key DESC LIMIT :lim"
    return _page(reader, sql, {"before": before_key, "lim": limit + 1}, limit)


def _by_code_prefix(reader: Reader, prefix: str, limit: int, before_key: int | None) -> Page:
    """Newest first along search_key, bounded by the received days the typed code digits allow;
    unary plus keeps SQLite off the code index, which for a broad prefix ("000.…") is every row."""
    first, last = code_day_range(prefix)
    params: dict = {"lo": prefix, "hi": prefix + "\uffff", "before": before_key, "lim": limit + 1}
    where = " WHERE +d.code >= :lo AND +d.code < :hi"
    if before_key is not None:
        where += " AND d.search_key < :before"
    if first is not None and last is not None:
        start = day_start(first)
        params["klo"], params["khi"] = key_at(start), key_at(start + timedelta(days=(last - first).days + 1))
        where += " AND d.search_key >= :klo AND d.search_key < :khi"
    sql = _ROW_SQL + where + " ORDER BY d.search_key DESC LIMIT :lim"
    return _page(reader, sql, params, limit)


def _by_number(reader: Reader, digits: str, limit: int, before_key: int | None) -> Page:
    before = " AND d.search_key < :before" if before_key is not None else ""
    sql = (
        _ROW_SQL
        + " WHERE d.applicant_id IN (SELECT id FROM applicant WHERE id_number = :n OR phone = :n)"
        + before
        + " ORDER BY d.search_key DESC LIMIT :lim"
    )
    return _page(reader, sql, {"n": digits, "before": before_key, "lim": limit + 1}, limit)


def _page(reader: Reader, sql: str, params: dict, limit: int) -> Page:
    rows = _rows(reader, sql, params)
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, rows[-1].search_key if more and rows else None)
