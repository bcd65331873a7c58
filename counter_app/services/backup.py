"""Backups and restore of the store.

A backup is a consistent snapshot of the live store, sealed for the office (db/keys.py,
docs/protection.md "Backups"). Usually it is the store's own bytes held still (db/snapshot.py), under
the store key, every page's HMAC checked while they are copied and the copy read back and hashed;
otherwise (another program holds the log, an older page format, a passphrase changed since backups
began to carry the store key) a page-by-page copy under a fresh random file key, then
`integrity_check` on it. Either way the database's key is wrapped with AES-256-GCM under the key
argon2id derives from the office recovery passphrase, so a backup opens on any PC with that
passphrase and is useless without it. A restore checks the file whole (`integrity_check`) before
touching anything, refuses while a window has the store open, keeps the current store as a backup,
and swaps the new one in with one atomic rename. Clear backups made before encryption still restore
(no passphrase needed for them).

File layout: MAGIC, a 4-byte big-endian length, that many bytes of header JSON (the argon2id
parameters and salt, the wrapped file key, the database's size, how the scans are sealed), then the
SQLCipher 4 database under the file key (AES-256 per page, an HMAC on every page, so damage anywhere
is found, never restored); then the digitised files the store names, each sealed under a key made
from the file key (services/backup_files.py; `files` absent: under the file key itself). A backup
without `db_size` (made before digitisation) is all database.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from counter_app import clock
from counter_app.config import ensure_private_dir, store_path
from counter_app.db import cipher, keys, snapshot
from counter_app.db.store import BUSY_TIMEOUT_MS, KNOWN_REVISIONS, Store, check_writable
from counter_app.digitise.vault import FileVault, files_key
from counter_app.domain.vn_time import vn_day
from counter_app.errors import UserError
from counter_app.instance import InstanceLock
from counter_app.services import backup_files

AUTO_PREFIX = "quaymotcua-"
AUTO_SUFFIX = ".qmcbak"
KEEP_AUTOMATIC = 14
MAGIC = b"QuayMotCua-backup/1\n"
_AAD_FILE_KEY = b"quaymotcua backup file key"
_CHUNK = 1 << 20  # a big store is copied a MiB at a time, never held in memory
_RECORDS_KDF = "hkdf-sha256"
_RECORDS_LABEL = b"quaymotcua backup files v1"
NEEDS_PASSPHRASE = ("Bản sao lưu '{name}' được mã hóa: cần cụm mật khẩu khôi phục của cơ quan "
                    "(hoặc mã khôi phục in khi khởi tạo; dùng --passphrase-stdin).")
WRONG_PASSPHRASE = ("Cụm mật khẩu khôi phục không đúng với bản sao lưu '{name}': không khôi phục. "
                    "Kho dữ liệu hiện tại được giữ nguyên.")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    agency_code: str
    revision: str
    dossiers: int
    size: int
    files: int = 0  # digitised files carried
    files_missing: int = 0  # named by the store but missing or altered on disk when it was made


@dataclass(frozen=True)
class _Sealed:
    kdf: keys.Kdf
    wrapped_key: bytes
    body_offset: int
    db_size: int | None = None  # None: the database runs to the end (a backup from before digitisation)
    records_derived: bool = False  # the digitised files sealed under _records_key (else the file key itself)


def is_sealed(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def _read_header(path: Path) -> _Sealed:
    with path.open("rb") as fh:
        fh.read(len(MAGIC))
        size = int.from_bytes(fh.read(4), "big")
        raw = fh.read(size) if 0 < size < 65536 else b""
    try:
        header = json.loads(raw.decode("ascii"))
        db_size = header.get("db_size")
        if db_size is not None and (not isinstance(db_size, int) or isinstance(db_size, bool) or db_size <= 0):
            raise ValueError(db_size)
        return _Sealed(keys.Kdf.from_json(header["kdf"]), keys._unb64(header["file_key"]),
                       len(MAGIC) + 4 + size, db_size, header.get("files") == _RECORDS_KDF)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise UserError(f"Tệp sao lưu '{path.name}' bị hỏng (phần đầu tệp không đọc được).") from None


def _file_key(path: Path, sealed: _Sealed, passphrase: str | None) -> bytes:
    if passphrase is None:
        raise UserError(NEEDS_PASSPHRASE.format(name=path.name))
    key = keys.open_sealed(sealed.kdf.derive(passphrase), sealed.wrapped_key, _AAD_FILE_KEY)
    if key is None:
        raise UserError(WRONG_PASSPHRASE.format(name=path.name))
    return key


def _extract(path: Path, sealed: _Sealed, target: Path, key: bytes) -> None:
    """The backup's database (still under its file key) into `target`, a chunk at a time, as one
    file: a fast backup carries the store's bytes, in WAL mode, and a read-only look at a WAL file
    would leave a -shm beside it."""
    _copy_out(path, sealed, target)
    try:
        conn = cipher.connect(target, key)
        try:
            conn.execute("PRAGMA journal_mode = DELETE").fetchone()
        finally:
            conn.close()
    except cipher.DatabaseError:
        raise UserError(f"Tệp sao lưu '{path.name}' bị hỏng hoặc không đầy đủ.") from None


def _copy_out(path: Path, sealed: _Sealed, target: Path) -> None:
    with path.open("rb") as src, open(target, "wb") as dst:
        src.seek(sealed.body_offset)
        if sealed.db_size is None:
            shutil.copyfileobj(src, dst, _CHUNK)
        else:
            left = sealed.db_size
            while left > 0 and (chunk := src.read(min(_CHUNK, left))):
                dst.write(chunk)
                left -= len(chunk)
            if left:
                raise UserError(f"Tệp sao lưu '{path.name}' không đầy đủ (bị cắt ngang).")
        dst.flush()
        os.fsync(dst.fileno())


def _header(ring: keys.KeyRing, file_key: bytes, db_size: int) -> bytes:
    header = json.dumps({"kdf": ring.kdf.to_json(),
                         "file_key": keys._b64(keys.seal(ring.recovery_key, file_key, _AAD_FILE_KEY)),
                         "db_size": db_size, "files": _RECORDS_KDF}).encode("ascii")
    return MAGIC + len(header).to_bytes(4, "big") + header


def _records_key(file_key: bytes, sealed: _Sealed | None = None) -> bytes:
    """What a backup's digitised files are sealed under: a key of their own made from the file key,
    which may be the store's own (the fast backup), so that no key encrypts two kinds of thing.
    Backups made before it sealed them under the file key itself."""
    if sealed is not None and not sealed.records_derived:
        return file_key
    return files_key(file_key, _RECORDS_LABEL)


def _create(target: Path) -> BinaryIO:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    return os.fdopen(fd, "wb")


def _seal(db: Path, target: Path, ring: keys.KeyRing, file_key: bytes, vault: FileVault,
          shas: set[str]) -> backup_files.Written:
    with _create(target) as dst, db.open("rb") as src:
        dst.write(_header(ring, file_key, db.stat().st_size))
        shutil.copyfileobj(src, dst, _CHUNK)
        written = backup_files.write(dst, vault, shas, _records_key(file_key))
        dst.flush()
        os.fsync(dst.fileno())
    return written


def _seal_snapshot(store: Store, target: Path, shown: Path) -> tuple[BackupInfo, backup_files.Written]:
    """The fast backup: the store's own bytes, held still (db/snapshot.py), under the store key;
    snapshot.Unavailable when they cannot be held still right now."""
    ring = store.keyring
    assert ring is not None and store.key is not None
    with snapshot.held(store.path, store.key, timeout=BUSY_TIMEOUT_MS / 1000) as snap:
        if cipher.page_format(snap.conn) != cipher.HMAC:  # a store of an older build: backups in today's format
            raise snapshot.Unavailable
        info = _facts(snap.conn, shown, snap.size)
        shas = backup_files.named_in(snap.conn)
        keys.note_store_key_in_backups(store.path.parent, ring)
        with _create(target) as dst:
            head = _header(ring, store.key, snap.size)
            dst.write(head)
            pages_checked = snap.check_pages()
            try:
                digest = snap.copy_to(dst)
                dst.flush()
                os.fsync(dst.fileno())
                read_back = _sha256_of_part(target, len(head), snap.size)
            finally:
                damaged = pages_checked()
            if damaged:
                raise UserError(f"Kho dữ liệu có {len(damaged)} trang bị hỏng: không sao lưu được. Hãy báo cán bộ "
                                "CNTT của huyện; các bản sao lưu đã có vẫn giữ nguyên.")
            if read_back != digest:
                raise UserError(f"Bản sao lưu '{shown.name}' đọc lại không đúng với kho dữ liệu (ổ đĩa ghi lỗi): "
                                "hãy sao lưu sang ổ khác.")
            written = backup_files.write(dst, FileVault.of(store), shas, _records_key(store.key))
            dst.flush()
            os.fsync(dst.fileno())
    return info, written


def _sha256_of_part(path: Path, offset: int, size: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        fh.seek(offset)
        while size > 0 and (chunk := fh.read(min(_CHUNK, size))):
            digest.update(chunk)
            size -= len(chunk)
    return digest.hexdigest()


def inspect(path: Path, passphrase: str | None = None) -> BackupInfo:
    """What a backup file holds; a file that is not a sound backup of a store is refused. A sealed
    backup needs the office recovery passphrase (its database is opened in a temporary folder)."""
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp sao lưu '{path}'.")
    if not is_sealed(path):
        return _inspect_db(path, None, path)
    sealed = _read_header(path)
    key = _file_key(path, sealed, passphrase)
    with tempfile.TemporaryDirectory(prefix="quaymotcua-") as tmp:
        body = Path(tmp) / "kho.sqlite3"
        _extract(path, sealed, body, key)
        info = _inspect_db(body, key, path)
    return BackupInfo(path, info.agency_code, info.revision, info.dossiers, path.stat().st_size)


def _inspect_db(db: Path, key: bytes | None, shown: Path) -> BackupInfo:
    """The checks on a backup's database (clear, or under `key`); `shown` names it to the person."""
    if key is None:
        with db.open("rb") as fh:
            if fh.read(16) != cipher.SQLITE_MAGIC:
                raise UserError(f"Tệp '{shown.name}' không phải bản sao lưu của Quầy Một Cửa.")
    try:
        conn = cipher.connect(db, key, readonly=True)
    except cipher.DatabaseError:
        raise UserError(f"Không mở được tệp sao lưu '{shown.name}'.") from None
    try:
        if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            raise UserError(f"Tệp sao lưu '{shown.name}' bị hỏng (kiểm tra toàn vẹn không đạt).")
        return _facts(conn, shown, db.stat().st_size)
    except cipher.DatabaseError:
        raise UserError(f"Tệp sao lưu '{shown.name}' bị hỏng hoặc không đầy đủ.") from None
    finally:
        conn.close()


