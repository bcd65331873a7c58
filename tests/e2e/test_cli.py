"""The scripted interface as district IT and the acceptance checks use it: real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import applicant


def run(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "counter_app", "--data-dir", str(data_dir), *args],
        input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=60,
    )


def init(data_dir: Path, code: str = "000.00.20.H12") -> subprocess.CompletedProcess[str]:
    return run(data_dir, "init", "--agency-code", code, "--agency-name", "UBND xã Bình Mỹ",
               "--office-name", "Trung tâm Phục vụ hành chính công xã Bình Mỹ", "--place", "Bình Mỹ")


def refused(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one clear line, never a traceback
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr


def test_version() -> None:
    result = subprocess.run([sys.executable, "-m", "counter_app", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("Quầy Một Cửa ")


def test_init_intake_show_the_worked_case(tmp_path: Path) -> None:
    data = tmp_path / "d"
    first = init(data)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["created"] is True

    listed = run(data, "catalogue", "list")
    procedures = json.loads(listed.stdout)
    assert len(procedures) >= 25
    chung_thuc = next(p for p in procedures if p["code"] == "2.000815")
    assert chung_thuc["working_days"] == 0

    req = {"procedure_code": "2.000815", "applicant": applicant(), "received_at": "2026-02-13T16:00:00+07:00"}
    made = run(data, "intake", "--json", "-", stdin=json.dumps(req, ensure_ascii=False))
    assert made.returncode == 0, made.stderr
    dossier = json.loads(made.stdout)
    assert dossier["code"] == "000.00.20.H12-260213-0001"
    assert dossier["due_at"] == "2026-02-23T17:00:00+07:00"  # after 15:00 on the eve of Tết: next working day
    assert dossier["applicant"]["full_name"] == "Nguyễn Văn Đức"
    assert dossier["documents"] == chung_thuc["documents"]
    assert dossier["sync"] == "pending"

    shown = run(data, "show", dossier["code"])
    assert shown.returncode == 0
    assert json.loads(shown.stdout) == dossier


def test_intake_of_an_array_commits_each_and_prints_them(tmp_path: Path) -> None:
    data = tmp_path / "d"
    init(data)
    items = [{"procedure_code": "2.000815", "applicant": applicant(full_name=f"Người thứ {i}"),
              "received_at": f"2026-03-02T{8 + i:02d}:00:00+07:00"} for i in range(3)]
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    result = run(data, "intake", "--json", str(path))
    assert result.returncode == 0, result.stderr
    assert [d["code"][-4:] for d in json.loads(result.stdout)] == ["0001", "0002", "0003"]


def test_second_init(tmp_path: Path) -> None:
    data = tmp_path / "d"
    init(data)
    same = init(data)
    assert same.returncode == 0
    assert "không có gì thay đổi" in same.stderr
    assert json.loads(same.stdout)["created"] is False
    refused(init(data, "000.00.21.H12"), "không thể đổi sang 000.00.21.H12")


@pytest.mark.parametrize(("payload", "fragment"), [
    ("{not json", "không phải JSON hợp lệ"),
    ('{"procedure_code": "1.234567", "applicant": {"full_name": "A"}}', "Không có thủ tục mã '1.234567'"),
    ('{"procedure_code": "2.000815", "applicant": {"full_name": "A", "id_number": "00109012345"}}', "12 chữ số"),
    ('{"procedure_code": "2.000815", "applicant": {"full_name": ""}}', "họ tên"),
    ('{"procedure_code": "2.000815", "id_qr": "xin chao"}', "không phải mã QR"),
    ('{"procedure_code": "2.000815", "applicant": {"full_name": "A"}, "received_at": "2026-02-30T10:00:00"}',
     "không phải một thời điểm có thật"),
    ('[{"procedure_code": "2.000815", "applicant": {"full_name": "A"}}, {"procedure_code": "2.000815"}]',
     "Hồ sơ thứ 2"),
])
def test_bad_intake_input_is_refused_and_changes_nothing(tmp_path: Path, payload: str, fragment: str) -> None:
    data = tmp_path / "d"
    init(data)
    refused(run(data, "intake", "--json", "-", stdin=payload), fragment)
    assert json.loads(run(data, "search", "").stdout) == []


def test_other_refusals(tmp_path: Path) -> None:
    data = tmp_path / "d"
    refused(run(data, "show", "000.00.20.H12-260213-0001"), "chưa được khởi tạo")
    refused(init(data, "000.00.20"), "không đúng dạng")
    init(data)
    refused(run(data, "show", "000.00.20.H12-260213-0001"), "Không tìm thấy hồ sơ")
    refused(run(data, "show", "000.00.99.H12-260213-0001"), "thuộc cơ quan 000.00.99.H12")
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,working_days\n1.000001,Thủ tục A,1\n1.000002,Thủ tục B,x\n", encoding="utf-8")
    refused(run(data, "catalogue", "import", str(bad)), "Dòng 3")
    refused(run(data, "frobnicate"), "Lệnh không hợp lệ")


def test_catalogue_import_updates_instead_of_duplicating(tmp_path: Path) -> None:
    data = tmp_path / "d"
    init(data)
    exported = tmp_path / "cat.xlsx"
    assert run(data, "catalogue", "export", "-o", str(exported)).returncode == 0
    again = run(data, "catalogue", "import", str(exported))
    assert again.returncode == 0, again.stderr
    counts = json.loads(again.stdout)
    assert counts["added"] == 0 and counts["updated"] == 0 and counts["unchanged"] >= 25


def test_the_environment_variable_chooses_the_data_folder(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("COUNTER_APP_DATA", str(tmp_path / "env"))
    result = subprocess.run([sys.executable, "-m", "counter_app", "init", "--agency-code", "000.00.20.H12",
                             "--agency-name", "UBND xã Bình Mỹ"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "env" / "counter.sqlite3").exists()


def test_status_and_return_as_the_contract_says(tmp_path: Path) -> None:
    data = tmp_path / "d"
    init(data)
    req = {"procedure_code": "2.000815", "applicant": applicant(), "received_at": "2026-03-02T08:00:00+07:00"}
    code = json.loads(run(data, "intake", "--json", "-", stdin=json.dumps(req)).stdout)["code"]
    refused(run(data, "return", code, "--recipient-name", "Nguyễn Văn Đức"), "chưa có kết quả")
    refused(run(data, "status", code, "8"), "Không thể chuyển hồ sơ")
    refused(run(data, "status", code, "11"), "không có")
    moved = run(data, "status", code, "9", "--note", "Đã ký")
    assert moved.returncode == 0, moved.stderr
    assert json.loads(moved.stdout)["status"] == 9
    refused(run(data, "status", code, "10"), "lệnh 'return'")
    done = run(data, "return", code, "--recipient-name", "Trần Thị Bình", "--recipient-id", "001190000002",
               "--relation", "vợ")
    assert done.returncode == 0, done.stderr
    dossier = json.loads(done.stdout)
    assert dossier["status"] == 10
    assert dossier["recipient"]["full_name"] == "Trần Thị Bình"
    assert dossier["returned_at"]
    refused(run(data, "return", code, "--recipient-name", "A"), "đã trả kết quả")
    history = json.loads(run(data, "history", code).stdout)
    assert [h["status"] for h in history] == [2, 9, 10]
    assert {h["actor"] for h in history} == {"scripted"}


def test_report_command(tmp_path: Path) -> None:
    data = tmp_path / "d"
    init(data)
    req = {"procedure_code": "2.000815", "applicant": applicant(), "received_at": "2026-03-02T08:00:00+07:00"}
    run(data, "intake", "--json", "-", stdin=json.dumps(req))
    out = tmp_path / "thang3.xlsx"
    made = run(data, "report", "--from", "2026-03-01", "--to", "2026-03-31", "-o", str(out))
    assert made.returncode == 0, made.stderr
    assert out.exists() and "1 hồ sơ" in made.stderr
    empty = run(data, "report", "--from", "2025-01-01", "--to", "2025-01-31", "-o", str(tmp_path / "e.xlsx"))
    assert empty.returncode == 0 and "0 hồ sơ" in empty.stderr
    refused(run(data, "report", "--from", "2026-03-31", "--to", "2026-03-01", "-o", str(out)), "sau ngày kết thúc")
    refused(run(data, "report", "--from", "2016-01-01", "--to", "2026-03-01", "-o", str(out)), "dài quá 5 năm")
    refused(run(data, "report", "--from", "2026-02-30", "--to", "2026-03-01", "-o", str(out)), "không phải một ngày")
    refused(run(data, "report", "--from", "2026-03-01", "--to", "2026-03-31", "-o", str(tmp_path / "x" / "y.xlsx")),
            "không tồn tại")


def test_slip_and_papers_from_the_command_line(tmp_path: Path) -> None:
    from pypdf import PdfReader

    data = tmp_path / "d"
    init(data)
    req = {"procedure_code": "2.000815", "applicant": applicant(), "received_at": "2026-03-02T08:00:00+07:00"}
    code = json.loads(run(data, "intake", "--json", "-", stdin=json.dumps(req)).stdout)["code"]
    out = tmp_path / "giay-hen.pdf"
    made = run(data, "slip", code, "-o", str(out), "--paper", "a4-2up")
    assert made.returncode == 0, made.stderr
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and code in text
    missing = tmp_path / "khong.pdf"
    refused(run(data, "slip", "000.00.20.H12-260302-0099", "-o", str(missing)), "Không tìm thấy")
    assert not missing.exists()
    refused(run(data, "slip", code, "-o", str(tmp_path / "x" / "y.pdf")), "")
    refused(run(data, "paper", code, "--form", "04", "-o", str(missing)), "")
    assert not missing.exists()
    assert run(data, "status", code, "4").returncode == 0
    assert run(data, "status", code, "5", "--note", "Thiếu bản sao", "--missing", "Giấy khai sinh").returncode == 0
    form = run(data, "paper", code, "--form", "02", "-o", str(tmp_path / "mau02.pdf"))
    assert form.returncode == 0, form.stderr
    assert "Giấy khai sinh" in "".join(p.extract_text() for p in PdfReader(tmp_path / "mau02.pdf").pages)
    prints = json.loads(run(data, "audit", "show", "--target", code).stdout)
    assert [p["action"] for p in prints if p["action"].startswith("print")] == ["print.form", "print.slip"]


def test_a_listing_cut_short_by_head_ends_quietly(tmp_path: Path) -> None:
    # `counter-app catalogue list | head -1`: the reader leaves early; nothing went wrong.
    init(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "counter_app", "--data-dir", str(tmp_path), "catalogue", "list"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()  # the reader is gone before the listing is written (the child is still starting)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert b"BrokenPipeError" not in err and b"Exception ignored" not in err
