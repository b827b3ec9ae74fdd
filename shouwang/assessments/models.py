"""Assessment instruments (versioned data) and the needs assessments recorded with them.

An ``Instrument`` row holds one version of one instrument's JSON definition, loaded from
``shouwang/assessments/instruments/*.json`` (by the data migration and by
``shouwang assessments load``); a version, once loaded, is never changed: a new version is
a new row. The definition is read by ``assessments.domain.instrument_from_json``.

An ``Assessment`` keeps the answers and what they scored (domain scores and levels, the
risk level and the reasons as codes and params) as they were on the day: re-scoring with a
later version never rewrites it. The risk level is advisory (PIPL Art. 24): the township
supervisor approves or returns each assessment, and that decision is recorded here.
Writes go through ``assessments.services`` only.
"""

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shouwang.assessments import domain
from shouwang.assessments.messages import RISK_LABELS
from shouwang.core.models import PublicModel


class AuditAction(models.TextChoices):
    """This app's audit vocabulary (registered in ``AssessmentsConfig.ready``)."""

    RECORDED = "assessment.recorded", _("Needs assessment recorded")
    VIEWED = "assessment.viewed", _("Needs assessment viewed")
    APPROVED = "assessment.approved", _("Needs assessment approved by the supervisor")
    RETURNED = "assessment.returned", _("Needs assessment returned by the supervisor")
    INSTRUMENT_LOADED = "instrument.loaded", _("Assessment instrument version loaded")


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=50)
    version = models.CharField(_("version"), max_length=20)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    definition = models.JSONField(_("definition"))
    active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("New assessments use the highest active version of an instrument."),
    )
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-loaded_at"]
        verbose_name = _("assessment instrument")
        verbose_name_plural = _("assessment instruments")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="assessments_code_version")
        ]

    def __str__(self) -> str:
        return f"{self.code}@{self.version}"

    @cached_property
    def parsed(self) -> domain.Instrument:
        """The definition as a checked, frozen tree (``InstrumentError`` if malformed)."""
        return domain.instrument_from_json(self.definition)

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "").startswith("en") else self.title_zh


class Assessment(PublicModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting the supervisor's review")
        APPROVED = "approved", _("Approved by the supervisor")
        RETURNED = "returned", _("Returned by the supervisor")

    class RiskLevel(models.TextChoices):  # domain.RiskLevel, with its labels
        LOW = "low", RISK_LABELS["low"]
        MEDIUM = "medium", RISK_LABELS["medium"]
        HIGH = "high", RISK_LABELS["high"]
        URGENT = "urgent", RISK_LABELS["urgent"]

    child = models.ForeignKey(
        "registry.Child",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("child"),
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="+", verbose_name=_("instrument")
    )
    answers = models.JSONField(_("answers"), default=dict)
    domain_scores = models.JSONField(_("domain scores"), default=dict)
    domain_levels = models.JSONField(_("domain levels"), default=dict)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    reasons = models.JSONField(_("reasons"), default=list)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_on = models.DateField(_("assessed on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    # The supervisor's decision (approve or return): the human decision PIPL Art. 24 asks for.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    decided_risk_level = models.CharField(
        _("risk level decided by the supervisor"),
        max_length=10,
        choices=RiskLevel.choices,
        blank=True,
        help_text=_("Set on approval; differs from the suggested level only with a note."),
    )

    class Meta:
        ordering = ["-assessed_on", "-created_at", "-pk"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        indexes = [
            models.Index(fields=["child", "-assessed_on"], name="assessments_child_date"),
            models.Index(fields=["status", "assessed_on"], name="assessments_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(reviewed_by__isnull=False),
                name="assessments_reviewed_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_note=""),
                name="assessments_return_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} {self.assessed_on:%Y-%m-%d} {self.risk_level}"

    @property
    def current_risk_level(self) -> str:
        """The supervisor's level once approved, else the suggested one."""
        return self.decided_risk_level or self.risk_level

    @property
    def current_risk_label(self) -> str:
        return str(RISK_LABELS.get(self.current_risk_level, self.current_risk_level))

    @property
    def overridden(self) -> bool:
        return bool(self.decided_risk_level) and self.decided_risk_level != self.risk_level
