"""The optimal assignment of open needs to helpers, as a min-cost flow (pure: numpy arrays
in, assignment out; no ORM, no Django).

The graph (docs/matching.md)::

    source --(cap 1, cost 0)--> need --(cap 1, cost c)--> candidate --(cap k, 0)--> sink
                                need --(cap 1, cost U)--> unassigned --(cap n, 0)--> sink

Every need carries one unit of flow. It reaches the sink either through one eligible
candidate (whose arc to the sink carries her capacity ``k``) or through the "unassigned"
node at the large cost ``U``, so the problem is always feasible (an infeasible problem can
make cost-scaling loop: or-tools issues #296 and #562). With ``U`` larger than any path
through a candidate, the optimum first covers as many needs as possible, then minimises the
cost of the cover. Only eligible (need, candidate) pairs are arcs: the graph is sparse.

OR-Tools' ``SimpleMinCostFlow`` (cost-scaling push-relabel, integer costs and capacities)
solves it; the arcs are added with its vectorised ``add_arcs_with_capacity_and_unit_cost``.
"""

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

UNASSIGNED_COST = 10_000


@dataclass(frozen=True)
class Problem:
    """``arc_need[i]`` may be served by ``arc_candidate[i]`` at ``arc_cost[i]``.
    ``capacity[j]`` is how many needs candidate ``j`` can take."""

    n_needs: int
    capacity: np.ndarray  # int64, one per candidate
    arc_need: np.ndarray  # int64
    arc_candidate: np.ndarray  # int64
    arc_cost: np.ndarray  # int64, each below unassigned_cost
    unassigned_cost: int = UNASSIGNED_COST

    @property
    def n_candidates(self) -> int:
        return len(self.capacity)

    def check(self) -> None:
        """Developer errors, caught before the solver sees them."""
        n_arcs = len(self.arc_need)
        if len(self.arc_candidate) != n_arcs or len(self.arc_cost) != n_arcs:
            msg = "arc arrays differ in length"
            raise ValueError(msg)
        if n_arcs:
            if self.arc_need.min() < 0 or self.arc_need.max() >= self.n_needs:
                msg = "arc_need out of range"
                raise ValueError(msg)
            if self.arc_candidate.min() < 0 or self.arc_candidate.max() >= self.n_candidates:
                msg = "arc_candidate out of range"
                raise ValueError(msg)
            if self.arc_cost.min() < 0 or self.arc_cost.max() >= self.unassigned_cost:
                msg = "arc costs must lie in [0, unassigned_cost)"
                raise ValueError(msg)
        if len(self.capacity) and self.capacity.min() < 0:
            msg = "negative capacity"
            raise ValueError(msg)


@dataclass(frozen=True)
class Solution:
    chosen_arc: np.ndarray  # per need: index of its arc in the problem, or -1 (unassigned)
    assigned_cost: int  # sum of the chosen arcs' costs
    covered: int  # needs given to a candidate
    status: str  # the solver's status name ("OPTIMAL", …)
    optimal: bool

    def candidate_of(self, problem: Problem) -> np.ndarray:
        """Per need: the candidate index, or -1."""
        out = np.full(problem.n_needs, -1, dtype=np.int64)
        has = self.chosen_arc >= 0
        out[has] = problem.arc_candidate[self.chosen_arc[has]]
        return out

    def total_cost(self, problem: Problem) -> int:
        """The objective: chosen arcs plus the penalty of every uncovered need."""
        return self.assigned_cost + (problem.n_needs - self.covered) * problem.unassigned_cost


_STATUS_NAMES = {
    min_cost_flow.SimpleMinCostFlow.NOT_SOLVED: "NOT_SOLVED",
    min_cost_flow.SimpleMinCostFlow.OPTIMAL: "OPTIMAL",
    min_cost_flow.SimpleMinCostFlow.FEASIBLE: "FEASIBLE",
    min_cost_flow.SimpleMinCostFlow.INFEASIBLE: "INFEASIBLE",
    min_cost_flow.SimpleMinCostFlow.UNBALANCED: "UNBALANCED",
    min_cost_flow.SimpleMinCostFlow.BAD_RESULT: "BAD_RESULT",
    min_cost_flow.SimpleMinCostFlow.BAD_COST_RANGE: "BAD_COST_RANGE",
}


def solve(problem: Problem) -> Solution:
    """The minimum-cost assignment, proven optimal by the solver (``optimal``), or an
    empty one with the solver's status when it is not."""
    problem.check()
    n, m = problem.n_needs, problem.n_candidates
    chosen = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return Solution(chosen, 0, 0, "OPTIMAL", optimal=True)
    # Nodes: 0 source, 1..n needs, n+1..n+m candidates, n+m+1 unassigned, n+m+2 sink.
    source, unassigned, sink = 0, n + m + 1, n + m + 2
    need_nodes = np.arange(1, n + 1, dtype=np.int64)
    cand_nodes = np.arange(n + 1, n + m + 1, dtype=np.int64)
    n_arcs = len(problem.arc_need)
    tails = np.concatenate(
        [
            problem.arc_need + 1,  # need -> candidate (first, so arc i is arc i)
            np.full(n, source, dtype=np.int64),  # source -> need
            cand_nodes,  # candidate -> sink
            need_nodes,  # need -> unassigned
            np.array([unassigned], dtype=np.int64),  # unassigned -> sink
        ]
    )
    heads = np.concatenate(
        [
            problem.arc_candidate + n + 1,
            need_nodes,
            np.full(m, sink, dtype=np.int64),
            np.full(n, unassigned, dtype=np.int64),
            np.array([sink], dtype=np.int64),
        ]
    )
    capacities = np.concatenate(
        [
            np.ones(n_arcs, dtype=np.int64),
            np.ones(n, dtype=np.int64),
            # A candidate never needs more than n units of capacity.
            np.minimum(problem.capacity.astype(np.int64), n),
            np.ones(n, dtype=np.int64),
            np.array([n], dtype=np.int64),
        ]
    )
    costs = np.concatenate(
        [
            problem.arc_cost.astype(np.int64),
            np.zeros(n, dtype=np.int64),
            np.zeros(m, dtype=np.int64),
            np.full(n, problem.unassigned_cost, dtype=np.int64),
            np.zeros(1, dtype=np.int64),
        ]
    )
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supplies = np.zeros(n + m + 3, dtype=np.int64)
    supplies[source] = n
    supplies[sink] = -n
    smcf.set_nodes_supplies(np.arange(n + m + 3, dtype=np.int64), supplies)
    status = smcf.solve()
    name = _STATUS_NAMES.get(status, str(status))
    if status != smcf.OPTIMAL:
        return Solution(chosen, 0, 0, name, optimal=False)
    if n_arcs:
        flows = smcf.flows(np.arange(n_arcs, dtype=np.int64))
        used = np.flatnonzero(flows > 0)
        chosen[problem.arc_need[used]] = used
    has = chosen >= 0
    assigned_cost = int(problem.arc_cost[chosen[has]].sum())
    return Solution(chosen, assigned_cost, int(has.sum()), name, optimal=True)
