"""The register (Mẫu 07) and the statistics as a workbook: what the leader prints or sends on."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlmodel import Session

from counter_app.atomic_file import write_atomically
from counter_app.domain.channels import CHANNELS
from counter_app.domain.vn_time import to_vn
from counter_app.errors import UserError
from counter_app.services import digitisation_stats, statistics
from counter_app.services.office import require_office


def _local(dt: datetime | None) -> datetime | None:
    # Excel has no time zones: write Vietnam wall-clock time as a real date value.
    return to_vn(dt).replace(tzinfo=None) if dt else None


def write_xlsx(session: Session, date_from: date, date_to: date, path: Path) -> int:
    """Register + statistics in one workbook; returns the number of register rows."""
    from counter_app.papers import workbook as xl

    office = require_office(session)
    stats = statistics.compute(session, date_from, date_to)
    from counter_app.services import papers

    rows = papers.register_entries(session, date_from, date_to)  # one register: the PDF's rows and numbers
    weeks = statistics.weekly_series(session, date_from, date_to)
    title = f"từ {date_from:%d/%m/%Y} đến {date_to:%d/%m/%Y}"

    reg = xl.Sheet("Sổ theo dõi hồ sơ", freeze="C3", auto_filter=f"A2:N{len(rows) + 2}")
    reg.append([f"SỔ THEO DÕI HỒ SƠ — {office.office_name} — {office.agency_name} — {title}"], xl.TITLE)
    reg.append(["STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng (bộ)", "Họ tên người nộp", "Địa chỉ",
                "Số điện thoại", "Ngày nhận hồ sơ", "Ngày hẹn trả", "Ngày trả kết quả", "Bên giao kết quả",
                "Bên nhận kết quả", "Người tiếp nhận", "Ghi chú"], xl.HEADER_WRAPPED)
    reg.rows += [[r.number, r.code, r.procedure_name, r.sets, r.applicant_name, r.address, r.phone,
                  _local(r.received_at), _local(r.due_at), _local(r.returned_at), r.handed_by, r.recipient,
                  r.officer, r.note] for r in rows]
    reg.widths = dict(zip("ABCDEFGHIJKLMN", (6, 27, 50, 9, 24, 36, 13, 16, 16, 16, 22, 16, 14, 24), strict=True))

    st = xl.Sheet("Thống kê", widths={"A": 48, "B": 12, "C": 12})
    st.append([f"THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ — {title}"], xl.TITLE)
    st.append(["Chỉ tiêu", "Số hồ sơ", "Tỷ lệ (%)"], xl.HEADER)
    st.rows += [list(row) for row in figures(stats, digitisation_stats.digitisation(session, date_from, date_to))]

    sheets = [reg, st]
    for sheet_name, groups, names in (("Theo thủ tục", stats.by_procedure, stats.procedure_names),
                                      ("Theo lĩnh vực", stats.by_field, {})):
        sh = xl.Sheet(sheet_name, widths={"A": 22, "B": 60}, freeze="A2")
        sh.append(["Mã" if names else "Lĩnh vực", "Tên thủ tục" if names else "", "Tiếp nhận", "Đã giải quyết",
                   "Trước hạn", "Đúng hạn", "Quá hạn", "Tỷ lệ trước và đúng hạn (%)"], xl.HEADER)
        sh.rows += [[key, names.get(key, ""), o.received, o.resolved, o.early, o.on_time, o.late,
                     o.rate(o.early + o.on_time)] for key, o in groups.items()]
        sheets.append(sh)

    wk = xl.Sheet("Theo tuần", widths={"A": 14})
    wk.append(["Tuần bắt đầu", "Tiếp nhận", "Đã giải quyết", "Tỷ lệ trước và đúng hạn (%)"], xl.HEADER)
    wk.rows += [[week, received, resolved, rate] for week, received, resolved, rate in weeks]
    sheets.append(wk)
    try:
        xl.save(sheets, path)
    except (PermissionError, FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise UserError(f"Không ghi được tệp '{path}': thư mục không tồn tại hoặc không có quyền ghi.") from None
    return len(rows)


def figures(stats: statistics.Statistics, digitised: digitisation_stats.Digitisation | None = None,
            ) -> list[tuple[str, float | int | None, float | None]]:
    """The statistics rows, in the order both the workbook and the PDF print them; the digitisation
    indicators last (docs/digitisation.md) when given."""
    return [
        ("Tiếp nhận trong kỳ", stats.received, None),
        *((f"  trong đó: {CHANNELS.get(ch, ch)}", n, None) for ch, n in sorted(stats.received_by_channel.items())),
        ("Kỳ trước chuyển sang", stats.carried_over, None),
        ("Từ chối tiếp nhận", stats.refused, None),
        ("Đã giải quyết", stats.resolved, None),
        ("  Trước hạn", stats.early, stats.early_rate),
        ("  Đúng hạn", stats.on_time, stats.on_time_rate),
        ("  Quá hạn", stats.late, stats.late_rate),
        ("Rút hồ sơ", stats.withdrawn, None),
        ("Dừng giải quyết", stats.stopped, None),
        ("Đã trả kết quả", stats.returned, None),
        ("Đang giải quyết cuối kỳ", stats.in_process, None),
        ("  Trong hạn", stats.in_process_within, None),
        ("  Quá hạn", stats.in_process_overdue, None),
        ("  Chờ bổ sung hồ sơ", stats.waiting_supplement, None),
        ("  Đến hạn trong 24 giờ", stats.due_within_24h, None),
        ("Tỷ lệ đúng hạn (QĐ 766, chỉ số 2.1)", None, stats.qd766_on_time_rate),
        ("Thời gian giải quyết trung bình (ngày làm việc)", stats.average_working_days, None),
        *((f"Đánh giá: {name}", stats.ratings.get(k, 0), None) for k, name in statistics.rating_labels().items()),
        *(_digitisation_rows(digitised) if digitised is not None else ()),
    ]


def shown_figure(value: float | int | None) -> str:
    """A report's figure as Vietnamese writes it, decimal comma and all (66,7; 50,0), on the counter's
    report page and the district's statistics page alike; empty when there is none."""
    return "" if value is None else str(value).replace(".", ",")


