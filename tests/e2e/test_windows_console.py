"""The command line where the console speaks a Windows code page, not UTF-8.

On a Vietnamese Windows, Python's pipes default to the ANSI code page (cp1258, which lacks most
precomposed Vietnamese letters). PYTHONIOENCODING=cp1258 gives a Linux subprocess the same pipes,
so what the district IT admin pipes into counter-app.exe is tested here too (installer/windows/
ci-wine.sh runs the real counter-app.exe under Wine).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import applicant

WINDOWS_PIPES = {**os.environ, "PYTHONIOENCODING": "cp1258", "PYTHONUTF8": "0"}


def run(data_dir: Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "counter_app", "--data-dir", str(data_dir), *args],
                          input=stdin, capture_output=True, env=WINDOWS_PIPES, timeout=60)


def test_a_dossier_piped_in_as_utf8_keeps_its_vietnamese_on_a_windows_code_page(tmp_path: Path) -> None:
    data = tmp_path / "kho"
    assert run(data, "init", "--agency-code", "000.00.20.H12", "--agency-name", "UBND xã Bình Mỹ").returncode == 0
    person = {**applicant(), "full_name": "Lê Thị Hồng Ánh", "address": "Thôn Đông, xã Bình Mỹ"}
    body = json.dumps({"procedure_code": "2.000815", "applicant": person}, ensure_ascii=False)

    # PowerShell and Notepad write a byte-order mark; a plain pipe does not: both must work.
    for payload in (body.encode("utf-8"), b"\xef\xbb\xbf" + body.encode("utf-8")):
        made = run(data, "intake", "--json", "-", stdin=payload)
        assert made.returncode == 0, made.stderr.decode("utf-8", "replace")
        dossier = json.loads(made.stdout.decode("utf-8"))  # the answer is UTF-8 whatever the code page
        assert dossier["applicant"]["full_name"] == "Lê Thị Hồng Ánh"
        assert dossier["applicant"]["address"] == "Thôn Đông, xã Bình Mỹ"


def test_an_error_reads_in_vietnamese_on_a_windows_code_page(tmp_path: Path) -> None:
    data = tmp_path / "kho"
    run(data, "init", "--agency-code", "000.00.20.H12", "--agency-name", "UBND xã Bình Mỹ")
    shown = run(data, "show", "000.00.20.H12-260213-9999")
    assert shown.returncode == 2
    assert shown.stderr.decode("utf-8").strip() == "Không tìm thấy hồ sơ mã 000.00.20.H12-260213-9999."
