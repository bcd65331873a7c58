"""VietQR (NAPAS) payment payload: EMVCo merchant-presented mode, tag-length-value.

Pure functions, no I/O. See docs/legal.md §9: the NAPAS test vector 6.1.3 must come out byte for byte.
"""

from __future__ import annotations

import re
import unicodedata

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
SERVICE_TO_CARD = "QRIBFTTC"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
# Libraries cap the transfer note at 25 characters; a dossier code ("000.00.20.H12-260213-0001") is 25.
PURPOSE_MAX = 25

_BIN_RE = re.compile(r"\d{6}")
_ACCOUNT_RE = re.compile(r"[0-9A-Za-z]{1,19}")
_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def tlv(tag: str, value: str) -> str:
    """One EMVCo field: 2-digit tag, 2-digit length, value (lengths count characters, ASCII only)."""
    if len(tag) != 2 or not tag.isdigit():
        raise ValueError(f"bad EMVCo tag {tag!r}")
    if len(value) > 99:
        raise ValueError(f"EMVCo field {tag} longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt_false(data: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) as 4 upper-case hex."""
    crc = 0xFFFF
    for byte in data.encode("ascii"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return f"{crc:04X}"


def ascii_fold(text: str, limit: int = PURPOSE_MAX) -> str:
    """'Lệ phí hồ sơ Đức' -> 'Le phi ho so Duc': bank apps reject or mangle non-ASCII notes.

    Keeps case (a dossier code stays readable), drops anything outside printable ASCII, collapses
    spaces and cuts to `limit` characters.
    """
    decomposed = unicodedata.normalize("NFD", " ".join(text.translate(_D_MAP).split()))
    kept = "".join(ch for ch in decomposed if 32 <= ord(ch) < 127)
    return " ".join(kept.split())[:limit].rstrip()


def build_payload(
    bank_bin: str,
    account: str,
    amount: int | None = None,
    purpose: str = "",
    *,
    bill_number: str = "",
    service: str = SERVICE_TO_ACCOUNT,
) -> str:
    """The VietQR string for a transfer to `account` at the bank with acquirer `bank_bin`.

    With an amount the code is dynamic (01 = 12, one payment of exactly that sum); without, static
    (01 = 11). `purpose` goes to 62/08 (the note the office reconciles against), `bill_number` to 62/01.
    """
    bank_bin = bank_bin.strip()
    account = account.strip()
    if not _BIN_RE.fullmatch(bank_bin):
        raise ValueError(f"bank BIN must be 6 digits, got {bank_bin!r}")
    if not _ACCOUNT_RE.fullmatch(account):
        raise ValueError(f"bank account must be 1-19 letters or digits, got {account!r}")
    if service not in (SERVICE_TO_ACCOUNT, SERVICE_TO_CARD):
        raise ValueError(f"unknown VietQR service {service!r}")
    if amount is not None and amount <= 0:
        raise ValueError("a VietQR amount must be a positive number of đồng")

    beneficiary = tlv("00", bank_bin) + tlv("01", account)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", service)
    parts = [
        tlv("00", "01"),
        tlv("01", "12" if amount is not None else "11"),
        tlv("38", merchant),
        tlv("53", CURRENCY_VND),
    ]
    if amount is not None:
        parts.append(tlv("54", str(int(amount))))
    parts.append(tlv("58", COUNTRY_VN))

    additional = ""
    if bill_number:
        additional += tlv("01", ascii_fold(bill_number))
    note = ascii_fold(purpose)
    if note:
        additional += tlv("08", note)
    if additional:
        parts.append(tlv("62", additional))

    body = "".join(parts) + "6304"  # the CRC covers its own tag and length
    return body + crc16_ccitt_false(body)


def crc_ok(payload: str) -> bool:
    """True when the trailing 63 04 CRC matches the rest of the string."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        return False
    return crc16_ccitt_false(payload[:-4]) == payload[-4:].upper()
