"""Officer accounts: argon2 password hashes, three roles, slowed down after wrong passwords."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from counter_app import clock
from counter_app.db.models import Officer
from counter_app.domain.roles import ROLES, may
from counter_app.domain.text import collapse_spaces, nfc
from counter_app.errors import UserError
from counter_app.services import audit
from counter_app.services.permissions import authorize

MIN_PASSWORD = 8
FREE_ATTEMPTS = 3  # after these, each failure doubles the wait: 30 s, 1 min, 2 min … 15 min
MAX_WAIT = timedelta(minutes=15)
_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
# Never says whether the name or the password was wrong.
WRONG_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."
LOCKED_LOGIN = "Đăng nhập sai nhiều lần: vui lòng thử lại sau {wait} giây."


@dataclass(frozen=True)
class Account:
    username: str
    full_name: str
    role: str

    def may(self, permission: str) -> bool:
        return may(self.role, permission)

    @property
    def actor(self) -> audit.Actor:
        return audit.Actor(self.username)


def _hasher():  # noqa: ANN202 - argon2 is imported only when a password is checked
    from argon2 import PasswordHasher

    return PasswordHasher()


def _account(row: Officer) -> Account:
    return Account(row.username, row.full_name, row.role)


def _check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.", field="password")
    return password


def check_username(username: str) -> str:
    """The log-in name, lower case, or the error (the district's staff accounts follow the same rule)."""
    name = (username or "").strip().lower()
    if not _USERNAME_RE.match(name):
        raise UserError("Tên đăng nhập gồm 2–32 chữ thường không dấu, số, dấu chấm, gạch ngang.", field="username")
    return name


def hash_password(password: str) -> str:
    """An argon2 hash of a password long enough (or the error)."""
    return _hasher().hash(_check_password(password))


def lock_wait(failed_count: int) -> timedelta | None:
    """How long log-in stays closed after this many failures in a row (None: not yet)."""
    if failed_count < FREE_ATTEMPTS:
        return None
    return min(timedelta(seconds=30) * 2 ** (failed_count - FREE_ATTEMPTS), MAX_WAIT)


_dummy_hash: str | None = None


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; with no hash (an unknown name) it spends the same time as a
    real check, so timing does not reveal which names exist."""
    global _dummy_hash
    from argon2.exceptions import VerificationError

    hasher = _hasher()
    if password_hash is None:
        _dummy_hash = _dummy_hash or hasher.hash("không-phải-mật-khẩu")
    try:
        return hasher.verify(password_hash or _dummy_hash, password or "") and password_hash is not None
    except VerificationError:
        return False


def has_accounts(session: Session) -> bool:
    return session.exec(select(Officer.username).limit(1)).first() is not None


def create_account(session: Session, username: str, full_name: str, role: str, password: str, *,
                   actor: audit.Actor) -> Account:
    authorize(session, actor, "accounts", target=username or "")
    name = check_username(username)
    if role not in ROLES:
        raise UserError(f"Vai trò phải là một trong: {', '.join(ROLES)}.", field="role")
    full = collapse_spaces(nfc(full_name))
    if not full:
        raise UserError("Cần nhập họ tên cán bộ.", field="full_name")
    if session.get(Officer, name) is not None:
        raise UserError(f"Tên đăng nhập '{name}' đã có.", field="username")
    stamp = clock.iso(clock.now())
    row = Officer(username=name, full_name=full, role=role, password_hash=hash_password(password),
                  active=True, created_at=stamp, updated_at=stamp)
    session.add(row)
    session.flush()
    audit.record(session, actor, "account.create", name, {"role": role})
    return _account(row)


def attempt_login(session: Session, username: str, password: str, *,
                  now: datetime | None = None) -> Account | UserError:
    """The account, or the error to show. The error is returned, not raised, so the failure count
    and the audit entry commit with the caller's transaction (restarting the app resets nothing).
    The message never says whether the name or the password was wrong."""
    now = now or clock.now()
    name = (username or "").strip().lower()
    row = session.get(Officer, name)
    wrong = UserError(WRONG_LOGIN, field="password")
    hasher = _hasher()
    if row is None or not row.active:
        verify_password(None, password)  # the same time as a real check
        audit.record(session, audit.Actor(name or "?"), "login.failed", name, {"reason": "unknown"}, now=now)
        return wrong
    if row.locked_until and clock.parse_iso(row.locked_until) > now:
        wait = int((clock.parse_iso(row.locked_until) - now).total_seconds()) + 1
        return UserError(LOCKED_LOGIN.format(wait=wait), field="password")
    if not verify_password(row.password_hash, password):
        row.failed_count += 1
        wait = lock_wait(row.failed_count)
        if wait is not None:
            row.locked_until = clock.iso(now + wait)
        session.add(row)
        audit.record(session, audit.Actor(name), "login.failed", name, {"failed_count": row.failed_count}, now=now)
        return wrong
    if hasher.check_needs_rehash(row.password_hash):
        row.password_hash = hasher.hash(password)
    row.failed_count, row.locked_until = 0, None
    session.add(row)
    audit.record(session, audit.Actor(name), "login", name, now=now)
    return _account(row)


def login(store, username: str, password: str, *, now: datetime | None = None) -> Account:  # noqa: ANN001
    """Check a password in its own transaction; raises the UserError after the bookkeeping commits."""
    with store.write() as session:
        result = attempt_login(session, username, password, now=now)
    if isinstance(result, UserError):
        raise result
    return result


def change_password(store, username: str, old: str, new: str) -> None:  # noqa: ANN001
    _check_password(new)
    account = login(store, username, old)
    with store.write() as session:
        row = session.get(Officer, account.username)
        assert row is not None
        row.password_hash = _hasher().hash(new)
        row.updated_at = clock.iso(clock.now())
        session.add(row)
        audit.record(session, account.actor, "account.password", account.username)


def set_active(session: Session, username: str, active: bool, *, actor: audit.Actor) -> None:
    authorize(session, actor, "accounts", target=username or "")
    row = session.get(Officer, (username or "").strip().lower())
    if row is None:
        raise UserError(f"Không có tài khoản '{username}'.")
    if not active and row.username == actor.officer:
        raise UserError("Không thể tự khóa tài khoản đang đăng nhập.")
    if not active and row.role == "admin" and not _other_active_admins(session, row.username):
        raise UserError("Phải còn ít nhất một tài khoản quản trị đang hoạt động.")
    row.active = active
    row.updated_at = clock.iso(clock.now())
    session.add(row)
    audit.record(session, actor, "account.enable" if active else "account.disable", row.username)


def _other_active_admins(session: Session, username: str) -> int:
    from sqlmodel import func

    stmt = select(func.count()).select_from(Officer).where(Officer.role == "admin", Officer.active == True,  # noqa: E712
                                                           Officer.username != username)
    return int(session.exec(stmt).one())


def set_role(session: Session, username: str, role: str, *, actor: audit.Actor) -> None:
    authorize(session, actor, "accounts", target=username or "")
    name = (username or "").strip().lower()
    if role not in ROLES:
        raise UserError(f"Vai trò phải là một trong: {', '.join(ROLES.values())}.", field="role")
    row = session.get(Officer, name)
    if row is None:
        raise UserError(f"Không có tài khoản '{username}'.")
    if row.role == role:
        return
    if row.role == "admin" and not _other_active_admins(session, name):
        raise UserError("Phải còn ít nhất một tài khoản quản trị đang hoạt động.")
    before, row.role = row.role, role
    row.updated_at = clock.iso(clock.now())
    session.add(row)
    audit.record(session, actor, "account.role", name, {"from": before, "to": role})


def all_accounts(session: Session) -> list[Officer]:
    """Every account, disabled ones too (the admin screen enables them again)."""
    return list(session.exec(select(Officer).order_by(Officer.username)))


def list_accounts(session: Session) -> list[Account]:
    return [_account(r) for r in session.exec(select(Officer).where(Officer.active == True)  # noqa: E712
                                              .order_by(Officer.username))]
