"""The procedures made public: /thu-tuc (the list, searchable, by field) and /thu-tuc/<code> (one
procedure: the same content as its poster), the address a poster's QR opens (services/posters.py
procedure_url; docs/server-web.md, docs/posters.md).

Served from the newest catalogue the district published for every office (the publication table,
district_server/admin.publish_catalogue), else the catalogue the counters ship with. With
`?don-vi=<agency code>` the office's own procedures (district_server/office_procedures.py, sent by
its counters) are added, replacing the district's of the same code: that office's catalogue. A code
only offices hold opens the one office's page, or a choice of offices when several hold it. Both
pages carry the catalogue's version (services.catalogue.catalogue_version, the one the posters
print) in their ETag, so a phone or a proxy keeps them until the catalogue changes.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from counter_app import clock
from counter_app.domain.codes import normalise_agency_code
from counter_app.domain.text import fold
from counter_app.domain.vn_time import vn_short_date
from counter_app.errors import UserError
from counter_app.papers.posters import fee_text
from counter_app.papers.slip import SlipDocument, document_text, working_time_text
from counter_app.services import catalogue, posters
from counter_app.services.catalogue import ProcedureSpec
from district_server import __version__, office_procedures
from district_server.database import Database
from district_server.schema import publication
from district_server.web import strings
from district_server.web.ratelimit import RateLimit
from district_server.web.templates import TEMPLATES_DIR, render

LIST_PATH = posters.PAGE_PATH.rstrip("/")
# A phone re-reads a page at most every 5 minutes without asking; after that it asks with the ETag
# and gets a 304 until the catalogue changes.
MAX_AGE_S = 300
# Reading a page costs a dictionary look-up: a generous limit that only stops a crawler in a loop.
PAGES_PER_MINUTE = 240
MAX_QUERY_CHARS = 100
MAX_CODE_CHARS = 60
OFFICE_PARAM = "don-vi"
# In the ETag with the catalogue's version: a server upgraded with other page wording (templates,
# strings, this module) must not answer 304 to a phone holding the old wording.
_TEMPLATES_FINGERPRINT = hashlib.sha256(__version__.encode() + b"".join(
    path.read_bytes() for path in (TEMPLATES_DIR / "base.html", TEMPLATES_DIR / "procedures.html",
                                   TEMPLATES_DIR / "procedure.html", Path(strings.__file__), Path(__file__)))
).hexdigest()[:8]


@dataclass(frozen=True)
class PublicCatalogue:
    specs: tuple[ProcedureSpec, ...]  # the listing board's order (fields A to Z, then code)
    by_code: dict[str, ProcedureSpec]
    fields: tuple[str, ...]
    version: str
    published: date | None  # the day the district published it; None for the shipped catalogue
    seq: int  # the publication it came from; 0 for the shipped catalogue
    office: str = ""  # the office whose own procedures are added ("" for the district's alone)
    own: frozenset[str] = frozenset()  # the codes that are the office's own
    own_fingerprint: str = ""  # office_procedures.fingerprint of them

    @property
    def stamp(self) -> str:
        day = strings.PROC_STAMP_DATE.format(date=vn_short_date(self.published)) if self.published else ""
        return strings.PROC_STAMP.format(version=self.version) + day + "."

    @property
    def etag(self) -> str:
        own = f"-{self.office}-{self.own_fingerprint}" if self.office else ""
        return f'"{self.version}-{self.seq}-{_TEMPLATES_FINGERPRINT}{own}"'

    @property
    def query(self) -> str:
        """What the links of an office's pages add, so a reader stays in that office's catalogue."""
        return f"?{OFFICE_PARAM}={self.office}" if self.office else ""


def public_catalogue(specs: list[ProcedureSpec], seq: int = 0, published: date | None = None) -> PublicCatalogue:
    ordered = posters.ordered(specs)
    return PublicCatalogue(tuple(ordered), {s.code: s for s in ordered}, tuple(posters.fields(ordered)),
                           catalogue.catalogue_version(specs), published, seq)


class CatalogueSource:
    """The catalogue the pages show, parsed once per publication: each request only reads the
    newest district-wide catalogue's sequence number."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._held: PublicCatalogue | None = None
        self._offices: dict[str, PublicCatalogue] = {}
        self._lock = threading.Lock()

    def for_office(self, agency_code: str) -> PublicCatalogue:
        """The district's catalogue with the office's own procedures: one small query a request
        (their ids), and the merge again only when either changed."""
        base = self.current()
        stamp = office_procedures.fingerprint(office_procedures.entry_ids(self.db, agency_code))
        held = self._offices.get(agency_code)
        if held is not None and held.seq == base.seq and held.own_fingerprint == stamp:
            return held
        own = office_procedures.of_office(self.db, agency_code)
        merged = {spec.code: spec for spec in base.specs} | {item["spec"].code: item["spec"] for item in own}
        fresh = replace(public_catalogue(list(merged.values()), base.seq, base.published), office=agency_code,
                        own=frozenset(item["spec"].code for item in own),
                        own_fingerprint=office_procedures.fingerprint([i["entry_id"] for i in own]))
        with self._lock:
            if len(self._offices) > 1000:  # a district has a few hundred offices; never grows unbounded
                self._offices.clear()
            self._offices[agency_code] = fresh
        return fresh

    def current(self) -> PublicCatalogue:
        newest = (publication.c.kind == "catalogue") & publication.c.agency_code.is_(None)
        with self.db.engine.connect() as conn:
            seq = int(conn.execute(sa.select(sa.func.max(publication.c.seq)).where(newest)).scalar() or 0)
            held = self._held
            if held is not None and held.seq == seq:
                return held
            row = conn.execute(sa.select(publication.c.payload_json, publication.c.published_at)
                               .where(publication.c.seq == seq)).first() if seq else None
        if row is None:
            fresh = public_catalogue(catalogue.load_shipped_catalogue())
        else:
            records = json.loads(row.payload_json)["procedures"]  # checked when published (admin.py)
            specs = catalogue.parse_procedures([(f"Thủ tục thứ {i}", r) for i, r in enumerate(records, 1)])
            day = clock.parse_iso(row.published_at).astimezone(clock.VN_TZ).date()
            fresh = public_catalogue(specs, seq, day)
        with self._lock:
            self._held = fresh
        return fresh


