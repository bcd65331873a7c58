"""`counter-app settings list|get|set`: every office setting, checked and audited (docs/settings.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.test_cli import init, refused, run


def test_the_district_admin_switches_on_the_payment_qr_and_the_look_up_address(tmp_path: Path) -> None:
    data = tmp_path / "d"
    assert init(data).returncode == 0
    listed = run(data, "settings", "list")
    assert listed.returncode == 0, listed.stderr
    values = json.loads(listed.stdout)
    assert values["papers.bank_bin"] == "" and values["attention.pickup_days"] == 5
    assert {"papers.bank_account", "papers.bank_account_name", "papers.lookup_url", "backup.folder",
            "backup.every_days", "session.idle_minutes", "scanner.mode", "papers.default_paper"} <= set(values)

    for key, value in (("papers.bank_bin", "970436"), ("papers.bank_account", "0011 0012 3456 78"),
                       ("papers.bank_account_name", "UBND xã Bình Mỹ"),
                       ("papers.lookup_url", "https://huyen.example/tra-cuu/{code}")):
        done = run(data, "settings", "set", key, value)
        assert done.returncode == 0, done.stderr
    assert json.loads(run(data, "settings", "get", "papers.bank_account").stdout) == "00110012345678"
    audit_rows = json.loads(run(data, "audit", "show", "--target", "papers.bank_bin").stdout)
    assert audit_rows[0]["action"] == "settings.put" and audit_rows[0]["actor_kind"] == "scripted"
    assert audit_rows[0]["detail"] == {"from": "", "to": "970436"}


@pytest.mark.parametrize(("key", "value", "fragment"), [
    ("papers.bank_bin", "123456", "Ngân hàng phải là một trong"),
    ("papers.lookup_url", "huyen.example", "https://"),
    ("attention.pickup_days", "0", "từ 1 đến 365"),
    ("attention.pickup_days", "năm", "số nguyên"),
    ("backup.folder", "/khong/co/thu/muc", "Không tìm thấy thư mục"),
    ("scanner.mode", "bluetooth", "Chế độ máy quét"),
    ("khong.co", "1", "Không có cài đặt 'khong.co'"),
])
def test_a_bad_setting_is_refused_and_nothing_changes(tmp_path: Path, key: str, value: str, fragment: str) -> None:
    data = tmp_path / "d"
    assert init(data).returncode == 0
    before = run(data, "settings", "list").stdout
    refused(run(data, "settings", "set", key, value), fragment)
    assert run(data, "settings", "list").stdout == before


def test_an_unknown_key_is_refused_by_get(tmp_path: Path) -> None:
    data = tmp_path / "d"
    assert init(data).returncode == 0
    refused(run(data, "settings", "get", "papers.bank"), "Không có cài đặt")
