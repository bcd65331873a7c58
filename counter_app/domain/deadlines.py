"""What "overdue", "due today" and "due within 24 hours" mean, once, for the attention list and the
dossier list's filter alike (docs/rules.md, "Deadlines").

Only a dossier whose clock runs can be due (received, processing, financial obligation; a
supplement request stops the clock). "Due today" is what is still to come today: due from now until
midnight in Vietnam. What fell due earlier today is overdue, never both.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from counter_app.domain.statuses import CLOCK_RUNNING
from counter_app.domain.vn_time import day_start, vn_day

DEADLINES = ("overdue", "today", "24h")
LABELS = {"overdue": "Quá hạn", "today": "Đến hạn hôm nay", "24h": "Đến hạn trong 24 giờ"}


def window(deadline: str, now: datetime) -> tuple[datetime | None, datetime]:
    """[start, end) of due times for `deadline`; start None: no lower bound."""
    tomorrow = day_start(vn_day(now) + timedelta(days=1))
    if deadline == "overdue":
        return None, now
    if deadline == "today":
        return now, tomorrow
    if deadline == "24h":
        return now, now + timedelta(hours=24)
    raise ValueError(deadline)


def is_overdue(status: int, due_at: datetime, now: datetime) -> bool:
    """Overdue: the clock runs and the due time has passed."""
    return status in CLOCK_RUNNING and due_at < now


def after_today_within_24h(now: datetime) -> tuple[datetime, datetime]:
    """The attention list's third group: due within 24 hours but not today (today has its own)."""
    _, tomorrow = window("today", now)
    return tomorrow, max(tomorrow, now + timedelta(hours=24))


EARLY = "Trước hạn"
ON_TIME = "Đúng hạn"
LATE = "Quá hạn"


def timeliness(done_at: datetime, due_at: datetime) -> str:
    """'Trước hạn' before the due day, 'Đúng hạn' on it, 'Quá hạn' after it.

    Day granularity, compared in Vietnam time, as services/statistics.py counts results (and as the
    provincial systems do): the printed verdict and the period's figures always agree.
    """
    done, due = vn_day(done_at), vn_day(due_at)
    if done < due:
        return EARLY
    return ON_TIME if done == due else LATE
