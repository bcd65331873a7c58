"""Which publications each counter holds: every successful GET /v1/pull says the cursor the counter
already reached, so it is noted per device (`device_pull`) for the publications page. Observed
beside the pull, never in its way: noted after the answer, a failure only logged."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from fastapi import FastAPI, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from district_server import auth
from district_server.database import Database
from district_server.schema import device_pull
from district_server.timeutil import now_iso

log = logging.getLogger("district_server")
MAX_CURSOR = 2**63 - 1


def install(app: FastAPI, db: Database) -> None:
    # Noted after the answer, on one thread of its own: on SQLite the note waits for the one
    # writer, and a pull must never wait for a push (tests/server/test_faults.py). A plain ASGI
    # wrapper: every other request (a push's streamed body above all) passes straight through.
    notes = app.state.pull_notes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull-seen")
    app.add_middleware(_PullSeen, db=db, notes=notes)


class _PullSeen:
    def __init__(self, app: ASGIApp, db: Database, notes: ThreadPoolExecutor) -> None:
        self.app, self.db, self.notes = app, db, notes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/v1/pull" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, sending)
        if status == 200:
            request = Request(scope)
            self.notes.submit(note, self.db, request.headers.get("authorization", ""), dict(request.query_params))


def note(db: Database, authorization: str, query: dict[str, str]) -> None:
    try:
        _note(db, authorization, query)
    except Exception:  # noqa: BLE001 - bookkeeping only: the pull itself succeeded
        log.exception("could not note a pull")


def _note(db: Database, authorization: str, query: dict[str, str]) -> None:
    scheme, _, token = authorization.partition(" ")
    dev = auth.authenticate(db, token.strip()) if scheme.lower() == "bearer" else None
    if dev is None:
        return
    cursor = {k: query.get(k, "0") for k in ("events_after", "publications_after")}
    if not all(v.isdigit() and int(v) <= MAX_CURSOR for v in cursor.values()):
        return
    values = {"at": now_iso(), **{k: int(v) for k, v in cursor.items()}}
    stmt = db.insert(device_pull).values(device_id=dev.id, **values)
    with db.write() as conn:  # one row per device; no office lock (no feed sequence is drawn)
        conn.execute(stmt.on_conflict_do_update(index_elements=["device_id"], set_=values))
