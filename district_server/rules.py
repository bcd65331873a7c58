"""Status moves checked on the server with the counter's own rule table (counter_app/domain/statuses.py).

A dossier's history is its events in (event time, id) order — protocol.event_key, the order both
ends already use to decide which event is the latest. An incoming event is checked at its own place
in that history, whatever order events arrive in:

- an intake is the first event of a dossier: from nothing to 1, 2 or 3, once;
- any other event starts from the status the dossier had just before it: it keeps that status (a
  hand-over, an extension, a note) or makes a move the table allows; 10 is reached only by a
  return of the result, from 9;
- a move placed before events already held must lead to the status the next of them starts from,
  or it would rewrite a history others built on (the district moved the dossier meanwhile): conflict.

An event whose from-status is not (yet) the status before it — its predecessor has not arrived,
or it never happened — is held: kept in review as `waiting`, it never changes the dossier. Each push
re-checks the waiting events of the dossiers it touches, so an event that arrived before its
predecessor is applied as soon as the predecessor is (in the same batch or a later one).
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from counter_app.domain.statuses import Status, can_move, label

INTAKE_STATUSES = frozenset({Status.SUBMITTED_ONLINE, Status.RECEIVED, Status.REFUSED})


@dataclass(frozen=True, order=True)
class Step:
    """One event as the rules see it; ordered like the history (by key)."""

    key: str
    kind: str = field(compare=False)
    from_status: int | None = field(compare=False)
    to_status: int = field(compare=False)


def shape_error(kind: str, from_status: int | None, to_status: int, code: str) -> str | None:
    """What is wrong with the move itself, whatever the dossier's history (None: nothing)."""
    if kind == "intake":
        if from_status is not None or to_status not in INTAKE_STATUSES:
            return (f"Hồ sơ {code}: sự kiện tiếp nhận phải bắt đầu khi hồ sơ chưa có trạng thái và chuyển sang "
                    f"'{label(1)}', '{label(2)}' hoặc '{label(3)}'.")
        return None
    if from_status is None:
        return f"Hồ sơ {code}: sự kiện '{kind}' thiếu trạng thái trước (from_status)."
    if to_status == from_status:
        return None
    if not can_move(from_status, to_status):
        return (f"Hồ sơ {code}: không được chuyển từ '{label(from_status)}' sang '{label(to_status)}' theo bảng "
                "chuyển trạng thái; hồ sơ không đổi, sự kiện được giữ lại để cán bộ huyện kiểm tra.")
    if to_status == Status.RETURNED and kind != "return":
        return (f"Hồ sơ {code}: chỉ sự kiện trả kết quả (có người nhận) mới chuyển hồ sơ sang "
                f"'{label(Status.RETURNED)}'; hồ sơ không đổi.")
    return None


Verdict = Literal["ok", "waiting", "conflict"]


def place(history: list[Step], step: Step, code: str) -> tuple[Verdict, str]:
    """Whether `step` fits at its place in `history` (sorted by key), and why not."""
    if step.kind == "intake":
        if history:
            return "conflict", (f"Hồ sơ {code} đã được tiếp nhận bằng một sự kiện khác; sự kiện tiếp nhận thứ hai "
                                "được giữ lại để cán bộ huyện kiểm tra.")
        return "ok", ""
    before = [s for s in history if s.key < step.key]
    if not before:
        return "waiting", (f"Máy chủ huyện chưa có sự kiện tiếp nhận hồ sơ {code} trước sự kiện này; sự kiện được giữ "
                           "lại và sẽ tự được áp dụng khi sự kiện trước nó đến.")
    status = before[-1].to_status
    if step.from_status != status:
        return "waiting", (f"Hồ sơ {code} đang ở trạng thái '{label(status)}' vào thời điểm của sự kiện, không phải "
                           f"'{label(step.from_status or 0)}'; hồ sơ không đổi, sự kiện được giữ lại chờ kiểm tra "
                           "và sẽ tự được áp dụng nếu sự kiện trước nó đến sau.")
    after = next((s for s in history if s.key > step.key), None)
    if after is not None and after.from_status != step.to_status:
        return "conflict", (f"Hồ sơ {code}: sau thời điểm của sự kiện này, máy chủ đã ghi một bước chuyển từ "
                            f"'{label(after.from_status or 0)}' (có thể do huyện chuyển); bước chuyển sang "
                            f"'{label(step.to_status)}' mâu thuẫn với lịch sử, được giữ lại để cán bộ huyện kiểm tra.")
    return "ok", ""


T = TypeVar("T")


def settle(
    candidates: list[T],
    histories: dict[str, list[Step]],
    *,
    dossier_of: Callable[[T], str],
    step_of: Callable[[T], Step],
    code_of: Callable[[T], str],
) -> tuple[list[T], list[tuple[T, Verdict, str]]]:
    """Apply the candidates that fit, oldest first, until none more does (an accepted event may be
    the predecessor a held one waited for). Returns the accepted ones (in the order accepted) and
    the others with their verdict. `histories` grows with what is accepted."""
    steps = {id(c): step_of(c) for c in candidates}
    pending = sorted(candidates, key=lambda c: steps[id(c)].key)
    accepted: list[T] = []
    verdicts: dict[int, tuple[Verdict, str]] = {}
    progress = True
    while progress and pending:
        progress = False
        still: list[T] = []
        for item in pending:
            history = histories.setdefault(dossier_of(item), [])
            verdict, reason = place(history, steps[id(item)], code_of(item))
            if verdict == "ok":
                insort(history, steps[id(item)])
                accepted.append(item)
                verdicts.pop(id(item), None)
                progress = True
            else:
                verdicts[id(item)] = (verdict, reason)
                if verdict == "waiting":
                    still.append(item)
        pending = still
    refused = [(c, *verdicts[id(c)]) for c in candidates if id(c) in verdicts]  # type: ignore[misc]
    return accepted, refused
