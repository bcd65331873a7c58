"""`counter-server` as district IT runs it (docs/cli.md): real subprocesses."""

from __future__ import annotations

import json
import os
import queue
import re
import ssl
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from counter_app.errors import UserError
from counter_app.sync import commands
from counter_app.sync.pinning import fingerprint
from tests.server.helpers import REPO, WAIT, intake_many, link_to, move
from tests.server.pgcluster import free_port


def server_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "district_server", *args], cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8", timeout=120, env={**os.environ, **(env or {})})


def refused(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], result.stderr


def test_add_device_prints_a_token_that_is_stored_only_as_a_hash(db_url: str) -> None:
    done = server_cli("--db", db_url, "add-device", "--agency-code", "000.00.20.h12", "--counter", "1")
    assert done.returncode == 0, done.stderr
    device = json.loads(done.stdout)
    assert device["agency_code"] == "000.00.20.H12" and device["counter"] == 1 and len(device["token"]) > 40
    listed = json.loads(server_cli("devices", env={"COUNTER_SERVER_DB": db_url}).stdout)
    assert [d["id"] for d in listed] == [device["device_id"]]
    assert device["token"] not in json.dumps(listed)
    from district_server.database import Database

    db = Database(db_url)
    with db.engine.connect() as conn:
        dump = json.dumps([list(r) for r in conn.exec_driver_sql("SELECT * FROM device").all()])
    db.close()
    assert device["token"] not in dump  # only its SHA-256
    assert json.loads(server_cli("--db", db_url, "dossiers").stdout) == []


def test_bad_input_is_one_vietnamese_line_and_exit_2(db_url: str, tmp_path: Path) -> None:
    refused(server_cli("--db", db_url, "add-device", "--agency-code", "H12", "--counter", "0"), "Mã cơ quan")
    refused(server_cli("--db", db_url, "add-device", "--agency-code", "000.00.20.H12", "--counter", "12"), "Số quầy")
    refused(server_cli("--db", db_url, "frobnicate"), "Lệnh không hợp lệ")
    refused(server_cli("--db", db_url, "set-status", "000.00.20.H12-260101-0001", "4"), "Không tìm thấy")
    (tmp_path / "bad.json").write_text('{"year": 2027, "days": [{"date": "2027-13-01", "kind": "off"}]}')
    refused(server_cli("--db", db_url, "publish", "calendar", str(tmp_path / "bad.json")), "Lịch nghỉ lễ")
    refused(server_cli("--db", f"postgresql://nobody@127.0.0.1:{free_port()}/x", "dossiers"),
            "Không kết nối được cơ sở dữ liệu")


def test_default_database_lives_in_the_servers_data_folder(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path), "COUNTER_SERVER_DB": ""}
    done = server_cli("add-device", "--agency-code", "000.00.20.H12", "--counter", "0", env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "xdg" / "QuayMotCuaServer" / "district.sqlite3").exists()


class Serve:
    """`counter-server serve` in a subprocess; ready when uvicorn says it listens (awaited)."""

    def __init__(self, db_url: str, *extra: str) -> None:
        self.port = free_port()
        self.url = f"{'http' if '--plain-http' in extra else 'https'}://127.0.0.1:{self.port}"
        self.fingerprint: str | None = None  # as serve prints it
        self.proc = subprocess.Popen([sys.executable, "-m", "district_server", "--db", db_url, "serve", "--port",
                                      str(self.port), *extra], cwd=REPO, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        lines: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=lambda: [lines.put(x) for x in self.proc.stderr], daemon=True)
        self.reader.start()
        self.lines = lines
        seen: list[str] = []
        self.seen = seen
        while True:
            try:
                line = lines.get(timeout=WAIT)
            except queue.Empty:
                self.stop()
                raise AssertionError(f"serve never became ready: {seen}") from None
            seen.append(line)
            if "(SHA-256): " in line:
                self.fingerprint = line.rsplit(" ", 1)[1].strip()
            # One process: it listens once it says "running" (after "startup complete"); several:
            # the parent says "running" as it binds, a worker listens once its app started.
            if any("Uvicorn running on" in x for x in seen) and any("startup complete" in x for x in seen):
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited: {seen}")

    def stop(self) -> bool:
        """SIGTERM; True when uvicorn shut down cleanly (it then re-raises the signal, so the exit
        status is -15 rather than 0)."""
        self.proc.terminate()
        self.proc.wait(WAIT)
        self.reader.join(WAIT)
        rest = []
        while not self.lines.empty():
            rest.append(self.lines.get())
        return any("Finished server process" in line for line in rest)


