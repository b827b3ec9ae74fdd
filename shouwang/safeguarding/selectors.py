"""Reads of mandatory reports, and their choke point.

Two routes (``safeguarding.policies``): the area route through ``scope`` and the reporter
route (her own reports), ORed here. Every list starts from ``visible_reports`` or
``scope``; a view fetches one report only through ``access_report``.
"""

import uuid
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, area_grants, can_on, scope
from shouwang.core.errors import NotFound
from shouwang.registry.models import Child
from shouwang.safeguarding.domain import OPEN_STATES, State
from shouwang.safeguarding.models import Report, ReportStep


def _related(qs: QuerySet[Report]) -> QuerySet[Report]:
    return qs.select_related("area", "area__parent", "child", "child__village", "police_task")


def visible_reports(viewer: Actor, cap: Cap = Cap.VIEW_REPORT) -> QuerySet[Report]:
    """The reports ``viewer`` may do ``cap`` to. For ``view_report``, her own reports too
    (the reporter route); for any other capability, the area route only."""
    qs = scope(viewer, cap, Report.objects.all())
    if cap == Cap.VIEW_REPORT and viewer.is_authenticated:
        qs = Report.objects.filter(Q(pk__in=qs.values("pk")) | Q(reporter=viewer))
    return qs


def access_report(user: Actor, public_id: str | uuid.UUID, cap: Cap = Cap.VIEW_REPORT) -> Report:
    """The one way a view fetches a report: ``NotFound`` alike for a missing, a malformed
    and an out-of-reach id."""
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound(_("Report not found.")) from None
    report = _related(visible_reports(user, cap)).filter(public_id=key).first()
    if report is None:
        raise NotFound(_("Report not found."))
    return report


def shows_reporter(viewer: Actor, report: Report) -> bool:
    """Whether ``viewer`` may know who filed ``report``: the reporter herself, or a holder of
    ``safeguarding.view_reporter_identity`` on it."""
    if viewer.is_authenticated and report.reporter_id == viewer.pk:
        return True
    return can_on(viewer, Cap.VIEW_REPORTER, report)


def report_queue(*, viewer: Actor) -> list[Report]:
    """Open reports in the viewer's area reach: waiting for acknowledgement first (soonest
    escalation first), then acknowledged ones, newest first."""
    qs = scope(viewer, Cap.VIEW_REPORT, Report.objects.filter(state__in=list(OPEN_STATES)))
    rows = list(_related(qs).order_by("-filed_at", "-pk"))
    waiting = sorted(
        (r for r in rows if r.state == State.FILED), key=lambda r: r.next_escalation_at
    )
    return waiting + [r for r in rows if r.state != State.FILED]


def my_reports(*, user: Actor) -> list[Report]:
    """The reports the user filed, with their police tasks (open tasks first)."""
    if not user.is_authenticated:
        return []
    rows = list(_related(Report.objects.filter(reporter=user)).order_by("-filed_at", "-pk"))
    return sorted(rows, key=lambda r: r.police_task.is_done)


def open_police_tasks(*, user: Actor) -> int:
    if not user.is_authenticated:
        return 0
    return Report.objects.filter(reporter=user, police_task__completed_at__isnull=True).count()


def reports_for_child(*, viewer: Actor, child: Child) -> list[Report]:
    """The child's reports the viewer may see (area route or her own), open first."""
    qs = visible_reports(viewer).filter(child=child)
    rows = list(_related(qs).order_by("-filed_at", "-pk"))
    return sorted(rows, key=lambda r: not r.is_open)


def reaches_child_reports(viewer: Actor, child: Child) -> bool:
    """Whether the viewer holds ``view_report`` over the child's village (no query)."""
    path = child.village.path
    return any(path.startswith(a.path) for a in area_grants(viewer, Cap.VIEW_REPORT))


def report_steps(*, report: Report) -> list[ReportStep]:
    """The history of a report already reached through its choke point."""
    return list(report.steps.select_related("actor").order_by("at", "pk"))


def linked_case(report: Report) -> Any | None:
    """The child's case, when the cases app has one (built separately: looked up at run
    time, so this app does not depend on it)."""
    if report.child_id is None or not apps.is_installed("shouwang.cases"):
        return None
    try:
        case_model = apps.get_model("cases", "Case")
    except LookupError:
        return None
    if not any(f.name == "child" for f in case_model._meta.get_fields()):
        return None
    return case_model._default_manager.filter(child_id=report.child_id).order_by("-pk").first()


def reportable_children(
    *, user: Actor, include: str | None = None, limit: int = 300
) -> list[tuple[str, str]]:
    """Choices for the report form: the children the reporter can see (her village, her
    school's pupils…), by name, at most ``limit``, plus ``include`` if it is in reach."""
    qs = scope(user, Cap.VIEW_CHILD, Child.objects.all()).select_related("village")
    rows = list(qs.order_by("name", "pk")[:limit])
    if include and not any(str(c.public_id) == include for c in rows):
        try:
            key = uuid.UUID(include)
        except ValueError:
            key = None
        extra = qs.filter(public_id=key).first() if key else None
        if extra is not None:
            rows.insert(0, extra)
    return [(str(c.public_id), f"{c.name} · {c.village.display_name}") for c in rows]


def village_choices() -> list[tuple[str, str]]:
    """Every village, as "township · village" (area names are not protected data)."""
    from shouwang.geo.models import Area  # noqa: PLC0415

    villages = Area.objects.filter(level__slug="village").select_related("parent")
    return [
        (a.code, f"{a.parent.display_name} · {a.display_name}" if a.parent else a.display_name)
        for a in villages.order_by("path")
    ]


def village_by_code(code: str) -> Any | None:
    from shouwang.geo.models import Area  # noqa: PLC0415

    return Area.objects.filter(level__slug="village", code=code).first() if code else None
