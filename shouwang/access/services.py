"""Writes to role assignments: the only way power is granted, changed or taken away.

Called by the admin (configuration pages) and by commands; each change is validated
against the role's specification and audited.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from shouwang.access.roles import ROLE_SPECS
from shouwang.accounts.models import Organisation, RoleAssignment, User
from shouwang.audit.models import AuditEvent
from shouwang.audit.services import SystemActor, audit_record
from shouwang.core.errors import ValidationFailed
from shouwang.geo.models import AreaLevel


def check_assignment(assignment: RoleAssignment) -> dict[str, list[str]]:
    """Field errors for an assignment that does not fit its role's specification."""
    spec = ROLE_SPECS[assignment.role]
    errors: dict[str, list[str]] = {}
    if spec.area_level and assignment.area.level.slug != spec.area_level:
        level = AreaLevel.objects.filter(slug=spec.area_level).first()
        errors["area"] = [
            _("This role is assigned at the level: %(level)s.")
            % {"level": str(level) if level else spec.area_level}
        ]
    org = assignment.organisation
    if spec.route == "school" and (org is None or org.org_type != Organisation.Type.SCHOOL):
        errors["organisation"] = [_("A school liaison must be assigned to a school.")]
    if (
        org is not None
        and not org.area.is_within(assignment.area)
        and not assignment.area.is_within(org.area)
    ):
        errors.setdefault("organisation", []).append(
            _("The organisation is not in the assigned area.")
        )
    return errors


@transaction.atomic
def role_assignment_save(
    *, actor: User | SystemActor, assignment: RoleAssignment
) -> RoleAssignment:
    errors = check_assignment(assignment)
    if errors:
        raise ValidationFailed(_("This role assignment is not valid."), errors)
    created = assignment.pk is None
    assignment.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.ROLE_GRANTED if created else AuditEvent.Action.ROLE_CHANGED,
        target=assignment,
        area=assignment.area,
        extra={
            "user": assignment.user.get_username(),
            "role": assignment.role,
            "organisation": str(assignment.organisation.public_id)
            if assignment.organisation
            else None,
            "active": assignment.active,
        },
    )
    return assignment


@transaction.atomic
def role_assignment_delete(*, actor: User | SystemActor, assignment: RoleAssignment) -> None:
    audit_record(
        actor=actor,
        action=AuditEvent.Action.ROLE_REVOKED,
        target=assignment,
        area=assignment.area,
        extra={"user": assignment.user.get_username(), "role": assignment.role},
    )
    assignment.delete()
