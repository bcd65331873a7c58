"""Signing what the window digitises with the office's token (docs/signing.md, "In the window"): the
box is there only when the office named a token, the PIN is asked once per save and never kept, and
a PIN the token refuses stops the save at the first paper, so the token is not locked by retries."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from counter_app.desk import Desk
from counter_app.desk_digitise import file_bytes, files
from counter_app.digitise.signing import verify_pdf
from tests.conftest import clerk
from tests.signing_tokens import OFFICE_KEY, OFFICE_TOKEN, PIN, SOFTHSM
from tests.ui.conftest import Answers
from tests.ui.life_helpers import dossier_in
from tests.unit.test_digitise import scan


class PinAnswers(Answers):
    def __init__(self) -> None:
        super().__init__()
        self.secret_with: str | None = PIN  # what the PIN question is answered with (None: cancel)

    def ask_secret(self, parent, text: str) -> str | None:  # noqa: ANN001
        self.asked.append(text)
        return self.secret_with


@pytest.fixture
def answers() -> PinAnswers:
    return PinAnswers()


def _with_token(desk) -> None:  # noqa: ANN001 - Store
    Desk(desk, clerk()).set_settings({"signing.module": str(SOFTHSM), "signing.token_label": OFFICE_TOKEN,
                                      "signing.key_label": OFFICE_KEY})


def _two_papers_in_hand(qtbot, window, hot: Path, code: str):  # noqa: ANN001, ANN202 - the panel
    with qtbot.waitSignal(window.dossier_shown, timeout=5000):
        window.open_dossier(code)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    panel = window.digitise.panel
    qtbot.waitUntil(lambda: panel.code == code and panel.slots.count() > 0, timeout=5000)
    (hot / "to-khai.jpg").write_bytes(scan(1))
    (hot / "giay-khai-sinh.jpg").write_bytes(scan(2))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
    panel.strip.setFocus()
    panel.strip.setCurrentIndex(panel.model.index(0, 0))
    qtbot.keyClick(panel.strip, Qt.Key.Key_1)
    panel.strip.setCurrentIndex(panel.model.index(1, 0))
    qtbot.keyClick(panel.strip, Qt.Key.Key_2)
    assert len(panel.model.targets()) == 2
    return panel


def test_papers_saved_with_the_sign_box_ticked_are_kept_signed_by_the_office_token(  # noqa: ANN001
        qtbot, desk, open_window, answers, hot, tokens) -> None:
    _with_token(desk)
    code = dossier_in(desk, 2)
    window = open_window(desk)
    panel = _two_papers_in_hand(qtbot, window, hot, code)
    qtbot.waitUntil(panel.sign.isVisible, timeout=5000)
    panel.sign.setFocus()
    qtbot.keyClick(panel.sign, Qt.Key.Key_Space)  # keyboard: the box takes Space like any check box
    assert panel.sign.isChecked()
    qtbot.keyClick(panel.strip, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0 and "Đã lưu bản số" in panel.notice.text(), timeout=20_000)
    assert [a for a in answers.asked if "PIN" in a] == [answers.asked[-1]]  # asked once for the two papers
    officer = Desk(desk, clerk())
    kept = files(officer, code)
    assert sorted(r.component_index for r in kept) == [1, 2]
    for row in kept:
        report = verify_pdf(file_bytes(officer, code, row.sha256), [tokens.ca])
        assert (report.valid, report.signer) == (True, "Nguyễn Thị Một Cửa")
    assert "Đã ký số" in panel.notice.text()


def _save_ticked(qtbot, desk, window, hot: Path, answers: PinAnswers, pin: str | None):  # noqa: ANN001, ANN202
    """Two papers of a new dossier saved with the sign box ticked, the PIN answered with `pin`: (panel, code)."""
    _with_token(desk)
    code = dossier_in(desk, 2)
    panel = _two_papers_in_hand(qtbot, window, hot, code)
    qtbot.waitUntil(panel.sign.isVisible, timeout=5000)
    panel.sign.setChecked(True)
    answers.secret_with = pin
    qtbot.keyClick(panel.strip, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    return panel, code


def test_a_wrong_pin_stops_at_the_first_paper_and_keeps_every_page_in_the_inbox(  # noqa: ANN001
        qtbot, desk, open_window, answers, hot, tokens) -> None:
    panel, code = _save_ticked(qtbot, desk, open_window(desk), hot, answers, "000000")
    qtbot.waitUntil(lambda: "Dừng ký" in panel.notice.text(), timeout=20_000)
    assert "PIN" in panel.notice.text() and "1 giấy tờ còn lại chưa lưu" in panel.notice.text()
    assert "vẫn ở mục «Trang đã quét», không mất trang nào" in panel.notice.text()  # and says where they wait
    assert panel.model.rowCount() == 2 and files(Desk(desk, clerk()), code) == []


def test_cancelling_the_pin_saves_nothing_and_says_how_to_save_unsigned(  # noqa: ANN001
        qtbot, desk, open_window, answers, hot, tokens) -> None:
    panel, code = _save_ticked(qtbot, desk, open_window(desk), hot, answers, None)
    assert "Bỏ chọn «Ký số»" in panel.notice.text()
    assert panel.model.rowCount() == 2 and files(Desk(desk, clerk()), code) == []


def test_an_office_without_a_token_is_not_offered_signing(qtbot, desk, open_window, hot) -> None:  # noqa: ANN001
    code = dossier_in(desk, 2)
    window = open_window(desk)
    panel = _two_papers_in_hand(qtbot, window, hot, code)
    qtbot.waitUntil(lambda: not window.client.lane.busy(), timeout=5000)
    assert not panel.sign.isVisible() and not panel.sign.isChecked()
