"""The digitised files on disk, sealed under the store's key (docs/digitisation.md, "At rest").

A scan of an ID card or a birth certificate is as personal as the store's rows, so it is kept as
the store is: encrypted. Each file is named by the SHA-256 of its PDF (files/ab/abcdef….qmcf) and
holds a short header, a random 12-byte nonce and the PDF under AES-256-GCM with a key derived from
the store's key (HKDF-SHA256, its own label, so the store's key itself never encrypts two kinds of
thing); the hash is the associated data, so a file moved under another file's name does not open.
What a copied disk still shows: how many files there are, their sizes, and their hashes (a party
holding the very same PDF could tell it is here).

A store opened without a key (the bench's clear baseline, tests of the upgrade path) keeps clear
files named `<sha>.pdf`, as every counter did before files were sealed; `seal_clear_files` turns
those into sealed ones when a keyed store first opens the folder.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from counter_app.atomic_file import write_atomically
from counter_app.digitise.normalise import DigitiseError

if TYPE_CHECKING:
    from counter_app.db.store import Store

log = logging.getLogger(__name__)

FILES_DIR = "files"
MAGIC = b"QMCF\x01"
_NONCE = 12
_LABEL = b"quaymotcua digitised files v1"
SEALED_SUFFIX = ".qmcf"
CLEAR_SUFFIX = ".pdf"
# Written once every clear file of the folder is sealed: later openings skip the walk (one stat).
SEALED_MARK = ".sealed-v1"

State = Literal["ok", "missing", "altered"]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def files_key(store_key: bytes, label: bytes = _LABEL) -> bytes:
    """A key of its own for one kind of sealed file, made from `store_key` (HKDF-SHA256, `label`)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(store_key)


class FileVault:
    """The files/ folder of one data folder, read and written through one key (None: clear)."""

    def __init__(self, directory: Path, store_key: bytes | None) -> None:
        self.root = Path(directory) / FILES_DIR
        self._key = None if store_key is None else files_key(store_key)

    @classmethod
    def of(cls, store: Store) -> FileVault:
        return cls(Path(store.path).parent, store.key)

    @property
    def sealed(self) -> bool:
        return self._key is not None

    def path(self, sha256: str) -> Path:
        return self._path(sha256, SEALED_SUFFIX if self.sealed else CLEAR_SUFFIX)

    def _path(self, sha256: str, suffix: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}{suffix}"

    # --- bytes in and out ---------------------------------------------------------------------------

    def seal(self, sha256: str, data: bytes) -> bytes:
        if self._key is None:
            return data
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(_NONCE)
        return MAGIC + nonce + AESGCM(self._key).encrypt(nonce, data, sha256.encode("ascii"))

    def unseal(self, sha256: str, raw: bytes) -> bytes | None:
        """The PDF a file's bytes hold, or None when they do not open to the file it is named for."""
        if self._key is None or not raw.startswith(MAGIC):
            data = raw if self._key is None or raw.startswith(b"%PDF") else None
        else:
            from cryptography.exceptions import InvalidTag
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            start = len(MAGIC) + _NONCE
            try:
                data = AESGCM(self._key).decrypt(raw[len(MAGIC):start], raw[start:], sha256.encode("ascii"))
            except (InvalidTag, ValueError):
                return None
        return data if data is not None and sha256_of(data) == sha256 else None

    def _raw(self, sha256: str) -> bytes | None:
        """The stored bytes: the sealed file, else a clear one not yet sealed."""
        for path in (self.path(sha256), self._path(sha256, CLEAR_SUFFIX)):
            try:
                return path.read_bytes()
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                continue
        return None

    def holds(self, sha256: str) -> bool:
        """A file by that name is here (not opened: `state` checks it)."""
        return self.path(sha256).exists() or self._path(sha256, CLEAR_SUFFIX).exists()

    def state(self, sha256: str) -> State:
        raw = self._raw(sha256)
        if raw is None:
            return "missing"
        return "ok" if self.unseal(sha256, raw) is not None else "altered"

    def read(self, sha256: str) -> bytes:
        """The file's PDF, checked against its name; DigitiseError (in Vietnamese) when it is gone
        or altered."""
        raw = self._raw(sha256)
        if raw is None:
            raise DigitiseError(f"Không thấy tệp số hóa {sha256[:12]}… trong thư mục '{self.root}': "
                                "hãy chạy 'counter-app files verify' và khôi phục từ bản sao lưu.")
        data = self.unseal(sha256, raw)
        if data is None:
            raise DigitiseError(f"Tệp số hóa {sha256[:12]}… đã bị sửa trên đĩa (không khớp mã băm): hãy khôi phục "
                                "từ bản sao lưu.")
        return data

    def put(self, data: bytes) -> tuple[str, bool]:
        """Keep `data` under its hash; (sha256, whether this call wrote it). A good file already there
        is left alone; one altered on disk is replaced by the good bytes."""
        sha = sha256_of(data)
        if self.state(sha) == "ok" and self.path(sha).exists():
            return sha, False
        self.write_sealed(sha, self.seal(sha, data))
        return sha, True

    def write_sealed(self, sha256: str, sealed: bytes) -> None:
        """Put bytes `seal` made for `sha256` in place (atomically), dropping a clear copy."""
        path = self.path(sha256)
        self._mark_new_folder()
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(sealed, path)
        if self.sealed:
            self._path(sha256, CLEAR_SUFFIX).unlink(missing_ok=True)

    def drop(self, sha256: str) -> None:
        """Remove a file an attach wrote when its transaction did not commit (nothing half-kept)."""
        try:
            os.unlink(self.path(sha256))
        except OSError:
            pass

    # --- the clear files of an older counter ----------------------------------------------------------

    def _mark_new_folder(self) -> None:
        """A folder this vault makes holds no clear file: marked sealed from the start."""
        if self.sealed and not self.root.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            (self.root / SEALED_MARK).touch()

    def seal_clear_files(self) -> int:
        """Seal every clear file left by a counter from before files were sealed; how many. A clear
        file whose content does not match its name is left as it is (`files verify` reports it)."""
        if not self.sealed or not self.root.is_dir() or (self.root / SEALED_MARK).exists():
            return 0
        done = 0
        for clear in sorted(self.root.glob(f"??/*{CLEAR_SUFFIX}")):
            sha = clear.name[: -len(CLEAR_SUFFIX)]
            data = clear.read_bytes()
            if sha256_of(data) != sha:
                log.warning("clear digitised file %s does not match its name: left for files verify", sha[:12])
                continue
            self.write_sealed(sha, self.seal(sha, data))
            done += 1
        (self.root / SEALED_MARK).touch()
        return done
