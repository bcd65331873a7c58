"""What the scripted interface and the window call: link to the server, one sync pass, the state
the officer always sees (waiting events, last success, what failed), and retrying a rejected event.

Errors: `UserError` (exit 2) for bad input and refusals, `SyncRefused` (a `UserError`) for what the
server permanently refused, `ServerUnreachable` (exit 3) when the server could not be reached.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any, Literal

import httpx
from sqlmodel import Session, col, select

from counter_app import clock
from counter_app.db.models import Dossier, Outbox
from counter_app.db.store import Store
from counter_app.errors import UserError
from counter_app.services import audit, settings
from counter_app.services.office import require_office
from counter_app.sync import engine, outbox, pull
from counter_app.sync.client import DEFAULT_TIMEOUT, SyncClient, normalise_server_url
from counter_app.sync.errors import CertificateRefused, ServerUnreachable, SyncRefused
from counter_app.sync.pinning import normalise_fingerprint
from counter_app.sync.protocol import CLIENT_BATCH_EVENTS, DeviceInfo
from counter_app.sync.status import FailedEvent
from counter_app.sync.uploads import FileQueue

NOT_LINKED = "Máy quầy chưa được kết nối với máy chủ huyện: hãy chạy 'counter-app link --server URL --token TOKEN'."


# `link` on a flaky line: a few tries, waiting longer each time, bounded (about 7 s of waiting plus
# the requests' own time-outs), before keeping the link unverified.
LINK_ATTEMPTS = 4
LINK_BACKOFF = (1.0, 2.0, 4.0)  # seconds before the 2nd, 3rd and 4th try
LINK_TIMEOUT = httpx.Timeout(20.0, connect=5.0)

UNVERIFIED = ("Chưa liên lạc được máy chủ huyện ({reason}). Đã lưu kết nối nhưng CHƯA xác minh mã thiết bị: "
              "lần đồng bộ đầu tiên khi có mạng sẽ xác minh; nếu mã bị từ chối, kết nối sẽ bị hủy.")
PLAIN_HTTP_REFUSED = ("Địa chỉ '{url}' là HTTP không mã hóa: mã thiết bị và dữ liệu công dân sẽ đi qua mạng ở dạng "
                      "đọc được. Hãy dùng https:// (máy chủ huyện mặc định chạy HTTPS), hoặc thêm '--plain-http' nếu "
                      "thật sự muốn (chỉ trong mạng nội bộ tin cậy); không có gì thay đổi.")
PIN_NEEDS_HTTPS = "Chỉ ghim được dấu vân tay chứng chỉ với địa chỉ https://; không có gì thay đổi."
REFUSED_AT_FIRST_SYNC = ("Máy chủ huyện từ chối mã thiết bị đã lưu khi chưa có mạng ({reason}); kết nối đã bị hủy, "
                         "hãy chạy lại 'counter-app link --server URL --token TOKEN' với mã đúng.")


def link(
    store: Store,
    server_url: str,
    token: str,
    *,
    fingerprint: str | None = None,
    plain_http: bool = False,
    actor: audit.Actor | None = None,
    http: httpx.Client | None = None,
    timeout: httpx.Timeout | float = LINK_TIMEOUT,
    attempts: int = LINK_ATTEMPTS,
    backoff: tuple[float, ...] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Check the token with the server, then keep the link (audited as `actor`, default the
    system). `fingerprint` pins the server's certificate (what `counter-server add-device`
    prints); without one, the certificate must be one the system's CAs trust. An http:// address is
    refused unless `plain_http`. Refused at once (nothing kept) when the server refuses the token,
    or it belongs to another office or counter number, or its certificate is not the one expected.
    A server that cannot be reached is tried `attempts` times; then the link is kept unverified and
    ServerUnreachable (exit 3) says so — the first sync verifies it (`verify_link`)."""
    url = normalise_server_url(server_url)
    pin = normalise_fingerprint(fingerprint) if fingerprint else None
    if url.startswith("http://"):
        if pin is not None:
            raise UserError(PIN_NEEDS_HTTPS)
        if not plain_http:
            raise UserError(PLAIN_HTTP_REFUSED.format(url=url))
    token = (token or "").strip()
    if not token or len(token) > 200 or any(c.isspace() for c in token):
        raise UserError("Mã thiết bị (token) trống hoặc không hợp lệ; hãy sao chép lại từ 'counter-server add-device'.")
    with store.read() as session:
        require_office(session)
    try:
        device = _ask_device(url, token, pin, http=http, timeout=timeout, attempts=attempts,
                             backoff=LINK_BACKOFF if backoff is None else backoff, sleep=sleep)
    except ServerUnreachable as exc:
        _keep_link(store, url, token, pin, None, actor)
        summary = {"server": url, "fingerprint": pin, "linked": True, "verified": False}
        raise ServerUnreachable(UNVERIFIED.format(reason=_why(exc.message)), summary=summary) from None
    with store.read() as session:
        _check_device(session, device)
    _keep_link(store, url, token, pin, device, actor)
    return {"server": url, "fingerprint": pin, "device_id": device.device_id, "agency_code": device.agency_code,
            "counter": device.counter, "linked": True, "verified": True}


