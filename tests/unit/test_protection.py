"""Citizens' data at rest (issue 19, docs/protection.md): the store and its backups are encrypted."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path
from sqlite3.dump import _iterdump

import pytest

from counter_app.db import cipher, keys
from counter_app.db.store import HEAD_REVISION, Store
from counter_app.errors import UserError
from counter_app.services import audit, backup, intake
from counter_app.services.lookup import open_by_code
from counter_app.services.office import init_office
from tests.conftest import AGENCY, applicant, clerk, dump_store

PASSPHRASE = "Bình Mỹ giữ dữ liệu công dân 2026"
NAME, ID_NUMBER, PHONE = "Nguyễn Thị Ngọc Ánh", "001190654321", "0987654321"


def _office(directory: Path, passphrase: str | None = PASSPHRASE, agency: str = AGENCY) -> Store:
    store = Store.open(directory, passphrase=passphrase)
    with store.write() as session:
        init_office(session, agency_code=agency, agency_name="UBND xã Bình Mỹ", place="Bình Mỹ", counter=0)
    return store


def _intake(store: Store, name: str = NAME) -> str:
    from counter_app.services import catalogue
    from tests.conftest import TEST_PROCEDURES

    with store.write() as session:
        catalogue.import_procedures(session, catalogue.parse_procedures([("#1", TEST_PROCEDURES[1])]))
    req = intake.parse_intake({"procedure_code": "9.000000",
                               "applicant": applicant(full_name=name, id_number=ID_NUMBER, phone=PHONE)})
    with store.write() as session:
        return intake.create_dossier(session, req, actor=clerk()).dossier["code"]


def _holds_personal_data(path: Path) -> list[str]:
    raw = path.read_bytes()
    needles = {NAME, unicodedata.normalize("NFD", NAME), ID_NUMBER, PHONE, "Ngọc", "Ánh"}
    return [n for n in needles if n.encode("utf-8") in raw]


def test_a_stolen_store_file_does_not_open_without_the_key(tmp_path: Path) -> None:
    store = _office(tmp_path / "pc")
    _intake(store)
    files = [store.path, Path(f"{store.path}-wal")]  # the WAL holds the day's commits until a checkpoint
    assert files[1].stat().st_size > 0
    for path in files:
        assert _holds_personal_data(path) == []
    with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
        sqlite3.connect(store.path).execute("SELECT * FROM applicant").fetchall()
    store.close()
    assert _holds_personal_data(store.path) == []
    wrong = cipher.connect(store.path, bytes(32))
    with pytest.raises(UserError, match="khóa không đúng"):
        cipher.check(wrong, store.path)
    wrong.close()


def test_the_key_files_are_for_this_account_only(tmp_path: Path) -> None:
    store = _office(tmp_path / "pc")
    store.close()
    for name in (keys.KEYS_FILE, keys.LOCAL_KEY_FILE):
        assert ((tmp_path / "pc" / name).stat().st_mode & 0o777) == 0o600
    assert PASSPHRASE.encode() not in (tmp_path / "pc" / keys.KEYS_FILE).read_bytes()


def test_a_backup_restores_on_another_pc_with_the_passphrase(tmp_path: Path) -> None:
    store = _office(tmp_path / "pc-xa")
    code = _intake(store)
    made = backup.make_backup(store, tmp_path / "usb.qmcbak")
    store.close()
    result = backup.restore(tmp_path / "pc-moi", made.path, unicodedata.normalize("NFD", PASSPHRASE))
    assert (result.restored.agency_code, result.restored.dossiers) == (AGENCY, 1)
    other = Store.open(tmp_path / "pc-moi")  # no passphrase asked from now on
    with other.read() as session:
        assert open_by_code(session, code)["applicant"]["full_name"] == NAME
    assert other.current_revision() == HEAD_REVISION
    # the new PC's backups open with the same office passphrase
    again = backup.make_backup(other, tmp_path / "usb-2.qmcbak")
    assert backup.inspect(again.path, PASSPHRASE).dossiers == 1
    other.close()


def test_a_backup_is_useless_without_the_passphrase(tmp_path: Path) -> None:
    store = _office(tmp_path / "pc")
    _intake(store)
    made = backup.make_backup(store, tmp_path / "usb.qmcbak")
    store.close()
    assert _holds_personal_data(made.path) == []
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(made.path).execute("SELECT * FROM applicant").fetchall()
    with pytest.raises(UserError, match="cần cụm mật khẩu"):
        backup.inspect(made.path)
    with pytest.raises(UserError, match="không đúng"):
        backup.inspect(made.path, "một cụm mật khẩu khác hẳn")
    with pytest.raises(UserError, match="cần cụm mật khẩu"):
        backup.restore(tmp_path / "pc-khac", made.path)
    assert not (tmp_path / "pc-khac").exists()


def test_a_wrong_passphrase_changes_nothing(tmp_path: Path) -> None:
    store = _office(tmp_path / "pc")
    _intake(store)
    made = backup.make_backup(store, tmp_path / "usb.qmcbak")
    _intake(store, "Trần Văn Bình")
    store.close()
    folder = tmp_path / "pc"
    before = {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    with pytest.raises(UserError) as refused:
        backup.restore(folder, made.path, "Bình Mỹ giữ dữ liệu công dân 2025")
    assert refused.value.message.startswith("Cụm mật khẩu khôi phục không đúng")
    assert "giữ nguyên" in refused.value.message
    assert {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    with pytest.raises(UserError, match="không đúng"):
        keys.recover(folder, "không phải cụm mật khẩu")
    assert {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_a_damaged_backup_is_refused_even_with_the_passphrase(tmp_path: Path) -> None:
    store = _office(tmp_path / "pc")
    _intake(store)
    made = backup.make_backup(store, tmp_path / "usb.qmcbak")
    store.close()
    raw = bytearray(made.path.read_bytes())
    raw[len(raw) // 2] ^= 0x01  # one bit on a page in the middle
    damaged = tmp_path / "hong.qmcbak"
    damaged.write_bytes(raw)
    before = (tmp_path / "pc" / "counter.sqlite3").read_bytes()
    with pytest.raises(UserError, match="bị hỏng"):
        backup.restore(tmp_path / "pc", damaged, PASSPHRASE)
    assert (tmp_path / "pc" / "counter.sqlite3").read_bytes() == before


def test_the_recovery_passphrase_opens_the_store_after_the_local_key_is_lost(tmp_path: Path) -> None:
    """A reinstalled Windows loses the DPAPI key; here the key file plays that part."""
    store = _office(tmp_path / "pc")
    code = _intake(store)
    store.close()
    (tmp_path / "pc" / keys.LOCAL_KEY_FILE).unlink()
    with pytest.raises(UserError, match="recovery unlock"):
        Store.open(tmp_path / "pc")
    keys.recover(tmp_path / "pc", PASSPHRASE)
    store = Store.open(tmp_path / "pc")
    with store.read() as session:
        assert open_by_code(session, code)["applicant"]["full_name"] == NAME
    store.close()


def test_a_recovery_code_typed_in_lower_case_without_dashes_still_opens(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "pc")
    shown = store.recovery_code
    assert shown is not None and len(shown) == 35
    with store.write() as session:
        init_office(session, agency_code=AGENCY, agency_name="UBND xã Bình Mỹ", place="Bình Mỹ", counter=0)
    made = backup.make_backup(store, tmp_path / "usb.qmcbak")
    store.close()
    assert Store.open(tmp_path / "pc").recovery_code is None  # shown once, at setup
    typed = f"  {shown.replace('-', '').lower()}\n"
    assert backup.inspect(made.path, typed).agency_code == AGENCY


def test_a_short_passphrase_is_refused_at_setup(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="ít nhất 10 ký tự"):
        Store.open(tmp_path / "pc", passphrase="ngắn")
    assert not (tmp_path / "pc" / keys.KEYS_FILE).exists()


def _clear_store_at_head(directory: Path) -> Path:
    """A store as the version before encryption left it: clear, current schema, a day's work."""
    directory.mkdir(parents=True)
    old = Store(directory / "counter.sqlite3", key=None)
    old.keyring = None
    old.migrate()
    with old.write() as session:
        init_office(session, agency_code=AGENCY, agency_name="UBND xã Bình Mỹ", place="Bình Mỹ", counter=0)
    for i in range(3):
        _intake(old, f"{NAME} {i}")
    old.close()
    return directory


