"""The file half of the sync protocol (docs/sync.md, "Files"): digitised papers travel to the
district server by content hash, in resumable chunks. Imported by both ends, like protocol.py.

    HEAD /v1/files/{sha256}   what the server has: `Upload-Offset` (bytes held), `Upload-Complete`
    PUT  /v1/files/{sha256}   one chunk, `Content-Range: bytes FIRST-LAST/TOTAL`, appended only at
                              the offset the server holds (409 names it otherwise); the answer is a
                              `FileState`. The last chunk is checked against the hash (422, nothing kept)
    GET  /v1/files/{sha256}   the bytes, for a counter of an office whose events name the file

A file the server already has is never sent again (a duplicate is stored once); a transfer cut
anywhere resumes at the server's offset.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from counter_app.sync.protocol import PROTOCOL

FILES_PATH = "/v1/files/"
# Largest file the server keeps: well above a component PDF at the capture's size budget (a 100-page
# grey 200 dpi scan is ~30 MB), well below what would fill a district disk by mistake.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_CHUNK_BYTES = 16 * 1024 * 1024  # one PUT body; the client sends CHUNK_BYTES
# What the counter sends per PUT. bench/bench_files.py, 64 MB on loopback under load 7: 1 MB 62 MB/s,
# 4 MB 124, 8 MB 172. A chunk cut off is lost whole (~30 s at 1 Mbit/s for 4 MB), so not larger.
CHUNK_BYTES = 4 * 1024 * 1024

HEADER_OFFSET = "Upload-Offset"
HEADER_COMPLETE = "Upload-Complete"  # "1" when the server holds the whole, checked file
HEADER_PROTOCOL = "X-Sync-Protocol"  # a HEAD answer has no body to carry the marker

SHA256_PATTERN = r"^[0-9a-fA-F]{64}$"  # in a path: either case; stored and compared in lower case
SHA256_RE = re.compile(r"[0-9a-f]{64}")


def is_sha256(value: object) -> bool:
    return isinstance(value, str) and SHA256_RE.fullmatch(value) is not None


class FileState(BaseModel):
    """What the server holds of one file, after a PUT."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    protocol: str
    sha256: str
    received: int = Field(ge=0)  # bytes held (the whole size once complete)
    complete: bool


def content_range(first: int, length: int, total: int) -> str:
    """The Content-Range of a chunk of `length` bytes at `first` (an empty file: "bytes */0")."""
    if length == 0:
        return f"bytes */{total}"
    return f"bytes {first}-{first + length - 1}/{total}"


_RANGE_RE = re.compile(r"bytes (?:(\d{1,15})-(\d{1,15})|\*)/(\d{1,15})")


def parse_content_range(value: str) -> tuple[int, int, int] | None:
    """(first, length, total) of a chunk's Content-Range, or None when it is not one."""
    match = _RANGE_RE.fullmatch(value.strip())
    if match is None:
        return None
    first, last, total = match.groups()
    if first is None:  # no bytes: "the whole file is there, check it" (an empty file, or a crash before the check)
        return int(total), 0, int(total)
    a, b, n = int(first), int(last), int(total)
    if b < a or b >= n:
        return None
    return a, b - a + 1, n


__all__ = ["PROTOCOL", "FileState"]
