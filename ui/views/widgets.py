"""Small widgets the screens share: the message bar, a field with its message beside it, a screen's
heading, its error line, buttons (a named one, a dialog's pair), a search box, a titled box and a row or
column laid out from its parts, read-only tables and their cells, the status bar's one-line labels
that are cut in the middle rather than at the end, and the arrows of a search box that move the list
under it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QSize, Qt, QTimer, SignalInstance
from PySide6.QtGui import QColor, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QStatusBar,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.errors import UserError
from ui import theme

_LIST_STEPS = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5, Qt.Key.Key_PageUp: -5}


def step_list(results: QListWidget, event: QKeyEvent) -> bool:
    """Arrows and Page Up/Down typed in a search box move the current row of the list under it, so
    the officer never leaves the box to choose; True when the key was one of those."""
    if event.key() not in _LIST_STEPS or not results.count():
        return False
    row = max(0, min(results.count() - 1, results.currentRow() + _LIST_STEPS[event.key()]))
    results.setCurrentRow(row)
    return True


def fill_list(results: QListWidget, rows: list[tuple[str, object]]) -> None:
    """Replace the list's rows with (text, value) pairs; the value rides in the UserRole and the whole
    text is in the tooltip (the row itself is cut at the list's edge)."""
    results.clear()
    for text, value in rows:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setToolTip(text)
        results.addItem(item)


def enlarge(label: QLabel, scale: float, *, bold: bool = False) -> QLabel:
    """The label's own font made `scale` times larger (and bold): sizes follow the desktop's font."""
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    if bold:
        font.setBold(True)
    label.setFont(font)
    return label


def heading_label(text: str = "") -> QLabel:
    """A dialog's or a screen's heading line."""
    return enlarge(QLabel(text), 1.3, bold=True)


def push_button(text: str, name: str = "", on_click: Callable[[], object] | SignalInstance | None = None
                ) -> QPushButton:
    """A button with its object name (what the tests and the mnemonic check find it by) and what a
    click does (a callable, or a signal it passes the click on to)."""
    button = QPushButton(text)
    if name:
        button.setObjectName(name)
    if on_click is not None:
        button.clicked.connect(on_click)
    return button


def search_box(name: str, placeholder: str) -> QLineEdit:
    """A search line: its hint inside, and a clear button once something is typed."""
    box = QLineEdit()
    box.setObjectName(name)
    box.setPlaceholderText(placeholder)
    box.setClearButtonEnabled(True)
    return box


def titled_box(title: str, content: QWidget) -> QGroupBox:
    """A framed, titled group holding one widget (a Field, a list)."""
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(content)
    return box


Part = QWidget | QLayout | int | tuple[QWidget, int]


def lay_out(layout: QBoxLayout, *parts: Part) -> QBoxLayout:
    """The parts in the row or column, in order: a widget, a layout, an int (a stretch of that
    factor) or (widget, factor) for a widget that takes the room left."""
    for part in parts:
        if isinstance(part, tuple):
            layout.addWidget(*part)
        elif isinstance(part, int):
            layout.addStretch(part)
        elif isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    return layout


def error_line(name: str = "", *, bold: bool = False) -> QLabel:
    """The red line where a refusal is said, hidden while all is well."""
    line = QLabel()
    if name:
        line.setObjectName(name)
    line.setWordWrap(True)
    line.setStyleSheet(theme.ERROR_TEXT_STYLE if bold else f"color: {theme.ERROR.text};")
    line.hide()
    return line


def read_only_table(columns: Sequence[str], stretch: int, name: str = "", *, rows: bool = True,
                    striped: bool = False) -> QTableWidget:
    """A table the officer reads, never types in: column `stretch` takes the width left, the others fit
    their content; a click picks a whole row (`rows`); `striped` alternates the rows' colour on rows one
    line of text high, for long lists."""
    table = QTableWidget(0, len(columns))
    if name:
        table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if rows:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if striped:
        table.setAlternatingRowColors(True)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def table_item(text: str, *, right: bool = False, bold: bool = False, colour: str = "") -> QTableWidgetItem:
    """One cell of a read-only table: `right` for figures, `bold` for totals, `colour` (a theme colour)
    for a row set apart, such as a disabled account or a failed log-in."""
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if bold:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    if colour:
        item.setForeground(QColor(colour))
    return item


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str | QTableWidgetItem]]) -> None:
    """The table shows these rows and no others; a text becomes a plain cell (table_item)."""
    table.setRowCount(len(rows))
    for i, cells in enumerate(rows):
        for j, cell in enumerate(cells):
            table.setItem(i, j, table_item(cell) if isinstance(cell, str) else cell)


def dialog_buttons(accept: str, close: str, on_accept: Callable[[], None], on_close: Callable[[], None], *,
                   accept_name: str = "") -> tuple[QDialogButtonBox, QPushButton]:
    """A dialog's two buttons, in the platform's order; the accepting one is returned too (it is
    disabled while the work runs)."""
    box = QDialogButtonBox()
    ok = box.addButton(accept, QDialogButtonBox.ButtonRole.AcceptRole)
    if accept_name:
        ok.setObjectName(accept_name)
    box.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
    box.accepted.connect(on_accept)
    box.rejected.connect(on_close)
    return box, ok


