"""The dashboard and drill-down pages: who sees which area, and which children."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from shouwang.insights.services import stats_refresh
from shouwang.insights.tests.fixture import MONTH, build
from shouwang.testing.world import World

DASH = reverse("insights:dashboard")
OCT = MONTH.strftime("%Y-%m")


@pytest.fixture
def data(world: World) -> World:
    build(world)
    return world


def drill(client: Client, code: str, **params: str):
    return client.get(reverse("insights:drilldown"), {"code": code, "month": OCT, **params})


def names(response) -> list[str]:
    return [c.name for c in response.context["page"]]


def test_supervisor_sees_her_town_with_the_problems_flagged(data: World, client: Client) -> None:
    client.force_login(data.sam)
    response = client.get(DASH, {"month": OCT})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.area == data.town_a
    assert board.all["coverage_90d"].value == 0.6667
    flagged = {i.code for i in board.problems}
    assert {"coverage_90d", "narrow_mix_share", "served_k_of_m"} <= flagged
    assert [a for a, _i in board.sub_areas] == [data.village_a1, data.village_a2]
    body = response.content.decode()
    assert 'id="insights-data"' in body  # the chart data, for ECharts
    assert "vendor/echarts/echarts.min.js" in body  # served locally, never a CDN
    assert "http://" not in body.split("<main>")[1] and "https://" not in body


def test_the_county_officer_sees_the_county_by_township(data: World, client: Client) -> None:
    client.force_login(data.carl)
    response = client.get(DASH, {"month": OCT})
    board = response.context["board"]
    assert board.area == data.county
    assert [a for a, _i in board.sub_areas] == [data.town_a, data.town_b]
    assert board.all["children_eligible"].value == 4


def test_a_director_sees_her_village_only(data: World, client: Client) -> None:
    client.force_login(data.alice)
    assert client.get(DASH, {"month": OCT}).context["board"].area == data.village_a1
    assert client.get(DASH, {"area": data.town_a.code}).status_code == 404
    assert client.get(DASH, {"area": data.village_a2.code}).status_code == 404


def test_another_town_or_a_missing_area_is_not_found(data: World, client: Client) -> None:
    client.force_login(data.sam)
    assert client.get(DASH, {"area": data.town_b.code}).status_code == 404
    assert client.get(DASH, {"area": data.county.code}).status_code == 404
    assert client.get(DASH, {"area": "999999999999"}).status_code == 404
    assert client.get(DASH, {"area": data.village_a2.code}).status_code == 200


@pytest.mark.parametrize("persona", ["nora", "tina", "pat", "rita", "adam"])
def test_roles_without_insights_are_refused(data: World, client: Client, persona: str) -> None:
    client.force_login(getattr(data, persona))
    assert client.get(DASH).status_code == 403
    assert drill(client, "coverage_90d").status_code == 403


def test_anonymous_is_sent_to_log_in(data: World, client: Client) -> None:
    assert client.get(DASH).status_code == 302


def test_a_bad_month_says_so_and_shows_this_month(data: World, client: Client) -> None:
    client.force_login(data.sam)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the user switched to English
    for bad in ("2026-13", "last month", "2999-01"):
        response = client.get(DASH, {"month": bad})
        assert response.status_code == 200
        shown = [str(m) for m in response.context["messages"]]
        assert len(shown) == 1
        assert "month" in shown[0]


def test_drilldown_lists_the_children_behind_the_number(data: World, client: Client) -> None:
    client.force_login(data.sam)
    response = drill(client, "coverage_90d")
    assert response.status_code == 200
    assert names(response) == ["陈晨"]  # 1 of 3 not covered: 3 - 2
    assert sorted(names(drill(client, "narrow_mix_share"))) == ["张红梅", "陈晨"]
    assert sorted(names(drill(client, "named_responsible"))) == ["李小明", "陈晨"]
    assert sorted(names(drill(client, "participation_12m"))) == ["李小明", "陈晨"]
    # lin (not eligible) is never listed, although she had no visit either.
    assert "林琳" not in response.content.decode()


def test_drilldown_never_shows_another_towns_children(data: World, client: Client) -> None:
    client.force_login(data.sam)
    assert "王强" not in drill(client, "narrow_mix_share").content.decode()
    assert drill(client, "narrow_mix_share", area=data.town_b.code).status_code == 404
    assert drill(client, "narrow_mix_share", area=data.county.code).status_code == 404
    client.force_login(data.bob)
    response = drill(client, "narrow_mix_share")
    assert names(response) == ["王强"]
    assert drill(client, "coverage_90d", area=data.village_a1.code).status_code == 404
    client.force_login(data.alice)
    assert names(drill(client, "coverage_90d")) == ["陈晨"]
    assert drill(client, "coverage_90d", area=data.village_a2.code).status_code == 404


def test_drilldown_counts_match_the_indicator(data: World, client: Client) -> None:
    client.force_login(data.carl)
    board = client.get(DASH, {"month": OCT}).context["board"]
    for code in ("coverage_90d", "participation_12m", "named_responsible"):
        i = board.all[code]
        assert drill(client, code).context["page"].paginator.count == i.denominator - i.numerator
    i = board.all["narrow_mix_share"]
    assert drill(client, "narrow_mix_share").context["page"].paginator.count == i.numerator


def test_an_unknown_list_is_not_found(data: World, client: Client) -> None:
    client.force_login(data.sam)
    assert drill(client, "everything").status_code == 404


def test_the_dashboard_reads_the_monthly_table_when_refreshed(data: World, client: Client) -> None:
    stats_refresh(root=data.province, month=MONTH)
    client.force_login(data.sam)
    response = client.get(DASH, {"month": OCT})
    board = response.context["board"]
    assert board.computed_at is not None
    assert board.trends["coverage_90d"][-1] == 0.6667
    assert board.trends["coverage_90d"][0] is None  # never refreshed: a gap, not a guess
    assert response.context["trend_rows"][-1][1] == "66.7%"


def test_the_dashboard_links_the_towns_report_and_the_exports(data: World, client: Client) -> None:
    client.force_login(data.sam)
    body = client.get(reverse("insights:dashboard")).content.decode()
    assert f"{reverse('insights:report')}?area={data.town_a.code}" in body
    assert reverse("insights:exports") in body
    assert reverse("services:mix") in body
    client.force_login(data.alice)  # her village: the township chooser, and no exports
    body = client.get(reverse("insights:dashboard")).content.decode()
    assert f'href="{reverse("insights:report")}"' in body
    assert reverse("insights:exports") not in body
    assert reverse("services:mix") not in body
