"""Reads of the outbox: a person's own in-app list, and the failures for administrators."""

from django.db.models import Q, QuerySet

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, require
from shouwang.notifications.models import Notification


def inbox(*, user: Actor) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first. Only ever her own."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, channel=Notification.Channel.IN_APP)


def unread_count(*, user: Actor) -> int:
    return inbox(user=user).filter(read_at__isnull=True).count()


def failures(*, viewer: Actor) -> QuerySet[Notification]:
    """Deliveries that gave up, and those failing and waiting for a retry.

    For holders of ``notifications.view_failures`` (administrators). The page shows the
    recipient, the channel, the kind and the error, never the message itself.
    """
    require(viewer, Cap.VIEW_NOTIFICATION_FAILURES)
    return (
        Notification.objects.filter(
            Q(state=Notification.State.FAILED)
            | (Q(state=Notification.State.PENDING) & ~Q(last_error=""))
        )
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )
