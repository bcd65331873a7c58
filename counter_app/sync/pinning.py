"""How a counter knows it talks to its own district server: the server certificate's SHA-256
fingerprint, pinned at `link` (docs/protection.md, "The link to the district server").

With a pin, the check is part of the TLS handshake: the certificate the server presents must be
byte for byte the pinned one (its SHA-256 over the DER form), or the connection is closed before a
single byte of HTTP — the device token and the citizens' data never reach an unverified server.
Nothing else about the certificate is checked then (its CA, its names, its dates): the pin is a
stronger identity than any of them, and the district's own CA is trusted by nobody else anyway.

Without a pin, the certificate must be valid for the server's name under the system's CAs (and
the public ones certifi ships, for a frozen build that finds no system store): a real certificate.
"""

from __future__ import annotations

import hashlib
import re
import ssl
from typing import Any

from counter_app.errors import UserError
from counter_app.sync.errors import CertificateRefused

CHANGED = ("Chứng chỉ của máy chủ huyện đã thay đổi (dấu vân tay {seen}, không phải {pinned} đã ghim khi liên kết): "
           "chưa gửi gì đi. Nếu huyện vừa thay chứng chỉ, hãy liên kết lại: 'counter-app link --server URL "
           "--token TOKEN --fingerprint …' với dấu vân tay mới do 'counter-server add-device' in ra; nếu không, "
           "có thể đang có kẻ mạo danh máy chủ — hãy báo quản trị viên huyện.")
UNTRUSTED = ("Chứng chỉ của máy chủ huyện ({url}) không được hệ thống tin cậy ({reason}): chưa gửi gì đi. "
             "Máy chủ tự cấp chứng chỉ thì hãy liên kết với '--fingerprint' do 'counter-server add-device' in ra.")


def fingerprint(der: bytes) -> str:
    """SHA-256 of a certificate's DER form, as "AA:BB:…" (what add-device prints, what link takes)."""
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


def normalise_fingerprint(raw: str) -> str:
    """A fingerprint as typed or pasted (colons, spaces or none; any case) in the "AA:BB:…" form."""
    digits = re.sub(r"[\s:]", "", raw or "").upper()
    if not re.fullmatch(r"[0-9A-F]{64}", digits):
        raise UserError(f"Dấu vân tay chứng chỉ '{raw}' không hợp lệ: cần 64 chữ số hex (SHA-256), dạng AA:BB:…, "
                        "như 'counter-server add-device' in ra.")
    return ":".join(digits[i:i + 2] for i in range(0, 64, 2))


class PinMismatch(ssl.SSLCertVerificationError):
    """The presented certificate is not the pinned one (raised inside the handshake)."""

    def __init__(self, seen: str, pinned: str) -> None:
        super().__init__(f"certificate fingerprint {seen} is not the pinned {pinned}")
        self.seen = seen
        self.pinned = pinned


def _check(sock: ssl.SSLSocket | ssl.SSLObject) -> None:
    pinned = getattr(sock.context, "pin", None)
    der = sock.getpeercert(binary_form=True)
    seen = fingerprint(der) if der else "(không có)"
    if seen != pinned:
        raise PinMismatch(seen, str(pinned))


class _PinnedSocket(ssl.SSLSocket):
    # httpx's sync transport wraps its socket with wrap_socket, which handshakes here.
    def do_handshake(self, *args: Any, **kwargs: Any) -> None:
        super().do_handshake(*args, **kwargs)
        _check(self)


class _PinnedObject(ssl.SSLObject):
    # The memory-BIO form (TLS through a proxy); the same check.
    def do_handshake(self) -> None:
        super().do_handshake()
        _check(self)


class PinnedContext(ssl.SSLContext):
    """A client context whose handshakes fail unless the server's certificate has `pin` as fingerprint."""

    sslsocket_class = _PinnedSocket
    sslobject_class = _PinnedObject
    pin: str


def client_context(pin: str | None) -> ssl.SSLContext:
    """The TLS context of the sync client: pinned, or the system's CAs with name checks."""
    if pin is None:
        context = ssl.create_default_context()
        try:
            import certifi

            context.load_verify_locations(certifi.where())
        except (ImportError, OSError):
            pass
        return context
    context = PinnedContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # replaced by the pin check, which is stricter
    context.pin = normalise_fingerprint(pin)
    return context


def refusal(exc: BaseException, url: str) -> CertificateRefused | None:
    """The permanent refusal hidden in a connection error, when it was the certificate's fault."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, PinMismatch):
            return CertificateRefused(CHANGED.format(seen=cause.seen, pinned=cause.pinned),
                                      code="certificate_changed")
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or str(cause)
            return CertificateRefused(UNTRUSTED.format(url=url, reason=reason), code="certificate_untrusted")
        cause = cause.__cause__ or cause.__context__
    return None
