"""The Bình Mỹ office and the one dossier its papers are tried on (Mẫu 01–07), for every paper test
and bench that builds the papers from data rather than from a store."""

from __future__ import annotations

from datetime import UTC, datetime

from counter_app.domain.vn_time import VN_TZ as VN
from counter_app.papers import form_data
from counter_app.papers.form_data import Form, FormDossier, FormOffice, HandOver
from counter_app.papers.slip import SlipData, SlipDocument, SlipOffice
from tests.pdf_reading import exactly

CODE = "000.00.20.H12-260302-0001"
OFFICE_NAME = "Trung tâm Phục vụ hành chính công xã Bình Mỹ"
RECEIVED = datetime(2026, 3, 2, 8, 0, tzinfo=VN)
DUE = datetime(2026, 3, 5, 8, 0, tzinfo=VN)
NEW_DUE = datetime(2026, 3, 10, 16, 0, tzinfo=VN)

OFFICE = FormOffice("UBND xã Bình Mỹ", OFFICE_NAME, "Bình Mỹ", "0229 3851 234")
DOSSIER = FormDossier(
    code=CODE,
    procedure_name="Đăng ký khai sinh",
    applicant_name="Nguyễn Văn Đức",
    address="Thôn Phú Xuân, xã Bình Mỹ, tỉnh Ninh Bình",
    phone="0912 345 678",
    email="duc.nguyen@example.vn",
    received_at=RECEIVED,
    due_at=DUE,
    salutation="Ông",
)
# The longest values the counter takes (200 characters), for the papers' wrap, shrink and continue tests.
LONG_NAME = exactly(200, "Nguyễn Thị Phương Thảo Hoàng Lê Vũ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split())
LONG_ADDRESS = exactly(200, "Số 12 ngõ 34 đường Lê Lợi tổ dân phố Phú Xuân xã Bình Mỹ tỉnh Ninh Bình".split())
LONG_PROCEDURE = exactly(200, "Đăng ký biến động quyền sử dụng đất quyền sở hữu tài sản gắn liền với đất".split())
MISSING = ("Bản sao giấy chứng sinh có chứng thực", "Căn cước của người đi khai sinh (bản chính để đối chiếu)")


def sample_forms(dossier: FormDossier = DOSSIER, reason: str = "Bản sao chưa được chứng thực theo quy định.",
                 missing: tuple[str, ...] = MISSING) -> dict[str, Form]:
    """Mẫu 02 to 06 of the dossier, by number: asked to complete it on 03/03, refused, extended to 10/03,
    stopped on 04/03, and its control sheet (handed on, back on the due day, returned the day after)."""
    return {
        "02": form_data.SupplementRequest(dossier, datetime(2026, 3, 3, 10, 0, tzinfo=VN), missing, reason,
                                          "Trần Thị Hoa"),
        "03": form_data.Refusal(dossier, RECEIVED, reason, "Trần Thị Hoa"),
        "04": form_data.ExtensionNotice(dossier, datetime(2026, 3, 4, 9, 0, tzinfo=VN), reason, DUE, NEW_DUE,
                                        "Lê Văn Nam"),
        "05": form_data.StopNotice(dossier, datetime(2026, 3, 4, 14, 30, tzinfo=VN), reason, "Lê Văn Nam"),
        "06": form_data.ControlSheet(
            dossier,
            (
                HandOver(OFFICE_NAME, "Công chức Tư pháp - Hộ tịch", datetime(2026, 3, 2, 9, 0, tzinfo=VN), DUE,
                         "Chuyển giải quyết"),
                HandOver("Công chức Tư pháp - Hộ tịch", OFFICE_NAME, datetime(2026, 3, 5, 7, 30, tzinfo=VN), DUE),
                HandOver(OFFICE_NAME, "Nguyễn Văn Đức", datetime(2026, 3, 6, 9, 0, tzinfo=VN), DUE, "Trả kết quả"),
            ),
            processing_unit="Công chức Tư pháp - Hộ tịch",
            coordinating_units=("Công an xã Bình Mỹ",),
        ),
    }


# --- Mẫu 01 ---------------------------------------------------------------------------------------

SLIP_CODE = "000.00.20.H12-260213-0001"
LOOKUP = "https://dichvucong.binhmy.gov.vn/tra-cuu?ma="
SLIP_OFFICE = SlipOffice(
    parent_name="UBND xã Bình Mỹ",
    office_name=OFFICE_NAME,
    place="Bình Mỹ",
    lookup_url=LOOKUP,
    bank_bin="970436",
    bank_account="0011012345678",
    bank_account_name="UBND XA BINH MY",
)
# A birth registration received on Fri 13/02 10:00, due Wed 25/02 10:00 Vietnam time.
SLIP = SlipData(
    code=SLIP_CODE,
    procedure_name="Đăng ký khai sinh",
    working_days=3,
    applicant_name="Nguyễn Văn Đức",
    address="Thôn Phú Xuân, xã Bình Mỹ, tỉnh Ninh Bình",
    phone="0912 345 678",
    email="duc.nguyen@example.vn",
    documents=(
        SlipDocument("Tờ khai đăng ký khai sinh", "bản chính", 1),  # lower case as typed: printed capitalised
        SlipDocument("Giấy chứng sinh", "Bản chính", 1),
        SlipDocument("Căn cước của cha, mẹ", "Bản sao", 2),
    ),
    sets=1,
    received_at=datetime(2026, 2, 13, 10, 0, tzinfo=VN),
    # Given in UTC on purpose: the slip prints Vietnam time.
    due_at=datetime(2026, 2, 25, 3, 0, tzinfo=UTC),
    register_book="01",
    register_number="125",
    officer_name="Trần Thị Hoa",
    fee_amount=50000,
)
