"""The window's door to officers, the audit trail, backups and reports (the admin side of the desk).

Like counter_app/desk.py: each function opens its own transaction and calls the services, runs on
the window's store lane, and hands back plain values (dataclasses, dicts), so the window never holds
a session or sees a table. The functions take the `Desk` (they use `desk.store`; `has_accounts`, one
of the window's first reads, `desk.reading()`). This module's own imports stay light; the services
are imported inside the functions, on the lane.

Who acts is the desk's `actor`, set by `login` and cleared by `logout`; who may do what is decided
by the core's one permission gate (services/permissions.py): the window only hides what a role may
not use, the core refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter_app import clock
from counter_app.errors import UserError

if TYPE_CHECKING:
    from counter_app.desk import Desk
    from counter_app.services.accounts import Account
    from counter_app.services.audit import Verification
    from counter_app.sync.status import FailedEvent

IDLE_KEY = "session.idle_minutes"  # declared with the other office settings in services/office_settings.py
BACKUP_FOLDER_KEY = "backup.folder"
BACKUP_LAST_KEY = "backup.last"  # {"at": iso, "path": str} of the newest backup this store made


# --- officers ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountRow:
    username: str
    full_name: str
    role: str
    role_label: str
    active: bool


@dataclass(frozen=True)
class Login:
    """Who logged in, what they may do, and the settings the window needs at once."""

    username: str
    full_name: str
    role: str
    role_label: str
    permissions: frozenset[str]
    idle_minutes: float


def has_accounts(desk: Desk) -> bool:
    """Whether to ask for a log-in or for the first admin: one of the window's first reads, so plain
    (Desk.reading), before the store's full opening (the same question as accounts.has_accounts)."""
    from counter_app.db import plain_rows

    with desk.reading() as reader:
        return plain_rows.fetch_one(reader, "SELECT 1 AS found FROM officer LIMIT 1", {}) is not None


def create_first_admin(desk: Desk, username: str, full_name: str, password: str) -> Login:
    """First run: the one account nobody had to create. Refused once any account exists (the same
    transaction checks and creates, so two windows cannot both make one). Logs the admin in."""
    from counter_app.services import accounts, audit

    with desk.store.write() as session:
        if accounts.has_accounts(session):
            raise UserError("Đã có tài khoản quản trị: hãy đăng nhập.")
        accounts.create_account(session, username, full_name, "admin", password, actor=audit.SYSTEM)
    return login(desk, username, password)


def login(desk: Desk, username: str, password: str) -> Login:
    """Check the password (slowed down after repeated failures: the service says how long)."""
    from counter_app.services import accounts, office_settings

    account = accounts.login(desk.store, username, password)
    with desk.store.read() as session:
        idle = office_settings.value(session, IDLE_KEY)
    desk.act_as(account.actor)
    return _login(account, idle)


def logout(desk: Desk) -> None:
    """The officer leaves the counter (Đăng xuất): recorded, and nobody acts until the next log-in."""
    from counter_app.services import audit

    actor = desk.acting
    if actor is None:
        return
    try:
        with desk.store.write() as session:
            audit.record(session, actor, "logout", actor.officer)
    finally:
        desk.act_as(None)


def _login(account: Account, idle: Any) -> Login:
    from counter_app.domain.roles import PERMISSIONS, ROLES

    return Login(account.username, account.full_name, account.role, ROLES.get(account.role, account.role),
                 PERMISSIONS.get(account.role, frozenset()), float(idle))


def change_password(desk: Desk, old: str, new: str) -> None:
    """The acting officer's own password (the old one is checked again)."""
    from counter_app.services import accounts

    accounts.change_password(desk.store, desk.actor.officer, old, new)


def _require(session: Any, desk: Desk, permission: str) -> None:
    from counter_app.services.permissions import authorize

    authorize(session, desk.actor, permission)


