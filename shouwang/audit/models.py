"""The append-only audit log: who did what to which record, when.

Written only by services (``audit.services.audit_record``), inside the same transaction
as the change it describes, so a change without its audit row cannot be committed. The
vocabulary is closed (``AuditEvent.Action``) and catalogued in docs/audit-events.md.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CHILD_REGISTERED = "child.registered", _("Child registered")
        CHILD_UPDATED = "child.updated", _("Child record updated")
        CHILD_VIEWED = "child.viewed", _("Child record viewed")
        CONTACT_LOGGED = "contact.logged", _("Parent contact logged")
        CHILD_CLASSIFIED = "child.classified", _("Child's classifications changed")
        CLASSIFICATION_DECIDED = "classification.decided", _("Decision on a classification")
        FUC_APPLIED = "fuc.applied", _("De facto unsupported child: application made")
        FUC_VERIFIED = "fuc.verified", _("De facto unsupported child: verified by the township")
        FUC_RETURNED = "fuc.returned", _("De facto unsupported child: returned for more material")
        FUC_CONFIRMED = "fuc.confirmed", _("De facto unsupported child: confirmed by the county")
        FUC_REJECTED = "fuc.rejected", _("De facto unsupported child: rejected by the county")
        FUC_TERMINATED = "fuc.terminated", _("De facto unsupported child: allowance ended")
        ROLE_GRANTED = "role.granted", _("Role granted")
        ROLE_CHANGED = "role.changed", _("Role assignment changed")
        ROLE_REVOKED = "role.revoked", _("Role revoked")
        DEMO_GENERATED = "demo.generated", _("Demo data generated")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(
        _("actor label"),
        max_length=150,
        help_text=_("The user name at the time, or the system process that acted."),
    )
    # Values come from every app's registered vocabulary (audit.vocabulary), not one enum.
    action = models.CharField(_("action"), max_length=50)
    target_type = models.CharField(_("record type"), max_length=50, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    area = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, db_index=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["area", "action", "occurred_at"], name="audit_area_action_time"),
            models.Index(
                fields=["target_type", "target_id", "occurred_at"], name="audit_target_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    @property
    def action_label(self) -> str:
        from shouwang.audit.vocabulary import action_label  # noqa: PLC0415

        return action_label(self.action)
