"""Safeguarding pages, each with its denials: the form (prefilled), a report with its
police task, the actions, the queue, the reporter's list, and the child-profile panel."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from shouwang.safeguarding.domain import State
from shouwang.safeguarding.models import Report
from shouwang.safeguarding.tests.conftest import T0, at
from shouwang.safeguarding.views import safeguarding_panel_context
from shouwang.testing.world import World

H = dt.timedelta(hours=1)


def _detail(report: Report) -> str:
    return reverse("safeguarding:report_detail", args=[report.public_id])


def _action(name: str, report: Report) -> str:
    return reverse(f"safeguarding:{name}", args=[report.public_id])


# --- The form -------------------------------------------------------------------------


def test_the_form_is_prefilled_from_a_flagged_concern(world: World, client: Client) -> None:
    client.force_login(world.alice)
    url = reverse("safeguarding:report_new")
    response = client.get(
        url, {"child": str(world.hongmei.public_id), "trigger": "living_alone", "seen": "Alone"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["child"] == str(world.hongmei.public_id)
    assert form.initial["trigger"] == "living_alone"
    assert form.initial["what_seen"] == "Alone"
    assert form.initial["duty_basis"] == "mpl_art_11"


def test_the_form_ignores_a_child_out_of_reach_and_a_bad_trigger(
    world: World, client: Client
) -> None:
    client.force_login(world.alice)
    response = client.get(
        reverse("safeguarding:report_new"), {"child": str(world.qiang.public_id), "trigger": "x"}
    )
    body = response.content.decode()
    assert "王强" not in body
    assert "child" not in response.context["form"].initial
    assert "trigger" not in response.context["form"].initial


def test_a_user_with_no_role_files_for_an_unknown_child(world: World, client: Client) -> None:
    client.force_login(world.nora)
    response = client.get(reverse("safeguarding:report_new"))
    assert response.context["form"].initial["duty_basis"] == "citizen"
    with at(T0):
        response = client.post(
            reverse("safeguarding:report_new"),
            {
                "child": "",
                "child_description": "Girl about 7",
                "area": world.village_b1.code,
                "place": "Bridge",
                "trigger": "missing",
                "immediate_danger": "yes",
                "what_seen": "Crying alone at night",
                "duty_basis": "citizen",
            },
        )
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(report)
    assert report.reporter == world.nora and report.area == world.village_b1
    page = client.get(_detail(report)).content.decode()
    assert "police-task" in page  # her undismissable task


def test_the_form_shows_errors_and_files_nothing(world: World, client: Client) -> None:
    client.force_login(world.nora)
    response = client.post(
        reverse("safeguarding:report_new"),
        {"trigger": "missing", "immediate_danger": "no", "what_seen": "x", "duty_basis": "citizen"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Report.objects.exists()


def test_a_teacher_files_for_her_pupil_and_sees_the_police_task(
    world: World, client: Client
) -> None:
    client.force_login(world.tina)
    with at(T0):
        client.post(
            reverse("safeguarding:report_new"),
            {
                "child": str(world.xiaoming.public_id),
                "trigger": "living_alone",
                "immediate_danger": "yes",
                "what_seen": "Alone for a week",
                "duty_basis": "mpl_art_11",
            },
        )
    report = Report.objects.get()
    assert report.child == world.xiaoming
    with at(T0 + H):
        response = client.post(
            _action("police", report),
            {
                "police_station": "S镇派出所",
                "reported_at": "2025-03-03T09:30",
                "receipt_no": "R-1",
            },
        )
    assert response.status_code == 302
    report.police_task.refresh_from_db()
    assert report.police_task.is_done
    mine = client.get(reverse("safeguarding:mine")).content.decode()
    assert "李小明" in mine


# --- One report: who sees what ----------------------------------------------------------


def test_the_reporter_is_confidential_to_the_child_director(
    world: World, client: Client, filed: Report
) -> None:
    client.force_login(world.amy)
    body = client.get(_detail(filed)).content.decode()
    assert "李小明" in body
    assert "Tina" not in body and "tina" not in body
    client.force_login(world.sam)
    assert "Tina" in client.get(_detail(filed)).content.decode()


@pytest.mark.parametrize("persona", ["alice", "bob", "nora", "pat", "rita", "adam"])
def test_others_get_not_found_on_the_report(
    world: World, client: Client, filed: Report, persona: str
) -> None:
    client.force_login(getattr(world, persona))
    assert client.get(_detail(filed)).status_code == 404
    assert client.post(_action("police", filed), {}).status_code == 404


@pytest.mark.parametrize("action", ["acknowledge", "respond", "close"])
def test_actions_deny_by_reach_and_capability(
    world: World, client: Client, filed: Report, action: str
) -> None:
    client.force_login(world.bob)
    assert client.post(_action(action, filed), {}).status_code == 404
    client.force_login(world.alice)
    assert client.post(_action(action, filed), {}).status_code == 404
    client.force_login(world.amy)  # sees it, may not act
    assert client.post(_action(action, filed), {}).status_code == 403
    client.force_login(world.nora)  # no capability at all
    assert client.post(_action(action, filed), {}).status_code == 403
    client.force_login(world.tina)  # the reporter: may see, not act
    assert client.post(_action(action, filed), {}).status_code == 403


def test_only_the_reporter_records_the_police_report_page(
    world: World, client: Client, filed: Report
) -> None:
    client.force_login(world.sam)
    assert client.post(_action("police", filed), {}).status_code == 403


def test_the_county_officer_acknowledges_responds_and_closes(
    world: World, client: Client, filed: Report
) -> None:
    client.force_login(world.carl)
    assert "action-acknowledge" in client.get(_detail(filed)).content.decode()
    assert client.post(_action("acknowledge", filed), {"note": ""}).status_code == 302
    response = client.post(
        _action("respond", filed),
        {
            "attended_by": "Carl and the police",
            "measures": ["temporary_placement"],
            "safety_assessment": "Unsafe",
            "guardianship_assessment": "No adult",
            "health_assessment": "Well",
            "intervention_flags": ["serious_harm_by_guardian"],
        },
    )
    assert response.status_code == 302
    body = client.get(_detail(filed)).content.decode()
    assert "court-suggestion" in body
    response = client.post(_action("close", filed), {"reason": ""})
    assert response.status_code == 200  # the error on the form
    assert client.post(_action("close", filed), {"reason": "Placed with aunt"}).status_code == 302
    filed.refresh_from_db()
    assert filed.state == State.CLOSED


def test_actions_are_post_only(world: World, client: Client, filed: Report) -> None:
    client.force_login(world.sam)
    assert client.get(_action("acknowledge", filed)).status_code == 405


# --- Lists and the panel ----------------------------------------------------------------


def test_the_queue_lists_open_reports_in_reach(world: World, client: Client, filed: Report) -> None:
    client.force_login(world.sam)
    assert "李小明" in client.get(reverse("safeguarding:queue")).content.decode()
    client.force_login(world.bob)
    assert "李小明" not in client.get(reverse("safeguarding:queue")).content.decode()
    client.force_login(world.tina)
    assert client.get(reverse("safeguarding:queue")).status_code == 403


def test_the_panel_lists_the_childs_reports_for_those_who_may_see_them(
    world: World, filed: Report
) -> None:
    rf = RequestFactory()
    for persona, expected in [("amy", 1), ("sam", 1), ("tina", 1), ("alice", 0)]:
        request = rf.get("/")
        request.user = getattr(world, persona)
        ctx = safeguarding_panel_context(request, world.xiaoming)
        assert len(ctx["safeguarding_panel"]["reports"]) == expected, persona
    html = render_to_string("safeguarding/_child_panel.html", ctx, request=request)
    assert f"?child={world.xiaoming.public_id}" in html
