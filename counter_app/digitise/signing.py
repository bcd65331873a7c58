"""Component PDFs signed as electronic copies with the office's USB signing token (docs/signing.md).

The token is reached through its vendor's PKCS#11 module (python-pkcs11) and the signature is made
by pyHanko as PAdES baseline B-B, or B-T when the office names a time-stamp server. The PIN is asked
each time and never kept. Every failure a person can meet (no module, token not plugged in, wrong or
locked PIN, an expired certificate, a PDF that cannot be read) becomes one Vietnamese sentence in a
UserError. pyHanko and python-pkcs11 are imported inside the functions: loading them takes about a
second, which a program that imports this module (the window, the attach path) pays only when it signs.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.x509.oid import NameOID

from counter_app import clock
from counter_app.domain.vn_time import to_vn
from counter_app.errors import UserError

if TYPE_CHECKING:
    from sqlmodel import Session

# python-pkcs11 initialises a module with C_Initialize(NULL): the module may then assume that it is
# not called from two threads at once, so every use of a token in this process goes through this lock.
_TOKEN_LOCK = threading.Lock()

# The names Vietnamese CAs' token software gives its PKCS#11 module in C:\Windows\System32, as the
# signing plugins in use in Vietnam look them up (docs/signing.md, "Token modules").
KNOWN_MODULES = (
    "viettel-ca_v6.dll", "viettel-ca_v5.dll", "viettel-ca_v4.dll", "viettel-ca_v2.dll", "viettel-ca.dll",
    "vnptca_p11_v8.dll", "vnptca_p11_v6.dll", "vnpt-ca_csp11.dll", "vnpt-ca_v34.dll",
    "BkavCA.dll", "fpt-ca.dll", "eps2003csp11.dll", "eTPKCS11.dll",
)

PIN_STATES = {"ok": "bình thường", "low": "đã nhập sai", "final": "còn một lần thử", "locked": "đã bị khóa"}


@dataclass(frozen=True)
class TokenSettings:
    """Which token signs: the office settings signing.module, signing.token_label, signing.key_label
    and signing.tsa_url (`office_token` reads them)."""

    module_path: str  # the vendor's PKCS#11 module: a .dll on Windows (docs/signing.md, "Token modules")
    token_label: str = ""  # empty: the only token plugged in
    key_label: str = ""  # the key's label or its CKA_ID in hex; empty: the token's only signing key
    tsa_url: str = ""  # an RFC 3161 time-stamp server; empty: PAdES B-B, the signer's clock only


@dataclass(frozen=True)
class CertificateInfo:
    key_label: str  # what goes in signing.key_label (the label, or the id in hex when unlabelled)
    key_id: str  # CKA_ID in hex: pairs the certificate with its private key
    subject: str  # the holder's common name (or the whole name when it has none)
    issuer: str
    not_before: datetime
    not_after: datetime


@dataclass(frozen=True)
class TokenInfo:
    label: str
    manufacturer: str
    model: str
    serial: str
    pin_state: str  # a key of PIN_STATES
    certificates: tuple[CertificateInfo, ...]


@dataclass(frozen=True)
class SignatureReport:
    """What a PDF's signatures prove. `valid` only when every signature is intact (not a byte of
    what it signed changed), chains to a trusted root, and nothing but signatures was added after."""

    signed: bool
    valid: bool
    intact: bool
    trusted: bool
    signer: str  # the newest signature's holder
    signed_at: datetime | None  # its time-stamp's time when it has one, else the signer's clock
    timestamped: bool  # the newest signature carries a time-stamp (PAdES B-T)
    count: int  # how many signatures the file carries
    problem: str  # one Vietnamese sentence when not valid, "" when valid


def office_token(session: Session) -> TokenSettings | None:
    """The office's token as its settings name it; None when no module is set (nothing is signed)."""
    from counter_app.services import office_settings

    module = office_settings.value(session, "signing.module")
    if not module:
        return None
    return TokenSettings(module, *(office_settings.value(session, f"signing.{k}")
                                   for k in ("token_label", "key_label", "tsa_url")))


def installed_modules(folder: Path | None = None) -> list[str]:
    """The known token modules present in `folder` (Windows' System32 by default), for the settings
    screen to offer before the officer browses for a file."""
    if folder is None:
        folder = Path(os.environ.get("SystemRoot", r"C:\Windows")) / "System32"
    return [str(folder / name) for name in KNOWN_MODULES if (folder / name).is_file()]


