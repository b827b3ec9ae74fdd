"""The registry -> engine adapter: unknown stays unknown."""

import datetime as dt

from shouwang.rules.situations import _age_from_year

ASOF = dt.date(2026, 11, 29)


def test_a_year_of_birth_gives_the_lower_possible_age() -> None:
    assert _age_from_year(1956, ASOF) == 69
    assert _age_from_year(2011, ASOF) == 14


def test_an_age_that_may_straddle_16_or_18_is_unknown() -> None:
    assert _age_from_year(2010, ASOF) is None  # 15 or 16
    assert _age_from_year(2008, ASOF) is None  # 17 or 18
    assert _age_from_year(2009, ASOF) == 16  # 16 or 17: both at least 16
    assert _age_from_year(None, ASOF) is None
