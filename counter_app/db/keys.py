"""The store's key: random, made at setup, never typed by an officer (docs/protection.md).

Two wrapped copies of it live in `counter.keys.json` beside the store:
- the local copy, for this PC's account: DPAPI on Windows (a copied disk or data folder does not open
  without that account's Windows log-in); elsewhere AES-GCM under a random key file readable by the
  owner only (it keeps other accounts and a store file copied on its own out, not someone who takes
  the whole data folder);
- the recovery copy, under a key derived (argon2id) from the office recovery passphrase, so the store
  survives a reinstalled Windows. That derived key, wrapped locally too, also seals every backup, so
  automatic backups need nobody to type anything and open on another PC with the passphrase.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from counter_app.atomic_file import write_private
from counter_app.errors import UserError

KEYS_FILE = "counter.keys.json"
LOCAL_KEY_FILE = "counter.key"
FORMAT = "quaymotcua-keys/1"
MIN_PASSPHRASE = 10
# An admin's passphrase gets RFC 9106's second recommended argon2id cost (64 MiB, 3 passes, ~0.1 s
# here). A generated recovery code carries 150 random bits: stretching adds nothing to that, so it
# gets a light cost, which keeps setting up a store (and every test that makes one) quick.
PASSPHRASE_COST = (3, 64 * 1024, 4)
CODE_COST = (1, 8 * 1024, 1)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and written by hand
_CODE_GROUPS, _CODE_GROUP = 6, 5
_AAD_STORE = b"quaymotcua store key"
_AAD_LOCAL = b"quaymotcua local wrapping"

WRONG_PASSPHRASE = "Cụm mật khẩu khôi phục không đúng: không mở được khóa. Không có gì thay đổi."


@dataclass(frozen=True)
class Kdf:
    """argon2id and its parameters; kept beside what it seals, so a later change of cost still opens."""

    time_cost: int
    memory_cost: int
    parallelism: int
    salt: bytes

    @classmethod
    def new(cls, cost: tuple[int, int, int]) -> Kdf:
        return cls(*cost, secrets.token_bytes(16))

    def derive(self, passphrase: str) -> bytes:
        from argon2.low_level import Type, hash_secret_raw

        return hash_secret_raw(canonical(passphrase).encode("utf-8"), self.salt, time_cost=self.time_cost,
                               memory_cost=self.memory_cost, parallelism=self.parallelism, hash_len=32,
                               type=Type.ID)

    def to_json(self) -> dict:
        return {"name": "argon2id", "time_cost": self.time_cost, "memory_cost": self.memory_cost,
                "parallelism": self.parallelism, "salt": _b64(self.salt)}

    @classmethod
    def from_json(cls, data: dict) -> Kdf:
        if data.get("name") != "argon2id":
            raise ValueError("unknown kdf")
        return cls(int(data["time_cost"]), int(data["memory_cost"]), int(data["parallelism"]),
                   _unb64(data["salt"]))


@dataclass(frozen=True)
class KeyRing:
    store_key: bytes  # opens the store (SQLCipher raw key)
    recovery_key: bytes  # from the office recovery passphrase: seals backups, opens the recovery copy
    kdf: Kdf  # how recovery_key came from the passphrase (written into every backup)


def canonical(passphrase: str) -> str:
    """The same passphrase however it was typed: NFC (a Vietnamese keyboard may send NFD), no
    surrounding spaces; a recovery code without its dashes, in lower case, is still that code."""
    text = unicodedata.normalize("NFC", passphrase).strip()
    bare = text.replace("-", "").replace(" ", "").upper()
    if _is_code(bare):
        return "-".join(bare[i:i + _CODE_GROUP] for i in range(0, len(bare), _CODE_GROUP))
    return text


def _is_code(text: str) -> bool:
    bare = text.replace("-", "")
    return len(bare) == _CODE_GROUPS * _CODE_GROUP and all(c in _CODE_ALPHABET for c in bare)


def _new_kdf(passphrase: str) -> Kdf:
    return Kdf.new(CODE_COST if _is_code(passphrase) else PASSPHRASE_COST)


def new_recovery_code() -> str:
    return canonical("".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_GROUPS * _CODE_GROUP)))


def check_passphrase(passphrase: str) -> str:
    text = canonical(passphrase)
    if len(text) < MIN_PASSPHRASE:
        raise UserError(f"Cụm mật khẩu khôi phục phải có ít nhất {MIN_PASSPHRASE} ký tự.")
    return text


def exists(directory: Path) -> bool:
    return (directory / KEYS_FILE).exists()


def create(directory: Path, passphrase: str | None = None) -> tuple[KeyRing, str | None]:
    """New key material for the store in `directory`; returns it and the recovery code to show once
    (None when the admin gave a passphrase). Written durably before any store depends on it."""
    code = None
    if passphrase is None:
        code = passphrase = new_recovery_code()
    passphrase = check_passphrase(passphrase)
    kdf = _new_kdf(passphrase)
    ring = KeyRing(secrets.token_bytes(32), kdf.derive(passphrase), kdf)
    _write(directory, ring, inherit=False)
    return ring, code


def load(directory: Path) -> KeyRing:
    """The key through this PC's local copy: no passphrase asked (every command but init/restore)."""
    data = _read(directory)
    local = data["local"]
    try:
        unwrap = _local_unwrapper(directory, local["method"])
        return KeyRing(unwrap(_unb64(local["store_key"])), unwrap(_unb64(local["recovery_key"])),
                       Kdf.from_json(data["recovery"]["kdf"]))
    except (OSError, ValueError, KeyError):
        raise UserError(
            "Không mở được khóa của kho dữ liệu bằng tài khoản này (Windows đã cài lại, tài khoản khác, hoặc "
            "thiếu tệp khóa): hãy chạy 'counter-app recovery unlock --passphrase-stdin' với cụm mật khẩu "
            "khôi phục của cơ quan. Không có gì thay đổi.") from None


