"""Helpers for the referral tests: a fixed clock, the NGO's offer, a caregiver's phone and a
short way to refer hongmei to the NGO."""

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine

from shouwang.accounts.models import Organisation
from shouwang.referrals import services
from shouwang.referrals.models import Referral
from shouwang.registry.models import CareArrangement
from shouwang.services.models import OrganisationService, ServiceType
from shouwang.testing.world import World

T0 = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai


@pytest.fixture(autouse=True)
def _clock(time_machine: time_machine.TimeMachineFixture) -> Iterator[None]:
    time_machine.move_to(T0, tick=False)
    yield


@pytest.fixture
def counselling() -> ServiceType:
    return ServiceType.objects.get(code="psych_counselling")


@pytest.fixture
def offer(world: World, counselling: ServiceType) -> OrganisationService:
    """阳光社工 offers counselling in the whole county; its caregiver has a phone."""
    granny = CareArrangement.objects.get(child=world.hongmei, ended_on__isnull=True).caregiver
    granny.phone = "13800001111"
    granny.save(update_fields=["phone"])
    return OrganisationService.objects.create(
        organisation=world.ngo, service_type=counselling, area=world.county
    )


Refer = Callable[..., Referral]


@pytest.fixture
def refer(world: World, offer: OrganisationService, counselling: ServiceType) -> Refer:
    def _refer(**overrides: Any) -> Referral:
        kwargs: dict[str, Any] = {
            "actor": world.alice,
            "child": world.hongmei,
            "to_organisation": world.ngo,
            "service_type": counselling,
            "need": "父母外出后情绪低落,需要心理辅导",
            **overrides,
        }
        return services.referral_create(**kwargs)

    return _refer


@pytest.fixture
def other_ngo(world: World, counselling: ServiceType) -> Organisation:
    from shouwang.testing.factories import OrganisationFactory  # noqa: PLC0415

    org = OrganisationFactory(name_zh="希望社工", name_en="Hope Social Work", area=world.county)
    OrganisationService.objects.create(
        organisation=org, service_type=counselling, area=world.county
    )
    return org
