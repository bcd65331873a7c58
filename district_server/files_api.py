"""The file endpoints of the sync protocol (counter_app/sync/protocol_files.py) over the blob store
(blobs.py), and who may touch a file.

A device asks about, sends and downloads only the files its own office's stored "digitised"
events name (file_refs.py); for any other hash HEAD, PUT and GET all answer 404 `no_file`, the
answer for a file the server does not hold, so no device learns whether another office has a
file (a PUT would tell as much as a HEAD: a duplicate is answered "complete", a partial by its
offset). A counter sends a file only once the server acknowledged the event naming it
(counter_app/digitise/upload_queue.py), so its office's reference is there before its first HEAD
and every resumed upload finds it again. Within those rights a hash names one content: the same
paper sent by two counters, or by two offices that both digitised it, is stored once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Path, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from counter_app.sync.protocol import PROTOCOL, ErrorBody
from counter_app.sync.protocol_files import (
    FILES_PATH,
    HEADER_COMPLETE,
    HEADER_OFFSET,
    HEADER_PROTOCOL,
    MAX_CHUNK_BYTES,
    MAX_FILE_BYTES,
    SHA256_PATTERN,
    FileState,
    is_sha256,
    parse_content_range,
)
from district_server import file_refs
from district_server.auth import Device
from district_server.blobs import TOO_BIG, BlobError, BlobStore, Held, Receiving
from district_server.database import Database

WRITE_BLOCK = 1024 * 1024

BAD_HASH = "Mã băm tệp không hợp lệ: cần 64 ký tự thập lục phân (SHA-256) viết thường."
NO_FILE = "Máy chủ huyện không có tệp này cho đơn vị của máy quầy."
BAD_RANGE = ("Thiếu hoặc sai tiêu đề Content-Range (dạng 'bytes ĐẦU-CUỐI/TỔNG'); đoạn tệp không được nhận.")
LENGTH_MISMATCH = "Độ dài đoạn tệp nhận được ({got} byte) khác với Content-Range ({want} byte); hãy gửi lại đoạn này."
CHUNK_TOO_BIG = f"Đoạn tệp quá lớn: mỗi lần gửi tối đa {MAX_CHUNK_BYTES // (1024 * 1024)} MB."
NO_ENCODING = "Đoạn tệp phải gửi nguyên (không nén, không Content-Encoding)."
CUT_OFF = "Đoạn tệp bị ngắt giữa chừng; máy chủ bỏ đoạn đó, hãy gửi lại từ phần máy chủ đã có."
NO_STORAGE = ("Máy chủ huyện không ghi/đọc được thư mục lưu tệp; quản trị viên cần kiểm tra thư mục đó "
              "(COUNTER_SERVER_BLOBS). Máy quầy sẽ gửi lại sau.")

DeviceCheck = Callable[[Request], Awaitable[Device]]
T = TypeVar("T")
log = logging.getLogger("district_server")


async def _on_disk(work: Callable[..., T], *args: Any) -> T:
    """Disk work off the event loop; a folder that cannot be used is the server's trouble, said
    so (503, the counter retries later), never a 500 with a stack trace."""
    try:
        return await run_in_threadpool(work, *args)
    except OSError:
        log.exception("blob store unusable")
        raise BlobError(503, "storage_unavailable", NO_STORAGE) from None


def _state_headers(held_received: int, complete: bool) -> dict[str, str]:
    return {HEADER_OFFSET: str(held_received), HEADER_COMPLETE: "1" if complete else "0",
            HEADER_PROTOCOL: PROTOCOL}


def _sha(raw: str) -> str:
    value = raw.lower()
    if not is_sha256(value):
        raise BlobError(400, "bad_hash", BAD_HASH)
    return value


def _check_encoding(request: Request, want: int) -> None:
    if request.headers.get("content-encoding", "identity").strip().lower() not in ("", "identity"):
        raise BlobError(400, "bad_encoding", NO_ENCODING)
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) != want:
        raise BlobError(400, "bad_length", LENGTH_MISMATCH.format(got=int(declared), want=want))


async def _receive(request: Request, rx: Receiving, want: int) -> Held:
    """The chunk's body into the partial as it arrives: each 1 MB block is written (and hashed) in
    a thread while the next arrives. A body cut short or too long leaves the partial as it was."""
    pending: asyncio.Future[None] | None = None
    block = bytearray()
    size = 0
    try:
        try:
            async for piece in request.stream():
                size += len(piece)
                if size > want:  # no Content-Length, and more than the range said
                    raise BlobError(400, "bad_length", LENGTH_MISMATCH.format(got=size, want=want))
                block += piece
                if len(block) >= WRITE_BLOCK:
                    if pending is not None:
                        await pending
                    pending = asyncio.ensure_future(_on_disk(rx.write, bytes(block)))
                    block = bytearray()
        except ClientDisconnect:  # the counter went away mid-chunk: nobody to answer, the partial cut back
            raise BlobError(400, "cut_off", CUT_OFF) from None
        if pending is not None:
            await pending
            pending = None
        if size != want:
            raise BlobError(400, "bad_length", LENGTH_MISMATCH.format(got=size, want=want))
        if block:
            await _on_disk(rx.write, bytes(block))
        return await _on_disk(rx.finish)
    finally:
        if pending is not None:  # a write still under way when the body broke off: let it end first
            with contextlib.suppress(Exception):
                await pending
        await _on_disk(rx.__exit__, None, None, None)


def _documented(*statuses: int, ok: dict[str, Any] | None = None) -> dict[int | str, dict[str, Any]]:
    out: dict[int | str, dict[str, Any]] = {200: ok or {"description": "OK"}}
    for status in statuses:
        out[status] = {"model": ErrorBody, "description": "Lỗi, với thông điệp tiếng Việt"}
    return out


_HELD_HEADERS = {
    HEADER_OFFSET: {"description": "số byte máy chủ đang có", "schema": {"type": "integer"}},
    HEADER_COMPLETE: {"description": "1: đã có đủ tệp, đã kiểm tra mã băm", "schema": {"type": "string"}},
}
_BYTES = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
          "description": "Nội dung tệp"}
_CHUNK_BODY = {"requestBody": {"required": True, "content": {
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
    "parameters": [{"name": "Content-Range", "in": "header", "required": True,
                    "schema": {"type": "string", "pattern": r"^bytes (\d+-\d+|\*)/\d+$"},
                    "description": "bytes ĐẦU-CUỐI/TỔNG"}]}


_SHA_PARAM = Path(pattern=SHA256_PATTERN, description="SHA-256 của tệp, 64 ký tự thập lục phân")


def install(app: FastAPI, db: Database, blobs: BlobStore, device: DeviceCheck,
            security: list[Any] | None = None) -> None:
    """The routes on `app`; `device` checks the token (app.py), `security` documents it."""
    @app.exception_handler(BlobError)
    async def _refused(_request: Request, exc: BlobError) -> JSONResponse:
        body: dict[str, Any] = {"protocol": PROTOCOL, "error": exc.code, "message": exc.message}
        headers = {HEADER_PROTOCOL: PROTOCOL}
        if exc.offset is not None:
            body["offset"] = exc.offset
            headers[HEADER_OFFSET] = str(exc.offset)
        return JSONResponse(body, status_code=exc.status, headers=headers)

    path = FILES_PATH + "{sha256}"

    async def _ours(dev: Device, sha: str) -> str:
        """The hash, when the device's office refers to it; else the answer for a file not held."""
        if not await run_in_threadpool(file_refs.office_refers, db, dev.agency_code, sha):
            raise BlobError(404, "no_file", NO_FILE)
        return sha

    @app.head(path, summary="Máy chủ đang có bao nhiêu byte của tệp này", dependencies=security,
              response_class=Response,
              responses=_documented(400, 401, 404, 503, ok={"description": "OK", "headers": _HELD_HEADERS}))
    async def held(request: Request, sha256: str = _SHA_PARAM) -> Response:
        sha = await _ours(await device(request), _sha(sha256))
        state = await _on_disk(blobs.held, sha)
        return Response(status_code=200, headers=_state_headers(state.received, state.complete))

    @app.put(path, summary="Một đoạn của tệp (Content-Range)", dependencies=security, response_model=FileState,
             responses=_documented(400, 401, 404, 409, 413, 422, 503, 507), openapi_extra=_CHUNK_BODY)
    async def put_chunk(request: Request, sha256: str = _SHA_PARAM) -> Response:
        dev = await device(request)  # before reading a byte of the body
        sha = _sha(sha256)
        parsed = parse_content_range(request.headers.get("content-range", ""))
        if parsed is None:
            raise BlobError(400, "bad_range", BAD_RANGE)
        first, length, total = parsed
        if total > MAX_FILE_BYTES:
            raise BlobError(413, "too_large", TOO_BIG)
        if length > MAX_CHUNK_BYTES:
            raise BlobError(413, "too_large", CHUNK_TOO_BIG)
        _check_encoding(request, length)
        await _ours(dev, sha)
        rx = await _on_disk(blobs.begin, sha, first, total, length)
        state = rx if isinstance(rx, Held) else await _receive(request, rx, length)
        return JSONResponse({"protocol": PROTOCOL, "sha256": sha, "received": state.received,
                             "complete": state.complete},
                            headers=_state_headers(state.received, state.complete))

    @app.get(path, summary="Tải tệp về (máy quầy cùng đơn vị)", dependencies=security, response_class=Response,
             responses=_documented(400, 401, 404, 503, ok=_BYTES))
    async def download(request: Request, sha256: str = _SHA_PARAM) -> Response:
        sha = await _ours(await device(request), _sha(sha256))
        if not (await _on_disk(blobs.held, sha)).complete:
            raise BlobError(404, "no_file", NO_FILE)
        return file_response(blobs, sha)


def file_response(blobs: BlobStore, sha256: str, *, filename: str | None = None,
                  media_type: str = "application/octet-stream") -> FileResponse:
    """The bytes of a held file, never gzipped again (Content-Encoding identity), cacheable forever
    (a hash names one content), with ranges (a download cut off resumes)."""
    headers = {"ETag": f'"{sha256}"', "Cache-Control": "private, max-age=31536000, immutable",
               "Content-Encoding": "identity", HEADER_PROTOCOL: PROTOCOL}
    return FileResponse(blobs.path(sha256), media_type=media_type, headers=headers,
                        filename=filename)
