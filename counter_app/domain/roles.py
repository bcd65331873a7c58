"""Who may do what: the three roles and the permissions each one carries (docs/roles.md).

Pure data, no I/O, so the window can label its menus before the store is open and the core's one
permission gate (services/permissions.py) checks against the same table.
"""

from __future__ import annotations

ROLES: dict[str, str] = {"officer": "Cán bộ tiếp nhận", "leader": "Lãnh đạo", "admin": "Quản trị"}

# docs/roles.md: officer the counter's day; leader adds extensions, reports and
# the audit view; admin adds accounts, office settings, catalogue and calendar.
_OFFICER = frozenset({"intake", "workflow", "return", "print"})
_LEADER = _OFFICER | {"extend", "reports", "audit"}
_ADMIN = _LEADER | {"accounts", "settings", "catalogue", "calendar"}
PERMISSIONS: dict[str, frozenset[str]] = {"officer": _OFFICER, "leader": _LEADER, "admin": _ADMIN}

# What a refusal says the officer tried to do ("… không được {label}").
PERMISSION_LABELS: dict[str, str] = {
    "intake": "tiếp nhận hồ sơ",
    "workflow": "chuyển trạng thái hồ sơ",
    "return": "trả kết quả",
    "print": "in giấy tờ",
    "extend": "gia hạn hồ sơ (Mẫu 04)",
    "reports": "xem và xuất báo cáo",
    "audit": "xem nhật ký thao tác",
    "accounts": "quản lý tài khoản cán bộ",
    "settings": "thay đổi cài đặt của cơ quan",
    "catalogue": "thay đổi danh mục thủ tục",
    "calendar": "thay đổi lịch nghỉ lễ",
}


def may(role: str, permission: str) -> bool:
    return permission in PERMISSIONS.get(role, frozenset())


def lowest_role(permission: str) -> str:
    """The least powerful role that carries `permission` (what a refusal tells the officer to ask)."""
    for role in ("officer", "leader", "admin"):
        if may(role, permission):
            return role
    raise KeyError(permission)
