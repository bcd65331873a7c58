"""Device tokens: issued once by `add-device`, shown once, stored only as a hash.

Tokens are 256 random bits, so a plain SHA-256 is enough (no slow password hash is needed: there
is nothing to guess), and the look-up is one indexed query per request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from counter_app.domain.codes import check_counter, normalise_agency_code
from counter_app.domain.ids import new_id
from district_server.database import Database
from district_server.schema import device
from district_server.timeutil import now_iso

TOKEN_PREFIX = "qmc_"


@dataclass(frozen=True)
class Device:
    id: str
    agency_code: str
    counter: int


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_device(db: Database, agency_code: str, counter: int, label: str = "") -> tuple[Device, str]:
    """A new device and its token (the only time the token exists in clear)."""
    code = normalise_agency_code(agency_code)
    k = check_counter(counter)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    dev = Device(new_id(), code, k)
    with db.write() as conn:
        conn.execute(sa.insert(device).values(id=dev.id, agency_code=code, counter=k, token_hash=hash_token(token),
                                              label=label[:200], created_at=now_iso()))
    return dev, token


def authenticate(db: Database, token: str | None) -> Device | None:
    if not token or len(token) > 200:
        return None
    with db.engine.connect() as conn:
        row = conn.execute(
            sa.select(device.c.id, device.c.agency_code, device.c.counter)
            .where(device.c.token_hash == hash_token(token), device.c.revoked_at.is_(None))
        ).first()
    return Device(row.id, row.agency_code, row.counter) if row else None


def revoke_device(db: Database, device_id: str) -> bool:
    with db.write() as conn:
        done = conn.execute(sa.update(device).where(device.c.id == device_id, device.c.revoked_at.is_(None))
                            .values(revoked_at=now_iso()))
    return done.rowcount > 0


def list_devices(db: Database) -> list[dict[str, object]]:
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(device.c.id, device.c.agency_code, device.c.counter, device.c.label,
                                      device.c.created_at, device.c.revoked_at)
                            .order_by(device.c.agency_code, device.c.counter, device.c.created_at)).all()
    return [dict(r._mapping) for r in rows]
