"""Reads of follow-up records; always through a child already in the viewer's scope."""

import datetime as dt

from django.db.models import Max, Q, QuerySet

from shouwang.cases.models import ContactLog
from shouwang.registry.models import Child, ChildRelation, Person


def parents_of(*, child: Child) -> QuerySet[Person]:
    """The child's father and mother (the people a contact can be logged for)."""
    return Person.objects.filter(
        child_relations__child=child, child_relations__relation__in=ChildRelation.PARENTS
    ).order_by("child_relations__relation")


def contact_list(*, child: Child, limit: int = 10) -> list[ContactLog]:
    return list(ContactLog.objects.filter(child=child).select_related("parent")[:limit])


def last_contacts(*, child: Child) -> dict[int, tuple[dt.date | None, dt.date | None]]:
    """For each parent (person id): the newest logged contact with the child, and with the
    caregiver."""
    rows = (
        ContactLog.objects.filter(child=child)
        .values("parent_id")
        .annotate(
            with_child=Max("contacted_on", filter=Q(with_child=True)),
            with_caregiver=Max("contacted_on", filter=Q(with_caregiver=True)),
        )
    )
    return {r["parent_id"]: (r["with_child"], r["with_caregiver"]) for r in rows}
