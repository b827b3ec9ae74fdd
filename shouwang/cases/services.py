"""Writes to follow-up records."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import require
from shouwang.accounts.models import User
from shouwang.audit.models import AuditEvent
from shouwang.audit.services import audit_record
from shouwang.cases.models import ContactLog
from shouwang.core.errors import ValidationFailed
from shouwang.registry.models import Child, ChildRelation, Person
from shouwang.rules.services import child_classify


@transaction.atomic
def contact_log_record(
    *,
    actor: User,
    child: Child,
    parent: Person,
    contacted_on: dt.date,
    channel: str,
    with_child: bool,
    with_caregiver: bool,
    source: str,
    note: str = "",
) -> ContactLog:
    """Log that a parent was in touch with the child and/or the caregiver."""
    require(actor, Cap.LOG_CONTACT, child)
    errors: dict[str, list[str]] = {}
    if not ChildRelation.objects.filter(
        child=child, person=parent, relation__in=ChildRelation.PARENTS
    ).exists():
        errors["parent"] = [_("Please choose one of the child's parents.")]
    if contacted_on > timezone.localdate():
        errors["contacted_on"] = [_("This date cannot be in the future.")]
    if not (with_child or with_caregiver):
        errors["with_child"] = [
            _("Say whom the parent talked with: the child, the caregiver or both.")
        ]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)
    log = ContactLog.objects.create(
        child=child,
        parent=parent,
        contacted_on=contacted_on,
        channel=channel,
        with_child=with_child,
        with_caregiver=with_caregiver,
        source=source,
        note=note.strip(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CONTACT_LOGGED,
        target=child,
        area=child.village,
        extra={"contact": str(log.public_id), "on": contacted_on.isoformat()},
    )
    child_classify(actor=actor, child=child)  # the weekly-contact rule reads the log
    return log
