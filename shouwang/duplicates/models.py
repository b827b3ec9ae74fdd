"""Candidate duplicate pairs, the supervisor's decisions, and reversible merges.

A merge never deletes: the merged child's rows (relations, contacts, visits, cases…) are
re-pointed to the survivor where that breaks no constraint, the ids of what moved are kept
in ``Merge.moved``, and the merged child is hidden from lists through ``merged_away()``.
Unmerging points the same rows back and shows the child again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DuplicatePair(models.Model):
    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("To review")
        CONFIRMED = "confirmed", _("Confirmed duplicate")
        REJECTED = "rejected", _("Not a duplicate")
        MERGED = "merged", _("Merged")

    child_a = models.ForeignKey(
        "registry.Child", on_delete=models.CASCADE, related_name="+", verbose_name=_("child")
    )
    child_b = models.ForeignKey(
        "registry.Child", on_delete=models.CASCADE, related_name="+", verbose_name=_("child")
    )
    score = models.FloatField(_("match probability"))
    match_weight = models.FloatField(_("match weight"))
    agreement = models.JSONField(_("agreement by field"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CANDIDATE
    )
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["child_a", "child_b"], name="duplicates_pair_unique"),
            models.CheckConstraint(
                condition=Q(child_a__lt=models.F("child_b")), name="duplicates_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "score"], name="duplicates_status_score")]

    def __str__(self) -> str:
        return f"{self.child_a_id}~{self.child_b_id}"


class Merge(models.Model):
    pair = models.ForeignKey(DuplicatePair, on_delete=models.PROTECT, related_name="merges")
    survivor = models.ForeignKey(
        "registry.Child", on_delete=models.PROTECT, related_name="+", verbose_name=_("kept record")
    )
    merged = models.ForeignKey(
        "registry.Child",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("merged record"),
    )
    moved = models.JSONField(_("rows moved to the kept record"), default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        constraints = [
            models.UniqueConstraint(
                fields=["merged"],
                condition=Q(reversed_at__isnull=True),
                name="duplicates_one_live_merge",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id}->{self.survivor_id}"


def merged_away() -> models.QuerySet:
    """Ids of children merged into another record (and not unmerged): exclude them from
    lists with ``qs.exclude(pk__in=merged_away())``."""
    return Merge.objects.filter(reversed_at__isnull=True).values("merged_id")
