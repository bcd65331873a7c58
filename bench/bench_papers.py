"""How long Mẫu 02–07 take to build.

    .venv/bin/python bench/bench_papers.py [--rows 2000] [--runs 5]

- render_register: a month of `--rows` entries (A4 landscape, header repeated on each page), the
  renderer alone, median of `--runs`; target < 2 s for 2,000 rows;
- register_pdf through the service: a temporary store holding that month (made through intake, one
  transaction), query + numbering + render;
- each form (02 supplement, 03 refusal, 04 extension, 05 stop, 06 control sheet) rendered once per
  run, median, and the same through services/papers.form_pdf from the store.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import median_ms  # noqa: E402

from counter_app.clock import parse_iso  # noqa: E402
from counter_app.domain.vn_time import VN_TZ  # noqa: E402
from counter_app.papers.forms import render_form  # noqa: E402
from counter_app.papers.register import Register, RegisterRow, render_register  # noqa: E402
from tests.paper_fixtures import OFFICE, sample_forms  # noqa: E402  (the office and forms the tests print)

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Hữu", "Xuân", "Thu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Lan", "Linh", "Mai", "Nam",
         "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Vân", "Yến"]
HAMLETS = ["Thôn Đông", "Thôn Tây", "Thôn Phú Xuân", "Xóm Mới", "Tổ dân phố 3", "Thôn Thượng"]
# Official names are long (the register prints the code and cuts the name to three lines).
PROCEDURES = [
    ("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam; "
                 "cơ quan, tổ chức có thẩm quyền của nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên "
                 "kết với cơ quan, tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận"),
    ("1.001193", "Đăng ký khai sinh"),
    ("1.000894", "Đăng ký kết hôn"),
    ("2.000635", "Cấp bản sao trích lục hộ tịch"),
]


def median_s(action: Callable[[], object], runs: int) -> float:
    return median_ms(action, runs) / 1000


def month_rows(count: int) -> tuple[RegisterRow, ...]:
    rng = random.Random(7)
    start = datetime(2026, 3, 2, 7, 30, tzinfo=VN_TZ)
    rows = []
    for index in range(count):
        received = start + timedelta(minutes=int(index * 30 * 24 * 60 / count * 0.9))
        returned = received + timedelta(days=3, hours=2) if rng.random() < 0.7 else None
        procedure = rng.choice(PROCEDURES)
        rows.append(RegisterRow(
            number=index + 1, code=f"000.00.20.H12-{received:%y%m%d}-{index % 999 + 1:04d}",
            procedure_code=procedure[0], procedure_name=procedure[1], sets=1,
            applicant_name=f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            address=f"{rng.choice(HAMLETS)}, xã Bình Mỹ, tỉnh Ninh Bình", phone=f"09{rng.randrange(10 ** 8):08d}",
            received_at=received, due_at=received + timedelta(days=3), returned_at=returned,
            handed_by="Trần Thị Hoa" if returned else "", recipient="Nguyễn Văn Đức" if returned else "",
            officer="Trần Thị Hoa", note="Đúng hạn" if returned else "Đang xử lý",
        ))
    return tuple(rows)


def store_month(directory: Path, count: int):  # noqa: ANN201 - a Store
    """A store holding `count` dossiers received in March 2026, one of each form's event among them."""
    from counter_app.db.store import Store
    from counter_app.domain.actor import Actor
    from counter_app.services import intake, workflow
    from counter_app.services.office import init_office

    store = Store.open(directory)
    with store.write() as session:
        init_office(session, agency_code="000.00.20.H12", agency_name="UBND xã Bình Mỹ", place="Bình Mỹ")
    rng = random.Random(3)
    now = parse_iso("2026-04-01T08:00:00+07:00")
    codes = []
    actor = Actor("cb.an", "scripted")
    with store.write() as session:
        for index in range(count):
            at = datetime(2026, 3, 2, 7, 30, tzinfo=VN_TZ) + timedelta(minutes=int(index * 27 * 24 * 60 / count))
            request = intake.parse_intake({
                "procedure_code": "2.000815",
                "applicant": {"full_name": f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                              "address": f"{rng.choice(HAMLETS)}, xã Bình Mỹ",
                              "phone": f"09{rng.randrange(10 ** 8):08d}"},
                "received_at": at.isoformat(), "refusal_reason": "Không thuộc thẩm quyền" if index == 1 else "",
            }, now=now)
            codes.append(intake.create_dossier(session, request, actor=actor, now=at).dossier["code"])
    code = codes[0]
    with store.write() as session:
        at = parse_iso("2026-03-02T09:00:00+07:00")
        workflow.hand_over(session, code, to_unit="Công chức Tư pháp - Hộ tịch", actor=actor, now=at)
        workflow.move(session, code, 5, actor=actor, missing=["Bản sao giấy khai sinh"], now=at + timedelta(hours=1))
        workflow.move(session, code, 4, actor=actor, now=at + timedelta(hours=2))
        workflow.extend(session, code, new_due=at + timedelta(days=9), reason="Cần xác minh", actor=actor,
                        now=at + timedelta(hours=3))
        workflow.move(session, codes[2], 4, actor=actor, now=at)
        workflow.move(session, codes[2], 8, actor=actor, note="Dừng theo yêu cầu", now=at + timedelta(hours=1))
    return store, {"02": code, "03": codes[1], "04": code, "05": codes[2], "06": code}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    rows = month_rows(args.rows)
    month = Register(date(2026, 3, 1), date(2026, 3, 31), datetime(2026, 4, 1, 8, 0, tzinfo=VN_TZ), rows)
    render_register(OFFICE, Register(month.date_from, month.date_to, month.printed_at, rows[:10]))  # warm up
    pdf = render_register(OFFICE, month)
    register_s = median_s(lambda: render_register(OFFICE, month), args.runs)
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"render_register, {args.rows} rows ({pages} pages, {len(pdf) // 1024} KB): "
          f"{register_s * 1000:8.1f} ms median of {args.runs}   target < 2000 ms: "
          f"{'met' if register_s < 2 else 'NOT met'}")

    forms = sample_forms()
    for number, form in forms.items():
        render_form(OFFICE, form)
        form_s = median_s(lambda form=form: render_form(OFFICE, form), max(args.runs, 20))  # type: ignore[misc]
        print(f"render_form Mẫu {number}:                                   {form_s * 1000:8.1f} ms")

    from counter_app.services import papers

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        store, codes = store_month(Path(folder), args.rows)
        print(f"(store of {args.rows} dossiers made through intake in {time.perf_counter() - started:.1f} s)")
        try:
            with store.read() as session:
                papers.register_pdf(session, date(2026, 3, 1), date(2026, 3, 31))
                service_s = median_s(lambda: papers.register_pdf(session, date(2026, 3, 1), date(2026, 3, 31)),
                                     args.runs)
                print(f"papers.register_pdf (query + numbering + render), March:    {service_s * 1000:8.1f} ms")
                for number, code in codes.items():
                    form_s = median_s(lambda n=number, c=code: papers.form_pdf(session, c, n), max(args.runs, 20))
                    print(f"papers.form_pdf Mẫu {number} from the store:                  {form_s * 1000:8.1f} ms")
                slip_s = median_s(lambda: papers.slip_pdf(session, codes["06"]), max(args.runs, 20))
                print(f"papers.slip_pdf (Mẫu 01) from the store:                    {slip_s * 1000:8.1f} ms")
        finally:
            store.close()


if __name__ == "__main__":
    main()