def _digitisation_rows(d: digitisation_stats.Digitisation) -> list[tuple[str, int, float | None]]:
    return [(digitisation_stats.INTAKE_LABEL, d.fully_digitised, d.intake_rate),
            (digitisation_stats.RESULT_LABEL, d.results_digitised, d.result_rate)]


def write_pdf(session: Session, date_from: date, date_to: date, path: Path) -> int:
    """A statistics page, then the register (Mẫu 07) for the range; returns the register's rows."""
    import io

    from pypdf import PdfReader, PdfWriter

    from counter_app.papers.statistics_page import StatisticsPage, render_statistics
    from counter_app.services import papers

    office = require_office(session)
    stats = statistics.compute(session, date_from, date_to)
    rows = papers.register_entries(session, date_from, date_to)
    register = papers.register_pdf(session, date_from, date_to)

    page = StatisticsPage(
        office.agency_name, office.office_name, f"từ {date_from:%d/%m/%Y} đến {date_to:%d/%m/%Y}",
        tuple((label_, shown_figure(n), shown_figure(rate)) for label_, n, rate in
              figures(stats, digitisation_stats.digitisation(session, date_from, date_to))),
        tuple((name, o.received, o.resolved, o.early, o.on_time, o.late) for name, o in stats.by_field.items()),
    )
    writer = PdfWriter()
    for part in (render_statistics(page), register):
        for pdf_page in PdfReader(io.BytesIO(part)).pages:
            writer.add_page(pdf_page)
    writer.add_metadata({"/Title": f"Báo cáo {page.period}", "/Author": office.office_name})
    out = io.BytesIO()
    writer.write(out)
    write_atomically(out.getvalue(), path)
    return len(rows)
