"""Each connection to a district database on SQLite: an acknowledged event survives a power cut
(WAL, synchronous FULL), and the statement journals the tally triggers need stay in memory
(docs/sync.md, "Where a push spends its time")."""

from __future__ import annotations

from pathlib import Path

from district_server.database import Database


def test_every_pooled_sqlite_connection_is_durable_and_journals_statements_in_memory(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'district.sqlite3'}")
    try:
        # Two at once: the pool opens a second connection, which must be set up the same way.
        with db.engine.connect() as first, db.engine.connect() as second:
            for conn in (first, second):
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
                assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2  # MEMORY
    finally:
        db.close()
