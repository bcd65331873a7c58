from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from counter_app.errors import UserError
from counter_app.services import catalogue


def test_the_shipped_catalogue_is_complete_and_clean() -> None:
    specs = catalogue.load_shipped_catalogue()
    assert len(specs) >= 25
    assert len({s.code for s in specs}) == len(specs)
    fields = {s.field for s in specs}
    assert {"Hộ tịch", "Chứng thực"} <= fields
    assert len(fields) >= 4
    for spec in specs:
        assert spec.documents, spec.code
        for text in (spec.name, spec.field, spec.fee, *(d.name for d in spec.documents)):
            assert unicodedata.is_normalized("NFC", text)
    by_code = {s.code: s for s in specs}
    assert "Chứng thực" in by_code["2.000815"].name or by_code["2.000815"].field == "Chứng thực"


def _sample() -> list[catalogue.ProcedureSpec]:
    return catalogue.parse_procedures([("Thủ tục thứ 1", {
        "code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "field": "Hộ tịch", "working_days": 0,
        "fee": "Miễn lệ phí", "documents": [
            {"name": "Tờ khai đăng ký khai sinh (theo mẫu)", "form": "bản chính", "count": 1},
            {"name": "Giấy chứng sinh", "form": "bản chính", "count": 1}]}),
        ("Thủ tục thứ 2", {"code": "2.000986", "name": "Thủ tục đăng ký kết hôn", "field": "Hộ tịch",
                           "working_days": 1.5, "fee": "Miễn lệ phí", "fee_amount": None,
                           "documents": [{"name": "Tờ khai đăng ký kết hôn", "form": "bản chính", "count": 2}]})])


@pytest.mark.parametrize("suffix", [".json", ".csv", ".xlsx"])
def test_export_then_import_round_trips(tmp_path: Path, suffix: str) -> None:
    specs = _sample()
    path = tmp_path / f"danh-muc{suffix}"
    catalogue.write_catalogue_file(specs, path)
    assert catalogue.read_catalogue_file(path) == specs


def test_import_updates_existing_codes_and_never_duplicates(office_store) -> None:  # noqa: ANN001
    with office_store.write() as session:
        before = len(catalogue.list_procedures(session))
        first = catalogue.import_procedures(session, _sample())
    assert first.added + first.updated + first.unchanged == 2
    changed = [catalogue.ProcedureSpec(**{**_sample()[0].__dict__, "name": "Đăng ký khai sinh (bản mới)"})]
    with office_store.write() as session:
        second = catalogue.import_procedures(session, changed)
        assert (second.added, second.updated) == (0, 1)
        again = catalogue.import_procedures(session, changed)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
        listed = catalogue.list_procedures(session)
    assert len(listed) == before + first.added
    assert [s.name for s in listed if s.code == "1.001193"] == ["Đăng ký khai sinh (bản mới)"]


def test_a_broken_csv_row_is_named_and_nothing_is_imported(tmp_path: Path, office_store) -> None:  # noqa: ANN001
    path = tmp_path / "bad.csv"
    path.write_text(
        "code,name,field,working_days,fee,fee_amount,documents\n"
        "9.999001,Thủ tục thử A,Thử,1,,,Tờ khai | bản chính | 1\n"
        "9.999002,Thủ tục thử B,Thử,ba ngày,,,Tờ khai | bản chính | 1\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError, match="Dòng 3: thời hạn giải quyết 'ba ngày'"):
        catalogue.read_catalogue_file(path)
    with office_store.read() as session:
        assert "9.999001" not in {s.code for s in catalogue.list_procedures(session)}


@pytest.mark.parametrize(("record", "message"), [
    ({"code": "", "name": "x", "working_days": 1}, "mã thủ tục"),
    ({"code": "1.000001", "name": "", "working_days": 1}, "thiếu tên"),
    ({"code": "1.000001", "name": "x"}, "thiếu thời hạn"),
    ({"code": "1.000001", "name": "x", "working_days": 0.3}, "nửa ngày"),
    ({"code": "1.000001", "name": "x", "working_days": -1}, "nửa ngày"),
    ({"code": "1.000001", "name": "x", "working_days": 1, "documents": [{"name": "a", "form": "bản nháp"}]},
     "hình thức giấy tờ"),
    ({"code": "1.000001", "name": "x", "working_days": 1, "documents": [{"name": "a", "count": 0}]}, "số lượng"),
])
def test_bad_records_are_refused_with_the_row(record: dict, message: str) -> None:
    with pytest.raises(UserError, match=message) as info:
        catalogue.parse_procedures([("Thủ tục thứ 4", record)])
    assert info.value.message.startswith("Thủ tục thứ 4")


def test_duplicate_codes_in_one_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    rec = {"code": "1.000001", "name": "x", "working_days": 1}
    path.write_text(json.dumps([rec, rec]), encoding="utf-8")
    with pytest.raises(UserError, match="trùng"):
        catalogue.read_catalogue_file(path)


def test_files_that_are_not_catalogues(tmp_path: Path) -> None:
    bad_json = tmp_path / "x.json"
    bad_json.write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match="không phải JSON hợp lệ"):
        catalogue.read_catalogue_file(bad_json)
    fake_xlsx = tmp_path / "x.xlsx"
    fake_xlsx.write_bytes(b"plain text")
    with pytest.raises(UserError, match="không phải bảng tính"):
        catalogue.read_catalogue_file(fake_xlsx)
    with pytest.raises(UserError, match="phải là .json, .csv hoặc .xlsx"):
        catalogue.read_catalogue_file(tmp_path / "x.txt")


def test_procedure_search_ignores_diacritics() -> None:
    specs = _sample()
    assert [s.code for s in catalogue.search_procedures(specs, "ket hon")] == ["2.000986"]
    assert [s.code for s in catalogue.search_procedures(specs, "Khai Sinh")] == ["1.001193"]
    assert [s.code for s in catalogue.search_procedures(specs, "2.000")] == ["2.000986"]


def test_the_procedure_typed_in_full_comes_before_its_longer_relatives() -> None:
    from counter_app.services.catalogue import load_shipped_catalogue, search_procedures

    found = search_procedures(load_shipped_catalogue(), "dang ky khai sinh")
    assert found[0].name == "Thủ tục đăng ký khai sinh"
    assert {s.code for s in found[:3]} >= {"1.001193", "1.000689"}
