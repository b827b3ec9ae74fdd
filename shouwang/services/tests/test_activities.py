"""Group activities and tap attendance: services, the attendance page (with and without
htmx), scoping and bad input."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouwang.audit.models import AuditEvent
from shouwang.core.errors import NotFound, PermissionDenied, ValidationFailed
from shouwang.services import selectors, services
from shouwang.services.models import Activity, Attendance
from shouwang.services.tests.helpers import stype
from shouwang.testing.factories import ChildFactory
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _today(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False)


def _activity(world: World, **kw: object) -> Activity:
    args: dict[str, object] = {
        "actor": world.alice,
        "title": "周末读书会",
        "service_type": stype("childrens_home_activity"),
        "held_on": TODAY,
        "place": "东王村儿童之家",
        "area": world.village_a1,
        "organiser": world.ngo,
        "duration_minutes": 120,
    }
    args.update(kw)
    return services.activity_create(**args)  # type: ignore[arg-type]


# --- services -----------------------------------------------------------------------------


def test_a_director_creates_an_activity_in_her_village_and_it_is_audited(
    world: World,
) -> None:
    activity = _activity(world)
    assert (activity.area, activity.organiser, activity.recorded_by) == (
        world.village_a1,
        world.ngo,
        world.alice,
    )
    event = AuditEvent.objects.get(action="activity.created")
    assert (event.area, event.target_id) == (world.village_a1, str(activity.public_id))


@pytest.mark.parametrize("area", ["village_a2", "town_a", "village_b1"])
def test_she_cannot_create_one_outside_her_village(world: World, area: str) -> None:
    with pytest.raises(NotFound):
        _activity(world, area=getattr(world, area))
    assert not Activity.objects.exists()


@pytest.mark.parametrize("persona", ["carl", "tina", "pat", "rita", "nora"])
def test_roles_without_the_capability_cannot_create_one(world: World, persona: str) -> None:
    with pytest.raises((PermissionDenied, NotFound)):
        _activity(world, actor=getattr(world, persona))
    assert not Activity.objects.exists()


@pytest.mark.usefixtures("english_messages")
def test_a_future_date_a_bad_duration_and_an_inactive_type_are_refused(world: World) -> None:
    inactive = stype("legal_aid")
    inactive.active = False
    inactive.save(update_fields=["active"])
    with pytest.raises(ValidationFailed) as exc:
        _activity(
            world,
            held_on=TODAY + dt.timedelta(days=1),
            duration_minutes=-10,
            service_type=inactive,
            place=" ",
        )
    assert exc.value.field_errors == {
        "place": ["Enter where the activity takes place."],
        "held_on": ["This date cannot be in the future."],
        "duration_minutes": ["Enter a duration between 1 and 1,440 minutes."],
        "service_type": ["This service is no longer offered."],
    }
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.filter(action="activity.created").exists()


def test_marking_twice_keeps_one_attendance_and_one_audit_event(world: World) -> None:
    activity = _activity(world)
    assert services.attendance_mark(actor=world.alice, activity=activity, child=world.hongmei)
    assert not services.attendance_mark(actor=world.alice, activity=activity, child=world.hongmei)
    assert Attendance.objects.filter(activity=activity).count() == 1
    assert AuditEvent.objects.filter(action="attendance.marked").count() == 1
    assert services.attendance_unmark(actor=world.alice, activity=activity, child=world.hongmei)
    assert not services.attendance_unmark(actor=world.alice, activity=activity, child=world.hongmei)
    assert not Attendance.objects.exists()
    assert AuditEvent.objects.filter(action="attendance.unmarked").count() == 1


def test_a_child_out_of_the_directors_reach_cannot_be_marked(world: World) -> None:
    activity = _activity(world)
    with pytest.raises(NotFound):
        services.attendance_mark(actor=world.alice, activity=activity, child=world.xiaoming)
    with pytest.raises(NotFound):
        services.attendance_mark(actor=world.bob, activity=activity, child=world.hongmei)
    assert not Attendance.objects.exists()


@pytest.mark.usefixtures("english_messages")
def test_a_child_from_outside_the_activitys_area_cannot_be_marked(world: World) -> None:
    activity = _activity(world, actor=world.sam)  # in village A1
    with pytest.raises(ValidationFailed, match="does not live in the activity's area"):
        services.attendance_mark(actor=world.sam, activity=activity, child=world.xiaoming)
    assert not Attendance.objects.exists()


# --- pages --------------------------------------------------------------------------------


def _form(world: World, **kw: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "安全教育课",
        "service_type": stype("safety_education").pk,
        "held_on": "2026-11-20",
        "place": "村委会",
        "area": world.village_a1.pk,
        "organiser": world.school.pk,
        "duration_minutes": "45",
    }
    data.update(kw)
    return data


def test_the_create_page_saves_and_opens_the_attendance_page(world: World, client: Client) -> None:
    client.force_login(world.alice)
    assert client.get(reverse("services:activity_new")).status_code == 200
    response = client.post(reverse("services:activity_new"), _form(world))
    activity = Activity.objects.get()
    assert response["Location"] == reverse("services:attendance", args=[activity.public_id])


@pytest.mark.usefixtures("english_pages")
def test_the_create_page_refuses_a_future_date_and_saves_nothing(
    world: World, client: Client
) -> None:
    client.force_login(world.alice)
    response = client.post(reverse("services:activity_new"), _form(world, held_on="2026-12-01"))
    assert response.status_code == 200
    assert "This date cannot be in the future." in response.content.decode()
    assert not Activity.objects.exists()


def test_the_attendance_page_lists_the_areas_children_in_reach(
    world: World, client: Client
) -> None:
    village = _activity(world)
    town = _activity(world, actor=world.sam, area=world.town_a)
    client.force_login(world.alice)
    html = client.get(reverse("services:attendance", args=[village.public_id])).content.decode()
    assert "张红梅" in html
    assert "李小明" not in html
    client.force_login(world.sam)
    html = client.get(reverse("services:attendance", args=[town.public_id])).content.decode()
    assert "张红梅" in html
    assert "李小明" in html
    assert "王强" not in html


def test_search_by_pinyin_initials_narrows_the_list(world: World, client: Client) -> None:
    town = _activity(world, actor=world.sam, area=world.town_a)
    client.force_login(world.sam)
    url = reverse("services:attendance", args=[town.public_id])
    html = client.get(url, {"q": "zhm"}).content.decode()
    assert "张红梅" in html
    assert "李小明" not in html
    partial = client.get(url, {"q": "lxm", "partial": "list"}, **HTMX).content.decode()
    assert partial.startswith('<ul id="roster"')
    assert "李小明" in partial
    assert "张红梅" not in partial


def test_a_tap_with_htmx_marks_and_returns_the_row_and_the_count(
    world: World, client: Client
) -> None:
    activity = _activity(world)
    client.force_login(world.alice)
    url = reverse("services:attendance_tap", args=[activity.public_id, world.hongmei.public_id])
    response = client.post(url, {"present": "1"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "is-present" in html
    assert 'hx-swap-oob="true"' in html
    assert Attendance.objects.filter(activity=activity, child=world.hongmei).exists()
    client.post(url, {"present": "1"}, **HTMX)  # a repeated tap on a slow network
    assert Attendance.objects.count() == 1
    html = client.post(url, {"present": "0"}, **HTMX).content.decode()
    assert "is-present" not in html
    assert not Attendance.objects.exists()


def test_a_tap_without_javascript_redirects_back_to_the_row(world: World, client: Client) -> None:
    activity = _activity(world)
    client.force_login(world.alice)
    url = reverse("services:attendance_tap", args=[activity.public_id, world.hongmei.public_id])
    response = client.post(url, {"present": "1", "q": "zhm"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?q=zhm#c-{world.hongmei.public_id}")
    page = client.get(response["Location"]).content.decode()
    assert "is-present" in page
    assert client.get(url).status_code == 405


def test_attendance_shows_on_the_childs_profile(world: World, client: Client) -> None:
    activity = _activity(world)
    services.attendance_mark(actor=world.alice, activity=activity, child=world.hongmei)
    client.force_login(world.alice)
    html = client.get(
        reverse("registry:child_detail", args=[world.hongmei.public_id])
    ).content.decode()
    assert "周末读书会" in html


def test_other_villages_and_towns_get_not_found(world: World, client: Client) -> None:
    activity = _activity(world)
    page = reverse("services:attendance", args=[activity.public_id])
    tap = reverse("services:attendance_tap", args=[activity.public_id, world.hongmei.public_id])
    for persona in ("amy", "bob"):
        client.force_login(getattr(world, persona))
        assert client.get(page).status_code == 404
        assert client.post(tap, {"present": "1"}).status_code == 404
        assert "周末读书会" not in client.get(reverse("services:activities")).content.decode()
    assert not Attendance.objects.exists()


def test_a_tap_on_a_child_out_of_reach_is_not_found(world: World, client: Client) -> None:
    activity = _activity(world, actor=world.sam, area=world.town_a)
    client.force_login(world.sam)
    url = reverse("services:attendance_tap", args=[activity.public_id, world.qiang.public_id])
    assert client.post(url, {"present": "1"}).status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("persona", ["carl", "pat", "rita", "nora", "adam"])
def test_roles_without_the_capability_are_refused_on_every_page(
    world: World, client: Client, persona: str
) -> None:
    activity = _activity(world)
    client.force_login(getattr(world, persona))
    for url in (
        reverse("services:activities"),
        reverse("services:activity_new"),
        reverse("services:attendance", args=[activity.public_id]),
    ):
        assert client.get(url).status_code == 403
    tap = reverse("services:attendance_tap", args=[activity.public_id, world.hongmei.public_id])
    assert client.post(tap, {"present": "1"}).status_code == 403


def test_the_attendance_page_takes_the_same_queries_for_a_long_list(
    world: World, client: Client, django_assert_num_queries: object
) -> None:
    activity = _activity(world)
    client.force_login(world.alice)
    url = reverse("services:attendance", args=[activity.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(30):
        child = ChildFactory(name=f"测试{i}", village=world.village_a1)
        services.attendance_mark(actor=world.alice, activity=activity, child=child)
    with django_assert_num_queries(len(small.captured_queries)):  # type: ignore[operator]
        html = client.get(url).content.decode()
    assert "30" in html


@pytest.mark.usefixtures("english_pages")
def test_a_long_list_shows_the_first_children_and_says_how_to_find_the_others(
    world: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "ROSTER_LIMIT", 2)
    for i in range(3):
        ChildFactory(name=f"测试{i}", village=world.village_a1)
    activity = _activity(world)
    client.force_login(world.alice)
    url = reverse("services:attendance", args=[activity.public_id])
    html = client.get(url).content.decode()
    assert html.count('class="tap-row') == 2
    assert "Showing 2 of 4 children" in html
    html = client.get(url, {"q": "zhm"}).content.decode()  # the search finds the one hidden
    assert "张红梅" in html
    assert "Showing" not in html
