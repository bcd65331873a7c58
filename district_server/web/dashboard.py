"""The staff dashboard under /quan-tri/ (docs/server-web.md): the overview and the staff audit
trail here; each area in its own module (pages_offices, pages_dossiers, pages_review, pages_stats)."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from district_server import staff
from district_server.database import Database
from district_server.schema import device, review
from district_server.web import (
    auth_web,
    pages_dossiers,
    pages_files,
    pages_offices,
    pages_publications,
    pages_review,
    pages_stats,
    pull_seen,
    strings,
)
from district_server.web.auth_web import BASE, NeedLogin, WebError, need, page


def install(app: FastAPI, db: Database) -> None:
    @app.exception_handler(WebError)
    async def _refused(request: Request, exc: WebError) -> Response:
        session = await auth_web.current(db, request)
        return page(request, "error.html", session, exc.status, error=exc.message,
                    back=request.headers.get("referer", "") if _same_site(request) else "")

    @app.exception_handler(NeedLogin)
    async def _login(request: Request, _exc: NeedLogin) -> Response:
        return auth_web.login_redirect(request)

    # An unknown address or method under the web pages answers with a page, the rest of the
    # server keeps its protocol's JSON error body (app.py).
    json_error = app.exception_handlers[StarletteHTTPException]

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not request.url.path.startswith((BASE, "/tra-cuu", "/thu-tuc")):
            return await json_error(request, exc)
        message = strings.NOT_FOUND_PAGE if exc.status_code == 404 else strings.BAD_REQUEST.format(
            status=exc.status_code)
        response = page(request, "error.html", await auth_web.current(db, request), exc.status_code, error=message)
        if exc.headers and "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        return response

    app.include_router(auth_web.router(db))
    app.include_router(_router(db))
    for module in (pages_offices, pages_dossiers, pages_review, pages_stats, pages_publications, pages_files):
        app.include_router(module.router(db))
    pull_seen.install(app, db)


def _same_site(request: Request) -> bool:
    referer = request.headers.get("referer", "")
    return referer.startswith(f"{request.url.scheme}://{request.url.netloc}{BASE}/")


def _router(db: Database) -> APIRouter:
    r = APIRouter()

    @r.get(BASE, include_in_schema=False)
    async def bare() -> Response:
        return RedirectResponse(BASE + "/", status_code=307)

    @r.get(BASE + "/", include_in_schema=False)
    async def home(request: Request) -> Response:
        session = await need(db, request)
        return page(request, "home.html", session, n=await run_in_threadpool(_counts, db),
                    files=await run_in_threadpool(pages_files.stats, request.app.state.blobs))

    @r.get(BASE + "/nhat-ky", include_in_schema=False)
    async def trail(request: Request) -> Response:
        session = await need(db, request)
        return page(request, "trail.html", session, rows=await run_in_threadpool(staff.audit_trail, db))

    return r


def _counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        live = device.c.revoked_at.is_(None)
        return {
            "offices": conn.execute(sa.select(sa.func.count(sa.distinct(device.c.agency_code))).where(live)).scalar(),
            "devices": conn.execute(sa.select(sa.func.count()).select_from(device).where(live)).scalar(),
            "reviews": conn.execute(sa.select(sa.func.count()).select_from(review)
                                    .where(review.c.resolved_at.is_(None))).scalar(),
        }
