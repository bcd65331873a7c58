"""The HTTP face of the district server (FastAPI).

    GET  /health      liveness, with the protocol marker (a captive portal cannot fake it by accident)
    GET  /v1/device   who this token is (used by `counter-app link`)
    POST /v1/push     a batch of events (counter_app/sync/protocol.py), gzip allowed
    GET  /v1/pull     what the counter has not seen yet, from its cursor (own=1: its own events too)
    GET  /v1/audit-head  the audit-trail head held for this device, and open breaks (audit_heads.py)
    HEAD/PUT/GET /v1/files/{sha256}  the digitised papers, in resumable chunks (files_api.py)

    GET  /openapi.json  the schema of the above, with the protocol models (FastAPI's own)

Every error is an `ErrorBody` with the protocol marker and a Vietnamese message; whatever arrives
(broken JSON, a huge body, a gzip bomb, a bad token, a cursor past 64 bits), the answer is a 4xx
and the server stays up. A 405 says which methods the address takes (`Allow`).
"""

from __future__ import annotations

import json
import logging
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBearer
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from counter_app.sync.protocol import (
    MAX_BATCH_EVENTS,
    MAX_BODY_BYTES,
    PROTOCOL,
    PULL_PAGE_EVENTS,
    SERVICE,
    AuditCheck,
    DeviceInfo,
    ErrorBody,
    Health,
    PullResponse,
    PushOptions,
    PushRequest,
    PushResponse,
)
from district_server import audit_heads, auth, config, feed, ingest
from district_server.database import Database
from district_server.received import storable

log = logging.getLogger("district_server")


@dataclass
class Hooks:
    """Test seams: `before_commit(batch_id)` runs inside the push transaction, just before commit."""

    before_commit: ingest.BeforeCommit | None = None


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


# Sequence numbers are 64-bit on PostgreSQL and SQLite alike: a cursor beyond cannot exist, and
# would overflow the database driver (a 500) rather than match nothing.
MAX_SEQ = 2**63 - 1


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    # The message may quote what arrived: made storable/encodable first, or rendering it would fail.
    return JSONResponse({"protocol": PROTOCOL, "error": code, "message": storable(message)}, status_code=status,
                        headers=headers)


_PARAM_RULES = {
    "events_after": f"phải là số nguyên từ 0 đến {MAX_SEQ}",
    "publications_after": f"phải là số nguyên từ 0 đến {MAX_SEQ}",
    "limit": f"phải là số nguyên từ 1 đến {PULL_PAGE_EVENTS}",
    "own": "phải là true/false (1/0)",
    "sha256": "phải là mã SHA-256 của tệp: 64 ký tự thập lục phân",
}


# Documents the device token in the schema; the check itself is _device() (our own 401 body).
_TOKEN = [Security(HTTPBearer(auto_error=False, scheme_name="device_token",
                              description="Mã thiết bị do `counter-server add-device` cấp"))]


def _error_responses(*statuses: int) -> dict[int | str, dict]:
    return {s: {"model": ErrorBody, "description": "Lỗi, với thông điệp tiếng Việt"} for s in statuses}




def _push_body() -> dict:
    """The push body is read by hand (size limits, gzip), so FastAPI is told its schema here: the
    protocol's PushRequest, with what its validators check said in the schema's own words."""
    schema = _inlined(PushRequest.model_json_schema())
    schema["properties"]["batch_id"]["format"] = "uuid"
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _inlined(schema: dict) -> dict:
    """The schema with its nested models written in place: a model only the push body uses
    (WaitingReport) is not among the document's components, so a reference to it would dangle."""
    defs = schema.pop("$defs", {})

    def walk(node: object) -> object:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)  # type: ignore[return-value]


BAD_TOKEN = ("Mã thiết bị (token) không hợp lệ hoặc đã bị thu hồi; hãy xin mã mới từ quản trị viên huyện "
             "và kết nối lại.")


