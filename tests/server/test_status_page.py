"""The citizen's status page (/tra-cuu): what a slip's QR opens, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from counter_app.domain.ids import new_id
from counter_app.domain.statuses import label
from district_server import ingest
from district_server.app import create_app
from district_server.auth import add_device
from district_server.database import Database
from tests.conftest import AGENCY
from tests.server.helpers import intake_many, outbox_payloads
from tests.server.web_helpers import Site, text_of


@pytest.fixture
def site(web_site: Site) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The module's district (conftest.web_site), with a fresh app each test: its own rate limits."""
    with TestClient(create_app(web_site.db), follow_redirects=False) as client:
        yield client, {"ready": web_site.code["ready"], "waiting": web_site.code["received"]}


def test_a_name_with_a_nul_a_counter_sent_is_stored_and_shown_without_it(server_db: Database, counter0) -> None:  # noqa: ANN001
    (did,) = intake_many(counter0, 1)
    (intake,) = outbox_payloads(counter0)
    intake["dossier"]["applicant"]["full_name"] = "Lê\x00 Văn Tám"
    result = ingest.ingest(server_db, add_device(server_db, AGENCY, 0)[0], new_id(), [intake])
    assert result.results[0].result == "stored", result.results  # PostgreSQL takes no NUL in a text column
    with TestClient(create_app(server_db)) as client:
        page = client.get(f"/tra-cuu/{intake['dossier']['code']}")
    assert page.status_code == 200 and "Lê V. T." in text_of(page.text)


def test_a_citizen_reads_the_status_of_a_slip_with_the_name_masked(site) -> None:  # noqa: ANN001
    client, code = site
    page = client.get(f"/tra-cuu/{code['waiting']}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = text_of(page.text)
    assert "Nguyễn V. Đ." in text and "Thủ tục thử ba ngày" in text
    assert label(2) in text and "Chưa có kết quả." in text
    for personal in ("Nguyễn Văn Đức", "001090123456", "0912345678", "Thôn Đông", "1990"):
        assert personal not in page.text
    assert "<script" not in page.text.lower()
    ready = text_of(client.get(f"/tra-cuu/{code['ready']}").text)
    assert label(9) in ready and "Đã có kết quả — mời đến bộ phận một cửa nhận" in ready


def test_a_code_nobody_holds_answers_like_one_that_is_held(site) -> None:  # noqa: ANN001
    client, code = site
    held = client.get(f"/tra-cuu/{code['waiting']}")
    missing_code = code["waiting"][:-4] + "0999"
    missing = client.get(f"/tra-cuu/{missing_code}")
    assert missing.status_code == held.status_code == 200
    assert 'id="status"' in missing.text and missing_code in missing.text
    assert "Chưa tìm thấy hồ sơ" in missing.text and "Nguyễn" not in missing.text
    assert sorted(missing.headers.keys()) == sorted(held.headers.keys())


@pytest.mark.parametrize("typed", ["abc", "000.00.20.H12-261302-0001", "000.00.20.H12-261202-1000",
                                   "' OR 1=1 --", "x" * 5000, "%00", "Nguyễn"])
def test_a_mistyped_code_gets_a_vietnamese_message_and_nothing_else(site, typed: str) -> None:  # noqa: ANN001
    client, _code = site
    page = client.get(f"/tra-cuu/{typed}")
    assert page.status_code == 400
    assert "không đúng dạng" in page.text and "Traceback" not in page.text
    form = client.get("/tra-cuu", params={"ma": typed})
    assert form.status_code == 400 and "không đúng dạng" in form.text


def test_the_form_opens_the_same_address_as_the_slips_qr(site) -> None:  # noqa: ANN001
    client, code = site
    assert "Tra cứu tình trạng hồ sơ" in client.get("/tra-cuu").text
    sent = client.get("/tra-cuu", params={"ma": f"  {code['ready'].lower()} "})
    assert sent.status_code == 303 and sent.headers["location"] == f"/tra-cuu/{code['ready']}"
    empty = client.get("/tra-cuu", params={"ma": " "})
    assert empty.status_code == 400 and "Hãy nhập mã hồ sơ." in empty.text


def test_one_address_looking_up_too_many_codes_is_asked_to_wait(site) -> None:  # noqa: ANN001
    client, code = site
    from district_server.web.status_page import LOOKUPS_PER_MINUTE

    for _ in range(LOOKUPS_PER_MINUTE):
        assert client.get(f"/tra-cuu/{code['ready']}").status_code == 200
    refused = client.get(f"/tra-cuu/{code['ready']}")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "quá nhiều lần" in refused.text and "Nguyễn" not in refused.text

