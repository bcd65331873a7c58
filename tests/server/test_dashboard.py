"""The district staff dashboard (/quan-tri/) through its HTTP face: log-in, roles, CSRF, tokens,
dossiers, review, statistics and the audit of it all — on SQLite and PostgreSQL, one site per module."""

from __future__ import annotations

import io
import re
from dataclasses import astuple, fields
from datetime import date
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from counter_app import clock
from counter_app.services import statistics
from counter_app.services.accounts import WRONG_LOGIN
from counter_app.services.digitisation_stats import Digitisation
from counter_app.services.reports import figures
from counter_app.services.statistics import Statistics
from counter_app.sync.protocol import AuditHead
from district_server import audit_heads, auth, staff
from district_server.app import create_app
from district_server.database import Database
from district_server.schema import device, staff_audit
from district_server.web import stats
from district_server.web.auth_web import COOKIE
from district_server.web.pages_publications import publications
from tests.conftest import AGENCY
from tests.server.web_helpers import ACCOUNTS, PASSWORD, Site, csrf_of, log_in, quick_hashes, text_of


@pytest.fixture
def as_role(web_site: Site):  # noqa: ANN201 - a factory of logged-in clients
    clients: list[TestClient] = []

    def login(role: str) -> TestClient:
        client = TestClient(create_app(web_site.db), follow_redirects=False)
        clients.append(client)
        assert log_in(client, ACCOUNTS[role]).status_code == 303
        return client

    with quick_hashes():
        yield login
    for c in clients:
        c.close()


def _audited(db: Database, action: str) -> list[dict]:
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(staff_audit).where(staff_audit.c.action == action))]


def test_a_dashboard_page_asks_for_log_in_first_and_comes_back_after(web_site: Site) -> None:
    with TestClient(create_app(web_site.db), follow_redirects=False) as client, quick_hashes():
        first = client.get("/quan-tri/ho-so?q=nguyen")
        assert first.status_code == 303 and first.headers["location"].startswith("/quan-tri/dang-nhap?next=")
        form = client.get(first.headers["location"])
        assert 'name="next" value="/quan-tri/ho-so?q=nguyen"' in form.text
        sent = log_in(client, ACCOUNTS["leader"])
        cookie = sent.headers["set-cookie"]
        assert f"{COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert "Path=/quan-tri" in cookie
        assert client.get("/quan-tri/").status_code == 200


def test_a_wrong_password_says_nothing_of_which_part_and_the_account_waits_after_three(web_site: Site) -> None:
    with quick_hashes():
        staff.add_staff(web_site.db, "thu.sai", "Người gõ sai", "viewer", "mat-khau-that-1")
        with TestClient(create_app(web_site.db), follow_redirects=False) as client:
            unknown = log_in(client, "khong.co.ai", "bat-ky-mat-khau")
            assert unknown.status_code == 401 and WRONG_LOGIN in unknown.text
            for _ in range(3):
                wrong = log_in(client, "thu.sai", "sai-mat-khau-1")
                assert wrong.status_code == 401 and WRONG_LOGIN in wrong.text
            right_but_late = log_in(client, "thu.sai", "mat-khau-that-1")
            assert right_but_late.status_code == 401 and "thử lại sau" in right_but_late.text
            assert COOKIE not in right_but_late.headers.get("set-cookie", "")
    failed = [a for a in _audited(web_site.db, "login.failed") if a["username"] in ("thu.sai", "khong.co.ai")]
    assert len(failed) == 4 and _audited(web_site.db, "login.locked")


def test_one_address_trying_many_log_ins_is_asked_to_wait(web_site: Site) -> None:
    from district_server.web.auth_web import LOGINS_PER_WINDOW

    with TestClient(create_app(web_site.db), follow_redirects=False) as client, quick_hashes():
        for i in range(LOGINS_PER_WINDOW):
            assert log_in(client, f"doan.ten{i}", "x" * 9).status_code == 401
        refused = log_in(client, ACCOUNTS["admin"])
        assert refused.status_code == 429 and "đợi" in refused.text


