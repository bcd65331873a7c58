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
