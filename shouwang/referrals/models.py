"""Referrals: one organisation hands a child's need to another.

pending → accepted | declined (with a reason) → completed (with an outcome); the sender may
withdraw a pending or accepted referral. While a referral is pending or accepted, the
receiving organisation's staff reach the child through it, and only the part of the record
the referral needs (the referral route in ``docs/permissions.md``); once it is declined,
completed or withdrawn they no longer do.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import PublicModel


class Referral(PublicModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES = frozenset({Status.PENDING, Status.ACCEPTED})

    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="referrals")
    service_type = models.ForeignKey(
        "services.ServiceType",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("service"),
    )
    need = models.CharField(_("what the child needs"), max_length=300)
    plan_action = models.ForeignKey(
        "cases.PlanAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("plan action"),
    )
    from_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_sent",
        verbose_name=_("from"),
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("to"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    respond_by = models.DateTimeField(_("answer due by"))
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set once by the worker when the referral is first seen overdue and everyone concerned
    # has been told (a conditional UPDATE on NULL: never told twice).
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["to_organisation", "status"], name="referrals_inbox"),
            models.Index(fields=["status", "respond_by"], name="referrals_due"),
            models.Index(fields=["child", "status"], name="referrals_child"),
        ]

    def __str__(self) -> str:
        return f"{self.child} → {self.to_organisation} ({self.get_status_display()})"
