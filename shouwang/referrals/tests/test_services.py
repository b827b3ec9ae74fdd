"""Referral writes: who may take each step, what is written and audited, what is refused."""

import datetime as dt

import pytest
from django.test import override_settings

from shouwang.audit.models import AuditEvent
from shouwang.core.errors import NotFound, PermissionDenied, ValidationFailed
from shouwang.notifications.models import Notification
from shouwang.referrals import services
from shouwang.referrals.models import Referral
from shouwang.referrals.tests.conftest import T0, Refer
from shouwang.services.models import ServiceDelivery, ServiceType
from shouwang.services.services import record_delivery
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db


def _deliver(world: World, referral: Referral, actor=None) -> ServiceDelivery:
    return record_delivery(
        actor=actor or world.pat,
        child=referral.child,
        service_type=referral.service_type,
        delivered_on=dt.date(2026, 11, 19),
        duration_minutes=45,
        organisation=world.ngo,
        referral=referral,
    )


def test_a_director_refers_a_child_of_her_village(world: World, refer: Refer) -> None:
    referral = refer()
    assert referral.status == "pending"
    assert referral.to_organisation == world.ngo
    assert referral.from_organisation is None  # a child director names no organisation
    assert referral.respond_by == T0 + dt.timedelta(hours=72)
    event = AuditEvent.objects.get(action="referral.created")
    assert event.actor == world.alice
    assert event.extra["service"] == "psych_counselling"
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["pat"]


@override_settings(SHOUWANG_REFERRAL_RESPONSE_HOURS=24)
def test_the_response_window_is_a_setting(refer: Refer) -> None:
    assert refer().respond_by == T0 + dt.timedelta(hours=24)


def test_a_school_liaison_refers_from_her_school(world: World, refer: Refer) -> None:
    referral = refer(actor=world.tina, child=world.xiaoming)
    assert referral.from_organisation == world.school


def test_bad_input_is_refused_and_nothing_is_saved(
    world: World, refer: Refer, english_messages: None
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        refer(need="  ", to_organisation=world.school)
    assert exc.value.field_errors["need"] == ["Say what the child needs."]
    assert "does not offer" in str(exc.value.field_errors["to_organisation"][0])
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action="referral.created").exists()


def test_an_organisation_that_does_not_offer_the_service_there_is_refused(
    world: World, refer: Refer
) -> None:
    study = ServiceType.objects.get(code="study_support")
    with pytest.raises(ValidationFailed):
        refer(service_type=study)
    world.ngo.active = False
    world.ngo.save()
    with pytest.raises(ValidationFailed):
        refer()
    assert not Referral.objects.exists()


def test_the_same_open_referral_is_not_made_twice(refer: Refer) -> None:
    refer()
    with pytest.raises(ValidationFailed):
        refer()
    assert Referral.objects.count() == 1


def test_only_the_childs_area_may_refer(world: World, refer: Refer) -> None:
    with pytest.raises(NotFound):
        refer(actor=world.bob)
    with pytest.raises(NotFound):
        refer(actor=world.amy)
    with pytest.raises(PermissionDenied):
        refer(actor=world.carl)  # sees the child, may not refer
    with pytest.raises(NotFound):
        refer(actor=world.pat)  # no route to a child without a referral
    assert not Referral.objects.exists()


def test_the_provider_accepts_and_the_sender_is_told(world: World, refer: Refer) -> None:
    referral = services.referral_accept(actor=world.pat, referral=refer())
    assert (referral.status, referral.responded_by, referral.version) == ("accepted", world.pat, 2)
    assert AuditEvent.objects.filter(action="referral.accepted", actor=world.pat).exists()
    assert Notification.objects.filter(recipient=world.alice, kind="referrals.answered").exists()


def test_the_sending_side_cannot_answer_and_another_organisation_cannot_see_it(
    world: World, refer: Refer, other_ngo: object
) -> None:
    from shouwang.testing.factories import RoleAssignmentFactory, UserFactory  # noqa: PLC0415

    referral = refer()
    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=world.sam, referral=referral)
    quinn = UserFactory(username="quinn")
    RoleAssignmentFactory(
        user=quinn, role="service_provider", area=world.county, organisation=other_ngo
    )
    with pytest.raises(NotFound):
        services.referral_accept(actor=quinn, referral=referral)
    referral.refresh_from_db()
    assert referral.status == "pending"


def test_declining_needs_a_reason(world: World, refer: Refer, english_messages: None) -> None:
    referral = refer()
    with pytest.raises(ValidationFailed) as exc:
        services.referral_decline(actor=world.pat, referral=referral, reason=" ")
    assert "reason" in exc.value.field_errors
    referral.refresh_from_db()
    assert referral.status == "pending"
    referral = services.referral_decline(actor=world.pat, referral=referral, reason="人手不足")
    assert (referral.status, referral.decline_reason) == ("declined", "人手不足")
    assert referral.closed_at == T0


