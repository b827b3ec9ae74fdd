"""Reads of the matching app: the townships a user runs matching for, open needs, runs
and their suggestions (reached through ``access_run``: 404 alike for missing and out of
reach)."""

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, area_grants, scope
from shouwang.core.errors import NotFound
from shouwang.geo.models import Area
from shouwang.matching.models import MatchRun, MatchSuggestion
from shouwang.services.models import ServiceNeed


def townships(*, viewer: Actor) -> list[Area]:
    """The areas where the viewer runs matching (a supervisor: her township)."""
    return sorted(area_grants(viewer, Cap.RUN_MATCHING), key=lambda a: a.path)


def township_for(*, viewer: Actor, code: str | None) -> Area:
    mine = townships(viewer=viewer)
    if not code:
        if not mine:
            raise NotFound(_("Not found."))
        return mine[0]
    for area in mine:
        if area.code == code:
            return area
    raise NotFound(_("Not found."))


def open_needs(*, viewer: Actor, township: Area) -> QuerySet[ServiceNeed]:
    qs = ServiceNeed.objects.filter(
        status=ServiceNeed.Status.OPEN, child__village__path__startswith=township.path
    ).select_related("child", "child__village", "service_type")
    return scope(viewer, Cap.RUN_MATCHING, qs)


def runs(*, viewer: Actor, township: Area) -> QuerySet[MatchRun]:
    return scope(viewer, Cap.RUN_MATCHING, MatchRun.objects.filter(area=township))[:5]


def access_run(viewer: Actor, public_id: str) -> MatchRun:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound(_("Not found.")) from None
    run = (
        scope(viewer, Cap.RUN_MATCHING, MatchRun.objects.select_related("area"))
        .filter(public_id=key)
        .first()
    )
    if run is None:
        raise NotFound(_("Not found."))
    return run


def run_suggestions(run: MatchRun) -> list[MatchSuggestion]:
    return list(
        run.suggestions.select_related(
            "need",
            "need__child",
            "need__child__village",
            "need__service_type",
            "need__assigned_volunteer",
            "need__assigned_organisation",
            "volunteer",
            "organisation",
        ).order_by("pk")
    )


def suggestion_in_run(run: MatchRun, need_public_id: str) -> MatchSuggestion:
    try:
        key = uuid.UUID(str(need_public_id))
    except ValueError:
        raise NotFound(_("Not found.")) from None
    found = (
        run.suggestions.select_related(
            "run__area", "need__child__village", "need__service_type", "volunteer", "organisation"
        )
        .filter(need__public_id=key)
        .first()
    )
    if found is None:
        raise NotFound(_("Not found."))
    return found
