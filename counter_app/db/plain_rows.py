"""Many rows read through the driver's own cursor, in a session's transaction or on a plain connection.

SQLAlchemy's Row costs about a microsecond per column read on top of what the driver returns; on a
register of 9,000 dossiers × 19 columns that was a third of the month's export (docs/architecture.md,
"Hot paths"). The rows come back as named tuples (attribute reads at the speed of a tuple's), with the
same names the SQL gives its columns, so a caller reads `r.code` as it would from a Row.

A `Reader` is a session (the cursor is its connection's, in its transaction) or a SQLCipher
connection (db/plain_store.py: the window's first reads, before SQLAlchemy is loaded). This module
imports no SQLAlchemy, so the services whose reads all go through it load without it too.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias

from counter_app.db import cipher

if TYPE_CHECKING:
    from sqlmodel import Session

Reader: TypeAlias = "Session | cipher.Connection"
Params: TypeAlias = "Mapping[str, Any] | Sequence[Any]"


def cursor(reader: Reader) -> Any:
    """A driver cursor on the reader's connection (for a session: in its transaction)."""
    if isinstance(reader, cipher.Connection):
        return reader.cursor()
    return reader.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]


def fetch_all(reader: Reader, sql: str, params: Params) -> list[Any]:
    """Every row of `sql` (named parameters `:name` or `?` marks, as SQLite reads them) as named tuples."""
    cur = cursor(reader)
    try:
        cur.execute(sql, dict(params) if isinstance(params, Mapping) else tuple(params))
        shape = _shape(tuple(column[0] for column in cur.description))
        return list(map(shape._make, cur.fetchall()))
    finally:
        cur.close()


def fetch_one(reader: Reader, sql: str, params: Params) -> Any | None:
    """The first row of `sql` as a named tuple, or None. For the one-row reads of a hot path (the
    office, a procedure, a setting), where building an ORM object costs ten times the read."""
    rows = fetch_all(reader, sql, params)
    return rows[0] if rows else None


def tuples(reader: Reader, sql: str, params: Params) -> list[tuple]:
    """Every row of `sql` as the driver's plain tuples: for the list's keys and counts, read by position."""
    cur = cursor(reader)
    try:
        cur.execute(sql, dict(params) if isinstance(params, Mapping) else tuple(params))
        return cur.fetchall()
    finally:
        cur.close()


@lru_cache(maxsize=64)
def _shape(names: tuple[str, ...]) -> type:
    return namedtuple("Row", names)  # noqa: PYI024 - the names come from the SQL at run time
