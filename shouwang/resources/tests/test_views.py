"""The registry pages: who sees what (phone numbers only for managers), 404 across towns,
403 for readers who try to write, and forms that save through the services."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from shouwang.resources import services
from shouwang.resources.models import Fund, FundEntry, MaterialDonation, Volunteer
from shouwang.services.models import ServiceType
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(world: World) -> Volunteer:
    return services.volunteer_save(
        actor=world.sam,
        name="赵老师",
        area=world.village_a1,
        phone="13812345678",
        skills=[ServiceType.objects.get(code="study_support")],
    )


def test_a_supervisor_sees_volunteers_with_phone_and_a_director_without(
    world: World, client: Client, volunteer: Volunteer
) -> None:
    url = f"/resources/volunteers/{volunteer.public_id}/"
    client.force_login(world.sam)
    assert "13812345678" in client.get(url).content.decode()
    assert "赵老师" in client.get("/resources/").content.decode()
    client.force_login(world.alice)
    body = client.get(url).content.decode()
    assert "赵老师" in body
    assert "13812345678" not in body


def test_a_director_gets_403_on_edit_and_another_town_404(
    world: World, client: Client, volunteer: Volunteer
) -> None:
    url = f"/resources/volunteers/{volunteer.public_id}/edit/"
    client.force_login(world.alice)
    assert client.get(url).status_code == 403
    client.force_login(world.bob)
    assert client.get(url).status_code == 404
    assert client.get(f"/resources/volunteers/{volunteer.public_id}/").status_code == 404
    assert "赵老师" not in client.get("/resources/").content.decode()
    client.force_login(world.amy)  # the volunteer lives in A1, not in amy's A2
    assert client.get(f"/resources/volunteers/{volunteer.public_id}/").status_code == 404


def test_a_supervisor_registers_a_volunteer_through_the_form(world: World, client: Client) -> None:
    client.force_login(world.sam)
    st = ServiceType.objects.get(code="companionship")
    response = client.post(
        "/resources/volunteers/new/",
        {
            "name": "钱阿姨",
            "area": world.village_a2.pk,
            "skills": [st.pk],
            "dialects": "河南话，普通话",
            "hours_per_month": 6,
            "max_travel_km": 5,
            "vetting": "vetted",
            "vetted_on": "2026-01-05",
            "active": "on",
        },
    )
    assert response.status_code == 302
    v = Volunteer.objects.get(name="钱阿姨")
    assert (v.dialects, v.vetting) == ("河南话, 普通话", "vetted")


def test_a_bad_volunteer_form_shows_the_message_and_saves_nothing(
    world: World, client: Client
) -> None:
    client.force_login(world.sam)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # she switched to English
    response = client.post(
        "/resources/volunteers/new/",
        {
            "name": "钱阿姨",
            "area": world.village_a2.pk,
            "hours_per_month": 6,
            "max_travel_km": 5,
            "vetting": "vetted",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Enter the date the vetting was completed." in response.content.decode()
    assert not Volunteer.objects.exists()


def test_fund_pages_record_entries_and_refuse_overspending(world: World, client: Client) -> None:
    client.force_login(world.sam)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # she switched to English
    response = client.post(
        "/resources/funds/new/",
        {
            "name": "关爱基金",
            "source": "县慈善总会",
            "sector": "voluntary",
            "area": world.town_a.pk,
            "amount": "500",
            "purpose": "学习用品",
            "received_on": "2026-11-01",
        },
    )
    fund = Fund.objects.get()
    assert response["Location"] == f"/resources/funds/{fund.public_id}/"
    url = response["Location"]
    client.post(url, {"kind": "allocated", "amount": "300", "on": "2026-11-02", "purpose": "书包"})
    response = client.post(
        url, {"kind": "spent", "amount": "301", "on": "2026-11-02", "purpose": "书包"}
    )
    body = response.content.decode()
    assert "Only 300.00 yuan of the allocated money is not yet spent." in body
    assert FundEntry.objects.count() == 1
    listing = client.get("/resources/funds/").content.decode()
    assert "300.00" in listing
    client.force_login(world.alice)  # a director does not see a township fund
    assert client.get(url).status_code == 404
    client.force_login(world.carl)  # the county officer manages it too
    assert client.get(url).status_code == 200


def test_donation_is_given_to_a_child_and_readers_cannot_post(world: World, client: Client) -> None:
    d = services.donation_register(
        actor=world.sam,
        item="冬衣",
        quantity=3,
        donor_name="爱心企业",
        sector="market",
        area=world.village_a1,
        received_on=dt.date(2026, 11, 1),
    )
    url = f"/resources/material/{d.public_id}/"
    client.force_login(world.sam)
    page = client.get(url).content.decode()
    assert "张红梅" in page  # a child of the area is offered
    assert "王强" not in page
    client.post(url, {"child": world.hongmei.pk, "quantity": 2, "given_on": "2026-11-02"})
    assert d.distributions.get().quantity == 2
    client.force_login(world.alice)  # she may see the village's donation, not give it out
    assert client.get(url).status_code == 200
    assert (
        client.post(
            url, {"child": world.hongmei.pk, "quantity": 1, "given_on": "2026-11-02"}
        ).status_code
        == 403
    )
    client.force_login(world.bob)
    assert client.get(url).status_code == 404
    assert MaterialDonation.objects.get().distributions.count() == 1


def test_the_lists_take_a_constant_number_of_queries(
    world: World, client: Client, django_assert_max_num_queries: object
) -> None:
    skills = list(ServiceType.objects.all()[:3])
    for i in range(8):
        services.volunteer_save(
            actor=world.sam, name=f"志愿者{i}", area=world.village_a1, skills=skills
        )
    client.force_login(world.sam)
    for url in ("/resources/", "/resources/funds/", "/resources/material/"):
        with django_assert_max_num_queries(12):  # type: ignore[operator]
            assert client.get(url).status_code == 200
