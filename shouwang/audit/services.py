"""The only writer of audit events."""

from typing import Any

from django.db import models, transaction

from shouwang.accounts.models import User
from shouwang.audit.models import AuditEvent
from shouwang.audit.vocabulary import is_registered
from shouwang.geo.models import Area


class SystemActor:
    """A named process that acts without a user (the demo generator, a scheduled job)."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __str__(self) -> str:
        return self.label


def _check(action: str) -> None:
    """An action from a registered vocabulary, written inside the change's transaction."""
    if not is_registered(action):
        msg = f"unknown audit action {action!r}: register it with audit.vocabulary"
        raise ValueError(msg)
    if not transaction.get_connection().in_atomic_block:
        msg = "audit events must be written inside the transaction of the change they record"
        raise RuntimeError(msg)


def audit_record(
    *,
    actor: User | SystemActor,
    action: str,
    target: models.Model | None = None,
    area: Area | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    _check(action)
    target_type = target._meta.label_lower if target is not None else ""
    target_id = (
        str(getattr(target, "public_id", None) or getattr(target, "pk", "")) if target else ""
    )
    user = actor if isinstance(actor, User) else None
    label = actor.get_username() if isinstance(actor, User) else str(actor)
    return AuditEvent.objects.create(
        actor=user,
        actor_label=label,
        action=action,
        target_type=target_type,
        target_id=target_id,
        area=area,
        extra=extra or {},
    )


def audit_record_many(
    *,
    actor: User | SystemActor,
    action: str,
    targets: list[tuple[models.Model, Area | None, dict[str, Any]]],
) -> int:
    """One event per (target, area, extra), written in one statement: for bulk work by a
    system process (opening cases after an import), inside the work's transaction."""
    _check(action)
    user = actor if isinstance(actor, User) else None
    label = actor.get_username() if isinstance(actor, User) else str(actor)
    events = [
        AuditEvent(
            actor=user,
            actor_label=label,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(getattr(target, "public_id", None) or target.pk),
            area=area,
            extra=extra,
        )
        for target, area, extra in targets
    ]
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)
