from __future__ import annotations

import pytest

from counter_app.errors import UserError
from counter_app.services import intake
from counter_app.services.lookup import open_by_code
from counter_app.services.search import fts_query, search
from tests.conftest import applicant, clerk
from tests.unit.test_intake import NOW

PEOPLE = [
    ("Nguyễn Văn Đức", "001090000001", "0912000001", "2026-03-02T08:00:00+07:00"),
    ("Đặng Thị Ánh", "001090000002", "0912000002", "2026-03-03T08:00:00+07:00"),
    ("Nguyễn Thị Dung", "001090000003", "0912000003", "2026-03-04T08:00:00+07:00"),
    ("Trần Đức Nguyên", "001090000004", "0912000004", "2026-03-01T08:00:00+07:00"),  # entered last, oldest
]


@pytest.fixture
def filled(desk):  # noqa: ANN001, ANN201
    for name, idn, phone, at in PEOPLE:
        req = intake.parse_intake({"procedure_code": "9.000000", "received_at": at,
                                   "applicant": applicant(full_name=name, id_number=idn, phone=phone)}, now=NOW)
        with desk.write() as session:
            intake.create_dossier(session, req, actor=clerk(), now=NOW)
    return desk


def _names(store, query: str, **kw) -> list[str]:  # noqa: ANN001
    with store.read() as session:
        return [r.applicant_name for r in search(session, query, **kw).rows]


def test_folded_name_search_without_diacritics_newest_first(filled) -> None:  # noqa: ANN001
    assert _names(filled, "duc") == ["Nguyễn Văn Đức", "Trần Đức Nguyên"]
    assert _names(filled, "nguyen") == ["Nguyễn Thị Dung", "Nguyễn Văn Đức", "Trần Đức Nguyên"]
    assert _names(filled, "Đặng ánh") == ["Đặng Thị Ánh"]
    assert _names(filled, "nguyen thi d") == ["Nguyễn Thị Dung"]
    assert _names(filled, "zzz") == []


def test_search_by_id_number_phone_and_code(filled) -> None:  # noqa: ANN001
    assert _names(filled, "001090000002") == ["Đặng Thị Ánh"]
    assert _names(filled, "0912 000 003") == ["Nguyễn Thị Dung"]
    assert _names(filled, "000.00.20.H12-260304") == ["Nguyễn Thị Dung"]


def test_pages_follow_on_without_overlap(filled) -> None:  # noqa: ANN001
    with filled.read() as session:
        first = search(session, "", limit=3)
        second = search(session, "", limit=3, before_key=first.next_key)
    assert [r.applicant_name for r in first.rows] == ["Nguyễn Thị Dung", "Đặng Thị Ánh", "Nguyễn Văn Đức"]
    assert [r.applicant_name for r in second.rows] == ["Trần Đức Nguyên"]
    assert second.next_key is None


def test_fts_query_is_safe_for_any_input() -> None:
    assert fts_query('Nguyễn "Văn" OR *') == '"nguyen" "van" "or"*'
    assert fts_query("  ") == ""


def test_open_by_code_and_its_refusals(filled) -> None:  # noqa: ANN001
    with filled.read() as session:
        d = open_by_code(session, " 000.00.20.h12-260302-0001 ")
        assert d["applicant"]["full_name"] == "Nguyễn Văn Đức"
        with pytest.raises(UserError, match="Không tìm thấy hồ sơ mã 000.00.20.H12-260302-0009"):
            open_by_code(session, "000.00.20.H12-260302-0009")
        with pytest.raises(UserError, match="thuộc cơ quan 000.00.21.H12"):
            open_by_code(session, "000.00.21.H12-260302-0001")
        with pytest.raises(UserError, match="không phải mã hồ sơ"):
            open_by_code(session, "hello")


def test_the_search_box_reads_a_code_a_number_or_a_name() -> None:
    from counter_app.services.search import read_query

    assert read_query(" 000.00.20.h12-2603 ").code_prefix == "000.00.20.H12-2603"
    assert read_query("001 190.000-001").number == "001190000001"
    assert read_query("0912 345 678").number == "0912345678"
    assert read_query("12345678").match == '"12345678"*'  # too short for an ID or a phone: a word
    assert read_query("Nguyễn Văn Đ").match == '"nguyen" "van" "d"*'
    assert read_query("  ").empty


def test_a_partly_typed_name_finds_every_name_with_a_word_that_begins_so(desk) -> None:  # noqa: ANN001
    """Prefixes of every length, served by the name index's prefix tables (1–7 letters) or merged
    (longer), answer what reading every name would: newest first, no name missed or extra."""
    import re

    from sqlalchemy import text

    from counter_app.domain.text import fold

    names = ["Nguyễn Thị Nguyệt", "Nguyễn Văn Nghiêm", "Trần Nguyên", "Lê Thị Nghiêng", "Huỳnh Ngọc Ánh",
             "Nguyễnvănthiện Christopher", "Ngô Thuỳ", "Phạm Thuý Hằng"]
    for day, name in enumerate(names, 1):
        req = intake.parse_intake({"procedure_code": "9.000000", "received_at": f"2026-03-{day:02d}T08:00:00+07:00",
                                   "applicant": applicant(full_name=name)}, now=NOW)
        with desk.write() as session:
            intake.create_dossier(session, req, actor=clerk(), now=NOW)
    newest_first = list(reversed(names))
    for typed in ("n", "ng", "ngu", "nguy", "nguye", "nguyen", "nguyet", "nghien", "nghieng", "nguyenvanthien",
                  "christ", "thuy", "huynh ngoc a", "nguyen th", "zz"):
        words = re.findall(r"[0-9a-z]+", fold(typed))
        expected = [n for n in newest_first
                    if all(any(w == v for v in fold(n).split()) for w in words[:-1])
                    and any(v.startswith(words[-1]) for v in fold(n).split())]
        assert _names(desk, typed) == expected, typed
    with desk.read() as session:
        sql = session.execute(text("SELECT sql FROM sqlite_master WHERE name = 'dossier_search'")).scalar_one()
    assert "prefix = '1 2 3 4 5 6 7'" in sql  # a bare "nguyen" is read a page at a time, not merged whole
