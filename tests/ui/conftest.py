"""The counter window on a temporary store, driven with the keyboard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from counter_app.db import cipher
from counter_app.desk import Desk
from counter_app.domain.scanner_config import ScannerConfig
from tests.conftest import AGENCY, applicant, clerk, raw_store
from ui.desk_client import DeskClient
from ui.interaction import Interaction
from ui.prefs import Prefs
from ui.views.main_window import MainWindow

SCREEN = (1366, 768)


class Answers(Interaction):
    """Answers the window's questions instead of the officer, and remembers them."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.confirm_with = True
        self.scanner_with: ScannerConfig | None = None  # what Cài đặt › Máy quét… is answered with

    def confirm(self, parent, text: str, **_how) -> bool:  # noqa: ANN001, ANN003 - default, button names
        self.asked.append(text)
        return self.confirm_with

    def inform(self, parent, text: str) -> None:  # noqa: ANN001
        self.asked.append(text)

    def scanner_settings(self, parent, current: ScannerConfig) -> ScannerConfig | None:  # noqa: ANN001
        self.asked.append(f"scanner: {current.mode}")
        return self.scanner_with


@pytest.fixture
def prefs(tmp_path: Path) -> Prefs:
    prefs = Prefs(str(tmp_path / "prefs.ini"))
    prefs.attention_at_start = False  # tests start on the intake screen; test_attention_view turns it on
    return prefs


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def hot(tmp_path: Path, prefs: Prefs) -> Path:
    """The scanner's hot folder the digitising panel watches (docs/digitisation.md, "In the window")."""
    folder = tmp_path / "may-quet"
    folder.mkdir()
    prefs.hot_folder = str(folder)
    return folder


@pytest.fixture
def open_window(qtbot, prefs: Prefs, answers: Answers) -> Iterator[Callable[..., MainWindow]]:  # noqa: ANN001
    windows: list[MainWindow] = []

    def make(store, *, ready: bool = True, logged_in: bool = True) -> MainWindow:  # noqa: ANN001
        """On an open Store, or on a data folder (opened, and created, as `counter-app` does: read
        plainly first when it can be, ui/app.build_window). `logged_in`: someone already acts at the
        desk (the tests that are not about log-in); False: nobody does until a log-in, as in the real
        window."""
        actor = clerk() if logged_in else None
        opener = ((lambda: Desk.open_reading_first(str(store), actor=actor)) if isinstance(store, str | Path)
                  else (lambda: Desk(store, actor)))
        window = MainWindow(DeskClient(opener), prefs=prefs, interaction=answers)
        qtbot.addWidget(window)
        window.resize(*SCREEN)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        windows.append(window)
        if ready:
            with qtbot.waitSignal(window.ready, timeout=15_000):
                window.start()
        else:
            window.start()
        return window

    yield make
    for window in windows:
        answers.confirm_with = True
        window.close()


def add_dossiers(store, people: list[tuple[str, str, str]], *, procedure: str = "9.000003") -> list[dict]:  # noqa: ANN001
    """(name, id number, received_at) each, through the intake service, in one transaction."""
    from counter_app.services import intake

    made = []
    with store.write() as session:
        for name, number, at in people:
            request = intake.parse_intake({"procedure_code": procedure, "received_at": at,
                                           "applicant": applicant(full_name=name, id_number=number, phone="")})
            made.append(intake.create_dossier(session, request, actor=clerk("test")).dossier)
    return made


NAMES = ("Nguyễn Văn Đức", "Trần Thị Ánh", "Lê Minh Hùng", "Phạm Thu Hương", "Đặng Quốc Việt", "Võ Thị Lan")


def bulk_dossiers(store, n: int, *, first_day: date = date(2026, 3, 2), per_day: int = 600,  # noqa: ANN001
                  statuses: tuple[int, ...] = (2,)) -> None:
    """n dossiers quickly: one through the intake service, the others copied from it in plain SQL
    (as bench/make_dataset.py does) with their own code, search key, person, times and due time."""
    from counter_app import clock
    from counter_app.domain.codes import format_dossier_code
    from counter_app.domain.ids import new_id
    from counter_app.domain.text import fold
    from counter_app.domain.vn_time import VN_TZ
    from counter_app.services import calendar_store

    first = add_dossiers(store, [(NAMES[0], "001090000000", f"{first_day}T07:00:00+07:00")])[0]
    with store.read() as session:
        calendar = calendar_store.work_calendar(session)
    con = raw_store(store.path)
    con.row_factory = cipher.dbapi.Row
    try:
        dossier = dict(con.execute("SELECT * FROM dossier WHERE id = ?", (first["id"],)).fetchone())
        person = dict(con.execute("SELECT * FROM applicant WHERE id = ?", (dossier["applicant_id"],)).fetchone())
        people, dossiers, names = [], [], []
        for i in range(1, n):
            day = first_day + timedelta(days=i // per_day)
            received = datetime.combine(day, time(7, 0), tzinfo=VN_TZ) + timedelta(seconds=30 * (i % per_day))
            name = f"{NAMES[i % len(NAMES)]} {i}"
            key = int(received.timestamp() * 1000) * 1000
            due = calendar.due_at(received, dossier["working_days"])
            people.append({**person, "id": new_id(), "full_name": name, "name_folded": fold(name),
                           "id_number": f"{1090000000 + i:012d}"})
            dossiers.append({**dossier, "id": new_id(), "code": format_dossier_code(AGENCY, day, i % per_day + 1),
                             "search_key": key, "applicant_id": people[-1]["id"], "status": statuses[i % len(statuses)],
                             "received_at": clock.iso(received), "start_at": clock.iso(due.start),
                             "due_at": clock.iso(due.due)})
            names.append((key, fold(name)))
        with con:
            for table, rows in (("applicant", people), ("dossier", dossiers)):
                columns = list(rows[0])
                con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
                                f"({', '.join(':' + c for c in columns)})", rows)
            con.executemany("INSERT INTO dossier_search(rowid, name) VALUES (?, ?)", names)
    finally:
        con.close()


__all__ = ["AGENCY", "Answers", "add_dossiers", "bulk_dossiers"]