def list_accounts(desk: Desk) -> list[AccountRow]:
    """Every account, disabled ones too (the admin screen enables them again)."""
    from counter_app.domain.roles import ROLES
    from counter_app.services.accounts import all_accounts

    with desk.store.read() as session:
        _require(session, desk, "accounts")
        return [AccountRow(r.username, r.full_name, r.role, ROLES.get(r.role, r.role), bool(r.active))
                for r in all_accounts(session)]


def add_account(desk: Desk, username: str, full_name: str, role: str, password: str) -> AccountRow:
    from counter_app.services import accounts

    with desk.store.write() as session:
        made = accounts.create_account(session, username, full_name, role, password, actor=desk.actor)
    return AccountRow(made.username, made.full_name, made.role, accounts.ROLES[made.role], True)


def set_active(desk: Desk, username: str, active: bool) -> None:
    from counter_app.services import accounts

    with desk.store.write() as session:
        accounts.set_active(session, username, active, actor=desk.actor)


def set_role(desk: Desk, username: str, role: str) -> None:
    from counter_app.services import accounts

    with desk.store.write() as session:
        accounts.set_role(session, username, role, actor=desk.actor)


# --- backups ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupDone:
    path: Path
    at: datetime
    size: int
    dossiers: int


@dataclass(frozen=True)
class BackupState:
    folder: Path
    default_folder: Path
    last_at: datetime | None
    last_path: str


def backup_state(desk: Desk) -> BackupState:
    from counter_app.services import office_settings, settings

    with desk.store.read() as session:
        folder = office_settings.value(session, BACKUP_FOLDER_KEY)
        last = settings.get(session, BACKUP_LAST_KEY, None) or {}
    at = clock.parse_iso(last["at"]) if last.get("at") else None
    return BackupState(Path(folder) if folder else desk.store.backup_dir, desk.store.backup_dir, at,
                       last.get("path", ""))


def run_backup(desk: Desk, *, automatic: bool = False, now: datetime | None = None) -> BackupDone:
    """A rotated automatic backup into the chosen folder (start-up, daily, "Sao lưu ngay").

    A chosen folder that is not there (the USB stick is not plugged in) is an error, never created:
    creating it would put the citizens' data on the local disk where the admin did not want it.
    """
    from counter_app.services import audit, backup, settings

    state = backup_state(desk)
    folder = state.folder
    if folder != state.default_folder and not folder.is_dir():
        raise UserError(f"Không tìm thấy thư mục sao lưu '{folder}' (chưa cắm USB?). "
                        "Cắm lại ổ rồi chọn Sao lưu ngay, hoặc nhờ quản trị chọn thư mục khác.")
    at = now or clock.now()
    info = backup.automatic_backup(desk.store, folder, now=at)
    with desk.store.write() as session:
        settings.put(session, BACKUP_LAST_KEY, {"at": clock.iso(at), "path": str(info.path)})
        who = audit.SYSTEM if automatic or desk.acting is None else desk.actor
        audit.record(session, who, "backup", info.path.name,
                     {"size": info.size, "dossiers": info.dossiers}, now=at)
    return BackupDone(info.path, at, info.size, info.dossiers)


def backup_due(desk: Desk, *, now: datetime | None = None) -> bool:
    """Whether the automatic backup (at log-in, and the window's hourly look) should run now:
    services.backup.backup_due on the newest backup this store made. "Sao lưu ngay" does not ask."""
    from counter_app.services import backup, office_settings

    with desk.store.read() as session:
        every = int(office_settings.value(session, "backup.every_days"))
    return backup.backup_due(backup_state(desk).last_at, now or clock.now(), every)


# --- audit trail ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    actor: str
    actor_kind: str
    action: str
    target: str
    detail: str


