"""Choosing the procedure: type part of its name or code (diacritics optional), arrows, Enter."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget

from counter_app import desk
from ui import strings
from ui.formatting import working_days
from ui.views.widgets import fill_list, search_box, step_list

if TYPE_CHECKING:
    from counter_app.services.catalogue import ProcedureSpec

S = strings.Intake


class ProcedurePicker(QWidget):
    chosen = Signal(object)  # the ProcedureSpec, or None when the choice is cleared

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._specs: list[ProcedureSpec] = []
        self._chosen: ProcedureSpec | None = None
        self.search = search_box("procedure_search", S.PROCEDURE_HINT)
        self.results = QListWidget()
        self.results.setObjectName("procedure_list")
        # The list follows the search box's arrows: it never takes the focus, so Tab goes on to
        # the documents the way the paper form does.
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setUniformItemSizes(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)  # the whole name is in the tooltip
        self.results.setMaximumHeight(self.fontMetrics().height() * 7)
        self.summary = QLabel(S.PROCEDURE_NONE)
        self.summary.setObjectName("procedure_summary")
        self.summary.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search)
        column.addWidget(self.results)
        column.addWidget(self.summary)
        self.search.textEdited.connect(self._refilter)
        self.search.installEventFilter(self)
        self.results.itemClicked.connect(lambda _item: self._choose_current())
        self.results.itemActivated.connect(lambda _item: self._choose_current())

    @property
    def current(self) -> ProcedureSpec | None:
        return self._chosen

    def set_procedures(self, specs: list[ProcedureSpec]) -> None:
        self._specs = specs
        self._refilter(self.search.text())

    def clear(self) -> None:
        self.search.clear()
        self._set_chosen(None)
        self._refilter("")

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if step_list(self.results, event):
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.results.count():
                self._choose_current()
                self.search.focusNextChild()  # on to the documents, as the paper form goes
                return True
        return False

    def _refilter(self, query: str) -> None:
        hits = desk.search_procedures(self._specs, query) if self._specs else []
        fill_list(self.results, [(f"{spec.code} — {spec.name}", spec) for spec in hits])
        if hits:
            self.results.setCurrentRow(next((i for i, s in enumerate(hits) if s == self._chosen), 0))
        self._show_summary("" if hits or not query.strip() else S.NO_MATCH.format(query=query.strip()))

    def _choose_current(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._set_chosen(item.data(Qt.ItemDataRole.UserRole))

    def _set_chosen(self, spec: ProcedureSpec | None) -> None:
        changed = spec != self._chosen
        self._chosen = spec
        self._show_summary()
        if changed:
            self.chosen.emit(spec)

    def _show_summary(self, problem: str = "") -> None:
        spec = self._chosen
        if problem:
            self.summary.setText(escape(problem))
        elif spec is None:
            self.summary.setText(S.PROCEDURE_NONE)
        else:
            self.summary.setText(f"<b>{escape(S.PROCEDURE_CHOSEN.format(code=spec.code, name=spec.name))}</b><br>"
                                 + S.PROCEDURE_DAYS.format(days=working_days(spec.working_days)))
