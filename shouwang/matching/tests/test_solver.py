"""The solver on small instances: its cost equals a brute-force optimum, it is never worse
than the greedy baseline, and it respects capacity and eligibility. No database."""

import itertools

import numpy as np
import pytest

from shouwang.matching.greedy import solve_greedy
from shouwang.matching.solver import UNASSIGNED_COST, Problem, solve


def _problem(n: int, capacity: list[int], arcs: list[tuple[int, int, int]]) -> Problem:
    return Problem(
        n_needs=n,
        capacity=np.array(capacity, dtype=np.int64),
        arc_need=np.array([a[0] for a in arcs], dtype=np.int64),
        arc_candidate=np.array([a[1] for a in arcs], dtype=np.int64),
        arc_cost=np.array([a[2] for a in arcs], dtype=np.int64),
    )


def _brute_force(problem: Problem) -> int:
    """The least total cost over every assignment that respects capacity."""
    options: list[list[int]] = [[-1] for _ in range(problem.n_needs)]
    for i, need in enumerate(problem.arc_need.tolist()):
        options[need].append(i)
    best: int | None = None
    for combo in itertools.product(*options):
        used: dict[int, int] = {}
        cost = 0
        for arc in combo:
            if arc < 0:
                cost += problem.unassigned_cost
                continue
            cand = int(problem.arc_candidate[arc])
            used[cand] = used.get(cand, 0) + 1
            cost += int(problem.arc_cost[arc])
        if all(used[c] <= problem.capacity[c] for c in used) and (best is None or cost < best):
            best = cost
    assert best is not None
    return best


def test_it_beats_greedy_where_greedy_takes_the_only_candidate_of_a_later_need() -> None:
    # Need 0 prefers candidate 0 (cost 10) but could take candidate 1 (cost 20);
    # need 1 can only take candidate 0. Greedy gives candidate 0 to need 0.
    problem = _problem(2, [1, 1], [(0, 0, 10), (0, 1, 20), (1, 0, 30)])
    optimal, greedy = solve(problem), solve_greedy(problem)
    assert optimal.status == "OPTIMAL"
    assert optimal.optimal
    assert optimal.covered == 2
    assert optimal.candidate_of(problem).tolist() == [1, 0]
    assert optimal.total_cost(problem) == 50
    assert greedy.covered == 1
    assert greedy.total_cost(problem) == 10 + UNASSIGNED_COST


def test_a_need_without_candidates_stays_unassigned_and_the_problem_is_feasible() -> None:
    problem = _problem(3, [5], [(0, 0, 7), (2, 0, 9)])
    solution = solve(problem)
    assert solution.optimal
    assert solution.candidate_of(problem).tolist() == [0, -1, 0]
    assert solution.total_cost(problem) == 16 + UNASSIGNED_COST


def test_capacity_is_respected() -> None:
    problem = _problem(3, [2], [(0, 0, 1), (1, 0, 1), (2, 0, 1)])
    solution = solve(problem)
    assert solution.covered == 2
    assert (solution.candidate_of(problem) == 0).sum() == 2


def test_zero_capacity_takes_nothing_and_no_needs_is_trivially_optimal() -> None:
    problem = _problem(1, [0], [(0, 0, 1)])
    assert solve(problem).covered == 0
    empty = _problem(0, [3], [])
    assert solve(empty).optimal


def test_it_refuses_malformed_input() -> None:
    with pytest.raises(ValueError, match="unassigned_cost"):
        solve(_problem(1, [1], [(0, 0, UNASSIGNED_COST)]))
    with pytest.raises(ValueError, match="out of range"):
        solve(_problem(1, [1], [(0, 3, 1)]))


def _random_problem(rng: np.random.Generator) -> Problem:
    n = int(rng.integers(1, 6))
    m = int(rng.integers(1, 4))
    capacity = rng.integers(0, 4, size=m).tolist()
    pairs = [(a, b) for a in range(n) for b in range(m) if rng.random() < 0.6]
    arcs = [(a, b, int(rng.integers(0, 501))) for a, b in pairs]
    return _problem(n, capacity, arcs)


@pytest.mark.parametrize("seed", range(200))
def test_its_cost_equals_the_brute_force_optimum_and_never_exceeds_greedy(seed: int) -> None:
    problem = _random_problem(np.random.default_rng(seed))
    solution = solve(problem)
    assert solution.optimal
    assert solution.total_cost(problem) == _brute_force(problem)
    assert solution.total_cost(problem) <= solve_greedy(problem).total_cost(problem)
    # Each chosen arc belongs to its need, and no candidate is over capacity.
    for need, arc in enumerate(solution.chosen_arc.tolist()):
        if arc >= 0:
            assert problem.arc_need[arc] == need
    taken = solution.candidate_of(problem)
    counts = np.bincount(taken[taken >= 0], minlength=len(problem.capacity))
    assert (counts <= problem.capacity).all()
