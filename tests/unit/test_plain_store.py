"""db/plain_store: the window reads a store plainly only when opening it needs nothing but reading;
every other store is opened whole (created, encrypted, migrated after its backup, or refused)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from counter_app.db import cipher
from counter_app.db.plain_store import PlainStore
from counter_app.desk import Desk
from counter_app.errors import UserError
from tests.conftest import raw_store


def test_a_store_at_this_builds_schema_is_read_plainly_and_only_read(desk) -> None:  # noqa: ANN001
    plain = PlainStore.open(desk.path.parent)
    assert plain is not None
    try:
        with plain.read() as conn:
            assert conn.execute("SELECT agency_code FROM office").fetchone() == ("000.00.20.H12",)
            with pytest.raises(cipher.dbapi.OperationalError, match="readonly"):
                conn.execute("DELETE FROM procedure")
    finally:
        plain.close()


def _at_revision(desk, folder: Path, revision: str) -> Path:  # noqa: ANN001
    shutil.copytree(desk.path.parent, folder, ignore=shutil.ignore_patterns("backups"))
    con = raw_store(folder / desk.path.name)
    with con:
        con.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    con.close()
    return folder


def test_a_store_of_another_schema_is_opened_whole_which_migrates_or_refuses_it(desk, tmp_path: Path) -> None:  # noqa: ANN001
    assert PlainStore.open(_at_revision(desk, tmp_path / "older", "0010")) is None  # Store.open migrates it
    newer = _at_revision(desk, tmp_path / "newer", "0099")
    assert PlainStore.open(newer) is None
    with pytest.raises(UserError, match="phiên bản mới hơn"):
        Desk.open_reading_first(str(newer))


def test_a_missing_or_clear_store_is_opened_whole(tmp_path: Path) -> None:
    assert PlainStore.open(tmp_path / "nothing-here") is None
    clear = tmp_path / "clear"
    clear.mkdir()
    sqlite3.connect(clear / "counter.sqlite3").execute("CREATE TABLE t (x)").connection.close()
    assert PlainStore.open(clear) is None
