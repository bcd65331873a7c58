"""The report screen on a store whose counts are known (tests/unit/test_statistics.py's March)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from tests.ui.test_login import add_account, admin_window, log_in, logged_in_tools
from tests.unit.test_statistics import march  # noqa: F401 - the fixture
from ui.admin.install import tools_of
from ui.views.report_view import MONTH, QUARTER, RANGE, YEAR, period


def test_periods() -> None:
    assert period(MONTH, 2026, 2, 1, date.min, date.min) == (date(2026, 2, 1), date(2026, 2, 28))
    assert period(QUARTER, 2026, 1, 4, date.min, date.min) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period(YEAR, 2024, 1, 1, date.min, date.min) == (date(2024, 1, 1), date(2024, 12, 31))
    assert period(RANGE, 0, 0, 0, date(2026, 3, 5), date(2026, 3, 9)) == (date(2026, 3, 5), date(2026, 3, 9))


def test_the_march_figures_and_an_xlsx_export(qtbot, march, open_window, answers, tmp_path: Path) -> None:  # noqa: ANN001, F811
    window, tools = logged_in_tools(qtbot, open_window, march, "ld.binh", "leader", "Phạm Văn Bình")
    tools.act_reports.trigger()
    view = tools.report_view
    assert window.tabs.currentWidget() is view
    view.set_period(MONTH, year=2026, month=3)
    qtbot.waitUntil(lambda: view.report is not None and view.report.date_from == date(2026, 3, 1), timeout=15_000)
    expected = {"Tiếp nhận trong kỳ": "8", "trong đó: Trực tiếp": "7", "trong đó: Trực tuyến": "1",
                "Kỳ trước chuyển sang": "2", "Từ chối tiếp nhận": "1", "Đã giải quyết": "3", "Trước hạn": "1",
                "Đúng hạn": "1", "Rút hồ sơ": "1", "Dừng giải quyết": "1", "Đã trả kết quả": "1",
                "Đang giải quyết cuối kỳ": "5", "Trong hạn": "3", "Chờ bổ sung hồ sơ": "1",
                "Đến hạn trong 24 giờ": "1", "Thời gian giải quyết trung bình (ngày làm việc)": "4"}
    for label, value in expected.items():
        assert view.figure(label) == value, label
    rates = {view.figures.item(i, 0).text().strip(): view.figures.item(i, 2).text()
             for i in range(view.figures.rowCount())}
    assert rates["Trước hạn"] == "33,3%" and rates["Tỷ lệ đúng hạn (QĐ 766, chỉ số 2.1)"] == "62,5%"
    assert "62,5%" in view.headline.text() and "<b>8</b>" in view.headline.text()
    assert view.by_field.item(0, 0).text() == "Thử nghiệm" and view.by_field.item(0, 1).text() == "8"
    assert view.by_procedure.item(0, 0).text() == "9.000003"
    weeks = {w: (r, d) for w, r, d, _ in view.chart.weeks}
    assert weeks[date(2026, 3, 2)] == (4, 3)
    assert not view.chart.grab().isNull()

    target = tmp_path / "bao-cao-thang-3"
    answers.save_file = lambda parent, title, suggested, filters: str(target)  # noqa: ARG005
    view.xlsx_button.click()
    qtbot.waitUntil(lambda: view.exported is not None, timeout=20_000)
    assert view.exported == tmp_path / "bao-cao-thang-3.xlsx"
    book = load_workbook(view.exported)
    figures = {row[0].strip(): row[1] for row in book["Thống kê"].iter_rows(min_row=3, values_only=True) if row[0]}
    assert figures["Tiếp nhận trong kỳ"] == 8 and figures["Kỳ trước chuyển sang"] == 2
    assert "Đã ghi báo cáo" in view.messages.text()


def test_a_custom_range_backwards_says_so(qtbot, march, open_window) -> None:  # noqa: ANN001, F811
    add_account(march, "admin", "admin")
    window = admin_window(open_window, march)
    log_in(qtbot, window, "admin")
    tools_of(window).act_reports.trigger()
    view = tools_of(window).report_view
    view.set_period(RANGE, start=date(2026, 3, 31), end=date(2026, 3, 1))
    qtbot.waitUntil(lambda: view.messages.level == "error", timeout=10_000)
    assert "sau ngày kết thúc" in view.messages.text()


def test_an_officer_has_no_report_tab(qtbot, march, open_window) -> None:  # noqa: ANN001, F811
    add_account(march, "cb.an", "officer")
    window = admin_window(open_window, march)
    log_in(qtbot, window, "cb.an")
    tools_of(window).show_reports()
    assert tools_of(window).report_view is None