def _why(message: str) -> str:
    """The client's reason without its "the data is kept to send again" tail (nothing to send here)."""
    return re.split(r"[.;]\s*[Dd]ữ liệu vẫn được giữ|[.;]\s*[Ss]ẽ gửi lại", message)[0].rstrip(". ")


def _ask_device(url: str, token: str, pin: str | None, *, http: httpx.Client | None, timeout: httpx.Timeout | float,
                attempts: int, backoff: tuple[float, ...], sleep: Callable[[float], None]) -> DeviceInfo:
    """GET /v1/device, retried while the server cannot be reached (a refusal is final at once)."""
    with SyncClient(url, token, fingerprint=pin, http=http, timeout=timeout) as client:
        for attempt in range(max(1, attempts)):
            if attempt:
                sleep(backoff[min(attempt - 1, len(backoff) - 1)] if backoff else 0.0)
            try:
                return client.device()
            except ServerUnreachable:
                if attempt == max(1, attempts) - 1:
                    raise
    raise AssertionError("unreachable")  # the loop returns or raises


def _check_device(session: Session, device: DeviceInfo) -> None:
    office = require_office(session)
    if device.agency_code != office.agency_code:
        raise UserError(f"Mã thiết bị này được cấp cho cơ quan {device.agency_code}, không phải "
                        f"{office.agency_code}; không có gì thay đổi.")
    if device.counter != office.counter:
        raise UserError(f"Mã thiết bị này được cấp cho quầy số {device.counter}, nhưng máy này là quầy số "
                        f"{office.counter}; không có gì thay đổi.")


def _device_setting(device: DeviceInfo) -> dict[str, Any]:
    return {"device_id": device.device_id, "agency_code": device.agency_code, "counter": device.counter}


def _keep_link(store: Store, url: str, token: str, pin: str | None, device: DeviceInfo | None,
               actor: audit.Actor | None) -> None:
    """The link as kept: `device` None means not yet verified (KEY_DEVICE stays empty until it is)."""
    with store.write() as session:
        if settings.get(session, engine.KEY_SERVER) != url:
            settings.put(session, engine.KEY_CURSOR, {})  # another server: its sequence starts anew
        settings.put(session, engine.KEY_SERVER, url)
        settings.put(session, engine.KEY_TOKEN, token)
        settings.put(session, engine.KEY_FINGERPRINT, pin)
        settings.put(session, engine.KEY_DEVICE, None if device is None else _device_setting(device))
        settings.put(session, engine.KEY_PUBLIC_URL, None if device is None else device.public_url)
        settings.put(session, engine.KEY_LAST_ERROR, None)
        audit.record(session, actor or audit.SYSTEM, "sync_link", url,
                     {"verified": False, "fingerprint": pin} if device is None
                     else {**_device_setting(device), "fingerprint": pin})


def linked_client(store: Store, *, http: httpx.Client | None = None,
                  timeout: httpx.Timeout | float = DEFAULT_TIMEOUT) -> SyncClient | None:
    """A client for the kept link (its address, token and pinned certificate); None when not linked."""
    with store.read() as session:
        url = settings.get(session, engine.KEY_SERVER)
        token = settings.get(session, engine.KEY_TOKEN)
        pin = settings.get(session, engine.KEY_FINGERPRINT)
    if not url or not token:
        return None
    return SyncClient(url, token, fingerprint=pin, http=http, timeout=timeout)


