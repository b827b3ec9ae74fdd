"""Logging a parent's contact: from the profile, by whom, and what is refused."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from shouwang.audit.models import AuditEvent
from shouwang.cases.models import ContactLog
from shouwang.cases.selectors import last_contacts
from shouwang.testing.world import World


def _post(client: Client, world: World, **overrides: object) -> object:
    father = world.hongmei.relations.get(relation="father").person
    data = {
        "parent": father.pk,
        "contacted_on": "2026-11-20",
        "channel": "video",
        "with_child": "on",
        "with_caregiver": "on",
        "source": "child_director",
    }
    data.update({k: v for k, v in overrides.items() if v is not None})
    for key in [k for k, v in overrides.items() if v is None]:
        data.pop(key)
    return client.post(reverse("cases:contact_create", args=[world.hongmei.public_id]), data)


def test_the_child_director_logs_a_contact_from_the_profile(world: World, client: Client) -> None:
    client.force_login(world.alice)
    response = _post(client, world)
    assert response.status_code == 200
    assert "2026-11-20" in response.content.decode()
    log = ContactLog.objects.get()
    assert (log.recorded_by, log.channel) == (world.alice, "video")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CONTACT_LOGGED).count() == 1
    father = log.parent
    assert last_contacts(child=world.hongmei)[father.pk] == (dt.date(2026, 11, 20),) * 2


def test_the_profile_offers_the_form_to_those_who_may_log(world: World, client: Client) -> None:
    url = reverse("registry:child_detail", args=[world.hongmei.public_id])
    client.force_login(world.alice)
    assert (
        reverse("cases:contact_create", args=[world.hongmei.public_id])
        in client.get(url).content.decode()
    )
    client.force_login(world.carl)  # county officer: reads, does not log
    assert (
        reverse("cases:contact_create", args=[world.hongmei.public_id])
        not in client.get(url).content.decode()
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"contacted_on": "2099-01-01"}, "contacted_on"),
        ({"with_child": None, "with_caregiver": None}, "with_child"),
        ({"channel": "pigeon"}, "channel"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(
    world: World, client: Client, overrides: dict[str, object], field: str
) -> None:
    client.force_login(world.alice)
    response = _post(client, world, **overrides)
    assert response.context["contact_form"].errors[field]
    assert not ContactLog.objects.exists()


def test_a_person_who_is_not_a_parent_is_refused(world: World, client: Client) -> None:
    granny = world.hongmei.relations.get(relation="paternal_grandmother").person
    client.force_login(world.alice)
    response = _post(client, world, parent=granny.pk)
    assert response.context["contact_form"].errors["parent"]
    assert not ContactLog.objects.exists()


def test_a_parent_of_another_child_is_refused(world: World, client: Client) -> None:
    other_father = world.xiaoming.relations.get(relation="father").person
    client.force_login(world.sam)
    response = _post(client, world, parent=other_father.pk)
    assert response.context["contact_form"].errors["parent"]
    assert not ContactLog.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("amy", 404), ("bob", 404), ("carl", 403)])
def test_users_who_may_not_log_for_this_child_are_refused(
    world: World, client: Client, persona: str, status: int
) -> None:
    client.force_login(getattr(world, persona))
    assert _post(client, world).status_code == status
    assert not ContactLog.objects.exists()


def test_a_school_liaison_logs_for_her_pupil(world: World, client: Client) -> None:
    father = world.xiaoming.relations.get(relation="father").person
    client.force_login(world.tina)
    response = client.post(
        reverse("cases:contact_create", args=[world.xiaoming.public_id]),
        {
            "parent": father.pk,
            "contacted_on": "2026-11-25",
            "channel": "phone",
            "with_child": "on",
            "source": "school",
        },
    )
    assert response.status_code == 200
    assert ContactLog.objects.get().source == "school"


def test_get_is_not_allowed_but_reveals_nothing_to_outsiders(world: World, client: Client) -> None:
    url = reverse("cases:contact_create", args=[world.hongmei.public_id])
    client.force_login(world.alice)
    assert client.get(url).status_code == 405
    client.force_login(world.bob)
    assert client.get(url).status_code == 404
