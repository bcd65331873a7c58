"""Dossiers: search by code / folded name / ID number, one dossier with its whole history, and a
status move made at the district (docs/server-web.md). Searches and views are audited: they read
citizens' personal data."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from counter_app.domain.privacy import mask
from counter_app.domain.statuses import ALLOWED_MOVES, label
from counter_app.errors import UserError
from district_server import admin, dossiers, staff
from district_server.database import Database
from district_server.received import storable
from district_server.web import pages_files, strings
from district_server.web.auth_web import BASE, WebError, client_of, field, need, page, posted

MAX_QUERY = 100


def router(db: Database) -> APIRouter:
    r = APIRouter()

    @r.get(BASE + "/ho-so", include_in_schema=False)
    async def search(request: Request, q: str = "") -> Response:
        session = await need(db, request)
        query = " ".join(storable(q).split())[:MAX_QUERY]
        if not query:
            return page(request, "dossiers.html", session, q="", rows=None)
        if len(query) < 2:
            return page(request, "dossiers.html", session, 400, q=query, rows=None, error=strings.SEARCH_SHORT)

        def run() -> tuple[str, list]:
            found = dossiers.search(db, query)
            with db.write() as conn:
                staff.record(conn, session.staff.username, "dossier.search", mask(query),
                             {"by": found[0], "rows": len(found[1])}, client=client_of(request))
            return found

        by, rows = await run_in_threadpool(run)
        more = len(rows) > dossiers.SEARCH_LIMIT
        return page(request, "dossiers.html", session, q=query, by=by, rows=rows[:dossiers.SEARCH_LIMIT],
                    error="" if rows else strings.SEARCH_NONE.format(q=query),
                    note=strings.SEARCH_MORE.format(n=dossiers.SEARCH_LIMIT) if more else "")

    @r.get(BASE + "/ho-so/{code}", include_in_schema=False)
    async def one(request: Request, code: str, moved: str = "") -> Response:
        session = await need(db, request)
        value = storable(code).strip().upper()[:64]

        def run() -> dict | None:
            found = dossiers.get_dossier(db, value)
            if found is not None:
                found["files"] = pages_files.dossier_files(db, request.app.state.blobs, found["id"])
            with db.write() as conn:
                staff.record(conn, session.staff.username, "dossier.view", value, {"found": found is not None},
                             client=client_of(request))
            return found

        found = await run_in_threadpool(run)
        if found is None:
            raise WebError(404, strings.NO_SUCH_DOSSIER.format(code=value))
        moves = [(s, label(s)) for s in sorted(ALLOWED_MOVES.get(found["status"], ()))]
        # The message is made here from what is stored: a link cannot make the page say anything else.
        flash = strings.STATUS_MOVED.format(code=value, status=found["status_label"]) if moved == "1" else ""
        return page(request, "dossier.html", session, d=found, moves=moves, flash=flash)

    @r.post(BASE + "/ho-so/{code}/trang-thai", include_in_schema=False)
    async def set_status(request: Request, code: str) -> Response:
        session, form = await posted(db, request, "set_status")
        value, raw, note = storable(code).strip().upper()[:64], field(form, "status", 2), field(form, "note", 4000)
        if not raw.isdigit() or not 1 <= int(raw) <= 10:
            raise WebError(400, strings.BAD_STATUS)

        def run() -> None:
            admin.set_status(db, value, int(raw), note=note, officer=session.staff.username)
            with db.write() as conn:
                staff.record(conn, session.staff.username, "dossier.set_status", value, {"status": int(raw)},
                             client=client_of(request))

        try:
            await run_in_threadpool(run)
        except UserError as exc:
            raise WebError(400, exc.message) from None
        return RedirectResponse(f"{BASE}/ho-so/{quote(value, safe='')}?moved=1", status_code=303)

    return r
