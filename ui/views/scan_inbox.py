"""The digitise panel: the scanned pages of the open dossier (the inbox), a large preview of the
page in hand, and the dossier's papers to assign pages to. Keyboard-first: every action has a key
(strings.Digitise.KEYS); the panel only shows and asks, ui/views/digitise_desk.py does the work."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QImage, QKeySequence, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui import strings, theme
from ui.digitise_pages import THUMB
from ui.models.page_strip_model import THUMB_CELL, PageStripModel, Target, turned

D = strings.Digitise


class ScanInbox(QWidget):
    add_requested = Signal()
    save_requested = Signal()
    back_requested = Signal()
    files_dropped = Signal(list)  # list[Path]
    preview_wanted = Signal(int)  # the row whose large picture is needed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scan_inbox")
        self.code = ""
        self.model = PageStripModel(self)
        self.slot_targets: list[Target] = []
        self._kept: list[str] = []  # what is kept of each paper, as text
        self.title = QLabel(D.NO_DOSSIER)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.folder = QLabel(D.HOT_FOLDER_NONE)
        self.folder.setStyleSheet(theme.HINT_STYLE)
        self.notice = QLabel()
        self.notice.setObjectName("digitise_notice")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.strip = QListView()
        self.strip.setObjectName("page_strip")
        self.strip.setModel(self.model)
        self.strip.setViewMode(QListView.ViewMode.IconMode)
        self.strip.setMovement(QListView.Movement.Static)
        self.strip.setResizeMode(QListView.ResizeMode.Adjust)
        self.strip.setWrapping(True)
        self.strip.setIconSize(THUMB)
        self.strip.setGridSize(THUMB_CELL)
        self.strip.setWordWrap(True)
        self.strip.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a long file name keeps its page number
        self.strip.setUniformItemSizes(True)
        self.strip.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.strip.setDragEnabled(False)
        self.strip.setAcceptDrops(False)  # a drop goes to the panel, which reads the files
        self.strip.selectionModel().currentChanged.connect(lambda now, _before: self._current_changed(now.row()))
        self.empty = QLabel(D.INBOX_EMPTY)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(theme.HINT_STYLE)
        self.inbox_box = QGroupBox(D.INBOX.format(n=0))
        inbox_column = QVBoxLayout(self.inbox_box)
        inbox_column.addWidget(self.empty)
        inbox_column.addWidget(self.strip, 1)
        self.model.rowsInserted.connect(self._count_changed)
        self.model.rowsRemoved.connect(self._count_changed)
        self.model.dataChanged.connect(lambda *_a: self._show_slots())

        self.preview = QLabel(D.PREVIEW_NONE)
        self.preview.setObjectName("page_preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._preview_image = QImage()
        self._scroll = QScrollArea()
        self._scroll.setWidget(self.preview)
        self._scroll.setWidgetResizable(True)
        preview_box = QGroupBox(D.PREVIEW)
        QVBoxLayout(preview_box).addWidget(self._scroll)

        self.slots = QListWidget()
        self.slots.setObjectName("digitise_slots")
        self.slots.setWordWrap(True)
        self.slots.setStyleSheet(theme.DIVIDED_ROWS_STYLE)
        self.slots.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the strip keeps the keys; a click assigns
        self.slots.itemClicked.connect(lambda item: self.assign_to(self.slots.row(item)))
        self.add_button = QPushButton(D.ADD)
        self.add_button.clicked.connect(self.add_requested)
        self.save_button = QPushButton(D.SAVE)
        self.save_button.setObjectName("digitise_save")
        self.save_button.clicked.connect(self.save_requested)
        self.sign = QCheckBox(D.SIGN)  # shown when the office named a token (set_signing)
        self.sign.setObjectName("digitise_sign")
        self.sign.hide()
        back = QPushButton(D.BACK)
        back.clicked.connect(self.back_requested)
        keys = QLabel(D.KEYS)
        keys.setWordWrap(True)
        keys.setStyleSheet(theme.HINT_STYLE)
        slots_box = QGroupBox(D.SLOTS)
        side = QVBoxLayout(slots_box)
        side.addWidget(self.slots, 1)
        # What a save or a file said sits by the Save button, where the eyes are after Ctrl+Enter; above
        # the columns it pushed the pages down each time it showed.
        for w in (self.notice, self.sign, self.add_button, self.save_button, back, keys):
            side.addWidget(w)
        slots_box.setFixedWidth(330)

        columns = QHBoxLayout()
        columns.addWidget(self.inbox_box, 3)
        columns.addWidget(preview_box, 4)
        columns.addWidget(slots_box)
        page = QVBoxLayout(self)
        page.addWidget(self.title)
        page.addWidget(self.folder)
        page.addLayout(columns, 1)
        self.setAcceptDrops(True)
        self._keys()
        self._count_changed()

    def _keys(self) -> None:
        def key(keys: list[str], slot) -> None:  # noqa: ANN001
            act = QAction(self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            self.addAction(act)

        for n in range(10):
            key([str(n)], lambda _c=False, n=n: self.assign_number(n))
        key(["R"], lambda: self.rotate(90))
        key(["Shift+R"], lambda: self.rotate(270))
        key(["Ctrl+Up", "Ctrl+Left"], lambda: self.move(-1))
        key(["Ctrl+Down", "Ctrl+Right"], lambda: self.move(1))
        key(["Delete"], self.delete)
        key(["Ctrl+O"], self.add_requested.emit)
        key(["Ctrl+Return", "Ctrl+Enter"], self.save_requested.emit)

    # --- what the desk tells the panel -------------------------------------------------------------

    def show_dossier(self, code: str, targets: list[tuple[Target, str]], folder: str) -> None:
        """The dossier's papers (each with what is kept of it, as text) and the watched folder."""
        if code != self.code:  # the inbox is the counter's: its pages stay, their papers were another dossier's
            self.model.assign(list(range(self.model.rowCount())), None)
        self.code = code
        self.title.setText(D.TITLE.format(code=code))
        self.folder.setText(D.HOT_FOLDER.format(folder=folder) if folder else D.HOT_FOLDER_NONE)
        self.slot_targets = [t for t, _ in targets]
        self._kept = [k for _, k in targets]
        self._show_slots()

    def set_signing(self, offered: bool) -> None:
        """Offer signing only where the office has a token; without one the box is gone, unticked."""
        self.sign.setVisible(offered)
        if not offered:
            self.sign.setChecked(False)

    def clear(self) -> None:
        self.model.remove(list(range(self.model.rowCount())))
        self.code, self.slot_targets, self._kept = "", [], []
        self.title.setText(D.NO_DOSSIER)
        self.say("")
        self._show_slots()

    def say(self, text: str, tone: theme.Tone = theme.INFO) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet(theme.notice_style(tone))
        self.notice.setVisible(bool(text))

    def show_preview(self, item: object, image: QImage) -> None:
        """The large picture of `item` (an InboxPage), if it is still the page in hand: rows move
        under it while it is drawn (pages saved or dropped before it)."""
        row = self.strip.currentIndex().row()
        if 0 <= row < self.model.rowCount() and self.model.pages[row] is item:
            self._preview_image = image
            self._paint_preview()

    def focus_strip(self) -> None:
        self.strip.setFocus()
        if self.model.rowCount() and not self.strip.currentIndex().isValid():
            self.strip.setCurrentIndex(self.model.index(0))

    # --- the officer's keys -------------------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        rows = sorted(i.row() for i in self.strip.selectionModel().selectedIndexes())
        current = self.strip.currentIndex()
        return rows or ([current.row()] if current.isValid() else [])

    def assign_number(self, n: int) -> None:
        row = next((i for i, t in enumerate(self.slot_targets) if t.index == n), None)
        if row is None:
            self.say(D.NO_SUCH_SLOT.format(code=self.code, n=n), theme.WARNING)
        else:
            self.assign_to(row)

    def assign_to(self, slot_row: int) -> None:
        if 0 <= slot_row < len(self.slot_targets):
            self.model.assign(self.selected_rows(), self.slot_targets[slot_row])
            self.strip.setFocus()

    def rotate(self, degrees: int) -> None:
        self.model.rotate(self.selected_rows(), degrees)
        self._paint_preview()

    def move(self, step: int) -> None:
        current = self.strip.currentIndex()
        if current.isValid():
            to = self.model.move(current.row(), step)
            self.strip.setCurrentIndex(self.model.index(to))

    def delete(self) -> None:
        rows = self.selected_rows()
        if rows:
            self.model.remove(rows)
            if self.model.rowCount():
                self.strip.setCurrentIndex(self.model.index(min(rows[0], self.model.rowCount() - 1)))

    # --- drag and drop ------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)

    # --- drawing ------------------------------------------------------------------------------------

    def _current_changed(self, row: int) -> None:
        self._preview_image = QImage()
        self.preview.setText(D.PREVIEW_NONE if row < 0 else D.LOADING.format(name=self.model.title(row)))
        if row >= 0:
            self.preview_wanted.emit(row)

    def _paint_preview(self) -> None:
        row = self.strip.currentIndex().row()
        if self._preview_image.isNull() or row < 0:
            return
        image = turned(self._preview_image, self.model.pages[row].rotate)
        room = self._scroll.viewport().size() - QSize(8, 8)  # the whole page in sight, as on paper
        if room.isValid() and (image.width() > room.width() or image.height() > room.height()):
            image = image.scaled(room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        self.preview.setPixmap(QPixmap.fromImage(image))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._paint_preview()

    def _count_changed(self, *_args: object) -> None:
        n = self.model.rowCount()
        self.inbox_box.setTitle(D.INBOX.format(n=n))
        self.empty.setVisible(n == 0)
        self._show_slots()

    def _show_slots(self) -> None:
        self.slots.clear()
        for target, kept in zip(self.slot_targets, self._kept, strict=False):
            waiting = len(self.model.pages_for(target))
            text = target.label() + kept + (D.SLOT_PAGES.format(n=waiting) if waiting else "")
            QListWidgetItem(text, self.slots)
