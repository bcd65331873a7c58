"""National dossier status codes and the moves allowed between them (docs/rules.md, "Statuses")."""

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

# The working-time clock runs, so the dossier can be due or overdue (docs/rules.md, "Deadlines"):
# received, processing, financial obligation. A supplement request stops the clock.
CLOCK_RUNNING = frozenset({Status.RECEIVED, Status.PROCESSING, Status.FINANCIAL})
# Still being handled: the clock runs or waits for the citizen's supplement.
IN_PROCESS = CLOCK_RUNNING | {Status.SUPPLEMENT}
# Processing ended with a result, judged early / on time / late against the due day.
RESOLVED = frozenset({Status.DONE, Status.RETURNED})
# Processing ended (the dossier's finished_at is set): withdrawn, stopped or resolved.
FINISHED = RESOLVED | {Status.WITHDRAWN, Status.STOPPED}
# Ended without a result to hand over.
ENDED_WITHOUT_RESULT = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED})


def sql_in(statuses: frozenset[int] | set[int]) -> str:
    """'(2, 4, 6)': a status set for an SQL IN clause (integers only, so nothing to escape)."""
    return "(" + ", ".join(str(int(s)) for s in sorted(statuses)) + ")"


def label(status: int) -> str:
    return STATUS_LABELS.get(status, f"Trạng thái {status}")


def can_move(old: int, new: int) -> bool:
    return new in ALLOWED_MOVES.get(old, frozenset())
