"""Default deny, enforced: every URL pattern's view declares its access rule, and every
protected page turns away anonymous and role-less users.

Walks the project's URL resolver (CommCare's ``@location_safe`` idea). The admin is the
one exemption: Django's admin has its own staff check and holds configuration data only
(children's records are not registered there; ``test_admin_has_no_child_records``).
"""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from shouwang.access.capabilities import Cap
from shouwang.access.policies import can
from shouwang.access.views import ACCESS_ATTR
from shouwang.accounts.models import User
from shouwang.referrals.models import Referral
from shouwang.registry.models import CareArrangement, Child, Household, Person
from shouwang.services.models import ServiceType
from shouwang.testing.world import World

EXEMPT_NAMESPACES = {"admin"}


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str | None = None
) -> Iterator[tuple[str, str | None, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace, p.callback


ALL_VIEWS = list(_walk(get_resolver().url_patterns))


def test_the_walk_finds_the_views() -> None:
    routes = {route for route, _ns, _cb in ALL_VIEWS}
    assert "children/" in routes
    assert "children/<str:public_id>/" in routes


@pytest.mark.parametrize(
    ("route", "namespace", "callback"),
    [v for v in ALL_VIEWS if v[1] not in EXEMPT_NAMESPACES],
    ids=[v[0] or "/" for v in ALL_VIEWS if v[1] not in EXEMPT_NAMESPACES],
)
def test_every_view_declares_its_access_rule(route: str, namespace: str, callback: Any) -> None:
    rule = getattr(callback, ACCESS_ATTR, None) or getattr(
        getattr(callback, "view_class", None), ACCESS_ATTR, None
    )
    assert rule, f"view for {route!r} has no access rule: add @public, @login_only or @requires"


def _concrete(route: str, child: Child) -> str:
    """A real URL for ``route``: the child's public id, and 1 for any other number."""
    return "/" + re.sub(r"<int:\w+>", "1", route.replace("<str:public_id>", str(child.public_id)))


PROTECTED = [
    (route, cb)
    for route, ns, cb in ALL_VIEWS
    if ns not in EXEMPT_NAMESPACES and getattr(cb, ACCESS_ATTR, "") != "public"
]


@pytest.mark.parametrize(("route", "callback"), PROTECTED, ids=[r for r, _ in PROTECTED])
def test_anonymous_users_are_sent_to_log_in(
    world: World, client: Client, route: str, callback: Any
) -> None:
    response = client.get(_concrete(route, world.hongmei))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


CAPABILITY_PAGES = [
    (r, cb) for r, cb in PROTECTED if getattr(cb, ACCESS_ATTR, "").startswith("capability:")
]


def _held_by(persona: User, callback: Any) -> bool:
    """Whether the page's capability is one the persona holds (the provider's referral
    pages: her inbox, the referral list and a referral's pages)."""
    rule = getattr(callback, ACCESS_ATTR, "")
    return rule.startswith("capability:") and can(persona, Cap(rule.removeprefix("capability:")))


@pytest.mark.parametrize(
    ("route", "callback"), CAPABILITY_PAGES, ids=[r for r, _ in CAPABILITY_PAGES]
)
@pytest.mark.parametrize("persona", ["nora", "pat", "rita", "adam"])
def test_users_without_a_child_role_are_refused(
    world: World, client: Client, route: str, callback: Any, persona: str
) -> None:
    user = getattr(world, persona)
    client.force_login(user)
    held = _held_by(user, callback)
    # Only the provider holds a capability here, through the referral route (her inbox
    # and the referral pages): with no referral to her organisation, a list shows nobody
    # and a record URL is not found. The researcher holds one, the de-identified export,
    # which names no child. Every other page refuses them.
    assert not held or persona in ("pat", "rita")
    for method in (client.get, client.post):
        response = method(_concrete(route, world.hongmei))
        if not held:
            assert response.status_code == 403
        elif "<str:public_id>" in route:
            assert response.status_code == 404
        elif persona == "rita":
            # the export without a chosen area is "not found"; with one, a file of no names
            assert response.status_code in (200, 404, 405)
        else:
            assert response.status_code in (200, 405)
        assert "张红梅" not in response.content.decode()


@pytest.mark.parametrize(
    ("route", "callback"), CAPABILITY_PAGES, ids=[r for r, _ in CAPABILITY_PAGES]
)
def test_a_pending_referral_opens_no_childs_page_to_the_provider(
    world: World, client: Client, route: str, callback: Any
) -> None:
    """The referral route: hongmei's pending referral to pat's organisation opens no page
    keyed by the child's id, and no page pat's capabilities do not name."""
    Referral.objects.create(
        child=world.hongmei,
        service_type=ServiceType.objects.get(code="psych_counselling"),
        need="需要心理辅导",
        to_organisation=world.ngo,
        respond_by=timezone.now(),
        created_by=world.alice,
    )
    client.force_login(world.pat)
    held = _held_by(world.pat, callback)
    for method in (client.get, client.post):
        response = method(_concrete(route, world.hongmei))
        if not held:
            assert response.status_code == 403
        elif "<str:public_id>" in route:
            assert response.status_code == 404
        assert "张红梅" not in response.content.decode()


@pytest.mark.parametrize(
    ("route", "callback"),
    [(r, cb) for r, cb in CAPABILITY_PAGES if "<str:public_id>" in r],
    ids=[r for r, _ in CAPABILITY_PAGES if "<str:public_id>" in r],
)
def test_a_supervisor_of_another_town_gets_not_found_on_every_child_url(
    world: World, client: Client, route: str, callback: Any
) -> None:
    client.force_login(world.bob)
    for method in (client.get, client.post):
        response = method(_concrete(route, world.hongmei))
        assert response.status_code == 404
        body = response.content.decode()
        assert "张红梅" not in body
        assert "zhanghongmei" not in body


def test_admin_has_no_child_records() -> None:
    registered = set(admin.site._registry)
    assert not registered & {Child, Household, Person, CareArrangement}
