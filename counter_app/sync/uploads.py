"""Digitised files to and from the district server (counter_app/sync/protocol_files.py): resumable
by content hash, after the events of a sync pass and never in their way.

`upload` asks what the server holds of the file, then sends the rest in chunks from there: a file
the server has whole is not sent again, a transfer cut anywhere (the network, the counter switched
off) resumes at the server's offset next time. The local file is checked against its hash before a
byte leaves, so a file damaged on the counter is reported here rather than refused (and resent)
forever by the server.

`drain` sends what a `FileQueue` (the file store) says is waiting, one file after the other; the
engine runs it at the end of a pass (engine.send_files).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO, Literal, Protocol

from pydantic import ValidationError

from counter_app.sync import protocol_files as wire
from counter_app.sync.client import NOT_OUR_SERVER, SyncClient
from counter_app.sync.errors import BatchTooLarge, ServerUnreachable, SyncRefused
from counter_app.sync.protocol import PROTOCOL

log = logging.getLogger(__name__)

READ_BLOCK = 1024 * 1024
MAX_OFFSET_RETRIES = 5  # 409s in a row (another counter sending the same file) before giving up this pass

# sent / already_there: the server holds it whole; paused: `stop` said so; busy: the server is
# receiving it from elsewhere this very moment; refused, damaged: see the message. All but the
# first two leave the file waiting.
Outcome = Literal["sent", "already_there", "paused", "busy", "refused", "damaged"]

DAMAGED = ("Tệp {sha} trên máy quầy không còn khớp mã băm hoặc kích thước đã ghi (bị sửa, hỏng hoặc mất); "
           "chưa gửi. Hãy chạy 'counter-app files verify'.")
MISSING = "Tệp {sha} không còn trên máy quầy ({reason}); chưa gửi. Hãy chạy 'counter-app files verify'."
TOO_BIG = f"Tệp {{sha}} lớn hơn {wire.MAX_FILE_BYTES // (1024 * 1024)} MB, máy chủ huyện không nhận."
BAD_ANSWER = "Máy chủ huyện trả lời không khớp với đoạn tệp đã gửi; tệp vẫn được giữ để gửi lại."
KEEPS_MOVING = ("Máy chủ huyện đang nhận tệp {sha} từ nơi khác cùng lúc; tệp vẫn được giữ để gửi lại lần "
                "đồng bộ sau.")
DOWNLOAD_DAMAGED = "Tệp {sha} tải về từ máy chủ huyện không khớp mã băm; không giữ lại gì."


@dataclass(frozen=True)
class UploadResult:
    sha256: str
    outcome: Outcome
    bytes_sent: int = 0  # this call's chunk bytes (0 for a duplicate)
    resumed_from: int = 0  # what the server already held when the call began
    message: str = ""

    @property
    def complete(self) -> bool:
        """The server holds the whole, checked file."""
        return self.outcome in ("sent", "already_there")


class FileQueue(Protocol):
    """What the engine drains after the events (the file store implements it).

    `pending_files` lists the files to send as (sha256, size, a function opening the file's bytes
    for reading), oldest first; it should list
    only files whose dossier's events the server already acknowledged, since the server lets an
    office's counters read a file only once one of its events names it. `mark_sent` is called when
    the server holds the file whole and checked."""

    def pending_files(self) -> list[tuple[str, int, Callable[[], BinaryIO]]]: ...

    def mark_sent(self, sha256: str) -> None: ...


@dataclass
class DrainCounts:
    sent: int = 0  # files the server now holds (sent now, or found there)
    bytes_sent: int = 0
    failed: list[UploadResult] = field(default_factory=list)  # refused or damaged: still pending
    left: int = 0  # not tried this pass (stopped, paused, or the server could not be reached)
    error: str | None = None  # why the drain stopped early (ServerUnreachable)

    def summary(self) -> dict[str, int]:
        return {"files_sent": self.sent, "files_failed": len(self.failed),
                "files_waiting": len(self.failed) + self.left}


# --- one file -------------------------------------------------------------------------------------


def held(client: SyncClient, sha256: str) -> tuple[int, bool]:
    """(bytes the server holds of the file, whether it is whole and checked): HEAD, whose answer
    must carry our protocol marker (a captive portal's 200 does not)."""
    try:
        response = client.transfer("HEAD", wire.FILES_PATH + sha256)
    except ServerUnreachable:
        # A HEAD answer has no body, so a refusal (a revoked token) reads like someone else's page:
        # the token is asked about where the answer has one (SyncRefused), else it was the network.
        client.device()
        raise
    offset = response.headers.get(wire.HEADER_OFFSET, "")
    if response.headers.get(wire.HEADER_PROTOCOL) != PROTOCOL or not offset.isdigit():
        raise ServerUnreachable(NOT_OUR_SERVER)
    return int(offset), response.headers.get(wire.HEADER_COMPLETE) == "1"


def upload(client: SyncClient, sha256: str, size: int, open_file: Callable[[], BinaryIO], *,
           chunk_bytes: int = wire.CHUNK_BYTES, stop: Callable[[], bool] | None = None,
           verified: bool = False) -> UploadResult:
    """Send one file so that the server holds it whole. `open_file` opens it for reading (binary;
    called twice: the local check reads it on its own); `stop` is asked between chunks (True:
    pause here, resume from the server's offset next time); `verified`: the caller just checked the
    file against its hash (no local check).

    Raises ServerUnreachable (nothing lost: call again later); a refusal of this file (too large,
    the server's hash check failed twice) or a damaged local file is an outcome, not an exception."""
    if not wire.is_sha256(sha256):
        raise ValueError(f"not a sha256: {sha256!r}")
    if size > wire.MAX_FILE_BYTES:
        return UploadResult(sha256, "refused", message=TOO_BIG.format(sha=sha256[:12]))
    chunk = max(1, min(chunk_bytes, wire.MAX_CHUNK_BYTES))
    try:
        with open_file() as stream:
            check = None if verified else _LocalCheck(open_file, sha256, size)
            try:
                return _send_rest(client, sha256, size, stream, chunk, stop, check)
            finally:
                if check is not None:
                    check.ok()  # the thread ends with the call, whatever happened
    except OSError as exc:
        return UploadResult(sha256, "damaged", message=MISSING.format(sha=sha256[:12], reason=exc.strerror or exc))


class _LocalCheck:
    """The file against its hash and size, read in a thread while the first chunks go up (hashlib
    lets go of the GIL), so the check costs no wall time; asked for before the last chunk, which
    is the one that would make the server keep the file."""

    def __init__(self, open_file: Callable[[], BinaryIO], sha256: str, size: int) -> None:
        self._ok = False
        self._thread = threading.Thread(target=self._run, args=(open_file, sha256, size), daemon=True,
                                        name="upload-check")
        self._thread.start()

    def _run(self, open_file: Callable[[], BinaryIO], sha256: str, size: int) -> None:
        try:
            with open_file() as stream:
                self._ok = _matches(stream, sha256, size)
        except OSError:
            self._ok = False

    def ok(self) -> bool:
        self._thread.join()
        return self._ok


def _matches(stream: BinaryIO, sha256: str, size: int) -> bool:
    digest = hashlib.sha256()
    length = 0
    while block := stream.read(READ_BLOCK):
        digest.update(block)
        length += len(block)
    return length == size and digest.hexdigest() == sha256


def _send_rest(client: SyncClient, sha256: str, size: int, stream: BinaryIO, chunk: int,
               stop: Callable[[], bool] | None, check: _LocalCheck | None) -> UploadResult:
    offset, complete = held(client, sha256)
    if complete:
        return UploadResult(sha256, "already_there", resumed_from=offset)
    start = offset if offset <= size else 0  # a longer partial is not this file: the server restarts it
    offset, sent, conflicts, restarted = start, 0, 0, False
    while True:
        if stop is not None and stop():
            return UploadResult(sha256, "paused", bytes_sent=sent, resumed_from=start)
        stream.seek(offset)
        data = stream.read(min(chunk, size - offset))
        last = offset + len(data) >= size or not data
        if last and check is not None and not check.ok():
            return UploadResult(sha256, "damaged", bytes_sent=sent, resumed_from=start,
                                message=DAMAGED.format(sha=sha256[:12]))
        try:
            state = _put(client, sha256, offset, data, size)
        except SyncRefused as exc:
            if exc.code == "wrong_offset" and conflicts < MAX_OFFSET_RETRIES:
                conflicts += 1  # another sender moved the offset: ask again, go on from there
                offset, complete = held(client, sha256)
                if complete:
                    return UploadResult(sha256, "sent", bytes_sent=sent, resumed_from=start)
                offset = offset if offset <= size else 0
                continue
            if exc.code == "wrong_offset":
                raise ServerUnreachable(KEEPS_MOVING.format(sha=sha256[:12])) from None
            if exc.code == "busy":  # another counter sends the same file now: it finishes, or we resume later
                return UploadResult(sha256, "busy", bytes_sent=sent, resumed_from=start, message=exc.message)
            if exc.code == "hash_mismatch" and not restarted:
                # The whole did not match though ours does: bytes before ours came from elsewhere
                # (the server dropped them). Once more from the start, then it is a refusal.
                restarted, offset = True, 0
                continue
            return UploadResult(sha256, "refused", bytes_sent=sent, resumed_from=start, message=exc.message)
        except BatchTooLarge as exc:
            return UploadResult(sha256, "refused", bytes_sent=sent, resumed_from=start, message=str(exc))
        sent += len(data)
        if state.complete:
            return UploadResult(sha256, "sent", bytes_sent=sent, resumed_from=start)
        if state.received != offset + len(data) or state.sha256 != sha256:
            raise ServerUnreachable(BAD_ANSWER)
        offset = state.received
        conflicts = 0


def _put(client: SyncClient, sha256: str, offset: int, data: bytes, size: int) -> wire.FileState:
    response = client.transfer("PUT", wire.FILES_PATH + sha256, content=data, headers={
        "Content-Type": "application/octet-stream", "Content-Range": wire.content_range(offset, len(data), size)})
    try:
        state = wire.FileState.model_validate_json(response.content)
    except (ValidationError, ValueError):
        raise ServerUnreachable(NOT_OUR_SERVER) from None
    if state.protocol != PROTOCOL:
        raise ServerUnreachable(NOT_OUR_SERVER)
    return state


# --- the queue ------------------------------------------------------------------------------------


def drain(client: SyncClient, queue: FileQueue, *, stop: Callable[[], bool] | None = None,
          chunk_bytes: int = wire.CHUNK_BYTES) -> DrainCounts:
    """Send every waiting file, oldest first. A file refused or damaged stays waiting and the next
    is tried; the server not answering, or refusing the token, ends the drain (`error`), and so
    does `stop`."""
    counts = DrainCounts()
    waiting = queue.pending_files()
    for index, (sha256, size, open_file) in enumerate(waiting):
        if stop is not None and stop():
            counts.left = len(waiting) - index
            break
        try:
            result = upload(client, sha256, size, open_file, chunk_bytes=chunk_bytes, stop=stop)
        except (ServerUnreachable, SyncRefused) as exc:  # the network, or the token refused since the events
            counts.error = exc.message
            counts.left = len(waiting) - index
            break
        counts.bytes_sent += result.bytes_sent
        if result.complete:
            queue.mark_sent(sha256)
            counts.sent += 1
        elif result.outcome == "paused":
            counts.left = len(waiting) - index
            break
        elif result.outcome == "busy":
            counts.left += 1
        else:
            log.warning("file %s not sent: %s", sha256[:12], result.message)
            counts.failed.append(result)
    return counts


# --- download -------------------------------------------------------------------------------------


def download(client: SyncClient, sha256: str) -> bytes:
    """A file another counter of the office sent, checked against its hash (the caller keeps it:
    counter_app/digitise/vault.py seals it). Raises SyncRefused (code "no_file") when the server
    holds no such file for this office, ServerUnreachable when it cannot be reached."""
    if not wire.is_sha256(sha256):
        raise ValueError(f"not a sha256: {sha256!r}")
    response = client.transfer("GET", wire.FILES_PATH + sha256)
    data = response.content
    if response.headers.get(wire.HEADER_PROTOCOL) != PROTOCOL:
        raise ServerUnreachable(NOT_OUR_SERVER)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ServerUnreachable(DOWNLOAD_DAMAGED.format(sha=sha256[:12]))
    return data