def recover(directory: Path, passphrase: str) -> KeyRing:
    """The key through the recovery copy (a reinstalled Windows); wrapped anew for this account."""
    data = _read(directory)
    kdf = Kdf.from_json(data["recovery"]["kdf"])
    recovery_key = kdf.derive(passphrase)
    store_key = open_sealed(recovery_key, _unb64(data["recovery"]["store_key"]), _AAD_STORE)
    if store_key is None:
        raise UserError(WRONG_PASSPHRASE)
    ring = KeyRing(store_key, recovery_key, kdf)
    _write(directory, ring)
    return ring


def set_passphrase(directory: Path, passphrase: str) -> KeyRing:
    """A new office recovery passphrase: the store key stays, backups made from now on need the new one."""
    ring = load(directory)
    passphrase = check_passphrase(passphrase)
    kdf = _new_kdf(passphrase)
    ring = KeyRing(ring.store_key, kdf.derive(passphrase), kdf)
    _write(directory, ring)
    return ring


# --- sealing (AES-256-GCM) --------------------------------------------------------------------------


def seal(key: bytes, data: bytes, aad: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(key).encrypt(nonce, data, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes | None:
    """None when the key is wrong or the blob was altered (GCM's tag does not match)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(key).decrypt(blob[:12], blob[12:], aad)
    except (InvalidTag, ValueError):
        return None


# --- the file and the local wrapping ----------------------------------------------------------------


def backups_may_carry_store_key(directory: Path, ring: KeyRing) -> bool:
    """Whether a backup may be the store's own bytes, under the store key sealed for the current
    passphrase (the fast backup, db/snapshot.py). Once such a backup exists, the store key is known
    to whoever holds that passphrase; after a change of passphrase, backups go back to a fresh key
    each, so that the earlier passphrase opens none of them (docs/protection.md, "Backups")."""
    carried = _read(directory)["recovery"].get("key_in_backups_for")
    return carried is None or carried == _b64(ring.kdf.salt)


def note_store_key_in_backups(directory: Path, ring: KeyRing) -> None:
    """Written, durably, before the first backup that carries the store key."""
    if _read(directory)["recovery"].get("key_in_backups_for") is None:
        _write(directory, ring, key_in_backups_for=_b64(ring.kdf.salt))


def _write(directory: Path, ring: KeyRing, *, key_in_backups_for: str | None = None, inherit: bool = True) -> None:
    if key_in_backups_for is None and inherit and (directory / KEYS_FILE).exists():
        key_in_backups_for = _read(directory)["recovery"].get("key_in_backups_for")  # a change of passphrase keeps it
    method, wrap = _local_wrapper(directory)
    data: dict = {
        "format": FORMAT,
        "local": {"method": method, "store_key": _b64(wrap(ring.store_key)),
                  "recovery_key": _b64(wrap(ring.recovery_key))},
        "recovery": {"kdf": ring.kdf.to_json(),
                     "store_key": _b64(seal(ring.recovery_key, ring.store_key, _AAD_STORE))},
    }
    if key_in_backups_for is not None:
        data["recovery"]["key_in_backups_for"] = key_in_backups_for
    write_private(json.dumps(data, indent=1).encode("ascii"), directory / KEYS_FILE)


def _read(directory: Path) -> dict:
    try:
        data = json.loads((directory / KEYS_FILE).read_text(encoding="ascii"))
        if data.get("format") != FORMAT:
            raise ValueError(data.get("format"))
        return data
    except FileNotFoundError:
        raise UserError("Thiếu tệp khóa của kho dữ liệu (counter.keys.json): kho dữ liệu được mã hóa không mở "
                        "được nếu không có nó; hãy khôi phục từ bản sao lưu. Không có gì thay đổi.") from None
    except (OSError, ValueError, UnicodeDecodeError):
        raise UserError("Tệp khóa của kho dữ liệu (counter.keys.json) bị hỏng; hãy khôi phục từ bản sao lưu. "
                        "Không có gì thay đổi.") from None


def _local_wrapper(directory: Path):  # noqa: ANN202 - (method name, wrap function)
    if sys.platform == "win32":
        from counter_app.db import dpapi

        return "dpapi", dpapi.protect
    key = _local_key(directory, create=True)
    return "keyfile", lambda data: seal(key, data, _AAD_LOCAL)


def _local_unwrapper(directory: Path, method: str):  # noqa: ANN202
    if method == "dpapi":
        if sys.platform != "win32":
            raise ValueError("a DPAPI key opens on Windows only")
        from counter_app.db import dpapi

        return dpapi.unprotect
    if method != "keyfile":
        raise ValueError(method)
    key = _local_key(directory, create=False)

    def unwrap(blob: bytes) -> bytes:
        data = open_sealed(key, blob, _AAD_LOCAL)
        if data is None:
            raise ValueError("the key file does not open this store's key")
        return data

    return unwrap


def _local_key(directory: Path, *, create: bool) -> bytes:
    path = directory / LOCAL_KEY_FILE
    if path.exists() or not create:
        key = path.read_bytes()
        if len(key) != 32:
            raise ValueError("damaged key file")
        return key
    key = secrets.token_bytes(32)
    write_private(key, path)
    return key


def fsync_dir(directory: Path) -> None:
    if sys.platform == "win32":
        return  # NTFS makes the rename durable itself; a directory cannot be opened for fsync there
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
