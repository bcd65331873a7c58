"""Digitised files on the dashboard (docs/server-web.md): the files a dossier's events name, shown
on its page, and each one downloaded by staff, audited like a dossier view (they are citizens'
papers). The bytes come from the blob store the counters send to (district_server/blobs.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from counter_app.sync.protocol_files import is_sha256
from district_server import staff
from district_server.blobs import BlobStore
from district_server.database import Database
from district_server.file_refs import dossier_hashes, named_anywhere
from district_server.files_api import file_response
from district_server.web import strings
from district_server.web.auth_web import BASE, WebError, client_of, need
from district_server.web.chart import vn_number

PDF_MAGIC = b"%PDF-"


def dossier_files(db: Database, blobs: BlobStore, dossier_id: str) -> list[dict[str, Any]]:
    """The dossier page's list: each file its events name, held (with its size) or still on its way."""
    out = []
    for sha in dossier_hashes(db, dossier_id):
        held = blobs.held(sha)
        out.append({"sha256": sha, "short": sha[:12], "complete": held.complete, "size": vn_number(held.received)})
    return out


def stats(blobs: BlobStore) -> dict[str, Any]:
    """The overview's figures: files held and their size in MB, uploads under way."""
    found = blobs.stats()
    return {**found, "mb": vn_number(round(found["bytes"] / 2**20, 1))}


def router(db: Database) -> APIRouter:
    r = APIRouter()

    @r.get(BASE + "/tep/{sha256}", include_in_schema=False)
    async def download(request: Request, sha256: str) -> Response:
        session = await need(db, request)
        sha = sha256.lower()
        blobs: BlobStore = request.app.state.blobs

        def run() -> bool:
            found = is_sha256(sha) and blobs.held(sha).complete and named_anywhere(db, sha)
            with db.write() as conn:
                staff.record(conn, session.staff.username, "file.download", sha[:64], {"found": bool(found)},
                             client=client_of(request))
            return bool(found)

        if not await run_in_threadpool(run):
            raise WebError(404, strings.NO_SUCH_FILE)
        with blobs.path(sha).open("rb") as stream:
            pdf = stream.read(len(PDF_MAGIC)) == PDF_MAGIC
        if pdf:
            return file_response(blobs, sha, filename=f"{sha[:16]}.pdf", media_type="application/pdf")
        return file_response(blobs, sha, filename=sha[:16])

    return r