def test_serve_link_sync_and_list_dossiers_with_their_history(db_url: str, counter0) -> None:  # noqa: ANN001
    added = server_cli("--db", db_url, "add-device", "--agency-code", "000.00.20.H12", "--counter", "0")
    token, pin = json.loads(added.stdout)["token"], json.loads(added.stdout)["fingerprint"]
    assert f"--fingerprint {pin}" in added.stderr  # what to type on the counter
    server = Serve(db_url)
    try:
        # add-device printed the fingerprint of the very certificate serve presents (its own, made once)
        presented = ssl.get_server_certificate(("127.0.0.1", server.port))
        assert fingerprint(ssl.PEM_cert_to_DER_cert(presented)) == pin == server.fingerprint
        ca = Path(os.environ["COUNTER_SERVER_TLS_DIR"]) / "ca.pem"
        health = httpx.get(server.url + "/health", verify=ssl.create_default_context(cafile=str(ca)))
        assert health.json()["protocol"] == "qmc-sync/1"  # its CA vouches for it, names included
        assert commands.link(counter0, server.url, token, fingerprint=pin)["fingerprint"] == pin
        (did,) = intake_many(counter0, 1)
        move(counter0, did, 4)
        assert commands.sync_once(counter0)["pushed"] == 2
        code = json.loads(server_cli("--db", db_url, "dossiers").stdout)[0]["code"]
        moved = server_cli("--db", db_url, "set-status", code, "9", "--note", "Đã có kết quả")
        assert moved.returncode == 0, moved.stderr
        assert commands.sync_once(counter0)["pulled"] == 1
    finally:
        assert server.stop()  # a clean stop on SIGTERM
    listed = json.loads(server_cli("--db", db_url, "dossiers", "--agency-code", "000.00.20.H12").stdout)
    assert len(listed) == 1
    d = listed[0]
    assert {"id", "code", "status", "received_at", "due_at", "history"} <= set(d)
    assert d["id"] == did and d["status"] == 9
    assert [(h["status"], h["origin"]) for h in d["history"]] == [(2, "counter"), (4, "counter"), (9, "district")]
    assert all({"event_id", "status", "at"} <= set(h) for h in d["history"])
    assert json.loads(server_cli("--db", db_url, "dossiers", "--agency-code", "000.00.21.H12").stdout) == []

    national = json.loads(server_cli("--db", db_url, "export").stdout)[0]
    assert national["MaHoSo"] == code and national["TrangThaiHoSo"] == "9"
    assert re.fullmatch(r"\d{14}", national["NgayTiepNhan"]) and re.fullmatch(r"\d{14}", national["NgayHenTra"])
    assert national["ChuHoSo"] == "Nguyễn Văn Đức" and national["DinhDanhCHS"][0]["LoaiDinhDanh"] == "1"
    assert [s["TrangThai"] for s in national["TienTrinh"]] == ["2", "4", "9"]
    assert national["TienTrinh"][0]["NoiDungXuLy"] == "Tiếp nhận hồ sơ"
    assert national["NgayKetThucXuLy"] == national["TienTrinh"][2]["ThoiDiemXuLy"]