def list_tokens(module_path: str) -> list[TokenInfo]:
    """The tokens plugged in and the certificates each holds (read without the PIN), for the
    settings screen to offer as choices."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    with _TOKEN_LOCK:
        lib = _module(module_path)
        found = []
        try:
            for token in _present_tokens(lib, refresh=True):
                certificates = []
                with token.open() as session:
                    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
                        label, key_id = _label_and_id(obj)
                        certificates.append(_certificate_info(obj[Attribute.VALUE], label, key_id))
                found.append(TokenInfo(token.label, token.manufacturer_id, token.model, _serial(token),
                                       _pin_state(token), tuple(sorted(certificates, key=lambda c: c.key_label))))
        except pkcs11.PKCS11Error as exc:
            raise UserError(_token_failure(exc)) from None
    return found


def sign_pdf(pdf: bytes, token: TokenSettings, pin: str, *, reason: str, location: str) -> bytes:
    """The PDF with one more signature (an incremental update: the bytes before it are untouched)."""
    import pkcs11
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.pkcs11 import PKCS11Signer
    from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError

    if not pin:
        raise UserError("Hãy nhập mã PIN của USB ký số.")
    writer = _incremental_writer(pdf)
    taken = {name for name, _, _ in fields.enumerate_sig_fields(writer.prev, filled_status=None)}
    meta = signers.PdfSignatureMetadata(
        field_name=next(f"ChuKy{n}" for n in range(1, len(taken) + 2) if f"ChuKy{n}" not in taken),
        reason=reason or None, location=location or None, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES)
    timestamper = HTTPTimeStamper(token.tsa_url) if token.tsa_url else None
    with _TOKEN_LOCK:
        lib = _module(token.module_path)
        try:
            chosen = _chosen_token(lib, token.token_label)
            if _pin_state(chosen) == "locked":
                raise UserError(_PIN_LOCKED)
            with chosen.open(user_pin=pin) as session:
                key, certificate = _signing_key(session, token.key_label)
                _refuse_out_of_date(certificate)
                key_label, key_id = _label_and_id(key)
                signer = PKCS11Signer(
                    session, signing_cert=_asn1_certificate(certificate),
                    key_id=bytes.fromhex(key_id) if key_id else None,
                    key_label=None if key_id else key_label,
                    other_certs_to_pull=None,  # the token's CA certificates go into the signature
                    use_raw_mechanism=_raw_signing(chosen, key))
                out = signers.sign_pdf(writer, meta, signer, timestamper=timestamper)
        except pkcs11.PinIncorrect:
            raise UserError(_wrong_pin(chosen)) from None
        except pkcs11.PKCS11Error as exc:
            raise UserError(_token_failure(exc)) from None
        except SigningError:  # e.g. a PDF its author certified as allowing no change, or one pyHanko cannot update
            raise UserError("Tệp PDF này không nhận thêm chữ ký (tệp đã bị khóa, hoặc cấu trúc không ký được): "
                            "hãy tạo lại bản PDF từ bản quét rồi ký. Chưa ký gì.") from None
        except TimestampRequestError:
            raise UserError(f"Máy chủ cấp dấu thời gian '{token.tsa_url}' không trả lời đúng; hãy kiểm tra "
                            "mạng hoặc để trống địa chỉ này để ký không kèm dấu thời gian.") from None
    return out.getvalue()


def verify_pdf(pdf: bytes, trust_roots: Iterable[Any]) -> SignatureReport:
    """Check every signature in the PDF against `trust_roots` (certificates: cryptography or
    asn1crypto objects, or DER bytes) without going online."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError):
        raise UserError("Tệp PDF bị hỏng hoặc không phải PDF: không kiểm tra được chữ ký.") from None
    if not embedded:
        return SignatureReport(False, False, False, False, "", None, False, 0, "Tệp PDF này chưa được ký số.")
    roots = [_asn1_certificate(root) for root in trust_roots]
    statuses, broken = [], False
    for signature in embedded:
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            statuses.append(validate_pdf_signature(signature, context))
        except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError):
            broken = True  # the signature's own bytes no longer parse: as good as altered
    if broken or not statuses:
        return SignatureReport(True, False, False, False, "", None, False, len(embedded),
                               "Chữ ký số trong tệp đã bị hỏng: tệp đã bị sửa sau khi ký.")
    newest = statuses[-1]
    intact = all(s.intact and s.valid for s in statuses)
    trusted = all(s.trusted for s in statuses)
    valid = all(s.bottom_line for s in statuses)
    found = {_problem(s) for s in statuses}
    problem = next((p for p in _PROBLEMS if p in found), "")
    timestamp = newest.timestamp_validity
    signed_at = timestamp.timestamp if timestamp is not None else newest.signer_reported_dt
    return SignatureReport(True, valid, intact, trusted, _holder(newest.signing_cert.dump()), signed_at,
                           timestamp is not None, len(embedded), problem)


