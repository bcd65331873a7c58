"""Input the scripted interface must refuse with exit 2, one Vietnamese line and the store untouched
(docs/cli.md, "Exit status"). Each case is one that could crash with exit 1 or be taken with exit 0."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import applicant, dump_store
from tests.e2e.test_cli import init, refused, run


def dump(data: Path) -> str:
    """Everything the store holds (dossiers, code counters, catalogue, calendar, audit trail)."""
    return dump_store(data / "counter.sqlite3")


def files(data: Path) -> list[str]:
    """The folder as a person sees it (SQLite's own -wal/-shm come and go with every reader)."""
    return sorted(str(p.relative_to(data)) for p in data.rglob("*")
                  if not p.name.endswith(("-wal", "-shm")) and "logs" not in p.parts)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "d"
    assert init(folder).returncode == 0
    return folder


@pytest.mark.parametrize("year", ["0", "99999", "1999", "2100"])
def test_showing_a_year_no_dossier_can_fall_in_is_refused(data: Path, year: str) -> None:
    refused(run(data, "calendar", "show", year), "ngoài lịch làm việc")


def test_the_last_year_of_the_calendar_is_shown(data: Path) -> None:
    shown = run(data, "calendar", "show", "2099")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["year"] == 2099


@pytest.mark.parametrize(("day", "fragment"), [
    ("1800-01-01", "ngoài lịch làm việc"),
    ("9999-12-31", "ngoài lịch làm việc"),
    ("2100-01-04", "ngoài lịch làm việc"),
    ("20270105", "YYYY-MM-DD"),  # date.fromisoformat takes these two, the message never offered them
    ("2027-W02-2", "YYYY-MM-DD"),
    ("05/01/2027", "YYYY-MM-DD"),
    ("2027-1-5", "YYYY-MM-DD"),
    ("2027-02-30", "không phải một ngày có thật"),
])
def test_setting_a_holiday_on_a_day_outside_the_calendar_or_in_another_form_changes_nothing(
        data: Path, day: str, fragment: str) -> None:
    before = dump(data)
    refused(run(data, "calendar", "set", day, "off", "--name", "Nghỉ bù"), fragment)
    assert dump(data) == before


def test_setting_a_holiday_written_yyyy_mm_dd_is_taken(data: Path) -> None:
    done = run(data, "calendar", "set", "2027-01-05", "off", "--name", "Nghỉ bù")
    assert done.returncode == 0, done.stderr
    days = json.loads(run(data, "calendar", "show", "2027").stdout)["days"]
    assert {"date": "2027-01-05", "kind": "off", "name": "Nghỉ bù", "provisional": False} in days


def test_a_lone_surrogate_in_intake_json_is_refused_before_a_code_is_issued(data: Path) -> None:
    before = dump(data)
    # The JSON escape itself (backslash-u), as a script that cut a UTF-16 string in half writes it.
    payload = ('{"procedure_code": "2.000815", "applicant": {"full_name": "Nguy\\ud800n Văn Đức"},'
               ' "received_at": "2026-03-02T08:00:00+07:00"}')
    refused(run(data, "intake", "--json", "-", stdin=payload), "applicant.full_name")
    assert dump(data) == before
    # and the next dossier still gets number 0001
    good = {"procedure_code": "2.000815", "applicant": applicant(), "received_at": "2026-03-02T08:00:00+07:00"}
    made = run(data, "intake", "--json", "-", stdin=json.dumps(good))
    assert json.loads(made.stdout)["code"].endswith("-0001")


def test_very_deep_json_is_refused_for_intake_and_for_a_catalogue_import(data: Path, tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    before = dump(data)
    refused(run(data, "intake", "--json", "-", stdin=deep), "lồng nhau quá")
    nested = {"procedure_code": "2.000815", "applicant": applicant(), "note": "x"}
    for _ in range(40):  # deep but within Python's recursion limit: refused all the same
        nested = {"procedure_code": "2.000815", "applicant": {**applicant(), "extra": nested}}
    refused(run(data, "intake", "--json", "-", stdin=json.dumps(nested)), "lồng nhau quá")
    catalogue = tmp_path / "danh-muc.json"
    catalogue.write_text(deep, encoding="utf-8")
    refused(run(data, "catalogue", "import", str(catalogue)), "lồng nhau quá")
    assert dump(data) == before


def test_an_integer_of_thousands_of_digits_is_refused(data: Path) -> None:
    payload = '{"procedure_code": "2.000815", "applicant": {"full_name": "A"}, "sets": ' + "1" * 5000 + "}"
    refused(run(data, "intake", "--json", "-", stdin=payload), "con số dài quá mức")


def _as_another_account(folder: Path) -> list[str]:
    """Give `folder` to another account and return the command prefix that runs the app as an
    account that may read it but not write it (root keeps its uid but loses its override rights)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to hand the store to another account")
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is not installed")
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, 65534, 65534)  # nobody
        path.chmod(0o755 if path.is_dir() else 0o644)
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def run_as(prefix: list[str], data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    import sys

    return subprocess.run([*prefix, sys.executable, "-m", "counter_app", "--data-dir", str(data), *args],
                          input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=60,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def test_a_store_this_account_may_only_read_is_called_read_only_not_damaged(data: Path) -> None:
    before, listing = dump(data), files(data)
    prefix = _as_another_account(data)
    for args in (("search", "Đức"), ("calendar", "set", "2027-01-05", "off")):
        result = run_as(prefix, data, *args)
        refused(result, "chỉ có quyền đọc")
        assert "hỏng" not in result.stderr
    assert dump(data) == before and files(data) == listing


def test_opening_the_window_on_a_store_this_account_may_only_read_says_so(data: Path) -> None:
    listing = files(data)
    result = run_as(_as_another_account(data), data)  # no command: the window
    refused(result, "chỉ có quyền đọc")
    assert files(data) == listing


def test_a_restore_into_a_folder_this_account_cannot_write_is_refused(data: Path, tmp_path: Path) -> None:
    backup = tmp_path / "sao-luu.qmcbak"
    passphrase = "cụm mật khẩu của xã Bình Mỹ"
    assert run(data, "recovery", "set", "--passphrase-stdin", stdin=passphrase).returncode == 0
    assert run(data, "backup", "-o", str(backup)).returncode == 0
    before, listing = dump(data), files(data)
    prefix = _as_another_account(data)
    refused(run_as(prefix, data, "restore", str(backup), "--passphrase-stdin", stdin=passphrase), "chỉ có quyền đọc")
    assert dump(data) == before and files(data) == listing  # no counter.lock, no pre-restore copy


def test_a_refused_restore_leaves_no_lock_file_behind(data: Path, tmp_path: Path) -> None:
    other = tmp_path / "xa-khac"
    made = init(other, "000.00.21.H12")
    assert made.returncode == 0
    backup = tmp_path / "xa-khac.qmcbak"
    assert run(other, "backup", "-o", str(backup)).returncode == 0
    before, listing = dump(data), files(data)
    code = json.loads(made.stdout)["recovery_code"]  # even with the other office's own passphrase
    refused(run(data, "restore", str(backup), "--passphrase-stdin", stdin=code), "thuộc cơ quan 000.00.21.H12")
    assert files(data) == listing and "counter.lock" not in listing
    assert dump(data) == before


def _csv(path: Path, rows: int, name: str = "Thủ tục") -> Path:
    lines = ["code,name,working_days"] + [f"9.{i:06d},{name} {i},3" for i in range(rows)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_catalogue_file_larger_than_5_mb_is_refused_and_nothing_is_added(data: Path, tmp_path: Path) -> None:
    big = _csv(tmp_path / "lon.csv", 1900, "Thủ tục " + "rất dài " * 400)  # few rows, but 6 MB
    assert big.stat().st_size > 5 * 1024 * 1024
    before = dump(data)
    refused(run(data, "catalogue", "import", str(big)), "quá giới hạn 5 MB")
    assert dump(data) == before


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "json"])
def test_a_catalogue_of_more_than_2000_procedures_is_refused_and_nothing_is_added(
        data: Path, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"nhieu.{suffix}"
    rows = [[f"9.{i:06d}", f"Thủ tục {i}", 3] for i in range(2001)]
    if suffix == "csv":
        _csv(path, 2001)
    elif suffix == "json":
        path.write_text(json.dumps([{"code": c, "name": n, "working_days": d} for c, n, d in rows]),
                        encoding="utf-8")
    else:
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.append(["code", "name", "working_days"])
        for row in rows:
            wb.active.append(row)
        wb.save(path)
    before = dump(data)
    refused(run(data, "catalogue", "import", str(path)), "hơn 2.000 thủ tục")
    assert dump(data) == before


def test_a_catalogue_of_2000_procedures_is_imported(data: Path, tmp_path: Path) -> None:
    done = run(data, "catalogue", "import", str(_csv(tmp_path / "du.csv", 2000)))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 2000