def test_serve_speaks_plain_http_only_when_asked_and_warns(tmp_path: Path, counter0) -> None:  # noqa: ANN001
    db_url = f"sqlite:///{tmp_path / 'district.sqlite3'}"  # the transport is the same on either database
    refused(server_cli("--db", db_url, "serve", "--plain-http", "--cert", "x.pem", "--key", "x.key"),
            "--plain-http")
    refused(server_cli("--db", db_url, "serve", "--cert", "khong-co.pem", "--key", "khong-co.key"), "khong-co.pem")
    token = json.loads(server_cli("--db", db_url, "add-device", "--agency-code", "000.00.20.H12",
                                  "--counter", "0").stdout)["token"]
    server = Serve(db_url, "--plain-http")
    try:
        assert server.fingerprint is None
        with pytest.raises(UserError, match="--plain-http"):
            commands.link(counter0, server.url, token)  # http:// is refused unless asked for too
        assert commands.link(counter0, server.url, token, plain_http=True)["verified"] is True
    finally:
        server.stop()
    assert any("KHÔNG mã hóa" in line for line in server.seen)


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help(args: list[str]) -> None:
    done = server_cli(*args)
    assert done.returncode == 0 and ("máy chủ huyện" in done.stdout.lower() or "counter-server" in done.stdout)


def test_serve_with_several_processes_on_postgresql_only(db_url: str, counter0) -> None:  # noqa: ANN001
    if db_url.startswith("sqlite"):
        refused(server_cli("--db", db_url, "serve", "--workers", "2", "--port", str(free_port())), "SQLite")
        return
    token = json.loads(server_cli("--db", db_url, "add-device", "--agency-code", "000.00.20.H12",
                                  "--counter", "0").stdout)["token"]
    server = Serve(db_url, "--workers", "2")
    try:
        link_to(counter0, server, token)  # each process presents the same certificate
        intake_many(counter0, 30)
        assert commands.sync_once(counter0, batch_size=5)["pushed"] == 30  # six batches, either process
    finally:
        server.stop()
    assert len(json.loads(server_cli("--db", db_url, "dossiers").stdout)) == 30


def test_district_it_adds_a_dashboard_account_and_disables_it(db_url: str, capsys, monkeypatch) -> None:  # noqa: ANN001
    import io

    from district_server import staff
    from district_server.cli import main
    from district_server.database import open_database

    added = subprocess.run([sys.executable, "-m", "district_server", "--db", db_url, "staff", "add", "Lan.Admin",
                            "--role", "admin", "--full-name", " Trần  Thị Lan "], cwd=REPO, input="mat-khau-dai-1\n",
                           capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout) == {"username": "lan.admin", "full_name": "Trần Thị Lan", "role": "admin"}
    assert "mat-khau" not in added.stdout + added.stderr

    def run(*args: str, password: str = "") -> tuple[int, str]:  # the rest in-process: a subprocess is ~2 s
        monkeypatch.setattr(sys, "stdin", io.StringIO(password))
        code = main(["--db", db_url, "staff", *args])
        out = capsys.readouterr()
        if code == 2:
            assert len(out.err.strip().splitlines()) == 1, out.err
        return code, out.out + out.err

    for args, password, said in ((("add", "lan.admin", "--role", "viewer", "--full-name", "Ai"), "mat-khau-dai-2\n",
                                  "đã có"),
                                 (("add", "ngan", "--role", "leader", "--full-name", "Ngân"), "ngan\n", "ít nhất 8"),
                                 (("add", "x", "--role", "leader", "--full-name", "X"), "mat-khau-dai-1\n",
                                  "Tên đăng nhập"),
                                 (("add", "ba", "--role", "boss", "--full-name", "B"), "", "Lệnh không hợp lệ")):
        code, text = run(*args, password=password)
        assert code == 2 and said in text, text
    db = open_database(db_url)
    try:
        who = staff.attempt_login(db, "lan.admin", "mat-khau-dai-1", "127.0.0.1")
        assert isinstance(who, staff.Staff) and who.role == "admin"
        token, _session = staff.open_session(db, who)
        assert run("disable", "lan.admin")[0] == 0
        assert staff.session_of(db, token) is None  # disabling ends the open sessions at once
        assert not isinstance(staff.attempt_login(db, "lan.admin", "mat-khau-dai-1", "127.0.0.1"), staff.Staff)
        code, text = run("disable", "lan.admin")
        assert code == 2 and "Không có tài khoản" in text
        code, text = run("list")
        assert code == 0 and [s["disabled_at"] is not None for s in json.loads(text)] == [True]
    finally:
        db.close()
