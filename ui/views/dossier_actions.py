"""The dossier's actions in the window (git-cola's command idea): for a key of the action table
(counter_app/domain/actions.py) ask what it needs, run it on the store lane, show the dossier it
leaves, and offer the paper that goes with it. The return view's two (the hand-over of the result,
and "has a result" when it came back with the citizen) are here too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMenu

from counter_app import clock
from counter_app.desk import Desk
from counter_app.desk_types import DossierLife
from counter_app.domain import actions
from counter_app.errors import UserError
from ui import strings
from ui.dialogs.action_dialog import ActionDialog
from ui.formatting import long_datetime

if TYPE_CHECKING:
    from ui.views.main_window import MainWindow

A = strings.Act
L = strings.Life


class DossierActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: ActionDialog | None = None  # the open question, for tests and for Esc
        self.forms_menu: QMenu | None = None

    def run(self, key: str) -> None:
        """The action `key` on the dossier the dossier view shows."""
        life = self.window.dossier.dossier
        if life is None:
            return
        code = life.code
        if key == "control":
            self.window.printing.preview_form(code, "06")
        elif key == "forms":
            self._choose_form(code)
        elif key == "return":
            self.window.show_return(life.card)
        else:
            action = actions.BY_KEY[key]
            if action.fields:
                due = clock.parse_iso(life.card.due_at) if key == "extend" else None
                self._ask(code, action, current_due=due)
            else:
                self._run(code, action, {})

    def _said(self, key: str, code: str, values: dict[str, Any], new: DossierLife) -> str:
        return L.DONE_SAID[key].format(code=code, unit=values.get("to_unit", ""), due=long_datetime(new.card.due_at))

    def _run(self, code: str, action: actions.Action, values: dict[str, Any]) -> None:
        dialog = self.dialog if action.fields else None
        window = self.window

        def done(new: DossierLife) -> None:
            if dialog is not None:
                dialog.accept()
            window.show_life(new)
            text = self._said(action.key, code, values, new)
            window.show_message(text, "success")
            if action.form and window.interaction.confirm(window, L.OFFER_FORM.format(
                    done=text, form=L.FORM_NAMES[action.form])):
                window.printing.preview_form(new.code, action.form)
            elif action.offer_slip and window.interaction.confirm(window, L.OFFER_SLIP.format(done=text)):
                window.request_print_slip(new.code)

        def failed(error: Exception) -> None:
            if dialog is not None and isinstance(error, UserError):
                dialog.failed(error)  # the dialog stays, with everything typed; nothing changed
            else:
                window.show_error(error)

        job: Callable[[Desk], DossierLife] = lambda d: d.act(code, action.key, values)  # noqa: E731
        window.client.call(job, done, failed)

    def _ask(self, code: str, action: actions.Action, *, current_due: Any = None) -> None:  # noqa: ANN401
        dialog = ActionDialog(self.window, title=A.TITLES[action.key].format(code=code), fields=action.fields,
                              reason_hint=A.HINTS.get(action.key, ""), current_due=current_due)
        self.dialog = dialog
        dialog.submit = lambda values: self._run(code, action, values)
        dialog.open()

    def _choose_form(self, code: str) -> None:
        forms = self.window.dossier.forms_available
        if len(forms) == 1:
            self.window.printing.preview_form(code, forms[0])
            return
        menu = QMenu(self.window)
        for form in forms:
            menu.addAction(L.FORM_NAMES[form], lambda f=form: self.window.printing.preview_form(code, f))
        button = self.window.dossier.action_buttons["forms"]
        menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
        self.forms_menu = menu

    def hand_over_result(self, values: dict[str, Any]) -> None:
        """The return view's Enter: the result handed to the person recorded in `values` (9 → 10)."""
        window = self.window
        code = window.returns.code

        def done(life: DossierLife) -> None:
            window.show_return(life.card, just_returned=True)
            window.show_message(strings.Return.RETURN_OK.format(code=code, name=values["full_name"]), "success")

        window.client.call(lambda d: d.return_result(code, **values), done, window.returns.show_error)

    def mark_ready(self) -> None:
        """The result is at the counter with the citizen: record it (status 9), then hand it over."""
        window = self.window
        code = window.returns.code
        if not code or not window.interaction.confirm(window, strings.Return.MARK_READY_ASK.format(code=code)):
            return

        def done(life: DossierLife) -> None:
            window.returns.set_marking(False)
            window.show_return(life.card)
            window.show_message(strings.Return.MARK_READY_OK.format(code=code), "success")

        def failed(error: Exception) -> None:
            window.returns.set_marking(False)
            window.show_error(error)

        window.returns.set_marking(True)
        window.client.call(lambda d: d.act(code, "done"), done, failed)