_PROBLEMS = (  # the worst first: a report names one
    "Tệp đã bị sửa sau khi ký: chữ ký số không còn giá trị.",
    "Chữ ký còn nguyên vẹn nhưng chứng thư số của người ký không thuộc nhà cung cấp tin cậy (hoặc đã hết "
    "hạn): không xác nhận được người ký.",
    "Chữ ký còn nguyên vẹn nhưng dấu thời gian của nó không xác minh được.",
    "Tệp đã bị thêm nội dung sau khi ký: chữ ký số không còn giá trị.",
)


def _problem(status: Any) -> str:
    altered, untrusted, bad_timestamp, added = _PROBLEMS
    if not (status.intact and status.valid):
        return altered
    if not status.trusted:
        return untrusted
    stamp = status.timestamp_validity
    if stamp is not None and not (stamp.intact and stamp.valid and stamp.trusted):
        return bad_timestamp
    return "" if status.bottom_line else added


# -- the token -----------------------------------------------------------------------------------

_PIN_LOCKED = ("Mã PIN của USB ký số đã bị khóa vì nhập sai nhiều lần: hãy liên hệ nhà cung cấp chứng thư "
               "số để mở khóa. Chưa ký gì.")


def _module(module_path: str) -> Any:
    import pkcs11

    if not module_path.strip():
        raise UserError("Chưa chọn thư viện PKCS#11 của USB ký số: hãy chọn trong Cài đặt, mục "
                        "'Thư viện USB ký số'.", field="signing.module")
    path = Path(module_path).expanduser()
    if not path.is_file():
        raise UserError(f"Không tìm thấy thư viện USB ký số '{module_path}': hãy cài phần mềm của USB ký số "
                        "(do nhà cung cấp chứng thư số phát hành) hoặc chọn lại tệp.", field="signing.module")
    try:
        return pkcs11.lib(str(path))
    except pkcs11.PKCS11Error as exc:
        # Windows error 193: a 32-bit DLL in this 64-bit program (some vendors install both builds).
        bits = " Có thể đây là bản 32-bit: hãy chọn bản 64-bit (thường trong C:\\Windows\\System32)." \
            if "193" in str(exc) or "not a valid Win32" in str(exc) else ""
        raise UserError(f"Không nạp được thư viện USB ký số '{module_path}': tệp không phải thư viện "
                        f"PKCS#11 dùng được.{bits}", field="signing.module") from None


def _present_tokens(lib: Any, *, refresh: bool) -> list[Any]:
    import pkcs11
    from pkcs11 import TokenFlag

    tokens = []
    for slot in lib.get_slots(token_present=True):
        try:
            token = slot.get_token()
            if token.flags & TokenFlag.TOKEN_INITIALIZED:  # a blank card (and SoftHSM's spare slot) holds no key
                tokens.append(token)
        except (pkcs11.TokenNotPresent, pkcs11.TokenNotRecognised, pkcs11.DeviceRemoved):
            continue  # pulled out between the two calls, or a card reader with a foreign card
    if not tokens and refresh:
        # Some modules list their tokens only at C_Initialize: a token plugged in after this
        # program first looked shows up once the module starts again.
        lib.reinitialize()
        return _present_tokens(lib, refresh=False)
    return tokens


