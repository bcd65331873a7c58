"""The counter's migrations are the schema: a new store and one upgraded from any older version
have exactly the tables the models describe, and the migrations written compactly
(counter_app/db/schema_kit.py) still make, byte for byte, the schema they made when written."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from counter_app.db import cipher
from counter_app.db.models import SQLModel
from counter_app.db.store import Store
from tests.schemas import pinned, sqlite_schema


def _migrated(path: Path, target: str = "head") -> Store:
    store = Store(path, key=None)
    store.migrate(target)
    return store


def test_a_store_migrated_to_0008_has_the_schema_pinned_when_0008_was_written(tmp_path: Path) -> None:
    _migrated(tmp_path / "counter.sqlite3", "0008").close()
    conn = cipher.connect(tmp_path / "counter.sqlite3", None)
    try:
        assert sqlite_schema(conn) == pinned("counter_0008.txt")
    finally:
        conn.close()


def test_a_migrated_store_has_the_tables_and_indexes_the_models_describe(tmp_path: Path) -> None:
    store = _migrated(tmp_path / "counter.sqlite3")
    try:
        with store.engine.connect() as conn:
            # The name index is an FTS5 table the migrations make and the models do not describe.
            context = MigrationContext.configure(conn, opts={"include_name": _not_the_name_index})
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        store.close()
    # dossier.search_key: the model says NOT NULL UNIQUE; 0002 added it nullable (to fill the rows
    # already there) with a unique index, which SQLite enforces the same way.
    assert [_what(d) for d in differences] == [("modify_nullable", "dossier", "search_key"),
                                               ("remove_index", "ix_dossier_search_key"),
                                               ("add_constraint", "dossier", "search_key")]


def _not_the_name_index(name: str | None, kind: str, _parent: object) -> bool:
    return not (kind == "table" and (name or "").startswith("dossier_search"))


def _what(difference: object) -> tuple[str, ...]:
    if isinstance(difference, list):  # column changes come as a list of one
        (difference,) = difference
    kind, *rest = difference  # type: ignore[misc]
    if kind == "modify_nullable":
        return kind, rest[1], rest[2]
    if kind == "remove_index":
        return kind, rest[0].name
    return kind, rest[0].table.name, *[c.name for c in rest[0].columns]
