"""The public papers: every QR scans to its procedure's page, every shipped procedure's
poster fits one sheet, the listing board reads back in catalogue order with its headers repeated,
and bad input is refused plainly."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from counter_app.desk import Desk
from counter_app.domain.public_papers import PosterJob, poster_job
from counter_app.domain.text import fold
from counter_app.errors import UserError
from counter_app.papers import posters as drawing
from counter_app.papers.listing import CONTINUED
from counter_app.papers.slip import SlipDocument, document_text
from counter_app.services import catalogue, posters, settings
from tests.conftest import AGENCY, clerk
from tests.pdf_reading import PDFTOPPM, assert_inside_and_apart, flattened, needs_pdftoppm, text_boxes

SITE = "https://dichvucong.binhmy.gov.vn"
ADDRESS = "Thôn Phú Xuân, xã Bình Mỹ, tỉnh Ninh Bình"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """One office with the shipped catalogue (40 procedures), its public address and its address."""
    from counter_app.db.store import Store
    from counter_app.services.office import init_office

    store = Store.open(tmp_path_factory.mktemp("posters"))
    with store.write() as session:
        init_office(session, agency_code=AGENCY, agency_name="UBND xã Bình Mỹ", office_name="Bộ phận Một cửa",
                    place="Bình Mỹ", counter=0)
    desk = Desk(store, clerk())
    desk.set_settings({"posters.site_url": SITE, "office.address": ADDRESS, "papers.office_phone": "0229 3851 234"})
    yield desk
    store.close()


def _catalogue() -> list[dict]:
    """What `counter-app catalogue list` prints."""
    return [s.to_dict() for s in catalogue.load_shipped_catalogue()]


def _board_order(procedures: list[dict]) -> list[str]:
    """docs/posters.md: fields A to Z without their marks, then the codes in `catalogue list` order."""
    return [p["code"] for p in sorted(procedures, key=lambda p: (fold(p["field"]), p["code"]))]


def _qr_codes_per_page(pdf: bytes, tmp_path: Path, name: str) -> list[list[str]]:
    """Every QR the 150 dpi render of each page holds, as a phone photo of the print would see it."""
    import zxingcpp
    from PIL import Image

    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    # Grey PGM, not PNG: compressing forty A4 pages costs seconds, the raster itself a fraction of one.
    subprocess.run([PDFTOPPM, "-r", "150", "-gray", str(source), str(tmp_path / name)], check=True)
    pages = []
    for path in sorted(tmp_path.glob(f"{name}-*.pgm")):
        found = zxingcpp.read_barcodes(Image.open(path), formats=zxingcpp.BarcodeFormat.QRCode)
        pages.append(sorted(r.text for r in found))
    return pages


def _pages(pdf: bytes) -> list[str]:
    return [flattened(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


# --------------------------------------------------------------------------------------------------
# QR codes


@needs_pdftoppm
def test_every_qr_on_every_poster_scans_to_its_procedure_page(shipped: Desk, tmp_path: Path) -> None:
    pdf = shipped.public_pdf(PosterJob("batch"))
    expected = [f"{SITE}/thu-tuc/{code}" for code in _board_order(_catalogue())]
    assert _qr_codes_per_page(pdf, tmp_path, "a4") == [[url] for url in expected]


@needs_pdftoppm
def test_every_qr_of_an_a5_batch_of_one_field_scans(shipped: Desk, tmp_path: Path) -> None:
    pdf = shipped.public_pdf(PosterJob("batch", field="chung thuc", paper="a5"))
    codes = _board_order([p for p in _catalogue() if p["field"] == "Chứng thực"])
    assert len(codes) == 10
    assert _qr_codes_per_page(pdf, tmp_path, "a5") == [[f"{SITE}/thu-tuc/{c}"] for c in codes]


@needs_pdftoppm
def test_every_small_qr_of_the_listing_board_scans_to_its_row(shipped: Desk, tmp_path: Path) -> None:
    pdf = shipped.public_pdf(PosterJob("list"))
    per_page = _qr_codes_per_page(pdf, tmp_path, "list")
    texts = _pages(pdf)
    scanned = [url for page in per_page for url in page]
    assert sorted(scanned) == sorted(f"{SITE}/thu-tuc/{c}" for c in _board_order(_catalogue()))
    for page, urls in zip(texts, per_page, strict=True):  # each QR sits on the page of its row
        assert all(url.rsplit("/", 1)[1] in page for url in urls)


# --------------------------------------------------------------------------------------------------
# Fitting


def _document_line(document: dict) -> str:
    return flattened(document_text(0, SlipDocument(document["name"], document["form"], document["count"]))[1])


def test_a_poster_for_every_shipped_procedure_fits_its_paper_with_nothing_cut(shipped: Desk) -> None:
    by_code = {p["code"]: p for p in _catalogue()}
    for paper in ("a4", "a5"):
        pdf = shipped.public_pdf(PosterJob("batch", paper=paper))
        boxes_per_page = text_boxes(pdf)  # every piece of text with its place, in reading order
        assert len(boxes_per_page) == len(by_code) == 40  # one page a poster
        frame = drawing.frame_for(paper)
        inside = (frame.left - 1, frame.bottom - 1, frame.width - frame.right + 1, frame.height - frame.top + 1)
        for boxes in boxes_per_page:  # within the margins, no line over another
            assert_inside_and_apart(boxes, inside)
        pages = [flattened(" ".join(box[4] for box in boxes)) for boxes in boxes_per_page]
        for text, code in zip(pages, _board_order(list(by_code.values())), strict=True):
            procedure = by_code[code]
            assert flattened(procedure["name"]) in text, (paper, code)
            assert flattened(procedure["fee"]) in text, (paper, code)
            for document in procedure["documents"]:
                assert _document_line(document) in text, (paper, code, document["name"])
            assert "… và" not in text  # every shipped list is whole, none cut short
            assert ADDRESS in text and "0229 3851 234" in text
            assert "Danh mục thủ tục phiên bản" in text


def test_a_poster_of_an_enormous_procedure_stays_on_one_page_and_says_what_it_left_off() -> None:
    office = drawing.PosterOffice("UBND xã Bình Mỹ", "Bộ phận Một cửa", ADDRESS, "Sáng 07:00–11:30", "0229")
    documents = tuple(SlipDocument(f"Giấy tờ số {i}: " + "bản sao có chứng thực của giấy tờ chứng minh " * 4,
                                   "bản sao", 1) for i in range(1, 31))
    procedure = drawing.PosterProcedure("1.999999", "Thủ tục có tên rất dài " * 14, "Hộ tịch", 3, "", None,
                                        documents, f"{SITE}/thu-tuc/1.999999")
    mark = drawing.CatalogueMark("ABCD1234", None, __import__("datetime").date(2026, 12, 2))
    for paper in ("a4", "a5"):
        pdf = drawing.render_posters(office, [procedure], mark, paper)
        pages = _pages(pdf)
        assert len(pages) == 1
        frame = drawing.frame_for(paper)
        (boxes,) = text_boxes(pdf)
        assert_inside_and_apart(boxes, (frame.left - 1, frame.bottom - 1, frame.width - frame.right + 1,
                                         frame.height - frame.top + 1))
        fitted, _ = drawing.fit_page(office, procedure, mark, paper)
        left_off = len(documents) - fitted.shown_documents
        assert 0 < left_off < len(documents)
        assert drawing.MORE_DOCUMENTS.format(n=left_off) in pages[0]
        assert "Giấy tờ số 1:" in pages[0] and flattened(procedure.name) in pages[0]


def test_a_procedure_with_no_papers_and_no_fee_gets_a_sensible_poster(shipped: Desk, tmp_path: Path) -> None:
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps([{"code": "9.100001", "name": "Thủ tục chưa có giấy tờ", "field": "Thử nghiệm",
                                 "working_days": 0.5, "documents": []}], ensure_ascii=False), encoding="utf-8")
    shipped.import_catalogue(str(bare))
    try:
        (text,) = _pages(shipped.public_pdf(PosterJob("poster", code="9.100001")))
        assert drawing.NO_DOCUMENTS in text and drawing.NO_FEE in text
        assert "0,5 ngày làm việc" in text
    finally:
        with shipped.store.write() as session:  # the module's other tests count 40 procedures
            session.execute(__import__("sqlalchemy").text("DELETE FROM procedure WHERE code = '9.100001'"))


# --------------------------------------------------------------------------------------------------
# The listing board


def test_the_listing_board_reads_back_in_catalogue_order_with_repeated_headers(shipped: Desk) -> None:
    pdf = shipped.public_pdf(PosterJob("list"))
    pages = _pages(pdf)
    assert len(pages) > 1
    whole = " ".join(pages)
    procedures = _catalogue()
    order = _board_order(procedures)
    positions = [whole.index(f" {code} ") for code in order]
    assert positions == sorted(positions)  # the rows come in the board's order
    fields = sorted({p["field"] for p in procedures}, key=fold)
    field_positions = [whole.index(f". Lĩnh vực {f} (") for f in fields]
    assert field_positions == sorted(field_positions)
    for page in pages[1:]:
        assert page.index("Tên thủ tục hành chính") < 200  # the column titles head every page
        assert "Trang" in page
    assert any(CONTINUED.strip() in page[:400] for page in pages[1:])  # a field carried over says so
    first = pages[0]
    assert "UBND XÃ BÌNH MỸ" in first and "Bình Mỹ, ngày" in first
    stamp = catalogue.catalogue_version(catalogue.load_shipped_catalogue())
    assert f"phiên bản {stamp}" in first


def test_the_catalogue_version_on_the_posters_changes_when_the_catalogue_does(shipped: Desk, tmp_path: Path) -> None:
    before = _pages(shipped.public_pdf(PosterJob("poster", code="1.001193")))[0]
    with shipped.store.read() as session:
        old = catalogue.catalogue_stamp(session)
    specs = catalogue.load_shipped_catalogue()
    changed = [s if s.code != "2.001019" else type(s)(**{**s.__dict__, "fee": "60.000 đồng/di chúc"}) for s in specs]
    path = tmp_path / "new.json"
    catalogue.write_catalogue_file(changed, path)
    shipped.import_catalogue(str(path))
    try:
        with shipped.store.read() as session:
            new = catalogue.catalogue_stamp(session)
        after = _pages(shipped.public_pdf(PosterJob("poster", code="1.001193")))[0]
        assert new.version != old.version
        assert f"phiên bản {old.version}" in before and f"phiên bản {new.version}" in after
    finally:
        catalogue.write_catalogue_file(specs, path)
        shipped.import_catalogue(str(path))
    with shipped.store.read() as session:
        assert catalogue.catalogue_stamp(session).version == old.version  # the same content, the same version


# --------------------------------------------------------------------------------------------------
# Where the QR points


def test_the_qr_points_at_the_public_address_else_the_linked_server_else_the_national_portal(office_store) -> None:  # noqa: ANN001
    with office_store.write() as session:
        assert posters.site_address(session) == posters.NATIONAL_PAGE
        assert posters.procedure_url(posters.site_address(session), "1.001193") == (
            "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.001193")
        settings.put(session, "sync.server_url", "https://dongbo.huyen.gov.vn")
        assert posters.procedure_url(posters.site_address(session), "1.001193") == (
            "https://dongbo.huyen.gov.vn/thu-tuc/1.001193")
        settings.put(session, "posters.site_url", "https://tthc.huyen.gov.vn/")
        assert posters.procedure_url(posters.site_address(session), "1.001193") == (
            "https://tthc.huyen.gov.vn/thu-tuc/1.001193")
    assert posters.procedure_url("https://tinh.gov.vn/tthc?ma={code}", "2.000815") == (
        "https://tinh.gov.vn/tthc?ma=2.000815")


def test_a_poster_print_is_audited_and_a_desk_nobody_is_logged_in_at_prints_none(shipped: Desk) -> None:
    with pytest.raises(UserError, match="Chưa đăng nhập"):
        Desk(shipped.store, None).public_pdf(PosterJob("list"))
    shipped.record_print("1.001193", "poster", detail={"paper": "a4"})
    shipped.record_print("", "list")
    from counter_app.services import audit

    with shipped.store.read() as session:
        actions = [(e.action, e.target) for e in audit.entries(session, limit=2)]
    assert set(actions) == {("print.poster", "1.001193"), ("print.listing", "")}


# --------------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({}, "Cần ghi mã thủ tục"),
    ({"code": "1.001193", "listing": True}, "Chọn một trong"),
    ({"listing": True, "every": True}, "Chọn một trong"),
    ({"code": "1.001193", "field": "Hộ tịch"}, "--field"),
    ({"code": "1.001193", "paper": "a3"}, "chọn a4 hoặc a5"),
    ({"listing": True, "paper": "a5"}, "chỉ in khổ A4"),
])
def test_a_poster_command_that_does_not_say_one_paper_is_refused(kwargs: dict, fragment: str) -> None:
    with pytest.raises(UserError, match=fragment):
        poster_job(**kwargs)


@pytest.mark.parametrize(("job", "fragment"), [
    (PosterJob("poster", code="9.999999"), "Không có thủ tục mã '9.999999'"),
    (PosterJob("batch", field=""), "Cần ghi tên lĩnh vực"),
    (PosterJob("list", field="   "), "Cần ghi tên lĩnh vực"),
    (PosterJob("batch", field="Thuế"), "Không có lĩnh vực 'Thuế'"),
])
def test_an_unknown_code_or_field_is_refused_with_a_clear_message(shipped: Desk, job: PosterJob,
                                                                   fragment: str) -> None:
    with pytest.raises(UserError, match=fragment) as refused:
        shipped.public_pdf(job)
    if job.field == "Thuế":
        assert "Hộ tịch" in refused.value.message  # it names the fields there are


def test_the_poster_command_exits_2_on_bad_input_and_writes_nothing(shipped: Desk, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from counter_app import cli

    data = str(shipped.store.path.parent)
    for args in (["9.999999"], ["--field", ""], ["--all", "--field", "Thuế"], [], ["1.001193", "--paper", "a3"]):
        target = tmp_path / "out.pdf"
        assert cli.main(["--data-dir", data, "poster", *args, "-o", str(target)]) == 2, args
        err = capsys.readouterr().err.strip()
        assert err and "\n" not in err and "Traceback" not in err, args
        assert not target.exists()
    assert cli.main(["--data-dir", data, "poster", "--field", "ho tich", "-o", str(tmp_path / "ht.pdf")]) == 0
    assert len(PdfReader(tmp_path / "ht.pdf").pages) == 14
    assert "Đã ghi tờ niêm yết các thủ tục lĩnh vực Hộ tịch" in capsys.readouterr().err  # as the catalogue spells it
    with shipped.store.read() as session:
        from counter_app.services import audit

        assert audit.entries(session, limit=1)[0].target == "Hộ tịch"
