"""Reading cells as people type them (no database)."""

import datetime as dt

import pytest

from shouwang.imports.cells import CellError, clean_text, parse_bool, parse_date, parse_id_number

pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.mark.parametrize(
    "typed",
    [
        "2010-05-03",
        "2010.5.3",
        "2010/5/3",
        "2010年5月3日",
        "2010 年 5 月 3 日",
        "20100503",
        "２０１０－０５－０３",
        40301,
        40301.0,
        "40301",
        dt.date(2010, 5, 3),
        dt.datetime(2010, 5, 3, 0, 0),  # noqa: DTZ001  (calamine gives naive values)
    ],
)
def test_it_reads_dates_as_people_type_them(typed: object) -> None:
    assert parse_date(typed) == dt.date(2010, 5, 3)


@pytest.mark.parametrize("typed", ["2010-02-30", "三月", "5/3/2010", 12.5, 3])
def test_it_rejects_what_is_not_a_date(typed: object) -> None:
    with pytest.raises(CellError):
        parse_date(typed)


def test_it_refuses_an_id_number_stored_as_a_number_and_says_how_to_fix_it() -> None:
    with pytest.raises(CellError) as exc:
        parse_id_number(4.10322201604121e17)
    assert "Text" in exc.value.message


def test_it_refuses_an_id_number_in_scientific_notation() -> None:
    with pytest.raises(CellError):
        parse_id_number("4.10322E+17")


def test_it_folds_full_width_digits_and_stray_spaces_in_an_id_number() -> None:
    assert parse_id_number(" ４１０３２２２０１６０４１２１２４x ") == "41032220160412124X"


def test_it_cleans_stray_spaces_in_text() -> None:
    assert clean_text("  赵\u3000小燕 ") == "赵 小燕"


@pytest.mark.parametrize(("typed", "value"), [("是", True), ("否", False), ("√", True), ("", None)])
def test_it_reads_yes_and_no(typed: str, value: bool | None) -> None:
    assert parse_bool(typed) is value
