import unicodedata

import pytest

from counter_app.domain import validation
from counter_app.domain.text import fold, nfc
from counter_app.errors import UserError


@pytest.mark.parametrize(("text", "folded"), [
    ("Nguyễn Văn Đức", "nguyen van duc"),
    ("ĐẶNG THỊ ÁNH", "dang thi anh"),
    ("  Trần   Quốc  Toản ", "tran quoc toan"),
    ("Chứng thực", "chung thuc"),
    (unicodedata.normalize("NFD", "Lê Thị Hồng Nhung"), "le thi hong nhung"),
])
def test_fold_removes_marks_and_d_stroke(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_nfc_composes_decomposed_text() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert len(decomposed) > len("Nguyễn")
    assert nfc(decomposed) == "Nguyễn"


@pytest.mark.parametrize("value", ["001090123456", "0010 9012 3456"])
def test_id_number_twelve_digits(value: str) -> None:
    assert validation.id_number(value) == "001090123456"


@pytest.mark.parametrize("value", ["00109012345", "0010901234567", "00109012345A", ""])
def test_id_number_refused(value: str) -> None:
    with pytest.raises(UserError, match="12 chữ số"):
        validation.id_number(value)


@pytest.mark.parametrize(("value", "normal"), [
    ("0912345678", "0912345678"), ("091 234 5678", "0912345678"), ("+84912345678", "0912345678"),
    ("84 912 345 678", "0912345678"), ("0386.123.456", "0386123456"), ("02439876543", "02439876543"), ("", ""),
])
def test_phone_numbers_accepted(value: str, normal: str) -> None:
    assert validation.phone(value) == normal


@pytest.mark.parametrize("value", ["091234567", "09123456789", "0112345678", "abc", "0212345678"])
def test_phone_numbers_refused(value: str) -> None:
    with pytest.raises(UserError, match="Số điện thoại"):
        validation.phone(value)


def test_dates_that_do_not_exist_are_refused() -> None:
    with pytest.raises(UserError, match="không phải một ngày có thật"):
        validation.iso_date("1990-02-30", field="birth_date", label="Ngày sinh")
    with pytest.raises(UserError, match="không phải một ngày có thật"):
        validation.ddmmyyyy("31021990", field="x", label="Ngày sinh")


def test_gender_accepts_folded_forms() -> None:
    assert validation.gender("nu") == "Nữ"
    assert validation.gender("NAM") == "Nam"
    with pytest.raises(UserError):
        validation.gender("khác")
