"""National dossier status codes and the moves allowed between them (decisions.md "Status codes")."""

from __future__ import annotations

from enum import IntEnum


class Status(IntEnum):
    SUBMITTED_ONLINE = 1
    RECEIVED = 2
    REFUSED = 3
    PROCESSING = 4
    SUPPLEMENT = 5
    FINANCIAL = 6
    WITHDRAWN = 7
    STOPPED = 8
    DONE = 9
    RETURNED = 10


STATUS_LABELS: dict[int, str] = {
    1: "Mới đăng ký",
    2: "Đã tiếp nhận",
    3: "Từ chối tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung",
    6: "Nghĩa vụ tài chính",
    7: "Rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã có kết quả",
    10: "Đã trả kết quả",
}

ALLOWED_MOVES: dict[int, frozenset[int]] = {
    1: frozenset({2, 3}),
    2: frozenset({4, 9, 7}),
    4: frozenset({5, 6, 9, 7, 8}),
    5: frozenset({4, 7}),
    6: frozenset({4, 7}),
    9: frozenset({10}),
}

FINAL = frozenset({3, 7, 8, 10})


def label(status: int) -> str:
    return STATUS_LABELS.get(status, f"Trạng thái {status}")


def can_move(old: int, new: int) -> bool:
    return new in ALLOWED_MOVES.get(old, frozenset())
