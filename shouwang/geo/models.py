"""The area tree: province > prefecture > county > township > village.

Levels are rows (``AreaLevel``), not constants, so a deployment can add a level (a
district, a natural village) without code. Each area stores its materialised ``path``:
the codes of its ancestors and itself, each followed by "/". "This area and everything
below" is then one indexed prefix filter, ``path__startswith=area.path``, on SQLite and
PostgreSQL alike (paths hold only digits and "/", so SQLite's case-insensitive LIKE is
harmless). Re-parenting an area rewrites the paths below it (``geo.services``).
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import TimeStampedModel


class AreaLevel(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    depth = models.PositiveSmallIntegerField(_("depth"), unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50)

    class Meta:
        ordering = ["depth"]
        verbose_name = _("area level")
        verbose_name_plural = _("area levels")

    def __str__(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class Area(TimeStampedModel):
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subareas",
        verbose_name=_("parent"),
    )
    level = models.ForeignKey(AreaLevel, on_delete=models.PROTECT, verbose_name=_("level"))
    code = models.CharField(
        _("division code"),
        max_length=12,
        unique=True,
        help_text=_("The 12-digit statistical division code."),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    # Where the village committee sits (WGS-84), for travel distances between villages;
    # optional: distances fall back to "same township" when missing.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        indexes = [
            # LIKE 'prefix%' on PostgreSQL needs a pattern operator class to use an index.
            models.Index(
                fields=["path"], name="geo_area_path_like", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id and self.parent else ""
        return f"{prefix}{self.code}/"

    def is_within(self, other: "Area") -> bool:
        """True when this area is ``other`` or below it."""
        return self.path.startswith(other.path)

    def ancestor_at(self, level_slug: str) -> "Area | None":
        node: Area | None = self
        while node is not None:
            if node.level.slug == level_slug:
                return node
            node = node.parent
        return None
