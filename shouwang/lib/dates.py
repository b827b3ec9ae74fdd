"""Date helpers with no framework knowledge."""

import datetime as dt


def full_years(born: dt.date, asof: dt.date) -> int:
    """Age in completed years (周岁) on ``asof``; a 29 February birthday counts on 1 March."""
    years = asof.year - born.year
    if (asof.month, asof.day) < (born.month, born.day):
        years -= 1
    return years
