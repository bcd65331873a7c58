"""Log-in, sessions and CSRF for the staff dashboard (docs/server-web.md "Log-in").

- The session cookie is HttpOnly, SameSite=Strict, Path=/quan-tri, Secure when served over HTTPS;
  it holds a random token whose hash is the server-side session (district_server/staff.py).
- Every POST carries the session's CSRF token in a hidden field, compared in constant time; the
  log-in form, before any session, uses a double-submit cookie instead.
- Log-in is throttled per account (the counter's doubling wait) and per client address.
- Forms are read by hand with small limits: an odd or huge body gets a Vietnamese 400 page.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from counter_app.errors import UserError
from district_server import staff
from district_server.database import Database
from district_server.received import storable
from district_server.web import strings
from district_server.web.ratelimit import RateLimit
from district_server.web.templates import render

BASE = "/quan-tri"
COOKIE = "qmc_staff"
PRE_COOKIE = "qmc_login"  # the log-in form's double-submit CSRF token
# Ten tries in five minutes from one address, whatever the names: guessing across many accounts
# is slowed even though each account's own wait has not started.
LOGINS_PER_WINDOW, LOGIN_WINDOW_S = 10, 300.0
MAX_FORM_FIELDS, MAX_FIELD_BYTES = 40, 64 * 1024


class WebError(Exception):
    """A refusal shown as a page: the status and one Vietnamese sentence."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class NeedLogin(Exception):
    pass


def client_of(request: Request) -> str:
    return request.client.host if request.client else "?"


async def read_form(request: Request, files: int = 0) -> FormData:
    try:
        return await request.form(max_files=files, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FIELD_BYTES)
    except Exception:  # noqa: BLE001 - any malformed body (multipart errors, bad encoding) is the sender's
        raise WebError(400, strings.BAD_FORM.format(what="không đọc được biểu mẫu")) from None


def field(form: FormData, name: str, limit: int = 200) -> str:
    value = form.get(name, "")
    if not isinstance(value, str):
        raise WebError(400, strings.BAD_FORM.format(what=name))
    if len(value) > limit:
        raise WebError(400, strings.FIELD_TOO_LONG.format(what=name, limit=limit))
    return storable(value).strip()


async def current(db: Database, request: Request) -> staff.Session | None:
    return await run_in_threadpool(staff.session_of, db, request.cookies.get(COOKIE))


async def need(db: Database, request: Request, permission: str = "view") -> staff.Session:
    """The session of a staff member allowed `permission`, or a redirect to log-in / a 403 page."""
    session = await current(db, request)
    if session is None:
        raise NeedLogin()
    if not session.staff.may(permission):
        raise WebError(403, strings.FORBIDDEN.format(role=staff.ROLES[session.staff.role]))
    return session


async def posted(db: Database, request: Request, permission: str, *,
                 files: int = 0) -> tuple[staff.Session, FormData]:
    """A POST from a session allowed `permission`, with its form (and up to `files` files), CSRF checked."""
    session = await need(db, request, permission)
    form = await read_form(request, files)
    token = form.get("csrf")
    if not isinstance(token, str) or not secrets.compare_digest(token.encode(), session.csrf.encode()):
        raise WebError(403, strings.CSRF_FAILED)
    return session, form


async def resolved(db: Database, request: Request, raw_id: str, resolve: Callable[[int], bool], *,
                   action: str, missing: str, back: str) -> Response:
    """An admin's "mark as dealt with" of a numbered case (a review case, an audit break): the
    POST checked (permission "review", CSRF), the case closed and the act audited together, then
    back to `back` saying which. `missing` (with {id}) is the 404 for a case not open."""
    session, _form = await posted(db, request, "review")
    if not raw_id.isdigit() or len(raw_id) > 18:
        raise WebError(404, missing.format(id=raw_id[:20]))

    def run() -> bool:
        if not resolve(int(raw_id)):
            return False
        with db.write() as conn:
            staff.record(conn, session.staff.username, action, raw_id, client=client_of(request))
        return True

    if not await run_in_threadpool(run):
        raise WebError(404, missing.format(id=raw_id))
    return RedirectResponse(f"{back}?done={raw_id}", status_code=303)


def page(request: Request, name: str, session: staff.Session | None, status_code: int = 200,
         **context: Any) -> Response:
    return render(request, name, status_code, me=session.staff if session else None,
                  csrf=session.csrf if session else "", roles=staff.ROLES, base=BASE, **context)


def _set_cookie(request: Request, response: Response, name: str, value: str, *, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path=BASE, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def _safe_next(value: str) -> str:
    # Only a page of the dashboard itself: never an open redirect to another site.
    return value if value.startswith(BASE + "/") and not value.startswith("//") and "\\" not in value else BASE + "/"


def router(db: Database) -> APIRouter:
    r = APIRouter()
    limit = RateLimit(LOGINS_PER_WINDOW, LOGIN_WINDOW_S)

    def login_form(request: Request, status_code: int = 200, error: str = "", username: str = "",
                   next_page: str = "") -> Response:
        pre = secrets.token_urlsafe(24)
        response = page(request, "login.html", None, status_code, error=error, username=username, pre=pre,
                        next_page=_safe_next(next_page))
        _set_cookie(request, response, PRE_COOKIE, pre)
        return response

    @r.get(BASE + "/dang-nhap", include_in_schema=False)
    async def login_page(request: Request, next: str = "") -> Response:  # noqa: A002 - the query's name
        return login_form(request, next_page=next[:300])

    @r.post(BASE + "/dang-nhap", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await read_form(request)
        username, password = field(form, "username", 64), field(form, "password", 1000)
        next_page = field(form, "next", 300)
        pre, cookie = form.get("pre"), request.cookies.get(PRE_COOKIE, "")
        if not isinstance(pre, str) or not cookie or not secrets.compare_digest(pre.encode(), cookie.encode()):
            return login_form(request, 403, strings.LOGIN_EXPIRED, username, next_page)
        wait = limit.hit(client_of(request))
        if wait:
            return login_form(request, 429, strings.LOGIN_TOO_MANY.format(seconds=int(wait) + 1), username,
                              next_page)
        who = await run_in_threadpool(staff.attempt_login, db, username, password, client_of(request))
        if isinstance(who, UserError):
            return login_form(request, 401, who.message, username, next_page)
        token, _session = await run_in_threadpool(staff.open_session, db, who)
        response = RedirectResponse(_safe_next(next_page), status_code=303)
        _set_cookie(request, response, COOKIE, token, max_age=int(staff.LONGEST.total_seconds()))
        response.delete_cookie(PRE_COOKIE, path=BASE)
        return response

    @r.post(BASE + "/dang-xuat", include_in_schema=False)
    async def logout(request: Request) -> Response:
        session, _form = await posted(db, request, "view")
        token = request.cookies.get(COOKIE, "")

        def end() -> None:
            staff.end_session(db, token)
            with db.write() as conn:
                staff.record(conn, session.staff.username, "logout", client=client_of(request))

        await run_in_threadpool(end)
        response = RedirectResponse(BASE + "/dang-nhap", status_code=303)
        response.delete_cookie(COOKIE, path=BASE)
        return response

    return r


def login_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{BASE}/dang-nhap?next={quote(target, safe='')}", status_code=303)
