"""Mandatory reports (强制报告), their history, and the reporter's police task.

``Report`` carries the facts given by the reporter, the current state, the escalation
clock (``escalation_level``, ``next_escalation_at``) and the response and assessment.
``ReportStep`` is one row per thing that happened (filing, each escalation with who was
told, acknowledgement, response, closing): healthchecks' ``Flip``. ``PoliceTask`` is the
reporter's undismissable task "report to the police now": the platform records that a
person reported, it never sends anything to the police itself.

A report is never deleted (``on_delete=PROTECT`` everywhere it is referenced): closing it
is a state, with who closed it and why, and it stays in the child's history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import PublicModel
from shouwang.safeguarding import domain
from shouwang.safeguarding.domain import (
    ACTION_LABELS,
    DUTY_BASIS_LABELS,
    STATE_LABELS,
    TRIGGER_LABELS,
    State,
)


class Report(PublicModel):
    # Who: a known child, or an unknown child described by the reporter.
    child = models.ForeignKey(
        "registry.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="safeguarding_reports",
        verbose_name=_("child"),
    )
    child_description = models.TextField(
        _("description of the child"),
        blank=True,
        help_text=_("For a child not on the register: age, sex, clothes, name if known."),
    )
    place = models.CharField(_("where the child was found"), max_length=300, blank=True)
    # The area the report belongs to: the child's village, or where an unknown child was
    # found. Scoping and escalation follow it.
    area = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )

    # What
    trigger = models.CharField(
        _("what kind of concern"), max_length=50, choices=domain.choices(TRIGGER_LABELS)
    )
    immediate_danger = models.BooleanField(_("the child is in immediate danger"))
    what_seen = models.TextField(_("what you saw or heard"))
    duty_basis = models.CharField(
        _("why you report"), max_length=30, choices=domain.choices(DUTY_BASIS_LABELS)
    )

    # The reporter: shown only to holders of safeguarding.view_reporter_identity, and to
    # herself (2020 opinion: the reporter's identity is kept confidential).
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reporter"),
    )
    reporter_role = models.CharField(_("reporter's role"), max_length=200, blank=True)
    filed_at = models.DateTimeField(_("filed at"))

    state = models.CharField(
        _("state"), max_length=20, choices=domain.choices(STATE_LABELS), default=State.FILED.value
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    next_escalation_at = models.DateTimeField(_("escalates at"), null=True, blank=True)

    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    # Response and assessment (13号 应急处置 and 评估帮扶, DOMAIN.md §1.3 (b) and (c))
    attended_by = models.TextField(_("who attended"), blank=True)
    measures = models.JSONField(_("immediate measures"), default=list, blank=True)
    measures_note = models.TextField(_("measures: details"), blank=True)
    safety_assessment = models.TextField(_("safety situation"), blank=True)
    guardianship_assessment = models.TextField(_("guardianship situation"), blank=True)
    health_assessment = models.TextField(_("physical and mental health"), blank=True)
    assistance = models.JSONField(_("assistance planned"), default=list, blank=True)
    follow_up_plan = models.TextField(_("follow-up plan"), blank=True)
    intervention_flags = models.JSONField(
        _("guardianship intervention flags"), default=list, blank=True
    )
    refused_duties_since = models.DateField(
        _("guardian refuses duties since"), null=True, blank=True
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("response recorded by"),
    )
    responded_at = models.DateTimeField(_("response recorded at"), null=True, blank=True)

    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.TextField(_("why it was closed"), blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("mandatory report")
        verbose_name_plural = _("mandatory reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False) | ~Q(child_description=""),
                name="safeguarding_report_names_a_child",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.CLOSED.value) | ~Q(close_reason=""),
                name="safeguarding_closing_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.FILED.value) | Q(next_escalation_at__isnull=False),
                name="safeguarding_waiting_report_has_deadline",
            ),
        ]
        indexes = [
            # The escalation scan: only reports still waiting for acknowledgement.
            models.Index(
                fields=["next_escalation_at"],
                condition=Q(state="filed"),
                name="safeguarding_escalation_due",
            ),
            models.Index(fields=["area", "state"], name="safeguarding_area_state"),
        ]

    def __str__(self) -> str:
        return f"{self.filed_at:%Y-%m-%d %H:%M} {self.trigger} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state in domain.OPEN_STATES

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def measure_labels(self) -> list[str]:
        return [str(domain.MEASURE_LABELS.get(m, m)) for m in self.measures]

    @property
    def assistance_labels(self) -> list[str]:
        return [str(domain.ASSISTANCE_LABELS.get(m, m)) for m in self.assistance]

    @property
    def intervention_labels(self) -> list[str]:
        return [str(domain.INTERVENTION_LABELS.get(m, m)) for m in self.intervention_flags]


class ReportStep(models.Model):
    """One thing that happened to a report: who (a person, or the escalation worker), when,
    from which state to which, the escalation level, who was told, and the note."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="steps", verbose_name=_("report")
    )
    action = models.CharField(_("action"), max_length=20, choices=domain.choices(ACTION_LABELS))
    from_state = models.CharField(
        _("from"), max_length=20, choices=domain.choices(STATE_LABELS), blank=True
    )
    to_state = models.CharField(_("to"), max_length=20, choices=domain.choices(STATE_LABELS))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("by"), max_length=150)
    at = models.DateTimeField(_("at"))
    level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    notified = models.JSONField(_("who was notified"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")
        constraints = [
            # The same escalation level can never be recorded twice for a report.
            models.UniqueConstraint(
                fields=["report", "level"],
                condition=Q(action="escalate"),
                name="safeguarding_one_step_per_escalation_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class PoliceTask(models.Model):
    """The reporter's task "report to the police now" (报案). It has no dismiss action: it
    stays on her pages until she records the police station, the time and the receipt."""

    report = models.OneToOneField(
        Report, on_delete=models.PROTECT, related_name="police_task", verbose_name=_("report")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    created_at = models.DateTimeField(_("created at"))
    police_station = models.CharField(_("police station"), max_length=200, blank=True)
    reported_at = models.DateTimeField(_("time reported to the police"), null=True, blank=True)
    receipt_no = models.CharField(_("receipt number"), max_length=100, blank=True)
    completed_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("police task")
        verbose_name_plural = _("police tasks")
        indexes = [
            models.Index(
                fields=["assignee"],
                condition=Q(completed_at__isnull=True),
                name="safeguarding_open_police_task",
            )
        ]

    def __str__(self) -> str:
        return f"police task {self.report_id}"

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None
