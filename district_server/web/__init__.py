"""The web face of the district server (docs/server-web.md): the citizen's status page under
/tra-cuu, the procedures made public under /thu-tuc, and the staff dashboard under /quan-tri/,
server-rendered from templates/, with the local files of static/ (no CDN, no JavaScript needed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from district_server.database import Database
from district_server.web import dashboard, procedure_pages, status_page
from district_server.web.ratelimit import RateLimit
from district_server.web.templates import STATIC_DIR


@dataclass
class WebLimits:
    """The per-address limits of the public pages and the log-in form (one set per app)."""

    lookups: RateLimit = field(default_factory=lambda: RateLimit(status_page.LOOKUPS_PER_MINUTE, 60.0))
    procedures: RateLimit = field(default_factory=lambda: RateLimit(procedure_pages.PAGES_PER_MINUTE, 60.0))


def install(app: FastAPI, db: Database) -> WebLimits:
    limits = WebLimits()
    app.state.web_limits = limits
    app.mount("/static/web", StaticFiles(directory=str(STATIC_DIR)), name="web-static")
    app.include_router(status_page.router(db, limits.lookups))
    app.include_router(procedure_pages.router(db, limits.procedures))
    dashboard.install(app, db)
    return limits
