"""A small matching world on top of the personas: coordinates for S-town's villages, open
needs raised by the child directors, volunteers and an organisation's offer."""

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from shouwang.resources.models import Volunteer
from shouwang.services import services as service_writes
from shouwang.services.models import OrganisationService, ServiceNeed, ServiceType
from shouwang.testing.world import World


@pytest.fixture(autouse=True)
def _today(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False)


def st(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code)


def volunteer(world: World, name: str, area: object, skills: list[str], **kw: object) -> Volunteer:
    v = Volunteer.objects.create(
        name=name,
        area=area,
        vetting=kw.pop("vetting", Volunteer.Vetting.VETTED),
        vetted_on=dt.date(2026, 1, 1),
        **kw,
    )
    v.skills.set([st(c) for c in skills])
    return v


@dataclass
class Town:
    study: ServiceNeed  # hongmei (A1), study support: one-to-one
    call: ServiceNeed  # xiaoming (A2), family video call
    teacher: Volunteer  # A1, vetted, study support and calls
    offer: OrganisationService  # the NGO: family video calls for the county


@pytest.fixture
def town(world: World) -> Town:
    for area, lat in ((world.village_a1, 34.00), (world.village_a2, 34.02)):
        area.latitude, area.longitude = lat, 112.0
        area.save(update_fields=["latitude", "longitude"])
    world.hongmei.village.refresh_from_db()
    world.xiaoming.village.refresh_from_db()
    study = service_writes.raise_need(
        actor=world.alice, child=world.hongmei, service_type=st("study_support")
    )
    call = service_writes.raise_need(
        actor=world.amy, child=world.xiaoming, service_type=st("family_video_call")
    )
    teacher = volunteer(
        world, "赵老师", world.village_a1, ["study_support", "family_video_call"], dialects="河南话"
    )
    offer = OrganisationService.objects.create(
        organisation=world.ngo,
        service_type=st("family_video_call"),
        area=world.county,
        capacity_per_month=5,
    )
    return Town(study, call, teacher, offer)
