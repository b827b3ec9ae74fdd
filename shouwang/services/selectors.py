"""Reads of the services app. Every list starts from ``access.policies.scope``; the welfare
mix is computed with aggregates in SQL (one grouped query per kind of work)."""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, area_grants, can, can_on, scope
from shouwang.accounts.models import Organisation
from shouwang.cases.models import PlanAction
from shouwang.core.errors import NotFound
from shouwang.geo.models import Area
from shouwang.registry.models import Child
from shouwang.registry.selectors import search_children
from shouwang.services.models import (
    Activity,
    Attendance,
    OrganisationService,
    ServiceDelivery,
    ServiceNeed,
    ServiceType,
)

PANEL_ROWS = 5


def _uuid(value: str | uuid.UUID) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise NotFound("not found") from None


# --- Catalogue ----------------------------------------------------------------------------


def service_type_list(*, active_only: bool = False) -> QuerySet[ServiceType]:
    """The catalogue (reference data: no personal data, readable by every form)."""
    qs = ServiceType.objects.all()
    return qs.filter(active=True) if active_only else qs


def service_type_usage() -> QuerySet[ServiceType]:
    """The catalogue with how often each type is used (one query, subquery counts)."""
    return ServiceType.objects.annotate(
        n_deliveries=Count("deliveries", distinct=True),
        n_offers=Count("offers", distinct=True),
        n_activities=Count("activities", distinct=True),
        n_needs=Count("needs", distinct=True),
    )


# --- Organisations and their offers -------------------------------------------------------


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def organisations_serving(areas: list[Area]) -> QuerySet[Organisation]:
    """Organisations that can work in ``areas``: based in one of them (or below), or above
    one of them (a county body serves its townships). Organisations are not personal data."""
    if not areas:
        return Organisation.objects.none()
    q = Q()
    for area in areas:
        q |= Q(area__path__startswith=area.path) | Q(area__path__in=_ancestor_paths(area.path))
    return Organisation.objects.filter(q, active=True).select_related("area")


def areas_below(areas: list[Area], levels: list[str]) -> QuerySet[Area]:
    """The areas at ``levels`` in the subtrees of ``areas`` (for choosing a service area)."""
    q = Q(pk__in=[])
    for area in areas:
        q |= Q(path__startswith=area.path)
    return (
        Area.objects.filter(q, level__slug__in=levels)
        .select_related("level", "parent")
        .order_by("path")
    )


def organisation_serving_get(viewer: Actor, public_id: str) -> Organisation | None:
    try:
        key = _uuid(public_id)
    except NotFound:
        return None
    return organisations_serving(offer_areas(viewer)).filter(public_id=key).first()


def offer_areas(viewer: Actor) -> list[Area]:
    return area_grants(viewer, Cap.MANAGE_OFFERS)


def offer_list(*, viewer: Actor) -> QuerySet[OrganisationService]:
    return scope(viewer, Cap.MANAGE_OFFERS, OrganisationService.objects.all()).select_related(
        "organisation", "service_type", "area"
    )


def access_offer(viewer: Actor, public_id: str | uuid.UUID) -> OrganisationService:
    offer = offer_list(viewer=viewer).filter(public_id=_uuid(public_id)).first()
    if offer is None:
        raise NotFound("not found")
    return offer


def offers_by_organisation(*, viewer: Actor) -> list[dict[str, Any]]:
    """Each organisation that serves the viewer's areas, with its offers there: two
    queries (organisations, offers)."""
    offers: dict[int, list[OrganisationService]] = {}
    for offer in offer_list(viewer=viewer).order_by("service_type__sort_order", "area__path"):
        offers.setdefault(offer.organisation_id, []).append(offer)
    orgs = organisations_serving(offer_areas(viewer)).order_by("sector", "name_zh")
    seen = {org.pk for org in orgs}
    rows = [{"organisation": org, "offers": offers.get(org.pk, [])} for org in orgs]
    # An organisation no longer in the list (moved away) still shows its offers here.
    missing = [pk for pk in offers if pk not in seen]
    if missing:
        rows.extend(
            {"organisation": org, "offers": offers[org.pk]}
            for org in Organisation.objects.filter(pk__in=missing).select_related("area")
        )
    return rows


# --- Activities ---------------------------------------------------------------------------


def activity_list(*, viewer: Actor) -> QuerySet[Activity]:
    return (
        scope(viewer, Cap.MANAGE_ACTIVITY, Activity.objects.all())
        .select_related("service_type", "organiser", "area")
        .annotate(n_present=Count("attendance"))
    )


def access_activity(viewer: Actor, public_id: str | uuid.UUID) -> Activity:
    activity = (
        scope(viewer, Cap.MANAGE_ACTIVITY, Activity.objects.all())
        .select_related("service_type", "organiser", "area")
        .filter(public_id=_uuid(public_id))
        .first()
    )
    if activity is None:
        raise NotFound("not found")
    return activity