def test_a_form_posted_without_its_session_token_is_refused_and_changes_nothing(web_site: Site, as_role) -> None:  # noqa: ANN001
    admin = as_role("admin")
    with web_site.db.engine.connect() as conn:
        before = conn.execute(sa.select(sa.func.count()).select_from(device)).scalar()
    for data in ({"agency_code": AGENCY, "counter": "5"}, {"agency_code": AGENCY, "counter": "5", "csrf": "gia-mao"}):
        refused = admin.post("/quan-tri/don-vi/cap-ma", data=data)
        assert refused.status_code == 403 and "Biểu mẫu đã cũ" in refused.text
    with web_site.db.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(device)).scalar() == before
    with TestClient(create_app(web_site.db), follow_redirects=False) as stranger:  # no log-in form first
        sent = stranger.post("/quan-tri/dang-nhap", data={"username": ACCOUNTS["admin"], "password": "x"})
        assert sent.status_code == 403 and COOKIE not in sent.headers.get("set-cookie", "")


def test_an_admin_issues_a_counter_token_shown_once_and_revokes_it(web_site: Site, as_role) -> None:  # noqa: ANN001
    admin = as_role("admin")
    page = admin.get("/quan-tri/don-vi")
    issued = admin.post("/quan-tri/don-vi/cap-ma", data={"csrf": csrf_of(page.text), "agency_code": "000.00.22.h12",
                                                          "counter": "3", "label": "Quầy 3 xã Bình An"})
    assert issued.status_code == 200 and "Mã chỉ hiện một lần" in issued.text
    token = issued.text.split('id="token">', 1)[1].split("<", 1)[0]
    dev = auth.authenticate(web_site.db, token)
    assert dev is not None and (dev.agency_code, dev.counter) == ("000.00.22.H12", 3)
    again = admin.get("/quan-tri/don-vi")
    assert token not in again.text and "000.00.22.H12" in again.text
    assert all(token not in a["detail_json"] for a in _audited(web_site.db, "token.issue"))
    asked = admin.post("/quan-tri/don-vi/thu-hoi", data={"csrf": csrf_of(again.text), "device_id": dev.id})
    assert "Thu hồi mã của máy quầy?" in asked.text and auth.authenticate(web_site.db, token) is not None
    revoked = admin.post("/quan-tri/don-vi/thu-hoi", data={"csrf": csrf_of(again.text), "device_id": dev.id,
                                                          "confirm": "1"})
    assert revoked.status_code == 200 and auth.authenticate(web_site.db, token) is None
    assert [a["target"] for a in _audited(web_site.db, "token.revoke")] == [dev.id]
    for bad in ({"agency_code": "huyen", "counter": "1"}, {"agency_code": AGENCY, "counter": "12"},
                {"agency_code": AGENCY, "counter": "x" * 5000}):
        refused = admin.post("/quan-tri/don-vi/cap-ma", data={"csrf": csrf_of(again.text), **bad})
        assert 400 <= refused.status_code < 500 and "Traceback" not in refused.text


def test_a_viewer_may_look_but_not_issue_tokens_resolve_or_export(web_site: Site, as_role) -> None:  # noqa: ANN001
    viewer = as_role("viewer")
    page = viewer.get("/quan-tri/don-vi")
    assert page.status_code == 200 and "Cấp mã cho một máy quầy" not in page.text
    token = csrf_of(page.text)
    for path, data in (("/quan-tri/don-vi/cap-ma", {"agency_code": AGENCY, "counter": "4"}),
                       (f"/quan-tri/kiem-tra/{web_site.review_id}/xu-ly", {}),
                       (f"/quan-tri/ho-so/{web_site.code['processing']}/trang-thai", {"status": "9"})):
        refused = viewer.post(path, data={"csrf": token, **data})
        assert refused.status_code == 403 and "vai trò 'Xem'" in text_of(refused.text)
    assert viewer.get("/quan-tri/thong-ke.xlsx").status_code == 403


