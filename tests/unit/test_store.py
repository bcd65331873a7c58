from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlmodel import select

from counter_app.db import cipher
from counter_app.db.models import Office
from counter_app.db.store import HEAD_REVISION, KNOWN_REVISIONS, MIGRATIONS_DIR, Store
from counter_app.errors import UserError
from tests.conftest import raw_store


def test_durability_pragmas_on_every_connection(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_pages_read_again_come_from_memory_and_the_caches_together_stay_bounded(store: Store) -> None:
    # SQLite's default page cache (2 MiB) let an encrypted 1M store decrypt a month's pages again for
    # each query reading them (docs/protection.md, "Costs"); one cache per pooled connection, each as
    # large, would let the window's memory grow with the store: the process's SQLite memory is capped.
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -64 * 1024  # KiB
        assert conn.exec_driver_sql("PRAGMA soft_heap_limit").scalar() == 64 * 1024 * 1024


def test_the_waiting_counts_are_read_from_the_index_alone(store: Store) -> None:
    # What the status bar and each pass's report ask: counting the rows by state must not read the
    # rows (their payloads, megabytes at a large backlog), only the partial index of what is unsent.
    from sqlmodel import Session

    from counter_app.sync.engine import outbox_counts

    seen: list[str] = []
    with Session(store.engine) as session:
        conn = session.connection()
        assert outbox_counts(session) == {"pending": 0, "rejected": 0}
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT state, count(*) FROM outbox WHERE sent_at IS NULL GROUP BY state").all()
        seen = [row[-1] for row in plan]
    unsent_only = ("COVERING INDEX ix_outbox_pending", "COVERING INDEX ix_outbox_unsent_dossier")  # both partial
    assert any(index in step for step in seen for index in unsent_only), seen


def test_known_revisions_match_the_alembic_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    scripts = ScriptDirectory.from_config(config)
    chain = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    assert tuple(chain) == KNOWN_REVISIONS
    assert scripts.get_current_head() == HEAD_REVISION


def test_a_new_store_is_at_head_and_private(store: Store) -> None:
    assert store.current_revision() == HEAD_REVISION
    assert (store.path.stat().st_mode & 0o777) == 0o600
    assert (store.path.parent.stat().st_mode & 0o777) == 0o700


def test_a_failed_write_changes_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store.write() as session:
            session.add(Office(agency_code="000.00.20.H12", agency_name="x", office_name="y", place="z", counter=0,
                               created_at="2026-01-01T00:00:00+07:00"))
            session.flush()
            raise RuntimeError("power cut")
    with store.read() as session:
        assert session.exec(select(Office)).first() is None


def _old_store(directory: Path) -> Path:
    """A store as version 0001 of the schema left it (clear: before encryption), with one dossier in it."""
    directory.mkdir(parents=True)
    old = Store(directory / "counter.sqlite3", key=None)
    old.migrate("0001")
    old.close()
    conn = cipher.connect(directory / "counter.sqlite3", None)
    conn.executescript("""
        INSERT INTO office VALUES (1, '000.00.20.H12', 'UBND xã Bình Mỹ', 'Bộ phận Một cửa', 'Bình Mỹ', 0,
                                   '2025-03-01T08:00:00+07:00', '{}');
        INSERT INTO procedure VALUES ('2.000815', 'Chứng thực bản sao từ bản chính', 'chung thuc ban sao tu ban chinh',
                                      'Chứng thực', 0, '2.000 đồng/trang', NULL, '[]', 1, '2025-03-01T08:00:00+07:00');
        INSERT INTO applicant VALUES ('0195a0b0-0000-7000-8000-000000000001', 'Nguyễn Văn Đức', 'nguyen van duc',
                                      '001090123456', '', '1990-01-01', 'Nam', 'Bình Mỹ', '0912345678', '', '{}');
        INSERT INTO dossier VALUES ('0195a0b0-0000-7000-8000-000000000002', '000.00.20.H12-250303-0001',
            '000.00.20.H12', 0, '2.000815', 'Chứng thực bản sao từ bản chính', 0,
            '0195a0b0-0000-7000-8000-000000000001', 2, 1, 1, '2025-03-03T09:00:00+07:00',
            '2025-03-03T09:00:00+07:00', '2025-03-03T17:00:00+07:00', NULL, NULL, NULL, NULL, '', 'an',
            '2025-03-03T09:00:00+07:00', '2025-03-03T09:00:00+07:00');
    """)
    conn.commit()
    conn.close()
    return directory


def test_an_old_store_is_backed_up_then_migrated_without_loss(tmp_path: Path) -> None:
    directory = _old_store(tmp_path / "old")
    before = hashlib.sha256((directory / "counter.sqlite3").read_bytes()).hexdigest()
    store = Store.open(directory)
    assert store.current_revision() == HEAD_REVISION
    assert not cipher.is_clear(directory / "counter.sqlite3")  # encrypted on the way, nothing lost

    from counter_app.services.lookup import open_by_code
    from counter_app.services.search import search

    with store.read() as session:
        dossier = open_by_code(session, "000.00.20.H12-250303-0001")
        assert dossier["applicant"]["full_name"] == "Nguyễn Văn Đức"
        assert dossier["due_at"] == "2025-03-03T17:00:00+07:00"
        hits = search(session, "duc").rows
        assert [h.code for h in hits] == ["000.00.20.H12-250303-0001"]
    backups = list((directory / "backups").glob("truoc-nang-cap-0001-*.sqlite3"))
    assert len(backups) == 1
    conn = raw_store(backups[0], keys_in=directory)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert conn.execute("SELECT code FROM dossier").fetchall() == [("000.00.20.H12-250303-0001",)]
    conn.close()
    assert before  # the pre-upgrade file existed and was read


def test_a_store_from_a_newer_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    directory = tmp_path / "newer"
    Store.open(directory).close()
    conn = raw_store(directory / "counter.sqlite3")
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.commit()
    conn.close()
    before = (directory / "counter.sqlite3").read_bytes()
    with pytest.raises(UserError, match="phiên bản mới hơn"):
        Store.open(directory)
    assert (directory / "counter.sqlite3").read_bytes() == before
