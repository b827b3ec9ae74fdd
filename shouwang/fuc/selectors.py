"""Reads of FUC applications, and their choke point. Every list starts from ``scope``."""

import datetime as dt
import uuid

from django.db.models import BooleanField, Case, DateField, F, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, area_grants, scope
from shouwang.core.errors import NotFound
from shouwang.fuc.domain import State
from shouwang.fuc.models import FucApplication, FucStep
from shouwang.registry.models import Child


def _with_child(qs: QuerySet[FucApplication]) -> QuerySet[FucApplication]:
    return qs.select_related("child", "child__village", "child__village__parent", "county")


def access_fuc_application(
    user: Actor, public_id: str | uuid.UUID, cap: Cap = Cap.VIEW_FUC
) -> FucApplication:
    """The one way a view fetches an application. ``NotFound`` alike for a missing, a
    malformed and an out-of-reach id (the same answer as ``access.chokepoints.access_child``).
    """
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound(_("Application not found.")) from None
    application = (
        _with_child(scope(user, cap, FucApplication.objects.all())).filter(public_id=key).first()
    )
    if application is None:
        raise NotFound(_("Application not found."))
    return application


def fuc_reaches(viewer: Actor, cap: Cap, child: Child) -> bool:
    """Whether ``viewer`` holds ``cap`` on ``child`` through her village (the only route of
    ``FucApplication``'s scope rule). No query: grants are read once per request."""
    path = child.village.path
    return any(path.startswith(area.path) for area in area_grants(viewer, cap))


def fuc_for_child(*, viewer: Actor, child: Child) -> list[FucApplication]:
    """The child's applications the viewer may see, newest first (open one, if any, first)."""
    qs = scope(viewer, Cap.VIEW_FUC, FucApplication.objects.filter(child=child))
    return list(qs.select_related("applied_by", "decided_by").order_by("-applied_at", "-pk"))


def fuc_steps(*, application: FucApplication) -> list[FucStep]:
    """The history of an application already reached through its choke point."""
    return list(application.steps.select_related("actor").order_by("at", "pk"))


def fuc_queue(*, viewer: Actor, today: dt.date | None = None) -> list[FucApplication]:
    """Applications waiting for a step, for the township supervisor and the county officer.

    Those awaiting the county (``verified``) and those awaiting the township
    (``submitted``) in the viewer's reach, each annotated with ``step_due_on`` (the due
    date of the step it waits for) and ``overdue`` (due date before today); overdue ones
    first, then by due date. One query, whatever the number of rows.
    """
    today = today or timezone.localdate()
    base = FucApplication.objects.filter(state__in=[State.SUBMITTED, State.VERIFIED])
    qs = scope(viewer, Cap.VERIFY_FUC, base) | scope(viewer, Cap.DECIDE_FUC, base)
    qs = qs.annotate(
        step_due_on=Case(
            When(state=State.SUBMITTED, then=F("township_due_on")),
            default=F("county_due_on"),
            output_field=DateField(),
        )
    ).annotate(
        overdue=Case(
            When(step_due_on__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    return list(
        _with_child(qs)
        .select_related("applied_by", "verified_by")
        .order_by("-overdue", "step_due_on", "pk")
    )