def accept_close_buttons(accept: str, close: str, on_accept: Callable[[], None], on_close: Callable[[], None], *,
                         accept_name: str = "") -> tuple[QPushButton, QPushButton]:
    """The two buttons of a dialog that lays out its own button row: Enter presses the accepting one
    wherever the focus is, the closing one never takes Enter."""
    ok = QPushButton(accept)
    if accept_name:
        ok.setObjectName(accept_name)
    ok.setDefault(True)
    ok.clicked.connect(on_accept)
    cancel = QPushButton(close)
    cancel.setAutoDefault(False)
    cancel.clicked.connect(on_close)
    return ok, cancel


def show_refusal(fields: Mapping[str, Field], general: QLabel, error: Exception | str) -> None:
    """A refusal under the field it names (the cursor goes there), else on the form's general line."""
    message = error.message if isinstance(error, UserError) else str(error)
    field = fields.get(getattr(error, "field", None) or "")
    if field is not None:
        field.set_error(message)
        field.editor.setFocus()
    else:
        general.setText(message)
        general.show()


# Colours say the level, the icon and the words say it too (not colour alone).
_LEVELS = {
    "info": (theme.INFO, QStyle.StandardPixmap.SP_MessageBoxInformation),
    "success": (theme.SUCCESS, QStyle.StandardPixmap.SP_DialogApplyButton),
    "warning": (theme.WARNING, QStyle.StandardPixmap.SP_MessageBoxWarning),
    "error": (theme.ERROR, QStyle.StandardPixmap.SP_MessageBoxCritical),
}


class MessageBar(QFrame):
    """One line at the top of the window for what just happened: a scan that could not be read,
    a locked store, a saved dossier. Errors stay until Esc or the next message; others fade."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message_bar")
        self._icon = QLabel()
        self._text = QLabel()
        self._text.setObjectName("message_text")
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.setToolTip("Đóng (Esc)")
        close.clicked.connect(self.clear)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self._text, 1)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear)
        self.level = ""
        self.hide()

    def show_message(self, text: str, level: str = "info") -> None:
        tone, icon = _LEVELS[level]
        background, foreground = tone.background, tone.text
        self.level = level
        self.setStyleSheet(f"#message_bar {{ background: {background}; border: 1px solid {foreground}; "
                           f"border-radius: 4px; }} #message_text {{ color: {foreground}; font-weight: bold; }}")
        self._icon.setPixmap(self.style().standardIcon(icon).pixmap(20, 20))
        self._text.setText(text)
        self.show()
        # Errors stay until read (Esc or the next message); the rest fade.
        if level == "error":
            self._timer.stop()
        else:
            self._timer.start(20_000 if level == "warning" else 10_000)

    def text(self) -> str:
        return self._text.text() if self.isVisible() else ""

    def clear(self) -> None:
        self._timer.stop()
        self.level = ""
        self.hide()


class Field(QWidget):
    """An input with the place for its message right under it (hidden while all is well).
    The input shows its state through properties: `invalid` (a red frame; the message says what is
    wrong) and `fromCard` (filled from the ID card and not yet touched: look at it again)."""

    STYLE = (f'QWidget[invalid="true"] {{ border: 2px solid {theme.ERROR.text}; }} '
             f'QWidget[fromCard="true"] {{ background: {theme.FROM_CARD}; }}')

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(self.STYLE)
        self.editor = editor
        self.error = error_line(f"{editor.objectName()}_error")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(editor)
        column.addWidget(self.error)

    def set_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.mark("invalid", bool(message))

    def mark(self, state: str, on: bool) -> None:
        if self.editor.property(state) != on:
            self.editor.setProperty(state, on)
            self.editor.style().unpolish(self.editor)  # a property change restyles only when re-polished
            self.editor.style().polish(self.editor)


class ElidedLabel(QLabel):
    """One line that gives way when the status bar is full: cut in the middle ("Đã sao lưu vào
    /tmp/…/quaymotcua-20261202.sqlite3 (1,2 MB).") — a path's start and end say which one it is —
    with the whole text on hover. `text()` is the whole text; `shown()` what fits."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._tip = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._full = text
        self.updateGeometry()
        self._fit()

    def text(self) -> str:
        return self._full

    def shown(self) -> str:
        return super().text()

    def setToolTip(self, tip: str) -> None:  # noqa: N802 - Qt's name
        self._tip = tip  # said on hover, after the whole text when that is cut
        self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right() + 2 * self.margin()
        return QSize(width + 2, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(min(self.sizeHint().width(), self.fontMetrics().horizontalAdvance("M…M") + 20),
                     super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        room = max(0, self.contentsRect().width() - 2 * self.margin())
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, room)
        super().setText(shown)
        lines = ([self._full] if shown != self._full else []) + ([self._tip] if self._tip else [])
        super().setToolTip("\n".join(lines))


class MessageStatusBar(QStatusBar):
    """A status bar whose passing messages ("Đã sao lưu vào …") sit in an ElidedLabel: Qt's own
    cuts them at the first permanent field ("Đã sao lưu vào /t"). Same calls as QStatusBar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = ElidedLabel()
        self.message.setObjectName("status_message")
        self.addWidget(self.message, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clearMessage)

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 - Qt's name
        self.message.setText(text)
        if timeout > 0:
            self._timer.start(timeout)
        else:
            self._timer.stop()

    def clearMessage(self) -> None:  # noqa: N802 - Qt's name
        self._timer.stop()
        self.message.setText("")

    def currentMessage(self) -> str:  # noqa: N802 - Qt's name
        return self.message.text()
