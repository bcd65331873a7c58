"""The leader's view of the audit trail: newest first, a page at a time, and the integrity check
(audit.verify walks the whole chain: it runs on the store lane, the screen stays responsive)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from counter_app import desk_admin
from counter_app.desk_admin import AuditRow
from counter_app.domain.vn_time import to_vn
from counter_app.errors import UserError
from ui import theme
from ui.admin.strings import Audit as S
from ui.desk_client import DeskClient
from ui.views.widgets import fill_table, heading_label, lay_out, push_button, read_only_table, table_item

PAGE = 100
OK_COLOUR, BAD_COLOUR = theme.SUCCESS.text, theme.ERROR.text


class AuditView(QWidget):
    def __init__(self, client: DeskClient, parent: QWidget | None = None, *, page_size: int = PAGE) -> None:
        super().__init__(parent)
        self.setObjectName("audit_view")
        self.client, self.page_size = client, page_size
        self.rows: list[AuditRow] = []
        self._starts: list[int | None] = []  # before_seq of each page shown so far (for "newer")
        self.verification = None
        title = heading_label(S.HEADING)
        intro = QLabel(S.INTRO)
        intro.setStyleSheet(theme.HINT_STYLE)
        self.table = read_only_table(S.COLUMNS, len(S.COLUMNS) - 1, "audit_table", striped=True)
        self.table.setWordWrap(False)
        self.newest_button = push_button(S.NEWEST, on_click=self.load_newest)
        self.newer_button = push_button(S.NEWER, on_click=self.newer)
        self.older_button = push_button(S.OLDER, on_click=self.older)
        self.verify_button = push_button(S.VERIFY, "audit_verify", self.verify)
        self.page_label = QLabel()
        self.page_label.setObjectName("audit_page")
        self.result = QLabel()
        self.result.setObjectName("audit_result")
        self.result.setWordWrap(True)
        top = lay_out(QHBoxLayout(), title, 1, self.verify_button)
        pages = lay_out(QHBoxLayout(), self.newest_button, self.newer_button, self.older_button, self.page_label, 1)
        lay_out(QVBoxLayout(self), top, intro, self.result, (self.table, 1), pages)
        self.result.hide()
        self._buttons()

    # --- pages ------------------------------------------------------------------------------------

    def load_newest(self) -> None:
        self._starts = []
        self._load(None)

    def older(self) -> None:
        if self.rows and len(self.rows) == self.page_size:
            self._load(self.rows[-1].seq)

    def newer(self) -> None:
        if len(self._starts) > 1:
            self._starts.pop()
            self._load(self._starts.pop())

    def _load(self, before: int | None) -> None:
        self._starts.append(before)
        self.page_label.setText(S.LOADING)
        size = self.page_size
        self.client.call(lambda d: desk_admin.audit_page(d, before_seq=before, limit=size), self._show,
                         self._error, key="audit-page")

    def _show(self, rows: list[AuditRow]) -> None:
        self.rows = rows
        shown = []
        for r in rows:
            at = to_vn(r.at)
            who = S.SYSTEM if r.actor_kind == "system" else r.actor
            colour = theme.ERROR.text if r.action == "login.failed" else ""
            cells = (str(r.seq), f"{at:%d/%m/%Y %H:%M:%S}", who, S.ACTIONS.get(r.action, r.action), r.target,
                     r.detail)
            shown.append([table_item(text, right=j == 0, colour=colour) for j, text in enumerate(cells)])
        fill_table(self.table, shown)
        if rows:
            self.page_label.setText(S.PAGE.format(page=len(self._starts), first=rows[0].seq, last=rows[-1].seq))
        else:
            self.page_label.setText(S.EMPTY)
        self._buttons()

    def _buttons(self) -> None:
        self.newer_button.setEnabled(len(self._starts) > 1)
        self.newest_button.setEnabled(len(self._starts) > 1)
        self.older_button.setEnabled(len(self.rows) == self.page_size and self.rows[-1].seq > 1)

    # --- integrity --------------------------------------------------------------------------------

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self._say(S.VERIFYING, theme.TEXT)
        self.client.call(lambda d: desk_admin.verify_audit(d), self._verified, self._error)

    def _verified(self, verification) -> None:  # noqa: ANN001 - services.audit.Verification
        self.verification = verification
        self.verify_button.setEnabled(True)
        self._say(("✔ " if verification.ok else "✖ ") + verification.message,
                  OK_COLOUR if verification.ok else BAD_COLOUR)

    def _say(self, text: str, colour: str) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(f"color: {colour}; font-weight: bold; padding: 4px 0;")
        self.result.show()

    def _error(self, error: Exception) -> None:
        self.verify_button.setEnabled(True)
        self._say(error.message if isinstance(error, UserError) else f"{type(error).__name__}: {error}", BAD_COLOUR)
