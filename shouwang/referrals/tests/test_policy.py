"""The referral route in the access policy: what an open referral opens to the receiving
organisation's provider, and what it never opens."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shouwang.access.capabilities import Cap
from shouwang.access.policies import can, can_on, holders, require, scope
from shouwang.core.errors import NotFound, PermissionDenied
from shouwang.referrals import services
from shouwang.referrals.models import Referral
from shouwang.referrals.tests.conftest import Refer
from shouwang.registry.models import Child
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db


def _referrals(world: World, cap: Cap = Cap.VIEW_REFERRALS) -> set[Referral]:
    return set(scope(world.pat, cap, Referral.objects.all()))


def _children(world: World, cap: Cap) -> set[Child]:
    return set(scope(world.pat, cap, Child.objects.all()))


def test_a_provider_holds_no_view_of_children_at_all(world: World) -> None:
    assert not can(world.pat, Cap.VIEW_CHILD)
    assert _children(world, Cap.RECORD_DELIVERY) == set()
    assert _referrals(world) == set()


def test_a_pending_referral_opens_itself_but_not_the_child(world: World, refer: Refer) -> None:
    referral = refer()
    assert _referrals(world) == {referral}
    assert _children(world, Cap.RECORD_DELIVERY) == set()
    assert not can_on(world.pat, Cap.RECORD_DELIVERY, world.hongmei)
    with pytest.raises(PermissionDenied):  # in view through the referral, not yet to serve
        require(world.pat, Cap.RECORD_DELIVERY, world.hongmei)
    with pytest.raises(NotFound):
        require(world.pat, Cap.RECORD_DELIVERY, world.qiang)


def test_an_accepted_referral_opens_the_child_for_deliveries_only(
    world: World, refer: Refer
) -> None:
    services.referral_accept(actor=world.pat, referral=refer())
    assert _children(world, Cap.RECORD_DELIVERY) == {world.hongmei}
    assert _children(world, Cap.VIEW_CHILD) == set()
    assert not can_on(world.pat, Cap.VIEW_CHILD, world.hongmei)
    with CaptureQueriesContext(connection) as queries:
        assert can_on(world.pat, Cap.RECORD_DELIVERY, world.hongmei)
    assert len(queries) == 1  # the documented cost of the route (grants are cached)


@pytest.mark.parametrize("close", ["decline", "withdraw", "complete"])
def test_a_closed_referral_opens_nothing(world: World, refer: Refer, close: str) -> None:
    from shouwang.services.services import record_delivery  # noqa: PLC0415

    referral = refer()
    if close == "decline":
        services.referral_decline(actor=world.pat, referral=referral, reason="满员")
    elif close == "withdraw":
        services.referral_withdraw(actor=world.alice, referral=referral)
    else:
        referral = services.referral_accept(actor=world.pat, referral=referral)
        record_delivery(
            actor=world.pat,
            child=world.hongmei,
            service_type=referral.service_type,
            delivered_on=referral.created_at.date(),
            referral=referral,
        )
        services.referral_complete(actor=world.pat, referral=referral, outcome="好转")
    referral.refresh_from_db()
    assert _referrals(world) == set()
    assert _children(world, Cap.RECORD_DELIVERY) == set()
    assert not can_on(world.pat, Cap.VIEW_REFERRALS, referral)
    with pytest.raises(NotFound):
        require(world.pat, Cap.VIEW_REFERRALS, referral)
    with pytest.raises(NotFound):
        require(world.pat, Cap.RECORD_DELIVERY, world.hongmei)


def test_an_open_referral_does_not_open_the_childs_earlier_referrals(
    world: World, refer: Refer
) -> None:
    first = refer()
    services.referral_decline(actor=world.pat, referral=first, reason="满员")
    second = refer()
    assert _referrals(world) == {second}


def test_the_area_route_still_sees_every_referral_of_its_children(
    world: World, refer: Refer
) -> None:
    referral = refer()
    services.referral_withdraw(actor=world.alice, referral=referral)
    for user in (world.alice, world.sam, world.carl):
        assert set(scope(user, Cap.VIEW_REFERRALS, Referral.objects.all())) == {referral}
    for user in (world.amy, world.bob, world.tina, world.rita, world.nora):
        assert not scope(user, Cap.VIEW_REFERRALS, Referral.objects.all()).exists()


def test_holders_of_an_open_referral_include_the_receiving_provider(
    world: World, refer: Refer
) -> None:
    referral = refer()
    assert list(holders(Cap.RESPOND_REFERRAL, referral)) == [world.pat]
    services.referral_withdraw(actor=world.alice, referral=referral)
    referral.refresh_from_db()
    assert list(holders(Cap.RESPOND_REFERRAL, referral)) == []
