"""The attention list: overdue, due today, due within 24 hours, results waiting to be collected for
more than N days (N is an office setting, default 5). Each row names what to do, and Enter (or a
double-click) opens the dossier with that action focused.

The view only shows: the main window loads `Desk.attention` on the store lane and calls `show`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app import clock
from counter_app.domain.statuses import Status, label
from ui import strings, theme
from ui.formatting import short_datetime
from ui.views.widgets import enlarge

T = strings.Attention
GROUPS = ("overdue", "due_today", "due_24h", "awaiting_pickup")
_GROUP_COLOURS = {"overdue": theme.ERROR.text, "due_today": theme.WARNING.text, "due_24h": theme.INFO.text,
                  "awaiting_pickup": theme.SUCCESS.text}
ROLE = Qt.ItemDataRole.UserRole


def todo_for(group: str, status: int, extended: bool = False) -> str:
    """The one action that answers the row (a key of strings.Life.BUTTONS)."""
    if group == "awaiting_pickup":
        return "return"
    if group == "overdue" and not extended:
        return "extend"
    if status == Status.RECEIVED:
        return "handover"
    if status == Status.SUPPLEMENT:
        return "papers_back"
    return "done"


class _Tree(QTreeWidget):
    def __init__(self, on_open: Callable[[QTreeWidgetItem], None]) -> None:
        super().__init__()
        self._on_open = on_open

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None and item.parent() is not None:
            self._on_open(item)
            return
        super().keyPressEvent(event)


class AttentionView(QWidget):
    pickup_days_changed = Signal(int)
    reload_requested = Signal()
    open_requested = Signal(str, str)  # (code, action)
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attention_view")
        self.summary = QLabel(T.LOADING)
        self.summary.setObjectName("attention_summary")
        enlarge(self.summary, 1.15, bold=True)
        self.updated = QLabel()
        self.pickup_days = QSpinBox()
        self.pickup_days.setObjectName("pickup_days")
        self.pickup_days.setRange(1, 365)
        self.pickup_days.setValue(5)
        self.pickup_days.setSuffix(T.PICKUP_SUFFIX)
        self.pickup_days.editingFinished.connect(lambda: self.pickup_days_changed.emit(self.pickup_days.value()))
        reload_button = QPushButton(T.RELOAD)
        reload_button.clicked.connect(lambda: self.reload_requested.emit())
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel(T.PICKUP_DAYS))
        top.addWidget(self.pickup_days)
        top.addWidget(reload_button)

        self.tree = _Tree(self._open_item)
        self.tree.setObjectName("attention_tree")
        self.tree.setColumnCount(len(T.COLUMNS))
        self.tree.setHeaderLabels(list(T.COLUMNS))
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self._open_item(item))
        header = self.tree.header()
        header.setStretchLastSection(False)
        # Widths from sample texts, not ResizeToContents: measuring 500 rows blocks the UI thread.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        metrics = self.tree.fontMetrics()
        samples = ("Có kết quả, chờ công dân nhận quá 30 ngày (999)", "Nguyễn Thị Ánh Tuyết", "0912345678", "",
                   "16/11/2026 14:38", "Nghĩa vụ tài chính", T.TODO["extend"])
        for column, sample in enumerate(samples):
            if sample:
                self.tree.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
        hint = QLabel(T.HINT)
        hint.setStyleSheet(theme.HINT_STYLE)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.updated)
        page = QVBoxLayout(self)
        page.addLayout(top)
        page.addWidget(self.tree, 1)
        page.addLayout(bottom)
        self.counts: dict[str, int] = dict.fromkeys(GROUPS, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def show_attention(self, attention: Any, pickup_days: int) -> None:  # noqa: ANN401 - services.attention.Attention
        self.pickup_days.blockSignals(True)
        self.pickup_days.setValue(pickup_days)
        self.pickup_days.blockSignals(False)
        self.tree.clear()
        first: QTreeWidgetItem | None = None
        for group in GROUPS:
            rows = getattr(attention, group)
            self.counts[group] = len(rows)
            title = T.GROUPS[group].format(days=pickup_days)
            head = QTreeWidgetItem([f"{title} ({len(rows)})"])
            font = QFont(self.tree.font())
            font.setBold(True)
            head.setFont(0, font)
            head.setForeground(0, QBrush(QColor(_GROUP_COLOURS[group])))
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)  # only once in the tree
            for row in rows:
                action = todo_for(group, row.status)
                item = QTreeWidgetItem([row.code, row.applicant_name, row.phone, row.procedure_name,
                                        short_datetime(row.due_at), label(row.status), T.TODO[action]])
                item.setData(0, ROLE, (row.code, action))
                if group == "overdue":
                    item.setForeground(4, QBrush(QColor(_GROUP_COLOURS[group])))
                head.addChild(item)
                first = first or item
            head.setExpanded(True)
        self.summary.setText(T.NOTHING if not self.total else T.SUMMARY.format(
            overdue=self.counts["overdue"], today=self.counts["due_today"], soon=self.counts["due_24h"],
            pickup=self.counts["awaiting_pickup"]))
        self.updated.setText(T.UPDATED.format(time=f"{clock.now():%H:%M}"))
        if first is not None:
            self.tree.setCurrentItem(first)

    def rows(self, group: str) -> list[tuple[str, str]]:
        """(code, action) of each row of a group, in order (tests and the bench read this)."""
        head = self.tree.topLevelItem(GROUPS.index(group))
        if head is None:
            return []
        return [head.child(i).data(0, ROLE) for i in range(head.childCount())]

    def focus_list(self) -> None:
        self.tree.setFocus()

    def _open_item(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, ROLE)
        if data:
            self.open_requested.emit(*data)
