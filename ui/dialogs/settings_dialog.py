"""The admin's screen for the office's settings, built from their one declaration
(counter_app/services/office_settings.py): the VietQR bank account, the look-up address, pick-up
days, idle lock, backups, the scanner and the default paper. Read and saved on the store lane;
all changes are saved in one transaction, so a refused value leaves every setting as it was."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from counter_app.desk import SettingField
from counter_app.errors import UserError
from ui import theme
from ui.admin.strings import Settings as S
from ui.desk_client import DeskClient
from ui.interaction import Interaction
from ui.views.widgets import dialog_buttons

# Wide enough on a 1366 px screen that each field, and the sentence under it, has room to be read.
ROOMY = 960


class SettingsDialog(QDialog):
    saved = Signal()

    def __init__(self, parent: QWidget | None, client: DeskClient, interaction: Interaction) -> None:
        super().__init__(parent)
        self.interaction = interaction
        self.setObjectName("settings_dialog")
        self.setWindowTitle(S.TITLE)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setMinimumWidth(620)
        self.client = client
        self.fields: list[SettingField] = []
        self.editors: dict[str, QLineEdit | QComboBox] = {}
        intro = QLabel(S.INTRO)
        intro.setWordWrap(True)
        self.form = QFormLayout()
        # A label too long to sit beside its field goes above it, rather than pushing the field out.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        # Some twenty settings are taller than a 1366×768 screen: the rows scroll, the buttons stay.
        rows = QWidget()
        rows.setLayout(self.form)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("settings_rows")
        self.scroll.setWidget(rows)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes row to row, never to the frame
        self.status = QLabel(S.LOADING)
        self.status.setObjectName("settings_status")
        self.status.setWordWrap(True)
        buttons, self.save_button = dialog_buttons(S.SAVE, S.CLOSE, self.save, self.reject,
                                                   accept_name="settings_save")
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addWidget(self.scroll, 1)
        column.addWidget(self.status)
        column.addWidget(buttons)

    def reload(self) -> None:
        self.save_button.setEnabled(False)
        self.client.call(lambda d: d.settings_form(), self._show, self._failed, key="settings")

    def _show(self, fields: list[SettingField]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields, self.editors = fields, {}
        for f in fields:
            editor = self._editor(f)
            editor.setObjectName(f"setting_{f.key}")
            self.editors[f.key] = editor
            row: QWidget = editor
            if f.kind == "folder" or f.hint:
                row = QWidget()
                column = QVBoxLayout(row)
                column.setContentsMargins(0, 0, 0, 0)
                column.setSpacing(2)
                line = QHBoxLayout()
                line.addWidget(editor, 1)
                if f.kind == "folder":
                    browse = QPushButton(S.BROWSE)
                    browse.setAutoDefault(False)
                    browse.clicked.connect(lambda _=False, e=editor: self._browse(e))
                    line.addWidget(browse)
                column.addLayout(line)
                if f.hint:
                    # What a setting means is a sentence or two: read whole under its field (a
                    # placeholder of that length is cut off at the field's edge).
                    hint = QLabel(f.hint)
                    hint.setObjectName(f"hint_{f.key}")
                    hint.setWordWrap(True)
                    hint.setStyleSheet(theme.HINT_STYLE)
                    column.addWidget(hint)
            self.form.addRow(f.label, row)
        self.status.setText("")
        self.save_button.setEnabled(True)
        # Qt shows rows added to a visible dialog on the next turn of the event loop; measured before,
        # they would count for nothing.
        QTimer.singleShot(0, self._fit)
        if fields:
            self.editors[fields[0].key].setFocus()
        for editor in self.editors.values():  # Tab to a row below the fold scrolls it into view
            editor.installEventFilter(self)

    def _fit(self) -> None:
        """As tall as the rows need, but never past the screen (the rows scroll instead); as wide as
        the widest row, so the rows never scroll sideways (there is no horizontal scroll bar), and
        at least ROOMY where the screen has it."""
        screen = (self.screen() or self.parentWidget().screen()).availableGeometry()  # type: ignore[union-attr]
        rows = self.form.sizeHint().height()
        rest = self.sizeHint().height() - self.scroll.sizeHint().height()
        height = min(rows + rest + 8, screen.height() - 60)
        beside = self.width() - self.scroll.viewport().width()  # the dialog's margins
        if height < rows + rest + 8:  # the vertical scroll bar takes its width from the rows
            beside += self.scroll.verticalScrollBar().sizeHint().width()
        widest = self.scroll.widget().minimumSizeHint().width()
        width = min(max(self.width(), self.minimumWidth(), widest + beside, ROOMY), screen.width() - 40)
        self.resize(width, height)
        # Grown after it was placed: centred again over the window, and kept on the screen.
        frame = self.frameGeometry()
        frame.moveCenter((self.parentWidget() or self).frameGeometry().center())
        self.move(max(screen.left(), min(frame.left(), screen.right() - frame.width())),
                  max(screen.top(), min(frame.top(), screen.bottom() - frame.height())))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QWidget):
            self.scroll.ensureWidgetVisible(watched, 0)
            self.scroll.horizontalScrollBar().setValue(0)  # labels start at the left edge; keep them whole
        return super().eventFilter(watched, event)

    def _editor(self, f: SettingField) -> QLineEdit | QComboBox:
        if f.kind == "choice":
            combo = QComboBox()
            for value, label in f.choices:
                combo.addItem(label, value)
            index = combo.findData(str(f.value))
            combo.setCurrentIndex(max(0, index))
            return combo
        return QLineEdit(str(f.value))

    def _browse(self, editor: QLineEdit) -> None:
        chosen = self.interaction.choose_folder(self, S.BROWSE, editor.text())
        if chosen:
            editor.setText(chosen)

    def value_of(self, key: str) -> str:
        editor = self.editors[key]
        return str(editor.currentData()) if isinstance(editor, QComboBox) else editor.text()

    def set_value(self, key: str, value: str) -> None:
        """Tests, and nothing else: what the admin would type or pick."""
        editor = self.editors[key]
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(editor.findData(value))
        else:
            editor.setText(value)

    def changes(self) -> dict[str, Any]:
        return {f.key: self.value_of(f.key) for f in self.fields if self.value_of(f.key) != str(f.value)}

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.status.setText(S.NOTHING_CHANGED)
            return
        self.save_button.setEnabled(False)
        self.client.call(lambda d: d.set_settings(changes), self._saved, self._failed)

    def _saved(self, _stored: dict[str, Any]) -> None:
        self.saved.emit()
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        self.status.setStyleSheet(f"color: {theme.ERROR.text};")
        self.status.setText(error.message if isinstance(error, UserError) else f"{type(error).__name__}: {error}")
        if isinstance(error, UserError) and error.field in self.editors:
            self.editors[error.field].setFocus()
