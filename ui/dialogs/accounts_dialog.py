"""The admin's screen for officer accounts: add one, change a role, disable one who has left."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from counter_app import desk_admin
from counter_app.desk_admin import AccountRow
from counter_app.errors import UserError
from ui import theme
from ui.admin.strings import Accounts as S
from ui.desk_client import DeskClient
from ui.dialogs.account_dialog import ROLES, AccountDialog
from ui.interaction import Interaction
from ui.views.widgets import MessageBar, fill_table, heading_label, lay_out, push_button, read_only_table, table_item


class AccountsDialog(QDialog):
    def __init__(self, parent: QWidget | None, client: DeskClient, me: str, *, interaction: Interaction) -> None:
        super().__init__(parent)
        self.setObjectName("accounts_dialog")
        self.setWindowTitle(S.TITLE)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(820, 480)
        self.client, self.me, self.interaction = client, me, interaction  # me: who may not lock themselves out
        self.rows: list[AccountRow] = []
        heading = heading_label(S.HEADING)
        intro = QLabel(S.INTRO)
        intro.setWordWrap(True)
        self.messages = MessageBar()
        self.table = read_only_table(S.COLUMNS, 1, "accounts_table")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the buttons; the arrows move between rows
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.add_button = push_button(S.ADD, "accounts_add", self.add)
        self.toggle_button = push_button(S.DISABLE, "accounts_toggle", self.toggle_active)
        self.toggle_button.setEnabled(False)
        close = push_button(S.CLOSE, on_click=self.accept)
        buttons = lay_out(QHBoxLayout(), self.add_button, self.toggle_button, 1, close)
        lay_out(QVBoxLayout(self), heading, intro, self.messages, (self.table, 1), buttons)

    def reload(self) -> None:
        self.client.call(lambda d: desk_admin.list_accounts(d), self._show, self._error, key="accounts")

    def _show(self, rows: list[AccountRow]) -> None:
        selected = self.selected()
        self.rows = rows
        shown = []
        for row in rows:
            colour = "" if row.active else theme.HINT
            cells = (row.username, row.full_name, "", S.ACTIVE if row.active else S.DISABLED)
            shown.append([table_item(text, colour=colour) for text in cells])
        fill_table(self.table, shown)
        for i, row in enumerate(rows):
            combo = QComboBox()
            combo.setObjectName(f"role_{row.username}")
            for key, label in ROLES.items():
                combo.addItem(label, key)
            combo.setCurrentIndex(list(ROLES).index(row.role) if row.role in ROLES else 0)
            combo.setEnabled(row.active and row.username != self.me)
            combo.currentIndexChanged.connect(lambda _, c=combo, u=row.username: self.set_role(u, c.currentData()))
            self.table.setCellWidget(i, 2, combo)
            if selected is not None and row.username == selected.username:
                self.table.selectRow(i)
        self._selection_changed()

    def selected(self) -> AccountRow | None:
        items = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.rows[items[0].row()] if items and items[0].row() < len(self.rows) else None

    def _selection_changed(self) -> None:
        row = self.selected()
        self.toggle_button.setEnabled(row is not None and row.username != self.me)
        self.toggle_button.setText(S.ENABLE if row is not None and not row.active else S.DISABLE)

    def set_role(self, username: str, role: str) -> None:
        self.client.call(lambda d: desk_admin.set_role(d, username, role),
                         lambda _: self._done(S.ROLE_CHANGED.format(user=username, role=ROLES[role])), self._error)

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.active and not self.interaction.confirm(self, S.CONFIRM_DISABLE.format(user=row.username)):
            return
        text = (S.DISABLED_DONE if row.active else S.ENABLED_DONE).format(user=row.username)
        self.client.call(lambda d: desk_admin.set_active(d, row.username, not row.active),
                         lambda _: self._done(text), self._error)

    def add(self) -> None:
        dialog = AccountDialog(self)
        self.account_dialog = dialog

        def added(row: AccountRow) -> None:
            dialog.finish()
            self._done(S.ADDED.format(user=row.username, role=row.role_label))

        dialog.on_submit = lambda v: self.client.call(
            lambda d: desk_admin.add_account(d, v["username"], v["full_name"], v["role"], v["password"]),
            added, dialog.show_error)
        dialog.show()

    def _done(self, text: str) -> None:
        self.messages.show_message(text, "success")
        self.reload()

    def _error(self, error: Exception) -> None:
        self.messages.show_message(error.message if isinstance(error, UserError) else str(error), "error")
        self.reload()
