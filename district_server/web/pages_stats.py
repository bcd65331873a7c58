"""Statistics per office and for the district, by month / quarter / year, with server-drawn SVG
charts and an XLSX export (docs/server-web.md "Statistics"). The figures and their labels are the
counter's (services/statistics.compute, services/reports.figures)."""

from __future__ import annotations

import io
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from counter_app import clock
from counter_app.domain.codes import normalise_agency_code
from counter_app.errors import UserError
from counter_app.services.digitisation_stats import Digitisation
from counter_app.services.reports import figures, shown_figure
from counter_app.services.statistics import Statistics
from district_server import staff
from district_server.database import Database
from district_server.web import stats, strings
from district_server.web.auth_web import BASE, WebError, client_of, need, page
from district_server.web.chart import PALETTE, Bar, bar_chart

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows_of(s: Statistics, d: Digitisation) -> list[tuple[str, Any, Any]]:
    # Satisfaction ratings are recorded at the counter and not sent with the dossier: left out here.
    return [f for f in figures(s, d) if not f[0].startswith("Đánh giá")]


def outcome_chart(s: Statistics, title: str) -> str:
    return bar_chart([
        Bar("Tiếp nhận trong kỳ", s.received, PALETTE[0]),
        Bar("Giải quyết trước hạn", s.early, PALETTE[1]),
        Bar("Giải quyết đúng hạn", s.on_time, PALETTE[2]),
        Bar("Giải quyết quá hạn", s.late, PALETTE[3]),
        Bar("Đang giải quyết trong hạn", s.in_process_within, PALETTE[4]),
        Bar("Đang giải quyết quá hạn", s.in_process_overdue, PALETTE[3]),
    ], title=title, chart_id="outcomes")


def rate_chart(per_office: list[tuple[str, Statistics, Digitisation]]) -> str:
    return bar_chart([Bar(a, s.qd766_on_time_rate, PALETTE[1]) for a, s, _ in per_office],
                     title="Tỷ lệ đúng hạn theo QĐ 766 (%) của từng đơn vị", figure=rate_figure, chart_id="rates")


def rate_figure(rate: float | None) -> str:
    """A rate as the statistics table writes it (50,0), with its sign; a dash when there is none."""
    return f"{shown_figure(rate)} %" if rate is not None else strings.NO_RATE


def router(db: Database) -> APIRouter:
    r = APIRouter()

    def read(request: Request) -> tuple[stats.Period, str | None]:
        q = request.query_params
        try:
            period = stats.parse_period(q.get("ky", "")[:10], q.get("nam", "")[:10], q.get("so", "")[:10],
                                        today=clock.now().date())
            office = normalise_agency_code(q["don_vi"][:20]) if q.get("don_vi") else None
        except UserError as exc:
            raise WebError(400, exc.message) from None
        return period, office

    @r.get(BASE + "/thong-ke", include_in_schema=False)
    async def overview(request: Request) -> Response:
        session = await need(db, request)
        period, office = read(request)

        def load() -> tuple[Statistics, Digitisation, list[tuple[str, Statistics]], dict[str, Digitisation]]:
            whole, per_office = stats.district_table(db, period)
            all_digitised, digitised = stats.digitisation_table(db, period)
            if office:
                alone = next((s for a, s in per_office if a == office), None) or stats.compute(db, period, office)
                return alone, digitised.get(office, Digitisation()), per_office, digitised
            return whole, all_digitised, per_office, digitised

        shown, shown_digitised, per_office, digitised = await run_in_threadpool(load)
        scope = office or "toàn huyện"
        shown_per_office = [(a, s, digitised.get(a, Digitisation())) for a, s in per_office]
        return page(request, "stats.html", session, period=period, office=office or "", kinds=stats.KINDS,
                    offices=[a for a, _ in per_office], rows=rows_of(shown, shown_digitised),
                    per_office=shown_per_office,
                    chart=outcome_chart(shown, f"{period.title} — {scope}"), rates=rate_chart(shown_per_office),
                    query=request.url.query)

    @r.get(BASE + "/thong-ke.xlsx", include_in_schema=False)
    async def export(request: Request) -> Response:
        session = await need(db, request, "export")
        period, _office = read(request)

        def build() -> bytes:
            whole, per_office = stats.district_table(db, period)
            all_digitised, digitised = stats.digitisation_table(db, period)
            with db.write() as conn:
                staff.record(conn, session.staff.username, "stats.export", period.title, client=client_of(request))
            return workbook(period, [("Toàn huyện", whole, all_digitised),
                                     *((a, s, digitised.get(a, Digitisation())) for a, s in per_office)])

        data = await run_in_threadpool(build)
        name = f"thong-ke-{period.kind}-{period.number}-{period.year}.xlsx"
        return Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                         "Cache-Control": "no-store"})

    return r


def _keyed(rows: list[tuple[str, Any, Any]]) -> dict[tuple[str, str], tuple[Any, Any]]:
    out: dict[tuple[str, str], tuple[Any, Any]] = {}
    heading = ""
    for label, n, p in rows:
        if not label.startswith(" "):
            heading = label
        out[(heading, label)] = (n, p)
    return out


def workbook(period: stats.Period, columns: list[tuple[str, Statistics, Digitisation]]) -> bytes:
    """One sheet: each figure a row, the district then each office a column (count, and % where
    the counter's report gives one)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    sh = wb.active
    sh.title = "Thống kê"
    sh.append([f"Thống kê hồ sơ — {period.title}"])
    sh["A1"].font = Font(bold=True, size=13)
    sh.append(["Chỉ tiêu", *[c for name, _, _ in columns for c in (name, "%")]])
    for cell in sh[2]:
        cell.font = Font(bold=True)
    # Offices differ in their rows (one per channel used): matched by label, "  Quá hạn" under
    # "Đã giải quyết" and under "Đang giải quyết" told apart by the heading above them.
    keyed = [_keyed(rows_of(s, d)) for _, s, d in columns]
    order = list(dict.fromkeys(k for rows in keyed for k in rows))
    for key in order:
        sh.append([key[1].strip(), *[v for rows in keyed for v in rows.get(key, (0, None))]])
    sh.column_dimensions["A"].width = 48
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
