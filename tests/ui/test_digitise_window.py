"""Digitising at the counter in the window (docs/digitisation.md, "In the window"): pages from the
scanner's hot folder, from disk or dropped, assigned to the dossier's papers by keyboard, saved as
one PDF per paper off the UI thread; bad files refused with a Vietnamese notice, nothing kept."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from counter_app.desk import Desk
from counter_app.desk_digitise import file_bytes, files
from tests.conftest import clerk
from tests.ui.conftest import Answers
from tests.ui.life_helpers import dossier_in
from tests.unit.test_digitise import scan
from ui import theme


class FileAnswers(Answers):
    def __init__(self) -> None:
        super().__init__()
        self.files_with: list[str] = []  # what "Mở tệp…" is answered with
        self.folder_with = ""  # what Cài đặt › Thư mục quét để số hóa… is answered with

    def choose_files(self, parent, title: str, filters: str) -> list[str]:  # noqa: ANN001
        self.asked.append(title)
        return self.files_with

    def choose_folder(self, parent, title: str, start: str) -> str:  # noqa: ANN001
        self.asked.append(title)
        return self.folder_with


@pytest.fixture
def answers() -> FileAnswers:
    return FileAnswers()


def digitise_panel(qtbot, window, code: str):  # noqa: ANN001, ANN201
    with qtbot.waitSignal(window.dossier_shown, timeout=5000):
        window.open_dossier(code)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    panel = window.digitise.panel
    assert window.tabs.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.code == code and panel.slots.count() > 0, timeout=5000)
    return panel


def opened_panel(qtbot, desk, open_window):  # noqa: ANN001, ANN201
    """A dossier of two components just received, open in the window with its digitisation panel:
    (window, panel, code)."""
    code = dossier_in(desk, 2)
    window = open_window(desk)
    return window, digitise_panel(qtbot, window, code), code


def wait_for_pages(qtbot, panel, count: int) -> None:  # noqa: ANN001
    """The inbox offers exactly `count` pages (a scan is read and its thumbnail made off the screen's thread)."""
    qtbot.waitUntil(lambda: panel.model.rowCount() == count, timeout=5000)


def kept(desk, code: str) -> list:  # noqa: ANN001
    return files(Desk(desk, clerk()), code)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_jpeg_saved_into_the_hot_folder_shows_in_the_inbox(qtbot, desk, open_window, hot) -> None:  # noqa: ANN001
    window, panel, code = opened_panel(qtbot, desk, open_window)
    assert str(hot) in panel.folder.text()
    assert panel.model.rowCount() == 0
    write(hot / "scan_0001.jpg", scan(1))
    (hot / "ghi-chu.txt").write_text("không phải trang")  # not a page: never offered
    wait_for_pages(qtbot, panel, 1)
    assert panel.model.pages[0].page.name == "scan_0001.jpg"
    assert not panel.model.pages[0].page.thumb.isNull()
    assert "Trang đã quét (1)" == panel.inbox_box.title()
    qtbot.waitUntil(lambda: panel.preview.pixmap() is not None and not panel.preview.pixmap().isNull(), timeout=5000)


def test_a_page_assigned_to_component_1_and_saved_becomes_its_pdf(qtbot, desk, open_window, hot) -> None:  # noqa: ANN001
    window, panel, code = opened_panel(qtbot, desk, open_window)
    write(hot / "to-khai.jpg", scan(2))
    wait_for_pages(qtbot, panel, 1)
    panel.strip.setFocus()
    qtbot.keyClick(panel.strip, Qt.Key.Key_1)
    assert panel.model.pages[0].target.name == "Tờ khai (theo mẫu)"
    assert "1 trang chờ lưu" in panel.slots.item(0).text()
    qtbot.keyClick(panel.strip, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0 and "Đã lưu bản số" in panel.notice.text(), timeout=10_000)
    rows = kept(desk, code)
    assert [(r.component_index, r.component_name, r.pages) for r in rows] == [(1, "Tờ khai (theo mẫu)", 1)]
    pdf = pikepdf.open(io.BytesIO(file_bytes(Desk(desk, clerk()), code, rows[0].sha256)))
    assert str(pdf.docinfo["/Keywords"]) == code
    assert str(pdf.docinfo["/Title"]) == f"{code} — Tờ khai (theo mẫu)"
    qtbot.waitUntil(lambda: "đã số hóa (1 trang)" in panel.slots.item(0).text(), timeout=5000)
    # The scanner's file went aside, so the next start does not offer it again.
    qtbot.waitUntil(lambda: (hot / "Đã số hóa" / "to-khai.jpg").exists(), timeout=5000)
    assert not (hot / "to-khai.jpg").exists()
    qtbot.keyClick(window, Qt.Key.Key_F8)  # back to the dossier, which lists what is kept
    assert window.tabs.currentWidget() is window.dossier
    qtbot.waitUntil(lambda: "Tờ khai (theo mẫu): 1 trang" in window.dossier.digitised.text(), timeout=5000)


def test_pages_are_turned_moved_and_dropped_by_keyboard(qtbot, desk, open_window, answers, tmp_path) -> None:  # noqa: ANN001
    window, panel, code = opened_panel(qtbot, desk, open_window)
    answers.files_with = [str(write(tmp_path / f"trang-{i}.png", scan(i, size=(620, 877), fmt="PNG")))
                          for i in (1, 2, 3)]
    qtbot.keyClick(panel.strip, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    wait_for_pages(qtbot, panel, 3)
    names = lambda: [p.page.name for p in panel.model.pages]  # noqa: E731
    assert names() == ["trang-1.png", "trang-2.png", "trang-3.png"]
    panel.strip.setFocus()
    panel.strip.setCurrentIndex(panel.model.index(0))
    qtbot.keyClick(panel.strip, Qt.Key.Key_R)
    qtbot.keyClick(panel.strip, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert names() == ["trang-2.png", "trang-1.png", "trang-3.png"]
    assert [p.rotate for p in panel.model.pages] == [0, 90, 0]
    qtbot.keyClick(panel.strip, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(panel.strip, Qt.Key.Key_R, Qt.KeyboardModifier.ShiftModifier)
    assert panel.model.pages[1].rotate == 270
    panel.strip.setCurrentIndex(panel.model.index(2))
    qtbot.keyClick(panel.strip, Qt.Key.Key_Delete)
    assert names() == ["trang-2.png", "trang-1.png"]
    panel.strip.selectAll()
    qtbot.keyClick(panel.strip, Qt.Key.Key_2)
    qtbot.keyClick(panel.strip, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=10_000)
    (row,) = kept(desk, code)
    assert (row.component_index, row.pages) == (2, 2)
    pdf = pikepdf.open(io.BytesIO(file_bytes(Desk(desk, clerk()), code, row.sha256)))
    assert [int(p.obj.get("/Rotate", 0)) for p in pdf.pages] == [0, 270]
    assert all(Path(p).exists() for p in answers.files_with[:2])  # files added by hand stay where they were


def test_a_corrupt_image_is_refused_and_nothing_is_kept(qtbot, desk, open_window, hot) -> None:  # noqa: ANN001
    window, panel, code = opened_panel(qtbot, desk, open_window)
    write(hot / "hong.jpg", b"\xff\xd8\xff\xe0" + b"\x00garbage" * 200)
    qtbot.waitUntil(lambda: "bị hỏng" in panel.notice.text(), timeout=5000)
    assert "hong.jpg" in panel.notice.text()
    assert panel.model.rowCount() == 0
    # A JPEG cut off half-way still shows a picture, but saving it is refused: nothing of its paper
    # is kept, while the other paper saved with it is.
    whole = scan(3)
    write(hot / "a-cat-do.jpg", whole[: len(whole) // 2])
    write(hot / "b-to-khai.jpg", scan(4))
    wait_for_pages(qtbot, panel, 2)
    assert [p.page.name for p in panel.model.pages] == ["a-cat-do.jpg", "b-to-khai.jpg"]
    panel.strip.setCurrentIndex(panel.model.index(0))
    qtbot.keyClick(panel.strip, Qt.Key.Key_0)
    panel.strip.setCurrentIndex(panel.model.index(1))
    qtbot.keyClick(panel.strip, Qt.Key.Key_1)
    qtbot.keyClick(panel.strip, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "a-cat-do.jpg" in panel.notice.text(), timeout=10_000)
    assert "Đã lưu bản số: Tờ khai (theo mẫu)." in panel.notice.text()
    assert [p.page.name for p in panel.model.pages] == ["a-cat-do.jpg"]  # the page stays for another try
    assert [r.component_index for r in kept(desk, code)] == [1]
    assert (hot / "a-cat-do.jpg").exists()


def test_a_file_that_vanishes_before_it_is_read_is_dropped_with_a_notice(qtbot, desk, open_window, hot) -> None:  # noqa: ANN001
    window, panel, code = opened_panel(qtbot, desk, open_window)
    gone = hot / "scan_0002.jpg"  # the hot folder saw it, the scanner software then moved it away
    window.digitise.take([gone], from_hot_folder=True)
    qtbot.waitUntil(lambda: "scan_0002.jpg" in panel.notice.text(), timeout=5000)
    assert "đã bị xóa hoặc chuyển đi" in panel.notice.text()
    assert panel.model.rowCount() == 0


def test_files_dropped_onto_the_inbox_are_added(qtbot, desk, open_window, tmp_path) -> None:  # noqa: ANN001
    window, panel, code = opened_panel(qtbot, desk, open_window)
    paths = [write(tmp_path / "a.jpg", scan(4)), write(tmp_path / "b.jpg", scan(5))]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    # Offscreen Qt has no drag in progress to deliver a drop through: the panel's handlers are
    # handed the events a drop onto it brings.
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    panel.dragEnterEvent(enter)
    assert enter.isAccepted()
    panel.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                               Qt.KeyboardModifier.NoModifier))
    wait_for_pages(qtbot, panel, 2)
    assert sorted(p.page.name for p in panel.model.pages) == ["a.jpg", "b.jpg"]


def test_a_page_still_being_written_is_waited_for(qtbot, tmp_path) -> None:  # noqa: ANN001
    from ui.digitise_watch import HotFolder

    handed: list[list[str]] = []
    # The test looks by hand (no timer), and a size that held across two looks is enough.
    hot = HotFolder(lambda paths: handed.append([p.name for p in paths]), poll_ms=60_000, settle_ms=0)
    page = tmp_path / "scan_0003.jpg"
    data = scan(6)
    page.write_bytes(data[:1000])  # the scanner software has written the first part

    def look() -> None:
        hot.look()
        qtbot.waitUntil(lambda: not hot.lane.busy(), timeout=5000)

    hot.watch(str(tmp_path))  # its first look
    qtbot.waitUntil(lambda: not hot.lane.busy(), timeout=5000)
    with page.open("ab") as f:
        f.write(data[1000:5000])
    look()
    assert handed == []  # its size moved between the looks: still being written
    with page.open("ab") as f:
        f.write(data[5000:])
    look()
    look()
    assert handed == [["scan_0003.jpg"]]
    look()
    assert handed == [["scan_0003.jpg"]]  # handed on once
    hot.stop()


def test_a_log_out_takes_the_panel_and_its_pages_away(qtbot, desk, open_window, hot) -> None:  # noqa: ANN001
    window, panel, code = opened_panel(qtbot, desk, open_window)
    write(hot / "scan_0004.jpg", scan(7))
    wait_for_pages(qtbot, panel, 1)
    window.start_over()
    assert window.tabs.indexOf(panel) < 0 and panel.model.rowCount() == 0 and panel.code == ""
    panel = digitise_panel(qtbot, window, code)  # the next officer: the page not saved is offered again
    wait_for_pages(qtbot, panel, 1)


def test_the_preview_follows_its_page_when_the_pages_before_it_go(qtbot, desk, open_window, answers, tmp_path) -> None:  # noqa: ANN001, E501
    window, panel, code = opened_panel(qtbot, desk, open_window)
    answers.files_with = [str(write(tmp_path / f"p{i}.jpg", scan(i))) for i in (1, 2)]
    panel.add_requested.emit()
    wait_for_pages(qtbot, panel, 2)
    panel.strip.setCurrentIndex(panel.model.index(1))  # its large picture is being drawn…
    panel.strip.selectionModel().select(panel.model.index(0), panel.strip.selectionModel().SelectionFlag.ClearAndSelect)
    panel.delete()  # …while the page before it goes
    assert [p.page.name for p in panel.model.pages] == ["p2.jpg"]
    qtbot.waitUntil(lambda: panel.preview.pixmap() is not None and not panel.preview.pixmap().isNull(), timeout=5000)


def test_the_hot_folder_is_chosen_in_the_settings_menu(qtbot, desk, open_window, answers, prefs, tmp_path) -> None:  # noqa: ANN001, E501
    from ui import strings

    window, panel, code = opened_panel(qtbot, desk, open_window)
    assert "Chưa chọn thư mục máy quét" in panel.folder.text()
    folder = tmp_path / "scanner"
    folder.mkdir()
    write(folder / "cu.jpg", scan(8))  # scanned before the folder was chosen: offered too
    answers.folder_with = str(folder)
    (menu_item,) = [a for a in window.menus["settings"].actions() if a.text() == strings.Digitise.HOT_FOLDER_MENU]
    menu_item.trigger()
    assert prefs.hot_folder == str(folder)
    assert str(folder) in panel.folder.text()
    wait_for_pages(qtbot, panel, 1)


def test_f8_without_an_open_dossier_says_how_to_open_one(qtbot, desk, open_window) -> None:  # noqa: ANN001
    window = open_window(desk)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert window.tabs.currentWidget() is window.intake
    assert "Hãy mở một hồ sơ" in window.messages.text()


def test_the_dossier_lists_each_digitised_paper_on_its_own_line_with_a_notice_below(  # noqa: ANN001
        qtbot, desk, open_window, hot) -> None:
    window, panel, code = opened_panel(qtbot, desk, open_window)
    write(hot / "to-khai.jpg", scan(1))
    write(hot / "giay-khai-sinh.jpg", scan(2))
    wait_for_pages(qtbot, panel, 2)
    panel.strip.setFocus()
    panel.strip.setCurrentIndex(panel.model.index(0, 0))
    qtbot.keyClick(panel.strip, Qt.Key.Key_1)
    panel.strip.setCurrentIndex(panel.model.index(1, 0))
    qtbot.keyClick(panel.strip, Qt.Key.Key_2)
    qtbot.keyClick(panel.strip, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0 and "Đã lưu bản số" in panel.notice.text(), timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: window.dossier.digitised.text().count("\n") == 2, timeout=5000)
    lines = window.dossier.digitised.text().split("\n")
    assert lines[0] == "Đã số hóa:"
    second = kept(desk, code)[1].component_name
    assert [line.split(":")[0] for line in lines[1:]] == ["• Tờ khai (theo mẫu)", f"• {second}"]
    assert all(line.endswith(" KB") for line in lines[1:])  # each size ends its own paper's line
    window.dossier.show_files_note(code, "Không tải được 1 giấy tờ từ máy chủ huyện.")
    assert window.dossier.digitised.text().split("\n")[-1] == "Không tải được 1 giấy tờ từ máy chủ huyện."


def settled_place(qtbot, widget, within) -> QPoint:  # noqa: ANN001
    """Where `widget` sits in `within` once no layout is pending (on a loaded machine the first
    layout of a just-shown tab can still be queued when the pages arrive)."""
    places: list[QPoint] = []

    def still() -> bool:
        QApplication.processEvents()
        places.append(widget.mapTo(within, widget.rect().topLeft()))
        return len(places) >= 3 and places[-1] == places[-2] == places[-3]

    qtbot.waitUntil(still, timeout=3000)
    return places[-1]


def test_a_notice_in_the_digitise_panel_does_not_move_the_pages(qtbot, desk, open_window, hot) -> None:  # noqa: ANN001
    window, panel, code = opened_panel(qtbot, desk, open_window)
    write(hot / "scan_0001.jpg", scan(1))
    wait_for_pages(qtbot, panel, 1)
    before = settled_place(qtbot, panel.strip, panel)  # the panel's own first layout is done
    panel.say("Không đọc được tệp hong.jpg: tệp bị hỏng. " * 3, theme.ERROR)
    qtbot.waitUntil(panel.notice.isVisible, timeout=2000)
    assert settled_place(qtbot, panel.strip, panel) == before
    assert panel.notice.visibleRegion().boundingRect().height() == panel.notice.height()  # and it is read whole
