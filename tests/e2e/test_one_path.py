"""The scripted interface takes the window's path through the desk: the same checks, the same audit
entries and the same office settings."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import applicant
from tests.e2e.test_cli import init, run


def _audit(data: Path, target: str) -> list[dict]:
    return json.loads(run(data, "audit", "show", "--target", target).stdout)


def test_a_slip_and_a_report_from_the_command_line_are_audited_as_the_window_audits_them(tmp_path: Path) -> None:
    data = tmp_path / "d"
    assert init(data).returncode == 0
    made = run(data, "intake", "--json", "-", stdin=json.dumps({"procedure_code": "2.000815",
                                                               "applicant": applicant()}, ensure_ascii=False))
    code = json.loads(made.stdout)["code"]
    assert run(data, "settings", "set", "papers.default_paper", "a4-2up").returncode == 0
    assert run(data, "slip", code, "-o", str(tmp_path / "slip.pdf")).returncode == 0
    printed = [e for e in _audit(data, code) if e["action"] == "print.slip"][0]
    assert printed["actor_kind"] == "scripted"
    assert printed["detail"]["form"] == "01" and printed["detail"]["paper"] == "a4-2up"  # the office's paper

    out = tmp_path / "thang.xlsx"
    assert run(data, "report", "--from", "2026-01-01", "--to", "2026-12-31", "-o", str(out)).returncode == 0
    exported = _audit(data, out.name)
    assert [(e["action"], e["actor_kind"]) for e in exported] == [("report.export", "scripted")]
