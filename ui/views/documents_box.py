"""The document checklist of the chosen procedure, plus free lines for anything else handed in.

One row per document: ticked when handed in, its form (bản chính / bản sao / …) and its count.
Tab walks the rows in order (tick, form, count), then "add another document".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui import strings, theme

if TYPE_CHECKING:
    from counter_app.services.catalogue import DocumentSpec

S = strings.Intake


class _Row:
    def __init__(self, name: str | None, form: str, count: int) -> None:
        self.tick = QCheckBox()
        self.tick.setChecked(True)
        self.extra = name is None
        if self.extra:
            self.name: QLabel | QLineEdit = QLineEdit()
            self.name.setPlaceholderText(S.EXTRA_DOCUMENT)
            self.name.setObjectName("extra_document")
        else:
            self.name = QLabel(name)
            self.name.setWordWrap(True)
            self.name.setBuddy(self.tick)
            self.tick.setToolTip(name)
        self.form = QComboBox()
        self.form.addItems([f or "—" for f in ("", *strings.DOCUMENT_FORMS)])
        self.form.setCurrentIndex(strings.DOCUMENT_FORMS.index(form) + 1 if form in strings.DOCUMENT_FORMS else 0)
        self.count = QSpinBox()
        self.count.setRange(1, 999)
        self.count.setValue(count)
        self.count.setToolTip(S.COUNT)
        self.remove: QToolButton | None = None

    def widgets(self) -> list[QWidget]:
        return [w for w in (self.tick, self.name, self.form, self.count, self.remove) if w is not None]

    def value(self) -> dict[str, Any] | None:
        name = self.name.text().strip()
        if not self.tick.isChecked() or not name:
            return None
        form = self.form.currentText()
        return {"name": name, "form": "" if form == "—" else form, "count": self.count.value()}


class DocumentsBox(QWidget):
    rows_changed = Signal()  # rows came or went: the form puts them in its tab order

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._inner = QWidget()
        self._grid = QGridLayout()
        self._grid.setContentsMargins(4, 4, 4, 4)
        self._grid.setColumnStretch(1, 1)
        self._grid.setVerticalSpacing(4)
        inner = QVBoxLayout(self._inner)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(self._grid)
        inner.addStretch(1)
        self._empty = QLabel(S.DOCUMENTS_NONE)
        self._empty.setStyleSheet(theme.HINT_STYLE)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._inner)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.add_button = QPushButton(S.ADD_DOCUMENT)
        self.add_button.setObjectName("add_document")
        self.add_button.clicked.connect(lambda: self.add_extra(focus=True))
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(scroll, 1)
        column.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._scroll = scroll
        self._layout_rows()

    def set_documents(self, documents: tuple[DocumentSpec, ...]) -> None:
        """The procedure's list replaces the previous procedure's; extra lines typed stay."""
        extras = [r for r in self._rows if r.extra]
        for row in self._rows:
            if not row.extra:
                for w in row.widgets():
                    w.deleteLater()
        self._rows = [_Row(d.name, d.form, d.count) for d in documents] + extras
        self._layout_rows()

    def clear(self) -> None:
        for row in self._rows:
            for w in row.widgets():
                w.deleteLater()
        self._rows = []
        self._layout_rows()

    def add_extra(self, *, focus: bool = False) -> None:
        row = _Row(None, "bản chính", 1)
        row.remove = QToolButton()
        row.remove.setText("✕")
        row.remove.setToolTip(S.REMOVE_DOCUMENT)
        row.remove.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row.remove.clicked.connect(lambda: self._remove(row))
        self._rows.append(row)
        self._layout_rows()
        if focus:
            row.name.setFocus()
            self._scroll.ensureWidgetVisible(row.name)

    def documents(self) -> list[dict[str, Any]]:
        return [v for v in (r.value() for r in self._rows) if v is not None]

    def has_extras(self) -> bool:
        return any(r.extra and r.name.text().strip() for r in self._rows)

    def focus_widgets(self) -> list[QWidget]:
        """In tab order: each row's tick (or name), form and count, then the add button."""
        chain: list[QWidget] = []
        for row in self._rows:
            chain += [row.tick, row.name, row.form, row.count] if row.extra else [row.tick, row.form, row.count]
        return [*chain, self.add_button]

    def _remove(self, row: _Row) -> None:
        self._rows.remove(row)
        for w in row.widgets():
            w.deleteLater()
        self._layout_rows()

    def _layout_rows(self) -> None:
        while self._grid.count():
            self._grid.takeAt(0)
        self._empty.setVisible(not self._rows)
        self._grid.addWidget(self._empty, 0, 0, 1, 5)
        for i, row in enumerate(self._rows, 1):
            self._grid.addWidget(row.tick, i, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(row.name, i, 1)
            self._grid.addWidget(row.form, i, 2, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(row.count, i, 3, Qt.AlignmentFlag.AlignTop)
            if row.remove is not None:
                self._grid.addWidget(row.remove, i, 4, Qt.AlignmentFlag.AlignTop)
            for widget in row.widgets():
                # Shown now, not on the next turn of the event loop, so the focus can move onto the
                # first new row at once (Enter in the procedure search does that).
                widget.setVisible(True)
        self.rows_changed.emit()
