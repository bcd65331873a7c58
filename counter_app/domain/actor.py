"""Who acts: a logged-in officer, the OS user running a scripted command, or the system itself.

Pure and light, so the window's desk can hold one before SQLAlchemy is imported. The audit trail
records `officer` and `kind`; the permission gate (services/permissions.py) reads the role of an
officer from the store and gives the scripted interface the admin's rights (docs/roles.md).
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    officer: str
    kind: str = "officer"  # officer | scripted (the OS user running a command) | system


SYSTEM = Actor("hệ thống", "system")  # shipped data, migrations, district updates


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service contexts (a Windows service, a bare container)
        return "scripted"


def scripted_actor() -> Actor:
    """The scripted interface acts as the OS user who owns the store."""
    return Actor(os_user(), "scripted")
