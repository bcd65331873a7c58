"""The digitised files in a backup (services/backup.py): after the sealed store, one record per file
its rows name — an 8-byte big-endian length, then the file sealed under the backup's file key
(AES-256-GCM: a 12-byte nonce, the ciphertext, the tag). The file's name is not written: it is the
SHA-256 of what the record opens to, so a record that opens to a file no row names is damage.

Written from the data folder's files/ a file at a time (never all in memory); a file that is
missing or altered on disk is left out and counted, not copied wrong. A restore opens and checks
every record into a staging folder (sealed there under the backup's file key: a scan is never on
disk in clear) before anything is put in place, sealed under the store's own key
(counter_app/digitise/vault.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from counter_app.db import keys
from counter_app.digitise import filestore
from counter_app.digitise.normalise import DigitiseError
from counter_app.digitise.vault import FileVault, sha256_of
from counter_app.errors import UserError

_AAD = b"quaymotcua backup digitised file"
_MAX_RECORD = 4 * 1024 * 1024 * 1024  # beyond any file the counter keeps: a damaged length


@dataclass(frozen=True)
class Written:
    files: int
    missing: int  # named by a row but missing or altered on disk when the backup was made


def named_in(conn) -> set[str]:  # noqa: ANN001 - a DB-API connection to a backup's database
    """The files a backup carries: those the store's own rows name (none for a store from before
    digitisation). A paper another counter digitised is at the district and fetched from there again
    (filestore.OURS_SQL)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "dossier_file" not in tables:
        return set()
    return {r[0] for r in conn.execute(filestore.OURS_SQL)}


def write(dst: BinaryIO, vault: FileVault, shas: Iterable[str], file_key: bytes) -> Written:
    files = missing = 0
    for sha in sorted(shas):
        try:
            data = vault.read(sha)
        except (OSError, DigitiseError):
            missing += 1
            continue
        sealed = keys.seal(file_key, data, _AAD)
        dst.write(len(sealed).to_bytes(8, "big"))
        dst.write(sealed)
        files += 1
    return Written(files, missing)


def staging_vault(staging: Path, file_key: bytes) -> FileVault:
    return FileVault(staging, file_key)


def stage(src: BinaryIO, file_key: bytes, named: set[str], staging: Path, shown: str) -> set[str]:
    """Open and check every record from `src`'s position on into `staging` (one file per hash);
    UserError (the backup is damaged) for a record that does not open or opens to a file no row
    names. Returns the hashes staged."""
    damaged = f"Bản sao lưu '{shown}' bị hỏng (phần tệp số hóa không đọc được): không khôi phục."
    kept = staging_vault(staging, file_key)
    staged: set[str] = set()
    while head := src.read(8):
        size = int.from_bytes(head, "big")
        if len(head) != 8 or not 28 <= size <= _MAX_RECORD:
            raise UserError(damaged)
        sealed = src.read(size)
        data = keys.open_sealed(file_key, sealed, _AAD) if len(sealed) == size else None
        if data is None:
            raise UserError(damaged)
        sha = sha256_of(data)
        if sha not in named:
            raise UserError(damaged)
        kept.write_sealed(sha, kept.seal(sha, data))
        staged.add(sha)
    return staged


def put_in_place(staging: Path, file_key: bytes, vault: FileVault, staged: set[str]) -> None:
    """Seal the staged files into files/ under the store's key (files are named by content: adding
    them never changes what the current store's rows name, so this may run before the store is
    swapped)."""
    kept = staging_vault(staging, file_key)
    for sha in staged:
        vault.write_sealed(sha, vault.seal(sha, kept.read(sha)))
        keys.fsync_dir(vault.path(sha).parent)


def missing_after(vault: FileVault, named: set[str]) -> int:
    """Files the restored store names that are not in files/ with the right content."""
    return sum(1 for sha in named if vault.state(sha) != "ok")


def clear(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
