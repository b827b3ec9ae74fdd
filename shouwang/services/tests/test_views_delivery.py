"""Recording a service and raising a need from the child's profile; the Services panel."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from shouwang.audit.models import AuditEvent
from shouwang.cases.models import PlanAction
from shouwang.services.models import ServiceDelivery, ServiceNeed
from shouwang.services.tests.helpers import plan_action, stype
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False)


def _data(**kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "service_type": stype("study_support").pk,
        "delivered_on": "2026-11-19",
        "duration_minutes": "90",
        "notes": "数学",
    }
    data.update(kw)
    return data


def _url(world: World, name: str = "services:delivery_new") -> str:
    return reverse(name, args=[world.hongmei.public_id])


def test_the_profile_shows_the_services_panel_with_its_links(world: World, client: Client) -> None:
    client.force_login(world.alice)
    body = client.get(reverse("registry:child_detail", args=[world.hongmei.public_id]))
    html = body.content.decode()
    assert 'id="services"' in html
    assert _url(world) in html
    assert _url(world, "services:need_new") in html


def test_the_county_sees_the_panel_without_the_links(world: World, client: Client) -> None:
    client.force_login(world.carl)
    html = client.get(
        reverse("registry:child_detail", args=[world.hongmei.public_id])
    ).content.decode()
    assert 'id="services"' in html
    assert _url(world) not in html
    assert _url(world, "services:need_new") not in html


def test_a_director_records_a_service_and_it_shows_on_the_profile(
    world: World, client: Client
) -> None:
    client.force_login(world.alice)
    response = client.post(_url(world), _data(organisation=world.school.pk))
    assert response.status_code == 302
    assert response["Location"].endswith("#services")
    delivery = ServiceDelivery.objects.get()
    assert (delivery.child, delivery.organisation, delivery.duration_minutes) == (
        world.hongmei,
        world.school,
        90,
    )
    html = client.get(response["Location"]).content.decode()
    assert "学业辅导" in html
    assert "2026-11-19" in html


def test_a_delivery_against_a_plan_action_can_mark_the_action_done(
    world: World, client: Client
) -> None:
    action = plan_action(world, world.hongmei, owner=world.school, due_on=TODAY)
    client.force_login(world.alice)
    page = client.get(_url(world)).content.decode()
    assert "每周学业辅导" in page
    response = client.post(_url(world), _data(plan_action=action.pk, mark_action_done="on"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.done_on) == (PlanAction.Status.DONE, TODAY)
    assert ServiceDelivery.objects.get().plan_action == action
    assert AuditEvent.objects.get(action="plan_action.done").extra == {"action": action.pk}
    assert AuditEvent.objects.filter(action="service.delivered").count() == 1


def test_without_marking_it_done_the_action_stays_open(world: World, client: Client) -> None:
    action = plan_action(world, world.hongmei, owner=world.school, due_on=TODAY)
    client.force_login(world.alice)
    client.post(_url(world), _data(plan_action=action.pk))
    action.refresh_from_db()
    assert action.status == PlanAction.Status.OPEN


def test_a_school_liaison_records_for_her_pupil_but_cannot_close_plan_actions(
    world: World, client: Client
) -> None:
    action = plan_action(world, world.xiaoming, owner=world.school, due_on=TODAY)
    client.force_login(world.tina)
    url = reverse("services:delivery_new", args=[world.xiaoming.public_id])
    assert "mark_action_done" not in client.get(url).content.decode()
    response = client.post(url, _data(plan_action=action.pk, mark_action_done="on"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == PlanAction.Status.OPEN
    assert ServiceDelivery.objects.get().child == world.xiaoming


@pytest.mark.usefixtures("english_pages")
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"delivered_on": "2026-11-21"}, "This date cannot be in the future."),
        ({"duration_minutes": "-5"}, "Enter a duration between 0 and 1,440 minutes."),
        ({"service_type": "legal_aid"}, "Select a valid choice."),
    ],
)
def test_bad_input_shows_a_message_and_saves_nothing(
    world: World, client: Client, change: dict[str, str], message: str
) -> None:
    inactive = stype("legal_aid")
    inactive.active = False
    inactive.save(update_fields=["active"])
    if change.get("service_type") == "legal_aid":
        change = {"service_type": str(inactive.pk)}
    client.force_login(world.alice)
    response = client.post(_url(world), _data(**change))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ServiceDelivery.objects.exists()
    assert not AuditEvent.objects.filter(action="service.delivered").exists()


def test_a_director_of_another_village_gets_not_found(world: World, client: Client) -> None:
    client.force_login(world.amy)
    assert client.get(_url(world)).status_code == 404
    assert client.post(_url(world), _data()).status_code == 404
    assert client.post(_url(world, "services:need_new"), {}).status_code == 404
    assert not ServiceDelivery.objects.exists()


def test_the_county_may_look_but_not_record(world: World, client: Client) -> None:
    client.force_login(world.carl)
    assert client.post(_url(world), _data()).status_code == 403
    assert client.get(_url(world, "services:need_new")).status_code == 403
    assert not ServiceDelivery.objects.exists()


@pytest.mark.parametrize("persona", ["pat", "rita", "nora", "adam"])
def test_roles_without_a_child_route_are_refused(
    world: World, client: Client, persona: str
) -> None:
    client.force_login(getattr(world, persona))
    assert client.post(_url(world), _data()).status_code == 403
    assert client.post(_url(world, "services:need_new"), {}).status_code == 403
    assert not ServiceDelivery.objects.exists()


def test_a_director_raises_a_need_and_it_shows_as_open(world: World, client: Client) -> None:
    client.force_login(world.alice)
    url = _url(world, "services:need_new")
    data = {"service_type": stype("psych_counselling").pk, "hours_per_month": "4", "note": "夜里哭"}
    response = client.post(url, data)
    assert response.status_code == 302
    need = ServiceNeed.objects.get()
    assert (need.child, need.hours_per_month, need.status) == (world.hongmei, 4, "open")
    client.post(url, data)  # the same need again: still one
    assert ServiceNeed.objects.count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "心理辅导" in html
    assert "夜里哭" in html


@pytest.mark.usefixtures("english_pages")
def test_a_need_with_too_many_hours_is_refused(world: World, client: Client) -> None:
    client.force_login(world.alice)
    response = client.post(
        _url(world, "services:need_new"),
        {"service_type": stype("psych_counselling").pk, "hours_per_month": "99"},
    )
    assert "Enter between 1 and 60 hours a month." in response.content.decode()
    assert not ServiceNeed.objects.exists()


def test_the_profile_page_query_count_does_not_grow_with_services(
    world: World, client: Client, django_assert_max_num_queries: object
) -> None:
    client.force_login(world.alice)
    url = reverse("registry:child_detail", args=[world.hongmei.public_id])
    client.get(url)
    for day in range(1, 8):
        client.post(_url(world), _data(delivered_on=f"2026-11-{day:02d}"))
    with django_assert_max_num_queries(60):  # type: ignore[operator]
        assert client.get(url).status_code == 200
