"""Holiday tables: the provisional table from the law, the JSON form, and the shipped 2025/2026 tables."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from counter_app.domain.holidays import (
    CalendarDay,
    YearTable,
    load_year_table,
    provisional_year,
    shipped_years,
    year_table_to_dict,
)


def _off(t: YearTable) -> dict[date, str]:
    return {c.day: c.name for c in t.days if c.kind == "off"}


# Worked out by hand from the law (BLLĐ 2019 Điều 111, 112) and the lunar dates in test_lunar.py.
PROVISIONAL = {
    # Tết Ất Tỵ = Wed 29/01: eve Tue 28/01, then 29, 30, 31/01 and Sat 01/02 -> Mon 03/02.
    2025: {
        date(2025, 1, 1): "Tết Dương lịch",
        date(2025, 1, 28): "Tết Nguyên đán",
        date(2025, 1, 29): "Tết Nguyên đán",
        date(2025, 1, 30): "Tết Nguyên đán",
        date(2025, 1, 31): "Tết Nguyên đán",
        date(2025, 2, 1): "Tết Nguyên đán",
        date(2025, 2, 3): "Nghỉ bù Tết Nguyên đán",
        date(2025, 4, 7): "Giỗ Tổ Hùng Vương",
        date(2025, 4, 30): "Ngày Chiến thắng",
        date(2025, 5, 1): "Quốc tế Lao động",
        date(2025, 9, 1): "Quốc khánh",
        date(2025, 9, 2): "Quốc khánh",
    },
    # Giỗ Tổ = Sun 26/04 -> Mon 27/04; 24/11 is a holiday from 2026.
    2026: {
        date(2026, 1, 1): "Tết Dương lịch",
        date(2026, 2, 16): "Tết Nguyên đán",
        date(2026, 2, 17): "Tết Nguyên đán",
        date(2026, 2, 18): "Tết Nguyên đán",
        date(2026, 2, 19): "Tết Nguyên đán",
        date(2026, 2, 20): "Tết Nguyên đán",
        date(2026, 4, 26): "Giỗ Tổ Hùng Vương",
        date(2026, 4, 27): "Nghỉ bù Giỗ Tổ Hùng Vương",
        date(2026, 4, 30): "Ngày Chiến thắng",
        date(2026, 5, 1): "Quốc tế Lao động",
        date(2026, 9, 1): "Quốc khánh",
        date(2026, 9, 2): "Quốc khánh",
        date(2026, 11, 24): "Ngày Văn hóa Việt Nam",
    },
    # Tết Đinh Mùi = Sat 06/02: the block Fri 05 – Tue 09/02 spans a weekend, so Sat -> Wed 10/02
    # and Sun -> Thu 11/02, after the block. 01/05 is a Saturday -> Mon 03/05.
    2027: {
        date(2027, 1, 1): "Tết Dương lịch",
        date(2027, 2, 5): "Tết Nguyên đán",
        date(2027, 2, 6): "Tết Nguyên đán",
        date(2027, 2, 7): "Tết Nguyên đán",
        date(2027, 2, 8): "Tết Nguyên đán",
        date(2027, 2, 9): "Tết Nguyên đán",
        date(2027, 2, 10): "Nghỉ bù Tết Nguyên đán",
        date(2027, 2, 11): "Nghỉ bù Tết Nguyên đán",
        date(2027, 4, 16): "Giỗ Tổ Hùng Vương",
        date(2027, 4, 30): "Ngày Chiến thắng",
        date(2027, 5, 1): "Quốc tế Lao động",
        date(2027, 5, 3): "Nghỉ bù Quốc tế Lao động",
        date(2027, 9, 1): "Quốc khánh",
        date(2027, 9, 2): "Quốc khánh",
        date(2027, 11, 24): "Ngày Văn hóa Việt Nam",
    },
    # 01/01 Sat -> Mon 03/01. Tết = Wed 26/01, block Tue 25 – Sat 29/01 -> Mon 31/01.
    # 30/04 Sun: Mon 01/05 is itself a holiday, so the substitute is Tue 02/05.
    # 02/09 Sat -> Mon 04/09.
    2028: {
        date(2028, 1, 1): "Tết Dương lịch",
        date(2028, 1, 3): "Nghỉ bù Tết Dương lịch",
        date(2028, 1, 25): "Tết Nguyên đán",
        date(2028, 1, 26): "Tết Nguyên đán",
        date(2028, 1, 27): "Tết Nguyên đán",
        date(2028, 1, 28): "Tết Nguyên đán",
        date(2028, 1, 29): "Tết Nguyên đán",
        date(2028, 1, 31): "Nghỉ bù Tết Nguyên đán",
        date(2028, 4, 4): "Giỗ Tổ Hùng Vương",
        date(2028, 4, 30): "Ngày Chiến thắng",
        date(2028, 5, 1): "Quốc tế Lao động",
        date(2028, 5, 2): "Nghỉ bù Ngày Chiến thắng",
        date(2028, 9, 1): "Quốc khánh",
        date(2028, 9, 2): "Quốc khánh",
        date(2028, 9, 4): "Nghỉ bù Quốc khánh",
        date(2028, 11, 24): "Ngày Văn hóa Việt Nam",
    },
}


@pytest.mark.parametrize("year", sorted(PROVISIONAL))
def test_provisional_year_follows_the_law(year: int) -> None:
    table = provisional_year(year)
    assert table.year == year
    assert table.official is False
    assert table.source
    assert _off(table) == PROVISIONAL[year]
    assert all(c.kind == "off" and c.provisional for c in table.days)
    assert [c.day for c in table.days] == sorted(c.day for c in table.days)


def test_culture_day_only_from_2026() -> None:
    assert date(2025, 11, 24) not in _off(provisional_year(2025))
    assert _off(provisional_year(2030))[date(2030, 11, 24)] == "Ngày Văn hóa Việt Nam"


def test_provisional_2026_is_the_official_table_without_the_swap() -> None:
    # The law alone misses only the 02/01 <-> 10/01 swap decided by the yearly notice.
    official = shipped_years()[2026]
    law_weekdays = {d for d in _off(provisional_year(2026)) if d.weekday() < 5}
    assert set(_off(official)) - law_weekdays == {date(2026, 1, 2)}
    assert law_weekdays <= set(_off(official))


def test_shipped_years() -> None:
    tables = shipped_years()
    assert sorted(tables) == [2025, 2026]
    assert all(t.official and t.source for t in tables.values())
    for t in tables.values():
        for c in t.days:
            assert not c.provisional
            assert c.name and unicodedata.is_normalized("NFC", c.name)
            # Only days that break "Mon–Fri work, Sat–Sun off" are listed.
            assert (c.kind == "off") == (c.day.weekday() < 5), c


def _days(year: int, *spans: str) -> set[date]:
    """The days of `year` as the government's notice writes them: "1/1", or "27-31/1" for a run."""
    days = set()
    for span in spans:
        first_last, month = span.split("/")
        first, _, last = first_last.partition("-")
        days.update(date(year, int(month), d) for d in range(int(first), int(last or first) + 1))
    return days


