"""The encrypted store through the scripted interface (docs/protection.md): real subprocesses."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import applicant
from tests.e2e.test_cli import refused, run

PASSPHRASE = "cụm mật khẩu của xã Bình Mỹ"


def _init(data: Path, *extra: str, stdin: str | None = None):  # noqa: ANN202
    return run(data, "init", "--agency-code", "000.00.20.H12", "--agency-name", "UBND xã Bình Mỹ", *extra,
               stdin=stdin)


def test_a_backup_made_with_the_office_passphrase_restores_on_another_pc_and_nowhere_without_it(
        tmp_path: Path) -> None:
    pc = tmp_path / "may-xa"
    made = _init(pc, "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert made.returncode == 0, made.stderr
    assert "recovery_code" not in json.loads(made.stdout)  # the admin chose one: no code printed
    req = {"procedure_code": "2.000815", "applicant": applicant(full_name="Lê Thị Hồng Nhung")}
    code = json.loads(run(pc, "intake", "--json", "-", stdin=json.dumps(req, ensure_ascii=False)).stdout)["code"]
    usb = tmp_path / "sao-luu.qmcbak"
    assert run(pc, "backup", "-o", str(usb)).returncode == 0  # nothing asked
    assert b"Nhung" not in usb.read_bytes()

    other = tmp_path / "may-moi"
    refused(run(other, "restore", str(usb)), "cần cụm mật khẩu khôi phục")  # no terminal, no flag
    refused(run(other, "restore", str(usb), "--passphrase-stdin", stdin="cụm mật khẩu khác\n"), "không đúng")
    assert not other.exists()  # a refused restore made nothing
    done = run(other, "restore", str(usb), "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["dossiers"] == 1
    shown = run(other, "show", code)  # and from now on nothing is asked on that PC
    assert shown.returncode == 0 and json.loads(shown.stdout)["applicant"]["full_name"] == "Lê Thị Hồng Nhung"


def test_init_without_a_passphrase_prints_the_recovery_code_once(tmp_path: Path) -> None:
    data = tmp_path / "d"
    first = _init(data)
    assert first.returncode == 0, first.stderr
    code = json.loads(first.stdout)["recovery_code"]
    assert code in first.stderr and len(first.stderr.strip().splitlines()) == 1
    again = _init(data)
    assert "recovery_code" not in json.loads(again.stdout) and code not in again.stderr
    refused(_init(tmp_path / "ngan", "--passphrase-stdin", stdin="ngắn\n"), "ít nhất 10 ký tự")
    assert not (tmp_path / "ngan" / "counter.sqlite3").exists()


def test_after_the_local_key_is_lost_the_recovery_passphrase_unlocks_the_store(tmp_path: Path) -> None:
    data = tmp_path / "d"
    code = json.loads(_init(data).stdout)["recovery_code"]
    (data / "counter.key").unlink()  # what a reinstalled Windows does to the DPAPI copy
    refused(run(data, "catalogue", "list"), "recovery unlock")
    refused(run(data, "recovery", "unlock", "--passphrase-stdin", stdin="sai mật khẩu rồi\n"), "không đúng")
    unlocked = run(data, "recovery", "unlock", "--passphrase-stdin", stdin=code.lower().replace("-", "") + "\n")
    assert unlocked.returncode == 0, unlocked.stderr
    assert run(data, "catalogue", "list").returncode == 0
