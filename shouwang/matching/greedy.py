"""A greedy baseline for the benchmark only (bench/test_matching.py): needs in their
order, each takes its cheapest candidate that still has capacity. Fast and myopic: an
early need can take the only candidate a later need had. Never used by the application."""

import numpy as np

from shouwang.matching.solver import Problem, Solution


def solve_greedy(problem: Problem) -> Solution:
    problem.check()
    chosen = np.full(problem.n_needs, -1, dtype=np.int64)
    left = problem.capacity.astype(np.int64).copy()
    # Arcs grouped by need, cheapest first within a need.
    order = np.lexsort((problem.arc_cost, problem.arc_need))
    needs_sorted = problem.arc_need[order]
    starts = np.searchsorted(needs_sorted, np.arange(problem.n_needs + 1))
    cands = problem.arc_candidate[order].tolist()
    arcs = order.tolist()
    bounds = starts.tolist()
    cap = left.tolist()
    for need in range(problem.n_needs):
        for k in range(bounds[need], bounds[need + 1]):
            c = cands[k]
            if cap[c] > 0:
                cap[c] -= 1
                chosen[need] = arcs[k]
                break
    has = chosen >= 0
    assigned_cost = int(problem.arc_cost[chosen[has]].sum())
    return Solution(chosen, assigned_cost, int(has.sum()), "GREEDY", optimal=False)
