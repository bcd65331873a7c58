"""Backups and restore of the store.

A backup is an online copy through SQLite's backup API (never a file copy of a live store),
written to a temporary name, checked (integrity, schema, office) and only then given its name.
A restore checks the file before touching anything, refuses while a window has the store open,
keeps the current store as a backup, and swaps the new one in with one atomic rename.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from counter_app import clock
from counter_app.config import ensure_private_dir, store_path
from counter_app.db.store import KNOWN_REVISIONS, Store, check_writable
from counter_app.domain.vn_time import vn_day
from counter_app.errors import UserError
from counter_app.instance import InstanceLock

AUTO_PREFIX = "quaymotcua-"
KEEP_AUTOMATIC = 14


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    agency_code: str
    revision: str
    dossiers: int
    size: int


def inspect(path: Path) -> BackupInfo:
    """What a backup file holds; a file that is not a sound backup of a store is refused."""
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp sao lưu '{path}'.")
    with path.open("rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise UserError(f"Tệp '{path.name}' không phải bản sao lưu của Quầy Một Cửa.")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        raise UserError(f"Không mở được tệp sao lưu '{path.name}'.") from None
    try:
        if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            raise UserError(f"Tệp sao lưu '{path.name}' bị hỏng (kiểm tra toàn vẹn không đạt).")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "office", "dossier"} <= tables:
            raise UserError(f"Tệp '{path.name}' không phải bản sao lưu của Quầy Một Cửa.")
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        if revision not in KNOWN_REVISIONS:
            raise UserError(f"Bản sao lưu '{path.name}' do phiên bản mới hơn tạo ra; hãy cập nhật phần mềm trước.")
        office = conn.execute("SELECT agency_code FROM office WHERE id = 1").fetchone()
        if office is None:
            raise UserError(f"Bản sao lưu '{path.name}' chưa có thông tin cơ quan.")
        dossiers = conn.execute("SELECT COUNT(*) FROM dossier").fetchone()[0]
    except sqlite3.DatabaseError:
        raise UserError(f"Tệp sao lưu '{path.name}' bị hỏng hoặc không đầy đủ.") from None
    finally:
        conn.close()
    return BackupInfo(path, office[0], revision, dossiers, path.stat().st_size)


def make_backup(store: Store, target: Path) -> BackupInfo:
    """Write a checked backup to `target`; on any failure no file is left at `target`."""
    target = target.expanduser()
    if not target.parent.is_dir():
        raise UserError(f"Thư mục '{target.parent}' không tồn tại.")
    tmp = target.with_name(f".{target.name}.dang-ghi")
    try:
        store.backup_to(tmp)
        info = inspect(tmp)
        os.replace(tmp, target)
    except PermissionError:
        raise UserError(f"Không có quyền ghi vào '{target.parent}'.") from None
    except (OSError, sqlite3.Error) as exc:
        full = isinstance(exc, OSError) and exc.errno == 28 or "full" in str(exc)
        raise UserError("Ổ đĩa đầy: không ghi được bản sao lưu; kho dữ liệu vẫn nguyên vẹn." if full
                        else f"Không ghi được bản sao lưu: {exc}.") from None
    finally:
        tmp.unlink(missing_ok=True)
    return BackupInfo(target, info.agency_code, info.revision, info.dossiers, target.stat().st_size)


def automatic_backup(store: Store, folder: Path, *, keep: int = KEEP_AUTOMATIC,
                     now: datetime | None = None) -> BackupInfo:
    """A named, rotated backup (start-up and daily): keeps the newest `keep` automatic ones."""
    ensure_private_dir(folder)
    stamp = (now or clock.now()).strftime("%Y%m%d-%H%M%S")
    info = make_backup(store, folder / f"{AUTO_PREFIX}{stamp}.sqlite3")
    for old in sorted(folder.glob(f"{AUTO_PREFIX}*.sqlite3"))[:-keep]:
        old.unlink(missing_ok=True)
    return info


def backup_due(last_at: datetime | None, now: datetime, every_days: int = 1) -> bool:
    """At most one automatic backup every `every_days` calendar days (Vietnam's days; the office
    setting backup.every_days): a store of a million dossiers takes ~40 s and 2.5 GB each, and a
    window restarted four times a morning made four. Due when none was ever made, when the newest
    is that many days old, or when it is dated after `now` (the clock was set back: that date proves
    nothing). Upgrades and restores keep their own copy first (db/store.py, `restore` below)
    whatever this says."""
    if last_at is None or last_at > now:
        return True
    days = (vn_day(now) - vn_day(last_at)).days
    return days >= max(1, every_days)


def latest_automatic(folder: Path) -> Path | None:
    found = sorted(folder.glob(f"{AUTO_PREFIX}*.sqlite3"))
    return found[-1] if found else None


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    previous_kept_at: Path | None


def restore(directory: Path, source: Path) -> RestoreResult:
    """Refused (UserError) with the folder as it was: store, backups/ and no lock file left behind."""
    info = inspect(source)
    current = store_path(directory)
    if directory.is_dir():
        check_writable(directory)
    lock = InstanceLock(directory) if directory.is_dir() else None
    if lock is not None and not lock.acquire():
        raise UserError("Cửa sổ Quầy Một Cửa đang mở kho dữ liệu này: hãy đóng cửa sổ rồi khôi phục lại.")
    kept = None
    try:
        if current.exists():
            old = Store(current)
            try:
                with old.engine.connect() as conn:
                    row = conn.exec_driver_sql("SELECT agency_code FROM office WHERE id = 1").first()
                if row is not None and row[0] != info.agency_code:
                    raise UserError(f"Bản sao lưu thuộc cơ quan {info.agency_code}, không phải {row[0]}: "
                                    "không khôi phục. Kho dữ liệu hiện tại được giữ nguyên.")
                kept = old.backup_dir / f"truoc-khoi-phuc-{clock.now():%Y%m%d-%H%M%S}.sqlite3"
                old.backup_to(kept)
                with old.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                old.close()
        ensure_private_dir(directory)
        _swap_in(source, current)
    except (OSError, sqlite3.Error) as exc:
        if kept is not None:
            kept.unlink(missing_ok=True)
        full = isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "full" in str(exc)
        reason = ("không có quyền ghi" if isinstance(exc, PermissionError) else "ổ đĩa đầy" if full
                  else f"lỗi hệ thống: {exc}")
        raise UserError(f"Không khôi phục được vào '{directory}' ({reason}); kho dữ liệu hiện tại được giữ nguyên.") \
            from None
    except UserError:
        if kept is not None:
            kept.unlink(missing_ok=True)
        raise
    finally:
        if lock is not None:
            lock.release(tidy=True)
    return RestoreResult(info, kept)


def _swap_in(source: Path, current: Path) -> None:
    """Copy `source` beside the store, check it, and rename it over the store in one step."""
    incoming = current.with_name(".counter.sqlite3.dang-khoi-phuc")
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(incoming)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        inspect(incoming)
    except BaseException:
        incoming.unlink(missing_ok=True)
        raise
    # The old store's WAL must not be replayed onto the new file: it was checkpointed empty above.
    for suffix in ("-wal", "-shm"):
        Path(f"{current}{suffix}").unlink(missing_ok=True)
    os.replace(incoming, current)
    os.chmod(current, 0o600)
