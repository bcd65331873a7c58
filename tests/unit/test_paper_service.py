"""services/papers.py: stored dossiers become papers; bad codes, missing events and unwritable paths are
refused with a sentence and leave no file behind."""

from __future__ import annotations

import io
import os
import stat
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm

from counter_app import clock
from counter_app.atomic_file import write_atomically
from counter_app.clock import parse_iso
from counter_app.db.models import Officer
from counter_app.domain import vietqr
from counter_app.errors import UserError
from counter_app.services import catalogue, intake, papers, settings, workflow
from tests import pdf_reading
from tests.conftest import AGENCY, applicant, clerk
from tests.paper_fixtures import LONG_ADDRESS, LONG_NAME

T0 = parse_iso("2026-03-02T08:00:00+07:00")  # Monday; the 3-day procedure is due Thu 05/03 08:00
LATER = parse_iso("2026-03-20T09:00:00+07:00")
ME = clerk("cb.an")
OFFICE_NAME = "Bộ phận tiếp nhận và trả kết quả"  # init_office's default receiving unit
MISSING = ["Bản sao giấy khai sinh có chứng thực", "Sổ hộ khẩu (bản chính để đối chiếu)"]


def new_dossier(store, *, at: datetime = T0, refusal: str = "", procedure: str = "9.000003",  # noqa: ANN001
                **person: str) -> str:
    req = intake.parse_intake({"procedure_code": procedure, "applicant": applicant(**person),
                               "received_at": at.isoformat(), "refusal_reason": refusal}, now=LATER)
    with store.write() as session:
        return intake.create_dossier(session, req, actor=clerk("cb.an"), now=at).dossier["code"]


def move(store, code: str, status: int, at: str, note: str = "", missing: list[str] | None = None) -> None:  # noqa: ANN001
    with store.write() as session:
        workflow.move(session, code, status, actor=ME, note=note, missing=missing, now=parse_iso(at))


def hand_over(store, code: str, unit: str, at: str) -> None:  # noqa: ANN001
    with store.write() as session:
        workflow.hand_over(session, code, to_unit=unit, actor=ME, now=parse_iso(at))


@pytest.fixture
def officer(desk):  # noqa: ANN001, ANN201
    """cb.an has an account: papers print the officer's full name, not the login."""
    stamp = clock.iso(T0)
    with desk.write() as session:
        session.add(Officer(username="cb.an", full_name="Trần Thị Hoa", role="officer", password_hash="-",
                            created_at=stamp, updated_at=stamp))
    return desk


# --------------------------------------------------------------------------------------------------
# Mẫu 01


@pdf_reading.needs_pdftoppm
def test_slip_of_a_stored_dossier_scans_to_its_code(officer, tmp_path: Path) -> None:  # noqa: ANN001
    code = new_dossier(officer)
    with officer.read() as session:
        pdf = papers.slip_pdf(session, code)
    pages = pdf_reading.pages_text(pdf)
    assert len(pages) == 2  # both copies
    text = pdf_reading.flattened(pages[0])
    for expected in (
        code, "Tiếp nhận hồ sơ của: Nguyễn Văn Đức", "Nội dung yêu cầu giải quyết: Thủ tục thử ba ngày",
        "(1) Tờ khai (theo mẫu) - Bản chính: 01", "(2) Giấy tờ chứng minh nơi cư trú - Bản chụp: 02",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 3 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 08 giờ 00 phút, ngày 02 tháng 03 năm 2026",
        "08 giờ 00 phút, ngày 05 tháng 03 năm 2026",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 2026, Số thứ tự: 01", "Trần Thị Hoa",
    ):
        assert expected in text, expected
    for image in pdf_reading.rasterise(pdf, tmp_path):
        assert pdf_reading.code128(image) == {code}


def test_slip_two_up_is_one_a4_landscape_sheet(desk) -> None:  # noqa: ANN001
    code = new_dossier(desk)
    with desk.read() as session:
        pdf = papers.slip_pdf(session, code, paper="a4-2up")
    (sheet,) = PdfReader(io.BytesIO(pdf)).pages
    assert (float(sheet.mediabox.width), float(sheet.mediabox.height)) == pytest.approx(landscape(A4))
    with desk.read() as session, pytest.raises(UserError, match="Khổ giấy 'a3'"):
        papers.slip_pdf(session, code, paper="a3")


