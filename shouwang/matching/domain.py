"""The cost of giving a need to a helper, and why (pure: no ORM).

Lower is better. Every eligible pair starts at ``BASE`` and adds the travel distance; the
bonuses subtract. Weights are ours (a proposal for supervisors to tune, not a published
standard), chosen so that continuity with a helper the child already knows outweighs a few
kilometres of travel:

- travel: 10 per km between the helper's village and the child's (great-circle distance
  from the villages' coordinates; ``SAME_TOWNSHIP_KM`` when a coordinate is missing);
- continuity (the helper already served this child, or serves another of her needs): -60;
- a volunteer within walking distance (``WALKING_KM``): -20;
- a shared dialect or language: -20.

Costs stay within ``[0, MAX_ARC_COST]``, far below the solver's "unassigned" cost, so
covering one more need always beats any saving in travel.
"""

import math
from dataclasses import dataclass, field

import numpy as np

BASE = 100
PER_KM = 10
SAME_TOWNSHIP_KM = 5.0
WALKING_KM = 2.0
CONTINUITY_BONUS = 60
WALKING_BONUS = 20
DIALECT_BONUS = 20
MAX_KM = 500.0
MAX_ARC_COST = BASE + int(MAX_KM * PER_KM)
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (the haversine formula; R. W. Sinnott, "Virtues of the
    Haversine", Sky and Telescope 68(2), 1984)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km_array(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """``haversine_km`` over numpy arrays (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def distance_km(
    a: tuple[float | None, float | None], b: tuple[float | None, float | None]
) -> float | None:
    """Between two villages' (latitude, longitude); ``None`` when either is unknown."""
    if None in a or None in b:
        return None
    return haversine_km(a[0], a[1], b[0], b[1])  # type: ignore[arg-type]


def parse_languages(text: str) -> list[str]:
    """Dialects and languages typed as "Mandarin, Xiang" or "普通话，湘语" (ASCII or
    full-width commas, or the enumeration comma 、), trimmed, without duplicates."""
    seen: dict[str, None] = {}
    for part in text.replace("，", ",").replace("、", ",").split(","):
        word = part.strip()
        if word and word.casefold() not in {w.casefold() for w in seen}:
            seen[word] = None
    return list(seen)


@dataclass(frozen=True)
class Pair:
    """What matters about one (need, helper) pair."""

    km: float | None  # None: a coordinate is missing
    continuity: bool = False
    is_volunteer: bool = False
    shared_languages: tuple[str, ...] = ()
    vetted: bool = False
    reasons: list[dict[str, object]] = field(default_factory=list, compare=False)


def pair_cost(pair: Pair) -> int:
    km = SAME_TOWNSHIP_KM if pair.km is None else min(pair.km, MAX_KM)
    cost = BASE + round(km * PER_KM)
    if pair.continuity:
        cost -= CONTINUITY_BONUS
    if pair.is_volunteer and pair.km is not None and pair.km <= WALKING_KM:
        cost -= WALKING_BONUS
    if pair.shared_languages:
        cost -= DIALECT_BONUS
    return max(0, cost)


def pair_reasons(pair: Pair, service_code: str) -> list[dict[str, object]]:
    """The reasons shown with a suggestion, as codes and values (rendered into sentences in
    the active language by ``shouwang.matching.reasons``)."""
    out: list[dict[str, object]] = [{"code": "skill", "value": service_code}]
    if pair.continuity:
        out.append({"code": "continuity"})
    if pair.km is None:
        out.append({"code": "distance_unknown"})
    else:
        out.append({"code": "distance_km", "value": round(pair.km, 1)})
        if pair.is_volunteer and pair.km <= WALKING_KM:
            out.append({"code": "walking"})
    if pair.shared_languages:
        out.append({"code": "dialect", "value": "、".join(pair.shared_languages)})
    if pair.is_volunteer and pair.vetted:
        out.append({"code": "vetted"})
    return out


def slots(remaining_hours: int, largest_need_hours: int) -> int:
    """How many needs a volunteer can take: her remaining hours divided by the largest
    hours a month among the needs she could take. Never over-commits her; exact when the
    needs ask the same hours (a flow carries one unit per need)."""
    if remaining_hours <= 0 or largest_need_hours <= 0:
        return 0
    return remaining_hours // largest_need_hours
