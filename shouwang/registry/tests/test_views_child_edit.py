"""Editing a child: corrections are saved and audited; history of care and absence is kept."""

from django.test import Client
from django.urls import reverse

from shouwang.audit.models import AuditEvent
from shouwang.registry.models import CareArrangement, ParentAbsence
from shouwang.registry.services import child_register
from shouwang.testing.payloads import registration, registration_post
from shouwang.testing.world import World


def _registered(world: World):
    return child_register(
        actor=world.alice, village=world.village_a1, registration=registration()
    ).child


def test_the_edit_form_starts_from_the_record(world: World, client: Client) -> None:
    child = _registered(world)
    client.force_login(world.alice)
    bundle = client.get(reverse("registry:child_edit", args=[child.public_id])).context["bundle"]
    assert bundle.child.initial["name"] == "刘小雨"
    assert bundle.father.initial["work_place"] == "广东省东莞市"
    assert bundle.caregiver.initial["relation"] == "paternal_grandmother"
    assert bundle.caregiver.initial["name"] == "刘奶奶"


def test_a_parent_moving_job_closes_the_old_period_away(world: World, client: Client) -> None:
    child = _registered(world)
    client.force_login(world.alice)
    response = client.post(
        reverse("registry:child_edit", args=[child.public_id]),
        registration_post(
            world.village_a1,
            **{"father-work_place": "江苏省苏州市", "father-away_since": "2024-03-01"},
        ),
    )
    assert response.status_code == 302
    father = child.relations.get(relation="father").person
    periods = list(ParentAbsence.objects.filter(person=father).order_by("since"))
    assert [(p.work_place, p.ended_on is None) for p in periods] == [
        ("广东省东莞市", False),
        ("江苏省苏州市", True),
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHILD_UPDATED)
    assert "father.absence" in event.extra["changed"]


def test_a_mother_returning_to_care_starts_a_new_arrangement(world: World, client: Client) -> None:
    child = _registered(world)
    client.force_login(world.alice)
    client.post(
        reverse("registry:child_edit", args=[child.public_id]),
        registration_post(
            world.village_a1,
            **{
                "mother-situation": "at_home",
                "mother-work_place": "",
                "mother-away_since": "",
                "caregiver-relation": "mother",
            },
        ),
    )
    arrangements = list(CareArrangement.objects.filter(child=child).order_by("pk"))
    assert [a.category for a in arrangements] == ["grandparents", "parent"]
    assert arrangements[0].ended_on is not None
    assert arrangements[1].caregiver == child.relations.get(relation="mother").person


def test_a_bad_edit_changes_nothing(world: World, client: Client) -> None:
    child = _registered(world)
    client.force_login(world.alice)
    response = client.post(
        reverse("registry:child_edit", args=[child.public_id]),
        registration_post(
            world.village_a1, **{"child-name": "刘大雨", "child-birth_date": "2099-01-01"}
        ),
    )
    assert response.status_code == 200
    child.refresh_from_db()
    assert child.name == "刘小雨"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHILD_UPDATED).exists()


def test_the_village_cannot_be_changed_through_the_edit_form(world: World, client: Client) -> None:
    child = _registered(world)
    client.force_login(world.sam)
    client.post(
        reverse("registry:child_edit", args=[child.public_id]),
        registration_post(world.village_a2),
    )
    child.refresh_from_db()
    assert child.village == world.village_a1


def test_the_county_officer_may_not_edit(world: World, client: Client) -> None:
    client.force_login(world.carl)
    url = reverse("registry:child_edit", args=[world.hongmei.public_id])
    assert client.get(url).status_code == 403
    assert client.post(url, registration_post(world.village_a1)).status_code == 403


def test_a_child_director_of_another_village_gets_not_found(world: World, client: Client) -> None:
    client.force_login(world.amy)
    url = reverse("registry:child_edit", args=[world.hongmei.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, registration_post(world.village_a1)).status_code == 404
