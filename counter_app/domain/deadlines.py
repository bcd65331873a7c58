"""What "overdue", "due today" and "due within 24 hours" mean, once, for the attention list and the
dossier list's filter alike (docs/rules.md, "Deadlines").

Only a dossier whose clock runs can be due (received, processing, financial obligation; a
supplement request stops the clock). "Due today" is what is still to come today: due from now until
midnight in Vietnam. What fell due earlier today is overdue, never both.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from counter_app.domain.calendar import VN_TZ

DEADLINES = ("overdue", "today", "24h")
LABELS = {"overdue": "Quá hạn", "today": "Đến hạn hôm nay", "24h": "Đến hạn trong 24 giờ"}


def window(deadline: str, now: datetime) -> tuple[datetime | None, datetime]:
    """[start, end) of due times for `deadline`; start None: no lower bound."""
    tomorrow = datetime.combine(now.astimezone(VN_TZ).date() + timedelta(days=1), time(0, 0), tzinfo=VN_TZ)
    if deadline == "overdue":
        return None, now
    if deadline == "today":
        return now, tomorrow
    if deadline == "24h":
        return now, now + timedelta(hours=24)
    raise ValueError(deadline)


def after_today_within_24h(now: datetime) -> tuple[datetime, datetime]:
    """The attention list's third group: due within 24 hours but not today (today has its own)."""
    _, tomorrow = window("today", now)
    return tomorrow, max(tomorrow, now + timedelta(hours=24))