def test_the_offices_page_shows_each_counters_audit_head_and_an_open_break_in_red_until_an_admin_resolves_it(
        web_site: Site, as_role) -> None:  # noqa: ANN001
    dev, db = web_site.device, web_site.db
    with db.write(dev.agency_code) as conn:  # what two pushes carry when the counter's newest entries were deleted
        audit_heads.record(db, conn, dev, AuditHead(seq=50, hash="a" * 64), "2026-12-01T02:00:00+00:00")
        audit_heads.record(db, conn, dev, AuditHead(seq=40, hash="b" * 64), "2026-12-02T02:00:00+00:00")
    (found,) = [b for b in audit_heads.breaks(db) if b["device_id"] == dev.id]
    viewer = as_role("viewer")
    seen = viewer.get("/quan-tri/don-vi").text
    head = seen.split(f'id="head-{dev.id}"', 1)[1].split("</td>", 1)[0]
    assert 'class="bad"' in head and "mục số 40, mã bbbbbbbbbbbb…" in text_of(head) and "1 chỗ đứt" in head
    card = seen.split(f'id="break-{found["id"]}"', 1)[1].split("</div>", 1)[0]
    assert found["message"] in text_of(card) and "mục số 40" in found["message"] and "xu-ly" not in card
    refused = viewer.post(f"/quan-tri/don-vi/nhat-ky/{found['id']}/xu-ly", data={"csrf": csrf_of(seen)})
    assert refused.status_code == 403
    admin = as_role("admin")
    page = admin.get("/quan-tri/don-vi")
    assert admin.post(f"/quan-tri/don-vi/nhat-ky/{found['id']}/xu-ly", data={"csrf": "x"}).status_code == 403
    assert audit_heads.breaks(db) == [found]  # refused: still open
    done = admin.post(f"/quan-tri/don-vi/nhat-ky/{found['id']}/xu-ly", data={"csrf": csrf_of(page.text)})
    assert done.status_code == 303 and done.headers["location"] == f"/quan-tri/don-vi?done={found['id']}"
    after = admin.get(done.headers["location"]).text
    assert f"Đã đánh dấu chỗ đứt nhật ký thao tác số {found['id']}" in text_of(after)
    assert f'id="break-{found["id"]}"' not in after
    assert 'class="bad"' not in after.split(f'id="head-{dev.id}"', 1)[1].split("</td>", 1)[0]
    assert [a["target"] for a in _audited(db, "audit_break.resolve")] == [str(found["id"])]
    again = admin.post(f"/quan-tri/don-vi/nhat-ky/{found['id']}/xu-ly", data={"csrf": csrf_of(page.text)})
    assert again.status_code == 404 and "đang mở" in text_of(again.text)


def test_a_leader_finds_a_dossier_by_code_folded_name_or_id_number_and_opens_it(web_site: Site, as_role) -> None:  # noqa: ANN001
    leader = as_role("leader")
    code = web_site.code["ready"]
    for query in (code, code[:-2], "Nguyễn Văn", "nguyen van duc", "NGUYEN VĂN ĐỨC", "001090123456"):
        found = leader.get("/quan-tri/ho-so", params={"q": query})
        assert found.status_code == 200 and code in found.text, query
    one = leader.get(f"/quan-tri/ho-so/{code}")
    text = text_of(one.text)
    assert "Nguyễn Văn Đức" in text and "Đã có kết quả" in text and "Thủ tục thử ba ngày" in text
    assert [a["target"] for a in _audited(web_site.db, "dossier.view")][-1] == code
    assert any(a["target"] == "********3456" for a in _audited(web_site.db, "dossier.search"))  # ID masked in the audit
    for odd in ("x", "%", "_", "\x00\x00", "' OR 1=1 --", "a" * 5000, "Trần"):
        page = leader.get("/quan-tri/ho-so", params={"q": odd})
        assert page.status_code in (200, 400) and "Traceback" not in page.text and code not in page.text
    missing = leader.get("/quan-tri/ho-so/000.00.20.H12-261202-0999")
    assert missing.status_code == 404 and "Không có hồ sơ mã" in missing.text


