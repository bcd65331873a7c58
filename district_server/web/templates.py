"""The Jinja2 templates and local static files of the web face (no CDN, no build step)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import HTMLResponse

from counter_app.domain import event_kinds
from counter_app.domain.statuses import label
from counter_app.services.reports import shown_figure
from district_server.web import strings

HERE = Path(__file__).parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.globals.update(s=strings, status_label=label)
templates.env.filters["when"] = strings.when
templates.env.filters["event_kind"] = event_kinds.label
templates.env.filters["age"] = strings.age
templates.env.filters["decimal"] = shown_figure
# A rate with nothing to divide by (no dossier returned yet) is a dash, not an empty cell.
templates.env.filters["rate"] = lambda value: shown_figure(value) or strings.NO_RATE


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    # Nothing of these pages may be framed by another site or kept by a shared cache.
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
