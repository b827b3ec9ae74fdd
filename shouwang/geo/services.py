"""Writes to the area tree. Configuration data, changed by administrators."""

from django.db import transaction

from shouwang.geo.models import Area, AreaLevel


@transaction.atomic
def area_create(
    *, parent: Area | None, level: AreaLevel, code: str, name_zh: str, name_en: str = ""
) -> Area:
    area = Area(parent=parent, level=level, code=code, name_zh=name_zh, name_en=name_en)
    return area_save(area=area)


@transaction.atomic
def area_save(*, area: Area) -> Area:
    """Save an area, keeping its path and the paths of everything below it consistent.

    A move (new parent) or a new code changes the path prefix of the whole subtree; the
    descendants are rewritten in the same transaction.
    """
    old_path = Area.objects.filter(pk=area.pk).values_list("path", flat=True).first()
    if old_path and area.parent is not None and area.parent.path.startswith(old_path):
        msg = "An area cannot be moved below itself."
        raise ValueError(msg)
    area.path = area.compute_path()
    area.full_clean(exclude=["path"])
    area.save()
    if old_path and old_path != area.path:
        for node in (
            Area.objects.select_for_update().filter(path__startswith=old_path).exclude(pk=area.pk)
        ):
            node.path = area.path + node.path[len(old_path) :]
            node.save(update_fields=["path"])
    return area
