"""Offices and their counters: last seen, token issue (shown once) and revoke, each counter's audit
trail head as last reported and the open breaks of it, which an admin marks resolved
(district_server/audit_heads.py), the events each counter last said it had waiting (waiting.py),
and the office's own procedures (office_procedures.py; docs/server-web.md)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from counter_app.errors import UserError
from counter_app.sync.protocol import PROTOCOL
from district_server import audit_heads, auth, office_procedures, staff, waiting
from district_server.database import Database
from district_server.schema import batch, device
from district_server.web import strings
from district_server.web.auth_web import BASE, WebError, client_of, field, need, page, posted, resolved
from district_server.web.procedure_pages import shown


def router(db: Database) -> APIRouter:
    r = APIRouter()

    @r.get(BASE + "/don-vi", include_in_schema=False)
    async def offices(request: Request, done: str = "") -> Response:
        session = await need(db, request)
        flash = strings.BREAK_RESOLVED.format(id=done) if done.isdigit() and len(done) <= 18 else ""
        return page(request, "offices.html", session, offices=await run_in_threadpool(office_rows, db), flash=flash)

    @r.post(BASE + "/don-vi/nhat-ky/{break_id}/xu-ly", include_in_schema=False)
    async def resolve(request: Request, break_id: str) -> Response:
        return await resolved(db, request, break_id, lambda i: audit_heads.resolve_break(db, i),
                              action="audit_break.resolve", missing=strings.NO_SUCH_BREAK, back=BASE + "/don-vi")

    @r.post(BASE + "/don-vi/cap-ma", include_in_schema=False)
    async def issue(request: Request) -> Response:
        session, form = await posted(db, request, "tokens")
        agency, counter, label = field(form, "agency_code", 20), field(form, "counter", 2), field(form, "label", 200)
        if not (counter.isdigit() and len(counter) == 1):
            raise WebError(400, strings.BAD_COUNTER)

        def add() -> tuple[auth.Device, str]:
            dev, token = auth.add_device(db, agency, int(counter), label)
            with db.write() as conn:
                staff.record(conn, session.staff.username, "token.issue", dev.id,
                             {"agency_code": dev.agency_code, "counter": dev.counter}, client=client_of(request))
            return dev, token

        try:
            dev, token = await run_in_threadpool(add)
        except UserError as exc:
            raise WebError(400, exc.message) from None
        # The token is in this answer only (never stored in clear, never in the audit): shown once.
        return page(request, "offices.html", session, offices=await run_in_threadpool(office_rows, db),
                    token=token, flash=strings.TOKEN_ISSUED.format(counter=dev.counter, agency=dev.agency_code))

    @r.post(BASE + "/don-vi/thu-hoi", include_in_schema=False)
    async def revoke(request: Request) -> Response:
        session, form = await posted(db, request, "tokens")
        device_id = field(form, "device_id", 36)
        if field(form, "confirm", 1) != "1":  # a counter cut off by a slip of the mouse: ask first
            found = [d for o in await run_in_threadpool(office_rows, db) for d in o["devices"]
                     if d["id"] == device_id and not d["revoked_at"]]
            if not found:
                raise WebError(404, strings.NO_SUCH_DEVICE)
            return page(request, "revoke.html", session, d=found[0])

        def off() -> bool:
            if not auth.revoke_device(db, device_id):
                return False
            with db.write() as conn:
                staff.record(conn, session.staff.username, "token.revoke", device_id, client=client_of(request))
            return True

        if not await run_in_threadpool(off):
            raise WebError(404, strings.NO_SUCH_DEVICE)
        return page(request, "offices.html", session, offices=await run_in_threadpool(office_rows, db),
                    flash=strings.TOKEN_REVOKED.format(label=device_id))

    return r


def office_rows(db: Database) -> list[dict[str, Any]]:
    """Per office, its devices with when each last pushed a batch (ix_batch_device_received), the
    audit head and the waiting events each last reported, the office's open audit breaks and its
    own procedures (office_procedures.py). Only one protocol is
    accepted (a push of any other is refused), so a device seen speaks it."""
    with db.engine.connect() as conn:
        last = (sa.select(sa.func.max(batch.c.received_at)).where(batch.c.device_id == device.c.id)
                .correlate(device).scalar_subquery())
        rows = conn.execute(sa.select(device, last.label("last_seen"))
                            .order_by(device.c.agency_code, device.c.counter, device.c.created_at)).all()
    held = {h["device_id"]: h for h in audit_heads.heads(db)}  # active devices only
    reported = waiting.reports(db)
    own = {agency: [{**item, **shown(item["spec"])} for item in items]
           for agency, items in office_procedures.by_office(db).items()}
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        office = out.setdefault(row.agency_code, {"agency_code": row.agency_code, "devices": [], "breaks": [],
                                                  "procedures": own.get(row.agency_code, [])})
        office["devices"].append({**dict(row._mapping), "protocol": PROTOCOL if row.last_seen else "",
                                  "head": held.get(row.id), "waiting": reported.get(row.id)})
    for found in audit_heads.breaks(db):
        if found["agency_code"] in out:
            out[found["agency_code"]]["breaks"].append(found)
    return list(out.values())
