"""Which publications each counter holds: every successful GET /v1/pull says the cursor the counter
already reached, so it is noted per device (`device_pull`) for the publications page. Observed
beside the pull, never in its way: a failure here is logged and the counter's answer is unchanged."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from district_server import auth
from district_server.database import Database
from district_server.schema import device_pull
from district_server.timeutil import now_iso

log = logging.getLogger("district_server")
MAX_CURSOR = 2**63 - 1


def install(app: FastAPI, db: Database) -> None:
    @app.middleware("http")
    async def _note_pull(request: Request, call_next) -> Response:  # noqa: ANN001 - starlette's callable
        response = await call_next(request)
        if request.url.path == "/v1/pull" and request.method == "GET" and response.status_code == 200:
            try:
                await run_in_threadpool(note, db, request)
            except Exception:  # noqa: BLE001 - bookkeeping only: the pull itself succeeded
                log.exception("could not note a pull")
        return response


def note(db: Database, request: Request) -> None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    dev = auth.authenticate(db, token.strip()) if scheme.lower() == "bearer" else None
    if dev is None:
        return
    cursor = {k: request.query_params.get(k, "0") for k in ("events_after", "publications_after")}
    if not all(v.isdigit() and int(v) <= MAX_CURSOR for v in cursor.values()):
        return
    values = {"at": now_iso(), **{k: int(v) for k, v in cursor.items()}}
    stmt = db.insert(device_pull).values(device_id=dev.id, **values)
    with db.write() as conn:  # one row per device; no office lock (no feed sequence is drawn)
        conn.execute(stmt.on_conflict_do_update(index_elements=["device_id"], set_=values))
