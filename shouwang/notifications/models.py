"""The notifications outbox: one row per message to one person on one channel.

Rows are written by the service that causes them, inside its transaction
(``notifications.services.notify``), so a change and the news of it commit together or
not at all. The worker (``shouwang worker``) delivers them: it claims a row with a
conditional UPDATE, hands it to the channel, and records the outcome; a failure is retried
with exponential backoff until ``max_attempts``, after which the row is ``failed`` and shown
to administrators (``notifications.view_failures``).

The payload holds the *kind* of message and its parameters, never rendered text: the text
is rendered in the reader's language when shown (in-app) or sent (e-mail).
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from shouwang.notifications.kinds import RenderedMessage


class Notification(models.Model):
    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In the app")
        EMAIL = "email", _("E-mail")
        # SMS and WeChat gateways plug in through notifications.channels.

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed: gave up")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=50)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="notif_pending_due",
            ),
            models.Index(fields=["recipient", "channel", "read_at"], name="notif_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.channel}, {self.state})"

    @property
    def message(self) -> "RenderedMessage":
        from shouwang.notifications.kinds import render  # noqa: PLC0415

        return render(self)
