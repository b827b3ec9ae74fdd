import datetime as dt

import pytest

from shouwang.lib.dates import full_years
from shouwang.lib.idcard import check_id_number, make_id_number

TODAY = dt.date(2026, 11, 29)
BORN = dt.date(2014, 9, 1)
VALID = make_id_number("410322", BORN, 102)  # even sequence: female


pytestmark = pytest.mark.usefixtures("english_messages")


def test_a_generated_number_passes_with_its_birth_date_and_sex() -> None:
    result = check_id_number(VALID, today=TODAY, birth_date=BORN, sex="female", max_age=17)
    assert result.ok, result.errors
    assert result.birth_date == BORN
    assert result.sex == "female"


def test_it_rejects_a_wrong_check_digit() -> None:
    last = VALID[-1]
    wrong = VALID[:-1] + ("0" if last != "0" else "1")
    assert "check digit" in check_id_number(wrong, today=TODAY).errors[0]


def test_it_rejects_a_swap_of_two_adjacent_digits() -> None:
    swapped = VALID[:14] + VALID[15] + VALID[14] + VALID[16:]
    assert swapped != VALID
    assert not check_id_number(swapped, today=TODAY).ok


def test_it_rejects_wrong_length_and_letters() -> None:
    assert not check_id_number("41032220140901", today=TODAY).ok
    assert not check_id_number("41032A201409011023", today=TODAY).ok


def test_it_rejects_a_future_birth_date() -> None:
    future = make_id_number("410322", dt.date(2027, 1, 1), 101)
    assert any("future" in e for e in check_id_number(future, today=TODAY).errors)


def test_it_rejects_a_birth_date_or_sex_that_disagrees_with_the_record() -> None:
    result = check_id_number(VALID, today=TODAY, birth_date=dt.date(2014, 9, 2), sex="male")
    assert len(result.errors) == 2


def test_it_rejects_an_adult_number_for_a_child() -> None:
    adult = make_id_number("410322", dt.date(1980, 1, 1), 101)
    assert not check_id_number(adult, today=TODAY, max_age=17).ok


def test_an_unknown_region_code_is_a_warning_not_an_error() -> None:
    unknown = make_id_number("419999", BORN, 102)
    result = check_id_number(unknown, today=TODAY)
    assert result.ok
    assert result.warnings and "419999" in result.warnings[0]


def test_it_accepts_a_lower_case_x_and_spaces() -> None:
    for seq in range(100, 400):
        number = make_id_number("410322", BORN, seq)
        if number.endswith("X"):
            break
    else:  # pragma: no cover - one sequence in eleven ends in X
        raise AssertionError("no X check digit found")
    assert check_id_number(" " + number[:6] + " " + number[6:].lower(), today=TODAY).ok


def test_full_years_counts_completed_years() -> None:
    assert full_years(dt.date(2010, 11, 30), TODAY) == 15
    assert full_years(dt.date(2010, 11, 29), TODAY) == 16
    assert full_years(dt.date(2012, 2, 29), dt.date(2013, 2, 28)) == 0
    assert full_years(dt.date(2012, 2, 29), dt.date(2013, 3, 1)) == 1
