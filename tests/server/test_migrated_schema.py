"""The server's migrations are the schema: a database migrated from nothing has exactly the tables
of district_server/schema.py, on SQLite and PostgreSQL, and the migrations written compactly
(counter_app/db/schema_kit.py) still make, byte for byte, the schema they made when written."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from district_server.database import Database
from district_server.schema import metadata
from tests.schemas import pinned, postgres_schema, sqlite_schema


def test_a_database_migrated_to_0005_has_the_schema_pinned_when_0005_was_written(db_url: str) -> None:
    db = Database(db_url)
    try:
        db.migrate("0005")
        with db.engine.connect() as conn:
            if db.is_sqlite:
                assert sqlite_schema(conn.connection.dbapi_connection) == pinned("server_sqlite_0005.txt")
            else:
                assert postgres_schema(conn) == pinned("server_postgres_0005.txt")
    finally:
        db.close()


def test_a_migrated_database_has_the_tables_and_indexes_schema_py_describes(db_url: str) -> None:
    db = Database(db_url)
    try:
        db.migrate()
        with db.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        db.close()
    # PostgreSQL only: 0004 adds a text_pattern_ops index of the code for prefix search, which
    # schema.py cannot declare for one dialect alone (SQLite searches through uq_dossier_code).
    expected = [] if db.is_sqlite else [("remove_index", "ix_dossier_code_pattern")]
    assert [(d[0], d[1].name) if isinstance(d, tuple) else d for d in differences] == expected