def _chosen_token(lib: Any, label: str) -> Any:
    tokens = _present_tokens(lib, refresh=True)
    if label:
        matching = [t for t in tokens if t.label == label]
        if not matching and tokens:
            lib.reinitialize()  # the wanted token may be the one plugged in last
            tokens = _present_tokens(lib, refresh=False)
            matching = [t for t in tokens if t.label == label]
        if matching:
            return matching[0]
        present = f" Đang cắm: {', '.join(repr(t.label) for t in tokens)}." if tokens else ""
        raise UserError(f"Chưa cắm USB ký số '{label}' (hoặc máy chưa nhận USB).{present}",
                        field="signing.token_label")
    if not tokens:
        raise UserError("Chưa cắm USB ký số (hoặc máy chưa nhận USB): hãy cắm USB ký số vào máy rồi ký lại.")
    if len(tokens) > 1:
        raise UserError(f"Đang cắm {len(tokens)} USB ký số ({', '.join(repr(t.label) for t in tokens)}): "
                        "hãy chọn USB ký số dùng để ký trong Cài đặt, mục 'USB ký số'.", field="signing.token_label")
    return tokens[0]


def _signing_key(session: Any, wanted: str) -> tuple[Any, x509.Certificate]:
    from pkcs11 import Attribute, ObjectClass

    keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.SIGN: True}))
    names = {id(k): _label_and_id(k) for k in keys}
    if wanted:
        chosen = [k for k in keys if names[id(k)][0] == wanted] or \
                 [k for k in keys if names[id(k)][1] == wanted.lower()]
    else:
        chosen = keys
    shown = ", ".join(sorted(repr(names[id(k)][0] or names[id(k)][1]) for k in keys))  # tokens list in any order
    if not chosen:
        where = f"khóa ký '{wanted}'" if wanted else "khóa ký nào"
        more = f" Các khóa trên USB ký số: {shown}." if keys else ""
        raise UserError(f"USB ký số không có {where}.{more}", field="signing.key_label")
    if len(chosen) > 1:
        raise UserError(f"USB ký số có {len(chosen)} khóa ký ({shown}): hãy chọn khóa dùng để ký trong Cài đặt, "
                        "mục 'Khóa ký'.", field="signing.key_label")
    key = chosen[0]
    label, key_id = names[id(key)]
    certificates = [(*_label_and_id(c), c[Attribute.VALUE])
                    for c in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})]
    # A certificate belongs to the key with the same CKA_ID (PKCS#11's convention); a token that
    # leaves ids out pairs them by label.
    paired = [der for c_label, c_id, der in certificates if key_id and c_id == key_id] or \
             [der for c_label, c_id, der in certificates if label and c_label == label]
    if not paired:
        raise UserError(f"USB ký số không có chứng thư số đi kèm khóa ký {label or key_id!r}: hãy nạp lại "
                        "chứng thư số bằng phần mềm của nhà cung cấp.", field="signing.key_label")
    return key, x509.load_der_x509_certificate(paired[0])


def _raw_signing(token: Any, key: Any) -> bool:
    """Whether the token is given a digest made here (CKM_ECDSA, CKM_RSA_PKCS) rather than the data
    to hash itself: EC always (SoftHSM and many tokens have no usable ECDSA_SHA256), RSA when the
    token does not offer SHA256_RSA_PKCS (older tokens only know the raw mechanism)."""
    from pkcs11 import KeyType, Mechanism

    if key.key_type == KeyType.EC:
        return True
    return Mechanism.SHA256_RSA_PKCS not in token.slot.get_mechanisms()


def _refuse_out_of_date(certificate: x509.Certificate) -> None:
    now = clock.now()
    holder = _holder(certificate)
    if certificate.not_valid_after_utc < now:
        day = to_vn(certificate.not_valid_after_utc).strftime("%d/%m/%Y")
        raise UserError(f"Chứng thư số của {holder} đã hết hạn từ ngày {day}: chữ ký sẽ không có giá trị. "
                        "Hãy gia hạn chứng thư số với nhà cung cấp. Chưa ký gì.")
    if certificate.not_valid_before_utc > now:
        day = to_vn(certificate.not_valid_before_utc).strftime("%d/%m/%Y")
        raise UserError(f"Chứng thư số của {holder} chỉ có hiệu lực từ ngày {day}: hãy kiểm tra ngày giờ "
                        "của máy tính. Chưa ký gì.")


