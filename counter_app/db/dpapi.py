"""Windows DPAPI through ctypes (no pywin32): data only this Windows account can unwrap.

CryptProtectData ties the blob to the account's log-in secret: a copied disk, another account or a
reinstalled Windows cannot open it (the office recovery passphrase is for that: db/keys.py).
"""

from __future__ import annotations

import ctypes
from ctypes import wintypes

_ENTROPY = b"QuayMotCua store key"  # binds the blob to this use: another program's blob is not ours
_UI_FORBIDDEN = 0x01  # never a dialog: the CLI and the window's worker threads have nobody to ask


class _Blob(ctypes.Structure):
    _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]


def _blob(data: bytes) -> tuple[_Blob, ctypes.Array]:
    buf = ctypes.create_string_buffer(data, len(data))
    return _Blob(len(data), ctypes.cast(buf, ctypes.POINTER(ctypes.c_char))), buf


def _functions():  # noqa: ANN202
    crypt32 = ctypes.WinDLL("crypt32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    ptr = ctypes.POINTER(_Blob)
    # Every pointer-taking function gets argtypes/restype: a default int return breaks 64-bit.
    # The second argument: the blob's description in, a pointer to receive it out (not wanted).
    for fn, desc in ((crypt32.CryptProtectData, wintypes.LPCWSTR), (crypt32.CryptUnprotectData, ctypes.c_void_p)):
        fn.argtypes = [ptr, desc, ptr, ctypes.c_void_p, ctypes.c_void_p, wintypes.DWORD, ptr]
        fn.restype = wintypes.BOOL
    kernel32.LocalFree.argtypes = [ctypes.c_void_p]
    kernel32.LocalFree.restype = ctypes.c_void_p
    return crypt32, kernel32


def _call(protect: bool, data: bytes) -> bytes:
    crypt32, kernel32 = _functions()
    src, _keep = _blob(data)
    entropy, _keep2 = _blob(_ENTROPY)
    out = _Blob()
    fn = crypt32.CryptProtectData if protect else crypt32.CryptUnprotectData
    desc = "QuayMotCua" if protect else None
    if not fn(ctypes.byref(src), desc, ctypes.byref(entropy), None, None, _UI_FORBIDDEN, ctypes.byref(out)):
        raise OSError(ctypes.get_last_error(), "DPAPI refused")  # type: ignore[attr-defined]
    try:
        return ctypes.string_at(out.pbData, out.cbData)
    finally:
        kernel32.LocalFree(ctypes.cast(out.pbData, ctypes.c_void_p))


def protect(data: bytes) -> bytes:
    return _call(True, data)


def unprotect(blob: bytes) -> bytes:
    return _call(False, blob)
