"""Assessment pages: the form, the result with the review, the profile panel. Each page
with its denials."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from shouwang.accounts.models import User
from shouwang.assessments.models import Assessment, AuditAction, Instrument
from shouwang.assessments.tests.conftest import Record, calm_answers
from shouwang.assessments.views import assessments_panel_context
from shouwang.audit.models import AuditEvent
from shouwang.registry.selectors import child_profile
from shouwang.testing.world import World


def _new_url(world: World, child: str = "hongmei") -> str:
    return reverse("assessments:new", args=[getattr(world, child).public_id])


def _detail(assessment: Assessment) -> str:
    return reverse("assessments:detail", args=[assessment.public_id])


def _post_data(needs: Instrument, **changes: str) -> dict[str, str]:
    answers = {**calm_answers(needs), **changes}
    data = {f"q_{k}": v for k, v in answers.items()}
    data["instrument"] = "needs@2026.1"
    data["assessed_on"] = timezone.localdate().isoformat()
    return data


# --- The form -------------------------------------------------------------------------


def test_the_form_shows_every_domain_and_question_in_the_users_language(
    world: World, client: Client, needs: Instrument
) -> None:
    client.force_login(world.alice)
    body = client.get(_new_url(world)).content.decode()
    for domain in needs.parsed.domains:
        assert f'id="domain-{domain.code}"' in body
        assert domain.label.zh in body
    assert "孩子是不是一个人住，身边没有大人照看？" in body
    assert 'type="radio" name="q_safety_lives_alone"' in body
    client.post(reverse("set_language"), {"language": "en"})
    body = client.get(_new_url(world)).content.decode()
    assert "Does the child live alone, with no adult looking after them?" in body
    assert "Needs assessment: 张红梅" in body


def test_the_child_director_records_an_assessment(
    world: World, client: Client, needs: Instrument
) -> None:
    client.force_login(world.alice)
    response = client.post(_new_url(world), _post_data(needs, safety_home_hazards="2"))
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(assessment)
    assert (assessment.risk_level, assessment.assessed_by) == ("medium", world.alice)
    assert assessment.answers["safety_home_hazards"] == "2"


def test_unanswered_questions_and_a_future_date_are_shown_at_the_question_and_kept(
    world: World, client: Client, needs: Instrument
) -> None:
    client.force_login(world.alice)
    client.post(reverse("set_language"), {"language": "en"})
    data = _post_data(needs, psych_withdrawn="2")
    del data["q_psych_sad"]
    data["assessed_on"] = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(_new_url(world), data)
    assert response.status_code == 200
    assert not Assessment.objects.exists()
    body = response.content.decode()
    # The error sits inside the question's own fieldset.
    fieldset = body.split('id="q-psych_sad"', 1)[1].split("</fieldset>", 1)[0]
    assert "Please answer this question." in fieldset
    assert "This date cannot be in the future." in body
    # The answers given are kept.
    assert 'value="2" checked' in body.split('id="q-psych_withdrawn"', 1)[1].split("</fieldset>")[0]
    assert 'value="yes" checked' not in fieldset and "checked" not in fieldset


def test_a_malformed_date_gets_one_message(world: World, client: Client, needs: Instrument) -> None:
    client.force_login(world.alice)
    data = _post_data(needs)
    data["assessed_on"] = "not a date"
    response = client.post(_new_url(world), data)
    assert len(response.context["date_form"].errors["assessed_on"]) == 1
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("persona", "child", "status"),
    [
        ("carl", "hongmei", 403),  # the county sees the child but does not assess
        ("tina", "xiaoming", 403),  # a school liaison: no assessment capability at all
        ("amy", "hongmei", 404),  # another village
        ("bob", "hongmei", 404),  # another township
    ],
)
@pytest.mark.usefixtures("needs")
def test_who_may_not_assess(
    world: World, client: Client, persona: str, child: str, status: int
) -> None:
    needs = Instrument.objects.get(code="needs")
    client.force_login(getattr(world, persona))
    assert client.get(_new_url(world, child)).status_code == status
    assert client.post(_new_url(world, child), _post_data(needs)).status_code == status
    assert not Assessment.objects.exists()


# --- The result -----------------------------------------------------------------------


def test_the_result_shows_the_risk_its_reasons_the_bars_and_the_answers(
    world: World, client: Client, record: Record
) -> None:
    assessment = record(safety_lives_alone="yes")
    client.force_login(world.alice)
    client.post(reverse("set_language"), {"language": "en"})
    response = client.get(_detail(assessment))
    body = response.content.decode()
    assert "risk-urgent" in body
    assert "1 answer on its own calls for urgent attention." in body
    assert "Safety: “Does the child live alone, with no adult looking after them?” — Yes." in body
    assert 'class="bar level-moderate"' in body  # safety 20%
    assert "width: 20%" in body
    assert "Awaiting the supervisor" in body
    # The child director sees no review forms.
    assert reverse("assessments:approve", args=[assessment.public_id]) not in body
    assert AuditEvent.objects.filter(action=AuditAction.VIEWED).count() == 1


def test_the_supervisor_approves_from_the_result(
    world: World, client: Client, record: Record
) -> None:
    assessment = record()
    client.force_login(world.sam)
    body = client.get(_detail(assessment)).content.decode()
    url = reverse("assessments:approve", args=[assessment.public_id])
    assert url in body
    response = client.post(url, {"risk_level": "low", "note": ""})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.reviewed_by) == ("approved", world.sam)


def test_an_override_without_a_note_is_refused_on_the_form(
    world: World, client: Client, record: Record
) -> None:
    assessment = record()
    client.force_login(world.sam)
    url = reverse("assessments:approve", args=[assessment.public_id])
    response = client.post(url, {"risk_level": "urgent", "note": ""})
    assert response.status_code == 200
    assert response.context["review_forms"]["approve"].errors["note"]
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


def test_the_supervisor_returns_with_a_note(world: World, client: Client, record: Record) -> None:
    assessment = record()
    client.force_login(world.sam)
    url = reverse("assessments:return", args=[assessment.public_id])
    response = client.post(url, {"note": ""})
    assert response.context["review_forms"]["return"].errors["note"]
    response = client.post(url, {"note": "Please visit again with the caregiver."})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "returned"
    client.force_login(world.alice)
    body = client.get(_detail(assessment)).content.decode()
    assert "Please visit again with the caregiver." in body
    assert _new_url(world) in body


@pytest.mark.parametrize(
    "who",
    [
        ("alice", 403),  # the child director cannot approve
        ("amy", 404),
        ("bob", 404),
        ("carl", 403),  # no assessment capability: refused at the door
        ("tina", 403),
    ],
)
@pytest.mark.parametrize("action", ["approve", "return"])
def test_who_may_not_review(
    world: World, client: Client, record: Record, who: tuple[str, int], action: str
) -> None:
    persona, status = who
    assessment = record()
    client.force_login(getattr(world, persona))
    url = reverse(f"assessments:{action}", args=[assessment.public_id])
    response = client.post(url, {"risk_level": "low", "note": "x"})
    assert response.status_code == status
    assessment.refresh_from_db()
    assert assessment.status == "submitted"


@pytest.mark.parametrize(("persona", "status"), [("amy", 404), ("bob", 404), ("carl", 403)])
def test_who_may_not_see_the_result(
    world: World, client: Client, record: Record, persona: str, status: int
) -> None:
    assessment = record()
    client.force_login(getattr(world, persona))
    response = client.get(_detail(assessment))
    assert response.status_code == status
    assert "张红梅" not in response.content.decode()


def test_a_review_url_answers_get_with_405(world: World, client: Client, record: Record) -> None:
    assessment = record()
    client.force_login(world.sam)
    url = reverse("assessments:approve", args=[assessment.public_id])
    assert client.get(url).status_code == 405


def test_the_result_page_costs_a_fixed_number_of_queries(
    world: World, client: Client, record: Record, django_assert_max_num_queries: object
) -> None:
    assessment = record(safety_lives_alone="yes", psych_sad="3", material_food="2")
    client.force_login(world.sam)
    client.get(_detail(assessment))
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get(_detail(assessment))
    assert response.status_code == 200


# --- The panel on the child's profile -------------------------------------------------


def _panel(world: World, user: User | AnonymousUser, child: str = "hongmei") -> tuple[dict, str]:
    request = RequestFactory().get("/")
    request.user = user
    profile = child_profile(getattr(world, child))
    context = assessments_panel_context(request, profile)
    return context, render_to_string("assessments/_child_panel.html", context, request=request)


def test_the_panel_offers_the_first_assessment(world: World, needs: Instrument) -> None:
    context, html = _panel(world, world.alice)
    assert context["assessments_panel"]["latest"] is None
    assert _new_url(world) in html


def test_the_panel_shows_the_latest_risk_and_its_reasons(world: World, record: Record) -> None:
    first = record()
    latest = record(material_food="3")
    for persona in ("alice", "sam"):
        context, html = _panel(world, getattr(world, persona))
        assert context["assessments_panel"]["latest"] == latest
        assert context["assessments_panel"]["past"] == [first]
        assert _detail(latest) in html
        assert _detail(first) in html
        assert context["assessments_panel"]["reasons"]


@pytest.mark.parametrize("persona", ["carl", "tina", "pat", "nora"])
def test_others_never_see_the_panel(world: World, record: Record, persona: str) -> None:
    record(child=world.xiaoming, actor=world.amy)
    context, html = _panel(world, getattr(world, persona), child="xiaoming")
    assert context == {"assessments_panel": None}
    assert html.strip() == ""


def test_the_panel_costs_one_query(
    world: World, record: Record, django_assert_num_queries: object
) -> None:
    record()
    request = RequestFactory().get("/")
    request.user = world.alice
    profile = child_profile(world.hongmei)
    assessments_panel_context(request, profile)  # grants are read once per user object
    with django_assert_num_queries(1):  # type: ignore[operator]
        assessments_panel_context(request, profile)
