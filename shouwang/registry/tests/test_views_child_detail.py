"""The child profile: who may open it, and what an outsider learns (nothing)."""

import pytest
from django.test import Client
from django.urls import reverse

from shouwang.audit.models import AuditEvent
from shouwang.testing.world import World


def _url(world: World, name: str = "hongmei") -> str:
    return reverse("registry:child_detail", args=[getattr(world, name).public_id])


def test_she_opens_a_child_of_her_village_and_the_read_is_audited(
    world: World, client: Client
) -> None:
    client.force_login(world.alice)
    response = client.get(_url(world))
    body = response.content.decode()
    assert response.status_code == 200
    assert "张红梅" in body
    assert "广东省东莞市" in body  # parent's work place
    assert "李奶奶" in body  # the caregiver
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHILD_VIEWED)
    assert (event.actor, event.target_id) == (world.alice, str(world.hongmei.public_id))


@pytest.mark.parametrize("persona", ["amy", "bob", "tina"])
def test_users_outside_the_child_scope_get_not_found(
    world: World, client: Client, persona: str
) -> None:
    client.force_login(getattr(world, persona))
    response = client.get(_url(world))
    assert response.status_code == 404
    assert "张红梅" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHILD_VIEWED).exists()


@pytest.mark.parametrize(
    "public_id", ["00000000-0000-4000-8000-000000000000", "1", "..%2f..%2fadmin"]
)
def test_made_up_ids_get_the_same_not_found(world: World, client: Client, public_id: str) -> None:
    client.force_login(world.alice)
    assert client.get(f"/children/{public_id}/").status_code == 404


def test_the_county_officer_sees_it_without_an_edit_button(world: World, client: Client) -> None:
    client.force_login(world.carl)
    body = client.get(_url(world)).content.decode()
    assert "张红梅" in body
    assert reverse("registry:child_edit", args=[world.hongmei.public_id]) not in body


def test_the_child_director_gets_an_edit_button(world: World, client: Client) -> None:
    client.force_login(world.alice)
    body = client.get(_url(world)).content.decode()
    assert reverse("registry:child_edit", args=[world.hongmei.public_id]) in body


def test_the_profile_runs_a_fixed_number_of_queries(
    world: World, client: Client, django_assert_max_num_queries: object
) -> None:
    client.force_login(world.alice)
    # One query per panel (rules, case, plan, visits, assessments, reports, allowance,
    # contacts, referrals, services, needs, activities, timeline) plus the child and her
    # family: constant whatever her history.
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        client.get(_url(world))