def test_an_invalid_step_is_refused_with_a_clear_message(
    world: World, refer: Refer, english_messages: None
) -> None:
    referral = services.referral_accept(actor=world.pat, referral=refer())
    with pytest.raises(ValidationFailed) as exc:
        services.referral_decline(actor=world.pat, referral=referral, reason="太远")
    assert str(exc.value.message) == "This step is not possible now. The referral is: Accepted."


def test_a_stale_form_is_refused_not_overwritten(world: World, refer: Refer) -> None:
    referral = refer()
    services.referral_accept(actor=world.pat, referral=Referral.objects.get(pk=referral.pk))
    with pytest.raises(ValidationFailed):
        services.referral_withdraw(actor=world.alice, referral=referral, version=1)
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert AuditEvent.objects.filter(action="referral.withdrawn").count() == 0


def test_deliveries_are_recorded_only_once_accepted(world: World, refer: Refer) -> None:
    referral = refer()
    with pytest.raises(PermissionDenied):
        _deliver(world, referral)  # pending: she sees the referral, not yet the child
    referral = services.referral_accept(actor=world.pat, referral=referral)
    delivery = _deliver(world, referral)
    assert delivery.referral == referral
    assert AuditEvent.objects.filter(action="service.delivered", actor=world.pat).exists()


def test_completing_needs_an_outcome_and_a_delivery(
    world: World, refer: Refer, english_messages: None
) -> None:
    referral = services.referral_accept(actor=world.pat, referral=refer())
    with pytest.raises(ValidationFailed) as exc:
        services.referral_complete(actor=world.pat, referral=referral, outcome="")
    assert exc.value.field_errors["outcome"] == ["Say what the service achieved."]
    with pytest.raises(ValidationFailed) as exc:
        services.referral_complete(actor=world.pat, referral=referral, outcome="情绪好转")
    assert "at least one delivery" in str(exc.value.message)
    _deliver(world, referral)
    referral = services.referral_complete(actor=world.pat, referral=referral, outcome="情绪好转")
    assert (referral.status, referral.outcome) == ("completed", "情绪好转")
    assert AuditEvent.objects.get(action="referral.completed").extra["deliveries"] == 1


def test_after_completion_the_provider_no_longer_reaches_the_child(
    world: World, refer: Refer
) -> None:
    referral = services.referral_accept(actor=world.pat, referral=refer())
    _deliver(world, referral)
    referral = services.referral_complete(actor=world.pat, referral=referral, outcome="好转")
    with pytest.raises(NotFound):
        _deliver(world, referral)
    with pytest.raises(NotFound):
        services.referral_withdraw(actor=world.pat, referral=referral)


def test_the_sender_withdraws_and_the_provider_cannot(world: World, refer: Refer) -> None:
    referral = refer()
    with pytest.raises(PermissionDenied):
        services.referral_withdraw(actor=world.pat, referral=referral)
    referral = services.referral_withdraw(actor=world.alice, referral=referral)
    assert referral.status == "withdrawn"
    with pytest.raises(NotFound):
        services.referral_accept(actor=world.pat, referral=referral)


def test_an_overdue_referral_is_told_once_to_both_sides_and_the_supervisor(
    world: World, refer: Refer
) -> None:
    referral = refer()
    answered = services.referral_accept(
        actor=world.pat, referral=refer(child=world.xiaoming, actor=world.amy)
    )
    Notification.objects.all().delete()
    assert services.referrals_flag_overdue(T0 + dt.timedelta(hours=71)) == {"told": 0, "skipped": 0}
    later = T0 + dt.timedelta(hours=73)
    assert services.referrals_flag_overdue(later) == {"told": 1, "skipped": 0}
    assert services.referrals_flag_overdue(later) == {"told": 0, "skipped": 0}
    told = set(
        Notification.objects.filter(kind="referrals.overdue", channel="in_app").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"pat", "alice", "sam"}  # not bob, not carl, not amy
    referral.refresh_from_db()
    assert referral.overdue_notified_at == later
    event = AuditEvent.objects.get(action="referral.overdue")
    assert event.actor is None and sorted(event.extra["told"]) == ["alice", "pat", "sam"]
    answered.refresh_from_db()
    assert answered.overdue_notified_at is None


def test_the_overdue_pass_is_a_worker_job(world: World, refer: Refer) -> None:
    from shouwang.notifications import worker  # noqa: PLC0415

    refer()
    results = worker.run_once(T0 + dt.timedelta(hours=80))
    assert results["referrals_overdue"] == {"told": 1, "skipped": 0}
