"""Dossiers in a chosen state for the window tests, made through the services with explicit times."""

from __future__ import annotations

from datetime import datetime

from counter_app import clock
from counter_app.services import workflow
from counter_app.services.audit import Actor
from tests.ui.conftest import add_dossiers

ACTOR = Actor("test", "scripted")


def at(text: str) -> datetime:
    return clock.parse_iso(text if "+" in text else text + "+07:00")


def dossier_in(store, status: int, *, name: str = "Trần Thị Ánh", number: str = "001190000001",  # noqa: ANN001
               received: str = "2026-03-02T08:00:00", procedure: str = "9.000003",
               ready_at: str = "2026-03-03T09:00:00", recipient: str = "") -> str:
    """A dossier taken to `status` along allowed moves; its code."""
    code = add_dossiers(store, [(name, number, received + "+07:00")], procedure=procedure)[0]["code"]
    with store.write() as s:
        if status in (4, 5, 6, 8):
            workflow.hand_over(s, code, to_unit="Công chức Tư pháp", actor=ACTOR, now=at(received).replace(hour=10))
        if status == 5:
            workflow.move(s, code, 5, actor=ACTOR, note="Thiếu giấy tờ", missing=["Giấy khai sinh"], now=at(ready_at))
        if status == 6:
            workflow.move(s, code, 6, actor=ACTOR, now=at(ready_at))
        if status == 8:
            workflow.move(s, code, 8, actor=ACTOR, note="Không đủ điều kiện", now=at(ready_at))
        if status == 7:
            workflow.move(s, code, 7, actor=ACTOR, note="Công dân xin rút", now=at(ready_at))
        if status in (9, 10):
            workflow.move(s, code, 9, actor=ACTOR, now=at(ready_at))
        if status == 10:
            workflow.return_result(s, code, workflow.Recipient(recipient or name), actor=ACTOR,
                                   now=at(ready_at).replace(hour=15))
    return code


def status_of(store, code: str) -> dict:  # noqa: ANN001
    from counter_app.services.lookup import open_by_code

    with store.read() as s:
        return open_by_code(s, code)
