"""The worklist, the town board, the visit page, the plan page and the timeline."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shouwang.audit.services import SystemActor
from shouwang.cases import selectors, services
from shouwang.cases.models import CarePlan, Case, Visit
from shouwang.cases.services import cases_open_missing
from shouwang.referrals.models import Referral
from shouwang.registry.models import Child
from shouwang.rules.models import Classification
from shouwang.rules.services import children_reevaluate
from shouwang.services.models import ServiceType
from shouwang.testing.factories import ChildFactory
from shouwang.testing.world import World

TODAY = dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC)


@pytest.fixture
def cases(world: World) -> World:
    with time_machine.travel(TODAY, tick=False):
        children_reevaluate()
        cases_open_missing()
    return world


def _visit(client: Client, child: object, **data: str) -> object:
    payload = {"kind": "home", "visited_on": "2026-11-29", "saw_child": "on"} | data
    return client.post(reverse("cases:visit_create", args=[child.public_id]), payload)  # type: ignore[attr-defined]


def test_the_worklist_lists_overdue_follow_ups_and_missing_contacts(
    cases: World, client: Client
) -> None:
    Case.objects.filter(child=cases.hongmei).update(next_follow_up_due=dt.date(2026, 11, 20))
    client.force_login(cases.alice)
    with time_machine.travel(TODAY, tick=False):
        response = client.get(reverse("cases:worklist"))
    work = response.context["work"]
    assert [c.child for c in work.overdue] == [cases.hongmei]
    assert cases.hongmei in [c.child for c in work.no_contact]
    assert "李小明" not in response.content.decode()  # amy's village


def test_the_worklist_uses_a_fixed_number_of_queries(
    cases: World, client: Client, django_assert_max_num_queries: object
) -> None:
    client.force_login(cases.sam)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        client.get(reverse("cases:worklist"))


def test_a_visit_that_raises_the_risk_puts_the_child_on_top_of_the_board(
    cases: World, client: Client
) -> None:
    client.force_login(cases.amy)
    with time_machine.travel(TODAY, tick=False):
        response = _visit(client, cases.xiaoming, risk_after="urgent", next_steps="孩子独自在家")
        assert response.status_code == 302
        client.force_login(cases.sam)
        board = client.get(reverse("cases:board")).context["board"]
    assert board.top[0].child == cases.xiaoming
    assert board.top[0].risk_level == "urgent"
    rows = {r.village: r for r in board.villages}
    assert rows[cases.village_a2].high_without_plan == 1


def test_a_concern_that_must_be_reported_prompts_the_report_form(
    cases: World, client: Client
) -> None:
    client.force_login(cases.alice)
    with time_machine.travel(TODAY, tick=False):
        response = _visit(client, cases.hongmei, concerns="living_alone")
    body = response.content.decode()
    assert response.status_code == 200
    assert "trigger=living_alone" in body
    assert f"child={cases.hongmei.public_id}" in body
    assert Visit.objects.count() == 1


def test_a_future_visit_is_refused_with_the_message_at_the_field(
    cases: World, client: Client
) -> None:
    client.force_login(cases.alice)
    with time_machine.travel(TODAY, tick=False):
        response = _visit(client, cases.hongmei, visited_on="2026-12-05")
    assert response.context["form"].errors["visited_on"]
    assert not Visit.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("amy", 404), ("bob", 404), ("carl", 403)])
def test_those_who_may_not_record_a_visit_are_refused(
    cases: World, client: Client, persona: str, status: int
) -> None:
    client.force_login(getattr(cases, persona))
    assert _visit(client, cases.hongmei).status_code == status
    assert not Visit.objects.exists()


def test_the_board_is_for_supervisors_and_county_officers(cases: World, client: Client) -> None:
    for persona, status in (("alice", 403), ("tina", 403), ("sam", 200), ("carl", 200)):
        client.force_login(getattr(cases, persona))
        assert client.get(reverse("cases:board")).status_code == status


def test_a_supervisor_of_another_town_sees_only_her_town_on_the_board(
    cases: World, client: Client
) -> None:
    client.force_login(cases.bob)
    board = client.get(reverse("cases:board")).context["board"]
    assert {c.child for c in board.top} == {cases.qiang}


def test_the_board_uses_a_fixed_number_of_queries(
    cases: World, client: Client, django_assert_max_num_queries: object
) -> None:
    client.force_login(cases.carl)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        client.get(reverse("cases:board"))


def test_the_plan_page_saves_a_plan_with_owned_actions(cases: World, client: Client) -> None:
    client.force_login(cases.alice)
    url = reverse("cases:plan_edit", args=[cases.hongmei.public_id])
    data = {
        "goals": "按时上学，每周与父母视频",
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-0-domain": "education",
        "actions-0-description": "每周辅导作业",
        "actions-0-owner_organisation": str(cases.school.pk),
        "actions-0-due_on": "2026-12-20",
    }
    with time_machine.travel(TODAY, tick=False):
        response = client.post(url, data)
    assert response.status_code == 302
    plan = Case.objects.get(child=cases.hongmei).plans.get()
    assert plan.actions.get().owner_organisation == cases.school


def test_an_action_without_an_owner_is_shown_at_the_field(cases: World, client: Client) -> None:
    client.force_login(cases.alice)
    url = reverse("cases:plan_edit", args=[cases.hongmei.public_id])
    data = {
        "goals": "按时上学",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-0-domain": "education",
        "actions-0-description": "每周辅导作业",
        "actions-0-due_on": "2026-12-20",
    }
    with time_machine.travel(TODAY, tick=False):
        response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["owner_organisation"]
    assert not Case.objects.get(child=cases.hongmei).plans.exists()


def test_the_timeline_shows_what_happened_without_reads(cases: World, client: Client) -> None:
    client.force_login(cases.alice)
    url = reverse("registry:child_detail", args=[cases.hongmei.public_id])
    client.get(url)
    timeline = client.get(url).context["timeline"]
    actions = [e.action for e in timeline]
    assert "case.opened" in actions
    assert "child.viewed" not in actions


def test_home_sends_each_role_to_its_first_page(cases: World, client: Client) -> None:
    for persona, target in (
        ("alice", reverse("cases:worklist")),
        ("sam", reverse("cases:board")),
        ("tina", reverse("registry:child_list")),
    ):
        client.force_login(getattr(cases, persona))
        assert client.get(reverse("home"))["Location"] == target


def test_a_stale_case_form_says_so_once(cases: World, client: Client) -> None:
    client.force_login(cases.alice)
    url = reverse("cases:case_edit", args=[cases.hongmei.public_id])
    case = Case.objects.get(child=cases.hongmei)
    data = {"version": str(case.version), "responsible": str(cases.alice.pk), "status": "open"}
    client.post(url, data)
    response = client.post(url, data, follow=True)  # the same, now stale, version
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1
    assert "reload" in str(errors[0]).lower() or "重新" in str(errors[0])


def _naive_rows(children: list, today: dt.date) -> dict[int, tuple[int, ...]]:
    """The board's counts by village, the slow obvious way."""
    rows: dict[int, list[int]] = {}
    for child in children:
        row = rows.setdefault(child.village_id, [0] * 6)
        row[0] += 1
        red = child.classifications.filter(ended_at__isnull=True, alert_level="red").exists()
        row[5] += red
        for case in child.cases.filter(status__in=["open", "monitoring"]):
            row[1] += 1
            row[2] += case.next_follow_up_due < today
            row[3] += case.responsible_id is None
            row[4] += (
                case.risk_level in ("high", "urgent")
                and not case.plans.filter(status="active").exists()
            )
    return {k: tuple(v) for k, v in rows.items()}


