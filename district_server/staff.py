"""District staff accounts of the web dashboard, their sessions, and the audit of what they did
(docs/server-web.md "Staff accounts and roles").

Passwords, log-in names and the slow-down after wrong passwords are the counter's own rules
(counter_app/services/accounts.py): argon2, a wait that doubles after three failures, a message that
never says whether the name or the password was wrong. Sessions live in the database (only a hash
of the cookie), so every worker process sees the same ones and disabling an account ends them.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from counter_app import clock
from counter_app.domain.ids import new_id
from counter_app.domain.text import collapse_spaces, nfc
from counter_app.errors import UserError
from counter_app.services.accounts import (
    LOCKED_LOGIN,
    WRONG_LOGIN,
    check_username,
    hash_password,
    lock_wait,
    verify_password,
)
from district_server.database import Database
from district_server.received import storable
from district_server.schema import staff, staff_audit, staff_session
from district_server.timeutil import now_iso

ROLES: dict[str, str] = {"admin": "Quản trị", "leader": "Lãnh đạo", "viewer": "Xem"}
# viewer reads everything the dashboard shows; leader also exports and moves a dossier's status
# from the district; admin also issues and revokes counter tokens, resolves review cases and
# publishes catalogues and holiday tables.
_VIEWER = frozenset({"view"})
_LEADER = _VIEWER | {"export", "set_status"}
_ADMIN = _LEADER | {"tokens", "review", "publish"}
PERMISSIONS: dict[str, frozenset[str]] = {"viewer": _VIEWER, "leader": _LEADER, "admin": _ADMIN}

# A session ends after this long without a request, and in any case after a working day.
IDLE = timedelta(minutes=30)
LONGEST = timedelta(hours=12)


@dataclass(frozen=True)
class Staff:
    id: str
    username: str
    full_name: str
    role: str

    def may(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())


@dataclass(frozen=True)
class Session:
    staff: Staff
    csrf: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _staff(row: Any) -> Staff:
    return Staff(row.id, row.username, row.full_name, row.role)


# --- accounts -------------------------------------------------------------------------------------


def add_staff(db: Database, username: str, full_name: str, role: str, password: str) -> Staff:
    name = check_username(username)
    if role not in ROLES:
        raise UserError(f"Vai trò phải là một trong: {', '.join(ROLES)}.", field="role")
    full = collapse_spaces(nfc(full_name))[:200]
    if not full:
        raise UserError("Cần nhập họ tên cán bộ (--full-name).", field="full_name")
    digest = hash_password(password)
    with db.write() as conn:
        if conn.execute(sa.select(staff.c.id).where(staff.c.username == name)).first() is not None:
            raise UserError(f"Tên đăng nhập '{name}' đã có.", field="username")
        row = Staff(new_id(), name, full, role)
        conn.execute(sa.insert(staff).values(id=row.id, username=name, full_name=full, role=role,
                                             password_hash=digest, created_at=now_iso()))
        record(conn, "counter-server", "staff.add", name, {"role": role})
    return row


def disable_staff(db: Database, username: str) -> bool:
    """Close an account and end its sessions; False when no such open account."""
    name = storable(username or "").strip().lower()
    with db.write() as conn:
        row = conn.execute(sa.select(staff.c.id).where(staff.c.username == name, staff.c.disabled_at.is_(None))).first()
        if row is None:
            return False
        conn.execute(sa.update(staff).where(staff.c.id == row.id).values(disabled_at=now_iso()))
        conn.execute(sa.delete(staff_session).where(staff_session.c.staff_id == row.id))
        record(conn, "counter-server", "staff.disable", name)
    return True


def list_staff(db: Database) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(staff.c.username, staff.c.full_name, staff.c.role, staff.c.created_at,
                                      staff.c.disabled_at).order_by(staff.c.username)).all()
    return [dict(r._mapping) for r in rows]


def attempt_login(db: Database, username: str, password: str, client: str, *,
                  now: datetime | None = None) -> Staff | UserError:
    """The account, or the error to show; every attempt is audited. Throttled per account (the
    counter's lock_wait); the per-address limit is the web layer's (web/auth_web.py)."""
    now = now or clock.now()
    name = storable(username or "").strip().lower()[:64]
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(staff).where(staff.c.username == name, staff.c.disabled_at.is_(None))).first()
    if row is None:
        verify_password(None, password)  # the same time as a real check
        with db.write() as conn:
            record(conn, name or "?", "login.failed", name, {"reason": "unknown"}, client=client)
        return UserError(WRONG_LOGIN, field="password")
    if row.locked_until and clock.parse_iso(row.locked_until) > now:
        wait = int((clock.parse_iso(row.locked_until) - now).total_seconds()) + 1
        with db.write() as conn:
            record(conn, name, "login.locked", name, {"wait_s": wait}, client=client)
        return UserError(LOCKED_LOGIN.format(wait=wait), field="password")
    if not verify_password(row.password_hash, password):
        failed = row.failed_logins + 1
        wait = lock_wait(failed)
        with db.write() as conn:
            conn.execute(sa.update(staff).where(staff.c.id == row.id).values(
                failed_logins=failed, locked_until=clock.iso(now + wait) if wait else None))
            record(conn, name, "login.failed", name, {"failed": failed}, client=client)
        return UserError(WRONG_LOGIN, field="password")
    with db.write() as conn:
        conn.execute(sa.update(staff).where(staff.c.id == row.id).values(failed_logins=0, locked_until=None))
        record(conn, name, "login", name, client=client)
    return _staff(row)


# --- sessions -------------------------------------------------------------------------------------


def open_session(db: Database, who: Staff) -> tuple[str, Session]:
    """A new session; its cookie value (the only time it exists in clear) and the session."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    stamp = now_iso()
    with db.write() as conn:
        conn.execute(sa.insert(staff_session).values(token_hash=_hash(token), staff_id=who.id, csrf=csrf,
                                                     created_at=stamp, seen_at=stamp))
    return token, Session(who, csrf)


def session_of(db: Database, token: str | None, *, now: datetime | None = None) -> Session | None:
    """The live session of this cookie, or None (unknown, idle too long, too old, account disabled)."""
    if not token or len(token) > 100:
        return None
    now = now or clock.now()
    with db.engine.connect() as conn:
        row = conn.execute(
            sa.select(staff_session.c.csrf, staff_session.c.created_at, staff_session.c.seen_at, staff)
            .join(staff, staff.c.id == staff_session.c.staff_id)
            .where(staff_session.c.token_hash == _hash(token), staff.c.disabled_at.is_(None))).first()
    if row is None:
        return None
    if clock.parse_iso(row.seen_at) + IDLE < now or clock.parse_iso(row.created_at) + LONGEST < now:
        end_session(db, token)
        return None
    if clock.parse_iso(row.seen_at) + timedelta(minutes=1) < now:  # at most one write a minute per session
        with db.write() as conn:
            conn.execute(sa.update(staff_session).where(staff_session.c.token_hash == _hash(token))
                         .values(seen_at=clock.iso(now)))
    return Session(_staff(row), row.csrf)


def end_session(db: Database, token: str) -> None:
    with db.write() as conn:
        conn.execute(sa.delete(staff_session).where(staff_session.c.token_hash == _hash(token)))


# --- audit ----------------------------------------------------------------------------------------


def record(conn: Connection, username: str, action: str, target: str = "", detail: dict[str, Any] | None = None,
           *, client: str = "") -> None:
    """One line of the staff audit, in the caller's transaction (the action and its record commit together)."""
    conn.execute(sa.insert(staff_audit).values(
        at=now_iso(), username=storable(username[:64]), action=action[:40], target=storable(str(target)[:200]),
        detail_json=json.dumps(detail or {}, ensure_ascii=True, sort_keys=True), client=storable(client[:64])))


def audit_trail(db: Database, limit: int = 200) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        rows = conn.execute(sa.select(staff_audit).order_by(staff_audit.c.id.desc()).limit(limit)).all()
    return [{**dict(r._mapping), "detail": json.loads(r.detail_json)} for r in rows]