# The days off (weekdays only) and the Saturdays worked in exchange, as the yearly decisions set them.
SHIPPED = {
    2025: (_days(2025, "1/1", "27-31/1", "7/4", "30/4", "1/5", "1/9", "2/9"), []),  # Tết: 25/01–02/02 less weekends
    2026: (_days(2026, "1/1", "2/1", "16-20/2", "27/4", "30/4", "1/5", "1/9", "2/9", "24/11"), [date(2026, 1, 10)]),
}


@pytest.mark.parametrize("year", sorted(SHIPPED))
def test_shipped_year_matches_decisions(year: int) -> None:
    expected_off, expected_work = SHIPPED[year]
    t = shipped_years()[year]
    assert set(_off(t)) == expected_off
    assert [c.day for c in t.days if c.kind == "work"] == expected_work


def test_json_round_trip() -> None:
    for table in [*shipped_years().values(), provisional_year(2027)]:
        assert load_year_table(year_table_to_dict(table)) == table


def test_load_example() -> None:
    data = {
        "year": 2026,
        "official": True,
        "source": "văn bản 12729/VPCP-KGVX",
        "days": [
            {"date": "2026-01-10", "kind": "work", "name": "Làm bù cho ngày 02/01"},
            {"date": "2026-01-02", "kind": "off", "name": "Tết Dương lịch (hoán đổi)"},
        ],
    }
    assert load_year_table(data) == YearTable(
        year=2026,
        official=True,
        source="văn bản 12729/VPCP-KGVX",
        days=(  # sorted by date
            CalendarDay(date(2026, 1, 2), "off", "Tết Dương lịch (hoán đổi)"),
            CalendarDay(date(2026, 1, 10), "work", "Làm bù cho ngày 02/01"),
        ),
    )


def test_load_normalises_names_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nghỉ đột xuất")
    t = load_year_table({"year": 2026, "days": [{"date": "2026-03-09", "kind": "off", "name": decomposed}]})
    assert t.days[0].name == "Nghỉ đột xuất"
    assert t.official is False  # "official" defaults to false: only a notice makes a table official


def _one_day(**day: object) -> dict[str, object]:
    return {"year": 2026, "official": True, "days": [{"kind": "off", "name": "x", **day}]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_one_day(date="2026-02-30"), "Ngày không hợp lệ"),
        (_one_day(date="02/01/2026"), "Ngày không hợp lệ"),
        (_one_day(date="20260102"), "Ngày không hợp lệ"),
        (_one_day(date=None), "Ngày không hợp lệ"),
        (_one_day(date="2027-01-01"), "không thuộc năm 2026"),
        (_one_day(date="2026-01-02", kind="holiday"), "Loại ngày không hợp lệ"),
        (_one_day(date="2026-01-02", kind=None), "Loại ngày không hợp lệ"),
        (_one_day(date="2026-01-02", name=5), "Tên"),
        (
            {
                "year": 2026,
                "days": [{"date": "2026-01-02", "kind": "off"}, {"date": "2026-01-02", "kind": "off"}],
            },
            "hai lần",
        ),
        ({"year": "2026", "days": []}, "Năm không hợp lệ"),
        ({"year": 2026, "official": "yes", "days": []}, "official"),
        ({"year": 2026, "days": {}}, "days"),
        ({"year": 2026, "days": ["2026-01-02"]}, "Mục ngày"),
        ([], "đối tượng JSON"),
    ],
)
def test_load_rejects_bad_input(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_year_table(data)  # type: ignore[arg-type]
