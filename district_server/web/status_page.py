"""The citizen's status page: /tra-cuu (a form) and /tra-cuu/<code> (docs/server-web.md).

Public, so it shows only what the slip already says: the procedure, received and due times, the
status in the counter's words (domain/statuses.py), whether the result is ready, and the
applicant's name masked. A well-formed code that is not held gets the same page shape and the same
status code as one that is, and every answer is padded to the same minimum time, so neither the
page nor its timing says whether a dossier exists (a code is guessable: office, day, number).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from counter_app.domain.codes import parse_dossier_code
from counter_app.domain.privacy import mask_name
from counter_app.domain.statuses import FINAL, Status, label
from counter_app.sync.protocol import LOOKUP_PATH, DossierSnapshot
from district_server.database import Database
from district_server.received import storable
from district_server.schema import dossier, event
from district_server.web import strings
from district_server.web.ratelimit import RateLimit
from district_server.web.templates import render

# 30 look-ups a minute per address: a family behind one router checking a few slips is far below
# it; walking through a day's codes (999 per counter) takes hours.
LOOKUPS_PER_MINUTE = 30
# Every answer takes at least this long, found or not (an indexed look-up takes ~1 ms; the floor
# hides its variance and the template's); still well under the 50 ms the issue allows.
ANSWER_FLOOR_S = 0.03
MAX_CODE_CHARS = 64


def router(db: Database, limit: RateLimit) -> APIRouter:
    r = APIRouter()

    @r.get("/tra-cuu", include_in_schema=False)
    async def form(request: Request, ma: str | None = None) -> Response:
        if ma is not None:  # the form's GET submit: to the one address a QR also opens
            code = ma.strip()
            if not code:
                return render(request, "lookup_form.html", 400, error=strings.LOOKUP_EMPTY, typed="")
            if parse_dossier_code(code[:MAX_CODE_CHARS]) is None:
                return render(request, "lookup_form.html", 400, typed=code[:MAX_CODE_CHARS],
                              error=strings.LOOKUP_BAD_CODE.format(code=code[:MAX_CODE_CHARS]))
            return RedirectResponse(f"{LOOKUP_PATH}{code.upper()}", status_code=303)
        return render(request, "lookup_form.html", typed="")

    @r.get(LOOKUP_PATH + "{code}", include_in_schema=False)
    async def status(request: Request, code: str) -> Response:
        started = time.monotonic()
        wait = limit.hit(request.client.host if request.client else "?")
        if wait:
            seconds = int(wait) + 1
            response = render(request, "lookup_form.html", 429, typed="",
                              error=strings.LOOKUP_TOO_MANY.format(seconds=seconds))
            response.headers["Retry-After"] = str(seconds)
            return response
        typed = code.strip()[:MAX_CODE_CHARS]
        parsed = parse_dossier_code(typed)
        if parsed is None:
            return render(request, "lookup_form.html", 400, typed=typed,
                          error=strings.LOOKUP_BAD_CODE.format(code=typed))
        found = await run_in_threadpool(public_status, db, typed.upper())
        response = render(request, "lookup.html", code=typed.upper(), d=found,
                          not_found=strings.LOOKUP_NOT_FOUND.format(code=typed.upper()))
        await asyncio.sleep(max(0.0, ANSWER_FLOOR_S - (time.monotonic() - started)))
        return response

    return r


def public_status(db: Database, code: str) -> dict[str, Any] | None:
    """What the public may see of a dossier, or None. One indexed look-up (uq_dossier_code) whether
    the code is held or not."""
    with db.engine.connect() as conn:
        row = conn.execute(
            sa.select(dossier.c.status, dossier.c.procedure_name, dossier.c.received_at, dossier.c.due_at,
                      dossier.c.returned_at, event.c.payload_json)
            .join(event, event.c.event_id == dossier.c.last_event_id)
            .where(dossier.c.code == code)).first()
    if row is None:
        return None
    snapshot = DossierSnapshot.of(json.loads(row.payload_json).get("dossier"))
    return {
        "procedure": row.procedure_name or snapshot.procedure_name,
        "applicant": mask_name(storable(snapshot.applicant.full_name)),
        "received_at": row.received_at,
        "due_at": row.due_at,
        "returned_at": row.returned_at,
        "status": label(row.status),
        "result": _result(row.status),
        "ready": row.status == Status.DONE,
    }


def _result(status: int) -> str:
    if status == Status.DONE:
        return strings.RESULT_READY
    if status == Status.RETURNED:
        return strings.RESULT_HANDED
    if status in FINAL:
        return strings.RESULT_NONE
    return strings.RESULT_NOT_YET
