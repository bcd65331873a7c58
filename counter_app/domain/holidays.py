"""Yearly holiday tables: official ones (shipped, admin-edited, synced) and provisional ones from the law.

A table lists only the days that break the plain weekly rule: weekdays that are off ("off") and
weekend days that become working days ("work", swapped Saturdays). The official table comes from the
yearly notice; until it arrives a year gets a provisional table computed from Bộ luật Lao động 2019
Điều 111–112 so that dossiers received in December can already be given a due date in January.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from counter_app.domain.lunar import lunar_new_year_eve, lunar_to_solar, tet
from counter_app.domain.text import nfc
from counter_app.domain.validation import parse_iso_day
from counter_app.errors import UserError
from counter_app.resources import resource_path

Kind = Literal["off", "work"]
KINDS: tuple[str, ...] = ("off", "work")
# The years a holiday table can be asked for or edited: the dossier code writes the year in two
# digits read back as 20yy (domain/codes.py), and intake refuses anything received before 2000.
FIRST_YEAR, LAST_YEAR = 2000, 2099
CULTURE_DAY_FROM = 2026  # Ngày Văn hóa Việt Nam 24/11 is a paid holiday from 2026 (NQ 28/2026/QH16)


def in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def check_year(year: int) -> int:
    """The year, or UserError when no dossier can fall in it (so nothing is computed or stored)."""
    if isinstance(year, bool) or not isinstance(year, int) or not in_range(year):
        raise UserError(f"Năm {year} nằm ngoài lịch làm việc của phần mềm (từ {FIRST_YEAR} đến {LAST_YEAR}).")
    return year


@dataclass(frozen=True)
class CalendarDay:
    day: date
    kind: Kind  # "off": a non-working day; "work": a weekend day that becomes a working day
    name: str
    provisional: bool = False


@dataclass(frozen=True)
class YearTable:
    year: int
    official: bool
    days: tuple[CalendarDay, ...]
    source: str = ""


def _law_holidays(year: int) -> list[tuple[date, str]]:
    tet_day = tet(year)
    days = [(date(year, 1, 1), "Tết Dương lịch"), (lunar_new_year_eve(year), "Tết Nguyên đán")]
    days += [(tet_day + timedelta(days=i), "Tết Nguyên đán") for i in range(4)]
    days += [
        (lunar_to_solar(10, 3, year), "Giỗ Tổ Hùng Vương"),
        (date(year, 4, 30), "Ngày Chiến thắng"),
        (date(year, 5, 1), "Quốc tế Lao động"),
        # The law gives 2/9 plus one adjacent day chosen each year; 1/9 is the usual choice.
        (date(year, 9, 1), "Quốc khánh"),
        (date(year, 9, 2), "Quốc khánh"),
    ]
    if year >= CULTURE_DAY_FROM:
        days.append((date(year, 11, 24), "Ngày Văn hóa Việt Nam"))
    return sorted(days)


def provisional_year(year: int) -> YearTable:
    """The table the law implies, for a year whose official notice has not arrived yet."""
    holidays = _law_holidays(year)
    taken = {d for d, _ in holidays}
    days: list[CalendarDay] = []
    for d, name in holidays:  # date order, so a block spanning a weekend gets its substitutes after it
        days.append(CalendarDay(d, "off", name, provisional=True))
        if d.weekday() >= 5:  # Điều 111 khoản 3: a holiday on a weekly rest day is taken the next working day
            sub = d + timedelta(days=1)
            while sub.weekday() >= 5 or sub in taken:
                sub += timedelta(days=1)
            taken.add(sub)
            days.append(CalendarDay(sub, "off", f"Nghỉ bù {name}", provisional=True))
    days.sort(key=lambda c: c.day)
    return YearTable(
        year=year,
        official=False,
        days=tuple(days),
        source="Tạm tính theo Bộ luật Lao động 2019 Điều 111, 112 (chưa có thông báo chính thức)",
    )


def load_year_table(data: dict[str, Any]) -> YearTable:
    """A table from its JSON form; ValueError (in Vietnamese, shown to the admin) on bad input."""
    if not isinstance(data, dict):
        raise ValueError("Lịch năm phải là một đối tượng JSON")
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not in_range(year):
        raise ValueError(f"Năm không hợp lệ: {year!r}")
    official = data.get("official", False)
    if not isinstance(official, bool):
        raise ValueError(f"Trường 'official' phải là true hoặc false: {official!r}")
    source = data.get("source", "")
    if not isinstance(source, str):
        raise ValueError("Trường 'source' phải là chuỗi ký tự")
    raw_days = data.get("days", [])
    if not isinstance(raw_days, list):
        raise ValueError("Trường 'days' phải là một danh sách")
    days: list[CalendarDay] = []
    seen: set[date] = set()
    for item in raw_days:
        if not isinstance(item, dict):
            raise ValueError(f"Mục ngày không hợp lệ: {item!r}")
        raw_date = item.get("date")
        try:
            d = parse_iso_day(raw_date)
        except ValueError:
            raise ValueError(f"Ngày không hợp lệ: {raw_date!r} (định dạng YYYY-MM-DD)") from None
        if d.year != year:
            raise ValueError(f"Ngày {d:%d/%m/%Y} không thuộc năm {year}")
        if d in seen:
            raise ValueError(f"Ngày {d:%d/%m/%Y} bị khai báo hai lần")
        seen.add(d)
        kind = item.get("kind")
        if kind not in KINDS:
            raise ValueError(f"Loại ngày không hợp lệ cho {d:%d/%m/%Y}: {kind!r} (phải là 'off' hoặc 'work')")
        name = item.get("name", "")
        provisional = item.get("provisional", False)
        if not isinstance(name, str) or not isinstance(provisional, bool):
            raise ValueError(f"Tên hoặc cờ tạm tính không hợp lệ cho ngày {d:%d/%m/%Y}")
        days.append(CalendarDay(d, kind, nfc(name), provisional))
    days.sort(key=lambda c: c.day)
    return YearTable(year=year, official=official, days=tuple(days), source=nfc(source))


def year_table_to_dict(t: YearTable) -> dict[str, Any]:
    days: list[dict[str, Any]] = []
    for c in t.days:
        item: dict[str, Any] = {"date": c.day.isoformat(), "kind": c.kind, "name": c.name}
        if c.provisional:
            item["provisional"] = True
        days.append(item)
    return {"year": t.year, "official": t.official, "source": t.source, "days": days}


def shipped_years() -> dict[int, YearTable]:
    """The official tables shipped in resources/calendar/<year>.json."""
    tables: dict[int, YearTable] = {}
    for path in sorted(resource_path("calendar").glob("*.json")):
        table = load_year_table(json.loads(path.read_text(encoding="utf-8")))
        if path.stem != str(table.year):
            raise ValueError(f"Tệp {path.name} chứa lịch năm {table.year}")
        tables[table.year] = table
    return tables
