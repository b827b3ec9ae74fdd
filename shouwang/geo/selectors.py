"""Reads of the area tree (configuration data: not personal, not scoped)."""

from django.db.models import QuerySet

from shouwang.geo.models import Area


def area_subtree(*, area: Area) -> QuerySet[Area]:
    """``area`` and everything below it, in tree order."""
    return Area.objects.filter(path__startswith=area.path).select_related("level")


def area_villages_under(*, area: Area) -> QuerySet[Area]:
    return area_subtree(area=area).filter(level__slug="village")
