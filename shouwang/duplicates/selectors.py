"""Reads of the duplicates app. A pair is in a viewer's reach when both children are."""

from django.db.models import QuerySet

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, scope
from shouwang.core.errors import NotFound
from shouwang.duplicates.models import DuplicatePair, Merge
from shouwang.registry.models import Child


def _reachable_children(viewer: Actor) -> QuerySet[Child]:
    return scope(viewer, Cap.REVIEW_DUPLICATES, Child.objects.all()).values("pk")


def pair_list(*, viewer: Actor, status: str = DuplicatePair.Status.CANDIDATE) -> QuerySet:
    reach = _reachable_children(viewer)
    qs = DuplicatePair.objects.filter(child_a__in=reach, child_b__in=reach)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("child_a__village", "child_b__village").order_by("-score", "pk")


def access_pair(viewer: Actor, pk: int) -> DuplicatePair:
    """The pair, or ``NotFound`` when it does not exist or either child is out of reach."""
    pair = pair_list(viewer=viewer, status="").filter(pk=pk).first()
    if pair is None:
        raise NotFound("not found")
    return pair


def live_merge(pair: DuplicatePair) -> Merge | None:
    return pair.merges.filter(reversed_at__isnull=True).select_related("survivor", "merged").first()


def candidate_count(*, viewer: Actor) -> int:
    return pair_list(viewer=viewer).count()