def activity_areas(viewer: Actor) -> QuerySet[Area]:
    """Where the viewer may hold an activity: her areas and the villages and townships
    below them."""
    return areas_below(area_grants(viewer, Cap.MANAGE_ACTIVITY), ["township", "village"])


def attendance_count(*, activity: Activity) -> int:
    return Attendance.objects.filter(activity=activity).count()


ROSTER_LIMIT = 150


@dataclass
class Roster:
    children: list[Child]
    matching: int  # how many children match (the list shows at most ROSTER_LIMIT)
    present: int  # how many are marked present in all

    @property
    def truncated(self) -> bool:
        return self.matching > len(self.children)


def attendance_roster(*, viewer: Actor, activity: Activity, query: str = "") -> Roster:
    """The children of the activity's area the viewer may see, each annotated
    ``is_present``, at most ``ROSTER_LIMIT`` of them (a phone page stays small; the search
    finds the others), with how many match and how many are present: three queries,
    whatever the area's size. ``query`` matches a name, full pinyin or pinyin initials."""
    children = scope(
        viewer,
        Cap.MANAGE_ACTIVITY,
        Child.objects.filter(village__path__startswith=activity.area.path),
    )
    children = search_children(children, query)
    page = (
        children.select_related("village")
        .annotate(
            is_present=Exists(Attendance.objects.filter(activity=activity, child=OuterRef("pk")))
        )
        .order_by("match_rank", "name_pinyin", "pk")[:ROSTER_LIMIT]
    )
    rows = list(page)
    matching = len(rows) if len(rows) < ROSTER_LIMIT else children.count()
    return Roster(children=rows, matching=matching, present=attendance_count(activity=activity))


# --- The child's services panel -----------------------------------------------------------


def plan_actions_open(*, child: Child) -> QuerySet[PlanAction]:
    """The child's open plan actions (the child has been reached through ``access_child``)."""
    return PlanAction.objects.filter(
        plan__case__child=child, status=PlanAction.Status.OPEN
    ).select_related("owner_organisation")


def services_panel_context(viewer: Actor, child: Child) -> dict[str, Any]:
    """Context for ``{% include "services/_child_panel.html" %}`` on the child's profile:
    recent deliveries, open needs and recent attendance (three queries). The child has been
    reached through ``access_child``; each list still goes through ``scope``."""
    deliveries = (
        scope(viewer, Cap.VIEW_CHILD, ServiceDelivery.objects.filter(child=child))
        .select_related("service_type", "organisation", "plan_action")
        .order_by("-delivered_on", "-pk")[:PANEL_ROWS]
    )
    needs = (
        scope(viewer, Cap.VIEW_CHILD, ServiceNeed.objects.filter(child=child))
        .filter(status__in=[ServiceNeed.Status.OPEN, ServiceNeed.Status.ASSIGNED])
        .select_related("service_type", "assigned_organisation")
    )
    attended = (
        scope(viewer, Cap.VIEW_CHILD, Attendance.objects.filter(child=child))
        .select_related("activity", "activity__service_type")
        .order_by("-activity__held_on", "-pk")[:PANEL_ROWS]
    )
    can_record = can_on(viewer, Cap.RECORD_DELIVERY, child)
    can_raise = can_on(viewer, Cap.RAISE_NEED, child)
    return {
        "services_panel": {
            "child": child,
            "deliveries": list(deliveries),
            "needs": list(needs),
            "attended": list(attended),
            "deliver_url": reverse("services:delivery_new", args=[child.public_id])
            if can_record
            else None,
            "need_url": reverse("services:need_new", args=[child.public_id]) if can_raise else None,
        }
    }


# --- The welfare mix ----------------------------------------------------------------------

UNATTRIBUTED = "none"
SECTORS: list[tuple[str, Any]] = [
    *Organisation.Sector.choices,
    (UNATTRIBUTED, gettext_lazy("No organisation recorded")),
]
DEFAULT_DAYS = 90


@dataclass
class MixMeasure:
    key: str
    label: str
    column: str  # the heading of the value column
    total: float = 0
    by_sector: dict[str, float] = field(default_factory=dict)
    scale: float = 1  # shown value = raw value x scale (minutes -> hours)

    def value(self, sector: str) -> float:
        raw = self.by_sector.get(sector, 0)
        return round(raw * self.scale, 1) if self.scale != 1 else raw

    @property
    def rows(self) -> list[dict[str, Any]]:
        """One row per sector (the "no organisation" row only when it has work)."""
        return [
            {
                "sector": key,
                "label": str(label),
                "value": self.value(key),
                "share": self.share(key),
            }
            for key, label in SECTORS
            if key != UNATTRIBUTED or self.by_sector.get(key)
        ]

    @property
    def shown_total(self) -> float:
        return round(self.total * self.scale, 1) if self.scale != 1 else self.total

    def share(self, sector: str) -> float:
        """Percentage of the total carried by ``sector`` (one decimal)."""
        if not self.total:
            return 0.0
        return round(100 * self.by_sector.get(sector, 0) / self.total, 1)


