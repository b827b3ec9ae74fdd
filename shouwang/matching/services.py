"""Writes of the matching app: run matching for a township, decide on its suggestions
(accept, accept all, change, reject), and raise needs from plan actions. Each checks the
actor's reach (``Cap.RUN_MATCHING`` on the township) and writes an audit event in the same
transaction; accepting and changing assign the need through
``shouwang.services.services.assign_need`` (audited there as ``need.assigned``)."""

import time

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import can_on
from shouwang.accounts.models import Organisation, User
from shouwang.audit.services import audit_record
from shouwang.cases.models import PlanAction
from shouwang.core.errors import NotFound, ValidationFailed
from shouwang.geo.models import Area
from shouwang.matching.audit_actions import MatchingAction
from shouwang.matching.loading import Candidate, Loaded, load_township
from shouwang.matching.models import MatchRun, MatchSuggestion
from shouwang.matching.solver import UNASSIGNED_COST, solve
from shouwang.services import services as service_writes
from shouwang.services.models import ServiceNeed, ServiceType


def require_township(actor: User, township: Area) -> None:
    """The actor runs matching for this township (a record she may not reach: not found)."""
    if not can_on(actor, Cap.RUN_MATCHING, MatchRun(area=township)):
        raise NotFound(_("Not found."))


@transaction.atomic
def match_run(*, actor: User, township: Area) -> MatchRun:
    """Solve the township's open needs and store one suggestion per need (with no helper
    when none is eligible or all are full). Nothing is assigned until the supervisor
    decides."""
    require_township(actor, township)
    started = time.perf_counter()
    loaded = load_township(township)
    solution = solve(loaded.problem)
    elapsed = int((time.perf_counter() - started) * 1000)
    run = MatchRun.objects.create(
        area=township,
        run_by=actor,
        needs_count=len(loaded.needs),
        assigned_count=solution.covered,
        total_cost=solution.total_cost(loaded.problem),
        optimal=solution.optimal,
        solver_status=solution.status,
        duration_ms=elapsed,
    )
    rows = []
    for i, need in enumerate(loaded.needs):
        arc = int(solution.chosen_arc[i])
        if arc < 0:
            code = "capacity" if loaded.arcs_of_need[i] else "no_candidate"
            rows.append(
                MatchSuggestion(run=run, need=need, cost=UNASSIGNED_COST, reasons=[{"code": code}])
            )
            continue
        cand = loaded.candidates[int(loaded.problem.arc_candidate[arc])]
        rows.append(
            MatchSuggestion(
                run=run,
                need=need,
                volunteer=cand.volunteer,
                organisation=cand.organisation,
                cost=int(loaded.problem.arc_cost[arc]),
                reasons=loaded.arc_reasons[arc],
            )
        )
    MatchSuggestion.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=MatchingAction.RUN,
        target=run,
        area=township,
        extra={
            "needs": run.needs_count,
            "matched": run.assigned_count,
            "status": run.solver_status,
        },
    )
    return run


def alternatives(loaded: Loaded, need: ServiceNeed) -> list[tuple[Candidate, int, list]]:
    """The eligible helpers for one need, cheapest first: (candidate, cost, reasons)."""
    for i, n in enumerate(loaded.needs):
        if n.pk == need.pk:
            return [
                (
                    loaded.candidates[int(loaded.problem.arc_candidate[k])],
                    int(loaded.problem.arc_cost[k]),
                    loaded.arc_reasons[k],
                )
                for k in loaded.arcs_of_need[i]
            ]
    return []


def _decide(actor: User, suggestion: MatchSuggestion, decision: str) -> None:
    suggestion.decision = decision
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.save(
        update_fields=[
            "decision",
            "decided_by",
            "decided_at",
            "volunteer",
            "organisation",
            "cost",
            "reasons",
        ]
    )


def _pending(suggestion: MatchSuggestion) -> None:
    if suggestion.decision != MatchSuggestion.Decision.PENDING:
        raise ValidationFailed(_("This suggestion has already been decided."))
    if suggestion.need.status != ServiceNeed.Status.OPEN:
        # Assigned or closed since the run (another run, another supervisor): a stale
        # suggestion never overrides that decision.
        raise ValidationFailed(_("This need is no longer open. Run matching again."))


@transaction.atomic
def suggestion_accept(*, actor: User, suggestion: MatchSuggestion) -> MatchSuggestion:
    require_township(actor, suggestion.run.area)
    _pending(suggestion)
    if suggestion.volunteer is None and suggestion.organisation is None:
        raise ValidationFailed(
            _("There is no helper to accept: choose one or leave the need open.")
        )
    service_writes.assign_need(
        actor=actor,
        need=suggestion.need,
        volunteer=suggestion.volunteer,
        organisation=suggestion.organisation,
    )
    _decide(actor, suggestion, MatchSuggestion.Decision.ACCEPTED)
    audit_record(
        actor=actor,
        action=MatchingAction.SUGGESTION_ACCEPTED,
        target=suggestion.need.child,
        area=suggestion.need.child.village,
        extra={"run": str(suggestion.run.public_id), "need": str(suggestion.need.public_id)},
    )
    return suggestion


