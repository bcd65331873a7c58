"""The intake's use cases in the window: save the typed dossier (and print its slip), preview the
appointment while the form is filled in, and refuse a dossier at intake (it is saved as refused,
with its code, and Mẫu 03 is offered). The form (ui/views/intake_view.py) only shows and asks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from counter_app.desk import DuePreview
from counter_app.desk_types import Saved
from counter_app.errors import UserError
from ui import strings
from ui.dialogs.action_dialog import ActionDialog

if TYPE_CHECKING:
    from ui.views.main_window import MainWindow

A = strings.Act
L = strings.Life


class IntakeDesk:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.last_saved_code = ""  # Ctrl+P on an untouched form prints this dossier's slip
        self.dialog: ActionDialog | None = None  # the refusal's question

    def save(self, form: dict[str, Any], print_slip: bool) -> None:
        window = self.window
        window.intake.set_saving(True)
        window.client.call(lambda d: d.save_intake(form), lambda saved: self._saved(saved, print_slip),
                           self._save_failed)

    def _saved(self, saved: Saved, print_slip: bool) -> None:
        window = self.window
        window.intake.set_saving(False)
        self.last_saved_code = saved.code
        window.intake.show_saved(saved)
        name = saved.dossier.applicant_name
        window.show_message(strings.Intake.SAVED.format(code=saved.code, name=name, due=saved.due_text),
                            "warning" if saved.warnings else "success")
        if print_slip:
            window.request_print_slip(saved.code)

    def _save_failed(self, error: Exception) -> None:
        window = self.window
        window.intake.set_saving(False)  # everything typed is still in the form
        if isinstance(error, UserError) and window.intake.show_save_error(error):
            window.show_message(strings.Intake.FIX_FIRST.format(n=window.intake.problems_shown()), "error")
            return
        window.show_error(error)

    def preview_due(self, code: str, *, quietly: bool = False) -> None:
        intake = self.window.intake
        if not code:
            intake.show_due(None)
            return
        if not quietly:
            intake.show_due(None, pending=True)
        self.window.client.call(lambda d: d.preview_due(code), self._due_arrived, key="due-preview")

    def _due_arrived(self, preview: DuePreview) -> None:
        self.window.intake.show_due(preview)

    def refuse(self, form: dict[str, Any]) -> None:
        """Refuse the dossier typed in the intake form: it is saved with its code as refused (3)."""
        window = self.window
        dialog = ActionDialog(window, title=A.REFUSE, fields=("reason",), intro=A.REFUSE_NOTE,
                              reason_hint=A.REFUSE_HINT)
        self.dialog = dialog

        def submit(values: dict[str, Any]) -> None:
            if not values["reason"]:
                dialog.failed(A.NEED_REASON)
                return

            def saved(result: Saved) -> None:
                dialog.accept()
                window.intake.show_saved(result)
                self.last_saved_code = ""  # a refused dossier has no slip
                text = strings.Intake.REFUSED.format(code=result.code, reason=values["reason"])
                window.show_message(text, "warning")
                if window.interaction.confirm(window, L.OFFER_FORM.format(done=text, form=L.FORM_NAMES["03"])):
                    window.printing.preview_form(result.code, "03")

            window.client.call(lambda d: d.save_intake({**form, "refusal_reason": values["reason"]}),
                               saved, dialog.failed)

        dialog.submit = submit
        dialog.open()