@pdf_reading.needs_pdftoppm
def test_slip_reads_the_office_settings_for_its_qr_codes(desk, tmp_path: Path) -> None:  # noqa: ANN001
    import zxingcpp

    specs = catalogue.parse_procedures([("#1", {"code": "9.000050", "name": "Thủ tục có lệ phí", "working_days": 1,
                                                "fee": "50.000 đồng", "fee_amount": 50000, "documents": []})])
    with desk.write() as session:
        catalogue.import_procedures(session, specs)
        settings.put(session, papers.LOOKUP_URL_KEY, "https://dichvucong.binhmy.gov.vn/tra-cuu?ma=")
        settings.put(session, papers.BANK_BIN_KEY, "970436")
        settings.put(session, papers.BANK_ACCOUNT_KEY, "0011012345678")
    code = new_dossier(desk, procedure="9.000050")
    with desk.read() as session:
        pdf = papers.slip_pdf(session, code)
    assert "Phí, lệ phí: 50.000 đồng" in pdf_reading.flattened(pdf_reading.pages_text(pdf)[0])
    image = pdf_reading.rasterise(pdf, tmp_path)[0]
    found = {r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode}
    payment = vietqr.build_payload("970436", "0011012345678", 50000, purpose=code)
    assert found == {f"https://dichvucong.binhmy.gov.vn/tra-cuu?ma={code}", payment}


@pdf_reading.needs_pdftoppm
def test_a_linked_counters_slip_points_its_qr_at_the_district_status_page(desk, tmp_path: Path) -> None:  # noqa: ANN001
    import zxingcpp

    from counter_app.sync.engine import KEY_SERVER

    with desk.write() as session:
        settings.put(session, KEY_SERVER, "http://10.0.0.5:8750")
    code = new_dossier(desk)
    with desk.read() as session:
        pdf = papers.slip_pdf(session, code)
        assert papers.lookup_url(session) == "http://10.0.0.5:8750/tra-cuu/"
        settings.put(session, papers.LOOKUP_URL_KEY, "https://binhmy.gov.vn/ho-so/{code}")  # the office's own wins
        assert papers.lookup_url(session) == "https://binhmy.gov.vn/ho-so/{code}"
        session.rollback()
    image = pdf_reading.rasterise(pdf, tmp_path)[0]
    found = {r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode}
    assert found == {f"http://10.0.0.5:8750/tra-cuu/{code}"}


def test_a_mistyped_bank_setting_drops_the_payment_qr_not_the_slip(desk) -> None:  # noqa: ANN001
    specs = catalogue.parse_procedures([("#1", {"code": "9.000050", "name": "Thủ tục có lệ phí", "working_days": 1,
                                                "fee": "", "fee_amount": 50000, "documents": []})])
    with desk.write() as session:
        catalogue.import_procedures(session, specs)
        settings.put(session, papers.BANK_BIN_KEY, "97043")  # five digits
        settings.put(session, papers.BANK_ACCOUNT_KEY, "0011012345678")
    code = new_dossier(desk, procedure="9.000050")
    with desk.read() as session:
        text = pdf_reading.flattened(pdf_reading.pages_text(papers.slip_pdf(session, code))[0])
    assert "Phí, lệ phí: 50.000 đồng" in text and "chuyển khoản" not in text


def test_entry_numbers_run_through_the_year(desk) -> None:  # noqa: ANN001
    first = new_dossier(desk, at=parse_iso("2026-02-27T09:00:00+07:00"))
    second = new_dossier(desk, at=T0)
    with desk.read() as session:
        assert papers.entry_number(session, workflow.load(session, first)) == 1
        assert papers.entry_number(session, workflow.load(session, second)) == 2
        assert "Số thứ tự: 02" in pdf_reading.flattened(pdf_reading.pages_text(papers.slip_pdf(session, second))[0])


def test_no_slip_for_a_refused_dossier(desk) -> None:  # noqa: ANN001
    code = new_dossier(desk, refusal="Không thuộc thẩm quyền")
    with desk.read() as session, pytest.raises(UserError, match="Mẫu 03"):
        papers.slip_pdf(session, code)


@pdf_reading.needs_pdftoppm
def test_a_200_character_name_makes_a_clean_slip(desk, tmp_path: Path) -> None:  # noqa: ANN001
    code = new_dossier(desk, full_name=LONG_NAME, address=LONG_ADDRESS)
    with desk.read() as session:
        pdf = papers.slip_pdf(session, code)
    pages = pdf_reading.pages_text(pdf)
    half = len(pages) // 2
    assert pdf_reading.flattened(LONG_NAME) in pdf_reading.flattened(" ".join(pages[:half]))
    assert pdf_reading.flattened(LONG_ADDRESS) in pdf_reading.flattened(" ".join(pages[:half]))
    frame = (3 * mm, 3 * mm, A5[0] - 3 * mm, A5[1] - 3 * mm)
    for boxes in pdf_reading.text_boxes(pdf):
        pdf_reading.assert_inside_and_apart(boxes, frame)
    assert pdf_reading.code128(pdf_reading.rasterise(pdf, tmp_path)[0]) == {code}


