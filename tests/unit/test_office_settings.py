"""The office's settings: declared once, checked, audited, and used where they matter."""

from __future__ import annotations

from datetime import timedelta

import pytest

from counter_app import clock
from counter_app.desk import Desk
from counter_app.errors import UserError
from counter_app.services import audit, intake, office_settings, workflow
from tests.conftest import applicant, clerk


def test_every_setting_has_a_label_and_its_default_passes_its_own_check() -> None:
    for opt in office_settings.OPTIONS:
        assert opt.label and opt.key.count(".") == 1
        if opt.kind != "folder":
            assert opt.check(opt.default) == opt.default, opt.key


def test_the_bank_is_picked_from_the_napas_list() -> None:
    banks = {b.bin: b.short for b in office_settings.napas_banks()}
    assert banks["970436"] == "Vietcombank" and banks["970405"] == "Agribank"
    assert all(len(b) == 6 and b.startswith("970") for b in banks)


def test_several_settings_saved_together_are_all_kept_or_none(desk) -> None:  # noqa: ANN001
    admin = Desk(desk, clerk())
    with pytest.raises(UserError, match="Địa chỉ tra cứu"):
        admin.set_settings({"papers.bank_bin": "970436", "papers.lookup_url": "ftp://x"})
    assert admin.settings()["papers.bank_bin"] == ""
    admin.set_settings({"papers.bank_bin": "970436", "papers.bank_account": "0011-0012-345"})
    with desk.read() as s:
        changes = [(e.target, e.detail_json) for e in audit.entries(s, limit=5) if e.action == "settings.put"]
    assert ("papers.bank_account", '{"from": "", "to": "00110012345"}') in changes


def test_the_attention_list_waits_the_office_pick_up_days(desk) -> None:  # noqa: ANN001
    ready_at = clock.now() - timedelta(days=3)
    with desk.write() as s:
        request = intake.parse_intake({"procedure_code": "9.000003", "applicant": applicant()})
        code = intake.create_dossier(s, request, actor=clerk(), now=ready_at).dossier["code"]
        workflow.move(s, code, 9, actor=clerk(), now=ready_at)
    admin = Desk(desk, clerk())
    assert admin.attention().awaiting_pickup == []  # the default: 5 days
    admin.set_setting("attention.pickup_days", "2")
    assert [r.code for r in admin.attention().awaiting_pickup] == [code]
