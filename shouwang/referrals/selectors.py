"""Reads of referrals, their choke point, and what each viewer is shown.

Every list starts from ``scope(viewer, VIEW_REFERRALS, …)``: the area and school routes
(the sending side, the township supervisor, the county officer) and the referral route
(the receiving organisation's provider, for open referrals to her organisation only). A
view fetches one referral only through ``access_referral``.

``referral_sheet`` is the need-to-know projection of docs/permissions.md: a viewer on the
referral route gets only the fields listed there, never the child object itself.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, can, can_on, grants, scope
from shouwang.access.roles import ROLE_SPECS
from shouwang.core.errors import NotFound
from shouwang.referrals import domain
from shouwang.referrals.models import Referral
from shouwang.registry.models import CareArrangement, Child

OVERDUE_SHOWN = 5
PAGE_ROWS = 100  # a list shows the first hundred (a cheap phone; narrow with the filters)


def _related(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    return qs.select_related(
        "child",
        "child__village",
        "child__village__parent",
        "service_type",
        "from_organisation",
        "to_organisation",
        "plan_action",
    )


def visible_referrals(viewer: Actor, cap: Cap = Cap.VIEW_REFERRALS) -> QuerySet[Referral]:
    return scope(viewer, cap, Referral.objects.all())


def access_referral(
    user: Actor, public_id: str | uuid.UUID, cap: Cap = Cap.VIEW_REFERRALS
) -> Referral:
    """The one way a view fetches a referral: ``NotFound`` alike for a missing, a malformed,
    an out-of-reach and (for the receiving organisation) a closed referral."""
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound(_("Referral not found.")) from None
    referral = _related(visible_referrals(user, cap)).filter(public_id=key).first()
    if referral is None:
        raise NotFound(_("Referral not found."))
    return referral


def receiving_organisations(viewer: Actor) -> list[int]:
    """The organisations for which the viewer answers referrals (her referral-route grants)."""
    return [
        g.organisation_id
        for g in grants(viewer)
        if g.organisation_id
        and ROLE_SPECS[g.role].route == "referral"
        and Cap.RESPOND_REFERRAL in ROLE_SPECS[g.role].capabilities
    ]


def on_area_route(viewer: Actor, referral: Referral) -> bool:
    """Whether the viewer reaches the referral as the sending side or its oversight (area or
    school route), rather than only as the receiving organisation."""
    return can_on(viewer, Cap.VIEW_CHILD, referral.child)


def _pending_first(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    return qs.annotate(
        _waiting=Case(
            When(status=Referral.Status.PENDING, then=Value(0)),
            When(status=Referral.Status.ACCEPTED, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("_waiting", "respond_by", "pk")


def inbox(*, viewer: Actor) -> tuple[list[Referral], int]:
    """Open referrals to the viewer's organisation: pending first (the most overdue first),
    then accepted ones; the first ``PAGE_ROWS`` and the total."""
    qs = visible_referrals(viewer).filter(
        to_organisation_id__in=receiving_organisations(viewer),
        status__in=list(domain.OPEN),
    )
    return list(_related(_pending_first(qs))[:PAGE_ROWS]), qs.count()


STATUS_FILTERS = ("open", "overdue", *Referral.Status.values)


def referral_list(*, viewer: Actor, status: str = "") -> tuple[list[Referral], int]:
    """The referrals the viewer may see (the children of her area), filtered by status
    (``open``, ``overdue`` or a status code), pending first: the first ``PAGE_ROWS`` and
    the total."""
    qs = visible_referrals(viewer)
    if status == "open":
        qs = qs.filter(status__in=list(domain.OPEN))
    elif status == "overdue":
        qs = qs.filter(status=Referral.Status.PENDING, respond_by__lte=timezone.now())
    elif status in Referral.Status.values:
        qs = qs.filter(status=status)
    return list(_related(_pending_first(qs))[:PAGE_ROWS]), qs.count()


@dataclass(frozen=True)
class Overdue:
    count: int
    oldest: list[Referral]


def overdue_referrals(user: Actor, *, now: dt.datetime | None = None) -> Overdue:
    """Pending referrals past their deadline that the user may see: the receiving
    organisation's, the sender's and the township supervisor's (two queries)."""
    qs = visible_referrals(user).filter(
        status=Referral.Status.PENDING, respond_by__lte=now or timezone.now()
    )
    return Overdue(
        count=qs.count(),
        oldest=list(_related(qs.order_by("respond_by", "pk"))[:OVERDUE_SHOWN]),
    )