def verify_link(store: Store, client: SyncClient) -> None:
    """A link kept while the server could not be reached is checked on the first pass that reaches
    it: a token the server refuses, or one of another office or counter, undoes the link (nothing
    of it kept) and stops the pass; ServerUnreachable leaves it as it is."""
    with store.read() as session:
        if settings.get(session, engine.KEY_DEVICE) is not None:
            return
    try:
        device = client.device()
        with store.read() as session:
            _check_device(session, device)
    except CertificateRefused:
        raise  # the token was never sent: the link stays, stopped, until the admin links again
    except UserError as exc:  # SyncRefused (a bad token) is one too
        with store.write() as session:
            for key in (engine.KEY_SERVER, engine.KEY_TOKEN, engine.KEY_FINGERPRINT, engine.KEY_DEVICE,
                        engine.KEY_PUBLIC_URL):
                settings.put(session, key, None)
            audit.record(session, audit.SYSTEM, "sync_unlink", "", {"reason": exc.message})
        raise SyncRefused(REFUSED_AT_FIRST_SYNC.format(reason=exc.message.rstrip(". ")),
                          code=getattr(exc, "code", "refused")) from None
    with store.write() as session:
        settings.put(session, engine.KEY_DEVICE, _device_setting(device))
        audit.record(session, audit.SYSTEM, "sync_link_verified", client.base_url, _device_setting(device))


SYNC_AFTER_RESTORE = ("Hãy đồng bộ ('counter-app sync --once' hoặc 'Đồng bộ ngay') trước khi tiếp nhận hồ sơ mới: "
                      "máy sẽ lấy lại từ máy chủ huyện các hồ sơ của quầy này ghi sau bản sao lưu, và không cấp lại "
                      "mã đã dùng.")


def after_restore(store: Store, source: str) -> str | None:
    """A store just restored from a backup: the next pull asks for this counter's own events too, so
    those recorded after the backup come back from the server (engine.KEY_RECOVER_OWN); and the
    restore goes in the restored trail (its head then reads older than the server's: a break the
    district sees, and resolves knowing why). Returns what to tell the officer when linked: sync
    before the next intake, or that intake could take a code the lost dossiers used."""
    with store.write() as session:
        settings.put(session, engine.KEY_RECOVER_OWN, True)
        audit.record(session, audit.scripted_actor(), "backup_restored", source, {})
        linked = bool(settings.get(session, engine.KEY_TOKEN))
    return SYNC_AFTER_RESTORE if linked else None


def sync_once(
    store: Store,
    *,
    http: httpx.Client | None = None,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    batch_size: int = CLIENT_BATCH_EVENTS,
    files: FileQueue | None | Literal["store"] = "store",
) -> dict[str, Any]:
    """Push then pull, now, whatever the retry schedule says; then the waiting `files` ("store":
    the store's own digitised files, counter_app/digitise/upload_queue.py; None: none). Returns
    {"pushed", "pulled", "pending", "rejected"}; when files were sent or wait, also "files_sent",
    "files_failed", "files_waiting" and "files_error" when the files stopped early. Raises
    ServerUnreachable (work kept) or SyncRefused for the events only."""
    if files == "store":
        from counter_app.digitise.upload_queue import StoreFiles

        files = StoreFiles(store)
    with store.read() as session:
        require_office(session)
    client = linked_client(store, http=http, timeout=timeout)
    if client is None:
        raise UserError(NOT_LINKED)
    counts = engine.PassCounts()
    _record(store, engine.KEY_LAST_ATTEMPT, clock.iso(clock.now()))
    try:
        with client:
            verify_link(store, client)
            counts.pushed = engine.push_pending(store, client, batch_size=batch_size)
            counts.pulled = pull.pull_all(store, client)
            engine.report_audit_head(store, client)
            sent_files = engine.send_files(store, client, files)
    except ServerUnreachable as exc:
        _record_error(store, exc.message, permanent=False)
        with store.read() as session:
            exc.summary = counts.summary(session)
        raise
    except SyncRefused as exc:
        _record_error(store, exc.message, permanent=True)
        raise
    with store.write() as session:
        settings.put(session, engine.KEY_LAST_SUCCESS, clock.iso(clock.now()))
        settings.put(session, engine.KEY_LAST_ERROR, None)
        outbox.prune_sent(session)  # old acknowledged snapshots: GBs over ten years, never read again
        summary: dict[str, Any] = counts.summary(session)
    if files is not None and (sent_files.sent or sent_files.failed or sent_files.left or sent_files.error):
        summary.update(sent_files.summary())
        if sent_files.error:
            summary["files_error"] = sent_files.error
    return summary


