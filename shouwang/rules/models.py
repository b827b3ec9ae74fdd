"""Stored results of the rules, with history, and the decisions people took on them.

The engine (``rules.engine``) is pure: it takes a situation and returns outcomes. This
module keeps what it said about each child: one current row per child and rule, closed
(``ended_at``) and replaced when the result changes, so "since when has she been
classified left-behind, and under which rule version" always has an answer.

The platform suggests; people decide (DOMAIN.md §9.2, PIPL Art. 24): a decision row
records who confirmed, rejected or overrode a classification, and why.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Classification(models.Model):
    class Status(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        CANNOT_DETERMINE = "cannot_determine", _("Cannot determine")
        NOT_APPLICABLE = "not_applicable", _("Does not apply")

    class AlertLevel(models.TextChoices):
        NONE = "", _("None")
        AMBER = "amber", _("Attention")
        RED = "red", _("Urgent")

    child = models.ForeignKey(
        "registry.Child", on_delete=models.CASCADE, related_name="classifications"
    )
    rule_id = models.CharField(_("rule"), max_length=50)
    rule_version = models.CharField(_("rule version"), max_length=20)
    status = models.CharField(_("result"), max_length=20, choices=Status.choices)
    value = models.CharField(_("value"), max_length=50, blank=True)
    labels = models.JSONField(_("labels"), default=list, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    missing = models.JSONField(_("missing facts"), default=list, blank=True)
    citations = models.JSONField(_("citations"), default=list, blank=True)
    alerts = models.JSONField(_("alerts"), default=list, blank=True)
    alert_level = models.CharField(
        _("alert"), max_length=10, choices=AlertLevel.choices, blank=True, default=""
    )
    mandatory_report = models.BooleanField(_("mandatory report trigger"), default=False)
    asof = models.DateField(_("evaluated as of"))
    evaluated_at = models.DateTimeField(_("evaluated at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("superseded at"), null=True, blank=True)

    class Meta:
        ordering = ["rule_id", "-evaluated_at"]
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "rule_id"],
                condition=Q(ended_at__isnull=True),
                name="rules_one_current_per_rule",
            ),
        ]
        indexes = [
            models.Index(
                fields=["alert_level", "child"],
                condition=Q(ended_at__isnull=True),
                name="rules_current_alerts",
            ),
            models.Index(fields=["child", "rule_id", "evaluated_at"], name="rules_history"),
            # The worklist's "new results of the rules", newest first (cases.selectors).
            models.Index(
                fields=["evaluated_at"],
                condition=Q(ended_at__isnull=True),
                name="rules_current_evaluated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}={self.status}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class ClassificationDecision(models.Model):
    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        OVERRIDDEN = "overridden", _("Overridden")

    classification = models.ForeignKey(
        Classification, on_delete=models.CASCADE, related_name="decisions"
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    overridden_to = models.CharField(_("decided result"), max_length=50, blank=True)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.classification}: {self.decision}"