def _statements(dump: str) -> list[str]:
    """A dump as sorted statements: an export may list indexes and triggers in another order."""
    return sorted(dump.split(";\n"))


def test_the_upgrade_keeps_every_dossier_and_audit_entry(tmp_path: Path) -> None:
    directory = _clear_store_at_head(tmp_path / "pc")
    path = directory / "counter.sqlite3"
    assert cipher.is_clear(path)
    conn = cipher.connect(path, None)
    clear_dump = _statements("\n".join(_iterdump(conn)))
    conn.close()
    assert sum(s.startswith('INSERT INTO "dossier"') for s in clear_dump) == 3
    assert sum(s.startswith('INSERT INTO "audit_log"') for s in clear_dump) >= 4

    store = Store.open(directory)
    assert store.recovery_code is not None  # the upgrade made the office's code: shown once
    assert not cipher.is_clear(path) and _holds_personal_data(path) == []
    store.close()
    assert _statements(dump_store(path)) == clear_dump  # every row, index and trigger
    kept = list((directory / "backups").glob("truoc-ma-hoa-*.sqlite3"))
    assert len(kept) == 1 and not cipher.is_clear(kept[0])
    assert _statements(dump_store(kept[0], keys_in=directory)) == clear_dump
    store = Store.open(directory)
    with store.read() as session:
        assert audit.verify(session).ok
    store.close()