@dataclass
class WelfareMix:
    township: Area
    start: dt.date
    end: dt.date
    measures: list[MixMeasure]

    def measure(self, key: str) -> MixMeasure:
        return next(m for m in self.measures if m.key == key)


def mix_townships(viewer: Actor) -> QuerySet[Area]:
    """The townships whose mix the viewer may see: her own, or those of her county."""
    grants = area_grants(viewer, Cap.VIEW_WELFARE_MIX)
    if not grants:
        return Area.objects.none()
    q = Q()
    for area in grants:
        q |= Q(path__startswith=area.path)
    return (
        Area.objects.filter(q, level__slug="township")
        .select_related("level", "parent")
        .order_by("path")
    )


def _grouped(qs: QuerySet[Any], sector: Any, **aggregates: Any) -> dict[str, dict[str, float]]:
    """One GROUP BY query: ``{sector: {aggregate: value}}``."""
    rows = qs.annotate(mix_sector=sector).values("mix_sector").annotate(**aggregates).order_by()
    return {row["mix_sector"]: {name: row[name] or 0 for name in aggregates} for row in rows}


def welfare_mix(*, viewer: Actor, township: Area, start: dt.date, end: dt.date) -> WelfareMix:
    """Which sector carries which share of the work in ``township`` from ``start`` to ``end``
    (both included): four grouped queries, the same SQL on SQLite and PostgreSQL.

    - deliveries and their hours, by the delivering organisation's sector; a volunteer's
      delivery counts for her organisation's sector, or the voluntary sector if she has
      none; a delivery with neither is "no organisation recorded";
    - activities and their attendances, by the organiser's sector;
    - plan actions due in the period (not cancelled), by the owner organisation's sector
      (an action owned by a person alone is "no organisation recorded").
    """
    if not any(
        township.path.startswith(area.path) for area in area_grants(viewer, Cap.VIEW_WELFARE_MIX)
    ):
        raise NotFound("not found")
    path = township.path
    deliveries = _grouped(
        scope(viewer, Cap.VIEW_WELFARE_MIX, ServiceDelivery.objects.all()).filter(
            child__village__path__startswith=path, delivered_on__range=(start, end)
        ),
        Coalesce(
            F("organisation__sector"),
            F("volunteer__organisation__sector"),
            # A volunteer without an organisation is the voluntary sector.
            _volunteer_alone(),
            Value(UNATTRIBUTED),
        ),
        n=Count("pk"),
        minutes=Sum("duration_minutes"),
    )
    activities = _grouped(
        scope(viewer, Cap.VIEW_WELFARE_MIX, Activity.objects.all()).filter(
            area__path__startswith=path, held_on__range=(start, end)
        ),
        F("organiser__sector"),
        n=Count("pk"),
    )
    attendance = _grouped(
        scope(viewer, Cap.VIEW_WELFARE_MIX, Attendance.objects.all()).filter(
            activity__area__path__startswith=path, activity__held_on__range=(start, end)
        ),
        F("activity__organiser__sector"),
        n=Count("pk"),
    )
    # Plan actions are counted, never listed: the viewer holds the mix over the township.
    actions = _grouped(
        PlanAction.objects.filter(
            plan__case__child__village__path__startswith=path, due_on__range=(start, end)
        ).exclude(status=PlanAction.Status.CANCELLED),
        Coalesce(F("owner_organisation__sector"), Value(UNATTRIBUTED)),
        n=Count("pk"),
    )
    measures = [
        _measure(
            key="deliveries",
            label=_("Services delivered"),
            column=_("Services"),
            grouped=deliveries,
        ),
        _measure(
            key="hours",
            label=_("Hours of service"),
            column=_("Hours"),
            grouped=deliveries,
            aggregate="minutes",
            scale=1 / 60,
        ),
        _measure(
            key="activities",
            label=_("Group activities"),
            column=_("Activities"),
            grouped=activities,
        ),
        _measure(
            key="attendance",
            label=_("Attendances"),
            column=_("Children present"),
            grouped=attendance,
        ),
        _measure(key="actions", label=_("Plan actions due"), column=_("Actions"), grouped=actions),
    ]
    return WelfareMix(township=township, start=start, end=end, measures=measures)


def _volunteer_alone() -> Any:
    return Case(
        When(volunteer__isnull=False, then=Value(Organisation.Sector.VOLUNTARY.value)),
        default=None,
        output_field=CharField(),
    )


def _measure(
    *,
    key: str,
    label: str,
    column: str,
    grouped: dict[str, dict[str, float]],
    aggregate: str = "n",
    scale: float = 1,
) -> MixMeasure:
    by_sector = {sector: values[aggregate] for sector, values in grouped.items()}
    return MixMeasure(
        key=key,
        label=label,
        column=column,
        total=sum(by_sector.values()),
        by_sector=by_sector,
        scale=scale,
    )


def may_view_mix(viewer: Actor) -> bool:
    return can(viewer, Cap.VIEW_WELFARE_MIX)