def _facts(conn: cipher.Connection, shown: Path, size: int) -> BackupInfo:
    """What a backup's database says it is: a store of this program, of a version it knows, of an office."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not {"alembic_version", "office", "dossier"} <= tables:
        raise UserError(f"Tệp '{shown.name}' không phải bản sao lưu của Quầy Một Cửa.")
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    if revision not in KNOWN_REVISIONS:
        raise UserError(f"Bản sao lưu '{shown.name}' do phiên bản mới hơn tạo ra; hãy cập nhật phần mềm trước.")
    office = conn.execute("SELECT agency_code FROM office WHERE id = 1").fetchone()
    if office is None:
        raise UserError(f"Bản sao lưu '{shown.name}' chưa có thông tin cơ quan.")
    dossiers = conn.execute("SELECT COUNT(*) FROM dossier").fetchone()[0]
    return BackupInfo(shown, office[0], revision, dossiers, size)


def make_backup(store: Store, target: Path) -> BackupInfo:
    """Write a checked backup to `target`; on any failure no file is left at `target`."""
    target = target.expanduser()
    if not target.parent.is_dir():
        raise UserError(f"Thư mục '{target.parent}' không tồn tại.")
    if store.keyring is None:
        raise UserError("Kho dữ liệu chưa có khóa khôi phục của cơ quan: không sao lưu được.")
    tmp = target.with_name(f".{target.name}.dang-ghi")
    db = target.with_name(f".{target.name}.dang-ghi-kho")
    file_key = secrets.token_bytes(32)
    try:
        try:
            if not keys.backups_may_carry_store_key(store.path.parent, store.keyring):
                raise snapshot.Unavailable
            info, written = _seal_snapshot(store, tmp, target)
        except snapshot.Unavailable:  # page by page under a fresh key, checked whole
            store.backup_to(db, file_key)
            info = _inspect_db(db, file_key, target)
            written = _seal(db, tmp, store.keyring, file_key, FileVault.of(store), _named(db, file_key))
        os.replace(tmp, target)
    except PermissionError:
        raise UserError(f"Không có quyền ghi vào '{target.parent}'.") from None
    except (OSError, cipher.DatabaseError) as exc:
        full = isinstance(exc, OSError) and exc.errno == 28 or "full" in str(exc)
        raise UserError("Ổ đĩa đầy: không ghi được bản sao lưu; kho dữ liệu vẫn nguyên vẹn." if full
                        else f"Không ghi được bản sao lưu: {exc}.") from None
    finally:
        tmp.unlink(missing_ok=True)
        db.unlink(missing_ok=True)
    return BackupInfo(target, info.agency_code, info.revision, info.dossiers, target.stat().st_size,
                      written.files, written.missing)


def _named(db: Path, key: bytes) -> set[str]:
    conn = cipher.connect(db, key, readonly=True)
    try:
        return backup_files.named_in(conn)
    finally:
        conn.close()


def automatic_backup(store: Store, folder: Path, *, keep: int = KEEP_AUTOMATIC,
                     now: datetime | None = None) -> BackupInfo:
    """A named, rotated backup (start-up and daily): keeps the newest `keep` automatic ones."""
    ensure_private_dir(folder)
    stamp = (now or clock.now()).strftime("%Y%m%d-%H%M%S")
    info = make_backup(store, folder / f"{AUTO_PREFIX}{stamp}{AUTO_SUFFIX}")
    for old in _automatic(folder)[:-keep]:
        old.unlink(missing_ok=True)
    return info


def _automatic(folder: Path) -> list[Path]:
    """Automatic backups, oldest first: sealed ones and the clear .sqlite3 ones made before
    encryption, rotated together so that the clear copies age out."""
    found = [*folder.glob(f"{AUTO_PREFIX}*{AUTO_SUFFIX}"), *folder.glob(f"{AUTO_PREFIX}*.sqlite3")]
    return sorted(found, key=lambda p: p.stem)


def backup_due(last_at: datetime | None, now: datetime, every_days: int = 1) -> bool:
    """At most one automatic backup every `every_days` calendar days (Vietnam's days; the office
    setting backup.every_days): a store of a million dossiers takes ~12 s and 2.8 GB each, and a
    window restarted four times a morning made four. Due when none was ever made, when the newest
    is that many days old, or when it is dated after `now` (the clock was set back: that date proves
    nothing). Upgrades and restores keep their own copy first (db/store.py, `restore` below)
    whatever this says."""
    if last_at is None or last_at > now:
        return True
    days = (vn_day(now) - vn_day(last_at)).days
    return days >= max(1, every_days)


def latest_automatic(folder: Path) -> Path | None:
    found = _automatic(folder)
    return found[-1] if found else None


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo
    previous_kept_at: Path | None
    recovery_code: str | None = None  # made for a folder that had no key yet: to be shown once
    files: int = 0  # digitised files the backup brought back (each checked against its hash)
    files_missing: int = 0  # files the restored store names that are not in files/ (see files verify)


def restore(directory: Path, source: Path, passphrase: str | None = None) -> RestoreResult:
    """Refused (UserError) with the folder as it was: store, key, backups/ and no lock file left behind.
    A sealed backup needs the office recovery passphrase; a wrong one is refused before anything."""
    if not source.is_file():
        raise UserError(f"Không tìm thấy tệp sao lưu '{source}'.")
    sealed = _read_header(source) if is_sealed(source) else None
    file_key = _file_key(source, sealed, passphrase) if sealed is not None else None
    info = inspect(source) if sealed is None else None  # a clear one is checked where it is
    current = store_path(directory)
    made_dir = not directory.is_dir()
    if not made_dir:
        check_writable(directory)
    lock = InstanceLock(directory) if not made_dir else None
    if lock is not None and not lock.acquire():
        raise UserError("Cửa sổ Quầy Một Cửa đang mở kho dữ liệu này: hãy đóng cửa sổ rồi khôi phục lại.")
    incoming = current.with_name(".counter.sqlite3.dang-khoi-phuc")
    staging = directory / ".tep-so-hoa.dang-khoi-phuc"
    staged: set[str] = set()
    named: set[str] = set()
    kept = code = None
    had_keys = keys.exists(directory)
    try:
        ensure_private_dir(directory)
        if sealed is not None:
            _extract(source, sealed, incoming, file_key)
            info = _inspect_db(incoming, file_key, source)
            assert file_key is not None
            named = _named(incoming, file_key)
            staged = _stage_files(source, sealed, _records_key(file_key, sealed), named, staging)
        assert info is not None
        if current.exists() and current.stat().st_size > 0:
            kept = _keep_current(current, info)
        ring, code = (keys.load(directory), None) if had_keys else keys.create(directory, passphrase)
        if sealed is not None:
            if file_key != ring.store_key:  # a fast backup restored where it was made is under this key already
                cipher.rekey(incoming, file_key, ring.store_key)
        else:
            _encrypt_copy(source, incoming, ring.store_key)
            _inspect_db(incoming, ring.store_key, source)
        vault = FileVault(directory, ring.store_key)
        if staged:
            assert file_key is not None and sealed is not None
            backup_files.put_in_place(staging, _records_key(file_key, sealed), vault, staged)
        _swap_in(incoming, current)
    except (OSError, cipher.DatabaseError) as exc:
        _undo(directory, kept, had_keys, made_dir)
        full = isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "full" in str(exc)
        reason = ("không có quyền ghi" if isinstance(exc, PermissionError) else "ổ đĩa đầy" if full
                  else f"lỗi hệ thống: {exc}")
        raise UserError(f"Không khôi phục được vào '{directory}' ({reason}); kho dữ liệu hiện tại được giữ nguyên.") \
            from None
    except UserError:
        _undo(directory, kept, had_keys, made_dir)
        raise
    finally:
        incoming.unlink(missing_ok=True)
        backup_files.clear(staging)
        if lock is not None:
            lock.release(tidy=True)
    return RestoreResult(info, kept, code, len(staged), backup_files.missing_after(vault, named))


def _stage_files(source: Path, sealed: _Sealed, file_key: bytes, named: set[str], staging: Path) -> set[str]:
    """The backup's digitised files, opened and checked into `staging` (none in an older backup)."""
    if sealed.db_size is None:
        return set()
    with source.open("rb") as src:
        src.seek(sealed.body_offset + sealed.db_size)
        return backup_files.stage(src, file_key, named, staging, source.name)


