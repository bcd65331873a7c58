"""The procedures made public on paper: one procedure's poster, a batch of posters (every procedure,
or one field's, for the villages' notice boards), and the office's listing board.

Everything comes from the catalogue in the store and the office's settings; counter_app.papers
only draws. The QR of a procedure opens `<the district server's public address>/thu-tuc/<code>`
(`procedure_url`). Every refusal is a UserError with one Vietnamese sentence, before any PDF exists.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from counter_app import clock
from counter_app.domain.calendar import DEFAULT_POLICY
from counter_app.domain.public_papers import check_paper
from counter_app.domain.text import collapse_spaces, fold, nfc
from counter_app.errors import UserError
from counter_app.papers.listing import group_by_field, render_listing
from counter_app.papers.posters import (
    CatalogueMark,
    PosterOffice,
    PosterProcedure,
    render_posters,
)
from counter_app.papers.slip import SlipDocument
from counter_app.services import catalogue, office_settings, settings
from counter_app.services.catalogue import ProcedureSpec
from counter_app.services.office import require_office
from counter_app.sync.engine import KEY_SERVER

SITE_URL_KEY = "posters.site_url"
ADDRESS_KEY = "office.address"
HOURS_KEY = "office.hours"
HOTLINE_KEY = "papers.office_phone"
# When the office has no district server: the procedure's page on the national public service portal
# (docs/legal.md §8), which shows the nationally published version of it.
NATIONAL_PAGE = "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc={code}"
PAGE_PATH = "/thu-tuc/"
WEEKDAYS = "thứ Hai đến thứ Sáu"


def site_address(session: Session) -> str:
    """Where the procedure pages are: the office's public address for them, else the district
    server it is linked to, else the national portal."""
    chosen = str(office_settings.value(session, SITE_URL_KEY) or "").strip()
    if chosen:
        return chosen
    linked = settings.get(session, KEY_SERVER, "")
    return str(linked).strip() if isinstance(linked, str) and linked.strip() else NATIONAL_PAGE


def procedure_url(site: str, code: str) -> str:
    """'{code}' in the address is replaced; otherwise /thu-tuc/<code> is appended to it."""
    if "{code}" in site:
        return site.replace("{code}", code)
    return site.rstrip("/") + PAGE_PATH + code


def working_hours_text() -> str:
    """The calendar's working periods in words: 'Sáng 07:00–11:30, chiều 13:30–17:00, thứ Hai đến thứ Sáu'."""
    names = ("Sáng", "chiều", "tối")
    periods = [f"{names[min(i, 2)]} {start:%H:%M}–{end:%H:%M}" for i, (start, end) in enumerate(DEFAULT_POLICY.periods)]
    return ", ".join(periods) + f", {WEEKDAYS} (trừ ngày nghỉ lễ, Tết)"


def _office(session: Session) -> tuple[PosterOffice, str]:
    office = require_office(session)
    hours = str(office_settings.value(session, HOURS_KEY) or "") or working_hours_text()
    return PosterOffice(
        parent_name=office.agency_name,
        office_name=office.office_name or "Bộ phận Một cửa",
        address=str(office_settings.value(session, ADDRESS_KEY) or ""),
        hours=hours,
        hotline=str(office_settings.value(session, HOTLINE_KEY) or ""),
    ), office.place


def _mark(session: Session, today: date | None) -> CatalogueMark:
    stamp = catalogue.catalogue_stamp(session)
    return CatalogueMark(stamp.version, stamp.updated, today or clock.now().date())


def _poster_procedure(spec: ProcedureSpec, site: str) -> PosterProcedure:
    return PosterProcedure(
        code=spec.code, name=spec.name, field=spec.field, working_days=spec.working_days, fee=spec.fee,
        fee_amount=spec.fee_amount, documents=tuple(SlipDocument(d.name, d.form, d.count) for d in spec.documents),
        url=procedure_url(site, spec.code),
    )


def field_filter(specs: list[ProcedureSpec], field: str | None) -> list[ProcedureSpec]:
    """The procedures of one field (diacritics and case optional), or all of them for None."""
    if field is None:
        return specs
    wanted = fold(collapse_spaces(nfc(field)))
    if not wanted:
        raise UserError("Cần ghi tên lĩnh vực, ví dụ \"Hộ tịch\" (hoặc bỏ --field để in mọi thủ tục).",
                        field="field")
    chosen = [s for s in specs if fold(s.field) == wanted]
    if not chosen:
        known = ", ".join(fields(specs)) or "(danh mục chưa có lĩnh vực nào)"
        raise UserError(f"Không có lĩnh vực '{nfc(field)}' trong danh mục; các lĩnh vực: {known}.", field="field")
    return chosen


def fields(specs: list[ProcedureSpec]) -> list[str]:
    """Every field of the catalogue, in the listing board's order."""
    return [name for name in sorted({s.field for s in specs if s.field}, key=_field_key)]


def _field_key(name: str) -> tuple[str, str]:
    return fold(name), name


def ordered(specs: list[ProcedureSpec]) -> list[ProcedureSpec]:
    """The board's order: fields A to Z (diacritics folded), then by code within a field (the
    order of `catalogue list`); procedures without a field last."""
    return sorted(specs, key=lambda s: (s.field == "", _field_key(s.field), s.code))


def poster_pdf(session: Session, code: str, paper: str = "a4", *, today: date | None = None) -> bytes:
    """The poster of one procedure of the catalogue (one page)."""
    check_paper(paper)
    spec = catalogue.get_procedure(session, code)
    office, _ = _office(session)
    return render_posters(office, [_poster_procedure(spec, site_address(session))], _mark(session, today), paper)


def posters_pdf(session: Session, field: str | None = None, paper: str = "a4", *,
                today: date | None = None) -> bytes:
    """Every procedure's poster (or one field's) in one PDF, a page each, in the board's order."""
    check_paper(paper)
    specs = _catalogue(session)
    chosen = ordered(field_filter(specs, field))
    office, _ = _office(session)
    site = site_address(session)
    return render_posters(office, [_poster_procedure(s, site) for s in chosen], _mark(session, today), paper)


def listing_pdf(session: Session, field: str | None = None, *, today: date | None = None) -> bytes:
    """The listing board of the whole catalogue (or of one field)."""
    specs = _catalogue(session)
    chosen = ordered(field_filter(specs, field))
    office, place = _office(session)
    site = site_address(session)
    groups = group_by_field([_poster_procedure(s, site) for s in chosen], _field_key)
    return render_listing(office, groups, _mark(session, today), place)


def _catalogue(session: Session) -> list[ProcedureSpec]:
    specs = catalogue.list_procedures(session)
    if not specs:
        raise UserError("Danh mục thủ tục đang trống: hãy nhập danh mục trước (counter-app catalogue import).")
    return specs


__all__ = ["NATIONAL_PAGE", "SITE_URL_KEY", "field_filter", "fields", "listing_pdf", "ordered",
           "poster_pdf", "posters_pdf", "procedure_url", "site_address", "working_hours_text"]
