"""Organisations' offers: supervisors and the county list and edit what each organisation
offers in their area; the offer's area decides who may touch it."""

import pytest
from django.test import Client
from django.urls import reverse

from shouwang.accounts.models import Organisation
from shouwang.audit.models import AuditEvent
from shouwang.core.errors import NotFound, PermissionDenied, ValidationFailed
from shouwang.services import services
from shouwang.services.models import OrganisationService
from shouwang.services.tests.helpers import stype
from shouwang.testing.factories import OrganisationFactory
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db


def _offer(world: World, **kw: object) -> OrganisationService:
    args = {
        "actor": world.sam,
        "organisation": world.ngo,
        "service_type": stype("psych_counselling"),
        "area": world.town_a,
        "capacity_per_month": 12,
    }
    args.update(kw)
    return services.offer_save(**args)  # type: ignore[arg-type]


def test_a_supervisor_adds_an_offer_in_her_town_and_it_is_audited(world: World) -> None:
    offer = _offer(world)
    assert (offer.organisation, offer.area, offer.capacity_per_month) == (
        world.ngo,
        world.town_a,
        12,
    )
    event = AuditEvent.objects.get(action="offer.created")
    assert (event.area, event.extra["capacity"]) == (world.town_a, 12)


def test_she_changes_the_capacity_and_the_change_is_audited(world: World) -> None:
    offer = _offer(world)
    services.offer_save(
        actor=world.sam,
        offer=offer,
        organisation=world.ngo,
        service_type=offer.service_type,
        area=world.village_a1,
        capacity_per_month=4,
        active=False,
    )
    offer.refresh_from_db()
    assert (offer.area, offer.capacity_per_month, offer.active) == (world.village_a1, 4, False)
    assert AuditEvent.objects.filter(action="offer.changed").count() == 1


def test_the_supervisor_of_another_town_cannot_add_or_change_an_offer_here(
    world: World,
) -> None:
    with pytest.raises(NotFound):
        _offer(world, actor=world.bob)
    offer = _offer(world)
    with pytest.raises(NotFound):
        services.offer_save(
            actor=world.bob,
            offer=offer,
            organisation=world.ngo,
            service_type=offer.service_type,
            area=world.town_b,
            capacity_per_month=1,
        )
    offer.refresh_from_db()
    assert offer.area == world.town_a


@pytest.mark.parametrize("persona", ["alice", "tina", "pat", "rita", "nora", "adam"])
def test_roles_without_the_capability_are_refused(world: World, persona: str) -> None:
    with pytest.raises((PermissionDenied, NotFound)):
        _offer(world, actor=getattr(world, persona))
    assert not OrganisationService.objects.exists()


@pytest.mark.usefixtures("english_messages")
def test_bad_capacity_inactive_type_and_duplicates_are_refused(world: World) -> None:
    _offer(world)
    inactive = stype("legal_aid")
    inactive.active = False
    inactive.save(update_fields=["active"])
    with pytest.raises(ValidationFailed) as exc:
        _offer(world, capacity_per_month=-1, service_type=inactive)
    assert exc.value.field_errors == {
        "capacity_per_month": ["Enter between 0 and 10,000 children a month."],
        "service_type": ["This service is no longer offered."],
    }
    with pytest.raises(ValidationFailed) as exc:
        _offer(world)
    assert exc.value.field_errors["service_type"] == [
        "This organisation already offers this service in this area."
    ]
    assert OrganisationService.objects.count() == 1


def test_the_county_sees_every_town_and_the_page_shows_each_sector(
    world: World, client: Client
) -> None:
    OrganisationFactory(name_zh="Q镇爱心企业", sector=Organisation.Sector.MARKET, area=world.town_b)
    _offer(world)
    client.force_login(world.carl)
    body = client.get(reverse("services:offers")).content.decode()
    assert "阳光社工" in body
    assert "Q镇爱心企业" in body
    assert "sector-market" in body
    assert "心理辅导" in body


def test_a_supervisor_sees_only_organisations_serving_her_town(
    world: World, client: Client
) -> None:
    OrganisationFactory(name_zh="Q镇爱心企业", area=world.town_b)
    client.force_login(world.sam)
    body = client.get(reverse("services:offers")).content.decode()
    assert "阳光社工" in body  # based in the county: serves S-town too
    assert "S镇中心小学" in body
    assert "Q镇爱心企业" not in body


def test_the_offer_form_saves_and_refuses_bad_input(world: World, client: Client) -> None:
    client.force_login(world.sam)
    data = {
        "organisation": world.ngo.pk,
        "service_type": stype("study_support").pk,
        "area": world.village_a2.pk,
        "capacity_per_month": "6",
        "active": "on",
    }
    response = client.post(reverse("services:offer_new"), {**data, "capacity_per_month": "-3"})
    assert response.status_code == 200
    assert not OrganisationService.objects.exists()
    response = client.post(reverse("services:offer_new"), {**data, "area": world.village_b1.pk})
    assert response.status_code == 200  # Q-town's village is not a choice for sam
    assert not OrganisationService.objects.exists()
    assert client.post(reverse("services:offer_new"), data).status_code == 302
    offer = OrganisationService.objects.get()
    response = client.post(
        reverse("services:offer_edit", args=[offer.public_id]),
        {**data, "capacity_per_month": "9"},
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.capacity_per_month == 9


def test_another_towns_supervisor_gets_not_found_on_the_offer(world: World, client: Client) -> None:
    offer = _offer(world)
    client.force_login(world.bob)
    url = reverse("services:offer_edit", args=[offer.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"capacity_per_month": "1"}).status_code == 404
    body = client.get(reverse("services:offers")).content.decode()
    assert "阳光社工" in body  # the county NGO serves Q-town as well...
    assert "S镇" not in body  # ...but its offer in S-town is not bob's to see


@pytest.mark.parametrize("persona", ["alice", "pat", "rita", "nora"])
def test_the_offer_pages_are_refused_without_the_capability(
    world: World, client: Client, persona: str
) -> None:
    offer = _offer(world)
    client.force_login(getattr(world, persona))
    for url in (
        reverse("services:offers"),
        reverse("services:offer_new"),
        reverse("services:offer_edit", args=[offer.public_id]),
    ):
        assert client.get(url).status_code == 403
