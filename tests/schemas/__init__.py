"""The schemas the migrations produced when they were written, pinned as text (see read_schema)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def sqlite_schema(conn: Any) -> str:
    """Every table, index and trigger of a SQLite database as its CREATE text, in a fixed order."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    return "".join(f"{kind}|{name}|{table}|{sql}\n" for kind, name, table, sql in rows)


def pinned(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


POSTGRES_CATALOGUE = (
    "SELECT 'column', table_name, column_name, data_type, coalesce(character_maximum_length, 0), is_nullable, "
    "coalesce(column_default, '') FROM information_schema.columns WHERE table_schema = 'public'",
    "SELECT 'index', tablename, indexname, indexdef, 0, '', '' FROM pg_indexes WHERE schemaname = 'public'",
    "SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid), 0, '', '' "
    "FROM pg_constraint WHERE connamespace = 'public'::regnamespace",
)


def postgres_schema(conn: Any) -> str:
    """Every column, index and constraint of a PostgreSQL database's public schema, in a fixed order
    (from the catalogue rather than pg_dump, whose text changes between PostgreSQL versions)."""
    rows = sorted(tuple(row) for query in POSTGRES_CATALOGUE for row in conn.exec_driver_sql(query).all())
    return "".join("|".join(str(v) for v in row) + "\n" for row in rows)
