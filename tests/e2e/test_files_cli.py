"""`counter-app attach`, `files CODE` and `files verify` as district IT scripts them (docs/cli.md)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image

from tests.conftest import applicant
from tests.e2e.test_cli import init, refused, run


def _page(path: Path, shade: int) -> Path:
    image = Image.new("L", (827, 1170), "white")
    image.paste(shade, (100, 100, 700, 160))
    out = io.BytesIO()
    image.save(out, "JPEG", dpi=(100, 100))
    path.write_bytes(out.getvalue())
    return path


def _dossier(data: Path) -> str:
    assert init(data).returncode == 0
    made = run(data, "intake", "--json", "-",
               stdin=json.dumps({"procedure_code": "2.000815", "applicant": applicant()}, ensure_ascii=False))
    assert made.returncode == 0, made.stderr
    return json.loads(made.stdout)["code"]


def test_an_altered_file_is_found_by_files_verify_and_audit_verify(tmp_path: Path) -> None:
    data = tmp_path / "d"
    code = _dossier(data)
    pages = [_page(tmp_path / f"trang-{n}.jpg", 40 * n) for n in range(3)]
    done = run(data, "attach", code, "--component", "1", *map(str, pages))
    assert done.returncode == 0, done.stderr
    kept = json.loads(done.stdout)
    assert (kept["pages"], kept["component"], kept["current"], kept["replaced"]) == (3, 1, True, False)
    assert "Đã số hóa" in done.stderr
    listed = run(data, "files", code)
    assert listed.returncode == 0 and [f["sha256"] for f in json.loads(listed.stdout)] == [kept["sha256"]]
    assert json.loads(run(data, "files", "verify").stdout) == {"ok": True, "files": 1}
    assert json.loads(run(data, "audit", "verify").stdout)["files"] == 1

    blob = data / "files" / kept["sha256"][:2] / f"{kept['sha256']}.qmcf"  # sealed (docs/digitisation.md)
    blob.write_bytes(blob.read_bytes()[:-10])
    checked = run(data, "files", "verify")
    refused(checked, "bị sửa")
    assert code in checked.stderr and json.loads(checked.stdout)["problems"][0]["state"] == "altered"
    refused(run(data, "audit", "verify"), "tệp số hóa bị mất hoặc bị sửa")
    blob.unlink()
    refused(run(data, "files", "verify"), "mất")


def test_attach_refusals_are_one_clear_line_and_keep_nothing(tmp_path: Path) -> None:
    data = tmp_path / "d"
    code = _dossier(data)
    page = str(_page(tmp_path / "trang.jpg", 0))
    refused(run(data, "attach", code, page), "Cần --component N")
    # (an unknown component, a result not ready, a vanished file: tests/unit/test_digitise.py)
    refused(run(data, "attach", code, "--component", "1", str(tmp_path / "khong-co.jpg")), "Không còn tệp")
    refused(run(data, "attach", "000.00.20.H12-260101-0999", "--component", "1", page), "0999")
    # Signing: the PIN comes from stdin, never the command line; an office without a token refuses.
    refused(run(data, "attach", code, "--component", "1", "--sign", page, stdin=""), "--pin-stdin")
    refused(run(data, "attach", code, "--component", "1", "--sign", "--pin-stdin", page, stdin="1234\n"),
            "chưa khai báo USB ký số")
    assert json.loads(run(data, "files", code).stdout) == []
    assert not (data / "files").exists() or not any((data / "files").rglob("*.qmcf"))
