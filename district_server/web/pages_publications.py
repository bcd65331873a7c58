"""Publications: upload a catalogue of procedures or a year's holiday table for every office or
one, and see which offices' counters have pulled each (district_server/admin.py publishes;
web/pull_seen.py notes what each counter holds; docs/server-web.md)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import Response

from counter_app.errors import UserError
from counter_app.services import catalogue
from district_server import admin, staff
from district_server.database import Database
from district_server.schema import device, device_pull, publication
from district_server.web import strings
from district_server.web.auth_web import BASE, WebError, client_of, field, need, page, posted

MAX_UPLOAD = catalogue.MAX_FILE_BYTES
KINDS = {"catalogue": "Danh mục thủ tục", "calendar": "Lịch nghỉ lễ"}


def router(db: Database) -> APIRouter:
    r = APIRouter()

    @r.get(BASE + "/phat-hanh", include_in_schema=False)
    async def listing(request: Request) -> Response:
        session = await need(db, request)
        return page(request, "publications.html", session, rows=await run_in_threadpool(publications, db),
                    kinds=KINDS)

    @r.post(BASE + "/phat-hanh", include_in_schema=False)
    async def upload(request: Request) -> Response:
        session, form = await posted(db, request, "publish", files=1)
        kind, scope, note = field(form, "kind", 20), field(form, "agency_code", 20), field(form, "note", 500)
        upload = form.get("file")
        if kind not in KINDS:
            raise WebError(400, strings.BAD_FORM.format(what="loại phát hành"))
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise WebError(400, strings.PUBLISH_NO_FILE)
        data = await upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            raise WebError(400, strings.PUBLISH_TOO_BIG.format(mb=MAX_UPLOAD // 1024 // 1024))

        def publish() -> int:
            if kind == "catalogue":
                suffix = Path(upload.filename).suffix.lower()[:5]
                with tempfile.TemporaryDirectory() as tmp:  # the catalogue reader takes a file, as the CLI gives it
                    path = Path(tmp) / f"danh-muc{suffix}"
                    path.write_bytes(data)
                    specs = catalogue.read_catalogue_file(path)
                seq = admin.publish_catalogue(db, [s.to_dict() for s in specs], agency_code=scope or None, note=note)
            else:
                try:
                    table = json.loads(data.decode("utf-8-sig"))
                except (UnicodeDecodeError, ValueError):
                    raise UserError(strings.PUBLISH_BAD_JSON) from None
                seq = admin.publish_calendar(db, table, agency_code=scope or None, note=note)
            with db.write() as conn:
                staff.record(conn, session.staff.username, "publish", str(seq),
                             {"kind": kind, "agency_code": scope or None, "file": upload.filename[:100]},
                             client=client_of(request))
            return seq

        try:
            seq = await run_in_threadpool(publish)
        except UserError as exc:
            raise WebError(400, exc.message) from None
        return page(request, "publications.html", session, rows=await run_in_threadpool(publications, db),
                    kinds=KINDS, flash=strings.PUBLISHED.format(seq=seq, what=KINDS[kind]))

    return r


def publications(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    """The latest publications, each with the offices it is for and, per office, how many of its
    counters in use have pulled it."""
    with db.engine.connect() as conn:
        pubs = conn.execute(sa.select(publication.c.seq, publication.c.kind, publication.c.agency_code,
                                      publication.c.published_at, publication.c.note)
                            .order_by(publication.c.seq.desc()).limit(limit)).all()
        devices = conn.execute(sa.select(device.c.agency_code, device_pull.c.publications_after)
                               .select_from(device.outerjoin(device_pull, device_pull.c.device_id == device.c.id))
                               .where(device.c.revoked_at.is_(None))).all()
    by_office: dict[str, list[int]] = {}
    for agency, cursor in devices:
        by_office.setdefault(agency, []).append(cursor or 0)
    out = []
    for p in pubs:
        offices = [p.agency_code] if p.agency_code else sorted(by_office)
        out.append({**dict(p._mapping), "offices": [
            {"agency_code": a, "pulled": sum(c >= p.seq for c in by_office.get(a, [])),
             "counters": len(by_office.get(a, []))} for a in offices]})
    return out