def test_the_board_counts_by_village_as_the_records_say(cases: World) -> None:

    today = TODAY.date()
    system = SystemActor("test")
    with time_machine.travel(TODAY, tick=False):
        extra = [
            ChildFactory(name=name, village=village)
            for name, village in (
                ("赵一", cases.village_a1),
                ("钱二", cases.village_a1),
                ("孙三", cases.village_a2),
                ("周四", cases.village_b1),
            )
        ]
        cases_open_missing()
        one, two, three, four = extra
        for child, level in ((one, "urgent"), (two, "high"), (three, "high"), (four, "urgent")):
            services.case_set_risk(actor=system, child=child, risk_level=level, reason="test")
        CarePlan.objects.create(
            case=Case.objects.get(child=two), status="active", goals="-", review_due_on=today
        )
        Case.objects.filter(child__in=[one, three, cases.hongmei]).update(
            next_follow_up_due=today - dt.timedelta(days=1)
        )
        Case.objects.filter(child__in=[two, cases.xiaoming]).update(responsible=None)
        closed = Case.objects.get(child=four)
        Case.objects.filter(pk=closed.pk).update(status="closed")
        for child, ended in ((one, None), (three, None), (two, TODAY)):
            Classification.objects.create(
                child=child,
                rule_id="care_arrangement",
                rule_version="test",
                status="yes",
                alert_level="red",
                asof=today,
                ended_at=ended,
            )
        for viewer in (cases.sam, cases.carl, cases.bob):
            board = selectors.town_board(viewer=viewer, today=today)
            got = {
                r.village.pk: (
                    r.children,
                    r.open_cases,
                    r.overdue,
                    r.unassigned,
                    r.high_without_plan,
                    r.red_alerts,
                )
                for r in board.villages
            }
            in_scope = [
                c
                for c in Child.objects.all()
                if c.village.path.startswith(
                    {cases.sam: cases.town_a, cases.carl: cases.county, cases.bob: cases.town_b}[
                        viewer
                    ].path
                )
            ]
            assert got == _naive_rows(in_scope, today)
    assert got[cases.village_b1.pk][1] == 1  # qiang's case open, zhou's closed


