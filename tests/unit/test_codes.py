from datetime import date

import pytest

from counter_app.domain.codes import (
    format_dossier_code,
    normalise_agency_code,
    parse_dossier_code,
    sequence_number,
)
from counter_app.errors import UserError


@pytest.mark.parametrize("code", ["000.00.20.H12", "000.A0.01.H26", "000.00.04.G14", " 000.00.01.h22 "])
def test_agency_codes_of_the_right_shape_are_accepted(code: str) -> None:
    assert normalise_agency_code(code) == code.strip().upper()


@pytest.mark.parametrize("code", ["", "000.00.20", "000.00.20.12", "00.00.20.H12", "000.00.2A.H12", "000-00-20-H12",
                                  "000.00.20.H123"])
def test_agency_codes_of_the_wrong_shape_are_refused_in_vietnamese(code: str) -> None:
    with pytest.raises(UserError, match="không đúng dạng"):
        normalise_agency_code(code)


def test_counter_slices_do_not_overlap() -> None:
    assert sequence_number(0, 1) == 1
    assert sequence_number(0, 999) == 999
    assert sequence_number(1, 1) == 1001
    assert sequence_number(9, 999) == 9999
    with pytest.raises(ValueError):
        sequence_number(0, 1000)


def test_code_format_and_parse_round_trip() -> None:
    code = format_dossier_code("000.00.20.H12", date(2026, 2, 13), 1)
    assert code == "000.00.20.H12-260213-0001"
    parsed = parse_dossier_code(code)
    assert parsed is not None
    assert (parsed.agency_code, parsed.day, parsed.seq, parsed.counter) == ("000.00.20.H12", date(2026, 2, 13), 1, 0)
    assert parse_dossier_code("000.00.20.H12-260213-2005").counter == 2


@pytest.mark.parametrize("text", ["", "hello", "000.00.20.H12-260230-0001", "000.00.20.H12-260213-1000",
                                  "000.00.20.H12-260213-001", "001090123456|...|"])
def test_things_that_are_not_dossier_codes(text: str) -> None:
    assert parse_dossier_code(text) is None