# --------------------------------------------------------------------------------------------------
# Codes that are not ours, and writing files


def test_an_unknown_code_is_refused_and_nothing_is_written(desk, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "giay-hen.pdf"
    with desk.read() as session:
        with pytest.raises(UserError, match="Không tìm thấy hồ sơ mã"):
            write_atomically(papers.slip_pdf(session, f"{AGENCY}-260302-0999"), out)
        with pytest.raises(UserError, match="thuộc cơ quan 000.00.20.H99"):
            papers.form_pdf(session, "000.00.20.H99-260302-0001", "06")
        with pytest.raises(UserError, match="không phải mã hồ sơ"):
            papers.slip_pdf(session, "khong-phai-ma")
    assert list(folder.iterdir()) == []


def test_a_saved_paper_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "phieu.pdf"
    assert write_atomically(b"%PDF-1 first", target) == target
    assert target.read_bytes() == b"%PDF-1 first"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    target.chmod(0o600)
    write_atomically(b"%PDF-1 second", str(target))
    assert target.read_bytes() == b"%PDF-1 second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # a replaced file keeps its mode
    assert [p.name for p in tmp_path.iterdir()] == ["phieu.pdf"]  # no temporary file left


@pytest.mark.parametrize("where", ["missing folder", "folder is a file", "path is a folder"])
def test_unwritable_paths_are_refused_without_a_file(tmp_path: Path, where: str) -> None:
    (tmp_path / "a-file").write_bytes(b"x")
    target = {
        "missing folder": tmp_path / "khong-co" / "phieu.pdf",
        "folder is a file": tmp_path / "a-file" / "phieu.pdf",
        "path is a folder": tmp_path,
    }[where]
    with pytest.raises(UserError, match="Không ghi được tệp|là một thư mục"):
        write_atomically(b"%PDF-1", target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_refused_rename_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(UserError, match="không có quyền ghi"):
        write_atomically(b"%PDF-1", tmp_path / "phieu.pdf")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "chi-doc"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(UserError, match="không có quyền ghi"):
            write_atomically(b"%PDF-1", folder / "phieu.pdf")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


# --------------------------------------------------------------------------------------------------
# Mẫu 02–06 from the recorded events


def form_reads(store, code: str, number: str, tmp_path: Path, expected: tuple[str, ...]) -> list[str]:  # noqa: ANN001
    """Mẫu `number` of the stored dossier says each expected sentence (its pages read as one text) and its
    code scans back from the first page; the pages' text, for what a test checks besides."""
    with store.read() as session:
        pdf = papers.form_pdf(session, code, number)
    pages = pdf_reading.pages_text(pdf)
    whole = pdf_reading.flattened(" ".join(pages))
    for sentence in expected:
        assert sentence in whole, sentence
    assert pdf_reading.code128(pdf_reading.rasterise(pdf, tmp_path)[0]) == {code}
    return pages


@pdf_reading.needs_pdftoppm
def test_supplement_request_from_the_status_5_event(officer, tmp_path: Path) -> None:  # noqa: ANN001
    code = new_dossier(officer)
    move(officer, code, 4, "2026-03-02T09:00:00+07:00")
    move(officer, code, 5, "2026-03-03T10:00:00+07:00", note="Bản sao chưa chứng thực", missing=MISSING)
    (_,) = form_reads(officer, code, "02", tmp_path, (
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Số: ……/HDHS", "Bình Mỹ, ngày 03 tháng 3 năm 2026",
        f"1. {MISSING[0]}", f"2. {MISSING[1]}", "Lý do: Bản sao chưa chứng thực", "Yêu cầu Ông hoàn thiện hồ sơ",
        "NGƯỜI HƯỚNG DẪN", "Trần Thị Hoa", f"Bộ phận tiếp nhận và trả kết quả: {OFFICE_NAME}",
    ))


@pdf_reading.needs_pdftoppm
def test_refusal_from_the_intake_event(officer, tmp_path: Path) -> None:  # noqa: ANN001
    code = new_dossier(officer, refusal="Hồ sơ không thuộc thẩm quyền giải quyết của xã", gender="Nữ")
    (_,) = form_reads(officer, code, "3", tmp_path, (  # "3" is read as 03
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Bình Mỹ, ngày 02 tháng 3 năm 2026",
        "Hồ sơ không thuộc thẩm quyền giải quyết của xã", "Xin thông báo cho Bà được biết",
        "NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Thị Hoa",
    ))


@pdf_reading.needs_pdftoppm
def test_extension_from_the_extension_event(desk, tmp_path: Path) -> None:  # noqa: ANN001
    code = new_dossier(desk)
    move(desk, code, 4, "2026-03-02T09:00:00+07:00")
    with desk.write() as session:
        settings.put(session, papers.HEAD_NAME_KEY, "Lê Văn Nam")
        workflow.extend(session, code, new_due=parse_iso("2026-03-10T16:00:00+07:00"), reason="Cần xác minh thêm",
                        actor=ME, now=parse_iso("2026-03-04T09:00:00+07:00"))
    (_,) = form_reads(desk, code, "04", tmp_path, (
        "Bình Mỹ, ngày 04 tháng 3 năm 2026", "Kính gửi: Ông Nguyễn Văn Đức",
        "Thời gian hẹn trả kết quả: 08 giờ 00 phút, ngày 05 tháng 03 năm 2026.",
        "Lý do: Cần xác minh thêm", "thời gian hẹn trả kết quả mới: 16 giờ 00 phút, ngày 10 tháng 03 năm 2026.",
        "Lê Văn Nam",
    ))


@pdf_reading.needs_pdftoppm
def test_stop_notice_from_the_status_8_event(desk, tmp_path: Path) -> None:  # noqa: ANN001
    code = new_dossier(desk)
    move(desk, code, 4, "2026-03-02T09:00:00+07:00")
    move(desk, code, 8, "2026-03-04T14:30:00+07:00", note="Người yêu cầu đã chết trước khi có kết quả")
    (_,) = form_reads(desk, code, "05", tmp_path, (
        "kể từ 14 giờ 30 phút, ngày 04 tháng 03 năm 2026.", "Lý do: Người yêu cầu đã chết trước khi có kết quả",
    ))


@pdf_reading.needs_pdftoppm
def test_control_sheet_from_hand_overs_and_the_hand_back(officer, tmp_path: Path) -> None:  # noqa: ANN001
    code = new_dossier(officer)
    hand_over(officer, code, "Công chức Tư pháp - Hộ tịch", "2026-03-02T09:00:00+07:00")
    hand_over(officer, code, "Công an xã Bình Mỹ", "2026-03-03T09:00:00+07:00")
    move(officer, code, 5, "2026-03-03T10:00:00+07:00", missing=MISSING)
    move(officer, code, 4, "2026-03-04T14:00:00+07:00")  # complete again: due Mon 09/03 14:00
    move(officer, code, 9, "2026-03-10T08:00:00+07:00")  # result back the day after
    with officer.write() as session:
        workflow.return_result(session, code, workflow.Recipient("Nguyễn Văn Đức"), actor=ME,
                               now=parse_iso("2026-03-10T10:00:00+07:00"))
    pages = form_reads(officer, code, "06", tmp_path, (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Kèm theo hồ sơ của: Nguyễn Văn Đức",
        "Ngày, giờ hẹn trả kết quả: 14 giờ 00 phút, ngày 09 tháng 03 năm 2026",
        "Cơ quan (bộ phận) giải quyết hồ sơ: Công chức Tư pháp - Hộ tịch",
        "Cơ quan phối hợp giải quyết hồ sơ: Công an xã Bình Mỹ",
        "09 giờ 00 phút, ngày 02 tháng 03 năm 2026", "08 giờ 00 phút, ngày 10 tháng 03 năm 2026",
        "03/03/2026: yêu cầu bổ sung, hoàn thiện hồ sơ",
        "04/03/2026: nhận đủ hồ sơ bổ sung, hẹn trả mới 14:00 09/03/2026", "Trả kết quả",
    ))
    verdicts = [line.strip() for page in pages for line in page.splitlines()
                if line.strip() in ("Trước hạn", "Đúng hạn", "Quá hạn")]
    # Two hand-overs well before the due day, then the result back and out a day late.
    assert verdicts == ["Trước hạn", "Trước hạn", "Quá hạn", "Quá hạn"]
    assert "…… giờ" not in pdf_reading.flattened(" ".join(pages))  # returned: no blank rows to write on


def test_control_sheet_of_a_new_dossier_has_rows_to_write_on(desk) -> None:  # noqa: ANN001
    code = new_dossier(desk)
    with desk.read() as session:
        flat = pdf_reading.flattened(" ".join(pdf_reading.pages_text(papers.form_pdf(session, code, "06"))))
    assert flat.count("…… giờ …… phút, ngày …… tháng …… năm ……") == 2


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ("02", "chưa có yêu cầu bổ sung"),
        ("03", "không bị từ chối"),
        ("04", "chưa được gia hạn"),
        ("05", "không bị dừng giải quyết"),
        ("07", "Mẫu '07' không có"),
        ("", "không có"),
    ],
)
def test_a_form_without_its_event_is_refused(desk, form: str, message: str) -> None:  # noqa: ANN001
    code = new_dossier(desk)
    with desk.read() as session, pytest.raises(UserError, match=message):
        papers.form_pdf(session, code, form)


