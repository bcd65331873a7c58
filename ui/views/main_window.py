"""The counter window: intake, the dossier list, the attention list, one dossier with its life,
the return of results, a message bar, a status bar.

Every store call goes through the DeskClient (the store lane); the screens only show answers.
A scan (ui/scanner.py) works from any screen: a dossier code opens the return view (the citizen
came back with the slip), an ID card fills the intake form (or, elsewhere, looks up that
person's dossiers). Papers are previewed and printed through ui/printing.PrintDesk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app import clock
from counter_app.desk import OfficeInfo
from counter_app.desk_types import DossierCard, DossierLife
from counter_app.domain.statuses import Status
from counter_app.errors import StoreBusyError, UserError
from counter_app.sync.status import SyncStatus
from ui import strings, theme
from ui.desk_client import DeskClient, ignore
from ui.dialogs.setup_dialog import SetupDialog
from ui.formatting import day_with_weekday
from ui.interaction import Interaction
from ui.prefs import Prefs
from ui.printing import PrintDesk
from ui.scanner_setup import ScannerSetup
from ui.sync.panel import status_text as sync_text
from ui.views.attention_desk import AttentionDesk
from ui.views.attention_view import AttentionView
from ui.views.digitise_desk import DigitiseDesk
from ui.views.dossier_actions import DossierActions
from ui.views.dossier_list_view import DossierListView
from ui.views.dossier_view import DossierView
from ui.views.intake_desk import IntakeDesk
from ui.views.intake_view import IntakeView
from ui.views.return_view import ReturnView
from ui.views.scan_route import route_scan
from ui.views.widgets import ElidedLabel, MessageBar, MessageStatusBar
from ui.views.window_menus import build_menus

if TYPE_CHECKING:
    from ui.admin.install import AdminTools
    from ui.admin.session import AdminSession
    from ui.sync.panel import SyncController

M = strings.Main
TICK_MS = 30_000  # the clock in the status bar, the pending count, the live due time


class MainWindow(QMainWindow):
    ready = Signal()  # office, catalogue and first list page are in: the window is usable
    dossier_shown = Signal(str)
    print_slip_requested = Signal(str)
    return_shown = Signal(str)  # the return view shows this dossier (a scan's answer is on screen)
    attention_shown = Signal()  # the attention list is loaded

    def __init__(self, client: DeskClient, *, prefs: Prefs | None = None,
                 interaction: Interaction | None = None) -> None:
        super().__init__()
        self.client = client
        self.client.setParent(self)
        self.client.failed.connect(self.show_error)
        self.prefs = prefs or Prefs()
        self.interaction = interaction or Interaction()
        self.office: OfficeInfo | None = None
        # Ctrl+P's seam: opens the preview of Mẫu 01 (PrintDesk); None says printing is not there.
        self.slip_printer: Callable[[str], None] | None = None
        self._waiting_for: set[str] = set()
        self._previous_tab = 0
        self.setWindowTitle(M.TITLE_OPENING)

        self.messages = MessageBar()
        self.intake = IntakeView()
        self.worklist = DossierListView(client)
        self.dossier = DossierView()
        self.attention = AttentionView()
        self.returns = ReturnView()
        self.posters: Any = None  # ui/views/poster_view.PosterView, made on first use (show_posters)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("screens")
        self.tabs.addTab(self.intake, M.TAB_INTAKE)
        self.tabs.addTab(self.worklist, M.TAB_LIST)
        self.tabs.addTab(self.attention, strings.Attention.TAB)
        self.tabs.addTab(self.returns, strings.Return.TAB)
        self.tabs.addTab(self.dossier, M.TAB_DOSSIER)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.code_box = QLineEdit()
        self.code_box.setObjectName("code_box")
        self.code_box.setPlaceholderText(M.CODE_BOX)
        self.code_box.setMinimumWidth(self.fontMetrics().horizontalAdvance(M.CODE_BOX) + 40)
        self.code_box.returnPressed.connect(lambda: self.open_return(self.code_box.text()))
        # The tab bar's corner takes a widget's size hint, which a bare line edit keeps short;
        # a layout's hint honours the minimum width, so the box sits in one.
        corner = QWidget()
        corner_row = QHBoxLayout(corner)
        corner_row.setContentsMargins(0, 0, 0, 2)
        corner_row.addWidget(self.code_box)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(8, 6, 8, 4)
        column.addWidget(self.messages)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.setStatusBar(MessageStatusBar())  # long messages cut in the middle, whole on hover
        # The status bar's segments by name; the admin tools add "backup" (ui/app.py composes them).
        self.status_segments: dict[str, QLabel] = {}
        self._status_office = self.add_status_segment("office", QLabel())
        self._status_officer = self.add_status_segment("officer", QLabel(M.NOBODY))
        self._status_date = self.add_status_segment("date", QLabel())
        self._status_sync = self.add_status_segment("sync", ElidedLabel())
        self._status_scanner = self.add_status_segment("scanner", QLabel())
        # The collaborators ui/app.py composes around the window; None until they are attached.
        self.admin: AdminTools | None = None
        self.session: AdminSession | None = None
        self.sync: SyncController | None = None

        self.scanners = ScannerSetup(self.prefs, QApplication.instance(), parent=self)
        self.scanners.scanned.connect(self.handle_scan)
        self.scanners.failed.connect(lambda text: self.show_message(text, "error"))
        self.scanners.state_changed.connect(self._status_scanner.setText)
        self._status_scanner.setText(self.scanners.status_text())
        self.keys = build_menus(self)
        self.menus = self.keys.menus

        self.intake_desk = IntakeDesk(self)
        self.intake.save_requested.connect(self.intake_desk.save)
        self.intake.new_requested.connect(self.new_intake)
        self.intake.procedure_changed.connect(self.intake_desk.preview_due)
        self.worklist.open_requested.connect(self.open_dossier)
        self.worklist.model.failed.connect(self.show_error)
        self.worklist.model.page_loaded.connect(self._first_page_loaded)
        self.dossier.print_requested.connect(self.request_print_slip)
        self.dossier.back_requested.connect(self._back)
        self.dossier_actions = DossierActions(self)
        self.dossier.action_requested.connect(self.dossier_actions.run)
        self.digitise = DigitiseDesk(self)  # F8: the open dossier's papers scanned and kept
        self.returns.confirm_requested.connect(self.dossier_actions.hand_over_result)
        self.returns.details_requested.connect(lambda code: self.open_dossier(code))
        self.returns.back_requested.connect(self._back)
        self.returns.ready_requested.connect(self.dossier_actions.mark_ready)
        self.attention_desk = AttentionDesk(self)  # F5: what is late or waiting, counted on its tab
        self.intake.refuse_requested.connect(self.intake_desk.refuse)
        self.printing = PrintDesk(client, self.prefs, self.interaction,
                                  notify=self.show_message, parent=self)
        self.slip_printer = self.printing.preview_slip
        # One change notice (ui/desk_client.py) refreshes every screen that shows stored data; a
        # zero-time timer folds the notices of a burst of writes into one refresh.
        self._change_notice = QTimer(self)
        self._change_notice.setSingleShot(True)
        self._change_notice.setInterval(0)
        self._change_notice.timeout.connect(self._changed)
        client.changed.connect(self._change_notice.start)
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self.centralWidget().setEnabled(False)
        if self.prefs.window_geometry is not None:
            self.restoreGeometry(self.prefs.window_geometry)
        # PySide builds its Python types lazily, and the first time an object of a Qt-internal
        # class reaches Python (the scanner filter hears every object) it builds them all: ~30 ms.
        # Handing it the window's inner objects now does that before the first frame, not in it.
        self.findChildren(QObject)

    def add_status_segment(self, name: str, label: QLabel) -> QLabel:
        label.setObjectName(f"status_{name}")
        label.setStyleSheet(theme.STATUS_SEGMENT_STYLE)
        self.statusBar().addPermanentWidget(label)
        self.status_segments[name] = label
        return label

    def add_menu(self, menu: QMenu) -> None:
        """A collaborator's menu, placed before Trợ giúp (help stays last, where people look for it)."""
        self.menuBar().insertMenu(self.menus["help"].menuAction(), menu)

    def show_officer(self, text: str) -> None:
        self._status_officer.setText(text)

    # --- start-up ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the store on the lane; the window is already on screen meanwhile."""
        self.statusBar().showMessage(M.OPENING)
        self._status_date.setText(day_with_weekday(clock.now()))
        self.client.open(self._opened, self._open_failed)

    def _opened(self, office: OfficeInfo | None) -> None:
        self.statusBar().clearMessage()
        if office is None:
            self.client.open_store()  # the setup writes the office
            self._run_setup()  # the setup makes (or takes) the office's recovery passphrase
        else:
            self._office_ready(office)
            self._show_recovery_code(self.client.recovery_code)  # a clear store was just encrypted

    def _open_failed(self, error: Exception) -> None:
        self.statusBar().clearMessage()
        self.show_error(error)

    def _run_setup(self) -> None:
        dialog = SetupDialog(self)
        self.setup_dialog = dialog

        def done(answer: tuple[OfficeInfo, str | None]) -> None:
            dialog.accept()
            self._office_ready(answer[0])
            self._show_recovery_code(answer[1])

        dialog.submitted.connect(lambda values: self.client.call(
            lambda d: (d.setup_office(**values), d.take_recovery_code()), done, dialog.show_error))
        dialog.rejected.connect(self.close)
        dialog.open()
        dialog.raise_()  # on top even where no window manager stacks it (a kiosk session)
        dialog.activateWindow()

    def _show_recovery_code(self, code: str | None) -> None:
        if code:  # shown once, to be written down; the store has forgotten it
            self.interaction.inform(self, strings.Setup.RECOVERY_CODE.format(code=code))

    def _office_ready(self, office: OfficeInfo) -> None:
        self.office = office
        self.setWindowTitle(M.TITLE.format(office=f"{office.office_name}, {office.agency_name}"))
        self._status_office.setText(M.OFFICE.format(agency=office.agency_name, counter=office.counter))
        self.centralWidget().setEnabled(True)
        for act in self.keys.store_actions:
            act.setEnabled(True)
        self._waiting_for = {"procedures", "list"}
        self.client.call(lambda d: d.procedures(), self._procedures_loaded, plain=True)
        self.client.call(lambda d: d.scanner(), lambda config: self.scanners.apply(config, remember=False))
        self.client.call(lambda d: d.setting("papers.default_paper"),
                         lambda paper: setattr(self.printing, "office_paper", paper))
        self.scanners.persist = lambda config: self.client.call(lambda d: d.set_scanner(config), ignore,
                                                                self.show_error)
        self.worklist.model.reload()
        self._refresh_sync()
        self._ticker.start()
        self.intake.focus_first()
        self.attention_desk.reload()

    def _procedures_loaded(self, specs: list[Any]) -> None:
        self.intake.set_procedures(specs)
        self._part_ready("procedures")

    def _first_page_loaded(self) -> None:
        # Stays connected: PySide6 6.12's disconnect() loses a reference to True on every call.
        if "list" in self._waiting_for:
            self._part_ready("list")

    def _part_ready(self, part: str) -> None:
        if part in self._waiting_for:
            self._waiting_for.discard(part)
            if not self._waiting_for:
                # Usable now; the store itself opens behind it (a desk reading first: DeskClient).
                self.client.open_store()
                self.ready.emit()

    # --- messages ---------------------------------------------------------------------------------

    def show_message(self, text: str, level: str = "info") -> None:
        self.messages.show_message(text, level)

    def clear_error(self) -> None:
        """The next thing that worked: a red bar about what failed before would now mislead."""
        if self.messages.level == "error":
            self.messages.clear()

    def show_error(self, error: Exception) -> None:
        if isinstance(error, StoreBusyError):
            self.show_message(error.message + M.BUSY_KEPT, "error")
        elif isinstance(error, UserError):
            self.show_message(error.message, "error")
        else:
            self.show_message(M.UNEXPECTED.format(kind=type(error).__name__, text=error), "error")
            raise error  # a bug: let it reach the log (and fail the tests)

    # --- intake -----------------------------------------------------------------------------------

    def new_intake(self) -> None:
        if self.tabs.currentWidget() is self.intake and self.intake.is_dirty():
            if not self.interaction.confirm(self, M.NEW_UNSAVED, default_yes=False, yes=M.NEW_DISCARD,
                                            no=M.NEW_KEEP):
                return
            self.intake.reset()
        self.clear_error()
        self.tabs.setCurrentWidget(self.intake)
        self.intake.focus_first()

    def start_over(self) -> None:
        """After a log-out: empty screens and no message, for the next officer."""
        self.intake.reset()
        self.intake.saved_panel.hide()
        self.returns.clear()
        self.dossier.clear()
        self.digitise.clear()
        self.messages.clear()
        self.tabs.setCurrentWidget(self.intake)

    def save(self, *, print_slip: bool = False) -> None:
        if self.tabs.currentWidget() is not self.intake:
            self.show_message(M.SAVE_ELSEWHERE)
            return
        self.intake.request_save(print_slip=print_slip)  # the form checks, then IntakeDesk.save

    # --- printing ---------------------------------------------------------------------------------

    def request_print_slip(self, code: str) -> None:
        """The one seam for printing the appointment slip (Mẫu 01) of a saved dossier."""
        if not code:
            self.show_message(M.PRINT_NOTHING, "warning")
            return
        self.print_slip_requested.emit(code)
        if self.slip_printer is None:
            self.show_message(M.PRINT_NOT_READY.format(code=code), "warning")
        else:
            self.slip_printer(code)

    def print_current(self) -> None:
        current = self.tabs.currentWidget()
        if current is self.intake:
            if self.intake.is_dirty():
                self.intake.request_save(print_slip=True)
            else:
                self.request_print_slip(self.intake_desk.last_saved_code)
        elif current is self.dossier:
            self.request_print_slip(self.dossier.code)
        elif current is self.returns:
            self.request_print_slip(self.returns.code)
        else:
            self.request_print_slip(self.worklist.current_code() or "")

    # --- dossiers and scans -----------------------------------------------------------------------

    def open_dossier(self, code: str, *, action: str = "") -> None:
        """The dossier view, with its history and actions (`action`: the one to focus)."""
        code = code.strip()
        if not code:
            return
        self.client.call(lambda d: d.dossier_life(code), lambda life: self.show_life(life, action),
                         key="open-dossier", urgent=True)

    def show_life(self, life: DossierLife, action: str = "") -> None:
        self.code_box.clear()
        self.clear_error()
        self.dossier.show_dossier(life)
        self.tabs.setCurrentWidget(self.dossier)
        if not action or not self.dossier.focus_action(action):
            self.dossier.print_button.setFocus()
        self.dossier_shown.emit(life.code)

    def open_return(self, code: str) -> None:
        """What a scanned slip opens: can the result be handed over, and to whom."""
        code = code.strip()
        if not code:
            return
        self.client.call(lambda d: d.open_dossier(code), self.show_return, key="open-dossier", urgent=True)

    def show_return(self, dossier: DossierCard, *, just_returned: bool = False) -> None:
        self.code_box.clear()
        self.clear_error()
        self.returns.show_dossier(dossier, just_returned=just_returned)
        self.tabs.setCurrentWidget(self.returns)
        if dossier.status == Status.DONE:
            self.returns.confirm_button.setFocus()
        self.return_shown.emit(dossier.code)

    def _changed(self) -> None:
        """Something was written: the list, the attention list and the sync count move on."""
        self.worklist.model.reload()
        self._refresh_sync()
        self.attention_desk.reload()

    def handle_scan(self, text: str) -> None:
        route_scan(self, text)

    # --- keys -------------------------------------------------------------------------------------

    def show_posters(self) -> None:
        """Niêm yết thủ tục (F7): made the first time it is asked for, the catalogue read afresh."""
        if self.posters is None:
            from ui.views.poster_view import PosterView

            self.posters = PosterView()
            self.posters.preview_requested.connect(self.printing.preview_public)
        if self.tabs.indexOf(self.posters) < 0:
            self.tabs.addTab(self.posters, strings.Posters.TAB)
        self.tabs.setCurrentWidget(self.posters)
        self.posters.focus_search()
        view = self.posters
        self.client.call(lambda d: (d.procedures(), d.poster_fields()), lambda answer: view.set_catalogue(*answer))

    def find(self) -> None:
        self.tabs.setCurrentWidget(self.worklist)
        self.worklist.focus_search()

    def focus_code_box(self) -> None:
        self.code_box.setFocus()
        self.code_box.selectAll()

    def scan_card(self) -> None:
        self.tabs.setCurrentWidget(self.intake)
        self.intake.start_card_scan()

    def escape(self) -> None:
        """Esc: close the message first, then step back from where the officer is."""
        if self.messages.isVisible():
            self.messages.clear()
        elif self.tabs.currentWidget() in (self.dossier, self.returns):
            self._back()
        elif self.code_box.hasFocus() and self.code_box.text():
            self.code_box.clear()
        elif self.tabs.currentWidget() is self.worklist and self.worklist.search.text():
            self.worklist.search.clear()
        elif self.intake.card_input.isVisible():
            self.intake.card_input.hide()
            self.intake.focus_first()

    def _back(self) -> None:
        # never the dossier's or the return's own tab (_tab_changed)
        self.tabs.setCurrentIndex(self._previous_tab)
        current = self.tabs.currentWidget()
        if current is self.attention:
            self.attention.focus_list()

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) not in (self.dossier, self.returns):
            self._previous_tab = index

    # --- the clock and the sync count ---------------------------------------------------------------

    def _tick(self) -> None:
        self._status_date.setText(day_with_weekday(clock.now()))
        self._refresh_sync()
        spec = self.intake.picker.current
        if spec is not None:  # received "now" moves on: past 15:00 the due time moves too
            self.intake_desk.preview_due(spec.code, quietly=True)

    def _refresh_sync(self) -> None:
        self.client.call(lambda d: d.sync_status(), self._show_sync, ignore, key="sync-count")

    def _show_sync(self, status: SyncStatus) -> None:
        if self.sync is not None:
            self.sync.show(status)  # it also tells its lane when new events wait
        else:
            self._status_sync.setText(sync_text(status))

    # --- closing ----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.intake.is_dirty() and not self.interaction.confirm(self, M.QUIT_UNSAVED, default_yes=False,
                                                                   yes=M.QUIT_DISCARD, no=M.QUIT_KEEP):
            event.ignore()
            return
        self.prefs.window_geometry = self.saveGeometry()
        self._ticker.stop()
        self._change_notice.stop()
        self.client.changed.disconnect(self._change_notice.start)
        self.scanners.shutdown()
        self.printing.shutdown()
        self.client.close()
        event.accept()
