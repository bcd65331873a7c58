"""Return of the result, opened by a scan of the slip (or F4 and the code) from any screen.

One glance says what to do: a coloured banner (and its words) says ready / not ready (with the
due time) / already returned (to whom, when). When ready, the recipient is prefilled with the
applicant; keys 1 / 2 / 3 give the optional satisfaction rating (0 clears it), Enter confirms.
The view only shows and collects; the main window runs the return on the store lane and answers
with `show_dossier` (the dossier after the return) or `show_error`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.desk_types import DossierCard
from counter_app.domain.statuses import ENDED_WITHOUT_RESULT, Status, can_move
from counter_app.domain.text import fold
from ui import strings, theme
from ui.formatting import long_datetime
from ui.views.widgets import enlarge, error_line

R = strings.Return
_BANNERS = {"ready": theme.SUCCESS, "waiting": theme.WARNING, "late": theme.ERROR, "returned": theme.INFO,
            "ended": theme.NEUTRAL}


class ReturnView(QWidget):
    ready_requested = Signal()  # "Có kết quả": the window asks, then moves to 9
    back_requested = Signal()
    details_requested = Signal(str)
    confirm_requested = Signal(object)
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("return_view")
        self.dossier: DossierCard | None = None

        self.title = QLabel(R.EMPTY)
        self.title.setObjectName("return_code")
        self.title.setWordWrap(True)
        enlarge(self.title, 1.6, bold=True)
        self.banner = QLabel()
        self.banner.setObjectName("return_banner")
        self.banner.setWordWrap(True)
        enlarge(self.banner, 1.4, bold=True)
        self.banner.hide()

        self.values: dict[str, QLabel] = {}
        facts = QGroupBox()
        facts_form = QFormLayout(facts)
        for key, text in (("applicant", R.APPLICANT), ("procedure", R.RESULT), ("status", R.STATUS),
                          ("due_at", R.DUE)):
            value = QLabel()
            value.setObjectName(f"return_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            enlarge(value, 1.15)
            self.values[key] = value
            facts_form.addRow(text, value)

        self.recipient_box = QGroupBox(R.RECIPIENT)
        self.recipient_box.setObjectName("recipient_box")
        form = QFormLayout(self.recipient_box)
        self.name = QLineEdit()
        self.name.setObjectName("recipient_name")
        self.id_number = QLineEdit()
        self.id_number.setObjectName("recipient_id")
        self.relation = QLineEdit()
        self.relation.setObjectName("recipient_relation")
        self.relation.setPlaceholderText(R.RELATION_HINT)
        for text, editor in ((R.NAME, self.name), (R.ID_NUMBER, self.id_number), (R.RELATION, self.relation)):
            label = QLabel(text)
            label.setBuddy(editor)
            form.addRow(label, editor)
            editor.returnPressed.connect(self.confirm)
        self.rating = QButtonGroup(self)
        self.rating.setExclusive(False)  # so "no rating" (0) can clear it
        rating_row = QHBoxLayout()
        for value, text in strings.RATINGS.items():
            button = QRadioButton(f"{value}. {text}")
            button.setObjectName(f"rating_{value}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys 1/2/3 choose: no tab stop each
            button.toggled.connect(lambda on, b=button: self._one_rating(b) if on else None)
            self.rating.addButton(button, value)
            rating_row.addWidget(button)
        rating_row.addStretch(1)
        form.addRow(R.RATING, rating_row)
        self.confirm_button = QPushButton(R.CONFIRM)
        self.confirm_button.setObjectName("confirm_return")
        self.confirm_button.setDefault(True)
        self.confirm_button.clicked.connect(self.confirm)
        self.error = error_line("return_error", bold=True)
        form.addRow(self.error)
        form.addRow(self.confirm_button)

        self.details_button = QPushButton(R.DETAILS)
        self.details_button.setObjectName("return_details")
        self.details_button.clicked.connect(lambda: self.details_requested.emit(self.code))
        # The result came back from the processing officer while the citizen waits at the counter:
        # record it here and hand it over, without going through the dossier's own screen.
        self.ready_button = QPushButton(R.MARK_READY)
        self.ready_button.setObjectName("return_mark_ready")
        self.ready_button.clicked.connect(lambda: self.ready_requested.emit())
        back = QPushButton(R.BACK)
        back.clicked.connect(lambda: self.back_requested.emit())
        buttons = QHBoxLayout()
        buttons.addWidget(self.ready_button)
        buttons.addStretch(1)
        buttons.addWidget(back)
        buttons.addWidget(self.details_button)

        page = QVBoxLayout(self)
        page.addWidget(self.title)
        page.addWidget(self.banner)
        page.addWidget(facts)
        page.addWidget(self.recipient_box)
        page.addStretch(1)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        page.addWidget(line)
        page.addLayout(buttons)
        facts.hide()
        self._facts = facts
        self.recipient_box.hide()
        self.ready_button.hide()
        self.details_button.setEnabled(False)

    @property
    def code(self) -> str:
        return self.dossier.code if self.dossier else ""

    def clear(self) -> None:
        """Back to the empty screen (a log-out: nothing of the last citizen stays on it)."""
        self.dossier = None
        self.title.setText(R.EMPTY)
        for widget in (self.banner, self._facts, self.recipient_box, self.ready_button, self.error):
            widget.hide()
        for label in self.values.values():
            label.clear()
        for edit in (self.name, self.id_number, self.relation):
            edit.clear()
        self.details_button.setEnabled(False)

    def state(self) -> str:
        return self.banner.property("state") or ""

    # --- answers ---------------------------------------------------------------------------------------

    def show_dossier(self, dossier: DossierCard, *, just_returned: bool = False) -> None:
        self.dossier = dossier
        a = dossier.applicant
        status = dossier.status
        self.title.setText(dossier.code)
        person = " · ".join(v for v in (a.full_name, a.id_number, a.phone) if v) if a else ""
        due = long_datetime(dossier.due_at)
        self.values["applicant"].setText(person)
        self.values["procedure"].setText(dossier.procedure_name)
        self.values["status"].setText(dossier.status_label)
        self.values["due_at"].setText(due + (strings.Dossier.OVERDUE if dossier.overdue else ""))
        self._facts.show()
        self.error.hide()
        self.details_button.setEnabled(True)
        self.ready_button.setVisible(can_move(status, Status.DONE))
        self.ready_button.setEnabled(True)
        if status == Status.DONE:
            self._banner("ready", R.READY)
            self.name.setText(a.full_name if a else "")
            self.id_number.setText(a.id_number if a else "")
            self.relation.clear()
            for button in self.rating.buttons():
                button.setChecked(False)
            self.recipient_box.show()
            self._working(False)
            self.confirm_button.setFocus()
        else:
            self.recipient_box.hide()
            if status == Status.RETURNED:
                recipient = dossier.recipient
                relation = f" ({recipient.relation})" if recipient and recipient.relation else ""
                text = (R.JUST_RETURNED if just_returned else R.RETURNED).format(
                    name=recipient.full_name if recipient else "", relation=relation,
                    when=long_datetime(dossier.returned_at))
                self._banner("returned", text)
            elif status in ENDED_WITHOUT_RESULT:
                self._banner("ended", R.ENDED.format(status=dossier.status_label))
            elif status == Status.SUPPLEMENT:
                self._banner("waiting", R.PAUSED)
            else:
                late = dossier.overdue
                self._banner("late" if late else "waiting",
                             (R.NOT_READY_OVERDUE if late else R.NOT_READY).format(
                                 status=dossier.status_label, due=due))
            self.details_button.setFocus()

    def show_error(self, error: Exception) -> None:
        self._working(False)
        self.error.setText(getattr(error, "message", str(error)))
        self.error.show()
        field = getattr(error, "field", "")
        (self.id_number if field == "recipient_id" else self.name).setFocus()

    # --- the officer ----------------------------------------------------------------------------------

    def rating_value(self) -> int | None:
        checked = self.rating.checkedId()
        return checked if checked > 0 else None

    def set_rating(self, value: int) -> None:
        for button in self.rating.buttons():
            button.setChecked(self.rating.id(button) == value)

    def confirm(self) -> None:
        if not self.dossier or self.dossier.status != Status.DONE or not self.confirm_button.isEnabled():
            return
        applicant = self.dossier.applicant_name
        name, relation = self.name.text().strip(), self.relation.text().strip()
        if name and fold(name) != fold(applicant) and not relation:
            self.error.setText(R.NEED_RELATION)
            self.error.show()
            self.relation.setFocus()
            return
        self.error.hide()
        self._working(True)
        self.confirm_requested.emit({"full_name": name, "id_number": self.id_number.text().strip(),
                                "relation": relation, "rating": self.rating_value()})

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        # Keys a line edit did not take (the focus is on a button): 1/2/3 rate, 0 clears, Enter confirms.
        if self.recipient_box.isVisible() and event.text() in ("0", "1", "2", "3"):
            self.set_rating(int(event.text()))
            return
        if self.recipient_box.isVisible() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.confirm()
            return
        super().keyPressEvent(event)

    def set_marking(self, on: bool) -> None:
        """While "Có kết quả" is being written: one click writes once."""
        self.ready_button.setEnabled(not on)

    def _one_rating(self, chosen: QRadioButton) -> None:
        for button in self.rating.buttons():
            if button is not chosen:
                button.setChecked(False)

    def _working(self, on: bool) -> None:
        self.confirm_button.setEnabled(not on)
        self.confirm_button.setText(R.WORKING if on else R.CONFIRM)

    def _banner(self, state: str, text: str) -> None:
        background, foreground = _BANNERS[state].background, _BANNERS[state].text
        self.banner.setProperty("state", state)
        self.banner.setStyleSheet(f"background: {background}; color: {foreground}; border: 2px solid {foreground}; "
                                  "border-radius: 6px; padding: 10px;")
        self.banner.setText(text)
        self.banner.show()
