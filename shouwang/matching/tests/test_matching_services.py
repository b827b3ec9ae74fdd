"""Matching against the database: eligibility, costs and reasons, decisions, audit, reach."""

import datetime as dt

import pytest

from shouwang.accounts.models import Organisation
from shouwang.audit.models import AuditEvent
from shouwang.cases.models import CarePlan, Case, PlanAction
from shouwang.core.errors import NotFound, ValidationFailed
from shouwang.matching import services
from shouwang.matching.loading import load_township
from shouwang.matching.models import MatchSuggestion
from shouwang.matching.tests.conftest import Town, st, volunteer
from shouwang.resources.models import Volunteer
from shouwang.services.models import ServiceDelivery, ServiceNeed
from shouwang.testing.factories import OrganisationFactory
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db


def _by_child(run: object) -> dict[str, MatchSuggestion]:
    return {s.need.child.name: s for s in run.suggestions.select_related("need__child")}  # type: ignore[attr-defined]


def test_a_run_suggests_the_nearest_eligible_helper_with_reasons(world: World, town: Town) -> None:
    run = services.match_run(actor=world.sam, township=world.town_a)
    assert (run.needs_count, run.assigned_count, run.optimal, run.solver_status) == (
        2,
        2,
        True,
        "OPTIMAL",
    )
    s = _by_child(run)
    assert s["张红梅"].volunteer == town.teacher
    codes = [r["code"] for r in s["张红梅"].reasons]
    assert codes == ["skill", "distance_km", "walking", "vetted"]
    # xiaoming (A2, 2.2 km from the teacher's A1) goes to the teacher, cheaper than the NGO
    # whose base (the county) has no coordinates.
    assert s["李小明"].volunteer == town.teacher
    assert AuditEvent.objects.filter(action="matching.run", target_id=str(run.public_id)).exists()
    # Nothing is assigned until the supervisor decides.
    assert ServiceNeed.objects.filter(status="open").count() == 2


def test_continuity_keeps_the_organisation_that_already_serves_the_child(
    world: World, town: Town
) -> None:
    ServiceDelivery.objects.create(
        child=world.xiaoming,
        service_type=st("family_video_call"),
        organisation=world.ngo,
        delivered_on=dt.date(2026, 10, 1),
        recorded_by=world.amy,
    )
    s = _by_child(services.match_run(actor=world.sam, township=world.town_a))
    assert s["李小明"].organisation == world.ngo
    assert {"code": "continuity"} in s["李小明"].reasons


def test_a_volunteer_who_is_not_vetted_is_never_matched_to_a_one_to_one_service(
    world: World, town: Town
) -> None:
    town.teacher.vetting = Volunteer.Vetting.PENDING
    town.teacher.save(update_fields=["vetting"])
    s = _by_child(services.match_run(actor=world.sam, township=world.town_a))
    assert s["张红梅"].volunteer is None
    assert s["张红梅"].reasons == [{"code": "no_candidate"}]
    assert s["李小明"].volunteer == town.teacher  # a video call is not one-to-one


def test_capacity_is_respected_and_the_overflow_says_why(world: World, town: Town) -> None:
    town.offer.delete()
    town.teacher.hours_per_month = 2  # one need of 2 hours
    town.teacher.save(update_fields=["hours_per_month"])
    run = services.match_run(actor=world.sam, township=world.town_a)
    assert run.assigned_count == 1
    left = [s for s in run.suggestions.all() if s.volunteer is None]
    assert [s.reasons for s in left] == [[{"code": "capacity"}]]


def test_a_volunteer_beyond_her_travel_limit_or_in_another_town_is_not_a_candidate(
    world: World, town: Town
) -> None:
    town.teacher.max_travel_km = 1
    town.teacher.save(update_fields=["max_travel_km"])
    volunteer(world, "Q镇的人", world.village_b1, ["family_video_call"])
    s = _by_child(services.match_run(actor=world.sam, township=world.town_a))
    assert s["李小明"].organisation == world.ngo


def test_accepting_assigns_the_need_and_is_audited(world: World, town: Town) -> None:
    run = services.match_run(actor=world.sam, township=world.town_a)
    s = _by_child(run)["张红梅"]
    services.suggestion_accept(actor=world.sam, suggestion=s)
    town.study.refresh_from_db()
    assert (town.study.status, town.study.assigned_volunteer) == ("assigned", town.teacher)
    assert AuditEvent.objects.filter(action="need.assigned").count() == 1
    assert AuditEvent.objects.filter(action="suggestion.accepted").count() == 1
    with pytest.raises(ValidationFailed):
        services.suggestion_accept(actor=world.sam, suggestion=s)
    # The next run no longer proposes the assigned need, and counts the teacher's hours.
    assert services.match_run(actor=world.sam, township=world.town_a).needs_count == 1