def _pin_state(token: Any) -> str:
    from pkcs11 import TokenFlag

    flags = token.flags
    if flags & TokenFlag.USER_PIN_LOCKED:
        return "locked"
    if flags & TokenFlag.USER_PIN_FINAL_TRY:
        return "final"
    if flags & TokenFlag.USER_PIN_COUNT_LOW:
        return "low"
    return "ok"


def _wrong_pin(token: Any) -> str:
    import pkcs11

    try:
        state = _pin_state(token.slot.get_token())  # the flags as they are after this try
    except pkcs11.PKCS11Error:
        state = "ok"
    if state == "locked":
        return _PIN_LOCKED
    warning = " Chỉ còn một lần thử: nhập sai nữa USB ký số sẽ bị khóa." if state == "final" else ""
    return f"Mã PIN của USB ký số không đúng.{warning} Chưa ký gì."


def _token_failure(exc: Exception) -> str:
    """One sentence for a PKCS#11 error that is not the PIN (which sign_pdf words itself)."""
    import pkcs11

    if isinstance(exc, pkcs11.PinLocked):
        return _PIN_LOCKED
    if isinstance(exc, pkcs11.PinExpired):
        return "Mã PIN của USB ký số đã hết hạn: hãy đổi mã PIN bằng phần mềm của USB ký số rồi ký lại. Chưa ký gì."
    if isinstance(exc, pkcs11.PinIncorrect | pkcs11.PinLenRange | pkcs11.PinInvalid):
        return "Mã PIN của USB ký số không đúng. Chưa ký gì."
    if isinstance(exc, pkcs11.TokenNotPresent | pkcs11.DeviceRemoved | pkcs11.SessionClosed
                  | pkcs11.SessionHandleInvalid):
        return "USB ký số đã bị rút ra trong khi đang dùng: hãy cắm lại USB ký số rồi ký lại. Chưa ký gì."
    if isinstance(exc, pkcs11.TokenNotRecognised | pkcs11.DeviceError):
        return "Máy không đọc được USB ký số: hãy rút ra, cắm lại và thử lại. Chưa ký gì."
    if isinstance(exc, pkcs11.UserPinNotInitialized):
        return "USB ký số chưa được đặt mã PIN: hãy khởi tạo bằng phần mềm của nhà cung cấp. Chưa ký gì."
    return f"USB ký số báo lỗi ({type(exc).__name__}): hãy rút ra, cắm lại và thử lại. Chưa ký gì."


def _label_and_id(obj: Any) -> tuple[str, str]:
    from pkcs11 import Attribute

    def attribute(name: Any) -> Any:
        try:
            return obj[name]
        except Exception:  # noqa: BLE001 — a module may refuse any optional attribute its own way
            return None

    label, key_id = attribute(Attribute.LABEL), attribute(Attribute.ID)
    return (label or "").strip(), bytes(key_id or b"").hex()


def _serial(token: Any) -> str:
    serial = token.serial
    return serial.decode("ascii", "replace").strip() if isinstance(serial, bytes) else str(serial or "")


# -- certificates and PDFs -----------------------------------------------------------------------

def _certificate_info(der: bytes, label: str, key_id: str) -> CertificateInfo:
    certificate = x509.load_der_x509_certificate(der)
    return CertificateInfo(label or key_id, key_id, _holder(certificate), _holder(certificate, issuer=True),
                           to_vn(certificate.not_valid_before_utc), to_vn(certificate.not_valid_after_utc))


def _holder(certificate: x509.Certificate | bytes, *, issuer: bool = False) -> str:
    if isinstance(certificate, bytes):
        certificate = x509.load_der_x509_certificate(certificate)
    name = certificate.issuer if issuer else certificate.subject
    common = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(common[0].value) if common else name.rfc4514_string()


def _asn1_certificate(certificate: Any) -> Any:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    if isinstance(certificate, asn1_x509.Certificate):
        return certificate
    if isinstance(certificate, x509.Certificate):
        certificate = certificate.public_bytes(Encoding.DER)
    return asn1_x509.Certificate.load(bytes(certificate))


def _incremental_writer(pdf: bytes) -> Any:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError

    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError, TypeError):
        raise UserError("Tệp PDF bị hỏng hoặc không phải PDF: không ký được.") from None
    if writer.prev.encrypted:
        raise UserError("Tệp PDF có mật khẩu: hãy mở khóa (hoặc quét lại) trước khi ký.")
    return writer
