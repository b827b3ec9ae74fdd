"""Joining words in the user's language: "a, b" in English, "a、b" in Chinese."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.translation import pgettext

register = template.Library()


@register.filter
def list_join(items: Iterable[Any]) -> str:
    # The same separator the rules engine uses for its lists.
    return pgettext("rules list separator", ", ").join(str(i) for i in items)
