"""The resources registry's writes: reach, validation (nothing saved on bad input) and audit."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from shouwang.audit.models import AuditEvent
from shouwang.core.errors import NotFound, PermissionDenied, ValidationFailed
from shouwang.resources import services
from shouwang.resources.models import Fund, FundEntry, MaterialDistribution, Volunteer
from shouwang.services.models import ServiceType
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False)


def _volunteer(world: World, **kw: object) -> Volunteer:
    data: dict[str, object] = {
        "actor": world.sam,
        "name": "赵老师",
        "area": world.village_a1,
        "phone": "13800000000",
        "skills": [ServiceType.objects.get(code="study_support")],
        "dialects": "普通话，河南话, Mandarin",
    }
    data.update(kw)
    return services.volunteer_save(**data)  # type: ignore[arg-type]


def test_a_supervisor_registers_a_volunteer_with_skills_and_both_comma_styles(world: World) -> None:
    v = _volunteer(world)
    assert v.dialects == "普通话, 河南话, Mandarin"
    assert [s.code for s in v.skills.all()] == ["study_support"]
    assert AuditEvent.objects.filter(
        action="volunteer.registered", target_id=str(v.public_id)
    ).exists()


def test_a_change_of_vetting_is_audited_with_old_and_new_status(world: World) -> None:
    v = _volunteer(world)
    services.volunteer_save(
        actor=world.sam,
        volunteer=v,
        name=v.name,
        area=v.area,
        vetting="vetted",
        vetted_on=dt.date(2026, 11, 1),
    )
    event = AuditEvent.objects.get(action="volunteer.vetting_changed")
    assert event.extra == {"from": "not_vetted", "to": "vetted"}
    v.refresh_from_db()
    assert (v.vetting, v.vetted_on) == ("vetted", dt.date(2026, 11, 1))


def test_it_refuses_vetted_without_a_date_and_saves_nothing(
    world: World, english_messages: None
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _volunteer(world, vetting="vetted", hours_per_month=0)
    assert exc.value.field_errors["vetted_on"] == ["Enter the date the vetting was completed."]
    assert exc.value.field_errors["hours_per_month"] == ["Enter between 1 and 200 hours a month."]
    assert not Volunteer.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="volunteer.").exists()


def test_a_supervisor_cannot_register_a_volunteer_in_another_town(world: World) -> None:
    with pytest.raises(ValidationFailed) as exc:
        _volunteer(world, area=world.village_b1)
    assert "area" in exc.value.field_errors
    assert not Volunteer.objects.exists()


def test_a_director_may_not_register_volunteers(world: World) -> None:
    with pytest.raises(PermissionDenied):
        _volunteer(world, actor=world.alice)


def test_another_towns_supervisor_cannot_change_the_volunteer(world: World) -> None:
    v = _volunteer(world)
    with pytest.raises(NotFound):
        services.volunteer_save(actor=world.bob, volunteer=v, name="x", area=world.village_b1)


def _fund(world: World, amount: str = "1000") -> Fund:
    return services.fund_register(
        actor=world.sam,
        name="关爱基金",
        source="县慈善总会",
        sector="voluntary",
        area=world.town_a,
        amount=Decimal(amount),
        purpose="学习用品",
        received_on=TODAY,
    )


def test_fund_allocated_and_spent_are_sums_of_entries_and_overruns_are_refused(
    world: World, english_messages: None
) -> None:
    fund = _fund(world)
    entry = services.fund_entry_record
    entry(
        actor=world.sam, fund=fund, kind="allocated", amount=Decimal(600), on=TODAY, purpose="书包"
    )
    entry(actor=world.sam, fund=fund, kind="spent", amount=Decimal(500), on=TODAY, purpose="书包")
    with pytest.raises(ValidationFailed) as exc:
        entry(actor=world.sam, fund=fund, kind="spent", amount=Decimal(101), on=TODAY, purpose="x")
    assert exc.value.field_errors["amount"] == [
        "Only 100.00 yuan of the allocated money is not yet spent."
    ]
    with pytest.raises(ValidationFailed) as exc:
        entry(
            actor=world.sam, fund=fund, kind="allocated", amount=Decimal(401), on=TODAY, purpose="x"
        )
    message = "Only 400.00 yuan of this fund is not yet allocated."
    assert exc.value.field_errors["amount"] == [message]
    assert services.fund_totals(fund) == {"allocated": Decimal(600), "spent": Decimal(500)}
    assert FundEntry.objects.count() == 2
    assert AuditEvent.objects.filter(action="fund.entry_recorded").count() == 2


def test_a_fund_needs_a_positive_amount(world: World) -> None:
    with pytest.raises(ValidationFailed):
        _fund(world, amount="0")
    assert not Fund.objects.exists()


def test_another_towns_supervisor_cannot_touch_the_fund(world: World) -> None:
    fund = _fund(world)
    with pytest.raises(NotFound):
        services.fund_entry_record(
            actor=world.bob, fund=fund, kind="allocated", amount=Decimal(1), on=TODAY, purpose="x"
        )


def _donation(world: World) -> object:
    return services.donation_register(
        actor=world.sam,
        item="冬衣",
        quantity=3,
        unit="件",
        donor_name="爱心企业",
        sector="market",
        area=world.town_a,
        received_on=TODAY,
    )


def test_material_goes_to_children_of_the_area_and_never_more_than_received(
    world: World, english_messages: None
) -> None:
    d = _donation(world)
    services.donation_distribute(
        actor=world.sam, donation=d, child=world.hongmei, quantity=2, given_on=TODAY
    )
    with pytest.raises(ValidationFailed) as exc:
        services.donation_distribute(
            actor=world.sam, donation=d, child=world.xiaoming, quantity=2, given_on=TODAY
        )
    assert exc.value.field_errors["quantity"] == ["Only 1 are left to give."]
    assert MaterialDistribution.objects.count() == 1
    assert AuditEvent.objects.filter(
        action="donation.distributed", target_id=str(world.hongmei.public_id)
    ).exists()


def test_material_cannot_go_to_a_child_out_of_reach(world: World) -> None:
    d = _donation(world)
    with pytest.raises(NotFound):
        services.donation_distribute(
            actor=world.sam, donation=d, child=world.qiang, quantity=1, given_on=TODAY
        )
    assert not MaterialDistribution.objects.exists()
