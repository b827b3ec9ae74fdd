"""Registering a child from the web page: success, field errors that save nothing, denials."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from shouwang.audit.models import AuditEvent
from shouwang.registry.models import Child, Person
from shouwang.testing.payloads import CHILD_ID, registration_post
from shouwang.testing.world import World

URL = reverse("registry:child_register")


def _post(client: Client, data: dict[str, Any]) -> Any:
    return client.post(URL, data)


def test_a_child_director_registers_a_child_in_her_village(world: World, client: Client) -> None:
    client.force_login(world.alice)
    response = _post(client, registration_post(world.village_a1))
    child = Child.objects.get(name="刘小雨")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:child_detail", args=[child.public_id])
    assert child.village == world.village_a1
    assert child.relations.count() == 3
    profile = client.get(response["Location"]).content.decode()
    assert "刘小雨" in profile
    assert "广东省东莞市" in profile
    assert "刘奶奶" in profile


def test_the_form_offers_only_villages_in_her_area(world: World, client: Client) -> None:
    client.force_login(world.alice)
    villages = list(client.get(URL).context["bundle"].child.fields["village"].queryset)
    assert villages == [world.village_a1]


def test_a_village_outside_her_area_is_refused_and_nothing_is_saved(
    world: World, client: Client
) -> None:
    client.force_login(world.alice)
    before = Child.objects.count()
    response = _post(client, registration_post(world.village_b1))
    assert response.status_code == 200
    assert response.context["bundle"].child.errors["village"]
    assert Child.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "section", "field"),
    [
        (
            {"child-id_number": CHILD_ID[:-1] + ("0" if CHILD_ID[-1] != "0" else "1")},
            "child",
            "id_number",
        ),
        ({"child-birth_date": "2099-01-01", "child-id_number": ""}, "child", "birth_date"),
        ({"child-name": ""}, "child", "name"),
        ({"child-sex": ""}, "child", "sex"),
        ({"father-work_place": ""}, "father", "work_place"),
        ({"mother-away_since": "2099-01-01"}, "mother", "away_since"),
        ({"caregiver-relation": "mother"}, "caregiver", "relation"),
        ({"caregiver-name": ""}, "caregiver", "name"),
        ({"child-birth_date": "not a date"}, "child", "birth_date"),
    ],
)
def test_bad_input_is_shown_at_the_field_and_changes_nothing(
    world: World, client: Client, overrides: dict[str, str], section: str, field: str
) -> None:
    client.force_login(world.alice)
    counts = (Child.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    response = _post(client, registration_post(world.village_a1, **overrides))
    assert response.status_code == 200
    form = getattr(response.context["bundle"], section)
    assert form.errors.get(field), form.errors
    assert (Child.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == counts
    # what she typed is still there
    assert 'value="刘建军"' in response.content.decode()


def test_the_same_id_number_twice_in_the_county_is_refused(world: World, client: Client) -> None:
    client.force_login(world.sam)
    _post(client, registration_post(world.village_a1))
    response = _post(client, registration_post(world.village_a2, **{"child-name": "刘小雪"}))
    assert response.status_code == 200
    assert response.context["bundle"].child.errors["id_number"]
    assert not Child.objects.filter(name="刘小雪").exists()


def test_errors_are_translated(world: World, client: Client) -> None:
    client.force_login(world.alice)
    response = _post(
        client,
        registration_post(
            world.village_a1, **{"child-birth_date": "2099-01-01", "child-id_number": ""}
        ),
    )
    assert "出生日期不能晚于今天" in response.content.decode()


def test_an_unknown_region_code_saves_with_a_warning(world: World, client: Client) -> None:
    from shouwang.lib.idcard import make_id_number  # noqa: PLC0415
    from shouwang.testing.payloads import BIRTH  # noqa: PLC0415

    client.force_login(world.alice)
    number = make_id_number("419999", BIRTH, 122)
    response = _post(client, registration_post(world.village_a1, **{"child-id_number": number}))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "419999" in page  # the warning message, shown once after saving


@pytest.mark.parametrize("persona", ["carl", "tina", "pat", "nora"])
def test_roles_without_registration_are_refused(world: World, client: Client, persona: str) -> None:
    client.force_login(getattr(world, persona))
    assert client.get(URL).status_code == 403
    assert _post(client, registration_post(world.village_a1)).status_code == 403
    assert not Child.objects.filter(name="刘小雨").exists()


def test_a_likely_duplicate_is_shown_before_saving_and_can_be_overridden(
    world: World, client: Client
) -> None:
    client.force_login(world.sam)
    assert _post(client, registration_post(world.village_a1)).status_code == 302
    # The same child again from the other village, without her ID number (a typical double
    # registration by two villages).
    again = registration_post(world.village_a2, **{"child-id_number": ""})
    response = _post(client, again)
    assert response.status_code == 200
    candidates = response.context["duplicate_candidates"]
    assert [c.child.name for c in candidates] == ["刘小雨"]
    assert Child.objects.filter(name="刘小雨").count() == 1
    response = _post(client, again | {"register_anyway": "1"})
    assert response.status_code == 302
    assert Child.objects.filter(name="刘小雨").count() == 2


def test_an_invalid_registration_gets_its_errors_not_a_duplicate_warning(
    world: World, client: Client
) -> None:
    client.force_login(world.sam)
    _post(client, registration_post(world.village_a1))
    response = _post(client, registration_post(world.village_a2))  # same ID number
    assert "duplicate_candidates" not in response.context
    assert response.context["bundle"].child.errors["id_number"]
