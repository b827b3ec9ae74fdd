"""Template filters for registry pages."""

import datetime as dt

from django import template
from django.utils import timezone

from shouwang.lib.dates import full_years
from shouwang.registry.models import CareArrangement

register = template.Library()


@register.filter
def age(born: dt.date | None) -> int | str:
    """Age in completed years today (周岁)."""
    if born is None:
        return ""
    return full_years(born, timezone.localdate())


@register.filter
def care_label(category: str | None) -> str:
    if not category:
        return ""
    try:
        return str(CareArrangement.Category(category).label)
    except ValueError:
        return category