def test_the_board_pages_through_the_most_urgent_children(
    cases: World, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:

    monkeypatch.setattr(selectors, "TOP_CHILDREN", 1)
    Case.objects.filter(child=cases.xiaoming).update(
        next_follow_up_due=dt.date(2026, 11, 1)
    )  # the more urgent of S-town's two (both medium)
    client.force_login(cases.sam)
    first = client.get(reverse("cases:board"))
    assert [c.child for c in first.context["board"].top] == [cases.xiaoming]
    assert "?page=2" in first.content.decode()
    second = client.get(reverse("cases:board"), {"page": "2"})
    assert [c.child for c in second.context["board"].top] == [cases.hongmei]
    assert "?page=1" in second.content.decode()
    beyond = client.get(reverse("cases:board"), {"page": "9"}).context["board"]
    assert (beyond.page, beyond.pages) == (2, 2)
    assert client.get(reverse("cases:board"), {"page": "x"}).context["board"].page == 1


def test_overdue_referrals_show_on_the_board_and_the_worklist(world: World, client: Client) -> None:
    Referral.objects.create(
        child=world.hongmei,
        service_type=ServiceType.objects.get(code="psych_counselling"),
        need="需要心理辅导",
        to_organisation=world.ngo,
        respond_by=timezone.now() - dt.timedelta(hours=1),
        created_by=world.alice,
    )
    for user, url in ((world.sam, "cases:board"), (world.alice, "cases:worklist")):
        client.force_login(user)
        body = client.get(reverse(url)).content.decode()
        assert 'id="referrals-overdue"' in body, user
    client.force_login(world.bob)  # another town: nothing of S-town's
    assert 'id="referrals-overdue"' not in client.get(reverse("cases:board")).content.decode()