def test_a_clear_backup_from_before_the_upgrade_still_restores(tmp_path: Path) -> None:
    directory = _clear_store_at_head(tmp_path / "cu")
    clear_backup = tmp_path / "cu.sqlite3"
    src = cipher.connect(directory / "counter.sqlite3", None)
    dst = cipher.connect(clear_backup, None)
    src.backup(dst)
    dst.close()
    src.close()
    store = _office(tmp_path / "pc")
    store.close()
    result = backup.restore(tmp_path / "pc", clear_backup)
    assert result.restored.dossiers == 3
    assert not cipher.is_clear(tmp_path / "pc" / "counter.sqlite3")
    store = Store.open(tmp_path / "pc")
    with store.read() as session:
        assert audit.verify(session).ok
    store.close()


def test_a_store_whose_key_file_is_missing_is_refused_and_left_alone(tmp_path: Path) -> None:
    store = _office(tmp_path / "pc")
    _intake(store)
    store.close()
    (tmp_path / "pc" / keys.KEYS_FILE).unlink()
    before = (tmp_path / "pc" / "counter.sqlite3").read_bytes()
    with pytest.raises(UserError, match="Thiếu tệp khóa"):
        Store.open(tmp_path / "pc")
    assert (tmp_path / "pc" / "counter.sqlite3").read_bytes() == before
    assert not (tmp_path / "pc" / keys.KEYS_FILE).exists()  # no new key made over an existing store


def _in_older_format(store_dir: Path) -> None:
    """The store as the builds before HMAC-SHA256 encrypted it (SQLCipher 4's default SHA-512)."""
    path = store_dir / "counter.sqlite3"
    key = keys.load(store_dir).store_key
    older = path.with_name("older.sqlite3")
    conn = cipher.connect(path, key)
    conn.isolation_level = None
    conn.execute("ATTACH DATABASE ? AS older KEY ?", (str(older), f"x'{key.hex()}'"))
    conn.execute(f"PRAGMA older.cipher_hmac_algorithm = {cipher.OLDER_HMAC}")
    conn.execute("SELECT sqlcipher_export('older')")
    conn.execute(f"PRAGMA older.user_version = {conn.execute('PRAGMA user_version').fetchone()[0]}")
    conn.execute("DETACH DATABASE older")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    older.replace(path)


def test_a_store_encrypted_by_the_previous_build_still_opens_and_its_backup_restores(tmp_path: Path) -> None:
    store = _office(tmp_path / "pc")
    code = _intake(store)
    store.close()
    _in_older_format(tmp_path / "pc")
    again = Store.open(tmp_path / "pc")
    with again.engine.connect() as conn:
        assert cipher.page_format(conn.connection.dbapi_connection) == cipher.OLDER_HMAC  # type: ignore[arg-type]
    with again.read() as session:
        assert open_by_code(session, code)["applicant"]["full_name"] == NAME
    made = backup.make_backup(again, tmp_path / "usb.qmcbak")  # its backups are made in today's format
    again.close()
    backup.restore(tmp_path / "pc-moi", made.path, PASSPHRASE)
    restored = Store.open(tmp_path / "pc-moi")
    with restored.engine.connect() as conn:
        assert cipher.page_format(conn.connection.dbapi_connection) == cipher.HMAC  # type: ignore[arg-type]
    with restored.read() as session:
        assert open_by_code(session, code)["applicant"]["full_name"] == NAME
    restored.close()
    wrong = cipher.connect(tmp_path / "pc" / "counter.sqlite3", bytes(32))  # neither format opens it
    with pytest.raises(UserError, match="khóa không đúng"):
        cipher.check(wrong, tmp_path / "pc" / "counter.sqlite3")
    wrong.close()


def test_a_new_store_checks_its_pages_with_hmac_sha256(tmp_path: Path) -> None:
    store = _office(tmp_path / "pc")
    with store.engine.connect() as conn:
        assert cipher.page_format(conn.connection.dbapi_connection) == cipher.HMAC == "HMAC_SHA256"  # type: ignore[arg-type]
    store.close()
    older = cipher._connect(store.path, keys.load(tmp_path / "pc").store_key, cipher.OLDER_HMAC, False, 5.0)
    with pytest.raises(cipher.DatabaseError, match="not a database"):  # not SQLCipher 4's default format
        older.execute("SELECT count(*) FROM sqlite_master").fetchone()
    older.close()
