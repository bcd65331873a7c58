"""The one permission gate: every write of the core (and every privileged read) asks here first.

The window only hides what a role may not use; this refuses it, for the window and the scripted
interface alike (docs/roles.md). An officer's role is read from the store at each check, so a role
changed or an account disabled by the admin counts at once, not at the next log-in. The scripted
interface acts as the OS user who owns the store, with the admin's rights; system work (shipped
data, district updates) is not gated.

A refusal changes nothing: it is raised inside the action's transaction, which rolls back, and the
store then records it in the audit trail in a transaction of its own (db/store.py).
"""

from __future__ import annotations

from sqlmodel import Session

from counter_app.db.models import Officer
from counter_app.domain.actor import Actor
from counter_app.domain.roles import PERMISSION_LABELS, PERMISSIONS, ROLES, lowest_role
from counter_app.errors import UserError

UNGATED_KINDS = ("scripted", "system")


class Refused(UserError):
    """A refused action: the message says which role it needs; the store audits it after rollback."""

    def __init__(self, message: str, *, actor: Actor, permission: str, target: str) -> None:
        super().__init__(message)
        self.actor = actor
        self.permission = permission
        self.target = target


def authorize(session: Session, actor: Actor, permission: str, *, target: str = "") -> None:
    """Return when `actor` may use `permission`; raise Refused (a UserError) when not."""
    if permission not in PERMISSION_LABELS:
        raise KeyError(permission)  # a typo in the code, never a user's doing
    if actor.kind in UNGATED_KINDS:
        return
    row = session.get(Officer, (actor.officer or "").strip().lower())
    if row is not None and row.active and permission in PERMISSIONS.get(row.role, frozenset()):
        return
    needed = ROLES[lowest_role(permission)]
    what = PERMISSION_LABELS[permission]
    if row is None or not row.active:
        message = f"Chưa đăng nhập bằng một tài khoản đang hoạt động: không được {what}."
    else:
        message = (f"Tài khoản {row.username} ({ROLES.get(row.role, row.role)}) không được {what}; "
                   f"việc này cần vai trò {needed}.")
    raise Refused(message, actor=actor, permission=permission, target=target)
