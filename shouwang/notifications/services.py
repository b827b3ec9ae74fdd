"""Writes to the outbox, and its delivery.

``notify`` is called by a service inside its own transaction: the messages commit with the
change that caused them, or not at all (no message about a change that was rolled back, no
change without its message). ``deliver_due`` is the worker's pass: it claims each due row
with a conditional UPDATE (healthchecks' ``sendalerts``) and acts only when exactly one
row changed, so two workers never deliver the same claim twice; the claim also pushes
``next_attempt_at`` forward by a lease, so a worker that dies after claiming leaves a row
that another worker retries once the lease is over.

Delivery runs on django-tasks (docs/notifications.md): ``notify`` enqueues one
``tasks.deliver_notification`` per row when its transaction commits, a failed attempt
re-enqueues it for when the backoff ends, and ``sweep`` re-enqueues every due row whose task
was lost. Tasks only prompt: whatever runs an attempt goes through ``deliver_one`` and its
claim, so a duplicate, late or lost task can neither send twice nor strand a message.
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shouwang.accounts.models import User
from shouwang.notifications.channels import DeliveryError, PermanentDeliveryError, channel_for
from shouwang.notifications.kinds import is_registered
from shouwang.notifications.models import Notification

log = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 6
DEFAULT_BACKOFF_SECONDS = 60
DEFAULT_BACKOFF_CAP_SECONDS = 6 * 60 * 60
DEFAULT_LEASE_SECONDS = 10 * 60


@dataclass(frozen=True)
class Retry:
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    backoff_seconds: int = DEFAULT_BACKOFF_SECONDS
    cap_seconds: int = DEFAULT_BACKOFF_CAP_SECONDS
    lease_seconds: int = DEFAULT_LEASE_SECONDS

    def backoff(self, attempts: int) -> dt.timedelta:
        """Wait after the ``attempts``-th failed attempt: base, 2 x base, 4 x base… capped."""
        seconds = self.backoff_seconds * 2 ** max(attempts - 1, 0)
        return dt.timedelta(seconds=min(seconds, self.cap_seconds))

    @property
    def lease(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.lease_seconds)


def retry_policy() -> Retry:
    return Retry(
        max_attempts=int(getattr(settings, "SHOUWANG_NOTIFY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)),
        backoff_seconds=int(
            getattr(settings, "SHOUWANG_NOTIFY_BACKOFF_SECONDS", DEFAULT_BACKOFF_SECONDS)
        ),
        cap_seconds=int(
            getattr(settings, "SHOUWANG_NOTIFY_BACKOFF_CAP_SECONDS", DEFAULT_BACKOFF_CAP_SECONDS)
        ),
        lease_seconds=int(
            getattr(settings, "SHOUWANG_NOTIFY_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)
        ),
    )


def email_enabled() -> bool:
    return bool(getattr(settings, "SHOUWANG_NOTIFY_EMAIL", True))


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    payload: dict[str, Any],
    now: dt.datetime | None = None,
) -> list[Notification]:
    """Queue ``kind`` for each recipient: in-app always, e-mail when she has an address.

    Must run inside the transaction of the change it reports.
    """
    if not is_registered(kind):
        msg = f"unknown notification kind {kind!r}: register it with notifications.kinds"
        raise ValueError(msg)
    if not transaction.get_connection().in_atomic_block:
        msg = "notify must run inside the transaction of the change it reports"
        raise RuntimeError(msg)
    now = now or timezone.now()
    rows: list[Notification] = []
    for user in {u.pk: u for u in recipients}.values():
        channels = [Notification.Channel.IN_APP]
        if email_enabled() and user.email:
            channels.append(Notification.Channel.EMAIL)
        rows.extend(
            Notification(
                recipient=user,
                channel=channel,
                kind=kind,
                payload=payload,
                created_at=now,
                next_attempt_at=now,
            )
            for channel in channels
        )
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created if row.pk is not None]  # None: the sweep finds it
    if ids:
        transaction.on_commit(partial(enqueue_deliveries, ids), robust=True)
    return created


def enqueue_deliveries(ids: Iterable[int], run_after: dt.datetime | None = None) -> int:
    """Enqueue one delivery task per outbox row (at ``run_after`` when the backend can
    defer; otherwise at once, and the sweep retries the row when it is due). Never raises:
    a task that could not be enqueued is made good by the sweep. Returns how many were."""
    from shouwang.notifications.tasks import deliver_notification  # noqa: PLC0415

    task = deliver_notification
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return 0  # an immediate attempt would only find the row not yet due
        task = task.using(run_after=run_after)
    count = 0
    for pk in ids:
        try:
            task.enqueue(pk)
        except Exception:  # the queue is down: the sweep re-enqueues the row later
            log.exception("could not enqueue the delivery of notification %s", pk)
        else:
            count += 1
    return count


def _claim(row: Notification, now: dt.datetime, policy: Retry) -> bool:
    """Take ``row`` for one attempt. True only for the one worker whose UPDATE changed it."""
    changed = Notification.objects.filter(
        pk=row.pk,
        state=Notification.State.PENDING,
        attempts=row.attempts,
        next_attempt_at__lte=now,
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + policy.lease)
    return changed == 1


def deliver_one(row: Notification, now: dt.datetime, policy: Retry | None = None) -> str | None:
    """One attempt at ``row``: the outcome (``sent``, ``retry``, ``failed``), or None when
    another worker claimed it first."""
    policy = policy or retry_policy()
    if not _claim(row, now, policy):
        return None
    row.refresh_from_db()
    try:
        channel_for(row.channel).send(row)
    except PermanentDeliveryError as exc:
        _fail(row, str(exc))
        return "failed"
    except DeliveryError as exc:
        if row.attempts >= policy.max_attempts:
            _fail(row, str(exc))
            return "failed"
        retry_at = now + policy.backoff(row.attempts)
        Notification.objects.filter(pk=row.pk).update(
            next_attempt_at=retry_at, last_error=str(exc)[:2000]
        )
        transaction.on_commit(partial(enqueue_deliveries, [row.pk], retry_at), robust=True)
        return "retry"
    Notification.objects.filter(pk=row.pk).update(
        state=Notification.State.SENT, sent_at=now, next_attempt_at=None
    )
    return "sent"


def _fail(row: Notification, error: str) -> None:
    log.warning("notification %s to user %s failed: %s", row.pk, row.recipient_id, error)
    Notification.objects.filter(pk=row.pk).update(
        state=Notification.State.FAILED, next_attempt_at=None, last_error=error[:2000]
    )


def deliver_due(
    now: dt.datetime | None = None,
    *,
    limit: int = 500,
    after_scan: Callable[[], None] | None = None,
) -> dict[str, int]:
    """The worker's delivery pass: every pending row whose attempt is due.

    ``after_scan`` is a test hook run between reading the due rows and claiming them (where
    a second worker could slip in).
    """
    now = now or timezone.now()
    policy = retry_policy()
    due = list(
        Notification.objects.filter(
            state=Notification.State.PENDING, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "pk")[:limit]
    )
    if after_scan:
        after_scan()
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    for row in due:
        outcome = deliver_one(row, now, policy)
        counts[outcome or "skipped"] += 1
    return counts


def deliver_by_id(notification_id: int, now: dt.datetime | None = None) -> str | None:
    """The delivery task's body: one attempt at the row if it is still pending (and due,
    and unclaimed: ``deliver_one`` checks). None when there was nothing to do."""
    row = Notification.objects.filter(pk=notification_id, state=Notification.State.PENDING).first()
    if row is None:
        return None
    return deliver_one(row, now or timezone.now())


def sweep(now: dt.datetime | None = None, *, limit: int = 500) -> dict[str, int]:
    """The worker's safety net: enqueue a delivery task for every pending row that is due
    (new, waiting for a retry whose task was lost, or leased by a worker that died). A row
    that still has its task gets a second one, which finds it sent and does nothing."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(state=Notification.State.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return {"enqueued": enqueue_deliveries(ids)}


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's in-app notifications read (all of them when no ids are given)."""
    qs = Notification.objects.filter(
        recipient=user, channel=Notification.Channel.IN_APP, read_at__isnull=True
    )
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
