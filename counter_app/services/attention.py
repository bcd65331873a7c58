"""The attention list: what the counter must act on today (issue: the dossier's life).

Categories are disjoint and defined once here: overdue, due later today, due within the next 24
hours, and results ready but not collected for `pickup_days` days or more. A dossier waiting for a
supplement (5) has its clock stopped, so it is never overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlmodel import Session

from counter_app import clock
from counter_app.domain.statuses import Status
from counter_app.services.search import DossierRow, select_rows

RUNNING = (int(Status.RECEIVED), int(Status.PROCESSING), int(Status.FINANCIAL))
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
    end_of_day = datetime.combine(now.date(), time(23, 59, 59), tzinfo=now.tzinfo)
    statuses = ",".join(str(s) for s in RUNNING)
    due_between = f"d.status IN ({statuses}) AND d.due_at >= :lo AND d.due_at < :hi"
    iso_now = clock.iso(now)
    overdue = select_rows(session, f"d.status IN ({statuses}) AND d.due_at < :now", {"now": iso_now},
                          order="d.due_at", limit=limit)
    today = select_rows(session, due_between, {"lo": iso_now, "hi": clock.iso(end_of_day + timedelta(seconds=1))},
                        order="d.due_at", limit=limit)
    soon = select_rows(session, due_between, {"lo": clock.iso(end_of_day + timedelta(seconds=1)),
                                              "hi": clock.iso(now + timedelta(hours=24))},
                       order="d.due_at", limit=limit)
    # Ready since: the time of the last move to 9; the status index keeps this to the few ready ones.
    waiting = select_rows(
        session,
        "d.status = :done AND (SELECT MAX(e.at) FROM status_event e WHERE e.dossier_id = d.id AND e.to_status = :done)"
        " < :cutoff",
        {"done": int(Status.DONE), "cutoff": clock.iso(now - timedelta(days=pickup_days))},
        order="d.due_at", limit=limit,
    )
    return Attention(overdue, today, soon, waiting)
