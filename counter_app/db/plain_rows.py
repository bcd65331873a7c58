"""Many rows read through the driver's own cursor, on the session's connection and in its transaction.

SQLAlchemy's Row costs about a microsecond per column read on top of what the driver returns; on a
register of 9,000 dossiers × 19 columns that was a third of the month's export (docs/architecture.md,
"Hot paths"). The rows come back as named tuples (attribute reads at the speed of a tuple's), with the
same names the SQL gives its columns, so a caller reads `r.code` as it would from a Row.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlmodel import Session


def fetch_all(session: Session, sql: str, params: Mapping[str, Any]) -> list[Any]:
    """Every row of `sql` (named parameters `:name`, as SQLite reads them) as named tuples."""
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, dict(params))
        shape = _shape(tuple(column[0] for column in cursor.description))
        return list(map(shape._make, cursor.fetchall()))
    finally:
        cursor.close()


def fetch_one(session: Session, sql: str, params: Mapping[str, Any]) -> Any | None:
    """The first row of `sql` as a named tuple, or None. For the one-row reads of a hot path (the
    office, a procedure, a setting), where building an ORM object costs ten times the read."""
    rows = fetch_all(session, sql, params)
    return rows[0] if rows else None


@lru_cache(maxsize=64)
def _shape(names: tuple[str, ...]) -> type:
    return namedtuple("Row", names)  # noqa: PYI024 - the names come from the SQL at run time