def suggestion_accept_all(*, actor: User, run: MatchRun) -> tuple[int, list[str]]:
    """Accept every pending suggestion that names a helper, each in its own transaction;
    returns how many were accepted and the messages of those refused (e.g. a need someone
    else assigned meanwhile)."""
    require_township(actor, run.area)
    accepted, refused = 0, []
    pending = run.suggestions.filter(
        Q(volunteer__isnull=False) | Q(organisation__isnull=False),
        decision=MatchSuggestion.Decision.PENDING,
    )
    for s in pending.select_related(
        "run__area", "need__child__village", "need__service_type", "volunteer", "organisation"
    ).order_by("pk"):
        try:
            suggestion_accept(actor=actor, suggestion=s)
        except ValidationFailed as exc:
            refused.append(
                _("%(name)s: %(message)s") % {"name": s.need.child.name, "message": exc.message}
            )
        else:
            accepted += 1
    return accepted, refused


@transaction.atomic
def suggestion_change(
    *, actor: User, suggestion: MatchSuggestion, candidate_key: str
) -> MatchSuggestion:
    """Give the need to another eligible helper (one of ``alternatives``) instead."""
    require_township(actor, suggestion.run.area)
    _pending(suggestion)
    loaded = load_township(suggestion.run.area, need_ids=[suggestion.need_id])
    options = {
        c.key: (c, cost, reasons) for c, cost, reasons in alternatives(loaded, suggestion.need)
    }
    if candidate_key not in options:
        raise ValidationFailed(
            _("Please correct the errors below."),
            {"candidate": [_("Choose one of the eligible helpers listed.")]},
        )
    cand, cost, reasons = options[candidate_key]
    service_writes.assign_need(
        actor=actor, need=suggestion.need, volunteer=cand.volunteer, organisation=cand.organisation
    )
    suggestion.volunteer, suggestion.organisation = cand.volunteer, cand.organisation
    suggestion.cost, suggestion.reasons = cost, reasons
    _decide(actor, suggestion, MatchSuggestion.Decision.CHANGED)
    audit_record(
        actor=actor,
        action=MatchingAction.SUGGESTION_CHANGED,
        target=suggestion.need.child,
        area=suggestion.need.child.village,
        extra={
            "run": str(suggestion.run.public_id),
            "need": str(suggestion.need.public_id),
            "to": candidate_key,
        },
    )
    return suggestion


@transaction.atomic
def suggestion_reject(*, actor: User, suggestion: MatchSuggestion) -> MatchSuggestion:
    """Leave the need open (the next run proposes again)."""
    require_township(actor, suggestion.run.area)
    _pending(suggestion)
    _decide(actor, suggestion, MatchSuggestion.Decision.REJECTED)
    audit_record(
        actor=actor,
        action=MatchingAction.SUGGESTION_REJECTED,
        target=suggestion.need.child,
        area=suggestion.need.child.village,
        extra={"run": str(suggestion.run.public_id), "need": str(suggestion.need.public_id)},
    )
    return suggestion


# Owners who mean "nobody from outside the family and village is on it yet".
LOCAL_OWNER_TYPES = (Organisation.Type.VILLAGE_COMMITTEE, Organisation.Type.FAMILY_NETWORK)


def service_type_for_domain() -> dict[str, ServiceType]:
    """Each needs domain's first active service type in catalogue order (e.g. education →
    study support, psychological → psychological counselling)."""
    out: dict[str, ServiceType] = {}
    for st in ServiceType.objects.filter(active=True).order_by("sort_order", "code"):
        out.setdefault(st.domain, st)
    return out


@transaction.atomic
def needs_raise_from_plan_actions(*, actor: User, township: Area) -> int:
    """Raise a need for every open plan action of the township's children whose only
    owner is the village committee or the informal/family sector (no named person) and
    whose domain has a service type. Returns how many new needs were raised."""
    require_township(actor, township)
    by_domain = service_type_for_domain()
    actions = list(
        PlanAction.objects.filter(
            Q(owner_organisation__org_type__in=LOCAL_OWNER_TYPES)
            | Q(owner_organisation__sector=Organisation.Sector.INFORMAL),
            status=PlanAction.Status.OPEN,
            owner_user__isnull=True,
            plan__case__child__village__path__startswith=township.path,
            domain__in=list(by_domain),
        )
        .select_related("plan__case__child__village")
        .order_by("pk")
    )
    # A child has at most one open or assigned need per service (raise_need's own rule).
    taken = set(
        ServiceNeed.objects.filter(
            child__in={a.plan.case.child_id for a in actions},
            status__in=[ServiceNeed.Status.OPEN, ServiceNeed.Status.ASSIGNED],
        ).values_list("child", "service_type")
    )
    raised = 0
    for action in actions:
        child = action.plan.case.child
        service_type = by_domain[action.domain]
        if (child.pk, service_type.pk) in taken:
            continue
        service_writes.raise_need(
            actor=actor, child=child, service_type=service_type, plan_action=action
        )
        taken.add((child.pk, service_type.pk))
        raised += 1
    return raised
