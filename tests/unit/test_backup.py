from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from counter_app.db import cipher
from counter_app.db.store import Store
from counter_app.errors import UserError
from counter_app.instance import InstanceLock
from counter_app.services import backup, intake
from counter_app.services.lookup import open_by_code
from tests.conftest import OFFICE_PASSPHRASE, applicant, clerk, raw_store


def add(store: Store, name: str = "Nguyễn Văn Đức") -> str:
    req = intake.parse_intake({"procedure_code": "9.000000", "applicant": applicant(full_name=name)})
    with store.write() as session:
        return intake.create_dossier(session, req, actor=clerk()).dossier["code"]


def test_backup_is_checked_and_restores_what_it_held(desk, data_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    first = add(desk)
    info = backup.make_backup(desk, tmp_path / "sao-luu.sqlite3")
    assert (info.agency_code, info.dossiers) == ("000.00.20.H12", 1)
    second = add(desk, "Trần Thị Bình")
    desk.close()
    result = backup.restore(data_dir, tmp_path / "sao-luu.sqlite3", OFFICE_PASSPHRASE)
    assert result.previous_kept_at is not None and result.previous_kept_at.exists()
    store = Store.open(data_dir)
    with store.read() as session:
        assert open_by_code(session, first)["applicant"]["full_name"] == "Nguyễn Văn Đức"
        with pytest.raises(UserError):
            open_by_code(session, second)
    # the store replaced by the restore is kept whole
    kept = raw_store(result.previous_kept_at, keys_in=data_dir)
    assert kept.execute("SELECT COUNT(*) FROM dossier").fetchone() == (2,)
    kept.close()


def test_automatic_backups_rotate(desk, tmp_path: Path) -> None:  # noqa: ANN001
    from datetime import timedelta

    from counter_app.clock import parse_iso

    t = parse_iso("2026-11-20T08:00:00+07:00")
    for i in range(5):
        backup.automatic_backup(desk, tmp_path / "usb", keep=3, now=t + timedelta(days=i))
    names = sorted(p.name for p in (tmp_path / "usb").iterdir())
    assert names == ["quaymotcua-20261122-080000.qmcbak", "quaymotcua-20261123-080000.qmcbak",
                     "quaymotcua-20261124-080000.qmcbak"]


def _sizes(directory: Path) -> bytes:
    return (directory / "counter.sqlite3").read_bytes()


@pytest.mark.parametrize("kind", ["truncated", "not-sqlite", "other-sqlite", "other-office"])
def test_bad_backup_files_are_refused_and_the_store_is_untouched(desk, data_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                                  kind: str) -> None:
    add(desk)
    good = backup.make_backup(desk, tmp_path / "good.sqlite3").path
    bad = tmp_path / f"{kind}.sqlite3"
    if kind == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "not-sqlite":
        bad.write_text("xin chào", encoding="utf-8")
    elif kind == "other-sqlite":
        conn = cipher.connect(bad, None)
        conn.execute("CREATE TABLE t(x)")
        conn.commit()
        conn.close()
    else:  # another office's backup, sealed with the same passphrase (district IT may reuse one)
        other = Store.open(tmp_path / "xa-khac", passphrase=OFFICE_PASSPHRASE)
        from counter_app.services.office import init_office

        with other.write() as session:
            init_office(session, agency_code="000.00.99.H12", agency_name="UBND xã Khác", place="Khác", counter=0)
        backup.make_backup(other, bad)
        other.close()
    desk.close()
    before = _sizes(data_dir)
    with pytest.raises(UserError) as info:
        backup.restore(data_dir, bad, OFFICE_PASSPHRASE)
    assert info.value.message
    assert _sizes(data_dir) == before
    assert not list(data_dir.glob(".counter.sqlite3.dang-khoi-phuc"))


def test_restore_refused_while_the_window_holds_the_store(desk, data_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    good = backup.make_backup(desk, tmp_path / "good.sqlite3").path
    window = InstanceLock(data_dir)
    assert window.acquire()
    try:
        with pytest.raises(UserError, match="đang mở"):
            backup.restore(data_dir, good, OFFICE_PASSPHRASE)
    finally:
        window.release()


def test_backup_to_a_missing_folder_leaves_nothing(desk, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(UserError, match="không tồn tại"):
        backup.make_backup(desk, tmp_path / "khong-co" / "x.sqlite3")


def test_a_full_disk_during_a_write_changes_nothing(desk) -> None:  # noqa: ANN001
    """SQLite reports a full disk as SQLITE_FULL; max_page_count makes it happen for real."""
    from sqlalchemy import event

    add(desk)
    with desk.read() as session:
        pages = session.connection().exec_driver_sql("PRAGMA page_count").scalar()

    def cap(dbapi_conn, _record):  # noqa: ANN001, ANN202
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    desk.engine.dispose()
    event.listen(desk.engine, "connect", cap)
    names = [f"Người thứ {i} " + "rất dài " * 200 for i in range(50)]
    with pytest.raises(UserError, match="Ổ đĩa đã đầy"):
        for name in names:
            add(desk, name[:200])
    event.remove(desk.engine, "connect", cap)
    desk.engine.dispose()
    with desk.read() as session:
        assert session.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_a_store_locked_by_another_program_gives_a_clear_message(desk) -> None:  # noqa: ANN001
    import counter_app.db.store as store_module
    from counter_app.errors import StoreBusyError

    other = raw_store(desk.path)
    other.isolation_level = None
    other.execute("BEGIN IMMEDIATE")
    try:
        desk.engine.dispose()
        old = store_module.BUSY_TIMEOUT_MS
        store_module.BUSY_TIMEOUT_MS = 200
        try:
            with pytest.raises(StoreBusyError, match="đang bị một chương trình khác khóa"):
                add(desk)
        finally:
            store_module.BUSY_TIMEOUT_MS = old
            desk.engine.dispose()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert add(desk).endswith("-0001")  # nothing was lost or skipped


def test_a_restart_an_hour_after_a_backup_makes_none_and_the_next_day_makes_one(desk, tmp_path: Path) -> None:  # noqa: ANN001
    from datetime import datetime, timedelta

    from counter_app import desk_admin
    from counter_app.desk import Desk
    from counter_app.domain.vn_time import VN_TZ
    from counter_app.services import settings

    counter = Desk(desk)
    with desk.write() as s:
        settings.put(s, desk_admin.BACKUP_FOLDER_KEY, str(tmp_path))
    morning = datetime(2026, 12, 2, 7, 30, tzinfo=VN_TZ)
    assert desk_admin.backup_due(counter, now=morning)  # never backed up
    desk_admin.run_backup(counter, now=morning)  # the first start of the day
    for later in (timedelta(hours=1), timedelta(hours=1, minutes=17), timedelta(hours=9)):
        assert not desk_admin.backup_due(counter, now=morning + later)  # restarts the same day
    next_day = datetime(2026, 12, 3, 7, 0, tzinfo=VN_TZ)  # less than 24 hours later, but another day
    assert desk_admin.backup_due(counter, now=next_day)
    desk_admin.run_backup(counter, now=next_day)
    assert not desk_admin.backup_due(counter, now=next_day + timedelta(hours=1))
    assert len(list(tmp_path.glob(f"{backup.AUTO_PREFIX}*{backup.AUTO_SUFFIX}"))) == 2


@pytest.mark.parametrize(("last", "now", "due"), [
    (None, "2026-12-02T07:00", True),
    ("2026-12-02T07:00", "2026-12-02T08:00", False),
    ("2026-12-02T07:00", "2026-12-02T23:59", False),
    ("2026-12-01T23:59", "2026-12-02T00:01", True),  # a new day in Vietnam
    ("2026-12-02T16:30+00:00", "2026-12-02T23:40", False),  # 16:30 UTC is 23:30 in Vietnam: the same day
    ("2026-12-05T07:00", "2026-12-02T08:00", True),  # dated in the future: the clock was set back
])
def test_a_backup_is_due_once_a_calendar_day(last: str | None, now: str, due: bool) -> None:
    from counter_app import clock
    from counter_app.services.backup import backup_due

    assert backup_due(clock.parse_iso(last) if last else None, clock.parse_iso(now)) is due


def test_an_office_that_backs_up_every_third_day_makes_none_on_the_second() -> None:
    from counter_app import clock

    last = clock.parse_iso("2026-12-01T07:30:00+07:00")
    assert not backup.backup_due(last, clock.parse_iso("2026-12-03T08:00:00+07:00"), every_days=3)
    assert backup.backup_due(last, clock.parse_iso("2026-12-04T07:00:00+07:00"), every_days=3)


def _scanned(store: Store) -> tuple[str, str]:
    """A dossier with one digitised paper: (code, the file's sha256)."""
    import io

    from PIL import Image

    from counter_app.desk import Desk
    from counter_app.desk_digitise import attach

    code = add(store)
    page = io.BytesIO()
    Image.new("L", (400, 560), "white").save(page, "JPEG")
    return code, attach(Desk(store, clerk()), code, [page.getvalue()], component=1).file.sha256


def test_a_restored_backup_brings_the_scans_back(desk, data_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from counter_app.digitise import filestore
    from counter_app.digitise.vault import FileVault

    code, sha = _scanned(desk)
    info = backup.make_backup(desk, tmp_path / "sao-luu.qmcbak")
    assert (info.files, info.files_missing) == (1, 0)
    assert FileVault.of(desk).read(sha) not in (tmp_path / "sao-luu.qmcbak").read_bytes()  # sealed
    desk.close()
    shutil.rmtree(data_dir / "files")  # the PC's disk lost the scans
    result = backup.restore(data_dir, tmp_path / "sao-luu.qmcbak", OFFICE_PASSPHRASE)
    assert (result.files, result.files_missing) == (1, 0)
    store = Store.open(data_dir)
    with store.read() as session:
        assert filestore.verify(session, FileVault.of(store)).ok
        assert [f.sha256 for f in filestore.files_of(session, filestore_dossier(session, code))] == [sha]
    store.close()
    assert not (data_dir / ".tep-so-hoa.dang-khoi-phuc").exists()


def filestore_dossier(session, code: str):  # noqa: ANN001, ANN201
    from counter_app.services.lookup import find_own

    return find_own(session, code)


def test_a_backup_with_a_damaged_scan_is_refused_and_the_store_is_untouched(desk, data_dir: Path,  # noqa: ANN001
                                                                           tmp_path: Path) -> None:
    _scanned(desk)
    path = tmp_path / "sao-luu.qmcbak"
    backup.make_backup(desk, path)
    add(desk, "Trần Thị Bình")
    desk.close()
    raw = bytearray(path.read_bytes())
    raw[-40] ^= 0xFF  # inside the last record: the sealed scan
    path.write_bytes(bytes(raw))
    before = sorted(p.name for p in data_dir.rglob("*"))
    with pytest.raises(UserError, match="phần tệp số hóa"):
        backup.restore(data_dir, path, OFFICE_PASSPHRASE)
    assert sorted(p.name for p in data_dir.rglob("*")) == before
    store = Store.open(data_dir)
    with store.read() as session:
        assert session.exec(text("SELECT COUNT(*) FROM dossier")).one()[0] == 2
    store.close()


def test_a_scan_lost_before_the_backup_is_counted_not_copied(desk, data_dir: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from counter_app.digitise.vault import FileVault

    _, sha = _scanned(desk)
    kept = FileVault.of(desk).path(sha)
    kept.write_bytes(b"%PDF-1.7 something else")
    info = backup.make_backup(desk, tmp_path / "sao-luu.qmcbak")
    assert (info.files, info.files_missing) == (0, 1)
    desk.close()
    kept.unlink()
    result = backup.restore(data_dir, tmp_path / "sao-luu.qmcbak", OFFICE_PASSPHRASE)
    assert (result.files, result.files_missing) == (0, 1)
