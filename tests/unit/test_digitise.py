"""Digitisation at the counter (docs/digitisation.md): pages handed in become one PDF per paper of
the dossier, kept by hash with its outbox event; bad pages are refused and nothing is kept."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from counter_app import desk_admin
from counter_app.desk import Desk
from counter_app.desk_digitise import attach, file_bytes, files, slots, verify_files
from counter_app.digitise import filestore
from counter_app.digitise.normalise import DigitiseError, Limits, Page, normalise
from counter_app.digitise.vault import SEALED_MARK, FileVault
from counter_app.errors import UserError
from counter_app.services import accounts, audit, intake, workflow
from tests.conftest import applicant, clerk, raw_store

PASSWORD = "mat-khau-thu"


def scan(seed: int = 0, *, size: tuple[int, int] = (1654, 2339), mode: str = "L", fmt: str = "JPEG",
         dpi: int = 200) -> bytes:
    """A page as a scanner saves it: A4 at 200 dpi, some lines of 'text'."""
    image = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(image)
    for row in range(8 + seed % 5):
        y = 150 + row * 120
        draw.rectangle((150, y, size[0] - 150 - 37 * ((row + seed) % 9), y + 30), fill="black")
    out = io.BytesIO()
    image.save(out, fmt, dpi=(dpi, dpi), **({"quality": 80} if fmt == "JPEG" else {}))
    return out.getvalue()


def pdf_with_script() -> bytes:
    pdf = pikepdf.Pdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('xin chào')"))
    page = pdf.pages[0].obj
    page.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(2)")))
    page.Annots = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[10, 10, 100, 40],
        A=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(3)")))]))
    pdf.attachments["ghi-chu.txt"] = pikepdf.AttachedFileSpec(pdf, b"noi dung dinh kem")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def first_page_images(pdf: bytes) -> list[tuple[bytes, str, str, int]]:
    """(raw stream, colour space, filter, width) of each image on the first page."""
    doc = pikepdf.open(io.BytesIO(pdf))
    return [(obj.read_raw_bytes(), str(obj.ColorSpace), str(obj.Filter), int(obj.Width))
            for obj in doc.pages[0].get_images().values()]


@pytest.fixture
def counter(desk):  # noqa: ANN001, ANN201 - an office store with the test procedures
    req = intake.parse_intake({"procedure_code": "9.000003", "applicant": applicant()})
    with desk.write() as session:
        code = intake.create_dossier(session, req, actor=clerk()).dossier["code"]
    return Desk(desk, clerk("cb.an")), code


def kept_files(desk: Desk) -> list[Path]:
    return sorted(p for p in FileVault.of(desk.store).root.rglob("*") if p.is_file() and p.name != SEALED_MARK)


def table(desk: Desk, sql: str) -> list[tuple]:
    con = raw_store(desk.store.path)
    try:
        return [tuple(r) for r in con.execute(sql)]
    finally:
        con.close()


def test_a_ten_page_scan_becomes_one_pdf_with_the_dossier_code_in_it(counter, tmp_path: Path) -> None:  # noqa: ANN001
    desk, code = counter
    paths = []
    for n in range(10):
        paths.append(tmp_path / f"scan-{n:02d}.jpg")
        paths[-1].write_bytes(scan(n))
    done = attach(desk, code, paths, component=1)
    assert (done.file.pages, done.file.component_name, done.file.kind) == (10, "Tờ khai (theo mẫu)", "component")
    [kept] = kept_files(desk)
    assert kept == FileVault.of(desk.store).path(done.file.sha256)
    assert kept.parent.name == done.file.sha256[:2] and kept.name == f"{done.file.sha256}.qmcf"
    pdf = pikepdf.open(io.BytesIO(file_bytes(desk, code, done.file.sha256)))
    assert len(pdf.pages) == 10
    assert str(pdf.docinfo["/Keywords"]) == code and code in str(pdf.docinfo["/Title"])
    assert str(pdf.docinfo["/Subject"]) == "Tờ khai (theo mẫu)"
    width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # 200 dpi A4 stays A4
    # one row, one "digitised" event with its outbox entry, written together; the payload stays small
    [(kind, payload)] = table(desk, "SELECT kind, payload_json FROM outbox WHERE kind = 'digitised'")
    details = json.loads(payload)["details"]
    assert details == {"code": code, "component": 1, "name": "Tờ khai (theo mẫu)", "file_kind": "component",
                       "sha256": done.file.sha256, "pages": 10,
                       "size": len(file_bytes(desk, code, done.file.sha256))}
    [(event_id,)] = table(desk, "SELECT event_id FROM dossier_file")
    assert event_id == json.loads(payload)["event_id"]
    assert desk.dossier_life(code).history[-1].kind == "digitised"


def test_a_jpeg_within_the_budget_is_kept_as_scanned(tmp_path: Path) -> None:
    page = scan(3)
    made = normalise([page], code="C", component="P")
    [(raw, _, _, _)] = first_page_images(made.pdf)
    assert raw == page


def test_a_heavy_colour_photo_becomes_a_grey_page_within_the_budget() -> None:
    photo = Image.merge("RGB", [Image.linear_gradient("L").resize((2480, 3508)).rotate(a, expand=False)
                                for a in (0, 90, 180)])  # A4 at 300 dpi in colour
    ImageDraw.Draw(photo).ellipse((400, 600, 2000, 3000), fill=(200, 30, 40))
    raw = io.BytesIO()
    photo.save(raw, "JPEG", quality=98, dpi=(300, 300))
    assert len(raw.getvalue()) > 300 * 1024
    made = normalise([raw.getvalue()], code="C", component="P", limits=Limits(page_budget=300 * 1024))
    [(raw, colours, encoding, width)] = first_page_images(made.pdf)
    assert (colours, encoding) == ("/DeviceGray", "/DCTDecode")
    assert len(raw) <= 300 * 1024 and width <= 1654


def test_a_pdf_with_javascript_is_kept_without_it() -> None:
    made = normalise([Page(pdf_with_script(), name="don.pdf")], code="C", component="P")
    assert any("JavaScript" in note and "don.pdf" in note for note in made.notes)
    assert any("đính kèm" in note for note in made.notes)
    kept = pikepdf.open(io.BytesIO(made.pdf))
    assert "/OpenAction" not in kept.Root and "/Names" not in kept.Root and not kept.attachments
    scripts = [o for o in kept.objects if isinstance(o, pikepdf.Dictionary)
               and ("/JS" in o or o.get("/S") == "/JavaScript" or "/AA" in o)]
    assert scripts == [] and len(kept.pages) == 1


def test_pages_turn_and_pdf_pages_are_picked_one_by_one() -> None:
    two = pikepdf.Pdf.new()
    two.add_blank_page(page_size=(100, 200))
    two.add_blank_page(page_size=(300, 400))
    out = io.BytesIO()
    two.save(out)
    made = normalise([Page(out.getvalue(), index=1, rotate=90), Page(scan(1), rotate=270)], code="C", component="P")
    pages = pikepdf.open(io.BytesIO(made.pdf)).pages
    assert [int(p.obj.get("/Rotate", 0)) for p in pages] == [90, 270]
    assert [float(v) for v in pages[0].mediabox[2:]] == [300, 400]


def _password_pdf() -> bytes:
    pdf = pikepdf.Pdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="mo-khoa", owner="chu"))
    return out.getvalue()


BAD_PAGES = {
    "a corrupt image": (lambda tmp: scan(0)[:4000], "bị hỏng hoặc không đầy đủ"),
    "a truncated PDF": (lambda tmp: pdf_with_script()[:-200], "không đầy đủ"),
    "a password-protected PDF": (lambda tmp: _password_pdf(), "có mật khẩu"),
    "a 500 MB file": (lambda tmp: _sparse(tmp / "khong-lo.tif", 500), "quá giới hạn 100 MB"),
    "a file that vanished": (lambda tmp: tmp / "da-xoa.jpg", "Không còn tệp 'da-xoa.jpg'"),
    "a file that is no page": (lambda tmp: b"PK\x03\x04 a zip", "không phải PDF, JPEG, PNG hoặc TIFF"),
}


def _sparse(path: Path, megabytes: int) -> Path:
    with path.open("wb") as fh:
        fh.truncate(megabytes * 1024 * 1024)  # sparse: no disk used, but it says 500 MB
    return path


@pytest.mark.parametrize("case", list(BAD_PAGES))
def test_a_bad_page_is_refused_with_a_clear_message_and_nothing_is_kept(counter, tmp_path: Path,  # noqa: ANN001
                                                                        case: str) -> None:
    desk, code = counter
    make, words = BAD_PAGES[case]
    bad = make(tmp_path)
    with pytest.raises(DigitiseError) as refused:
        attach(desk, code, [scan(1), bad, scan(2)], component=2)
    assert words in refused.value.message and isinstance(refused.value, UserError)
    assert kept_files(desk) == [] and files(desk, code) == []
    assert table(desk, "SELECT COUNT(*) FROM outbox WHERE kind = 'digitised'") == [(0,)]


def test_a_second_scan_of_a_component_keeps_the_first_as_history(counter) -> None:  # noqa: ANN001
    desk, code = counter
    first = attach(desk, code, [scan(1)], component=2)
    again = attach(desk, code, [scan(2), scan(3)], component=2)
    assert not first.replaced and again.replaced
    assert [(f.pages, f.current) for f in files(desk, code, history=True)] == [(2, True), (1, False)]
    assert [f.sha256 for f in files(desk, code)] == [again.file.sha256]
    assert len(kept_files(desk)) == 2  # the replaced scan stays on disk: the history names it


def test_the_same_pages_twice_are_kept_once(counter) -> None:  # noqa: ANN001
    desk, code = counter
    a = attach(desk, code, [scan(4)], component=1)
    b = attach(desk, code, [scan(4)], component=0, name="Bản sao sổ hộ khẩu")
    assert a.file.sha256 != b.file.sha256  # the metadata names the component, so the PDFs differ
    c = attach(desk, code, [scan(4)], component=1)
    assert c.file.sha256 == a.file.sha256 and len(kept_files(desk)) == 2


def test_a_component_number_the_checklist_lacks_is_refused_naming_the_checklist(counter) -> None:  # noqa: ANN001
    desk, code = counter
    with pytest.raises(UserError, match="không có thành phần số 7.*1. Tờ khai"):
        attach(desk, code, [scan(1)], component=7)
    assert kept_files(desk) == []


def test_the_result_is_digitised_once_there_is_one(counter) -> None:  # noqa: ANN001
    desk, code = counter
    with pytest.raises(UserError, match="chưa có kết quả"):
        attach(desk, code, [scan(1)], result=True)
    with desk.store.write() as session:
        workflow.move(session, code, 9, actor=clerk())
    done = attach(desk, code, [scan(1)], result=True)
    assert (done.file.kind, done.file.component_name) == ("result", filestore.RESULT_NAME)
    assert [s.kind for s in slots(desk, code)] == ["component", "component", "component", "result"]


def test_the_dossier_view_lists_its_digitised_components(counter) -> None:  # noqa: ANN001
    desk, code = counter
    attach(desk, code, [scan(1)], component=1)
    attach(desk, code, [scan(2)], component=1)
    attach(desk, code, [scan(3)], component=0)
    shown = desk.dossier_life(code).digitised
    assert [(f.component_index, f.component_name, f.pages) for f in shown] == [(0, "Giấy tờ khác", 1),
                                                                              (1, "Tờ khai (theo mẫu)", 1)]
    assert file_bytes(desk, code, shown[1].sha256)[:5] == b"%PDF-"
    by_slot = {(s.index, s.name): s.file is not None for s in slots(desk, code)}
    assert by_slot == {(1, "Tờ khai (theo mẫu)"): True, (2, "Giấy tờ chứng minh nơi cư trú"): False,
                       (0, "Giấy tờ khác"): True}


def test_attach_by_an_officer_without_the_right_is_refused(counter, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from argon2 import PasswordHasher

    monkeypatch.setattr(accounts, "_hasher", lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    scripted, code = counter
    with scripted.store.write() as session:
        accounts.create_account(session, "cb.binh", "Lê Văn Bình", "officer", PASSWORD, actor=audit.SYSTEM)
    officer = Desk(scripted.store)
    desk_admin.login(officer, "cb.binh", PASSWORD)
    with scripted.store.write() as session:  # the admin disables the account while it is logged in
        accounts.set_active(session, "cb.binh", False, actor=clerk())
    with pytest.raises(UserError, match="không được tiếp nhận hồ sơ"):
        attach(officer, code, [scan(1)], component=1)
    assert kept_files(scripted) == [] and files(scripted, code) == []
    with scripted.store.read() as session:
        assert audit.entries(session, limit=1)[0].action == "refused"
    with pytest.raises(UserError, match="cần vai trò Lãnh đạo"):  # checking every file is a leader's audit
        verify_files(_officer(scripted.store))


def _officer(store):  # noqa: ANN001, ANN202
    with store.write() as session:
        accounts.set_active(session, "cb.binh", True, actor=clerk())
    officer = Desk(store)
    desk_admin.login(officer, "cb.binh", PASSWORD)
    return officer


def test_an_altered_file_is_found_by_files_verify(counter) -> None:  # noqa: ANN001
    desk, code = counter
    a = attach(desk, code, [scan(1)], component=1)
    b = attach(desk, code, [scan(2)], component=2)
    assert verify_files(desk).ok
    vault = FileVault.of(desk.store)
    altered = vault.path(a.file.sha256)
    altered.write_bytes(altered.read_bytes() + b"% one byte more")
    vault.path(b.file.sha256).unlink()
    check = verify_files(desk)
    assert not check.ok and check.checked == 2
    assert {(p.state, p.sha256) for p in check.problems} == {("altered", a.file.sha256), ("missing", b.file.sha256)}
    assert code in check.message and "bị sửa" in check.message and "mất" in check.message
    with pytest.raises(UserError, match="đã bị sửa"):
        file_bytes(desk, code, a.file.sha256)


def test_the_statistics_count_dossiers_digitised_in_full_and_results_digitised(counter, tmp_path: Path) -> None:  # noqa: ANN001
    from datetime import date

    from openpyxl import load_workbook

    from counter_app import clock
    from counter_app.services import digitisation_stats

    desk, full = counter
    codes = []
    for refusal in ("", "", "", "Thiếu giấy tờ"):
        req = intake.parse_intake({"procedure_code": "9.000003", "applicant": applicant(), "refusal_reason": refusal})
        with desk.store.write() as session:
            codes.append(intake.create_dossier(session, req, actor=clerk()).dossier["code"])
    half, ready, ready_too, _refused = codes
    attach(desk, full, [scan(1)], component=1)
    attach(desk, full, [scan(2)], component=2)
    attach(desk, half, [scan(3)], component=1)
    attach(desk, half, [scan(3)], component=0)  # a paper outside the checklist does not stand for one in it
    with desk.store.write() as session:
        workflow.move(session, ready, 9, actor=clerk())
        workflow.move(session, ready_too, 9, actor=clerk())
    attach(desk, ready, [scan(4)], result=True)
    today = clock.now().date()
    with desk.store.read() as session:
        figures = digitisation_stats.digitisation(session, today, today)
        assert digitisation_stats.digitisation(session, date(2020, 1, 1), date(2020, 1, 2)).intake_rate is None
    assert (figures.received, figures.fully_digitised, figures.resolved, figures.results_digitised) == (4, 1, 2, 1)
    assert (figures.intake_rate, figures.result_rate) == (25.0, 50.0)
    _, rows = desk_admin.export_report(desk, today, today, str(tmp_path / "bao-cao.xlsx"))
    sheet = load_workbook(tmp_path / "bao-cao.xlsx")["Thống kê"]
    shown = {r[0]: (r[1], r[2]) for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]}
    assert shown["Hồ sơ tiếp nhận được số hóa đủ thành phần"] == (1, 25.0)
    assert shown["Kết quả giải quyết được số hóa"] == (1, 50.0)
    # The register (Mẫu 07) says the same of each dossier, in its notes column.
    from counter_app.services.papers import register_entries

    with desk.store.read() as session:
        notes = {row.code: row.note for row in register_entries(session, today, today)}
    assert "đã số hóa hồ sơ" in notes[full] and "đã số hóa hồ sơ" not in notes[half]
    assert "có kết quả điện tử" in notes[ready] and "có kết quả điện tử" not in notes[ready_too]


def test_the_inbox_can_count_the_pages_of_each_file(tmp_path: Path) -> None:
    from counter_app.digitise.normalise import page_count

    frames = [Image.new("L", (100, 140), shade) for shade in (0, 128, 255)]
    tiff = io.BytesIO()
    frames[0].save(tiff, "TIFF", save_all=True, append_images=frames[1:])
    two = pikepdf.Pdf.new()
    two.add_blank_page()
    two.add_blank_page()
    pdf = io.BytesIO()
    two.save(pdf)
    assert [page_count(tiff.getvalue()), page_count(pdf.getvalue()), page_count(scan(1))] == [3, 2, 1]
    made = normalise([Page(tiff.getvalue(), index=2)], code="C", component="P")
    assert made.pages == 1
    with pytest.raises(DigitiseError, match="có mật khẩu"):
        page_count(_password_pdf())


def test_a_scan_whose_save_fails_leaves_no_file_behind(counter, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    desk, code = counter

    def disk_gone(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(filestore, "record", disk_gone)
    with pytest.raises(OSError):
        attach(desk, code, [scan(1)], component=1)
    assert kept_files(desk) == [] and files(desk, code) == []
