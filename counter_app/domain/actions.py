"""What an officer can do with a dossier, once, for the window, the scripted interface and the papers
(docs/rules.md, "Statuses"): each action's source statuses, the status it moves to, what the officer
types, and the paper it leads to. The moves themselves are `statuses.ALLOWED_MOVES`; a test keeps
this table inside them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from counter_app.domain.statuses import CLOCK_RUNNING, Status


@dataclass(frozen=True)
class Action:
    key: str
    sources: frozenset[int]
    target: Status | None  # None: the status stays (or, for a hand-over, 2 becomes 4)
    fields: tuple[str, ...] = ()  # what the officer types, in the dialog's order
    form: str = ""  # the paper offered once it is done (Mẫu 02 …)
    offer_slip: bool = False  # a new due time: offer the slip again
    once: bool = False  # allowed once per dossier (the extension)

    @property
    def needs_reason(self) -> bool:
        return "reason" in self.fields


# In the order the dossier view lists them.
ACTIONS: tuple[Action, ...] = (
    Action("handover", frozenset({Status.RECEIVED, Status.PROCESSING}), None, ("to_unit", "note")),
    Action("papers_back", frozenset({Status.SUPPLEMENT}), Status.PROCESSING, offer_slip=True),
    Action("supplement", frozenset({Status.PROCESSING}), Status.SUPPLEMENT, ("reason", "missing"), form="02"),
    Action("financial", frozenset({Status.PROCESSING}), Status.FINANCIAL),
    Action("financial_done", frozenset({Status.FINANCIAL}), Status.PROCESSING),
    Action("done", frozenset({Status.RECEIVED, Status.PROCESSING}), Status.DONE),
    Action("extend", CLOCK_RUNNING, None, ("new_due", "reason"), form="04", once=True),
    Action("stop", frozenset({Status.PROCESSING}), Status.STOPPED, ("reason",), form="05"),
    Action("withdraw", frozenset({Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.FINANCIAL}),
           Status.WITHDRAWN, ("reason",)),
    Action("return", frozenset({Status.DONE}), Status.RETURNED),
)
BY_KEY: Mapping[str, Action] = {a.key: a for a in ACTIONS}

# The papers any dossier can print, and the one left to a refused dossier.
PAPERS: tuple[str, ...] = ("slip", "control", "forms")
REFUSED_PAPERS: tuple[str, ...] = ("forms",)

# The event each form prints from: (event kind, status it moved to; None: any).
FORM_EVENTS: Mapping[str, tuple[str, int | None]] = {
    "02": ("move", Status.SUPPLEMENT),
    "03": ("intake", Status.REFUSED),
    "04": ("extension", None),
    "05": ("move", Status.STOPPED),
}


def allowed(status: int, *, extended: bool = False) -> tuple[str, ...]:
    """The actions offered for a dossier in `status`, then its papers."""
    moves = tuple(a.key for a in ACTIONS if status in a.sources and not (a.once and extended))
    return moves + (REFUSED_PAPERS if status == Status.REFUSED else PAPERS)


def _matches(event: Mapping[str, Any], form: str) -> bool:
    kind, status = FORM_EVENTS[form]
    return event["kind"] == kind and (status is None or event["status"] == status)


def form_event(history: Iterable[Mapping[str, Any]], form: str) -> Mapping[str, Any] | None:
    """The latest event of the history that `form` prints from, or None."""
    found = [e for e in history if _matches(e, form)]
    return found[-1] if found else None


def printable_forms(history: Iterable[Mapping[str, Any]]) -> list[str]:
    """The forms a dossier's history can print again, in number order."""
    events = list(history)
    return [form for form in sorted(FORM_EVENTS) if any(_matches(e, form) for e in events)]
