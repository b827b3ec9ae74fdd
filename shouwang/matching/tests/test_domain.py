"""Costs, distances, language lists and volunteer slots (pure, no database)."""

import numpy as np
import pytest

from shouwang.matching import domain
from shouwang.matching.domain import Pair, pair_cost, pair_reasons


def test_haversine_gives_the_known_distance_between_beijing_and_shanghai() -> None:
    # Tiananmen (39.9055, 116.3976) to the Bund (31.2400, 121.4900): about 1,068 km.
    km = domain.haversine_km(39.9055, 116.3976, 31.2400, 121.4900)
    assert km == pytest.approx(1068, abs=10)
    arr = domain.haversine_km_array(
        np.array([39.9055]), np.array([116.3976]), np.array([31.24]), np.array([121.49])
    )
    assert arr[0] == pytest.approx(km)


def test_a_missing_coordinate_gives_no_distance() -> None:
    assert domain.distance_km((34.0, 112.0), (None, 112.1)) is None
    assert domain.distance_km((34.0, 112.0), (34.0, 112.0)) == 0


def test_languages_accept_ascii_and_full_width_commas() -> None:
    assert domain.parse_languages("Mandarin, Xiang，普通话、 mandarin ,,") == [
        "Mandarin",
        "Xiang",
        "普通话",
    ]
    assert domain.parse_languages("  ") == []


def test_continuity_outweighs_a_few_kilometres() -> None:
    near_stranger = pair_cost(Pair(km=1.0))
    farther_known = pair_cost(Pair(km=6.0, continuity=True))
    assert farther_known < near_stranger


def test_a_volunteer_within_walking_distance_and_speaking_the_dialect_costs_less() -> None:
    base = pair_cost(Pair(km=1.5))
    assert pair_cost(Pair(km=1.5, is_volunteer=True)) == base - domain.WALKING_BONUS
    assert pair_cost(Pair(km=1.5, shared_languages=("湘语",))) == base - domain.DIALECT_BONUS
    assert pair_cost(Pair(km=None)) == domain.BASE + round(domain.SAME_TOWNSHIP_KM * domain.PER_KM)


def test_costs_stay_within_bounds() -> None:
    assert pair_cost(Pair(km=0, continuity=True, is_volunteer=True, shared_languages=("x",))) >= 0
    assert pair_cost(Pair(km=10_000)) == domain.MAX_ARC_COST


def test_reasons_name_skill_continuity_distance_dialect_and_vetting() -> None:
    pair = Pair(km=1.2, continuity=True, is_volunteer=True, shared_languages=("湘语",), vetted=True)
    codes = [r["code"] for r in pair_reasons(pair, "study_support")]
    assert codes == ["skill", "continuity", "distance_km", "walking", "dialect", "vetted"]
    assert [r["code"] for r in pair_reasons(Pair(km=None), "x")] == ["skill", "distance_unknown"]


def test_slots_never_over_commit_a_volunteer() -> None:
    assert domain.slots(8, 2) == 4
    assert domain.slots(8, 3) == 2
    assert domain.slots(0, 2) == 0
    assert domain.slots(5, 0) == 0
