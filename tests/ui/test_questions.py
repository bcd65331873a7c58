"""The window's own questions read in Vietnamese, buttons included: PySide6 ships no Vietnamese
translation of Qt, so Qt's stock "OK / Cancel" would show in English."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget

from ui import strings
from ui.interaction import Interaction


def _answer_the_open_question(qtbot, seen: list[list[str]], typed: str, key: Qt.Key) -> None:  # noqa: ANN001
    def answer() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, answer)
            return
        seen.append(sorted(b.text() for b in box.findChildren(QPushButton) if b.isVisible()))
        if typed:
            qtbot.keyClicks(box.focusWidget(), typed)
        qtbot.keyClick(box.focusWidget() or box, key)

    QTimer.singleShot(0, answer)


def test_the_pin_prompt_reads_in_vietnamese_and_hides_what_is_typed(qtbot) -> None:  # noqa: ANN001
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[list[str]] = []
    _answer_the_open_question(qtbot, seen, "123456", Qt.Key.Key_Return)
    assert Interaction().ask_secret(parent, "Mã PIN của USB ký số:") == "123456"
    assert seen == [sorted([strings.Main.YES, strings.Act.CANCEL])]
    _answer_the_open_question(qtbot, seen, "999", Qt.Key.Key_Escape)
    assert Interaction().ask_secret(parent, "Mã PIN của USB ký số:") is None  # Esc cancels


def test_a_number_question_and_a_notice_have_vietnamese_buttons(qtbot) -> None:  # noqa: ANN001
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[list[str]] = []
    _answer_the_open_question(qtbot, seen, "", Qt.Key.Key_Return)
    assert Interaction().ask_number(parent, "Số ngày gia hạn:", 3, 1, 30) == 3
    _answer_the_open_question(qtbot, seen, "", Qt.Key.Key_Return)
    Interaction().inform(parent, "Đã lưu.")
    _answer_the_open_question(qtbot, seen, "", Qt.Key.Key_Escape)
    Interaction().warn(parent, "Chưa lưu.")
    assert seen == [sorted([strings.Main.YES, strings.Act.CANCEL]), [strings.Main.CLOSE], [strings.Main.CLOSE]]
    assert not any(isinstance(w, QDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