def test_the_district_names_each_step_of_a_history_with_the_counters_word(server_db: Database, tmp_path) -> None:  # noqa: ANN001
    from counter_app.domain import event_kinds
    from counter_app.services import workflow
    from district_server.auth import add_device
    from tests.conftest import clerk
    from tests.server.helpers import intake_many, make_counter, outbox_payloads
    from tests.server.web_helpers import push_all

    counter = make_counter(tmp_path / "counter0", 0)
    try:
        intake_many(counter, 1)
        (intake,) = outbox_payloads(counter)
        with counter.write() as session:
            workflow.hand_over(session, intake["dossier"]["code"], to_unit="Công chức tư pháp", actor=clerk())
        push_all(server_db, counter, add_device(server_db, AGENCY, 0)[0])
    finally:
        counter.close()
    with TestClient(create_app(server_db), follow_redirects=False) as viewer, quick_hashes():
        staff.add_staff(server_db, ACCOUNTS["viewer"], "Người xem", "viewer", PASSWORD)
        assert log_in(viewer, ACCOUNTS["viewer"]).status_code == 303
        page = viewer.get(f"/quan-tri/ho-so/{intake['dossier']['code']}").text
    steps = re.findall(r'data-label="Việc">([^<]*)<', page)
    assert steps == [event_kinds.label("intake"), event_kinds.label("handover")] == ["Tiếp nhận", "Bàn giao"]


def test_a_leader_moves_a_dossier_from_the_district_and_its_history_shows_it(web_site: Site, as_role) -> None:  # noqa: ANN001
    leader = as_role("leader")
    code = web_site.code["elsewhere"]  # another office's: the statistics test compares this one's with its counter
    page = leader.get(f"/quan-tri/ho-so/{code}")
    for bad in ("2", "11", "x", ""):
        refused = leader.post(f"/quan-tri/ho-so/{code}/trang-thai", data={"csrf": csrf_of(page.text), "status": bad})
        assert refused.status_code == 400, bad
    moved = leader.post(f"/quan-tri/ho-so/{code}/trang-thai", data={"csrf": csrf_of(page.text), "status": "9",
                                                                     "note": "Huyện đã ký"}, follow_redirects=True)
    text = text_of(moved.text)
    assert "Đã chuyển hồ sơ" in text and "Huyện đã ký" in text and "Huyện" in text
    assert _audited(web_site.db, "dossier.set_status")[-1]["target"] == code


def test_an_admin_sees_why_an_event_was_kept_aside_what_differs_and_resolves_it(web_site: Site, as_role) -> None:  # noqa: ANN001
    admin = as_role("admin")
    page = admin.get("/quan-tri/kiem-tra")
    case = page.text.split(f'id="review-{web_site.review_id}"', 1)[1].split("</section>", 1)[0]
    assert "sửa tay sau khi đã gửi" in case and "note" in case and "So với sự kiện cùng mã đã lưu" in case
    done = admin.post(f"/quan-tri/kiem-tra/{web_site.review_id}/xu-ly", data={"csrf": csrf_of(page.text)},
                      follow_redirects=True)
    assert done.status_code == 200 and f'id="review-{web_site.review_id}"' not in done.text
    assert "đã xử lý" in done.text
    again = admin.post(f"/quan-tri/kiem-tra/{web_site.review_id}/xu-ly", data={"csrf": csrf_of(page.text)})
    assert again.status_code == 404
    assert admin.post("/quan-tri/kiem-tra/abc/xu-ly", data={"csrf": csrf_of(page.text)}).status_code == 404
    assert [a["target"] for a in _audited(web_site.db, "review.resolve")] == [str(web_site.review_id)]


_COMPARED = ("received", "received_by_channel", "refused", "carried_over", "resolved", "early", "on_time", "late",
             "withdrawn", "stopped", "returned", "in_process", "in_process_within", "in_process_overdue",
             "waiting_supplement", "due_within_24h", "average_working_days")