def _keep_current(current: Path, info: BackupInfo) -> Path:
    """The store being replaced, kept whole in its backups/ (under its own key); another office's
    backup is refused here."""
    key = None if cipher.is_clear(current) else keys.load(current.parent).store_key
    old = Store(current, key=key)
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
        return kept
    finally:
        old.close()


def _encrypt_copy(source: Path, target: Path, key: bytes) -> None:
    """A clear backup (made before encryption) copied under the store's key."""
    conn = cipher.connect(source, None, readonly=True)
    try:
        conn.isolation_level = None
        cipher.export(conn, target, key)
    finally:
        conn.close()


def _undo(directory: Path, kept: Path | None, had_keys: bool, made_dir: bool) -> None:
    if kept is not None:
        kept.unlink(missing_ok=True)
    if not had_keys:  # made by this restore for a folder that had none
        for name in (keys.KEYS_FILE, keys.LOCAL_KEY_FILE):
            (directory / name).unlink(missing_ok=True)
    if made_dir:
        shutil.rmtree(directory, ignore_errors=True)


def _swap_in(incoming: Path, current: Path) -> None:
    """Rename the checked copy over the store in one step."""
    # The old store's WAL must not be replayed onto the new file: it was checkpointed empty above.
    for suffix in ("-wal", "-shm"):
        Path(f"{current}{suffix}").unlink(missing_ok=True)
    cipher.fsync_file(incoming)
    os.replace(incoming, current)
    os.chmod(current, 0o600)
    keys.fsync_dir(current.parent)