def overdue_panel_context(request: HttpRequest) -> dict[str, Any]:
    """Context for ``{% include "referrals/_overdue_panel.html" %}`` (the supervisor's board,
    the director's worklist, the provider's inbox)."""
    if not can(request.user, Cap.VIEW_REFERRALS):
        return {"referrals_overdue": None}
    return {"referrals_overdue": overdue_referrals(request.user)}


def current_caregivers(child_ids: list[int]) -> dict[int, Any]:
    """The current caregiver of each child, in one query."""
    rows = (
        CareArrangement.objects.filter(child_id__in=child_ids, ended_on__isnull=True)
        .select_related("caregiver")
        .order_by("child_id", "pk")
    )
    return {row.child_id: row.caregiver for row in rows if row.caregiver_id}


@dataclass(frozen=True)
class Sheet:
    """What a viewer is shown about the child on a referral page (docs/permissions.md)."""

    age: int
    village: str
    identified: bool  # name and caregiver shown
    name: str = ""
    caregiver_name: str = ""
    caregiver_phone: str = ""
    profile_url: str = ""  # only for the sending side


def referral_sheets(*, viewer: Actor, referrals: list[Referral]) -> list[Sheet]:
    """The sheet of each referral, in one query (the caregivers of the named children).

    The receiving organisation sees the age, the village, the need and the service while
    the referral is pending; once accepted, also the child's name and the caregiver's name
    and phone. The sending side sees the same, with a link to the full profile."""
    today = timezone.localdate()
    senders = [on_area_route(viewer, r) for r in referrals]
    named = [
        r.child_id
        for r, sender in zip(referrals, senders, strict=True)
        if sender or r.status == Referral.Status.ACCEPTED
    ]
    caregivers = current_caregivers(named) if named else {}
    sheets = []
    for referral, sender in zip(referrals, senders, strict=True):
        child = referral.child
        village = child.village
        village_label = (
            f"{village.parent.display_name} · {village.display_name}"
            if village.parent
            else village.display_name
        )
        age = domain.age_on(child.birth_date, today)
        if not (sender or referral.status == Referral.Status.ACCEPTED):
            sheets.append(Sheet(age=age, village=village_label, identified=False))
            continue
        caregiver = caregivers.get(child.pk)
        sheets.append(
            Sheet(
                age=age,
                village=village_label,
                identified=True,
                name=child.name,
                caregiver_name=caregiver.name if caregiver else "",
                caregiver_phone=caregiver.phone if caregiver else "",
                profile_url=reverse("registry:child_detail", args=[child.public_id])
                if sender
                else "",
            )
        )
    return sheets


def referral_sheet(*, viewer: Actor, referral: Referral) -> Sheet:
    return referral_sheets(viewer=viewer, referrals=[referral])[0]


def referral_deliveries(*, referral: Referral) -> list[Any]:
    """The deliveries recorded against a referral already reached through its choke point
    (not the child's other deliveries)."""
    return list(referral.deliveries.select_related("service_type").order_by("delivered_on", "pk"))


def referrals_panel_context(request: HttpRequest, child: Child) -> dict[str, Any]:
    """Context for ``{% include "referrals/_child_panel.html" %}`` on the child's profile:
    her referrals the viewer may see, and the "Refer" link for holders of
    ``referrals.make_referral`` on her. One query."""
    user = request.user
    can_refer = can_on(user, Cap.MAKE_REFERRAL, child)
    if not can_refer and not can(user, Cap.VIEW_REFERRALS):
        return {"referrals_panel": None}
    rows = list(
        visible_referrals(user)
        .filter(child=child)
        .select_related("service_type", "to_organisation")
        .order_by("-created_at", "-pk")
    )
    return {
        "referrals_panel": {
            "rows": rows,
            "new_url": reverse("referrals:new", args=[child.public_id]) if can_refer else "",
            "now": timezone.now(),
        }
    }
