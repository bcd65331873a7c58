"""The web face in a real browser: Debian's chromium, headless, driven by Selenium through
chromium-driver, against a real uvicorn server — one server and one browser per module, on SQLite
and PostgreSQL. Screenshots at 1366×768 and 390×844 go to /work/shots/web/ (QMC_SHOTS to change)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter_app import clock
from counter_app.services import papers, settings
from counter_app.sync.engine import KEY_SERVER
from counter_app.sync.protocol import AuditHead
from district_server import audit_heads
from district_server.web import stats
from district_server.web.pages_stats import rate_figure
from tests.pdf_reading import needs_pdftoppm, rasterise
from tests.server.helpers import LiveServer
from tests.server.web_helpers import ACCOUNTS, PASSWORD, Site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
SHOTS = Path(os.environ.get("QMC_SHOTS", "/work/shots/web"))
DESKTOP, PHONE = (1366, 768), (390, 844)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="chromium and chromedriver not found: install the Debian packages chromium and chromium-driver (CI does)")


@pytest.fixture(scope="module")
def live(web_site: Site) -> Iterator[LiveServer]:
    with LiveServer(web_site.db) as server:
        yield server


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201 - a selenium WebDriver
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    # The test server is HTTPS with its own CA (as `counter-server serve` is out of the box), which
    # this throw-away browser profile does not know: the pages are what is tested here.
    options.accept_insecure_certs = True
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--lang=vi", "--no-first-run"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def view(browser, request: pytest.FixtureRequest):  # noqa: ANN001, ANN201
    """The browser at the desktop size with no session; `view.shot(name)` saves both sizes."""
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.delete_all_cookies()
    variant = request.node.callspec.params.get("module_db", "db") if hasattr(request.node, "callspec") else "db"

    class View:
        driver = browser

        def phone(self) -> None:
            browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True})

        def desktop(self) -> None:
            browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": DESKTOP[0], "height": DESKTOP[1], "deviceScaleFactor": 1,
                                     "mobile": False})

        def shot(self, name: str) -> None:
            """Screenshots at both sizes, and the page never wider than the phone (no sideways scroll)."""
            SHOTS.mkdir(parents=True, exist_ok=True)
            for size, setter in ((DESKTOP, self.desktop), (PHONE, self.phone)):
                setter()
                browser.save_screenshot(str(SHOTS / f"{name}-{variant}-{size[0]}x{size[1]}.png"))
            assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0], name
            self.desktop()

        def text(self, css: str) -> str:
            from selenium.webdriver.common.by import By

            return browser.find_element(By.CSS_SELECTOR, css).text

        def after(self, action, path: str, *, exact: bool = False) -> None:  # noqa: ANN001 - a click or a submit
            """Do what navigates, then wait (bounded, no sleep) until the browser is at `path` (the
            beginning of its path and query, or all of it) with the page loaded."""
            from selenium.webdriver.support.ui import WebDriverWait

            def there(d) -> bool:  # noqa: ANN001
                at = "/" + d.current_url.split("://", 1)[1].split("/", 1)[1]
                return (at == path if exact else at.startswith(path)) and \
                    d.execute_script("return document.readyState") == "complete"

            action()
            WebDriverWait(browser, 20).until(there)

        def log_in(self, base: str, role: str) -> None:
            from selenium.webdriver.common.by import By

            browser.get(f"{base}/quan-tri/")  # a dashboard page sends to the log-in form first
            assert "/quan-tri/dang-nhap" in browser.current_url
            if role == "leader":
                self.shot("dang-nhap")
            browser.find_element(By.ID, "username").send_keys(ACCOUNTS[role])
            browser.find_element(By.ID, "password").send_keys(PASSWORD)
            self.after(browser.find_element(By.ID, "login").click, "/quan-tri/", exact=True)
            assert browser.current_url == f"{base}/quan-tri/", browser.page_source[:500]

    return View()


@needs_pdftoppm
def test_a_citizen_opens_the_qr_of_a_slip_and_reads_the_status_with_the_name_masked(web_site: Site, live, view,
                                                                                   tmp_path: Path) -> None:
    import zxingcpp

    with web_site.store.write() as session:  # the counter is linked to this district server
        settings.put(session, KEY_SERVER, live.url)
    code = web_site.code["ready"]
    with web_site.store.read() as session:
        pdf = papers.slip_pdf(session, code)
    found = {r.text for r in zxingcpp.read_barcodes(rasterise(pdf, tmp_path)[0])
             if r.format == zxingcpp.BarcodeFormat.QRCode}
    assert found == {f"{live.url}/tra-cuu/{code}"}
    view.phone()
    view.driver.get(found.pop())
    assert view.text("#applicant") == "Nguyễn V. Đ."
    assert view.text("#state") == "Đã có kết quả" and "mời đến bộ phận một cửa nhận" in view.text("#result")
    assert view.text("#procedure") == "Thủ tục thử ba ngày"
    page = view.driver.page_source
    assert "Nguyễn Văn Đức" not in page and "001090123456" not in page and "<script" not in page.lower()
    view.shot("tra-cuu-ho-so")
    view.driver.get(f"{live.url}/tra-cuu/abc")
    assert "không đúng dạng" in view.text("#error")
    view.shot("tra-cuu-ma-sai")


def test_a_leader_logs_in_searches_a_dossier_by_name_and_opens_it(web_site: Site, live, view) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    view.log_in(live.url, "leader")
    assert "Cán bộ leader (Lãnh đạo)" in view.text("#who")
    search = view.driver.find_element(By.ID, "q")
    search.send_keys("nguyen van duc")
    view.after(search.submit, "/quan-tri/ho-so?q=")
    rows = view.driver.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    assert len(rows) == 4 and all("Nguyễn Văn Đức" in r.text for r in rows)
    view.shot("ho-so-tim")
    view.after(view.driver.find_element(By.LINK_TEXT, web_site.code["returned"]).click,
               f"/quan-tri/ho-so/{web_site.code['returned']}")
    assert view.text("#applicant") == "Nguyễn Văn Đức" and view.text("#state") == "Đã trả kết quả"
    history = [r.text for r in view.driver.find_elements(By.CSS_SELECTOR, "#history tbody tr")]
    assert len(history) == 4 and "Đã trả kết quả" in history[-1]
    view.shot("ho-so-mot")


def test_an_admin_resolves_an_event_kept_for_review(web_site: Site, live, view) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    view.log_in(live.url, "admin")
    view.after(view.driver.find_element(By.LINK_TEXT, "Chờ kiểm tra").click, "/quan-tri/kiem-tra")
    case = view.driver.find_element(By.ID, f"review-{web_site.review_id}")
    assert "sửa tay sau khi đã gửi" in case.text and "So với sự kiện cùng mã đã lưu" in case.text
    view.shot("kiem-tra")
    view.after(case.find_element(By.TAG_NAME, "button").click, "/quan-tri/kiem-tra?done=")
    assert f"Đã đánh dấu mục chờ kiểm tra số {web_site.review_id}" in view.text("#flash")
    assert not view.driver.find_elements(By.ID, f"review-{web_site.review_id}")
    dev, db = web_site.device, web_site.db
    with db.write(dev.agency_code) as conn:  # the counter's newest audit entries deleted between two pushes
        audit_heads.record(db, conn, dev, AuditHead(seq=50, hash="a" * 64), "2026-12-01T02:00:00+00:00")
        audit_heads.record(db, conn, dev, AuditHead(seq=40, hash="b" * 64), "2026-12-02T02:00:00+00:00")
    (found,) = audit_heads.breaks(db)
    view.after(view.driver.find_element(By.LINK_TEXT, "Đơn vị & máy quầy").click, "/quan-tri/don-vi")
    assert "Quầy 0 Bình Mỹ" in view.driver.page_source
    card = view.driver.find_element(By.ID, f"break-{found['id']}")
    assert found["message"] in card.text and card.value_of_css_property("border-left-color") == "rgba(176, 0, 32, 1)"
    view.shot("don-vi")
    view.after(card.find_element(By.TAG_NAME, "button").click, "/quan-tri/don-vi?done=")
    assert f"Đã đánh dấu chỗ đứt nhật ký thao tác số {found['id']}" in view.text("#flash")
    assert not view.driver.find_elements(By.ID, f"break-{found['id']}")
    view.after(view.driver.find_element(By.LINK_TEXT, "Phát hành").click, "/quan-tri/phat-hanh")
    assert view.driver.find_element(By.ID, "file").get_attribute("type") == "file"
    view.shot("phat-hanh")


def test_the_charts_bars_say_the_numbers_of_the_statistics(web_site: Site, live, view) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    view.log_in(live.url, "leader")
    year = clock.now().year
    view.driver.get(f"{live.url}/quan-tri/thong-ke?ky=nam&nam={year}")
    whole, per_office = stats.district_table(web_site.db, stats.Period("nam", year, 1))

    def bars(chart: str) -> dict[str, str]:
        return {g.find_element(By.CSS_SELECTOR, "text").text: g.find_element(By.CSS_SELECTOR, "text.value").text
                for g in view.driver.find_elements(By.CSS_SELECTOR, f"svg#{chart} g.bar")}

    assert bars("outcomes") == {
        "Tiếp nhận trong kỳ": str(whole.received), "Giải quyết trước hạn": str(whole.early),
        "Giải quyết đúng hạn": str(whole.on_time), "Giải quyết quá hạn": str(whole.late),
        "Đang giải quyết trong hạn": str(whole.in_process_within),
        "Đang giải quyết quá hạn": str(whole.in_process_overdue)}
    assert whole.received == 5 and whole.resolved >= 2
    assert bars("rates") == {a: rate_figure(s.qd766_on_time_rate) for a, s in per_office}  # as the table writes it
    wide = bars("outcomes")
    view.phone()  # the phone gets the narrow drawing of the same figures
    assert bars("outcomes-narrow") == wide
    view.shot("thong-ke")


def test_on_a_phone_the_statistics_show_each_office_as_a_card_and_no_chart_text_is_cut(web_site: Site, live,
                                                                                      view) -> None:  # noqa: ANN001
    from selenium.webdriver.common.by import By

    from district_server.web.strings import STATS_OFFICE_COLUMNS

    view.log_in(live.url, "leader")
    view.phone()
    view.driver.get(f"{live.url}/quan-tri/thong-ke?ky=nam&nam={clock.now().year}")
    assert not view.driver.find_element(By.CSS_SELECTOR, "#offices thead").is_displayed()
    rows = view.driver.find_elements(By.CSS_SELECTOR, "#offices tbody tr")
    assert rows
    for row in rows:  # each office a card: every figure beside its own name
        cells = row.find_elements(By.TAG_NAME, "td")
        assert [c.get_attribute("data-label") for c in cells] == list(STATS_OFFICE_COLUMNS)
        assert cells[-1].location["y"] > cells[0].location["y"]  # one under the other, not a squeezed row
    # Every text of each chart the phone shows lies inside its drawing (an SVG text never wraps: a
    # long title ran off the right edge and was cut).
    outside = view.driver.execute_script("""
        const out = [];
        for (const svg of document.querySelectorAll('svg.chart')) {
          if (getComputedStyle(svg).display === 'none') continue;
          const width = svg.viewBox.baseVal.width;
          for (const t of svg.querySelectorAll('text')) {
            const b = t.getBBox();
            if (b.x < 0 || b.x + b.width > width + 0.5) out.push(svg.id + ': ' + t.textContent);
          }
        }
        return out;""")
    assert outside == []
    view.driver.execute_script("document.getElementById('rates-narrow').scrollIntoView()")
    SHOTS.mkdir(parents=True, exist_ok=True)
    view.driver.save_screenshot(str(SHOTS / "thong-ke-tung-don-vi-390x844.png"))
    view.shot("thong-ke-dien-thoai")


@needs_pdftoppm
def test_a_citizen_scans_a_posters_qr_and_reads_the_procedure_on_a_phone(live, view, tmp_path: Path) -> None:  # noqa: ANN001
    import zxingcpp
    from selenium.webdriver.common.by import By

    from counter_app.db.store import Store
    from counter_app.papers.posters import fee_text
    from counter_app.papers.slip import SlipDocument, document_text, working_time_text
    from counter_app.services import catalogue, posters
    from counter_app.services.office import init_office
    from tests.conftest import AGENCY

    store = Store.open(tmp_path / "office")  # an office with the shipped catalogue, linked to this server
    try:
        with store.write() as session:
            init_office(session, agency_code=AGENCY, agency_name="UBND xã Bình Mỹ", place="Bình Mỹ", counter=0)
            settings.put(session, KEY_SERVER, live.url)
        with store.read() as session:
            pdf = posters.poster_pdf(session, "1.001193")
            spec = catalogue.get_procedure(session, "1.001193")
            version = catalogue.catalogue_stamp(session).version
    finally:
        store.close()
    found = {r.text for r in zxingcpp.read_barcodes(rasterise(pdf, tmp_path)[0])
             if r.format == zxingcpp.BarcodeFormat.QRCode}
    assert found == {f"{live.url}/thu-tuc/1.001193"}
    view.phone()
    view.driver.get(found.pop())
    assert view.text("#name") == spec.name
    assert view.text("#time") == working_time_text(spec.working_days) and view.text("#fee") == fee_text(spec)
    papers = [li.text for li in view.driver.find_elements(By.CSS_SELECTOR, "#papers li")]
    assert papers == [document_text(0, SlipDocument(d.name, d.form, d.count))[1] for d in spec.documents]
    assert f"phiên bản {version}" in view.text("#stamp") and "<script" not in view.driver.page_source.lower()
    view.shot("thu-tuc-mot")
    view.driver.get(f"{live.url}/thu-tuc?q=ho+tich")
    assert view.driver.find_elements(By.CSS_SELECTOR, "#results a")
    view.shot("thu-tuc-tim")
    view.driver.get(f"{live.url}/thu-tuc/9.999999")
    assert "Không có thủ tục mã '9.999999'" in view.text("#error")
    view.shot("thu-tuc-khong-co")
