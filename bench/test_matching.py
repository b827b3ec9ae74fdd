"""Benchmark: optimal matching (OR-Tools min-cost flow) against the greedy baseline on a
generated township and a generated county. Pure: the generator builds numpy arrays and the
solver never touches the database. Run:

    .venv/bin/pytest -m benchmark bench/test_matching.py -s -p no:cacheprovider

Issue 6's target: proven optimal (solver status OPTIMAL) within 10 s at county size
(50,000 children, ~15,000 open needs, 5,000 providers). Results: docs/benchmarks.md.

The generated world: townships on a 60 x 60 km county, 15 villages within ~4 km of each
township seat; children spread over the villages, 30 % of them with one open need (a
service type drawn with the catalogue's rough frequencies, 2 or 4 hours a month); volunteers
living in a village with 1-3 skills, 70 % vetted, 4-16 hours a month, travelling 3-15 km,
speaking Mandarin and (60 %) their area's dialect; organisations offering one service each
to their township (or, one in five, to the whole county) for 5-40 children a month; 10 % of
needs with a helper who already served the child (continuity). Eligibility and costs follow
the application (shouwang.matching.domain and docs/matching.md): skill, vetting for
one-to-one services, the volunteer's travel limit, the organisation's service area.
"""

import time
from dataclasses import dataclass

import numpy as np
import pytest

from shouwang.matching import domain
from shouwang.matching.greedy import solve_greedy
from shouwang.matching.solver import Problem, solve

# Service types: (relative frequency of needs, one_to_one) in catalogue order.
TYPES = [
    (10, False),  # family_video_call
    (20, True),  # study_support
    (10, True),  # psych_counselling
    (15, True),  # companionship
    (5, False),  # safety_education
    (5, False),  # health_check
    (10, False),  # childrens_home_activity
    (10, False),  # material_aid
    (5, False),  # life_skills
    (5, False),  # caregiver_guidance
    (3, False),  # home_visit
    (2, False),  # legal_aid
]


@dataclass
class Instance:
    problem: Problem
    children: int
    volunteers: int
    offers: int
    build_s: float


