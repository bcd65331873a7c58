"""The action table the dossier view, the window and the papers read: inside the status rules, and
every rule reachable from the window."""

from __future__ import annotations

from counter_app.domain import actions
from counter_app.domain.statuses import ALLOWED_MOVES, Status, can_move


def test_every_move_the_window_offers_is_allowed_by_the_status_rules() -> None:
    for action in actions.ACTIONS:
        for source in action.sources:
            if action.target is not None:
                assert can_move(source, action.target), (action.key, source)


def test_every_allowed_move_at_the_counter_has_a_button() -> None:
    offered = {(s, a.target) for a in actions.ACTIONS for s in a.sources if a.target is not None}
    offered |= {(Status.RECEIVED, Status.PROCESSING)}  # the first hand-over starts processing
    online = {(Status.SUBMITTED_ONLINE, t) for t in ALLOWED_MOVES[Status.SUBMITTED_ONLINE]}  # at intake
    allowed = {(s, t) for s, targets in ALLOWED_MOVES.items() for t in targets}
    assert allowed - online == offered


def test_a_dossier_extended_once_is_not_offered_a_second_extension() -> None:
    assert "extend" in actions.allowed(Status.PROCESSING)
    assert "extend" not in actions.allowed(Status.PROCESSING, extended=True)


def test_a_refused_dossier_offers_only_its_forms() -> None:
    assert actions.allowed(Status.REFUSED) == ("forms",)
    assert actions.allowed(Status.RETURNED) == actions.PAPERS


def test_the_forms_a_history_can_print_follow_its_events() -> None:
    history = [{"kind": "intake", "status": 2}, {"kind": "move", "status": 4},
               {"kind": "move", "status": 5}, {"kind": "move", "status": 4}, {"kind": "extension", "status": 4}]
    assert actions.printable_forms(history) == ["02", "04"]
    assert actions.form_event(history, "02") is history[2]
    assert actions.form_event(history, "05") is None
