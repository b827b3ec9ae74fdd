"""Referral pages: what each persona sees and may do, and the denials (other village or
town: 404; missing capability: 403; the receiving organisation after closure: 404)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from shouwang.audit.models import AuditEvent
from shouwang.referrals import services
from shouwang.referrals.models import Referral
from shouwang.referrals.tests.conftest import T0, Refer
from shouwang.services.models import ServiceDelivery, ServiceType
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db


def _url(name: str, referral: Referral) -> str:
    return reverse(f"referrals:{name}", args=[referral.public_id])


def _page(client: Client, user: object, url: str) -> tuple[int, str]:
    client.force_login(user)  # type: ignore[arg-type]
    response = client.get(url)
    return response.status_code, response.content.decode()


# --- The provider -----------------------------------------------------------------------


def test_a_provider_lands_on_her_inbox(world: World, client: Client) -> None:
    client.force_login(world.pat)
    assert client.get("/").headers["Location"] == reverse("referrals:inbox")


def test_the_inbox_shows_pending_first_without_names_and_marks_overdue(
    world: World, client: Client, refer: Refer, time_machine: object
) -> None:
    accepted = services.referral_accept(actor=world.pat, referral=refer())
    pending = refer(
        need="需要亲情视频",
        service_type=accepted.service_type,
        child=world.xiaoming,
        actor=world.amy,
    )
    time_machine.move_to(T0 + dt.timedelta(hours=73), tick=False)  # type: ignore[attr-defined]
    status, body = _page(client, world.pat, reverse("referrals:inbox"))
    assert status == 200
    assert body.index(_url("detail", pending)) < body.index(_url("detail", accepted))
    assert "李小明" not in body  # pending: no name
    assert "张红梅" in body  # accepted: her name
    assert body.count('class="tag warn"') == 1  # the pending one is overdue


def test_a_pending_referral_shows_only_what_is_needed_to_decide(
    world: World, client: Client, refer: Refer
) -> None:
    referral = refer()
    status, body = _page(client, world.pat, _url("detail", referral))
    assert status == 200
    assert "父母外出后情绪低落" in body  # the need
    assert "Dongwang" in body or "东王村" in body  # the village
    assert "12" in body  # her age
    for hidden in (
        "张红梅",
        "13800001111",
        "李奶奶",
        "2014-09-01",
        world.hongmei.id_number or "—x",
    ):
        assert hidden not in body
    assert _url("accept", referral) in body
    assert _url("deliver", referral) not in body
    assert not AuditEvent.objects.filter(action="referral.viewed").exists()


def test_after_accepting_she_sees_the_name_and_the_caregivers_phone_only(
    world: World, client: Client, refer: Refer
) -> None:
    referral = refer()
    client.force_login(world.pat)
    response = client.post(_url("accept", referral), {"version": referral.version})
    assert response.status_code == 302
    _status, body = _page(client, world.pat, _url("detail", referral))
    assert "张红梅" in body and "李奶奶" in body and "13800001111" in body
    assert "2014-09-01" not in body  # never the birth date
    assert "李建国" not in body  # never the parents
    assert reverse("registry:child_detail", args=[world.hongmei.public_id]) not in body
    assert _url("deliver", referral) in body
    assert AuditEvent.objects.filter(action="referral.viewed", actor=world.pat).exists()


def test_she_never_opens_the_childs_profile(world: World, client: Client, refer: Refer) -> None:
    services.referral_accept(actor=world.pat, referral=refer())
    status, body = _page(client, world.pat, f"/children/{world.hongmei.public_id}/")
    assert status == 403
    assert "张红梅" not in body


def test_she_records_a_delivery_then_completes_and_loses_access(
    world: World, client: Client, refer: Refer
) -> None:
    referral = services.referral_accept(actor=world.pat, referral=refer())
    client.force_login(world.pat)
    bad = client.post(
        _url("deliver", referral), {"delivered_on": "2026-12-31", "duration_minutes": 30}
    )
    assert bad.status_code == 200
    assert not ServiceDelivery.objects.exists()
    ok = client.post(
        _url("deliver", referral),
        {"delivered_on": "2026-11-19", "duration_minutes": 50, "notes": "第一次辅导"},
    )
    assert ok.status_code == 302
    delivery = ServiceDelivery.objects.get()
    assert (delivery.referral, delivery.organisation, delivery.duration_minutes) == (
        referral,
        world.ngo,
        50,
    )
    referral.refresh_from_db()
    done = client.post(
        _url("complete", referral), {"version": referral.version, "outcome": "情绪好转"}
    )
    assert done.headers["Location"] == reverse("referrals:inbox")
    for name in ("detail", "accept", "decline", "complete", "deliver", "withdraw"):
        for method in (client.get, client.post):
            response = method(_url(name, referral))
            assert response.status_code == 404, (name, method)
            assert "张红梅" not in response.content.decode()
    assert ServiceDelivery.objects.count() == 1
    _status, body = _page(client, world.pat, reverse("referrals:inbox"))
    assert "张红梅" not in body


@pytest.mark.parametrize("close", ["decline", "withdraw"])
def test_after_decline_or_withdrawal_the_provider_gets_not_found(
    world: World, client: Client, refer: Refer, close: str
) -> None:
    referral = refer()
    if close == "decline":
        services.referral_decline(actor=world.pat, referral=referral, reason="满员")
    else:
        services.referral_withdraw(actor=world.alice, referral=referral)
    status, body = _page(client, world.pat, _url("detail", referral))
    assert status == 404
    assert "父母外出后情绪低落" not in body


def test_a_decline_without_a_reason_is_refused_on_the_page(
    world: World, client: Client, refer: Refer, english_messages: None
) -> None:
    client.cookies["django_language"] = "en"
    referral = refer()
    client.force_login(world.pat)
    response = client.post(_url("decline", referral), {"version": referral.version, "reason": ""})
    assert response.status_code == 200
    assert "Say why you decline" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "pending"


def test_a_stale_accept_is_refused_on_the_page(
    world: World, client: Client, refer: Refer, english_messages: None
) -> None:
    client.cookies["django_language"] = "en"
    referral = refer()
    services.referral_withdraw(actor=world.alice, referral=referral)
    client.force_login(world.sam)  # still sees it, but may not answer
    assert client.post(_url("accept", referral), {"version": 1}).status_code == 403


# --- The sending side and oversight ----------------------------------------------------


def test_the_director_refers_from_the_childs_profile(
    world: World, client: Client, offer: object, counselling: ServiceType
) -> None:
    status, body = _page(client, world.alice, f"/children/{world.hongmei.public_id}/")
    new_url = reverse("referrals:new", args=[world.hongmei.public_id])
    assert new_url in body
    status, body = _page(client, world.alice, new_url)
    assert status == 200 and "阳光社工" in body
    response = client.post(
        new_url,
        {
            "service_type": str(counselling.public_id),
            "to_organisation": str(world.ngo.public_id),
            "need": "需要心理辅导",
        },
    )
    referral = Referral.objects.get()
    assert response.headers["Location"] == _url("detail", referral)
    assert referral.created_by == world.alice


def test_a_bad_referral_form_saves_nothing(
    world: World, client: Client, offer: object, counselling: ServiceType, english_messages: None
) -> None:
    client.cookies["django_language"] = "en"
    client.force_login(world.alice)
    response = client.post(
        reverse("referrals:new", args=[world.hongmei.public_id]),
        {
            "service_type": str(counselling.public_id),
            "to_organisation": str(world.ngo.public_id),
            "need": " ",
        },
    )
    assert response.status_code == 200
    assert "Say what the child needs." in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("persona", "code"), [("bob", 404), ("amy", 404), ("carl", 403), ("pat", 403)]
)
def test_others_cannot_refer_hongmei(
    world: World, client: Client, offer: object, persona: str, code: int
) -> None:
    client.force_login(getattr(world, persona))
    url = reverse("referrals:new", args=[world.hongmei.public_id])
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == code
        assert "张红梅" not in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("alice", 200),
        ("sam", 200),
        ("carl", 200),
        ("amy", 404),
        ("bob", 404),
        ("tina", 404),
        ("nora", 403),
    ],
)
def test_who_opens_a_referral(
    world: World, client: Client, refer: Refer, persona: str, code: int
) -> None:
    status, body = _page(client, getattr(world, persona), _url("detail", refer()))
    assert status == code
    assert ("张红梅" in body) == (code == 200)


def test_the_county_officer_sees_but_cannot_answer_or_withdraw(
    world: World, client: Client, refer: Refer
) -> None:
    referral = refer()
    client.force_login(world.carl)
    for name in ("accept", "withdraw"):
        assert client.post(_url(name, referral), {"version": 1}).status_code == 403
    referral.refresh_from_db()
    assert referral.status == "pending"


def test_the_sender_withdraws_from_the_page(world: World, client: Client, refer: Refer) -> None:
    referral = refer()
    client.force_login(world.alice)
    response = client.post(_url("withdraw", referral), {"version": referral.version})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "withdrawn"


def test_the_area_list_filters_by_status(
    world: World, client: Client, refer: Refer, time_machine: object
) -> None:
    open_one = refer()
    services.referral_decline(actor=world.pat, referral=open_one, reason="满员")
    pending = refer()
    _s, body = _page(client, world.sam, reverse("referrals:list"))
    assert _url("detail", pending) in body and _url("detail", open_one) not in body
    _s, body = _page(client, world.sam, reverse("referrals:list") + "?status=declined")
    assert _url("detail", open_one) in body and _url("detail", pending) not in body
    _s, body = _page(client, world.sam, reverse("referrals:list") + "?status=overdue")
    assert _url("detail", pending) not in body
    time_machine.move_to(T0 + dt.timedelta(hours=80), tick=False)  # type: ignore[attr-defined]
    _s, body = _page(client, world.sam, reverse("referrals:list") + "?status=overdue")
    assert _url("detail", pending) in body
    _s, body = _page(client, world.bob, reverse("referrals:list") + "?status=all")
    assert "张红梅" not in body and _url("detail", pending) not in body


def test_the_inbox_costs_the_same_queries_for_one_referral_or_many(
    world: World, client: Client, refer: Refer, counselling: ServiceType
) -> None:
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from shouwang.testing.factories import ChildFactory, add_family  # noqa: PLC0415

    services.referral_accept(actor=world.pat, referral=refer())
    client.force_login(world.pat)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("referrals:inbox"))
    for _ in range(5):
        child = ChildFactory(village=world.village_a1)
        add_family(child)
        services.referral_accept(actor=world.pat, referral=refer(child=child))
    with CaptureQueriesContext(connection) as six:
        body = client.get(reverse("referrals:inbox")).content.decode()
    assert body.count("李奶奶") == 0  # the inbox names children, not caregivers
    assert len(six) == len(one)


def test_a_long_list_shows_the_first_page_and_says_so(
    world: World,
    client: Client,
    refer: Refer,
    monkeypatch: pytest.MonkeyPatch,
    english_messages: None,
) -> None:
    from shouwang.referrals import selectors  # noqa: PLC0415

    monkeypatch.setattr(selectors, "PAGE_ROWS", 1)
    refer()
    refer(child=world.xiaoming, actor=world.amy)
    client.cookies["django_language"] = "en"
    for user, url in (
        (world.sam, reverse("referrals:list")),
        (world.pat, reverse("referrals:inbox")),
    ):
        _status, body = _page(client, user, url)
        assert "Showing the first 1 of 2." in body
        assert body.count('class="referral-row') == 1