def generate(  # noqa: PLR0915  (one straight generator reads best)
    *,
    seed: int,
    townships: int,
    children: int,
    needs: int,
    volunteers: int,
    offers: int,
) -> Instance:
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    n_types = len(TYPES)
    freq = np.array([t[0] for t in TYPES], dtype=float)
    one_to_one = np.array([t[1] for t in TYPES])
    # Villages: township seats on a county-sized square, villages around each seat.
    seats_lat = 34.0 + rng.uniform(-0.27, 0.27, townships)  # ~60 km north-south
    seats_lon = 112.0 + rng.uniform(-0.33, 0.33, townships)
    per_town = 15
    v_town = np.repeat(np.arange(townships), per_town)
    v_lat = seats_lat[v_town] + rng.normal(0, 0.025, len(v_town))
    v_lon = seats_lon[v_town] + rng.normal(0, 0.03, len(v_town))
    v_dialect = (seats_lon[v_town] > 112.0).astype(int)  # two dialect areas
    n_villages = len(v_town)
    # Children and their needs.
    child_village = rng.integers(0, n_villages, children)
    need_child = rng.choice(children, needs, replace=False)
    need_village = child_village[need_child]
    need_type = rng.choice(n_types, needs, p=freq / freq.sum())
    need_hours = rng.choice([2, 4], needs, p=[0.7, 0.3])
    # Volunteers.
    vol_village = rng.integers(0, n_villages, volunteers)
    vol_skills = np.zeros((volunteers, n_types), dtype=bool)
    for k in range(3):
        pick = rng.choice(n_types, volunteers, p=freq / freq.sum())
        keep = rng.random(volunteers) < (1.0, 0.6, 0.3)[k]
        vol_skills[np.arange(volunteers)[keep], pick[keep]] = True
    vol_vetted = rng.random(volunteers) < 0.7
    vol_hours = rng.integers(4, 17, volunteers)
    vol_travel = rng.integers(3, 16, volunteers)
    vol_dialect = rng.random(volunteers) < 0.6
    # Organisations' offers: a base village (the seat), a service type, an area.
    off_town = rng.integers(0, townships, offers)
    off_village = off_town * per_town
    off_type = rng.choice(n_types, offers, p=freq / freq.sum())
    off_county = rng.random(offers) < 0.2
    off_capacity = rng.integers(5, 41, offers)

    arc_need: list[np.ndarray] = []
    arc_cand: list[np.ndarray] = []
    arc_cost: list[np.ndarray] = []
    vol_max_hours = np.zeros(volunteers, dtype=np.int64)
    for t in range(n_types):
        nt = np.flatnonzero(need_type == t)
        if not len(nt):
            continue
        vt = np.flatnonzero(vol_skills[:, t] & (vol_vetted | (not one_to_one[t])))
        nv = need_village[nt]
        if len(vt):
            vv = vol_village[vt]
            km = domain.haversine_km_array(
                v_lat[nv][:, None], v_lon[nv][:, None], v_lat[vv][None, :], v_lon[vv][None, :]
            )
            ok = km <= vol_travel[vt][None, :]
            i, j = np.nonzero(ok)
            d = km[i, j]
            cost = domain.BASE + np.rint(d * domain.PER_KM).astype(np.int64)
            cost -= np.where(d <= domain.WALKING_KM, domain.WALKING_BONUS, 0)
            same_dialect = vol_dialect[vt][j] & (v_dialect[vv][j] == v_dialect[nv][i])
            cost -= np.where(same_dialect, domain.DIALECT_BONUS, 0)
            arc_need.append(nt[i])
            arc_cand.append(vt[j])
            arc_cost.append(cost)
            np.maximum.at(vol_max_hours, vt[j], need_hours[nt[i]])
        ot = np.flatnonzero(off_type == t)
        if len(ot):
            covers = off_county[ot][None, :] | (off_town[ot][None, :] == v_town[nv][:, None])
            i, j = np.nonzero(covers)
            ov = off_village[ot][j]
            d = domain.haversine_km_array(v_lat[nv][i], v_lon[nv][i], v_lat[ov], v_lon[ov])
            arc_need.append(nt[i])
            arc_cand.append(volunteers + ot[j])
            arc_cost.append(
                domain.BASE + np.rint(np.minimum(d, domain.MAX_KM) * domain.PER_KM).astype(np.int64)
            )
    a_need = np.concatenate(arc_need)
    a_cand = np.concatenate(arc_cand)
    a_cost = np.concatenate(arc_cost)
    # Continuity: for 10 % of needs, one of its candidates already served the child.
    lucky = rng.random(needs) < 0.1
    first_arc = np.full(needs, -1)
    first_arc[a_need[::-1]] = np.arange(len(a_need))[::-1]
    chosen = first_arc[lucky & (first_arc >= 0)]
    a_cost[chosen] -= domain.CONTINUITY_BONUS
    a_cost = np.clip(a_cost, 0, domain.MAX_ARC_COST)
    vol_slots = np.where(vol_max_hours > 0, vol_hours // np.maximum(vol_max_hours, 1), 0)
    capacity = np.concatenate([vol_slots, off_capacity]).astype(np.int64)
    problem = Problem(
        n_needs=needs,
        capacity=capacity,
        arc_need=a_need.astype(np.int64),
        arc_candidate=a_cand.astype(np.int64),
        arc_cost=a_cost.astype(np.int64),
    )
    return Instance(problem, children, volunteers, offers, time.perf_counter() - started)


SIZES = {
    # name: (townships, children, needs, volunteers, offers)
    "township": (1, 1_000, 300, 50, 10),
    "county": (20, 50_000, 15_000, 4_500, 500),
}


@pytest.mark.benchmark
@pytest.mark.parametrize("size", list(SIZES))
def test_optimal_matching_against_greedy(size: str) -> None:
    townships, children, needs, volunteers, offers = SIZES[size]
    inst = generate(
        seed=6,
        townships=townships,
        children=children,
        needs=needs,
        volunteers=volunteers,
        offers=offers,
    )
    p = inst.problem
    t0 = time.perf_counter()
    best = solve(p)
    t_opt = time.perf_counter() - t0
    t0 = time.perf_counter()
    greedy = solve_greedy(p)
    t_greedy = time.perf_counter() - t0
    print(
        f"\n{size}: {inst.children:,} children, {p.n_needs:,} needs, "
        f"{inst.volunteers:,} volunteers + {inst.offers:,} offers, {len(p.arc_need):,} arcs "
        f"(generated in {inst.build_s:.2f} s)"
    )
    print(
        f"{'method':<10}{'status':<10}{'covered':>9}{'arc cost':>12}{'total cost':>14}{'time s':>9}"
    )
    for name, sol, secs in (("OR-Tools", best, t_opt), ("greedy", greedy, t_greedy)):
        print(
            f"{name:<10}{sol.status:<10}{sol.covered:>9,}{sol.assigned_cost:>12,}"
            f"{sol.total_cost(p):>14,}{secs:>9.3f}"
        )
    assert best.optimal
    assert best.status == "OPTIMAL"
    assert best.total_cost(p) <= greedy.total_cost(p)
    assert best.covered >= greedy.covered
    if size == "county":
        assert t_opt < 10.0
