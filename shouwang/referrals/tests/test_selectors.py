"""Overdue referrals (for the inbox, the sender's list and the supervisor's board) and the
panel include the lead places on the board and the worklist."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from shouwang.referrals import selectors, services
from shouwang.referrals.tests.conftest import T0, Refer
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db

LATER = T0 + dt.timedelta(hours=72, minutes=1)


def test_a_pending_referral_past_its_deadline_is_overdue_for_all_three_sides(
    world: World, refer: Refer
) -> None:
    referral = refer()
    assert selectors.overdue_referrals(world.sam, now=T0).count == 0
    for user in (world.pat, world.alice, world.sam, world.carl):
        overdue = selectors.overdue_referrals(user, now=LATER)
        assert (overdue.count, overdue.oldest) == (1, [referral]), user
    for user in (world.amy, world.bob, world.tina, world.nora):
        assert selectors.overdue_referrals(user, now=LATER).count == 0, user


def test_an_answered_referral_is_not_overdue(world: World, refer: Refer) -> None:
    services.referral_accept(actor=world.pat, referral=refer())
    assert selectors.overdue_referrals(world.sam, now=LATER).count == 0


def test_the_panel_shows_the_count_and_the_oldest_five(
    world: World, refer: Refer, counselling: object, time_machine: object
) -> None:
    from shouwang.services.models import ServiceType  # noqa: PLC0415

    for i, code in enumerate(
        [
            "psych_counselling",
            "study_support",
            "companionship",
            "life_skills",
            "home_visit",
            "legal_aid",
        ]
    ):
        service = ServiceType.objects.get(code=code)
        if code != "psych_counselling":
            world.ngo.offers.create(service_type=service, area=world.county)
        time_machine.move_to(T0 + dt.timedelta(minutes=i), tick=False)  # type: ignore[attr-defined]
        refer(service_type=service)
    time_machine.move_to(LATER + dt.timedelta(hours=1), tick=False)  # type: ignore[attr-defined]
    request = RequestFactory().get("/")
    request.user = world.sam
    html = render_to_string(
        "referrals/_overdue_panel.html", selectors.overdue_panel_context(request)
    )
    assert "6" in html
    assert html.count("/referrals/") == 6  # five referrals and the link to the list
    assert "?status=overdue" in html
    assert "张红梅" not in html  # the panel names no child


def test_the_panel_is_empty_without_overdue_referrals(world: World) -> None:
    request = RequestFactory().get("/")
    request.user = world.nora
    assert (
        render_to_string(
            "referrals/_overdue_panel.html", selectors.overdue_panel_context(request)
        ).strip()
        == ""
    )
