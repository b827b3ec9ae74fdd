"""The child list: scoping and search by characters, full pinyin and initials."""

import pytest
from django.test import Client
from django.urls import reverse

from shouwang.testing.factories import ChildFactory
from shouwang.testing.world import World

URL = reverse("registry:child_list")


def _names(client: Client, **params: str) -> set[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return {c.name for c in response.context["page"].object_list}


def test_a_child_director_sees_only_her_village(world: World, client: Client) -> None:
    client.force_login(world.alice)
    assert _names(client) == {"张红梅"}


def test_a_township_supervisor_sees_every_village_of_her_town(world: World, client: Client) -> None:
    client.force_login(world.sam)
    assert _names(client) == {"张红梅", "李小明"}


def test_a_county_officer_sees_the_county(world: World, client: Client) -> None:
    client.force_login(world.carl)
    assert _names(client) == {"张红梅", "李小明", "王强"}


def test_a_school_liaison_sees_her_pupils(world: World, client: Client) -> None:
    client.force_login(world.tina)
    assert _names(client) == {"李小明"}


@pytest.mark.parametrize(
    "query", ["张红梅", "红梅", "zhanghongmei", "hongmei", "zhm", "ZHM", "zhang hong"]
)
def test_it_finds_a_child_by_characters_pinyin_or_initials(
    world: World, client: Client, query: str
) -> None:
    ChildFactory(name="张海明", village=world.village_a1)  # also "zhm": initials are a prefix match
    client.force_login(world.alice)
    assert "张红梅" in _names(client, q=query)


def test_initials_find_every_child_sharing_them(world: World, client: Client) -> None:
    ChildFactory(name="张海明", village=world.village_a1)
    ChildFactory(name="李华", village=world.village_a1)
    client.force_login(world.alice)
    assert _names(client, q="zhm") == {"张红梅", "张海明"}


def test_search_never_reaches_outside_the_scope(world: World, client: Client) -> None:
    client.force_login(world.alice)
    assert _names(client, q="wangqiang") == set()
    assert _names(client, q="王强") == set()


def test_it_finds_a_child_by_id_number_prefix(world: World, client: Client) -> None:
    world.hongmei.id_number = "410322201409011026"
    world.hongmei.save(update_fields=["id_number"])
    client.force_login(world.alice)
    assert _names(client, q="41032220140901") == {"张红梅"}


def test_htmx_requests_get_only_the_results(world: World, client: Client) -> None:
    client.force_login(world.alice)
    response = client.get(URL, {"q": "zhm"}, headers={"HX-Request": "true", "HX-Target": "results"})
    body = response.content.decode()
    assert "张红梅" in body
    assert "<html" not in body


def test_it_filters_by_age(world: World, client: Client) -> None:
    client.force_login(world.carl)
    # hongmei was born 2014-09-01, xiaoming 2016-05-01, qiang 2012-01-15
    assert "王强" not in _names(client, age_max="11")


def test_the_list_page_runs_a_fixed_number_of_queries(
    world: World, client: Client, django_assert_max_num_queries: object
) -> None:
    for i in range(30):
        ChildFactory(name=f"王{'一二三四五六七八九十'[i % 10]}", village=world.village_a1)
    client.force_login(world.alice)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        client.get(URL)


def test_the_page_is_in_chinese_by_default_and_english_on_request(
    world: World, client: Client
) -> None:
    client.force_login(world.alice)
    assert "登记儿童" in client.get(URL).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": URL})
    assert "Register a child" in client.get(URL).content.decode()


def test_names_that_start_with_the_query_come_first(world: World, client: Client) -> None:
    ChildFactory(name="程家哲", village=world.village_a1)  # "chengjiazhe" contains "zh"
    ChildFactory(name="赵磊", village=world.village_a1)
    client.force_login(world.alice)
    response = client.get(URL, {"q": "zh"})
    names = [c.name for c in response.context["page"].object_list]
    assert names == ["张红梅", "赵磊", "程家哲"]


def test_it_filters_children_with_an_urgent_alert(world: World, client: Client) -> None:
    from shouwang.audit.services import SystemActor  # noqa: PLC0415
    from shouwang.rules.services import child_classify  # noqa: PLC0415

    world.hongmei.lives_alone = True
    world.hongmei.save(update_fields=["lives_alone"])
    for child in (world.hongmei, world.xiaoming):
        child_classify(actor=SystemActor("test"), child=child)
    client.force_login(world.sam)
    assert _names(client, alert="red") == {"张红梅"}
    assert _names(client, alert="any") == {"张红梅", "李小明"}  # weekly contact: none logged
