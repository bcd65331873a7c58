"""The daily backup taken from the store's own bytes while the counter works (db/snapshot.py,
docs/protection.md "Backups"): consistent, checked, and no weaker than a backup under a fresh key."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from counter_app.db import cipher, keys
from counter_app.db.store import Store
from counter_app.errors import UserError
from counter_app.services import audit, backup
from tests.conftest import OFFICE_PASSPHRASE, raw_store
from tests.unit.test_backup import add

NEW_PASSPHRASE = "Văn phòng Bình Mỹ đổi mật khẩu 2027"


def _file_key(path: Path, passphrase: str) -> bytes:
    """What a backup's database is encrypted under, as whoever holds `passphrase` can read it."""
    sealed = backup._read_header(path)
    return backup._file_key(path, sealed, passphrase)


def _opens_with(path: Path, key: bytes, tmp: Path) -> bool:
    sealed = backup._read_header(path)
    body = tmp / f"{path.stem}.body"
    backup._copy_out(path, sealed, body)
    conn = cipher.connect(body, key, readonly=True)
    try:
        conn.execute("SELECT count(*) FROM dossier").fetchone()
        return True
    except cipher.DatabaseError:
        return False
    finally:
        conn.close()


def test_a_backup_taken_while_the_counter_keeps_taking_dossiers_restores_whole(desk, data_dir: Path,  # noqa: ANN001
                                                                               tmp_path: Path) -> None:
    for i in range(20):
        add(desk, f"Người nộp {i}")
    stop = threading.Event()
    taken: list[str] = []

    def keep_taking() -> None:
        while not stop.wait(0.005):  # a counter far busier than any: a dossier every few milliseconds
            taken.append(add(desk, f"Người đến sau {len(taken)}"))

    writer = threading.Thread(target=keep_taking)
    writer.start()
    try:
        info = backup.make_backup(desk, tmp_path / "sao-luu.qmcbak")
    finally:
        stop.set()
        writer.join()
    assert taken, "the counter took no dossier while the backup ran"
    # the fast way: the backup is the store's own bytes, under the store's key
    assert _file_key(info.path, OFFICE_PASSPHRASE) == desk.key
    desk.close()
    backup.restore(tmp_path / "pc-moi", info.path, OFFICE_PASSPHRASE)
    restored = raw_store(tmp_path / "pc-moi" / "counter.sqlite3")
    dossiers = restored.execute("SELECT COUNT(*) FROM dossier").fetchone()[0]
    assert dossiers == info.dossiers and 20 <= dossiers <= 20 + len(taken)
    # each dossier the backup holds came with its outbox entry and its audit entry, none half-way
    unsent = restored.execute("SELECT COUNT(*) FROM dossier d WHERE NOT EXISTS (SELECT 1 FROM outbox o "
                              "WHERE o.dossier_id = d.id)").fetchone()[0]
    restored.close()
    assert unsent == 0
    store = Store.open(tmp_path / "pc-moi")
    with store.read() as session:
        assert audit.verify(session).ok
    store.close()


def test_after_the_passphrase_changes_the_old_one_opens_no_new_backup(desk, data_dir: Path,  # noqa: ANN001
                                                                      tmp_path: Path) -> None:
    add(desk)
    old = backup.make_backup(desk, tmp_path / "truoc.qmcbak")
    leaked = _file_key(old.path, OFFICE_PASSPHRASE)  # whoever kept the old passphrase and an old backup
    desk.keyring = keys.set_passphrase(data_dir, NEW_PASSPHRASE)
    add(desk, "Trần Thị Bình")
    new = backup.make_backup(desk, tmp_path / "sau.qmcbak")
    assert not _opens_with(new.path, leaked, tmp_path)
    with pytest.raises(UserError, match="không đúng"):
        backup.inspect(new.path, OFFICE_PASSPHRASE)
    assert backup.inspect(new.path, NEW_PASSPHRASE).dossiers == 2


def test_a_backup_while_another_program_reads_the_store_still_completes(desk, data_dir: Path,  # noqa: ANN001
                                                                        tmp_path: Path) -> None:
    add(desk)
    reader = raw_store(desk.path)
    reader.isolation_level = None
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM dossier").fetchone()  # holds the log: no still snapshot
    try:
        add(desk, "Trần Thị Bình")
        info = backup.make_backup(desk, tmp_path / "sao-luu.qmcbak")
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert info.dossiers == 2
    assert _file_key(info.path, OFFICE_PASSPHRASE) != desk.key  # page by page, under a fresh key
    assert backup.inspect(info.path, OFFICE_PASSPHRASE).dossiers == 2


def test_a_store_with_a_damaged_page_is_not_backed_up_and_no_file_is_left(desk, data_dir: Path,  # noqa: ANN001
                                                                           tmp_path: Path) -> None:
    for i in range(200):
        add(desk, f"Người nộp {i} " + "rất dài " * 20)
    desk.engine.dispose()
    with desk.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    desk.engine.dispose()
    assert pages > 20
    with desk.path.open("r+b") as fh:  # a bad sector in the middle of the file
        fh.seek((pages // 2) * 4096 + 100)
        fh.write(b"\x00" * 64)
    target = tmp_path / "sao-luu.qmcbak"
    with pytest.raises(UserError, match="hỏng"):
        backup.make_backup(desk, target)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("sao-luu", ".sao-luu"))) == []


def test_a_backup_from_the_previous_build_brings_its_scans_back(desk, data_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The previous build sealed the scans under the file key itself and wrote no `files` field."""
    import json

    from counter_app.digitise import filestore
    from counter_app.digitise.vault import FileVault
    from tests.unit.test_backup import _scanned

    _code, sha = _scanned(desk)
    made_header = backup._header

    def older_header(ring: keys.KeyRing, file_key: bytes, db_size: int) -> bytes:
        head = made_header(ring, file_key, db_size)
        fields = json.loads(head[len(backup.MAGIC) + 4:])
        del fields["files"]
        body = json.dumps(fields).encode("ascii")
        return backup.MAGIC + len(body).to_bytes(4, "big") + body

    with monkeypatch.context() as older:
        older.setattr(backup, "_header", older_header)
        older.setattr(backup, "_records_key", lambda file_key, sealed=None: file_key)
        info = backup.make_backup(desk, tmp_path / "ban-cu.qmcbak")
    assert not backup._read_header(info.path).records_derived
    desk.close()
    shutil.rmtree(data_dir / "files")
    result = backup.restore(data_dir, info.path, OFFICE_PASSPHRASE)
    assert (result.files, result.files_missing) == (1, 0)
    store = Store.open(data_dir)
    with store.read() as session:
        assert filestore.verify(session, FileVault.of(store)).ok
    assert FileVault.of(store).state(sha) == "ok"
    store.close()