def test_the_districts_figures_for_an_office_are_the_counters_own(web_site: Site) -> None:
    today = clock.now().date()
    for kind, number in (("thang", today.month), ("quy", (today.month - 1) // 3 + 1), ("nam", 1)):
        period = stats.Period(kind, today.year, number)
        server = stats.compute(web_site.db, period, AGENCY)
        with web_site.store.read() as session:
            counter = statistics.compute(session, *period.bounds)
        assert {f: getattr(server, f) for f in _COMPARED} == {f: getattr(counter, f) for f in _COMPARED}, kind
        assert server.qd766_on_time_rate == counter.qd766_on_time_rate
    assert counter.received == 4 and counter.resolved >= 2  # the figures are not all zero


def test_the_statistics_page_and_its_xlsx_carry_the_same_figures(web_site: Site, as_role) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    leader = as_role("leader")
    today = clock.now().date()
    page = leader.get("/quan-tri/thong-ke", params={"ky": "nam", "nam": str(today.year)})
    whole = stats.compute(web_site.db, stats.Period("nam", today.year, 1), None)
    assert page.status_code == 200 and f'data-label="Tiếp nhận trong kỳ" data-value="{whole.received}"' in page.text
    sheet = load_workbook(io.BytesIO(leader.get("/quan-tri/thong-ke.xlsx", params={"ky": "nam"}).content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values["Tiếp nhận trong kỳ"] == whole.received and values["Đã giải quyết"] == whole.resolved
    for bad in ({"ky": "tuan"}, {"ky": "thang", "so": "13"}, {"nam": "1999"}, {"ky": "quy", "so": "x"},
                {"don_vi": "huyen"}):
        refused = leader.get("/quan-tri/thong-ke", params=bad)
        assert refused.status_code == 400 and "Traceback" not in refused.text, bad
    assert _audited(web_site.db, "stats.export")


def _table(page: str, table_id: str) -> str:
    return re.search(rf'<table id="{table_id}"[^>]*>.*?</table>', page, re.S).group(0)


def test_the_district_stats_page_names_the_digitisation_indicators_as_the_counters_report_does(
        web_site: Site, as_role) -> None:  # noqa: ANN001
    page = as_role("viewer").get("/quan-tri/thong-ke").text
    counters_words = [label for label, _, _ in figures(Statistics(date.today(), date.today()), Digitisation())][-2:]
    headers = [h.strip() for h in re.findall(r"<th[^>]*>([^<]*)</th>", _table(page, "offices"))]
    assert [f"{label} (%)" for label in counters_words] == headers[-2:]
    assert "Kết quả điện tử" not in page and "Số hóa đủ khi tiếp nhận" not in page


def test_period_bounds_cover_the_month_quarter_or_year() -> None:
    assert stats.Period("thang", 2026, 2).bounds == (date(2026, 2, 1), date(2026, 2, 28))
    assert stats.Period("quy", 2026, 4).bounds == (date(2026, 10, 1), date(2026, 12, 31))
    assert stats.Period("nam", 2024, 1).bounds == (date(2024, 1, 1), date(2024, 12, 31))
    assert astuple(stats.parse_period("", "", "", today=date(2026, 8, 9))) == ("thang", 2026, 8)
    assert [f.name for f in fields(stats.Period)] == ["kind", "year", "number"]


def test_an_unknown_page_answers_with_a_page_and_the_sync_api_keeps_its_json(web_site: Site, as_role) -> None:  # noqa: ANN001
    admin = as_role("admin")
    for path in ("/quan-tri/khong-co", "/tra-cuu/a/b"):
        page = admin.get(path)
        assert page.status_code == 404 and "Không có trang này." in page.text and "<html" in page.text
    wrong_method = admin.put("/quan-tri/kiem-tra")
    assert wrong_method.status_code == 405 and "GET" in wrong_method.headers["allow"]
    api = admin.get("/v1/khong-co")
    assert api.status_code == 404 and api.json()["protocol"] == "qmc-sync/1"


def test_an_admin_publishes_a_holiday_table_and_sees_which_counters_pulled_it(web_site: Site, as_role) -> None:  # noqa: ANN001
    import json

    from counter_app.domain import holidays
    from tests.conftest import TEST_PROCEDURES

    admin = as_role("admin")
    page = admin.get("/quan-tri/phat-hanh")
    token = csrf_of(page.text)
    table = json.dumps(holidays.year_table_to_dict(holidays.provisional_year(2027))).encode()
    sent = admin.post("/quan-tri/phat-hanh", data={"csrf": token, "kind": "calendar", "note": "Lịch 2027"},
                      files={"file": ("2027.json", table, "application/json")})
    assert sent.status_code == 200 and "Đã phát hành Lịch nghỉ lễ" in text_of(sent.text)
    catalogue = admin.post("/quan-tri/phat-hanh", data={"csrf": token, "kind": "catalogue", "agency_code": AGENCY},
                           files={"file": ("danh-muc.json", json.dumps(TEST_PROCEDURES).encode(), "application/json")})
    assert catalogue.status_code == 200 and "Đã phát hành Danh mục thủ tục" in text_of(catalogue.text)
    for bad in ({"kind": "calendar", "file": ("x.json", b"{not json", "application/json")},
                {"kind": "catalogue", "file": ("x.exe", b"MZ", "application/octet-stream")},
                {"kind": "virus", "file": ("x.json", b"[]", "application/json")}):
        upload = bad.pop("file")
        refused = admin.post("/quan-tri/phat-hanh", data={"csrf": token, **bad}, files={"file": upload})
        assert refused.status_code == 400 and "Traceback" not in refused.text, bad
    seq = max(p["seq"] for p in publications(web_site.db))
    dev_token = auth.add_device(web_site.db, AGENCY, 5, "Quầy 5")[1]
    pulled = admin.get("/v1/pull", params={"events_after": 0, "publications_after": seq},
                       headers={"Authorization": f"Bearer {dev_token}"})
    assert pulled.status_code == 200
    admin.app.state.pull_notes.submit(lambda: None).result(30)  # the note is written after the answer
    listing = admin.get("/quan-tri/phat-hanh")
    row = listing.text.split(f'id="pub-{seq}"', 1)[1].split("</tr>", 1)[0]
    assert f"{AGENCY}: 1/2" in row  # counter 5 holds it, counter 0 has not pulled since
    assert [a["detail_json"] for a in _audited(web_site.db, "publish")]
    viewer = as_role("viewer")
    assert viewer.post("/quan-tri/phat-hanh", data={"csrf": csrf_of(viewer.get("/quan-tri/").text),
                                                    "kind": "calendar"}).status_code == 403


def test_a_session_ends_when_idle_too_long_or_too_old_and_on_log_out(web_site: Site, as_role) -> None:  # noqa: ANN001
    from datetime import timedelta

    with quick_hashes():
        who = staff.attempt_login(web_site.db, ACCOUNTS["viewer"], PASSWORD, "127.0.0.1")
    assert isinstance(who, staff.Staff)
    now = clock.now()
    idle, _ = staff.open_session(web_site.db, who)
    assert staff.session_of(web_site.db, idle, now=now + staff.IDLE - timedelta(minutes=1)) is not None
    assert staff.session_of(web_site.db, idle, now=now + 2 * staff.IDLE) is None
    old, _ = staff.open_session(web_site.db, who)
    later = now
    while later < now + staff.LONGEST:  # kept busy all day: still ends after the longest session
        later += staff.IDLE - timedelta(minutes=2)
        alive = staff.session_of(web_site.db, old, now=later)
    assert alive is None
    viewer = as_role("viewer")
    out = viewer.post("/quan-tri/dang-xuat", data={"csrf": csrf_of(viewer.get("/quan-tri/").text)})
    assert out.status_code == 303 and viewer.get("/quan-tri/").status_code == 303


def test_log_in_goes_back_only_to_a_dashboard_page_and_marks_its_cookie_secure_over_https(web_site: Site) -> None:
    import re

    with TestClient(create_app(web_site.db), base_url="https://huyen.example", follow_redirects=False) as client, \
            quick_hashes():
        form = client.get("/quan-tri/dang-nhap")
        pre = re.search(r'name="pre" value="([^"]+)"', form.text).group(1)
        sent = client.post("/quan-tri/dang-nhap", data={"pre": pre, "username": ACCOUNTS["leader"],
                                                        "password": PASSWORD, "next": "//ke-gian.example/"})
        assert sent.status_code == 303 and sent.headers["location"] == "/quan-tri/"
        assert "Secure" in sent.headers["set-cookie"]


_ODD_VALUES = ("", " ", "x" * 70_000, "\x00", "0", "-1", "99999999999999999999", "1e9", "'; DROP TABLE staff; --",
               "<script>alert(1)</script>", "Nguyễn\u0301", "%00", "../../etc/passwd")


def test_any_odd_value_in_any_form_or_query_gets_a_4xx_page_never_a_500(web_site: Site, as_role) -> None:  # noqa: ANN001
    admin = as_role("admin")
    token = csrf_of(admin.get("/quan-tri/").text)
    posts = {
        "/quan-tri/don-vi/cap-ma": ("agency_code", "counter", "label"),
        "/quan-tri/don-vi/thu-hoi": ("device_id", "confirm"),
        f"/quan-tri/ho-so/{web_site.code['received']}/trang-thai": ("status", "note"),
        "/quan-tri/kiem-tra/1/xu-ly": (),
        "/quan-tri/don-vi/nhat-ky/1/xu-ly": (),
        "/quan-tri/phat-hanh": ("kind", "agency_code", "note"),
        "/quan-tri/dang-xuat": (),
    }
    gets = {"/quan-tri/ho-so": ("q",), "/quan-tri/thong-ke": ("ky", "so", "nam", "don_vi"),
            "/quan-tri/thong-ke.xlsx": ("ky", "so", "nam"), "/quan-tri/dang-nhap": ("next",), "/tra-cuu": ("ma",),
            "/quan-tri/don-vi": ("done",), "/thu-tuc": ("q", "linh-vuc")}
    for value in _ODD_VALUES:
        for path, names in gets.items():
            answer = admin.get(path, params={n: value[:8000] for n in names})  # a URL has its own limit
            assert answer.status_code < 500, (path, value[:20], answer.text[:200])
        for path, names in posts.items():
            if path.endswith("dang-xuat"):
                continue
            answer = admin.post(path, data={"csrf": token, **{n: value for n in names}})
            assert answer.status_code < 500 and "Traceback" not in answer.text, (path, value[:20])
        answer = admin.get(f"/quan-tri/ho-so/{quote(value[:8000] or '-', safe='')}")
        assert answer.status_code < 500, value[:20]
    for body, kind in ((b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
                       (b"--x\r\nbroken", "multipart/form-data; boundary=x"),
                       (b"&".join(b"f%d=1" % i for i in range(500)), "application/x-www-form-urlencoded")):
        for path in posts:
            answer = admin.post(path, content=body, headers={"content-type": kind})
            assert 400 <= answer.status_code < 500, (path, body[:20], answer.status_code)
    with web_site.db.engine.connect() as conn:  # nothing was issued by all that
        known = [AGENCY, "000.00.21.H12", "000.00.22.H12"]
        assert conn.execute(sa.select(sa.func.count()).select_from(device)
                            .where(device.c.agency_code.notin_(known))).scalar() == 0


def test_the_district_stats_page_writes_its_rates_with_a_decimal_comma(web_site: Site, as_role) -> None:  # noqa: ANN001
    page = as_role("viewer").get("/quan-tri/thong-ke").text
    cells = [c for t in ("figures", "offices")
             for c in re.findall(r'<td class="num"[^>]*>([^<]*)</td>', _table(page, t))]
    assert any("," in c for c in cells)  # rates are floats (100.0 reads "100,0")
    assert not [c for c in cells if "." in c]
