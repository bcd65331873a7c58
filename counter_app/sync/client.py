"""The HTTP side of sync (httpx): one method per server endpoint, and one strict rule: only a
well-formed answer from our own server counts.

Every answer is parsed into its protocol model and must carry the protocol marker; a push answer must
also name the batch and give a result for exactly the events sent, in order. A captive portal's
200 HTML page, a proxy's error page, a redirect, truncated JSON or a missing id are all "the server
could not be reached" (`ServerUnreachable`): the events stay pending and the pass is retried later.
Refusals from our server (its own error body) are permanent (`SyncRefused`), and so is a server
certificate that is not the pinned one, or that no trusted CA vouches for (`CertificateRefused`,
checked in the TLS handshake: sync/pinning.py).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from counter_app import __version__
from counter_app.errors import UserError
from counter_app.sync import pinning
from counter_app.sync.errors import BatchTooLarge, ServerUnreachable, SyncRefused
from counter_app.sync.protocol import (
    CLIENT_FEATURES,
    PROTOCOL,
    AuditCheck,
    AuditHead,
    Cursor,
    DeviceInfo,
    ErrorBody,
    Health,
    PullResponse,
    PushResponse,
    WaitingReport,
)

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
GZIP_FROM_BYTES = 2048  # slow mountain links: a 500-event batch shrinks about eightfold
M = TypeVar("M", bound=BaseModel)
DAMAGED_IN_TRANSIT = frozenset({"bad_json", "bad_gzip"})  # server error codes worth a resend

NOT_OUR_SERVER = (
    "Câu trả lời nhận được không phải của máy chủ huyện (có thể mạng Wi-Fi đang đòi đăng nhập, "
    "hoặc địa chỉ máy chủ sai); dữ liệu vẫn được giữ để gửi lại."
)


def normalise_server_url(raw: str) -> str:
    url = (raw or "").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UserError(
            f"Địa chỉ máy chủ '{raw}' không hợp lệ (ví dụ: https://dongbo.huyen.gov.vn hoặc http://10.0.0.5:8750)."
        )
    if parts.query or parts.fragment:
        raise UserError(f"Địa chỉ máy chủ '{raw}' không được chứa '?' hoặc '#'.")
    return url


class SyncClient:
    """Talks to one district server with one device token. Use as a context manager."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        fingerprint: str | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        """`fingerprint`: the pinned server certificate (None: a certificate the system's CAs
        trust). A given `http` client brings its own TLS settings."""
        self.base_url = normalise_server_url(base_url)
        self._owns_http = http is None
        # No redirects: a captive portal answers with one, and our server never does.
        self._http = http or httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False,
                                          verify=pinning.client_context(fingerprint))
        self._headers = {
            "Authorization": f"Bearer {token}",
            "User-Agent": f"QuayMotCua/{__version__}",
            "Accept": "application/json",
        }

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    # --- endpoints ------------------------------------------------------------------------------

    def health(self) -> Health:
        return self._parse(self._send("GET", "/health"), Health)

    def device(self) -> DeviceInfo:
        return self._parse(self._send("GET", "/v1/device"), DeviceInfo)

    def audit_check(self) -> AuditCheck:
        return self._parse(self._send("GET", "/v1/audit-head"), AuditCheck)

    def push(self, batch_id: str, event_ids: list[str], payloads_json: list[str], *,
             audit_head: AuditHead | None = None, waiting: WaitingReport | None = None,
             procedures: Sequence[tuple[str, str]] = ()) -> PushResponse:
        """Send pre-serialised outbox payloads as one batch; return the checked acknowledgement.
        `procedures`: (entry id, OfficeProcedure JSON) of the office's own catalogue changes."""
        body = self._batch_body(batch_id, payloads_json, audit_head, waiting, [p for _, p in procedures])
        headers = {"Content-Type": "application/json"}
        if len(body) >= GZIP_FROM_BYTES:
            body = gzip.compress(body, compresslevel=5)
            headers["Content-Encoding"] = "gzip"
        response = self._send("POST", "/v1/push", content=body, headers=headers)
        ack = self._parse(response, PushResponse)
        answered = [r.event_id for r in ack.results]
        if ack.batch_id != batch_id or answered != event_ids:
            # An answer for another batch, or a result missing or out of place: nothing is
            # acknowledged, so nothing is marked sent (the server's unique ids make a resend safe).
            raise ServerUnreachable(
                "Máy chủ huyện trả lời không khớp với lô dữ liệu đã gửi; dữ liệu vẫn được giữ để gửi lại."
            )
        # No answer for the procedures at all: a server older than them (they stay pending); a
        # partial or shuffled answer is no answer, as for events.
        if ack.procedures and [r.entry_id for r in ack.procedures] != [entry for entry, _ in procedures]:
            raise ServerUnreachable(
                "Máy chủ huyện trả lời không khớp với lô dữ liệu đã gửi; dữ liệu vẫn được giữ để gửi lại."
            )
        return ack

    def pull(self, cursor: Cursor, *, limit: int | None = None, own: bool = False) -> PullResponse:
        params: dict[str, Any] = {"events_after": cursor.events, "publications_after": cursor.publications}
        if limit is not None:
            params["limit"] = limit
        if own:
            params["own"] = "true"
        return self._parse(self._send("GET", "/v1/pull", params=params), PullResponse)

    def transfer(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A file-transfer request (uploads.py), answered raw: its bodies are bytes, not protocol
        JSON. Only a 200 comes back; every other answer raises as for the endpoints above."""
        return self._send(method, path, **kwargs)

    # --- plumbing -------------------------------------------------------------------------------

    @staticmethod
    def _batch_body(batch_id: str, payloads_json: list[str], audit_head: AuditHead | None = None,
                    waiting: WaitingReport | None = None, procedures_json: Sequence[str] = ()) -> bytes:
        # The payloads are already JSON (the outbox stores them so): splice them in rather than
        # parse and re-serialise 500 dossiers per batch.
        envelope: dict[str, Any] = {"protocol": PROTOCOL, "batch_id": batch_id, "features": list(CLIENT_FEATURES)}
        if audit_head is not None:
            envelope["audit_head"] = audit_head.model_dump(exclude_none=True)
        if waiting is not None:
            envelope["waiting"] = waiting.model_dump(exclude_none=True)
        head = json.dumps(envelope)[:-1]
        if procedures_json:
            head += ',"procedures":[' + ",".join(procedures_json) + "]"
        return (head + ',"events":[' + ",".join(payloads_json) + "]}").encode("utf-8")

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self._headers, **kwargs.pop("headers", {})}
        try:
            response = self._http.request(method, self.base_url + path, headers=headers, **kwargs)
        except httpx.TimeoutException:
            raise ServerUnreachable(
                "Máy chủ huyện không trả lời kịp (quá thời gian chờ); dữ liệu vẫn được giữ để gửi lại."
            ) from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            refused = pinning.refusal(exc, self.base_url)
            if refused is not None:
                raise refused from None
            raise ServerUnreachable(
                f"Không kết nối được máy chủ huyện ({self.base_url}): {_short(exc)}. "
                "Dữ liệu vẫn được giữ để gửi lại."
            ) from None
        if response.status_code == 200:
            return response
        error = _our_error(response)
        if error is None or response.status_code >= 500:
            if response.status_code >= 500:
                raise ServerUnreachable(
                    f"Máy chủ huyện đang gặp lỗi (HTTP {response.status_code}); dữ liệu vẫn được giữ để gửi lại."
                )
            raise ServerUnreachable(NOT_OUR_SERVER)
        if response.status_code == 413:
            raise BatchTooLarge(error.message)
        if error.error in DAMAGED_IN_TRANSIT:
            # We always send well-formed JSON: if the server could not read it, the line damaged it.
            raise ServerUnreachable("Dữ liệu bị hỏng trên đường truyền tới máy chủ huyện; sẽ gửi lại.")
        raise SyncRefused(error.message, code=error.error)

    @staticmethod
    def _parse(response: httpx.Response, model: type[M]) -> M:
        try:
            return model.model_validate_json(response.content)
        except (ValidationError, ValueError):
            raise ServerUnreachable(NOT_OUR_SERVER) from None


def _our_error(response: httpx.Response) -> ErrorBody | None:
    """Our server's error body (with its protocol marker), or None for anybody else's page."""
    try:
        body = ErrorBody.model_validate_json(response.content)
    except (ValidationError, ValueError):
        return None
    return body if body.protocol == PROTOCOL else None


def _short(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"
