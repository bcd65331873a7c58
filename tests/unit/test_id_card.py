from datetime import date

import pytest

from counter_app.domain.id_card import looks_like_id_qr, parse_id_qr
from counter_app.errors import UserError

QR = "001090123456|012345678|Nguyễn Văn Đức|01011990|Nam|Số 5, thôn Đông, xã Bình Mỹ, tỉnh Hà Nam|15042021"


def test_the_seven_fields_of_a_chip_card() -> None:
    card = parse_id_qr(QR)
    assert card.id_number == "001090123456"
    assert card.old_id_number == "012345678"
    assert card.full_name == "Nguyễn Văn Đức"
    assert card.birth_date == date(1990, 1, 1)
    assert card.gender == "Nam"
    assert card.address == "Số 5, thôn Đông, xã Bình Mỹ, tỉnh Hà Nam"
    assert card.issue_date == date(2021, 4, 15)
    assert card.extra == ()


def test_empty_old_number_and_extra_fields_of_newer_cards_are_kept() -> None:
    card = parse_id_qr("038195001234||Lê Thị Hồng|20111995|Nữ|Thôn 3, xã Quảng Phú|01072024|Lê Văn A|Trần Thị B")
    assert card.old_id_number == ""
    assert card.gender == "Nữ"
    assert card.issue_date == date(2024, 7, 1)
    assert card.extra == ("Lê Văn A", "Trần Thị B")


def test_decomposed_input_is_normalised() -> None:
    import unicodedata

    card = parse_id_qr(unicodedata.normalize("NFD", QR))
    assert card.full_name == "Nguyễn Văn Đức"


@pytest.mark.parametrize("text", [
    "000.00.20.H12-260213-0001",           # a dossier code
    "00109012345|012345678|Nguyễn Văn Đức|01011990|Nam|x|15042021",  # 11 digits
    "001090123456|012345678|Nguyễn Văn",   # half-scanned
    "https://example.org/?q=1",
])
def test_strings_that_are_not_an_id_card(text: str) -> None:
    assert not looks_like_id_qr(text) or "|" in text
    with pytest.raises(UserError):
        parse_id_qr(text)


def test_a_birth_date_that_does_not_exist_is_refused() -> None:
    with pytest.raises(UserError, match="không phải một ngày có thật"):
        parse_id_qr("001090123456||Nguyễn Văn Đức|31021990|Nam|x|15042021")


def test_a_letter_lost_by_a_keyboard_scanner_leaves_its_field_empty_and_named() -> None:
    lost = "\ufffd"
    card = parse_id_qr(f"038195001234||Lê Thị H{lost}ng|20111995|N{lost}|Thôn 3, x{lost} Quảng Phú|01072024"
                       f"|Lê V{lost}n A|B")
    assert (card.full_name, card.gender, card.address) == ("", "", "")
    assert card.unreadable == ("full_name", "gender", "address")
    assert card.id_number == "038195001234" and card.birth_date == date(1995, 11, 20)
    assert card.issue_date == date(2024, 7, 1)
    assert card.extra == ("", "B")  # kept in place: the fields after it keep their numbers
