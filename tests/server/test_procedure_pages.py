"""The procedures made public on the district server (/thu-tuc): what a poster's QR opens, on
SQLite and PostgreSQL. The district publishes a catalogue, a counter takes it in the way a pull
does, and the page of each procedure must say what that counter's poster says."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from counter_app.db.store import Store
from counter_app.domain.text import fold
from counter_app.domain.vn_time import vn_short_date
from counter_app.papers.posters import fee_text
from counter_app.papers.slip import SlipDocument, document_text, working_time_text
from counter_app.services import catalogue, posters, settings
from counter_app.services.catalogue import ProcedureSpec
from counter_app.services.office import init_office
from counter_app.sync.engine import KEY_SERVER
from district_server import admin
from district_server.app import create_app
from district_server.database import Database
from tests.conftest import AGENCY
from tests.server.web_helpers import OTHER_AGENCY, text_of

# A procedure with no papers listed and only an amount for its fee: the page words both as the poster does.
EXTRA = {"code": "2.000999", "name": "Thủ tục xác nhận thử của huyện", "field": "Hộ tịch", "working_days": 1.5,
         "fee": "", "fee_amount": 20000, "documents": []}


@dataclass
class District:
    db: Database
    counter: Store  # holds what the district published, as after a pull
    published: list[ProcedureSpec]


@pytest.fixture(scope="module")
def district(module_db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[District]:
    records = [s.to_dict() for s in catalogue.load_shipped_catalogue()] + [EXTRA]
    admin.publish_catalogue(module_db, records, note="danh mục của huyện")
    # Published later, for one other office only: not what the public pages of the district show.
    admin.publish_catalogue(module_db, records[:3], agency_code=OTHER_AGENCY)
    published = catalogue.parse_procedures([(str(i), r) for i, r in enumerate(records, 1)])
    store = Store.open(tmp_path_factory.mktemp("counter"))
    with store.write() as session:
        init_office(session, agency_code=AGENCY, agency_name="UBND xã Bình Mỹ", place="Bình Mỹ", counter=0)
        catalogue.import_procedures(session, published)  # what sync/engine.py does with a publication
        settings.put(session, KEY_SERVER, "http://testserver")
    yield District(module_db, store, published)
    store.close()


@pytest.fixture
def client(district: District) -> Iterator[TestClient]:
    with TestClient(create_app(district.db), follow_redirects=False) as c:
        yield c


def _links(page: str) -> list[str]:
    return re.findall(r'href="/thu-tuc/([^"]+)"', page)


def test_every_procedures_page_shows_the_same_papers_time_and_fee_as_the_published_catalogue(
        district: District, client: TestClient) -> None:
    assert len(district.published) == 41
    for spec in district.published:
        page = client.get(f"/thu-tuc/{spec.code}")
        assert page.status_code == 200, spec.code
        text = text_of(page.text)
        assert spec.name in text and spec.field in text and spec.code in text
        assert f"Thời hạn giải quyết {working_time_text(spec.working_days)}" in text
        assert f"Phí, lệ phí {fee_text(spec)}" in text
        papers = [text_of(p).strip() for p in re.findall(r"<li><label>(.*?)</label></li>", page.text, re.S)]
        assert papers == [document_text(0, SlipDocument(d.name, d.form, d.count))[1] for d in spec.documents]
        assert "<script" not in page.text.lower()
    extra = text_of(client.get(f"/thu-tuc/{EXTRA['code']}").text)
    assert "1,5 ngày làm việc" in extra and "20.000 đồng" in extra
    assert "Danh mục chưa ghi giấy tờ cần nộp" in extra


def test_the_address_a_posters_qr_encodes_opens_that_procedures_page_with_the_posters_version(
        district: District, client: TestClient) -> None:
    with district.counter.read() as session:
        url = posters.procedure_url(posters.site_address(session), "1.001193")
        stamp = catalogue.catalogue_stamp(session)
    assert url == "http://testserver/thu-tuc/1.001193"
    page = client.get(url)
    assert page.status_code == 200 and "Thủ tục đăng ký khai sinh" in text_of(page.text)
    # The same catalogue on the counter and on the server: the poster's version is the page's.
    assert f"Danh mục thủ tục phiên bản {stamp.version}, cập nhật ngày {vn_short_date(stamp.updated)}." \
        in text_of(page.text)


def test_the_list_finds_ho_tich_typed_without_marks_and_filters_by_field(district: District,
                                                                          client: TestClient) -> None:
    ho_tich = {s.code for s in district.published if s.field == "Hộ tịch"}
    assert len(ho_tich) == 15
    found = client.get("/thu-tuc", params={"q": "ho tich"})
    assert found.status_code == 200
    assert set(_links(found.text)) == ho_tich and "15 thủ tục" in text_of(found.text)
    field = client.get("/thu-tuc", params={"linh-vuc": "ho tich"})
    assert set(_links(field.text)) == ho_tich
    both = client.get("/thu-tuc", params={"q": "khai sinh", "linh-vuc": "Hộ tịch"})
    assert _links(both.text) and all("khai sinh" in fold(district_name(district, c)) for c in _links(both.text))
    every = client.get("/thu-tuc")
    assert len(_links(every.text)) == 41 and "<h2>Chứng thực</h2>" in every.text
    nothing = client.get("/thu-tuc", params={"q": "xyz khong co"})
    assert nothing.status_code == 200 and "Không có thủ tục nào khớp 'xyz khong co'" in text_of(nothing.text)


def district_name(district: District, code: str) -> str:
    return next(s.name for s in district.published if s.code == code)


@pytest.mark.parametrize("code", ["9.999999", "x" * 5000, "' OR 1=1 --", "%00", "Nguyễn", "1.001193.."])
def test_an_unknown_code_gets_a_vietnamese_not_found_page(client: TestClient, code: str) -> None:
    page = client.get(f"/thu-tuc/{code}")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Không có thủ tục mã" in page.text and "Xem mọi thủ tục" in page.text
    assert page.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(("params", "fragment"), [({"linh-vuc": "Thiên văn"}, "Không có lĩnh vực 'Thiên văn'"),
                                                 ({"q": "x" * 101}, "dài quá 100 ký tự")])
def test_a_bad_search_gets_a_clear_message(client: TestClient, params: dict, fragment: str) -> None:
    page = client.get("/thu-tuc", params=params)
    assert page.status_code == 400 and fragment in text_of(page.text)
    assert "Traceback" not in page.text


def test_with_nothing_published_the_shipped_catalogue_shows_until_the_district_publishes_one(
        server_db: Database) -> None:
    shipped = catalogue.load_shipped_catalogue()
    with TestClient(create_app(server_db)) as c:
        first = c.get("/thu-tuc/1.001193")
        assert first.status_code == 200 and "Thủ tục đăng ký khai sinh" in first.text
        assert first.headers["cache-control"].startswith("public")
        assert f"phiên bản {catalogue.catalogue_version(shipped)}." in text_of(first.text)
        tag = first.headers["etag"]
        assert c.get("/thu-tuc/1.001193", headers={"If-None-Match": tag}).status_code == 304
        assert c.get("/thu-tuc", headers={"If-None-Match": tag}).status_code == 304
        changed = [{**s.to_dict(), "fee": "Lệ phí mới 15.000 đồng"} if s.code == "1.001193" else s.to_dict()
                   for s in shipped]
        admin.publish_catalogue(server_db, changed)
        again = c.get("/thu-tuc/1.001193", headers={"If-None-Match": tag})
        assert again.status_code == 200 and again.headers["etag"] != tag
        assert "Lệ phí mới 15.000 đồng" in again.text


def test_a_published_procedure_with_a_very_long_name_gets_its_page_and_the_shipped_ones_go(
        server_db: Database) -> None:
    long_name = "Thủ tục " + "rất dài " * 60
    admin.publish_catalogue(server_db, [{**EXTRA, "name": long_name}])
    with TestClient(create_app(server_db)) as c:
        page = c.get(f"/thu-tuc/{EXTRA['code']}")
        assert page.status_code == 200 and " ".join(long_name.split()) in text_of(page.text)
        assert c.get("/thu-tuc/1.001193").status_code == 404  # the published catalogue, not the shipped one
