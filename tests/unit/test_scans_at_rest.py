"""The scans are kept sealed under the store's key, as the store itself is (counter_app/digitise/vault.py,
docs/digitisation.md "At rest")."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from counter_app.db.store import Store
from counter_app.desk import Desk
from counter_app.desk_digitise import attach, file_bytes, verify_files
from counter_app.digitise.vault import CLEAR_SUFFIX, SEALED_MARK, FileVault
from counter_app.services import intake
from tests.conftest import applicant, clerk

NAME = "Nguyễn Thị Hạnh"


def _scan(seed: int) -> bytes:
    page = io.BytesIO()
    Image.new("L", (600, 840), 40 + seed).save(page, "JPEG")
    return page.getvalue()


@pytest.fixture
def counter(desk):  # noqa: ANN001, ANN201 - an office store with the test procedures
    req = intake.parse_intake({"procedure_code": "9.000003", "applicant": applicant(full_name=NAME)})
    with desk.write() as session:
        code = intake.create_dossier(session, req, actor=clerk()).dossier["code"]
    return Desk(desk, clerk("cb.an")), code


def _on_disk(desk: Desk) -> list[Path]:
    return sorted(p for p in FileVault.of(desk.store).root.rglob("*") if p.is_file() and p.name != SEALED_MARK)


def _forms(text: str) -> list[bytes]:
    """How a PDF may spell a string: UTF-8, or UTF-16 (big-endian, as PDF text strings are)."""
    return [text.encode("utf-8"), text.encode("utf-16-be")]


def test_a_scan_on_a_stolen_disk_shows_neither_the_pdf_nor_the_dossier_code(counter) -> None:  # noqa: ANN001
    desk, code = counter
    done = attach(desk, code, [_scan(1), _scan(2)], component=1)
    [kept] = _on_disk(desk)
    raw = kept.read_bytes()
    assert not raw.startswith(b"%PDF") and b"/Type" not in raw
    for needle in (*_forms(code), *_forms("Tờ khai (theo mẫu)")):
        assert needle not in raw
    # the officer still reads the paper: the PDF with the code in its properties
    pdf = pikepdf.open(io.BytesIO(file_bytes(desk, code, done.file.sha256)))
    assert len(pdf.pages) == 2 and str(pdf.docinfo["/Keywords"]) == code


def test_a_copied_files_folder_does_not_open_on_another_pc(counter, tmp_path: Path) -> None:  # noqa: ANN001
    desk, code = counter
    done = attach(desk, code, [_scan(3)], component=1)
    other = FileVault(desk.store.path.parent, b"\x07" * 32)  # another store's key
    assert other.state(done.file.sha256) == "altered"


def test_a_scan_put_under_another_scans_name_is_found_altered(counter) -> None:  # noqa: ANN001
    desk, code = counter
    a = attach(desk, code, [_scan(4)], component=1)
    b = attach(desk, code, [_scan(5)], component=2)
    vault = FileVault.of(desk.store)
    shutil.copyfile(vault.path(b.file.sha256), vault.path(a.file.sha256))  # a swap on disk, both sealed
    check = verify_files(desk)
    assert not check.ok and [(p.state, p.sha256) for p in check.problems] == [("altered", a.file.sha256)]


def test_the_clear_scans_of_an_older_counter_are_sealed_when_it_opens(counter) -> None:  # noqa: ANN001
    desk, code = counter
    done = attach(desk, code, [_scan(6)], component=1)
    vault = FileVault.of(desk.store)
    pdf = vault.read(done.file.sha256)
    # The folder as a counter from before sealing left it: the PDF in clear, no mark.
    vault.path(done.file.sha256).unlink()
    (vault.root / SEALED_MARK).unlink()
    clear = vault.path(done.file.sha256).with_suffix(CLEAR_SUFFIX)
    clear.write_bytes(pdf)
    assert file_bytes(desk, code, done.file.sha256) == pdf  # read as it is until the next opening
    folder = desk.store.path.parent
    desk.store.close()
    reopened = Store.open(folder)
    try:
        assert not clear.exists() and vault.path(done.file.sha256).exists()
        assert not vault.path(done.file.sha256).read_bytes().startswith(b"%PDF")
        officer = Desk(reopened, clerk("cb.an"))
        assert verify_files(officer).ok and file_bytes(officer, code, done.file.sha256) == pdf
    finally:
        reopened.close()


def test_a_clear_scan_altered_before_the_upgrade_is_left_for_files_verify(counter) -> None:  # noqa: ANN001
    desk, code = counter
    done = attach(desk, code, [_scan(7)], component=1)
    vault = FileVault.of(desk.store)
    vault.path(done.file.sha256).unlink()
    (vault.root / SEALED_MARK).unlink()
    clear = vault.path(done.file.sha256).with_suffix(CLEAR_SUFFIX)
    clear.write_bytes(b"%PDF-1.7 not the scan")
    assert vault.seal_clear_files() == 0 and clear.exists()
    check = verify_files(desk)
    assert [(p.state, p.sha256) for p in check.problems] == [("altered", done.file.sha256)]
