"""The counter window: intake, the dossier list, the attention list, one dossier with its life,
the return of results, a message bar, a status bar.

Every store call goes through the DeskClient (the store lane); the screens only show answers.
A scan (ui/scanner.py) works from any screen: a dossier code opens the return view (the citizen
came back with the slip), an ID card fills the intake form (or, elsewhere, looks up that
person's dossiers). Papers are previewed and printed through ui/printing.PrintDesk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app import clock, desk
from counter_app.desk import PICKUP_DAYS_KEY, DuePreview, OfficeInfo, Saved
from counter_app.domain.product_codes import product_barcode
from counter_app.errors import StoreBusyError, UserError
from ui import strings
from ui.desk_client import DeskClient, ignore
from ui.dialogs.action_dialog import ActionDialog
from ui.dialogs.setup_dialog import SetupDialog
from ui.formatting import day_with_weekday, long_datetime
from ui.interaction import Interaction
from ui.prefs import Prefs
from ui.printing import PrintDesk
from ui.scanner import ScanKind, classify
from ui.scanner_setup import ScannerSetup
from ui.sync.panel import status_text as sync_text
from ui.views.attention_view import AttentionView
from ui.views.dossier_list_view import DossierListView
from ui.views.dossier_view import DossierView
from ui.views.intake_view import IntakeView
from ui.views.return_view import ReturnView
from ui.views.widgets import ElidedLabel, MessageBar, MessageStatusBar

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
        self.action_dialog: ActionDialog | None = None
        self._last_saved_code = ""
        self._waiting_for: set[str] = set()
        self._previous_tab = 0
        self.setWindowTitle(M.TITLE_OPENING)

        self.messages = MessageBar()
        self.intake = IntakeView()
        self.worklist = DossierListView(client)
        self.dossier = DossierView()
        self.attention = AttentionView()
        self.returns = ReturnView()
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
        self._status_office = QLabel()
        self._status_officer = QLabel(M.NOBODY)
        self._status_date = QLabel()
        self._status_sync = ElidedLabel()  # the sync panel (ui/sync/panel.py) writes here too
        self._status_scanner = QLabel()
        for i, label in enumerate((self._status_office, self._status_officer, self._status_date,
                                   self._status_sync, self._status_scanner)):
            label.setObjectName(f"status_{('office', 'officer', 'date', 'sync', 'scanner')[i]}")
            label.setStyleSheet("padding: 0 8px; border-left: 1px solid #c0c0c0;")
            self.statusBar().addPermanentWidget(label)

        self.scanners = ScannerSetup(self.prefs, QApplication.instance(), parent=self)
        self.scanners.scanned.connect(self.handle_scan)
        self.scanners.failed.connect(lambda text: self.show_message(text, "error"))
        self.scanners.state_changed.connect(self._status_scanner.setText)
        self._status_scanner.setText(self.scanners.status_text())
        self._build_actions()

        self.intake.save_requested.connect(self._save)
        self.intake.new_requested.connect(self.new_intake)
        self.intake.procedure_changed.connect(self._preview_due)
        self.worklist.open_requested.connect(self.open_dossier)
        self.worklist.model.failed.connect(self.show_error)
        self.worklist.model.page_loaded.connect(self._first_page_loaded)
        self.dossier.print_requested.connect(self.request_print_slip)
        self.dossier.back_requested.connect(self._back)
        self.dossier.action_requested = self.dossier_action
        self.returns.confirm_requested = self._confirm_return
        self.returns.details_requested = self.open_dossier
        self.returns.back_requested = self._back
        self.returns.ready_requested = self._mark_ready_from_return
        self.attention.open_requested = lambda code, action: self.open_dossier(code, action=action)
        self.attention.reload_requested = self.reload_attention
        self.attention.pickup_days_changed = self._set_pickup_days
        self.intake.refuse_requested = self._refuse_intake
        self.printing = PrintDesk(client, self.prefs, self.interaction,
                                  notify=self.show_message, parent=self)
        self.slip_printer = self.printing.preview_slip
        self._attention_at_start = True
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

    # --- start-up ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Open the store on the lane; the window is already on screen meanwhile."""
        self.statusBar().showMessage(M.OPENING)
        self._status_date.setText(day_with_weekday(clock.now()))
        self.client.open(self._opened, self._open_failed)

    def _opened(self, office: OfficeInfo | None) -> None:
        self.statusBar().clearMessage()
        if office is None:
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
        for act in self._store_actions:
            act.setEnabled(True)
        self._waiting_for = {"procedures", "list"}
        self.client.call(lambda d: d.procedures(), self._procedures_loaded)
        self.client.call(lambda d: d.scanner(), lambda config: self.scanners.apply(config, remember=False))
        self.client.call(lambda d: d.setting("papers.default_paper"),
                         lambda paper: setattr(self.printing, "office_paper", paper))
        self.scanners.persist = lambda config: self.client.call(lambda d: d.set_scanner(config), ignore,
                                                                self.show_error)
        self.worklist.model.reload()
        self._refresh_sync()
        self._ticker.start()
        self.intake.focus_first()
        self.reload_attention()

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
                self.ready.emit()

    # --- messages ---------------------------------------------------------------------------------

    def show_message(self, text: str, level: str = "info") -> None:
        self.messages.show_message(text, level)

    def _clear_error(self) -> None:
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
        self._clear_error()
        self.tabs.setCurrentWidget(self.intake)
        self.intake.focus_first()

    def start_over(self) -> None:
        """After a log-out: empty screens and no message, for the next officer."""
        self.intake.reset()
        self.intake.saved_panel.hide()
        self.returns.clear()
        self.dossier.clear()
        self.messages.clear()
        self.tabs.setCurrentWidget(self.intake)

    def save(self, *, print_slip: bool = False) -> None:
        if self.tabs.currentWidget() is not self.intake:
            self.show_message(M.SAVE_ELSEWHERE)
            return
        self.intake.request_save(print_slip=print_slip)

    def _save(self, form: dict[str, Any], print_slip: bool) -> None:
        self.intake.set_saving(True)
        self.client.call(lambda d: d.save_intake(form),
                         lambda saved: self._saved(saved, print_slip), self._save_failed)

    def _saved(self, saved: Saved, print_slip: bool) -> None:
        self.intake.set_saving(False)
        self._last_saved_code = saved.code
        self.intake.show_saved(saved)
        name = saved.dossier["applicant"]["full_name"]
        self.show_message(strings.Intake.SAVED.format(code=saved.code, name=name, due=saved.due_text),
                          "warning" if saved.warnings else "success")
        if print_slip:
            self.request_print_slip(saved.code)

    def _save_failed(self, error: Exception) -> None:
        self.intake.set_saving(False)  # everything typed is still in the form
        if isinstance(error, UserError) and self.intake.show_save_error(error):
            self.show_message(strings.Intake.FIX_FIRST.format(n=self.intake.problems_shown()), "error")
            return
        self.show_error(error)

    def _preview_due(self, code: str, *, quietly: bool = False) -> None:
        if not code:
            self.intake.show_due(None)
            return
        if not quietly:
            self.intake.show_due(None, pending=True)
        self.client.call(lambda d: d.preview_due(code), self._due_arrived, key="due-preview")

    def _due_arrived(self, preview: DuePreview) -> None:
        self.intake.show_due(preview)

    # --- printing (the papers issue plugs in here) ------------------------------------------------

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
                self.request_print_slip(self._last_saved_code)
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
        self.client.call(lambda d: d.dossier_life(code), lambda life: self._show_dossier(life, action),
                         key="open-dossier")

    def _show_dossier(self, dossier: dict[str, Any], action: str = "") -> None:
        self.code_box.clear()
        self._clear_error()
        self.dossier.show_dossier(dossier)
        self.tabs.setCurrentWidget(self.dossier)
        if not action or not self.dossier.focus_action(action):
            self.dossier.print_button.setFocus()
        self.dossier_shown.emit(dossier["code"])

    def open_return(self, code: str) -> None:
        """What a scanned slip opens: can the result be handed over, and to whom."""
        code = code.strip()
        if not code:
            return
        self.client.call(lambda d: d.open_dossier(code), self._show_return, key="open-dossier")

    def _show_return(self, dossier: dict[str, Any], *, just_returned: bool = False) -> None:
        self.code_box.clear()
        self._clear_error()
        self.returns.show_dossier(dossier, just_returned=just_returned)
        self.tabs.setCurrentWidget(self.returns)
        if dossier["status"] == 9:
            self.returns.confirm_button.setFocus()
        self.return_shown.emit(dossier["code"])

    def _confirm_return(self, values: dict[str, Any]) -> None:
        code = self.returns.code

        def done(life: dict[str, Any]) -> None:
            self._show_return(life, just_returned=True)
            self.show_message(strings.Return.RETURN_OK.format(code=code, name=values["full_name"]), "success")

        self.client.call(lambda d: d.return_result(code, **values), done, self.returns.show_error)

    def _mark_ready_from_return(self) -> None:
        """The result is at the counter with the citizen: record it (status 9), then hand it over."""
        code = self.returns.code
        if not code or not self.interaction.confirm(self, strings.Return.MARK_READY_ASK.format(code=code)):
            return

        def done(life: dict[str, Any]) -> None:
            self.returns.set_marking(False)
            self._show_return({k: v for k, v in life.items() if k != "history"})
            self.show_message(strings.Return.MARK_READY_OK.format(code=code), "success")

        def failed(error: Exception) -> None:
            self.returns.set_marking(False)
            self.show_error(error)

        self.returns.set_marking(True)
        self.client.call(lambda d: d.move(code, 9), done, failed)

    # --- the dossier's life -------------------------------------------------------------------------

    def dossier_action(self, key: str) -> None:
        life = self.dossier.dossier
        code = life.get("code", "")
        if not code:
            return
        act, life_strings = strings.Act, strings.Life
        simple = {"done": (9, life_strings.DONE_OK), "financial": (6, life_strings.FINANCIAL_OK),
                  "financial_done": (4, life_strings.FINANCIAL_DONE_OK)}
        if key in simple:
            status, said = simple[key]
            self._run_action(lambda d: d.move(code, status),
                             lambda _life: said.format(code=code))
        elif key == "papers_back":
            self._run_action(lambda d: d.move(code, 4),
                             lambda new: life_strings.PAPERS_BACK_OK.format(
                                 code=code, due=long_datetime(new["due_at"])), offer_slip=True)
        elif key == "handover":
            self._ask(act.HANDOVER.format(code=code), ("to_unit", "note"),
                      lambda v: (lambda d: d.hand_over(code, to_unit=v["to_unit"], note=v["note"])),
                      lambda v, _new: life_strings.HANDED_OK.format(code=code, unit=v["to_unit"]))
        elif key == "supplement":
            self._ask(act.SUPPLEMENT.format(code=code), ("reason", "missing"),
                      lambda v: (lambda d: d.move(code, 5, note=v["reason"], missing=v["missing"])),
                      lambda _v, _new: life_strings.SUPPLEMENT_OK.format(code=code), form="02",
                      hint=act.SUPPLEMENT_REASON_HINT)
        elif key == "withdraw":
            self._ask(act.WITHDRAW.format(code=code), ("reason",),
                      lambda v: (lambda d: d.move(code, 7, note=v["reason"])),
                      lambda _v, _new: life_strings.WITHDRAW_OK.format(code=code), hint=act.WITHDRAW_HINT)
        elif key == "stop":
            self._ask(act.STOP.format(code=code), ("reason",),
                      lambda v: (lambda d: d.move(code, 8, note=v["reason"])),
                      lambda _v, _new: life_strings.STOP_OK.format(code=code), form="05", hint=act.STOP_HINT)
        elif key == "extend":
            self._ask(act.EXTEND.format(code=code), ("new_due", "reason"),
                      lambda v: (lambda d: d.extend(code, new_due=v["new_due"], reason=v["reason"])),
                      lambda _v, new: life_strings.EXTEND_OK.format(code=code, due=long_datetime(new["due_at"])),
                      form="04", hint=act.EXTEND_HINT, current_due=clock.parse_iso(life["due_at"]))
        elif key == "return":
            self._show_return({k: v for k, v in life.items() if k != "history"})
        elif key == "control":
            self.printing.preview_form(code, "06")
        elif key == "forms":
            self._choose_form(code)

    def _run_action(self, job: Callable[[desk.Desk], dict[str, Any]], said: Callable[[dict[str, Any]], str], *,
                    form: str = "", offer_slip: bool = False, dialog: ActionDialog | None = None) -> None:
        def done(new: dict[str, Any]) -> None:
            if dialog is not None:
                dialog.accept()
            self._show_dossier(new)
            text = said(new)
            self.show_message(text, "success")
            if form and self.interaction.confirm(self, strings.Life.OFFER_FORM.format(
                    done=text, form=strings.Life.FORM_NAMES[form])):
                self.printing.preview_form(new["code"], form)
            elif offer_slip and self.interaction.confirm(self, strings.Life.OFFER_SLIP.format(done=text)):
                self.request_print_slip(new["code"])

        def failed(error: Exception) -> None:
            if dialog is not None and isinstance(error, UserError):
                dialog.failed(error)  # the dialog stays, with everything typed; nothing changed
            else:
                self.show_error(error)

        self.client.call(job, done, failed)

    def _ask(self, title: str, fields: tuple[str, ...], job: Callable[[dict[str, Any]], Callable[[desk.Desk], Any]],
             said: Callable[[dict[str, Any], dict[str, Any]], str], *, form: str = "", hint: str = "",
             current_due: Any = None) -> None:  # noqa: ANN401
        dialog = ActionDialog(self, title=title, fields=fields, reason_hint=hint, current_due=current_due)
        self.action_dialog = dialog

        def submit(values: dict[str, Any]) -> None:
            self._run_action(job(values), lambda new: said(values, new), form=form, dialog=dialog)

        dialog.submit = submit
        dialog.open()

    def _choose_form(self, code: str) -> None:
        forms = self.dossier.forms_available
        if len(forms) == 1:
            self.printing.preview_form(code, forms[0])
            return
        from PySide6.QtWidgets import QMenu

        menu = QMenu(self)
        for form in forms:
            menu.addAction(strings.Life.FORM_NAMES[form], lambda f=form: self.printing.preview_form(code, f))
        button = self.dossier.action_buttons["forms"]
        menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
        self.forms_menu = menu

    def _refuse_intake(self, form: dict[str, Any]) -> None:
        act = strings.Act
        dialog = ActionDialog(self, title=act.REFUSE, fields=("reason",), intro=act.REFUSE_NOTE,
                              reason_hint=act.REFUSE_HINT)
        self.action_dialog = dialog

        def submit(values: dict[str, Any]) -> None:
            if not values["reason"]:
                dialog.failed(act.NEED_REASON)
                return

            def saved(result: Saved) -> None:
                dialog.accept()
                self.intake.show_saved(result)
                self._last_saved_code = ""  # a refused dossier has no slip
                text = strings.Intake.REFUSED.format(code=result.code, reason=values["reason"])
                self.show_message(text, "warning")
                if self.interaction.confirm(self, strings.Life.OFFER_FORM.format(
                        done=text, form=strings.Life.FORM_NAMES["03"])):
                    self.printing.preview_form(result.code, "03")

            self.client.call(lambda d: d.save_intake({**form, "refusal_reason": values["reason"]}),
                             saved, dialog.failed)

        dialog.submit = submit
        dialog.open()

    def _changed(self) -> None:
        """Something was written: the list, the attention list and the sync count move on."""
        self.worklist.model.reload()
        self._refresh_sync()
        self.reload_attention(quietly=True)

    # --- the attention list ---------------------------------------------------------------------------

    def show_attention(self) -> None:
        self.tabs.setCurrentWidget(self.attention)
        self.attention.focus_list()
        self.reload_attention()

    def reload_attention(self, *, quietly: bool = False) -> None:
        self.client.call(lambda d: (d.attention(), d.pickup_days()), self._attention_loaded, key="attention")

    def _attention_loaded(self, answer: tuple[Any, int]) -> None:
        attention, days = answer
        self.attention.show_attention(attention, days)
        total = self.attention.total
        index = self.tabs.indexOf(self.attention)
        self.tabs.setTabText(index, strings.Attention.TAB_COUNT.format(n=total) if total else strings.Attention.TAB)
        if self._attention_at_start:
            self._attention_at_start = False
            # At the start of the day the counter sees what is late first, unless work has begun.
            if (total and self.prefs.attention_at_start and self.tabs.currentWidget() is self.intake
                    and not self.intake.is_dirty()):
                self.tabs.setCurrentWidget(self.attention)
                self.attention.focus_list()
        self.attention_shown.emit()

    def _set_pickup_days(self, days: int) -> None:
        self.client.call(lambda d: d.set_setting(PICKUP_DAYS_KEY, days), lambda _n: self.reload_attention(),
                         self.show_error)

    def handle_scan(self, text: str) -> None:
        if self.office is None or QApplication.activeModalWidget() is not None:
            return  # no store yet, or a dialog is asking something: a scan is not its answer
        kind = classify(text)
        if kind is ScanKind.DOSSIER:
            self.open_return(text)
        elif kind is ScanKind.ID_CARD and self.tabs.currentWidget() is self.intake:
            try:
                self.intake.fill_from_card(text)  # it says so beside the fields it filled
            except UserError as exc:
                self.show_message(exc.message, "error")
            else:
                self._clear_error()
        elif kind is ScanKind.ID_CARD:
            number = text.split("|", 1)[0].strip()
            self.show_message(strings.Scan.CARD_SEARCH.format(number=number))
            self.tabs.setCurrentWidget(self.worklist)
            self.worklist.search_for(number)
        elif kind is ScanKind.PRODUCT:
            self.show_message(strings.Scan.PRODUCT.format(kind=product_barcode(text)), "error")
        elif "|" in text or text[:12].isdigit():
            self.show_message(strings.Scan.GARBLED_QR, "error")
        else:
            shown = text if len(text) <= 40 else text[:40] + "…"
            self.show_message(strings.Scan.GARBLED.format(text=shown), "error")

    # --- keys -------------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(text: str, keys: list[str], slot: Callable[[], None]) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        menu = self.menuBar()
        file_menu = menu.addMenu(M.MENU_FILE)
        file_menu.addAction(action(M.ACT_QUIT, ["Ctrl+Q"], self.close))
        dossier_menu = menu.addMenu(M.MENU_DOSSIER)
        self.act_new = action(M.ACT_NEW, ["F2"], self.new_intake)
        self.act_find = action(M.ACT_FIND, ["Ctrl+F", "F3"], self.find)
        self.act_scan = action(M.ACT_SCAN, ["F4"], self.focus_code_box)
        self.act_save = action(M.ACT_SAVE, ["Ctrl+S"], lambda: self.save(print_slip=False))
        self.act_print = action(M.ACT_PRINT, ["Ctrl+P"], self.print_current)
        self.act_back = action(M.ACT_BACK, ["Esc"], self.escape)
        self.act_attention = action(strings.Attention.TAB, ["F5"], self.show_attention)
        self.act_card = action(strings.Intake.SCAN_CARD, ["F6"], self.scan_card)
        self._store_actions = (self.act_new, self.act_find, self.act_scan, self.act_card, self.act_save,
                               self.act_print, self.act_attention)
        for act in (*self._store_actions, self.act_back):
            act.setEnabled(act is self.act_back)  # the rest wait for the office (_office_ready)
            dossier_menu.addAction(act)
        settings_menu = menu.addMenu(M.MENU_SETTINGS)
        self.act_scanner = settings_menu.addAction(strings.Scanner.MENU,
                                                   lambda: self.scanners.ask(self, self.interaction))
        help_menu = menu.addMenu(M.MENU_HELP)
        help_menu.addAction(action(M.ACT_KEYS, ["F1"], lambda: self.interaction.inform(self, M.KEYS_HELP)))

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
            self._preview_due(spec.code, quietly=True)

    def _refresh_sync(self) -> None:
        self.client.call(lambda d: d.sync_status(), self._show_sync, ignore, key="sync-count")

    def _show_sync(self, status: dict[str, Any]) -> None:
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
