"""FUC pages: the queue, an application and its actions, applying from a child's record, and
the panel for the child's profile. Each page with its denials."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from shouwang.accounts.models import User
from shouwang.fuc import services
from shouwang.fuc.domain import State
from shouwang.fuc.models import FucApplication, FucStep
from shouwang.fuc.tests.conftest import Apply, on
from shouwang.fuc.views import fuc_panel_context
from shouwang.registry.selectors import child_profile
from shouwang.testing.factories import ChildFactory
from shouwang.testing.world import World

D = dt.date


def _detail(application: FucApplication) -> str:
    return reverse("fuc:application_detail", args=[application.public_id])


def _action(name: str, application: FucApplication) -> str:
    return reverse(f"fuc:{name}", args=[application.public_id])


def _apply_url(world: World, child: str = "hongmei") -> str:
    return reverse("fuc:apply", args=[getattr(world, child).public_id])


# --- Applying -------------------------------------------------------------------------


def test_the_child_director_applies_from_the_childs_record(world: World, client: Client) -> None:
    client.force_login(world.alice)
    assert client.get(_apply_url(world)).status_code == 200
    response = client.post(_apply_url(world), {"applicant": "village_committee", "note": ""})
    application = FucApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(application)
    assert (application.applicant, application.applied_by) == ("village_committee", world.alice)


def test_a_second_application_is_refused_on_the_form(
    world: World, client: Client, apply: Apply
) -> None:
    first = apply()
    client.force_login(world.sam)
    response = client.post(_apply_url(world), {"applicant": "guardian"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert FucApplication.objects.get() == first
    # The page points to the open application instead of offering the form.
    assert _detail(first) in client.get(_apply_url(world)).content.decode()


def test_an_unknown_applicant_is_refused(world: World, client: Client) -> None:
    client.force_login(world.alice)
    response = client.post(_apply_url(world), {"applicant": "neighbour"})
    assert response.context["form"].errors["applicant"]
    assert not FucApplication.objects.exists()


@pytest.mark.parametrize(
    ("persona", "child", "status"),
    [
        ("carl", "hongmei", 403),  # the county decides; it does not apply
        ("tina", "xiaoming", 403),  # a school liaison: no FUC capability at all
        ("amy", "hongmei", 404),  # another village
        ("bob", "hongmei", 404),  # another township
    ],
)
def test_who_may_not_apply(
    world: World, client: Client, persona: str, child: str, status: int
) -> None:
    client.force_login(getattr(world, persona))
    for method in (client.get, client.post):
        response = method(_apply_url(world, child), {"applicant": "guardian"})
        assert response.status_code == status
        assert "张红梅" not in response.content.decode()
    assert not FucApplication.objects.exists()


# --- The application page -------------------------------------------------------------


@pytest.mark.parametrize("persona", ["alice", "sam", "carl"])
def test_those_in_reach_open_the_application(
    world: World, client: Client, apply: Apply, persona: str
) -> None:
    application = apply()
    client.force_login(getattr(world, persona))
    response = client.get(_detail(application))
    assert response.status_code == 200
    body = response.content.decode()
    assert "张红梅" in body
    assert "Paper form received at the township." in body  # the history, with its notes


@pytest.mark.parametrize(("persona", "status"), [("amy", 404), ("bob", 404), ("tina", 403)])
def test_others_are_refused_and_learn_nothing(
    world: World, client: Client, apply: Apply, persona: str, status: int
) -> None:
    application = apply()
    client.force_login(getattr(world, persona))
    urls = [_detail(application)] + [
        _action(a, application) for a in ("verify", "return", "confirm", "reject", "terminate")
    ]
    for url in urls:
        for method in (client.get, client.post):
            response = method(url, {"note": "x", "reason": "x"})
            assert response.status_code == status, url
            assert "张红梅" not in response.content.decode()
    assert FucApplication.objects.get().state == State.SUBMITTED
    assert FucStep.objects.count() == 1


@pytest.mark.parametrize("public_id", ["00000000-0000-4000-8000-000000000000", "1"])
def test_made_up_ids_get_not_found(world: World, client: Client, public_id: str) -> None:
    client.force_login(world.carl)
    assert client.get(f"/fuc/{public_id}/").status_code == 404


def test_each_role_is_offered_only_its_own_actions(
    world: World, client: Client, apply: Apply
) -> None:
    application = apply()
    verify, ret, confirm = (_action(a, application) for a in ("verify", "return", "confirm"))
    client.force_login(world.sam)
    body = client.get(_detail(application)).content.decode()
    assert verify in body
    assert ret in body
    assert confirm not in body
    for persona in ("alice", "carl"):
        client.force_login(getattr(world, persona))
        body = client.get(_detail(application)).content.decode()
        assert verify not in body
        assert confirm not in body  # not yet verified


def test_the_procedure_through_the_pages(world: World, client: Client, apply: Apply) -> None:
    application = apply()
    client.force_login(world.sam)
    response = client.post(_action("verify", application), {"note": "Matched with police data."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.VERIFIED

    client.force_login(world.carl)
    body = client.get(_detail(application)).content.decode()
    assert _action("confirm", application) in body
    assert _action("reject", application) in body
    assert client.post(_action("confirm", application), {"note": "Qualifies."}).status_code == 302
    application.refresh_from_db()
    assert application.state == State.CONFIRMED
    assert _action("terminate", application) in client.get(_detail(application)).content.decode()

    response = client.post(
        _action("terminate", application),
        {"reason": "turned_18", "text": "", "changed_on": application.decided_at.date()},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.TERMINATED
    assert [s.action for s in application.steps.all()] == [
        "apply",
        "verify",
        "confirm",
        "terminate",
    ]


def test_the_township_returns_an_application(world: World, client: Client, apply: Apply) -> None:
    application = apply()
    client.force_login(world.sam)
    response = client.post(_action("return", application), {"note": "Court judgment missing."})
    assert response.status_code == 302
    assert FucStep.objects.filter(action="return", note="Court judgment missing.").exists()


def test_a_rejection_without_reasons_is_refused_on_the_page(
    world: World, client: Client, verified: FucApplication
) -> None:
    client.force_login(world.carl)
    response = client.post(_action("reject", verified), {"reason": "   "})
    assert response.status_code == 200
    forms = {f["action"]: f["form"] for f in response.context["action_forms"]}
    assert forms["reject"].errors["reason"]
    verified.refresh_from_db()
    assert verified.state == State.VERIFIED


def test_the_rejection_and_its_reasons_are_shown_to_the_child_director(
    world: World, client: Client, verified: FucApplication
) -> None:
    client.force_login(world.carl)
    client.post(_action("reject", verified), {"reason": "母亲未满重残等级。"})
    client.force_login(world.alice)
    assert "母亲未满重残等级。" in client.get(_detail(verified)).content.decode()


def test_an_illegal_step_is_refused_with_a_message(
    world: World, client: Client, apply: Apply
) -> None:
    application = apply()
    client.force_login(world.carl)
    response = client.post(_action("confirm", application), {"note": "Qualifies."})
    assert response.status_code == 200
    assert response.context["errors"]
    assert FucApplication.objects.get().state == State.SUBMITTED


@pytest.mark.parametrize(
    ("persona", "action"),
    [("alice", "verify"), ("alice", "confirm"), ("sam", "confirm"), ("carl", "verify")],
)
def test_a_step_of_another_role_is_forbidden(
    world: World, client: Client, verified: FucApplication, persona: str, action: str
) -> None:
    client.force_login(getattr(world, persona))
    response = client.post(_action(action, verified), {"note": "x"})
    assert response.status_code == 403
    verified.refresh_from_db()
    assert verified.state == State.VERIFIED


def test_get_on_an_action_is_not_allowed(world: World, client: Client, apply: Apply) -> None:
    application = apply()
    client.force_login(world.sam)
    assert client.get(_action("verify", application)).status_code == 405


# --- The queue ------------------------------------------------------------------------


def _three_waiting(world: World, apply: Apply) -> None:
    with on(D(2026, 1, 5)):
        hongmei = apply()
        apply(child=world.xiaoming, actor=world.amy)
    with on(D(2026, 1, 7)):
        services.fuc_verify(actor=world.sam, application=hongmei, note="Matched.")
    with on(D(2026, 2, 2)):
        apply(child=world.qiang, actor=world.bob)


def test_the_county_officer_sees_the_queue_with_overdue_highlighted(
    world: World, client: Client, apply: Apply
) -> None:
    _three_waiting(world, apply)
    client.force_login(world.carl)
    with on(D(2026, 2, 3)):
        response = client.get(reverse("fuc:queue"))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["overdue_count"] == 2
    for name in ("张红梅", "李小明", "王强"):
        assert name in body
    assert body.count('class="overdue"') == 2
    county, township = response.context["sections"]
    assert [a.child.name for a in county["rows"]] == ["张红梅"]
    assert [a.child.name for a in township["rows"]] == ["李小明", "王强"]
    for a in FucApplication.objects.all():
        assert _detail(a) in body


def test_the_supervisor_sees_his_townships_queue(
    world: World, client: Client, apply: Apply
) -> None:
    _three_waiting(world, apply)
    client.force_login(world.bob)
    body = client.get(reverse("fuc:queue")).content.decode()
    assert "王强" in body
    assert "张红梅" not in body
    assert "李小明" not in body


@pytest.mark.parametrize("persona", ["tina", "alice", "pat", "nora"])
def test_others_may_not_open_the_queue(
    world: World, client: Client, apply: Apply, persona: str
) -> None:
    _three_waiting(world, apply)
    client.force_login(getattr(world, persona))
    response = client.get(reverse("fuc:queue"))
    assert response.status_code == 403
    assert "张红梅" not in response.content.decode()


def test_the_queue_page_runs_a_fixed_number_of_queries(
    world: World, client: Client, apply: Apply, django_assert_max_num_queries: object
) -> None:
    _three_waiting(world, apply)
    client.force_login(world.carl)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        client.get(reverse("fuc:queue"))
    for i in range(6):
        child = ChildFactory(name=f"赵{'一二三四五六'[i]}", village=world.village_a2)
        apply(child=child, actor=world.sam)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get(reverse("fuc:queue"))
    assert len(response.context["sections"][1]["rows"]) == 8


# --- The panel on the child's profile -------------------------------------------------


def _panel(world: World, user: User | AnonymousUser, child: str = "hongmei") -> tuple[dict, str]:
    request = RequestFactory().get("/")
    request.user = user
    profile = child_profile(getattr(world, child))
    context = fuc_panel_context(request, profile)
    return context, render_to_string("fuc/_child_panel.html", context, request=request)


def test_the_child_director_sees_the_panel_with_the_apply_button(world: World) -> None:
    context, html = _panel(world, world.alice)
    assert context["fuc_panel"]["can_apply"]
    assert context["fuc_panel"]["current"] is None
    assert _apply_url(world) in html


def test_the_panel_shows_the_open_application_and_hides_the_button(
    world: World, apply: Apply
) -> None:
    application = apply()
    for persona in ("alice", "sam", "carl"):
        context, html = _panel(world, getattr(world, persona))
        assert context["fuc_panel"]["current"] == application
        assert _detail(application) in html
        assert _apply_url(world) not in html


def test_the_county_officer_sees_the_panel_without_the_apply_button(world: World) -> None:
    context, html = _panel(world, world.carl)
    assert context["fuc_panel"] is not None
    assert not context["fuc_panel"]["can_apply"]
    assert 'id="fuc"' in html
    assert _apply_url(world) not in html


def test_earlier_applications_are_listed_under_the_current_state(
    world: World, verified: FucApplication
) -> None:
    services.fuc_reject(actor=world.carl, application=verified, reason="Not both parents.")
    context, html = _panel(world, world.alice)
    assert context["fuc_panel"]["past"] == [verified]
    assert context["fuc_panel"]["can_apply"]
    assert _detail(verified) in html


@pytest.mark.parametrize("persona", ["tina", "pat", "nora"])
def test_a_school_liaison_and_others_never_see_the_panel(
    world: World, apply: Apply, persona: str
) -> None:
    apply(child=world.xiaoming, actor=world.amy)
    context, html = _panel(world, getattr(world, persona), child="xiaoming")
    assert context == {"fuc_panel": None}
    assert html.strip() == ""


def test_the_panel_costs_one_query(
    world: World, apply: Apply, django_assert_num_queries: object
) -> None:
    apply()
    request = RequestFactory().get("/")
    request.user = world.alice
    profile = child_profile(world.hongmei)
    fuc_panel_context(request, profile)  # grants are read once per user object
    with django_assert_num_queries(1):  # type: ignore[operator]
        fuc_panel_context(request, profile)


# --- Never on a village-wide list -----------------------------------------------------


def test_the_status_never_appears_on_the_child_list(
    world: World, client: Client, confirmed: FucApplication
) -> None:
    for persona in ("alice", "sam", "carl"):
        client.force_login(getattr(world, persona))
        body = client.get(reverse("registry:child_list")).content.decode()
        assert "张红梅" in body
        assert "/fuc/" not in body
        assert str(confirmed.public_id) not in body
