"""The attention list: what the counter must act on today.

Categories are disjoint: overdue, due later today, due within the next 24 hours after today (the
windows are domain/deadlines.py's, shared with the dossier list's filter), and results ready but not
collected for `pickup_days` days or more. A dossier waiting for a supplement (5) has its clock
stopped, so it is never overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from counter_app import clock
from counter_app.domain import deadlines
from counter_app.domain.statuses import CLOCK_RUNNING, Status, sql_in
from counter_app.services.search import DossierRow, select_rows

PICKUP_DAYS = 5
LIMIT = 500


@dataclass(frozen=True)
class Attention:
    overdue: list[DossierRow]
    due_today: list[DossierRow]
    due_24h: list[DossierRow]
    awaiting_pickup: list[DossierRow]

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.due_today) + len(self.due_24h) + len(self.awaiting_pickup)


def attention(session: Session, *, now: datetime | None = None, pickup_days: int = PICKUP_DAYS,
              limit: int = LIMIT) -> Attention:
    now = now or clock.now()
    statuses = sql_in(CLOCK_RUNNING)
    due_between = f"d.status IN {statuses} AND d.due_at >= :lo AND d.due_at < :hi"
    _, overdue_end = deadlines.window("overdue", now)
    overdue = select_rows(session, f"d.status IN {statuses} AND d.due_at < :now", {"now": clock.iso(overdue_end)},
                          order="d.due_at", limit=limit)
    lo, hi = deadlines.window("today", now)
    today = select_rows(session, due_between, {"lo": clock.iso(lo), "hi": clock.iso(hi)}, order="d.due_at",
                        limit=limit)
    lo, hi = deadlines.after_today_within_24h(now)
    soon = select_rows(session, due_between, {"lo": clock.iso(lo), "hi": clock.iso(hi)}, order="d.due_at",
                       limit=limit)
    # Ready since: the time of the last move to 9; the status index keeps this to the few ready ones.
    waiting = select_rows(
        session,
        "d.status = :done AND (SELECT MAX(e.at) FROM status_event e WHERE e.dossier_id = d.id AND e.to_status = :done)"
        " < :cutoff",
        {"done": int(Status.DONE), "cutoff": clock.iso(now - timedelta(days=pickup_days))},
        order="d.due_at", limit=limit,
    )
    return Attention(overdue, today, soon, waiting)