def probe(store: Store, *, http: httpx.Client | None = None, timeout: float = 5.0) -> bool:
    """True when our server answers /health (a captive portal does not): the network is back."""
    client = linked_client(store, http=http, timeout=timeout)
    if client is None:
        return False
    try:
        with client:
            client.health()
    except (ServerUnreachable, SyncRefused):
        return False
    return True


def sync_status(store: Store) -> dict[str, Any]:
    """What the window's status bar shows: linked or not, waiting and rejected counts, last success,
    the last error (permanent ones stop the automatic retries)."""
    with store.read() as session:
        counts = engine.outbox_counts(session)
        return {
            "linked": bool(settings.get(session, engine.KEY_TOKEN)),
            "verified": settings.get(session, engine.KEY_DEVICE) is not None,
            "server": settings.get(session, engine.KEY_SERVER),
            "fingerprint": settings.get(session, engine.KEY_FINGERPRINT),
            "device": settings.get(session, engine.KEY_DEVICE),
            "pending": counts["pending"],
            "rejected": counts["rejected"],
            "last_success": settings.get(session, engine.KEY_LAST_SUCCESS),
            "last_attempt": settings.get(session, engine.KEY_LAST_ATTEMPT),
            "last_error": settings.get(session, engine.KEY_LAST_ERROR),
        }


def failed_events(store: Store, *, limit: int = 200) -> list[FailedEvent]:
    """Rejected events, and pending ones that already failed at least once, with the reason:
    the window's "what failed" list. Oldest first."""
    with store.read() as session:
        rows = session.exec(
            select(Outbox)
            .where(Outbox.sent_at == None)  # noqa: E711 - the partial pending index
            .where((Outbox.state == "rejected") | (Outbox.attempts > 0))
            .order_by(Outbox.seq)
            .limit(limit)
        ).all()
        codes = _codes(session, {r.dossier_id for r in rows})
    return [FailedEvent(event_id=r.event_id, dossier_id=r.dossier_id, code=codes.get(r.dossier_id, "") or _own_code(r),
                        kind=r.kind, state=r.state, attempts=r.attempts, reason=r.last_error, created_at=r.created_at)
            for r in rows]


def _own_code(row: Outbox) -> str:
    """The procedure's code, for an office's own procedure waiting in the outbox (no dossier)."""
    if row.kind != outbox.KIND_PROCEDURE:
        return ""
    try:
        return str(json.loads(row.payload_json)["procedure"]["code"])
    except (ValueError, KeyError, TypeError):
        return ""


def retry_event(store: Store, event_id: str) -> None:
    """Put a rejected event back in the queue (after someone fixed the cause on either side)."""
    with store.write() as session:
        row = session.exec(select(Outbox).where(Outbox.event_id == event_id)).first()
        if row is None:
            raise UserError(f"Không có sự kiện {event_id} trong hàng chờ đồng bộ.")
        if row.sent_at is not None:
            raise UserError("Sự kiện này đã được máy chủ huyện nhận; không cần gửi lại.")
        row.state = "pending"
        session.add(row)


def _codes(session: Session, dossier_ids: set[str]) -> dict[str, str]:
    ids = sorted(dossier_ids)
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update(dict(session.exec(select(Dossier.id, Dossier.code).where(col(Dossier.id).in_(chunk))).all()))
    return found


def _record(store: Store, key: str, value: Any) -> None:
    with store.write() as session:
        settings.put(session, key, value)


def _record_error(store: Store, message: str, *, permanent: bool) -> None:
    try:
        _record(store, engine.KEY_LAST_ERROR, {"at": clock.iso(clock.now()), "message": message,
                                               "permanent": permanent})
    except UserError:  # a busy store must not hide the network error behind it
        pass
