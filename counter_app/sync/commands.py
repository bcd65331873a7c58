"""What the scripted interface and the window call: link to the server, one sync pass, the state
the officer always sees (waiting events, last success, what failed), and retrying a rejected event.

Errors: `UserError` (exit 2) for bad input and refusals, `SyncRefused` (a `UserError`) for what the
server permanently refused, `ServerUnreachable` (exit 3) when the server could not be reached.
"""

from __future__ import annotations

from typing import Any

import httpx
from sqlmodel import Session, col, select

from counter_app import clock
from counter_app.db.models import Dossier, Outbox
from counter_app.db.store import Store
from counter_app.errors import UserError
from counter_app.services import audit, settings
from counter_app.services.office import require_office
from counter_app.sync import engine, outbox
from counter_app.sync.client import DEFAULT_TIMEOUT, SyncClient, normalise_server_url
from counter_app.sync.errors import ServerUnreachable, SyncRefused
from counter_app.sync.protocol import CLIENT_BATCH_EVENTS

NOT_LINKED = "Máy quầy chưa được kết nối với máy chủ huyện: hãy chạy 'counter-app link --server URL --token TOKEN'."


def link(
    store: Store,
    server_url: str,
    token: str,
    *,
    actor: audit.Actor | None = None,
    http: httpx.Client | None = None,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
) -> dict[str, Any]:
    """Check the token with the server, then keep the link (audited as `actor`, default the
    system). Refused (nothing kept) when the token belongs to another office or counter number."""
    url = normalise_server_url(server_url)
    token = (token or "").strip()
    if not token or len(token) > 200 or any(c.isspace() for c in token):
        raise UserError("Mã thiết bị (token) trống hoặc không hợp lệ; hãy sao chép lại từ 'counter-server add-device'.")
    with store.read() as session:
        office = require_office(session)
        agency, counter = office.agency_code, office.counter
        previous_url = settings.get(session, engine.KEY_SERVER)
    with SyncClient(url, token, http=http, timeout=timeout) as client:
        device = client.device()
    if device.agency_code != agency:
        raise UserError(f"Mã thiết bị này được cấp cho cơ quan {device.agency_code}, không phải {agency}; "
                        "không có gì thay đổi.")
    if device.counter != counter:
        raise UserError(f"Mã thiết bị này được cấp cho quầy số {device.counter}, nhưng máy này là quầy số "
                        f"{counter}; không có gì thay đổi.")
    with store.write() as session:
        if previous_url != url:
            settings.put(session, engine.KEY_CURSOR, {})  # another server: its sequence starts anew
        settings.put(session, engine.KEY_SERVER, url)
        settings.put(session, engine.KEY_TOKEN, token)
        settings.put(session, engine.KEY_DEVICE, {"device_id": device.device_id, "agency_code": device.agency_code,
                                                  "counter": device.counter})
        settings.put(session, engine.KEY_LAST_ERROR, None)
        audit.record(session, actor or audit.SYSTEM, "sync_link", url,
                     {"device_id": device.device_id, "agency_code": device.agency_code, "counter": device.counter})
    return {"server": url, "device_id": device.device_id, "agency_code": device.agency_code,
            "counter": device.counter, "linked": True}


def sync_once(
    store: Store,
    *,
    http: httpx.Client | None = None,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    batch_size: int = CLIENT_BATCH_EVENTS,
) -> dict[str, int]:
    """Push then pull, now, whatever the retry schedule says. Returns
    {"pushed", "pulled", "pending", "rejected"}; raises ServerUnreachable (work kept) or SyncRefused."""
    with store.read() as session:
        require_office(session)
        url = settings.get(session, engine.KEY_SERVER)
        token = settings.get(session, engine.KEY_TOKEN)
    if not url or not token:
        raise UserError(NOT_LINKED)
    counts = engine.PassCounts()
    _record(store, engine.KEY_LAST_ATTEMPT, clock.iso(clock.now()))
    try:
        with SyncClient(url, token, http=http, timeout=timeout) as client:
            counts.pushed = engine.push_pending(store, client, batch_size=batch_size)
            counts.pulled = engine.pull_all(store, client)
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
        return counts.summary(session)


def probe(store: Store, *, http: httpx.Client | None = None, timeout: float = 5.0) -> bool:
    """True when our server answers /health (a captive portal does not): the network is back."""
    with store.read() as session:
        url = settings.get(session, engine.KEY_SERVER)
        token = settings.get(session, engine.KEY_TOKEN)
    if not url or not token:
        return False
    try:
        with SyncClient(url, token, http=http, timeout=timeout) as client:
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
            "server": settings.get(session, engine.KEY_SERVER),
            "device": settings.get(session, engine.KEY_DEVICE),
            "pending": counts["pending"],
            "rejected": counts["rejected"],
            "last_success": settings.get(session, engine.KEY_LAST_SUCCESS),
            "last_attempt": settings.get(session, engine.KEY_LAST_ATTEMPT),
            "last_error": settings.get(session, engine.KEY_LAST_ERROR),
        }


def failed_events(store: Store, *, limit: int = 200) -> list[dict[str, Any]]:
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
    return [{"event_id": r.event_id, "dossier_id": r.dossier_id, "code": codes.get(r.dossier_id, ""),
             "kind": r.kind, "state": r.state, "attempts": r.attempts, "reason": r.last_error,
             "created_at": r.created_at} for r in rows]


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
