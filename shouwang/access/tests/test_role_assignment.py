"""Granting roles: validated against the role's specification, always audited."""

import pytest

from shouwang.access.capabilities import Cap
from shouwang.access.policies import can
from shouwang.access.services import role_assignment_delete, role_assignment_save
from shouwang.accounts.models import RoleAssignment, User
from shouwang.audit.models import AuditEvent
from shouwang.core.errors import ValidationFailed
from shouwang.testing.factories import UserFactory
from shouwang.testing.world import World

Role = RoleAssignment.Role


def test_granting_a_role_is_audited_and_takes_effect(world: World) -> None:
    user = UserFactory(username="newdirector")
    role_assignment_save(
        actor=world.adam,
        assignment=RoleAssignment(user=user, role=Role.CHILD_DIRECTOR, area=world.village_b1),
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_GRANTED)
    assert event.actor == world.adam
    assert event.extra["user"] == "newdirector"
    assert can(User.objects.get(pk=user.pk), Cap.REGISTER_CHILD)


def test_a_child_director_is_assigned_to_a_village_not_a_town(world: World) -> None:
    with pytest.raises(ValidationFailed) as exc:
        role_assignment_save(
            actor=world.adam,
            assignment=RoleAssignment(user=world.nora, role=Role.CHILD_DIRECTOR, area=world.town_a),
        )
    assert "area" in exc.value.field_errors
    assert not RoleAssignment.objects.filter(user=world.nora).exists()


def test_a_school_liaison_needs_a_school(world: World) -> None:
    with pytest.raises(ValidationFailed) as exc:
        role_assignment_save(
            actor=world.adam,
            assignment=RoleAssignment(
                user=world.nora, role=Role.SCHOOL_LIAISON, area=world.county, organisation=world.ngo
            ),
        )
    assert "organisation" in exc.value.field_errors


def test_revoking_is_audited(world: World) -> None:
    grant = RoleAssignment.objects.get(user=world.alice)
    role_assignment_delete(actor=world.adam, assignment=grant)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_REVOKED).count() == 1
    assert not can(User.objects.get(pk=world.alice.pk), Cap.VIEW_CHILD)


def test_the_admin_form_shows_the_rule_at_the_field(world: World, client: object) -> None:
    client.force_login(world.adam)  # type: ignore[attr-defined]
    response = client.post(  # type: ignore[attr-defined]
        "/admin/accounts/roleassignment/add/",
        {
            "user": world.nora.pk,
            "role": Role.CHILD_DIRECTOR,
            "area": world.town_a.pk,
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["area"]
    assert not RoleAssignment.objects.filter(user=world.nora).exists()


def test_the_admin_saves_through_the_service(world: World, client: object) -> None:
    client.force_login(world.adam)  # type: ignore[attr-defined]
    response = client.post(  # type: ignore[attr-defined]
        "/admin/accounts/roleassignment/add/",
        {
            "user": world.nora.pk,
            "role": Role.CHILD_DIRECTOR,
            "area": world.village_a1.pk,
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ROLE_GRANTED, actor=world.adam
    ).exists()
