"""Matching runs: for a township, who should meet which open need. The solver proposes
(``MatchSuggestion``), the supervisor accepts, changes or rejects each proposal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import PublicModel


class MatchRun(PublicModel):
    area = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="match_runs", verbose_name=_("area")
    )
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    needs_count = models.PositiveIntegerField(_("open needs"), default=0)
    assigned_count = models.PositiveIntegerField(_("needs matched"), default=0)
    total_cost = models.BigIntegerField(_("total cost"), default=0)
    optimal = models.BooleanField(_("proven optimal"), default=False)
    solver_status = models.CharField(_("solver status"), max_length=40, blank=True)
    duration_ms = models.PositiveIntegerField(_("time (ms)"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self) -> str:
        return f"{self.area} {self.created_at:%Y-%m-%d %H:%M}"


class MatchSuggestion(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("To decide")
        ACCEPTED = "accepted", _("Accepted")
        CHANGED = "changed", _("Changed")
        REJECTED = "rejected", _("Rejected")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="suggestions")
    need = models.ForeignKey(
        "services.ServiceNeed", on_delete=models.CASCADE, related_name="suggestions"
    )
    volunteer = models.ForeignKey(
        "resources.Volunteer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    cost = models.IntegerField(_("cost"), default=0)
    # Why this candidate: e.g. [{"code": "continuity"}, {"code": "distance_km", "value": 3}]
    reasons = models.JSONField(_("reasons"), default=list)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["run", "pk"]
        verbose_name = _("matching suggestion")
        verbose_name_plural = _("matching suggestions")
        constraints = [
            models.UniqueConstraint(fields=["run", "need"], name="matching_one_per_need"),
        ]

    def __str__(self) -> str:
        return f"{self.need} → {self.volunteer or self.organisation or '-'}"
