"""Niêm yết thủ tục: find a procedure and preview its public poster, print every poster of a field
for the villages, or print the office's listing board. Keyboard first: the search box has the
focus, the arrows move in the list, Enter previews.

The view only shows and asks: the main window loads the catalogue (the store lane) and hands each
request, a PosterJob, to ui/printing.PrintDesk, the same preview and printer lane as every paper.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app import desk
from counter_app.domain.public_papers import PosterJob
from counter_app.domain.text import fold
from ui import strings
from ui.formatting import working_days
from ui.views.widgets import fill_list, lay_out, push_button, search_box, step_list

if TYPE_CHECKING:
    from counter_app.services.catalogue import ProcedureSpec

S = strings.Posters


class PosterView(QWidget):
    preview_requested = Signal(object)
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("poster_view")
        self._specs: list[ProcedureSpec] = []

        intro = QLabel(S.INTRO)
        intro.setWordWrap(True)
        self.search = search_box("poster_search", S.SEARCH_HINT)
        search_label = QLabel(S.SEARCH)
        search_label.setBuddy(self.search)
        self.field = QComboBox()
        self.field.setObjectName("poster_field")
        field_label = QLabel(S.FIELD)
        field_label.setBuddy(self.field)
        self.results = QListWidget()
        self.results.setObjectName("poster_list")
        self.results.setUniformItemSizes(True)
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.count = QLabel()
        self.count.setObjectName("poster_count")
        self.preview_button = push_button(S.PREVIEW, "poster_preview", self.preview)
        self.batch_button = push_button(S.BATCH_EVERY, "poster_batch", self.print_field)
        self.listing_button = push_button(S.LISTING, "poster_listing", self.print_listing)

        form = QGridLayout()
        form.addWidget(search_label, 0, 0)
        form.addWidget(self.search, 0, 1)
        form.addWidget(field_label, 1, 0)
        form.addWidget(self.field, 1, 1)
        buttons = lay_out(QHBoxLayout(), (self.count, 1), self.listing_button, self.batch_button, self.preview_button)
        lay_out(QVBoxLayout(self), intro, form, (self.results, 1), buttons)

        self.search.textChanged.connect(lambda _t: self._refilter())
        self.search.installEventFilter(self)
        self.field.currentIndexChanged.connect(lambda _i: self._field_changed())
        self.results.itemActivated.connect(lambda _item: self.preview())
        self.set_catalogue([], [])

    # --- what the window hands over ------------------------------------------------------------------

    def set_catalogue(self, specs: list[ProcedureSpec], fields: list[str]) -> None:
        chosen = self.chosen_field()
        self._specs = specs
        self.field.blockSignals(True)
        self.field.clear()
        self.field.addItem(S.EVERY_FIELD, None)
        for name in fields:
            self.field.addItem(name, name)
        self.field.setCurrentIndex(max(0, self.field.findData(chosen)) if chosen else 0)
        self.field.blockSignals(False)
        self._field_changed()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # --- the officer's choices -------------------------------------------------------------------------

    def chosen_field(self) -> str | None:
        return self.field.currentData() if self.field.count() else None

    def current(self) -> ProcedureSpec | None:
        item = self.results.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def preview(self) -> None:
        spec = self.current()
        if spec is None:
            self.count.setText(S.NOTHING_CHOSEN)
            return
        self.preview_requested.emit(PosterJob("poster", code=spec.code))

    def print_field(self) -> None:
        self.preview_requested.emit(PosterJob("batch", field=self.chosen_field()))

    def print_listing(self) -> None:
        self.preview_requested.emit(PosterJob("list", field=self.chosen_field()))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if obj is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if step_list(self.results, event):
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.preview()
                return True
        return False

    # --- the list ---------------------------------------------------------------------------------------

    def _field_changed(self) -> None:
        self.batch_button.setText(S.BATCH if self.chosen_field() else S.BATCH_EVERY)
        self._refilter()

    def _refilter(self) -> None:
        field = self.chosen_field()
        specs = [s for s in self._specs if field is None or fold(s.field) == fold(field)]
        query = self.search.text()
        hits = desk.search_procedures(specs, query, limit=len(specs) or 1) if specs else []
        fill_list(self.results, [(f"{s.code} — {s.name} · {working_days(s.working_days)}", s) for s in hits])
        if hits:
            self.results.setCurrentRow(0)
        if hits or not query.strip():
            self.count.setText(S.COUNT.format(n=len(hits)))
        else:
            self.count.setText(S.NO_MATCH.format(query=query.strip()))
        self.preview_button.setEnabled(bool(hits))
        self.batch_button.setEnabled(bool(specs))
        self.listing_button.setEnabled(bool(specs))