def router(db: Database, limit: RateLimit) -> APIRouter:
    r = APIRouter()
    source = CatalogueSource(db)

    async def gate(request: Request, office: str = "", code: str = "") -> tuple[PublicCatalogue | None,
                                                                                 Response | None]:
        wait = limit.hit(request.client.host if request.client else "?")
        if wait:
            response = render(request, "procedures.html", 429, cat=None, hits=[], q="", chosen="",
                              error=strings.LOOKUP_TOO_MANY.format(seconds=int(wait) + 1))
            response.headers["Retry-After"] = str(int(wait) + 1)
            return None, response
        try:
            agency = normalise_agency_code(office[:40]) if office.strip() else ""
        except UserError as exc:
            return None, render(request, "procedures.html", 400, cat=None, hits=[], q="", chosen="",
                                error=exc.message)
        cat = await run_in_threadpool(lambda: _catalogue_for(source, agency, code))
        asked = request.headers.get("if-none-match", "")
        if cat.etag in (tag.strip().removeprefix("W/") for tag in asked.split(",")):
            return cat, Response(status_code=304, headers=_cache_headers(cat))
        return cat, None

    @r.get(LIST_PATH, include_in_schema=False)
    async def listing(request: Request, q: str = "", linh_vuc: str = Query("", alias="linh-vuc"),
                      don_vi: str = Query("", alias=OFFICE_PARAM)) -> Response:
        cat, answered = await gate(request, don_vi)
        if answered is not None:
            return answered
        assert cat is not None
        query, chosen = q.strip(), linh_vuc.strip()
        status, error = 200, ""
        try:
            if len(query) > MAX_QUERY_CHARS or len(chosen) > MAX_QUERY_CHARS:
                raise UserError(strings.PROC_QUERY_LONG.format(limit=MAX_QUERY_CHARS))
            hits = posters.ordered(catalogue.search_procedures(
                posters.field_filter(list(cat.specs), chosen or None), query, limit=len(cat.specs)))
        except UserError as exc:
            status, error, hits = 400, exc.message, []
            query, chosen = query[:MAX_QUERY_CHARS], ""
        response = render(request, "procedures.html", status, cat=cat, hits=_by_field(hits), n=len(hits),
                          q=query, chosen=chosen, error=error,
                          nothing=strings.PROC_NONE.format(q=query or chosen) if not hits and not error else "")
        if status == 200:
            response.headers.update(_cache_headers(cat))
        return response

    @r.get(posters.PAGE_PATH + "{code}", include_in_schema=False)
    async def one(request: Request, code: str, don_vi: str = Query("", alias=OFFICE_PARAM)) -> Response:
        typed = code.strip()[:MAX_CODE_CHARS]
        cat, answered = await gate(request, don_vi, typed)
        if answered is not None:
            return answered
        assert cat is not None
        spec = cat.by_code.get(typed)
        if spec is None:
            offices = [] if cat.office else await run_in_threadpool(office_procedures.offices_with, db, typed)
            return render(request, "procedure.html", 404, cat=cat, p=None, offices=offices, code=typed,
                          missing=strings.PROC_CHOOSE_OFFICE.format(code=typed) if offices
                          else strings.PROC_NOT_FOUND.format(code=typed))
        response = render(request, "procedure.html", cat=cat, p=shown(spec), own=spec.code in cat.own,
                          hours=posters.working_hours_text())
        response.headers.update(_cache_headers(cat))
        return response

    return r


def _cache_headers(cat: PublicCatalogue) -> dict[str, str]:
    # Public and cacheable, unlike every other page of the server (templates.render says no-store).
    return {"Cache-Control": f"public, max-age={MAX_AGE_S}", "ETag": cat.etag}


def _by_field(specs: list[ProcedureSpec]) -> list[tuple[str, list[ProcedureSpec]]]:
    groups: list[tuple[str, list[ProcedureSpec]]] = []
    for spec in specs:
        if not groups or fold(groups[-1][0]) != fold(spec.field):
            groups.append((spec.field, []))
        groups[-1][1].append(spec)
    return groups


def _catalogue_for(source: CatalogueSource, agency: str, code: str) -> PublicCatalogue:
    """The office's catalogue when one is asked for; else the district's, unless `code` is a
    procedure only offices hold and exactly one does: then that office's."""
    if agency:
        return source.for_office(agency)
    cat = source.current()
    if code and code not in cat.by_code:
        holders = office_procedures.offices_with(source.db, code)
        if len(holders) == 1:
            return source.for_office(holders[0])
    return cat


def shown(spec: ProcedureSpec) -> dict[str, object]:
    """A procedure in the poster's words (papers/posters.py): time, fee, each paper's line."""
    return {
        "code": spec.code, "name": spec.name, "field": spec.field,
        "time": working_time_text(spec.working_days), "fee": fee_text(spec),
        "papers": [document_text(0, SlipDocument(d.name, d.form, d.count))[1] for d in spec.documents],
    }
