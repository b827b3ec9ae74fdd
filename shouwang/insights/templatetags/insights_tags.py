"""How an indicator reads on a page: a share as a percentage, days and hours with their
unit, "no data" when there is nothing to count."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from shouwang.insights.indicators import Indicator, Threshold

register = template.Library()


def number(value: float, unit: str) -> str:
    if unit == "share":
        return f"{number_format(round(value * 100, 1), 1)}%"
    if unit == "count":
        return number_format(value, 0 if float(value).is_integer() else 1)
    if unit == "days":
        return _("%(n)s days") % {"n": number_format(value, 1)}
    if unit == "hours":
        return _("%(n)s hours") % {"n": number_format(value, 1)}
    if unit == "yuan":
        return _("%(n)s yuan") % {"n": number_format(value, 0)}
    return number_format(value, 2)


@register.filter
def show(indicator: Indicator | None) -> str:
    if indicator is None or indicator.value is None:
        return _("no data")
    return number(indicator.value, indicator.unit)


@register.filter
def threshold(indicator: Indicator) -> str:
    t: Threshold | None = indicator.threshold
    if t is None:
        return ""
    limit = number(t.limit, indicator.unit)
    if t.direction == "min":
        return _("problem below %(limit)s") % {"limit": limit}
    return _("problem above %(limit)s") % {"limit": limit}


@register.filter
def ratio(indicator: Indicator) -> str:
    """ "3 of 4" for a share; empty otherwise."""
    if indicator.unit != "share" or not indicator.denominator:
        return ""
    return _("%(num)s of %(den)s") % {
        "num": number_format(indicator.numerator, 0),
        "den": number_format(indicator.denominator, 0),
    }


@register.filter
def get(mapping: dict, key: str):
    return mapping.get(key) if mapping else None
