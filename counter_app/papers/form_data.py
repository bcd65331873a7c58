"""What Mẫu 02 to 06 are made of (docs/legal.md §2.1–2.4): plain data, no drawing.

`services/papers.py` fills these from a stored dossier and its events; `papers/forms.py` draws them;
the register and the bench build them too. Titles, number suffixes and the paper's name as a phrase
live here because the metadata and the continuation strip need them without the drawing code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from counter_app.domain.text import nfc

# Hand-written numbers: the store keeps no outgoing-document register, so the number is left to fill in.
NUMBER_DOTS = "……"


@dataclass(frozen=True)
class FormOffice:
    parent_name: str          # "UBND xã Bình Mỹ" (printed upper case)
    office_name: str          # the receiving unit, printed on every paper
    place: str                # for "<place>, ngày … tháng … năm …"
    phone: str = ""           # where the citizen calls "để được hướng dẫn" (Mẫu 02)


@dataclass(frozen=True)
class FormDossier:
    code: str
    procedure_name: str
    applicant_name: str
    address: str
    phone: str
    email: str
    received_at: datetime     # aware; printed in Vietnam time
    due_at: datetime          # the appointment in force
    salutation: str = "Ông/Bà"  # "Ông" or "Bà" when the gender is known


@dataclass(frozen=True)
class SupplementRequest:
    """Mẫu 02, from the move to status 5."""

    dossier: FormDossier
    requested_at: datetime
    missing: tuple[str, ...]  # the papers to bring, given once and completely (NĐ 61 Điều 15)
    reason: str
    officer_name: str = ""    # NGƯỜI HƯỚNG DẪN, also the person to call
    number: str = ""          # "12" -> "Số: 12/HDHS"; empty: dots to write on


@dataclass(frozen=True)
class Refusal:
    """Mẫu 03, from a refusal recorded at intake (status 3)."""

    dossier: FormDossier
    refused_at: datetime
    reason: str
    officer_name: str = ""
    legal_basis: str = ""     # "Căn cứ quy định tại …": dots when the officer did not name it
    number: str = ""


@dataclass(frozen=True)
class ExtensionNotice:
    """Mẫu 04, from the extension event."""

    dossier: FormDossier
    extended_at: datetime
    reason: str
    previous_due_at: datetime
    new_due_at: datetime
    signer_name: str = ""
    number: str = ""


@dataclass(frozen=True)
class StopNotice:
    """Mẫu 05, from the move to status 8."""

    dossier: FormDossier
    stopped_at: datetime
    reason: str
    signer_name: str = ""
    number: str = ""


@dataclass(frozen=True)
class HandOver:
    """One pair of rows of the control sheet: who gave the dossier (or result) to whom, and when."""

    giver: str
    receiver: str
    at: datetime
    due_at: datetime | None = None  # the appointment in force then; None: no verdict printed
    note: str = ""


@dataclass(frozen=True)
class ControlSheet:
    """Mẫu 06: the hand-overs recorded so far, the last one handing the result back."""

    dossier: FormDossier
    hand_overs: tuple[HandOver, ...]
    processing_unit: str = ""
    coordinating_units: tuple[str, ...] = ()
    original_due_at: datetime | None = None  # set when an extension moved the appointment
    blank_rows: int = 0                      # empty pairs to write further hand-overs on
    notes: tuple[str, ...] = field(default_factory=tuple)


Form = SupplementRequest | Refusal | ExtensionNotice | StopNotice | ControlSheet

TITLES: dict[type, tuple[str, ...]] = {
    SupplementRequest: ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",),
    Refusal: ("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",),
    ExtensionNotice: ("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN", "THỜI GIAN GIẢI QUYẾT"),
    # Nghị định 30/2020: a notice is titled "THÔNG BÁO", its subject set below it.
    StopNotice: ("THÔNG BÁO",),
    ControlSheet: ("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",),
}
STOP_SUBJECT = "Dừng giải quyết hồ sơ"
# The number suffixes seen on production forms (docs/legal.md §2.3); 05 has none on record.
NUMBER_SUFFIX: dict[type, str] = {
    SupplementRequest: "HDHS", Refusal: "TCHS", ExtensionNotice: "PXL", StopNotice: "TB",
}


def paper_name(form: Form) -> str:
    """'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ': the title as a phrase (metadata, continuation strip)."""
    if isinstance(form, StopNotice):
        return "Thông báo dừng giải quyết hồ sơ"
    text = " ".join(TITLES[type(form)])
    return text[:1] + text[1:].lower()


def number_text(form: Form) -> str:
    """'Số: 12/HDHS', or 'Số: ……/HDHS' for the officer to fill in."""
    suffix = NUMBER_SUFFIX.get(type(form))
    if suffix is None:
        return ""
    number = nfc(getattr(form, "number", "")) or NUMBER_DOTS
    return f"Số: {number}/{suffix}"

# The Thông tư numbers of the papers `papers/forms.py` prints (the service takes them from the officer).
FORM_NUMBERS: dict[str, type] = {
    "02": SupplementRequest, "03": Refusal, "04": ExtensionNotice, "05": StopNotice, "06": ControlSheet,
}
