"""The window's digitisation: the panel (F8 from the dossier), the hot folder, files added by hand or
dropped, and "Lưu bản số" (docs/digitisation.md, "In the window").

Reading files and drawing their pages run on the panel's own lane; saving runs
counter_app.desk_digitise.attach on the store lane through the DeskClient. The UI thread only
moves pictures and rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from counter_app import desk_digitise
from counter_app.digitise.normalise import DigitiseError
from counter_app.errors import UserError
from ui import strings, theme
from ui.digitise_pages import PREVIEW, LoadedPage, read_file, render
from ui.digitise_watch import HotFolder
from ui.models.page_strip_model import InboxPage, Target
from ui.views.scan_inbox import ScanInbox
from ui.workers import Lane

if TYPE_CHECKING:
    from ui.views.main_window import MainWindow

D = strings.Digitise


class DigitiseDesk(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.lane = Lane("pages", self)  # reading files, drawing thumbnails and previews
        self.fetch_lane = Lane("fetch-files", self)  # another counter's papers, from the district
        self.hot = HotFolder(self._arrived, self)
        self.panel = ScanInbox()
        self.panel.add_requested.connect(self.add_files)
        self.panel.save_requested.connect(self.save)
        self.panel.back_requested.connect(self.toggle)
        self.panel.files_dropped.connect(lambda paths: self.take(paths, from_hot_folder=False))
        self.panel.preview_wanted.connect(self._preview)
        window.dossier_shown.connect(self._load_files)
        window.menus["settings"].addAction(D.HOT_FOLDER_MENU, self.choose_folder)
        self._saving = 0
        self._waiting: list[tuple[Any, list[InboxPage]]] = []
        self._pin: str | None = None

    # --- where the panel is ------------------------------------------------------------------------

    def toggle(self) -> None:
        """F8: the panel for the open dossier; from the panel, back to the dossier."""
        tabs = self.window.tabs
        if tabs.currentWidget() is self.panel:
            tabs.setCurrentWidget(self.window.dossier)
            return
        code = self.window.dossier.code
        if not code:
            self.window.show_message(D.NO_DOSSIER, "info")
            return
        self.open(code)

    def open(self, code: str) -> None:
        tabs = self.window.tabs
        if tabs.indexOf(self.panel) < 0:
            tabs.addTab(self.panel, D.TAB.format(code=code))
        tabs.setTabText(tabs.indexOf(self.panel), D.TAB.format(code=code))
        tabs.setCurrentWidget(self.panel)
        if self.hot.folder != self.window.prefs.hot_folder:
            self.hot.watch(self.window.prefs.hot_folder)
        self._load_slots(code)
        self.panel.focus_strip()

    def clear(self) -> None:
        """After a log-out: the panel goes with the last citizen's pages. The hot folder is looked
        at afresh at the next F8, so a page not saved yet is offered again."""
        tabs = self.window.tabs
        if tabs.indexOf(self.panel) >= 0:
            tabs.removeTab(tabs.indexOf(self.panel))
        self.hot.stop()
        self.panel.clear()

    def choose_folder(self) -> None:
        folder = self.window.interaction.choose_folder(self.window, D.HOT_FOLDER_ASK, self.window.prefs.hot_folder)
        if folder:
            self.window.prefs.hot_folder = folder
            if self.window.tabs.indexOf(self.panel) >= 0:
                self.hot.watch(folder)
                self.panel.folder.setText(D.HOT_FOLDER.format(folder=folder))

    # --- pages in -----------------------------------------------------------------------------------

    def add_files(self) -> None:
        paths = self.window.interaction.choose_files(self.window, D.ADD_TITLE, D.ADD_FILTER)
        self.take([Path(p) for p in paths], from_hot_folder=False)

    def take(self, paths: list[Path], *, from_hot_folder: bool) -> None:
        for path in paths:
            self.lane.submit(lambda p=path: read_file(p, from_hot_folder=from_hot_folder), self._loaded, self._refused)

    def _arrived(self, paths: list[Path]) -> None:
        self.take(paths, from_hot_folder=True)

    def _loaded(self, pages: list[LoadedPage]) -> None:
        self.panel.model.add(pages)
        if not self.panel.strip.currentIndex().isValid():
            self.panel.focus_strip()

    def _refused(self, error: Exception) -> None:
        if not isinstance(error, UserError):
            self.window.show_error(error)
        self.panel.say(error.message, theme.ERROR)  # type: ignore[attr-defined]

    def _preview(self, row: int) -> None:
        item = self.panel.model.pages[row]
        page = item.page
        self.lane.submit(lambda: render(page.source, page.name, PREVIEW, page.index)[0][1],
                         lambda image: self.panel.show_preview(item, image), self._refused, key="preview")

    # --- saving -------------------------------------------------------------------------------------

    def save(self) -> None:
        """Lưu bản số: one attach per paper with pages assigned, one after another on the store lane;
        the saved pages leave the inbox, a refused paper keeps its pages and says why (nothing of it
        is kept). Signing asks the token's PIN once, and stops at the first paper the token refuses:
        trying a wrong PIN on each paper would lock the token."""
        code, model = self.panel.code, self.panel.model
        targets = model.targets()
        if not code or not targets:
            self.panel.say(D.NOTHING_TO_SAVE, theme.WARNING)
            return
        if self._saving:
            return  # Ctrl+Enter twice: the first save is still running
        pin = None
        if self.panel.sign.isVisible() and self.panel.sign.isChecked():
            pin = self.window.interaction.ask_secret(self.window, D.PIN_ASK.format(n=len(targets)))
            if pin is None:
                self.panel.say(D.PIN_CANCELLED, theme.WARNING)
                return
        self.panel.say(D.SAVING)
        self._saving = len(targets)
        self._saved: list[str] = []
        self._notes: list[str] = []
        self._errors: list[str] = []
        self._waiting = [(target, model.pages_for(target)) for target in targets]
        self._pin = pin
        self._save_next(code)

    def _save_next(self, code: str) -> None:
        target, pages = self._waiting.pop(0)
        items = [p.as_page() for p in pages]
        self.window.client.call(
            lambda d, t=target, items=items, pin=self._pin: desk_digitise.attach(
                d, code, items, component=t.index, result=t.result, name=t.name if t.index == 0 else "",
                sign_pin=pin),
            lambda done, pages=pages: self._one_saved(code, pages, done),
            lambda error: self._one_refused(code, error))

    def _one_saved(self, code: str, pages: list[InboxPage], done: Any) -> None:
        self.panel.model.drop(pages)
        self._saved.append(done.file.component_name)
        self._notes.extend(done.notes)
        waiting = {p.page.path for p in self.panel.model.pages}
        self.hot.put_aside(sorted({p.page.path for p in pages if p.page.path and p.page.path not in waiting}))
        self._one_finished(code)

    def _one_refused(self, code: str, error: Exception) -> None:
        if not isinstance(error, UserError):
            self._saving, self._waiting = 0, []
            self.window.show_error(error)  # a bug: shown and raised
        self._errors.append(error.message)  # type: ignore[attr-defined]
        if self._pin is not None and not isinstance(error, DigitiseError) and self._waiting:
            # The token said no (PIN, token gone): the next papers would ask it again.
            self._errors.append(D.SIGN_STOPPED.format(n=len(self._waiting)))
            self._saving -= len(self._waiting)
            self._waiting = []
        self._one_finished(code)

    def _one_finished(self, code: str) -> None:
        """After each paper: once the last is answered, one notice says what was kept and what not."""
        self._saving -= 1
        if self._waiting:
            self._save_next(code)
            return
        if self._saving > 0:
            return
        self._saving, self._pin = 0, None  # the PIN is not kept past this save
        said = [D.SAVED.format(names="; ".join(self._saved))] if self._saved else []
        if self._notes:
            said.append(D.SAVED_NOTES.format(notes=" ".join(self._notes)))
        said.extend(self._errors)
        if self._errors:
            said.append(D.STILL_WAITING)
        self.panel.say(" ".join(said), theme.ERROR if self._errors else theme.SUCCESS)
        self._load_slots(code)
        self._load_files(code)

    # --- what is kept -------------------------------------------------------------------------------

    def _load_slots(self, code: str) -> None:
        def shown(slots: list[desk_digitise.Slot]) -> None:
            rows = [(Target(s.index, s.name, s.kind == "result"),
                     D.SLOT_KEPT.format(pages=s.file.pages) if s.file else "") for s in slots]
            self.panel.show_dossier(code, rows, self.hot.folder)

        self.window.client.call(lambda d: desk_digitise.slots(d, code), shown, self._refused, key="digitise-slots")
        self.window.client.call(desk_digitise.signing_offered, self.panel.set_signing, self._refused,
                                key="digitise-signing")

    def _load_files(self, code: str) -> None:
        """The dossier's papers; then those another counter digitised are brought from the district on
        the fetch lane (network: never on the store lane, which intakes must not wait behind)."""
        self._list_files(code)
        self.window.client.call_on(self.fetch_lane, lambda d: desk_digitise.fetch_missing(d, code),
                                   lambda got: self._fetched(code, got), lambda _error: None)

    def _list_files(self, code: str, note: str = "") -> None:
        def shown(rows: list[Any]) -> None:
            self.window.dossier.show_files(code, rows)
            self.window.dossier.show_files_note(code, note)

        self.window.client.call(lambda d: desk_digitise.files(d, code), shown, key="digitised-files")

    def _fetched(self, code: str, got: desk_digitise.Fetched) -> None:
        if got.files:
            self._list_files(code, got.message)
        elif got.message:
            self.window.dossier.show_files_note(code, got.message)
