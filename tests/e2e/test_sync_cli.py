"""`counter-app link` and `counter-app sync --once` (docs/cli.md) against a real
`counter-server serve`, all in subprocesses, as district IT would run them.

These run once cli.py routes `link` and `sync` to counter_app/sync/commands.py (and maps
ServerUnreachable to exit 3); until then they are skipped, saying so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from counter_app import cli
from tests.conftest import applicant
from tests.server.pgcluster import free_port

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not {"link", "sync"} <= set(getattr(cli, "_COMMANDS", {})),
    reason="counter-app link/sync are not wired into cli.py yet (see counter_app/sync/commands.py)",
)


def app(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "counter_app", "--data-dir", str(data_dir), *args], cwd=REPO,
                          input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=120)


def server(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "district_server", "--db", db, *args], cwd=REPO,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


@pytest.fixture
def district(tmp_path: Path):  # noqa: ANN201
    """A running `counter-server serve` on SQLite; yields (url, db url)."""
    db = f"sqlite:///{tmp_path / 'district.sqlite3'}"
    assert server(db, "migrate").returncode == 0
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "district_server", "--db", db, "serve", "--port", str(port)],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stderr is not None
    for line in proc.stderr:  # bounded by the process: it ends if the server dies
        if "Uvicorn running" in line:
            break
    yield f"https://127.0.0.1:{port}", db
    proc.terminate()
    proc.wait(60)


def _init(data_dir: Path, counter: int = 0, code: str = "000.00.20.H12") -> None:
    done = app(data_dir, "init", "--agency-code", code, "--agency-name", "UBND xã Bình Mỹ", "--counter", str(counter))
    assert done.returncode == 0, done.stderr


def _token(db: str, counter: int, code: str = "000.00.20.H12") -> list[str]:
    """`--token T --fingerprint F` for `link`, as `add-device` prints them (the server's own certificate)."""
    added = json.loads(server(db, "add-device", "--agency-code", code, "--counter", str(counter)).stdout)
    return ["--token", added["token"], "--fingerprint", added["fingerprint"]]


def test_link_intake_sync_and_the_other_counter_scans_the_slip(district, tmp_path: Path) -> None:
    url, db = district
    one, two = tmp_path / "quay0", tmp_path / "quay1"
    _init(one, 0)
    _init(two, 1)
    assert app(one, "link", "--server", url, *_token(db, 0)).returncode == 0
    assert app(two, "link", "--server", url, *_token(db, 1)).returncode == 0
    code = app(one, "catalogue", "list")
    procedure = json.loads(code.stdout)[0]["code"]
    made = app(one, "intake", "--json", "-", stdin=json.dumps({"procedure_code": procedure, "applicant": applicant()}))
    assert made.returncode == 0, made.stderr
    dossier = json.loads(made.stdout)

    pushed = app(one, "sync", "--once")
    assert pushed.returncode == 0, pushed.stderr
    assert json.loads(pushed.stdout) == {"pushed": 1, "pulled": 0, "pending": 0, "rejected": 0}
    assert json.loads(app(two, "sync", "--once").stdout)["pulled"] == 1
    shown = app(two, "show", dossier["code"])
    assert shown.returncode == 0 and json.loads(shown.stdout)["applicant"]["full_name"] == "Nguyễn Văn Đức"
    held = json.loads(server(db, "dossiers").stdout)
    assert [d["code"] for d in held] == [dossier["code"]] and held[0]["history"][0]["status"] == 2


def test_sync_exits_3_when_the_server_cannot_be_reached_and_keeps_the_work(district, tmp_path: Path) -> None:
    from counter_app.db.store import Store
    from counter_app.services import settings
    from counter_app.sync import engine

    url, db = district
    data = tmp_path / "quay0"
    _init(data, 0)
    assert app(data, "link", "--server", url, *_token(db, 0)).returncode == 0
    procedure = json.loads(app(data, "catalogue", "list").stdout)[0]["code"]
    made = app(data, "intake", "--json", "-", stdin=json.dumps({"procedure_code": procedure, "applicant": applicant()}))
    code = json.loads(made.stdout)["code"]
    assert app(data, "link", "--server", f"https://127.0.0.1:{free_port()}", *_token(db, 0)).returncode == 3

    def point_to(address: str) -> None:
        store = Store.open(data)
        with store.write() as session:
            settings.put(session, engine.KEY_SERVER, address)
        store.close()

    point_to(f"https://127.0.0.1:{free_port()}")  # the district server is "down"
    offline = app(data, "sync", "--once")
    assert offline.returncode == 3 and len(offline.stderr.strip().splitlines()) == 1, offline.stderr
    assert json.loads(app(data, "show", code).stdout)["sync"] == "pending"
    point_to(url)
    back = app(data, "sync", "--once")
    assert back.returncode == 0 and json.loads(back.stdout)["pushed"] == 1
    assert json.loads(app(data, "show", code).stdout)["sync"] == "synced"


def test_link_refusals_exit_2(district, tmp_path: Path) -> None:
    url, db = district
    data = tmp_path / "quay0"
    _init(data, 0)
    other = app(data, "link", "--server", url, *_token(db, 0, "000.00.21.H12"))
    assert other.returncode == 2 and "000.00.21.H12" in other.stderr
    assert app(data, "link", "--server", url, "--token", "qmc_wrong", *_token(db, 0)[2:]).returncode == 2
    assert app(data, "sync", "--once").returncode == 2  # not linked
