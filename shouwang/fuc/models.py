"""Applications for the de facto unsupported child allowance (事实无人抚养儿童基本生活补贴).

One ``FucApplication`` per application, carrying its current state and the facts of each
step (who, when, the note, the due dates); one ``FucStep`` row per action, the history of
who did what and why. The procedure itself is in ``fuc.domain``; writes go through
``fuc.services`` only.

A child has at most one open application (not rejected, not terminated). The status is
sensitive: it is shown only to holders of ``fuc.view_application`` on the child's area,
never on a village-wide list and never published (no public-notice step).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import PublicModel
from shouwang.fuc import domain
from shouwang.fuc.domain import (
    ACTION_LABELS,
    APPLICANT_LABELS,
    CLOSED_STATES,
    STATE_LABELS,
    TERMINATION_REASON_LABELS,
    State,
)


class FucApplication(PublicModel):
    child = models.ForeignKey(
        "registry.Child",
        on_delete=models.PROTECT,
        related_name="fuc_applications",
        verbose_name=_("child"),
    )
    # The child's county when the application was made: the county queue filters on it.
    county = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("county"),
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=domain.choices(STATE_LABELS),
        default=State.SUBMITTED.value,
    )

    # 1. Application
    applicant = models.CharField(
        _("who applied"), max_length=30, choices=domain.choices(APPLICANT_LABELS)
    )
    application_note = models.TextField(_("note on the application"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    applied_at = models.DateTimeField(_("applied at"))
    township_due_on = models.DateField(_("township verification due on"))

    # 2. Verification by the township
    verification_note = models.TextField(_("verification note"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    county_due_on = models.DateField(_("county decision due on"), null=True, blank=True)

    # 3. Decision by the county
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(
        _("grounds of the decision"),
        blank=True,
        help_text=_("Required for a rejection: the reasons are given in writing."),
    )
    active_from = models.DateField(_("allowance from"), null=True, blank=True)

    # 4. Termination
    changed_on = models.DateField(_("date of the change"), null=True, blank=True)
    terminated_from = models.DateField(_("allowance ends from"), null=True, blank=True)
    termination_reason = models.CharField(
        _("why it ended"),
        max_length=30,
        choices=domain.choices(TERMINATION_REASON_LABELS),
        blank=True,
    )
    termination_text = models.TextField(_("what changed"), blank=True)
    terminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    terminated_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-applied_at", "-pk"]
        verbose_name = _("de facto unsupported child application")
        verbose_name_plural = _("de facto unsupported child applications")
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=~Q(state__in=sorted(s.value for s in CLOSED_STATES)),
                name="fuc_one_open_application_per_child",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.REJECTED.value) | ~Q(decision_reason=""),
                name="fuc_rejection_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "county_due_on"], name="fuc_county_queue"),
            models.Index(fields=["state", "township_due_on"], name="fuc_township_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.child} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED_STATES

    @property
    def due_on(self) -> dt.date | None:
        """The due date of the step the application is waiting for, if any."""
        if self.state == State.SUBMITTED:
            return self.township_due_on
        if self.state == State.VERIFIED:
            return self.county_due_on
        return None

    def phase_on(self, today: dt.date) -> domain.Phase:
        return domain.phase(
            self.state,
            active_from=self.active_from,
            terminated_from=self.terminated_from,
            today=today,
        )

    @property
    def phase(self) -> domain.Phase:
        return self.phase_on(timezone.localdate())

    @property
    def phase_label(self) -> str:
        return str(domain.PHASE_LABELS[self.phase])

    @property
    def is_overdue(self) -> bool:
        """The step it waits for is past its due date."""
        return domain.is_overdue(self.due_on, timezone.localdate())


class FucStep(models.Model):
    """One action on an application: who, when, from which state to which, and why."""

    application = models.ForeignKey(
        FucApplication,
        on_delete=models.PROTECT,
        related_name="steps",
        verbose_name=_("application"),
    )
    action = models.CharField(_("action"), max_length=20, choices=domain.choices(ACTION_LABELS))
    from_state = models.CharField(
        _("from"), max_length=20, choices=domain.choices(STATE_LABELS), blank=True
    )
    to_state = models.CharField(_("to"), max_length=20, choices=domain.choices(STATE_LABELS))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.action}"
