"""The area tree keeps its paths consistent, so subtree scoping stays one prefix filter."""

import pytest

from shouwang.geo.models import Area
from shouwang.geo.selectors import area_subtree, area_villages_under
from shouwang.geo.services import area_save
from shouwang.testing.world import World


def test_a_subtree_is_one_prefix_filter(world: World) -> None:
    names = {a.name_zh for a in area_villages_under(area=world.town_a)}
    assert names == {"东王村", "西李村"}
    assert {a.name_zh for a in area_subtree(area=world.county)} >= {"S镇", "Q镇", "南张村"}


def test_moving_a_village_rewrites_its_path_and_scope(world: World) -> None:
    village = world.village_a2
    village.parent = world.town_b
    area_save(area=village)
    village.refresh_from_db()
    assert village.path.startswith(world.town_b.path)
    assert {a.name_zh for a in area_villages_under(area=world.town_b)} == {"南张村", "西李村"}


def test_a_new_code_rewrites_the_paths_below(world: World) -> None:
    town = world.town_a
    town.code = "410322101000"
    area_save(area=town)
    for village in (world.village_a1, world.village_a2):
        village.refresh_from_db()
        assert village.path.startswith("410000000000/410300000000/410322000000/410322101000/")


def test_an_area_cannot_move_below_itself(world: World) -> None:
    town = Area.objects.get(pk=world.town_a.pk)
    town.parent = world.village_a1
    with pytest.raises(ValueError, match="below itself"):
        area_save(area=town)
