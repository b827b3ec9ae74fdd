"""Reads of the resources registry: every list starts from ``scope``; one record is
fetched through an ``access_*`` choke point (404 alike for missing and out of reach)."""

import uuid
from decimal import Decimal

from django.db.models import DecimalField, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, area_grants, scope
from shouwang.core.errors import NotFound
from shouwang.geo.models import Area
from shouwang.registry.models import Child
from shouwang.resources.models import Fund, FundEntry, MaterialDonation, Volunteer

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(_("Not found.")) from None


def volunteer_list(*, viewer: Actor) -> QuerySet[Volunteer]:
    qs = Volunteer.objects.select_related("area", "organisation").prefetch_related("skills")
    return scope(viewer, Cap.VIEW_RESOURCES, qs)


def access_volunteer(viewer: Actor, public_id: str) -> Volunteer:
    found = volunteer_list(viewer=viewer).filter(public_id=_uuid(public_id)).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def fund_list(*, viewer: Actor) -> QuerySet[Fund]:
    qs = Fund.objects.select_related("area").annotate(
        allocated=Coalesce(
            Sum("entries__amount", filter=Q(entries__kind=FundEntry.Kind.ALLOCATED)), ZERO
        ),
        spent=Coalesce(Sum("entries__amount", filter=Q(entries__kind=FundEntry.Kind.SPENT)), ZERO),
    )
    return scope(viewer, Cap.VIEW_RESOURCES, qs)


def access_fund(viewer: Actor, public_id: str) -> Fund:
    found = fund_list(viewer=viewer).filter(public_id=_uuid(public_id)).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def donation_list(*, viewer: Actor) -> QuerySet[MaterialDonation]:
    qs = MaterialDonation.objects.select_related("area", "donor").annotate(
        given=Coalesce(Sum("distributions__quantity"), Value(0), output_field=IntegerField())
    )
    return scope(viewer, Cap.VIEW_RESOURCES, qs)


def access_donation(viewer: Actor, public_id: str) -> MaterialDonation:
    found = donation_list(viewer=viewer).filter(public_id=_uuid(public_id)).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


def manageable_areas(*, viewer: Actor) -> list[Area]:
    """The areas where the viewer may register resources: her grants and below."""
    q = Q(pk__in=[])
    for area in area_grants(viewer, Cap.MANAGE_RESOURCES):
        q |= Q(path__startswith=area.path)
    return list(Area.objects.filter(q).select_related("level").order_by("path"))


def children_for_donation(*, viewer: Actor, donation: MaterialDonation) -> QuerySet[Child]:
    qs = Child.objects.filter(village__path__startswith=donation.area.path).order_by("name")
    return scope(viewer, Cap.VIEW_CHILD, qs)