def audit_page(desk: Desk, *, before_seq: int | None = None, limit: int = 100) -> list[AuditRow]:
    """Newest first, one page (rows older than `before_seq`)."""
    from counter_app.services import audit

    with desk.store.read() as session:
        _require(session, desk, "audit")
        rows = audit.entries(session, before_seq=before_seq, limit=limit)
        return [AuditRow(int(e.seq or 0), clock.parse_iso(e.at), e.actor, e.actor_kind, e.action, e.target,
                         "" if e.detail_json in ("{}", "") else e.detail_json) for e in rows]


def verify_audit(desk: Desk) -> Verification:
    from counter_app.services import audit

    with desk.store.read() as session:
        _require(session, desk, "audit")
        return audit.verify(session)


# --- reports ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    key: str
    name: str
    received: int
    resolved: int
    early: int
    on_time: int
    late: int
    ok_rate: float | None  # early + on time, % of resolved


@dataclass(frozen=True)
class Report:
    date_from: date
    date_to: date
    figures: list[tuple[str, float | int | None, float | None]]  # the workbook's and the PDF's rows
    by_field: list[GroupRow]
    by_procedure: list[GroupRow]
    weeks: list[tuple[date, int, int, float | None]]  # week start, received, resolved, on-time %
    received: int
    resolved: int
    qd766_on_time_rate: float | None


def report(desk: Desk, date_from: date, date_to: date) -> Report:
    from counter_app.services import digitisation_stats, reports, statistics

    with desk.store.read() as session:
        _require(session, desk, "reports")
        stats = statistics.compute(session, date_from, date_to)
        weeks = statistics.weekly_series(session, date_from, date_to)
        digitised = digitisation_stats.digitisation(session, date_from, date_to)

    def rows(groups: dict[str, Any], names: dict[str, str]) -> list[GroupRow]:
        return [GroupRow(k, names.get(k, ""), o.received, o.resolved, o.early, o.on_time, o.late,
                         o.rate(o.early + o.on_time)) for k, o in groups.items()]

    return Report(date_from, date_to, reports.figures(stats, digitised), rows(stats.by_field, {}),
                  rows(stats.by_procedure, stats.procedure_names), weeks, stats.received, stats.resolved,
                  stats.qd766_on_time_rate)


def check_report_path(path: str) -> Path:
    """A report goes to an .xlsx or .pdf file in a folder that exists (checked before any work)."""
    target = Path(path)
    if target.suffix.lower() not in (".xlsx", ".pdf"):
        raise UserError(f"Báo cáo ghi ra tệp .xlsx hoặc .pdf, không phải '{target.name}'.")
    if not target.parent.is_dir():
        raise UserError(f"Thư mục '{target.parent}' không tồn tại.")
    return target


def export_report(desk: Desk, date_from: date, date_to: date, path: str) -> tuple[Path, int]:
    """The register and the statistics as .xlsx or .pdf (by the name's ending); (path, rows)."""
    from counter_app.services import audit, reports, statistics

    target = check_report_path(path)
    suffix = target.suffix.lower()
    statistics.period_bounds(date_from, date_to)
    with desk.store.read() as session:
        _require(session, desk, "reports")
        write = reports.write_xlsx if suffix == ".xlsx" else reports.write_pdf
        n = write(session, date_from, date_to, target)
    with desk.store.write() as session:
        audit.record(session, desk.actor, "report.export", target.name,
                     {"from": date_from.isoformat(), "to": date_to.isoformat()})
    return target, n


def failed_events(desk: Desk) -> list[FailedEvent]:
    """The events the server refused, or that failed to go at least once, with the reason (the sync
    panel's list)."""
    from counter_app.sync.commands import failed_events as listed

    _ = desk.actor  # nobody logged in: "Chưa đăng nhập"
    return listed(desk.store)


def retry_events(desk: Desk, event_ids: list[str]) -> int:
    """Queue refused events again (after the cause was fixed on either side)."""
    from counter_app.sync.commands import retry_event

    _ = desk.actor
    for event_id in event_ids:
        retry_event(desk.store, event_id)
    return len(event_ids)