def test_accept_all_then_change_and_reject(world: World, town: Town) -> None:
    run = services.match_run(actor=world.sam, township=world.town_a)
    s = _by_child(run)
    services.suggestion_change(
        actor=world.sam,
        suggestion=s["李小明"],
        candidate_key=f"o:{world.ngo.public_id}:family_video_call",
    )
    town.call.refresh_from_db()
    assert town.call.assigned_organisation == world.ngo
    assert MatchSuggestion.objects.get(pk=s["李小明"].pk).decision == "changed"
    accepted, refused = services.suggestion_accept_all(actor=world.sam, run=run)
    assert (accepted, refused) == (1, [])
    run2 = services.match_run(actor=world.sam, township=world.town_a)
    assert run2.needs_count == 0


def test_change_refuses_an_ineligible_helper(world: World, town: Town) -> None:
    run = services.match_run(actor=world.sam, township=world.town_a)
    stranger = volunteer(world, "外人", world.village_b1, ["study_support"])
    with pytest.raises(ValidationFailed):
        services.suggestion_change(
            actor=world.sam,
            suggestion=_by_child(run)["张红梅"],
            candidate_key=f"v:{stranger.public_id}",
        )
    town.study.refresh_from_db()
    assert town.study.status == "open"


def test_rejecting_leaves_the_need_open(world: World, town: Town) -> None:
    run = services.match_run(actor=world.sam, township=world.town_a)
    services.suggestion_reject(actor=world.sam, suggestion=_by_child(run)["张红梅"])
    town.study.refresh_from_db()
    assert town.study.status == "open"
    assert AuditEvent.objects.filter(action="suggestion.rejected").exists()


def test_another_towns_supervisor_and_a_director_cannot_run_matching_for_s_town(
    world: World, town: Town
) -> None:
    with pytest.raises(NotFound):
        services.match_run(actor=world.bob, township=world.town_a)
    with pytest.raises(NotFound):
        services.match_run(actor=world.alice, township=world.town_a)
    run = services.match_run(actor=world.sam, township=world.town_a)
    with pytest.raises(NotFound):
        services.suggestion_accept(actor=world.bob, suggestion=_by_child(run)["张红梅"])


def test_needs_are_raised_from_plan_actions_owned_only_by_the_village_or_family(
    world: World,
) -> None:
    committee = OrganisationFactory(
        org_type=Organisation.Type.VILLAGE_COMMITTEE, area=world.village_a1
    )
    case = Case.objects.create(
        child=world.hongmei,
        follow_up_days=30,
        opened_on=dt.date(2026, 1, 1),
        next_follow_up_due=dt.date(2026, 12, 1),
    )
    plan = CarePlan.objects.create(
        case=case, status="active", goals="x", review_due_on=dt.date(2027, 1, 1)
    )
    due = dt.date(2026, 12, 1)
    local = PlanAction.objects.create(
        plan=plan, domain="education", description="作业", owner_organisation=committee, due_on=due
    )
    PlanAction.objects.create(  # a named person owns it: not raised
        plan=plan, domain="psychological", description="谈心", owner_user=world.alice, due_on=due
    )
    PlanAction.objects.create(  # a school owns it: not raised
        plan=plan, domain="safety", description="安全", owner_organisation=world.school, due_on=due
    )
    assert services.needs_raise_from_plan_actions(actor=world.sam, township=world.town_a) == 1
    need = ServiceNeed.objects.get()
    assert (need.plan_action, need.service_type.code) == (local, "study_support")
    # Again: nothing new.
    assert services.needs_raise_from_plan_actions(actor=world.sam, township=world.town_a) == 0


def test_loading_takes_a_constant_number_of_queries(
    world: World, town: Town, django_assert_max_num_queries: object
) -> None:
    for i in range(6):
        volunteer(world, f"志愿者{i}", world.village_a2, ["study_support", "companionship"])
    from shouwang.services import services as service_writes  # noqa: PLC0415

    service_writes.raise_need(
        actor=world.alice, child=world.hongmei, service_type=st("companionship")
    )
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        loaded = load_township(world.town_a)
    assert len(loaded.needs) == 3


def test_a_stale_suggestion_never_overrides_a_later_assignment(world: World, town: Town) -> None:
    first = services.match_run(actor=world.sam, township=world.town_a)
    second = services.match_run(actor=world.sam, township=world.town_a)
    services.suggestion_change(
        actor=world.sam,
        suggestion=_by_child(second)["李小明"],
        candidate_key=f"o:{world.ngo.public_id}:family_video_call",
    )
    with pytest.raises(ValidationFailed):
        services.suggestion_accept(actor=world.sam, suggestion=_by_child(first)["李小明"])
    town.call.refresh_from_db()
    assert town.call.assigned_organisation == world.ngo
    assert town.call.assigned_volunteer is None
