"""Load a township's matching problem from the database, set-based: a fixed number of
queries whatever the number of needs (villages, needs, volunteers with skills, offers,
committed hours, this month's assignments, continuity), then eligibility and costs in
memory (``shouwang.matching.domain``), then numpy arrays for the pure solver.

Eligibility (docs/matching.md):
- a volunteer: active, lives in one of the township's villages, has the need's service
  type among her skills, is vetted if the service means being alone with the child,
  lives within her own travel limit of the child's village (when both coordinates are
  known), and has hours left for the need;
- an organisation: active, with an active offer of the service type whose area covers
  the child's village, and capacity left this month (its monthly capacity minus the needs
  of that type assigned to it since the first of the month).
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q, Sum
from django.utils import timezone

from shouwang.accounts.models import Organisation
from shouwang.geo.models import Area
from shouwang.matching import domain
from shouwang.matching.solver import Problem
from shouwang.resources.models import Volunteer
from shouwang.services.models import OrganisationService, ServiceDelivery, ServiceNeed


@dataclass
class Candidate:
    key: str  # "v:<public id>" or "o:<public id>:<service code>"
    volunteer: Volunteer | None = None
    organisation: Organisation | None = None
    capacity: int = 0

    @property
    def name(self) -> str:
        return self.volunteer.name if self.volunteer else str(self.organisation)


@dataclass
class Loaded:
    township: Area
    needs: list[ServiceNeed]
    candidates: list[Candidate]
    problem: Problem
    arc_reasons: list[list[dict[str, object]]]
    # Per need: its arc indices, cheapest first (the "change" list).
    arcs_of_need: list[list[int]] = field(default_factory=list)


def _coords(area: Area | None) -> tuple[float | None, float | None]:
    if area is None:
        return (None, None)
    return (area.latitude, area.longitude)


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def child_languages(needs: list[ServiceNeed]) -> dict[int, set[str]]:
    """The dialects and languages each child's family speaks. The register does not record
    them yet (docs/matching.md, "Known gaps"), so no pair earns the dialect bonus from the
    database today; the bonus is in the cost model and the benchmark."""
    return defaultdict(set)


def load_township(township: Area, *, need_ids: list[int] | None = None) -> Loaded:  # noqa: PLR0912, PLR0915
    needs_qs = ServiceNeed.objects.filter(
        status=ServiceNeed.Status.OPEN, child__village__path__startswith=township.path
    )
    if need_ids is not None:
        needs_qs = needs_qs.filter(pk__in=need_ids)
    needs = list(
        needs_qs.select_related("child", "child__village", "service_type").order_by(
            "raised_on", "pk"
        )
    )
    type_ids = {n.service_type_id for n in needs}
    child_ids = {n.child_id for n in needs}
    volunteers = list(
        Volunteer.objects.filter(
            active=True, area__path__startswith=township.path, skills__in=type_ids
        )
        .distinct()
        .select_related("area")
        .prefetch_related("skills")
        .order_by("pk")
    )
    committed = dict(
        ServiceNeed.objects.filter(
            status=ServiceNeed.Status.ASSIGNED, assigned_volunteer__in=volunteers
        )
        .values_list("assigned_volunteer")
        .annotate(h=Sum("hours_per_month"))
    )
    offers = list(
        OrganisationService.objects.filter(
            Q(area__path__in=_ancestor_paths(township.path))
            | Q(area__path__startswith=township.path),
            active=True,
            organisation__active=True,
            service_type__in=type_ids,
        )
        .select_related("organisation", "organisation__area", "area", "service_type")
        .order_by("pk")
    )
    month_start = timezone.localdate().replace(day=1)
    taken = {
        (org, st): n
        for org, st, n in ServiceNeed.objects.filter(
            status__in=[ServiceNeed.Status.ASSIGNED, ServiceNeed.Status.MET],
            assigned_organisation__isnull=False,
            assigned_on__gte=month_start,
        )
        .values_list("assigned_organisation", "service_type")
        .annotate(n=Count("pk"))
    }
    known: dict[int, set[tuple[str, int]]] = defaultdict(set)  # child -> {("v", id), ("o", id)}
    for child, vol, org in ServiceDelivery.objects.filter(child__in=child_ids).values_list(
        "child", "volunteer", "organisation"
    ):
        if vol:
            known[child].add(("v", vol))
        if org:
            known[child].add(("o", org))
    for child, vol, org in ServiceNeed.objects.filter(
        child__in=child_ids, status=ServiceNeed.Status.ASSIGNED
    ).values_list("child", "assigned_volunteer", "assigned_organisation"):
        if vol:
            known[child].add(("v", vol))
        if org:
            known[child].add(("o", org))

    candidates: list[Candidate] = []
    vol_index: dict[int, int] = {}
    vol_remaining: dict[int, int] = {}
    vol_skills: dict[int, set[int]] = {}
    for v in volunteers:
        vol_index[v.pk] = len(candidates)
        vol_remaining[v.pk] = v.hours_per_month - int(committed.get(v.pk) or 0)
        vol_skills[v.pk] = {s.pk for s in v.skills.all()}
        candidates.append(Candidate(key=f"v:{v.public_id}", volunteer=v))
    # One node per (organisation, service type): the largest of its offers' capacities.
    offer_index: dict[tuple[int, int], int] = {}
    offers_by_type: dict[int, list[OrganisationService]] = defaultdict(list)
    for o in offers:
        offers_by_type[o.service_type_id].append(o)
        key = (o.organisation_id, o.service_type_id)
        left = max(0, o.capacity_per_month - taken.get(key, 0))
        if key in offer_index:
            cand = candidates[offer_index[key]]
            cand.capacity = max(cand.capacity, left)
            continue
        offer_index[key] = len(candidates)
        candidates.append(
            Candidate(
                key=f"o:{o.organisation.public_id}:{o.service_type.code}",
                organisation=o.organisation,
                capacity=left,
            )
        )

    languages = child_languages(needs)
    arc_need: list[int] = []
    arc_cand: list[int] = []
    arc_cost: list[int] = []
    reasons: list[list[dict[str, object]]] = []
    largest_hours: dict[int, int] = defaultdict(int)
    for i, need in enumerate(needs):
        st = need.service_type
        village = need.child.village
        here = _coords(village)
        mine = known.get(need.child_id, set())
        for v in volunteers:
            if st.pk not in vol_skills[v.pk]:
                continue
            vetted = v.vetting == Volunteer.Vetting.VETTED
            if st.one_to_one and not vetted:
                continue
            if vol_remaining[v.pk] < need.hours_per_month:
                continue
            km = domain.distance_km(here, _coords(v.area))
            if km is not None and km > v.max_travel_km:
                continue
            shared = tuple(
                sorted(set(domain.parse_languages(v.dialects)) & languages[need.child_id])
            )
            pair = domain.Pair(
                km=km,
                continuity=("v", v.pk) in mine,
                is_volunteer=True,
                shared_languages=shared,
                vetted=vetted,
            )
            arc_need.append(i)
            arc_cand.append(vol_index[v.pk])
            arc_cost.append(domain.pair_cost(pair))
            reasons.append(domain.pair_reasons(pair, st.code))
            largest_hours[v.pk] = max(largest_hours[v.pk], need.hours_per_month)
        seen: set[int] = set()
        for o in offers_by_type.get(st.pk, []):
            if not village.path.startswith(o.area.path):
                continue
            j = offer_index[(o.organisation_id, st.pk)]
            if j in seen:
                continue
            seen.add(j)
            pair = domain.Pair(
                km=domain.distance_km(here, _coords(o.organisation.area)),
                continuity=("o", o.organisation_id) in mine,
            )
            arc_need.append(i)
            arc_cand.append(j)
            arc_cost.append(domain.pair_cost(pair))
            reasons.append(domain.pair_reasons(pair, st.code))
    for v in volunteers:
        candidates[vol_index[v.pk]].capacity = domain.slots(
            vol_remaining[v.pk], largest_hours[v.pk]
        )
    problem = Problem(
        n_needs=len(needs),
        capacity=np.array([c.capacity for c in candidates], dtype=np.int64),
        arc_need=np.array(arc_need, dtype=np.int64),
        arc_candidate=np.array(arc_cand, dtype=np.int64),
        arc_cost=np.array(arc_cost, dtype=np.int64),
    )
    arcs_of_need: list[list[int]] = [[] for _ in needs]
    for k in sorted(range(len(arc_need)), key=lambda k: (arc_cost[k], k)):
        arcs_of_need[arc_need[k]].append(k)
    return Loaded(township, needs, candidates, problem, reasons, arcs_of_need)
