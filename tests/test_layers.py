"""The promises the layers make: the window starts without the store's and the papers' libraries
(they load on the store lane, after the window is on screen), and the core never needs Qt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import counter_app

ROOT = Path(counter_app.__file__).resolve().parent.parent
HEAVY = ("sqlalchemy", "sqlmodel", "reportlab", "alembic", "openpyxl", "pypdf", "httpx")


def _loaded_after(imports: str) -> list[str]:
    code = f"import sys, json\n{imports}\nprint(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=120).stdout
    return json.loads(out.splitlines()[-1])


def test_the_window_module_starts_without_the_store_or_the_papers() -> None:
    loaded = set(_loaded_after("import ui.app"))
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_the_windows_first_screen_is_read_without_sqlalchemy(desk) -> None:  # noqa: ANN001
    """The office, the catalogue, a search in the list and the log-in question, read as the window
    reads them at start (db/plain_store.py), and the picker's search as the officer types."""
    reads = (
        "from counter_app import desk as d, desk_admin\n"
        f"desk = d.Desk.open_reading_first({str(desk.path.parent)!r})\n"
        "assert not desk.store_is_open and desk.office() is not None and desk_admin.has_accounts(desk) is False\n"
        "specs = desk.procedures()\n"
        "assert d.search_procedures(specs, 'thu ba') and desk.worklist(d.ListFilter(query='nguyen')).rows == []\n"
    )
    loaded = set(_loaded_after("import ui.app\n" + reads))
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_the_core_and_the_server_never_load_qt() -> None:
    loaded = _loaded_after("import counter_app.cli, counter_app.desk, counter_app.desk_admin, "
                           "counter_app.services.papers, counter_app.services.reports, counter_app.sync.engine, "
                           "district_server.app")
    assert "PySide6" not in loaded and "shiboken6" not in loaded


def test_every_module_imports() -> None:
    # A module whose imports went stale (a name moved to another module) fails here, not in the field.
    code = (
        "import importlib, pkgutil, json, counter_app, district_server, ui\n"
        "bad = []\n"
        "for pkg in (counter_app, district_server, ui):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if m.name.endswith('__main__') or '.migrations.' in m.name:\n"
        "            continue\n"
        "        try:\n"
        "            importlib.import_module(m.name)\n"
        "        except Exception as exc:\n"
        "            bad.append(f'{m.name}: {exc!r}')\n"
        "print(json.dumps(bad))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=300).stdout
    assert json.loads(out.splitlines()[-1]) == []
