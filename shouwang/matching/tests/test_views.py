"""The supervisor's matching pages: run, reasons, decisions; 403 without the capability,
404 for another township's supervisor."""

import pytest
from django.test import Client

from shouwang.matching.models import MatchRun
from shouwang.matching.tests.conftest import Town
from shouwang.testing.world import World

pytestmark = pytest.mark.django_db


def test_sam_runs_matching_sees_reasons_and_accepts_one(
    world: World, town: Town, client: Client, english_messages: None
) -> None:
    client.force_login(world.sam)
    home = client.get("/matching/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "张红梅" in home
    assert "王强" not in home
    response = client.post("/matching/run/", {"area": world.town_a.code})
    run = MatchRun.objects.get()
    assert response["Location"] == f"/matching/runs/{run.public_id}/"
    page = client.get(response["Location"]).content.decode()
    assert "赵老师" in page
    assert "Within walking distance." in page or "步行" in page
    client.post(
        f"/matching/runs/{run.public_id}/decide/",
        {"need": str(town.study.public_id), "action": "accept"},
    )
    town.study.refresh_from_db()
    assert town.study.status == "assigned"


def test_accept_all_and_reject_through_the_page(world: World, town: Town, client: Client) -> None:
    client.force_login(world.sam)
    client.post("/matching/run/", {"area": world.town_a.code})
    run = MatchRun.objects.get()
    client.post(
        f"/matching/runs/{run.public_id}/decide/",
        {"need": str(town.call.public_id), "action": "reject"},
    )
    client.post(f"/matching/runs/{run.public_id}/accept-all/")
    town.study.refresh_from_db()
    town.call.refresh_from_db()
    assert (town.study.status, town.call.status) == ("assigned", "open")


def test_a_director_is_refused_and_another_towns_supervisor_gets_not_found(
    world: World, town: Town, client: Client
) -> None:
    client.force_login(world.sam)
    client.post("/matching/run/", {"area": world.town_a.code})
    run = MatchRun.objects.get()
    client.force_login(world.alice)
    assert client.get("/matching/").status_code == 403
    assert client.get(f"/matching/runs/{run.public_id}/").status_code == 403
    client.force_login(world.bob)
    assert client.get(f"/matching/runs/{run.public_id}/").status_code == 404
    response = client.post(
        f"/matching/runs/{run.public_id}/decide/",
        {"need": str(town.study.public_id), "action": "accept"},
    )
    assert response.status_code == 404
    assert client.post("/matching/run/", {"area": world.town_a.code}).status_code == 404
    assert "张红梅" not in client.get("/matching/").content.decode()
    town.study.refresh_from_db()
    assert town.study.status == "open"
    assert MatchRun.objects.count() == 1
