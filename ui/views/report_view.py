"""The leader's report screen: a period, the figures of statistics.compute (the same rows, in the
same order, as the workbook and the PDF), by field and by procedure, a weekly chart, and exports."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app import clock, desk_admin
from counter_app.desk_admin import GroupRow, Report
from counter_app.errors import UserError
from ui.admin.chart import WeeklyChart
from ui.admin.strings import Report as S
from ui.desk_client import DeskClient
from ui.interaction import Interaction
from ui.views.widgets import MessageBar, enlarge, fill_table, heading_label, read_only_table, table_item

MONTH, QUARTER, YEAR, RANGE = range(4)


def period(kind: int, year: int, month: int, quarter: int, start: date, end: date) -> tuple[date, date]:
    if kind == MONTH:
        first = date(year, month, 1)
        return first, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if kind == QUARTER:
        first = date(year, 3 * quarter - 2, 1)
        last_month = date(year, 3 * quarter, 1)
        return first, (last_month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if kind == YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    return start, end


def number(value: float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{value:,}".replace(",", ".")


def percent(value: float | None) -> str:
    return S.NO_RATE if value is None else f"{value:.1f}".replace(".", ",") + "%"


class ReportView(QWidget):
    def __init__(self, client: DeskClient, *, interaction: Interaction,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report_view")
        self.client, self.interaction = client, interaction
        self.report: Report | None = None
        self.exported: Path | None = None
        today = clock.now().date()
        self.kind = QComboBox()
        self.kind.setObjectName("report_kind")
        self.kind.addItems(S.KINDS)
        self.year = QSpinBox()
        self.year.setObjectName("report_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.month = QComboBox()
        self.month.setObjectName("report_month")
        self.month.addItems([S.MONTH.format(n=n) for n in range(1, 13)])
        self.month.setCurrentIndex(today.month - 1)
        self.quarter = QComboBox()
        self.quarter.setObjectName("report_quarter")
        self.quarter.addItems([S.QUARTER.format(n=n) for n in range(1, 5)])
        self.quarter.setCurrentIndex((today.month - 1) // 3)
        self.start = QDateEdit(QDate(today.year, today.month, 1))
        self.end = QDateEdit(QDate(today.year, today.month, today.day))
        for edit, name in ((self.start, "report_from"), (self.end, "report_to")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.from_label, self.to_label = QLabel(S.FROM), QLabel(S.TO)
        self.show_button = QPushButton(S.SHOW)
        self.show_button.setObjectName("report_show")
        self.show_button.setDefault(True)
        self.xlsx_button = QPushButton(S.XLSX)
        self.xlsx_button.setObjectName("report_xlsx")
        self.pdf_button = QPushButton(S.PDF)
        self.pdf_button.setObjectName("report_pdf")
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for widget in (self.year, self.month, self.quarter, self.start, self.end):
            signal = widget.valueChanged if isinstance(widget, QSpinBox) else (
                widget.dateChanged if isinstance(widget, QDateEdit) else widget.currentIndexChanged)
            signal.connect(self.refresh)
        self.show_button.clicked.connect(self.refresh)
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        picker = QHBoxLayout()
        picker.addWidget(QLabel(S.KIND))
        for widget in (self.kind, self.month, self.quarter, self.year, self.from_label, self.start, self.to_label,
                       self.end, self.show_button):
            picker.addWidget(widget)
        picker.addStretch(1)
        picker.addWidget(self.xlsx_button)
        picker.addWidget(self.pdf_button)

        self.period_label = QLabel()
        self.period_label.setObjectName("report_period")
        self.headline = QLabel()
        self.headline.setObjectName("report_headline")
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        enlarge(self.headline, 1.25)
        self.messages = MessageBar()
        self.figures = read_only_table(S.FIGURE_COLUMNS, 0, "report_figures", striped=True)
        self.figures.setMinimumWidth(430)
        self.chart = WeeklyChart()
        self.by_field = read_only_table(S.GROUP_COLUMNS, 0, "report_by_field", striped=True)
        self.by_procedure = read_only_table(S.PROC_COLUMNS, 1, "report_by_procedure", striped=True)
        self.groups = QTabWidget()
        self.groups.addTab(self.by_field, S.BY_FIELD)
        self.groups.addTab(self.by_procedure, S.BY_PROCEDURE)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.chart)
        right.addWidget(self.groups)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.figures)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([470, 800])
        heading_row = QHBoxLayout()
        title = heading_label(S.HEADING)
        heading_row.addWidget(title)
        heading_row.addWidget(self.period_label)
        heading_row.addStretch(1)
        heading_row.addWidget(self.headline)
        column = QVBoxLayout(self)
        column.addLayout(picker)
        column.addLayout(heading_row)
        column.addWidget(self.messages)
        column.addWidget(split, 1)
        self._kind_changed(MONTH)

    # --- the period -------------------------------------------------------------------------------

    def set_period(self, kind: int, *, year: int | None = None, month: int | None = None,
                   quarter: int | None = None, start: date | None = None, end: date | None = None) -> None:
        for widget in (self.kind, self.year, self.month, self.quarter, self.start, self.end):
            widget.blockSignals(True)
        self.kind.setCurrentIndex(kind)
        if year is not None:
            self.year.setValue(year)
        if month is not None:
            self.month.setCurrentIndex(month - 1)
        if quarter is not None:
            self.quarter.setCurrentIndex(quarter - 1)
        if start is not None:
            self.start.setDate(QDate(start.year, start.month, start.day))
        if end is not None:
            self.end.setDate(QDate(end.year, end.month, end.day))
        for widget in (self.kind, self.year, self.month, self.quarter, self.start, self.end):
            widget.blockSignals(False)
        self._kind_changed(kind)

    def period(self) -> tuple[date, date]:
        s, e = self.start.date(), self.end.date()
        return period(self.kind.currentIndex(), self.year.value(), self.month.currentIndex() + 1,
                      self.quarter.currentIndex() + 1, date(s.year(), s.month(), s.day()),
                      date(e.year(), e.month(), e.day()))

    def _kind_changed(self, kind: int) -> None:
        self.month.setVisible(kind == MONTH)
        self.quarter.setVisible(kind == QUARTER)
        self.year.setVisible(kind != RANGE)
        for widget in (self.from_label, self.start, self.to_label, self.end):
            widget.setVisible(kind == RANGE)
        self.refresh()

    # --- figures ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        a, b = self.period()
        self.period_label.setText(S.PERIOD.format(a=a, b=b))
        self.headline.setText(S.LOADING)
        self.client.call(lambda d: desk_admin.report(d, a, b), self.show_report, self._error, key="report")

    def show_report(self, report: Report) -> None:
        self.report = report
        if self.messages.level == "error":
            self.messages.clear()
        self.headline.setText(S.HEADLINE.format(received=number(report.received), resolved=number(report.resolved),
                                                rate=percent(report.qd766_on_time_rate)))
        rows = []
        for label, n, rate in report.figures:
            top = not label.startswith(" ")
            rows.append((table_item(label.strip() if top else "      " + label.strip(), bold=top),
                         table_item(number(n), right=True, bold=top),
                         table_item("" if rate is None else percent(rate), right=True)))
        fill_table(self.figures, rows)
        self._groups(self.by_field, report.by_field, with_name=False)
        self._groups(self.by_procedure, report.by_procedure, with_name=True)
        self.chart.set_weeks(report.weeks)

    def _groups(self, table: QTableWidget, rows: list[GroupRow], *, with_name: bool) -> None:
        shown = []
        for r in rows:
            names = [r.key] + ([r.name] if with_name else [])
            values = [number(v) for v in (r.received, r.resolved, r.early, r.on_time, r.late)] + [percent(r.ok_rate)]
            shown.append([*names, *(table_item(v, right=True) for v in values)])
        fill_table(table, shown)

    def figure(self, label: str) -> str:
        """The count shown on the row of that label (tests, and what the officer reads)."""
        for i in range(self.figures.rowCount()):
            if self.figures.item(i, 0).text().strip() == label:
                return self.figures.item(i, 1).text()
        raise KeyError(label)

    # --- exports ----------------------------------------------------------------------------------

    def export(self, ext: str) -> None:
        a, b = self.period()
        title, filters = ((S.SAVE_XLSX, "Excel (*.xlsx)") if ext == "xlsx" else (S.SAVE_PDF, "PDF (*.pdf)"))
        suggested = str(Path.home() / S.FILE_NAME.format(a=a, b=b, ext=ext))
        path = self.interaction.save_file(self, title, suggested, filters)
        if not path:
            return
        if not path.lower().endswith("." + ext):
            path += "." + ext
        self.messages.show_message(S.EXPORTING.format(name=Path(path).name))
        for button in (self.xlsx_button, self.pdf_button):
            button.setEnabled(False)
        self.client.call(lambda d: desk_admin.export_report(d, a, b, path), self._exported, self._export_failed)

    def _exported(self, result: tuple[Path, int]) -> None:
        path, n = result
        self.exported = path
        for button in (self.xlsx_button, self.pdf_button):
            button.setEnabled(True)
        self.messages.show_message(S.EXPORTED.format(path=path, n=n), "success")

    def _export_failed(self, error: Exception) -> None:
        for button in (self.xlsx_button, self.pdf_button):
            button.setEnabled(True)
        self._error(error)

    def _error(self, error: Exception) -> None:
        self.headline.setText("")
        self.messages.show_message(error.message if isinstance(error, UserError)
                                   else f"{type(error).__name__}: {error}", "error")


__all__ = ["MONTH", "QUARTER", "RANGE", "YEAR", "ReportView", "period"]
