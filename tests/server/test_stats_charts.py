"""The statistics page's charts say each figure as its tables do (district_server/web/chart.py)."""

from __future__ import annotations

import re
from datetime import date

from counter_app.services.digitisation_stats import Digitisation
from counter_app.services.statistics import Statistics
from district_server.web.pages_stats import outcome_chart, rate_chart
from district_server.web.templates import templates

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _bars(svg: str, chart: str) -> dict[str, tuple[str, float]]:
    """label -> (the number written on the bar, the bar's width), from the wide drawing."""
    drawing = re.search(rf'<svg[^>]* id="{chart}".*?</svg>', svg, re.S).group(0)  # type: ignore[union-attr]
    return {m["label"]: (m["shown"], float(m["width"])) for m in re.finditer(
        r'<g class="bar" data-label="(?P<label>[^"]+)".*?<rect [^>]*width="(?P<width>[\d.]+)".*?'
        r'<text class="value"[^>]*>(?P<shown>[^<]+)</text>', drawing, re.S)}


def test_an_office_with_nothing_to_rate_gets_a_dash_and_no_bar_not_zero_percent() -> None:
    done = Statistics(*YEAR, resolved=2, early=1, on_time=0, late=1)  # 1 of 2 on time: 50,0 %
    idle = Statistics(*YEAR)  # nothing resolved, nothing in process: no rate at all
    rate = templates.env.filters["rate"]
    bars = _bars(rate_chart([("UBND xã A", done, Digitisation()), ("UBND xã B", idle, Digitisation())]), "rates")
    assert bars["UBND xã A"][0] == f"{rate(done.qd766_on_time_rate)} %" == "50,0 %"  # as the table writes it
    assert bars["UBND xã B"] == (rate(idle.qd766_on_time_rate), 0.0) == ("—", 0.0)


def test_the_outcome_chart_writes_counts_with_thousands_points() -> None:
    bars = _bars(outcome_chart(Statistics(*YEAR, received=12345, early=7), "Năm 2026"), "outcomes")
    assert bars["Tiếp nhận trong kỳ"][0] == "12.345" and bars["Giải quyết trước hạn"][0] == "7"
