"""The service catalogue: administrators add, edit, deactivate; a type in use is never
deleted; every change is audited; nobody else may touch it."""

import pytest
from django.test import Client
from django.urls import reverse

from shouwang.audit.models import AuditEvent
from shouwang.core.errors import PermissionDenied, ValidationFailed
from shouwang.services import services
from shouwang.services.models import ServiceType
from shouwang.services.tests.helpers import make_administrator, stype
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db

NEW = {
    "code": "reading_club",
    "name_zh": "读书会",
    "name_en": "Reading club",
    "domain": "education",
    "mode": "group",
    "sort_order": "50",
}


def test_the_seeded_catalogue_has_the_twelve_types(world: World) -> None:
    assert ServiceType.objects.filter(active=True).count() == 12


def test_an_administrator_adds_a_type_and_it_is_audited(world: World) -> None:
    adam = make_administrator(world)
    created = services.service_type_create(
        actor=adam,
        code=" Reading_Club ",
        name_zh="读书会",
        name_en="Reading club",
        domain="education",
        mode="group",
    )
    assert (created.code, created.active, created.one_to_one) == ("reading_club", True, False)
    event = AuditEvent.objects.get(action="service_type.created")
    assert (event.actor, event.extra["code"]) == (adam, "reading_club")


@pytest.mark.usefixtures("english_pages")
def test_a_duplicate_code_or_empty_name_is_refused_and_nothing_is_saved(world: World) -> None:
    adam = make_administrator(world)
    with pytest.raises(ValidationFailed) as exc:
        services.service_type_create(
            actor=adam,
            code="study_support",
            name_zh=" ",
            name_en="x",
            domain="education",
            mode="group",
        )
    assert exc.value.field_errors == {
        "name_zh": ["Enter the Chinese name."],
        "code": ["A service type with this code already exists."],
    }
    assert ServiceType.objects.count() == 12
    assert not AuditEvent.objects.filter(action="service_type.created").exists()


@pytest.mark.parametrize("persona", ["sam", "carl", "alice", "nora", "pat", "rita"])
def test_nobody_but_an_administrator_changes_the_catalogue(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        services.service_type_create(
            actor=getattr(world, persona),
            code="x_type",
            name_zh="x",
            name_en="x",
            domain="education",
            mode="group",
        )
    with pytest.raises(PermissionDenied):
        services.service_type_delete(actor=getattr(world, persona), service_type=stype("legal_aid"))


def test_a_type_in_use_is_never_deleted_but_can_be_deactivated(world: World) -> None:
    adam = make_administrator(world)
    used = stype("study_support")
    services.record_delivery(
        actor=world.alice,
        child=world.hongmei,
        service_type=used,
        delivered_on=used.created_at.date(),
    )
    with pytest.raises(ValidationFailed):
        services.service_type_delete(actor=adam, service_type=used)
    assert ServiceType.objects.filter(pk=used.pk).exists()
    services.service_type_update(
        actor=adam,
        service_type=used,
        name_zh=used.name_zh,
        name_en=used.name_en,
        domain=used.domain,
        mode=used.mode,
        one_to_one=used.one_to_one,
        active=False,
        sort_order=used.sort_order,
    )
    used.refresh_from_db()
    assert used.active is False
    event = AuditEvent.objects.get(action="service_type.changed")
    assert event.extra["before"] == {"active": True}
    assert event.extra["after"] == {"active": False}


def test_an_unused_type_can_be_deleted_and_the_deletion_is_audited(world: World) -> None:
    adam = make_administrator(world)
    services.service_type_delete(actor=adam, service_type=stype("legal_aid"))
    assert not ServiceType.objects.filter(code="legal_aid").exists()
    assert AuditEvent.objects.get(action="service_type.deleted").extra == {"code": "legal_aid"}


def test_the_catalogue_page_lists_adds_and_edits(world: World, client: Client) -> None:
    client.force_login(make_administrator(world))
    page = client.get(reverse("services:catalogue"))
    assert page.status_code == 200
    assert "亲情视频" in page.content.decode()
    response = client.post(reverse("services:type_new"), NEW)
    assert response.status_code == 302
    created = ServiceType.objects.get(code="reading_club")
    response = client.post(
        reverse("services:type_edit", args=[created.pk]),
        {**NEW, "name_en": "Reading circle", "active": ""},
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.name_en, created.active) == ("Reading circle", False)


@pytest.mark.usefixtures("english_pages")
def test_the_page_refuses_to_delete_a_type_in_use(world: World, client: Client) -> None:
    client.force_login(make_administrator(world))
    used = stype("study_support")
    services.record_delivery(
        actor=world.alice,
        child=world.hongmei,
        service_type=used,
        delivered_on=used.created_at.date(),
    )
    response = client.post(reverse("services:type_delete", args=[used.pk]), follow=True)
    assert "is in use and cannot be deleted" in response.content.decode()
    assert ServiceType.objects.filter(pk=used.pk).exists()


@pytest.mark.usefixtures("english_pages")
def test_bad_input_on_the_page_saves_nothing(world: World, client: Client) -> None:
    client.force_login(make_administrator(world))
    response = client.post(reverse("services:type_new"), {**NEW, "code": "9 bad"})
    assert response.status_code == 200
    assert "lower-case letters" in response.content.decode()
    assert not ServiceType.objects.filter(name_en="Reading club").exists()


@pytest.mark.parametrize("persona", ["sam", "carl", "alice", "pat", "rita", "nora"])
def test_the_catalogue_pages_are_refused_to_others(
    world: World, client: Client, persona: str
) -> None:
    client.force_login(getattr(world, persona))
    for url in (
        reverse("services:catalogue"),
        reverse("services:type_new"),
        reverse("services:type_edit", args=[stype("legal_aid").pk]),
    ):
        assert client.get(url).status_code == 403
    assert (
        client.post(reverse("services:type_delete", args=[stype("legal_aid").pk])).status_code
        == 403
    )
    assert ServiceType.objects.filter(code="legal_aid").exists()
