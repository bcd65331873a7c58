"""The district's digitisation indicators (docs/server-web.md "Statistics", the definitions in
counter_app/services/digitisation_stats.py): counted from the file references the counters' sent
"digitised" events leave, they match what the counter itself reports for the same dossiers, on the
statistics page, per office and in its workbook. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
from dataclasses import asdict
from pathlib import Path

from fastapi.testclient import TestClient
from PIL import Image

from counter_app import clock
from counter_app.desk import Desk
from counter_app.desk_digitise import attach
from counter_app.services import digitisation_stats
from counter_app.services.reports import figures, shown_figure
from counter_app.services.statistics import Statistics
from district_server.app import create_app
from district_server.auth import add_device
from district_server.database import Database
from district_server.web import stats
from tests.conftest import AGENCY, clerk
from tests.server.helpers import intake_many, make_counter, move, outbox_payloads
from tests.server.web_helpers import ACCOUNTS, PASSWORD, log_in, push_all, quick_hashes


def _page() -> bytes:
    out = io.BytesIO()
    Image.new("L", (200, 280), "white").save(out, "JPEG")
    return out.getvalue()


def test_the_district_counts_the_dossiers_digitised_at_intake_and_the_results_kept_as_the_counter_does(
        server_db: Database, tmp_path: Path) -> None:
    counter = make_counter(tmp_path / "counter0", 0)
    try:
        whole, partly, none = intake_many(counter, 3)
        codes = {p["dossier_id"]: p["dossier"]["code"] for p in outbox_payloads(counter)}
        listed = len(outbox_payloads(counter)[0]["dossier"]["documents"])
        assert listed >= 2  # so "partly" is a real half-way case
        desk = Desk(counter, clerk())
        for component in range(1, listed + 1):
            attach(desk, codes[whole], [_page()], component=component)
        attach(desk, codes[whole], [_page()], component=1)  # a paper scanned again counts once
        attach(desk, codes[partly], [_page()], component=1)
        attach(desk, codes[none], [_page()], component=0)  # "giấy tờ khác" covers no checklist line
        for status in (4, 9):
            move(counter, whole, status)
            move(counter, partly, status)
        attach(desk, codes[whole], [_page()], result=True)
        push_all(server_db, counter, add_device(server_db, AGENCY, 0)[0])

        today = clock.now().date()
        period = stats.Period("thang", today.year, today.month)
        district, by_office = stats.digitisation_table(server_db, period)
        with counter.read() as session:
            own = digitisation_stats.digitisation(session, *period.bounds)
        assert asdict(own) == {"received": 3, "fully_digitised": 1, "resolved": 2, "results_digitised": 1}
        assert asdict(by_office[AGENCY]) == asdict(own) == asdict(district)
        assert (district.intake_rate, district.result_rate) == (33.3, 50.0)

        rows = figures(Statistics(*period.bounds), district)
        with TestClient(create_app(server_db), follow_redirects=False) as client, quick_hashes():
            from district_server import staff

            staff.add_staff(server_db, ACCOUNTS["leader"], "Lãnh đạo", "leader", PASSWORD)
            assert log_in(client, ACCOUNTS["leader"]).status_code == 303
            page = client.get("/quan-tri/thong-ke").text
            for label, n, rate in rows[-2:]:  # the counter report's last rows: the two indicators
                cells = f"<td>{label}</td><td class=\"num\">{n}</td><td class=\"num\">{shown_figure(rate)}</td>"
                assert cells in page, label
            office_row = {label: value for label, value in  # the office's row, each cell by its column's name
                          re.findall(r'<td class="num" data-label="([^"]*)">([^<]*)</td>', page)}
            shown = (office_row[f"{digitisation_stats.INTAKE_LABEL} (%)"],
                     office_row[f"{digitisation_stats.RESULT_LABEL} (%)"])
            assert shown == ("33,3", "50,0")
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(client.get("/quan-tri/thong-ke.xlsx").content)).active
            values = {row[0]: row[1:] for row in sheet.iter_rows(min_row=3, values_only=True)}
            assert values[rows[-2][0]][:4] == (1, 33.3, 1, 33.3)  # the district, then the office
            assert values[rows[-1][0]][:4] == (1, 50.0, 1, 50.0)
    finally:
        counter.close()