def create_app(db: Database, *, hooks: Hooks | None = None, blob_dir: Path | None = None,
               public_url: str | None = None) -> FastAPI:
    """`blob_dir`: where the files counters send are kept (default: config.blob_dir()); `public_url`:
    the address citizens reach the status page at, announced to the counters (default:
    config.public_url(), from the environment)."""
    hooks = hooks or Hooks()
    app = FastAPI(title="Quầy Một Cửa — máy chủ huyện", version=PROTOCOL, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json")
    app.add_middleware(GZipMiddleware, minimum_size=4096)
    app.state.db = db
    public = public_url or config.public_url()

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _bad_params(_request: Request, exc: RequestValidationError) -> JSONResponse:
        names = sorted({str(e["loc"][-1]) for e in exc.errors() if e.get("loc")})
        said = [f"{n} ({_PARAM_RULES[n]})" if n in _PARAM_RULES else n for n in names]
        return _error(400, "bad_request", f"Tham số không hợp lệ: {', '.join(said) or '?'}.")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return _error(404, "not_found", "Không có địa chỉ này trên máy chủ huyện.")
        if exc.status_code == 405:
            allow = (exc.headers or {}).get("Allow", "")
            return _error(405, "method_not_allowed", f"Địa chỉ này không nhận kiểu yêu cầu đó (chỉ nhận: {allow}).",
                          headers={"Allow": allow} if allow else None)
        return _error(exc.status_code, "http_error", f"Yêu cầu không được chấp nhận (HTTP {exc.status_code}).")

    @app.exception_handler(Exception)
    async def _crash(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("request failed")
        return _error(500, "server_error", "Máy chủ huyện gặp lỗi nội bộ; dữ liệu chưa được ghi, hãy gửi lại sau.")

    async def _device(request: Request) -> auth.Device:
        _refuse_unknown_query(request)
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        dev = await run_in_threadpool(auth.authenticate, db, token.strip()) if scheme.lower() == "bearer" else None
        if dev is None:
            raise ApiError(401, "bad_token", BAD_TOKEN)
        return dev

    @app.get("/health", response_model=Health, responses=_error_responses(503))
    def health() -> Response:
        try:
            db.ping()
        except Exception:  # noqa: BLE001 - any database failure means "not healthy"
            log.exception("database ping failed")
            return _error(503, "db_unavailable", "Cơ sở dữ liệu của máy chủ huyện không truy cập được.")
        return JSONResponse({"status": "ok", "service": SERVICE, "protocol": PROTOCOL})

    @app.get("/v1/device", response_model=DeviceInfo, responses=_error_responses(401), dependencies=_TOKEN)
    async def device_info(request: Request) -> Response:
        dev = await _device(request)
        return JSONResponse({"protocol": PROTOCOL, "device_id": dev.id, "agency_code": dev.agency_code,
                             "counter": dev.counter, "public_url": public})

    @app.post("/v1/push", response_model=PushResponse, openapi_extra=_push_body(),
              responses=_error_responses(400, 401, 413), dependencies=_TOKEN)
    async def push(request: Request) -> Response:
        dev = await _device(request)  # before reading a byte of a possibly huge body
        body = await _read_body(request)
        batch_id, events, options = _parse_batch(body)
        result = await run_in_threadpool(ingest.ingest, db, dev, batch_id, events,
                                         before_commit=hooks.before_commit, options=options)
        return Response(result.model_dump_json(), media_type="application/json")

    @app.get("/v1/pull", response_model=PullResponse, responses=_error_responses(400, 401), dependencies=_TOKEN)
    async def pull(
        request: Request,
        events_after: int = Query(0, ge=0, le=MAX_SEQ),
        publications_after: int = Query(0, ge=0, le=MAX_SEQ),
        limit: int = Query(PULL_PAGE_EVENTS, ge=1, le=PULL_PAGE_EVENTS),
        own: bool = Query(False, description="also the device's own events (after a restore)"),
    ) -> Response:
        dev = await _device(request)
        text = await run_in_threadpool(feed.pull_page, db, dev, events_after, publications_after, limit, own=own,
                                       public_url=public)
        return Response(text, media_type="application/json")

    @app.get("/v1/audit-head", response_model=AuditCheck, responses=_error_responses(401), dependencies=_TOKEN)
    async def audit_head(request: Request) -> Response:
        dev = await _device(request)
        return JSONResponse(await run_in_threadpool(audit_heads.check, db, dev))

    # The files counters send (digitised papers), by content hash, resumable.
    from district_server import files_api
    from district_server.blobs import BlobStore

    app.state.blobs = BlobStore(blob_dir or config.blob_dir())
    try:
        if dropped := app.state.blobs.prune_partials():
            log.info("dropped %d partial uploads untouched for a month", dropped)
    except OSError:  # the folder's trouble is said on the first request that needs it (503)
        log.warning("blob folder %s could not be read", app.state.blobs.root)
    files_api.install(app, db, app.state.blobs, _device, security=_TOKEN)

    # The web face: the citizen's status page and the staff dashboard (district_server/web/).
    from district_server import web

    web.install(app, db)
    return app


def _refuse_unknown_query(request: Request) -> None:
    """A query parameter the route does not declare is a mistake (a typo in a counter's build, a
    probe): refused with its name rather than silently ignored, as the published schema says."""
    route = request.scope.get("route")
    known = {p.alias for p in route.dependant.query_params} if route is not None else set()
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        shown = ", ".join(repr(name[:40]) for name in unknown[:3])
        raise ApiError(400, "bad_request", f"Tham số không được hỗ trợ: {shown}.")


def app_from_env() -> FastAPI:
    """The factory each uvicorn worker process calls (`serve --workers N`): the parent migrated the
    database already and passed its URL in COUNTER_SERVER_DB."""
    from district_server.config import database_url

    return create_app(Database(database_url()))


TOO_LARGE = (f"Lô dữ liệu quá lớn (tối đa {MAX_BODY_BYTES // (1024 * 1024)} MB và {MAX_BATCH_EVENTS} sự kiện "
             "mỗi lần gửi); hãy gửi thành nhiều lô nhỏ hơn.")


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ApiError(413, "too_large", TOO_LARGE)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:  # a chunked upload that never says its length
            raise ApiError(413, "too_large", TOO_LARGE)
        chunks.append(chunk)
    raw = b"".join(chunks)
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding != "gzip":
        raise ApiError(400, "bad_encoding", f"Kiểu nén dữ liệu '{encoding[:20]}' không được hỗ trợ (chỉ gzip).")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(raw, MAX_BODY_BYTES + 1)
    except zlib.error:
        raise ApiError(400, "bad_gzip", "Dữ liệu nén gzip bị hỏng; hãy gửi lại.") from None
    if len(out) > MAX_BODY_BYTES or inflater.unconsumed_tail:  # a gzip bomb stops here, not in memory
        raise ApiError(413, "too_large", TOO_LARGE)
    if not inflater.eof:
        raise ApiError(400, "bad_gzip", "Dữ liệu nén gzip bị cắt cụt; hãy gửi lại.")
    return out


def _parse_batch(body: bytes) -> tuple[str, list, PushOptions]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise ApiError(400, "bad_json",
                       "Dữ liệu gửi lên không phải JSON hợp lệ (có thể bị cắt cụt); hãy gửi lại.") from None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_request", "Lô dữ liệu phải là một đối tượng JSON.")
    if data.get("protocol") != PROTOCOL:
        raise ApiError(400, "bad_protocol", f"Phiên bản giao thức '{str(data.get('protocol'))[:40]}' không được hỗ "
                       f"trợ (máy chủ dùng {PROTOCOL}); hãy cập nhật phần mềm Quầy Một Cửa.")
    events = data.get("events")
    if not isinstance(events, list):
        raise ApiError(400, "bad_request", "Lô dữ liệu thiếu danh sách sự kiện ('events').")
    if len(events) > MAX_BATCH_EVENTS:
        raise ApiError(413, "too_large", f"Lô dữ liệu có {len(events)} sự kiện, vượt quá giới hạn "
                       f"{MAX_BATCH_EVENTS} sự kiện mỗi lần gửi; hãy gửi thành nhiều lô nhỏ hơn.")
    try:
        batch_id = str(uuid.UUID(str(data.get("batch_id"))))
    except ValueError:
        raise ApiError(400, "bad_request", "Mã lô dữ liệu ('batch_id') không hợp lệ.") from None
    try:
        options = PushOptions.model_validate({k: data[k] for k in ("features", "audit_head", "waiting", "procedures")
                                         if k in data})
    except ValidationError as exc:
        names = sorted({str(e["loc"][0]) for e in exc.errors() if e.get("loc")})
        raise ApiError(400, "bad_request", f"Trường không hợp lệ: {', '.join(names)} (xem /openapi.json).") from None
    return batch_id, events, options
