"""Review: the events kept aside with their reason, how each differs from what is stored, the
daily room each counter used, and resolve (district_server/review.py; docs/server-web.md)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from district_server import review
from district_server.database import Database
from district_server.web import strings
from district_server.web.auth_web import BASE, need, page, resolved

PAGE = 200  # the oldest open cases first; the daily room bounds how many a day can bring


def router(db: Database) -> APIRouter:
    r = APIRouter()

    @r.get(BASE + "/kiem-tra", include_in_schema=False)
    async def listing(request: Request, done: str = "") -> Response:
        session = await need(db, request)

        def load() -> tuple[list, list]:
            return review.with_diffs(db, review.list_reviews(db, limit=PAGE)), review.room(db)

        items, room = await run_in_threadpool(load)
        flash = strings.REVIEW_RESOLVED.format(id=done) if done.isdigit() else ""
        return page(request, "review.html", session, items=items, room=room, page_size=PAGE, flash=flash)

    @r.post(BASE + "/kiem-tra/{review_id}/xu-ly", include_in_schema=False)
    async def resolve(request: Request, review_id: str) -> Response:
        return await resolved(db, request, review_id, lambda i: review.resolve_review(db, i),
                              action="review.resolve", missing=strings.NO_SUCH_REVIEW, back=BASE + "/kiem-tra")

    return r