def test_no_control_sheet_for_a_refused_dossier(desk) -> None:  # noqa: ANN001
    code = new_dossier(desk, refusal="Không thuộc thẩm quyền")
    with desk.read() as session, pytest.raises(UserError, match="Mẫu 06"):
        papers.form_pdf(session, code, "06")


# --------------------------------------------------------------------------------------------------
# Mẫu 07


def test_register_of_a_range(officer) -> None:  # noqa: ANN001
    before = new_dossier(officer, at=parse_iso("2026-02-27T09:00:00+07:00"))
    inside = [new_dossier(officer, at=parse_iso(f"2026-03-0{day}T09:00:00+07:00")) for day in (2, 3, 4)]
    refused = new_dossier(officer, at=parse_iso("2026-03-04T10:00:00+07:00"), refusal="Không thuộc thẩm quyền")
    after = new_dossier(officer, at=parse_iso("2026-03-05T00:00:00+07:00"))
    move(officer, inside[0], 9, "2026-03-04T15:00:00+07:00")
    with officer.write() as session:
        workflow.return_result(session, inside[0], workflow.Recipient("Lê Thị Mai", relation="vợ"), actor=ME,
                               now=parse_iso("2026-03-06T08:00:00+07:00"))
    with officer.read() as session:
        pdf = papers.register_pdf(session, date(2026, 3, 2), date(2026, 3, 4),
                                  now=parse_iso("2026-03-31T16:00:00+07:00"))
    (text,) = pdf_reading.pages_text(pdf)
    joined = text.replace("-\n", "-")  # codes break after a hyphen in their narrow column
    for code in [*inside, refused]:
        assert joined.count(code) == 1, code
    assert before not in joined and after not in joined
    flat = pdf_reading.flattened(text)
    for expected in ("SỔ THEO DÕI HỒ SƠ", "Từ ngày 02/03/2026 đến ngày 04/03/2026", "Bình Mỹ, ngày 31 tháng 3 năm 2026",
                     "Lê Thị Mai (vợ)", "Trần Thị Hoa", "Trước hạn", "Từ chối tiếp nhận", "Đã tiếp nhận"):
        assert expected in flat, expected
    # Entry numbers continue the year's book: February's dossier was entry 1.
    with officer.read() as session:
        rows = papers.register_entries(session, date(2026, 3, 2), date(2026, 3, 4))
    assert [(r.number, r.code) for r in rows] == list(zip([2, 3, 4, 5], [*inside, refused], strict=True))
    assert rows[0].handed_by == "Trần Thị Hoa" and rows[0].recipient == "Lê Thị Mai (vợ)"
    assert rows[3].due_at is None  # refused: nothing was due


def test_register_refuses_a_reversed_or_overlong_range(desk) -> None:  # noqa: ANN001
    with desk.read() as session:
        with pytest.raises(UserError, match="Ngày bắt đầu 05/03/2026 sau ngày kết thúc 04/03/2026"):
            papers.register_pdf(session, date(2026, 3, 5), date(2026, 3, 4))
        with pytest.raises(UserError, match="tối đa một năm"):
            papers.register_pdf(session, date(2025, 1, 1), date(2026, 1, 2))
        assert papers.register_pdf(session, date(2024, 1, 1), date(2024, 12, 31))[:5] == b"%PDF-"


def test_setting_keys_are_distinct_and_namespaced() -> None:
    assert len(set(papers.SETTING_KEYS)) == len(papers.SETTING_KEYS)
    assert all(key.startswith("papers.") for key in papers.SETTING_KEYS)
