"""Choke points: the only way a view or API fetches one protected record.

Each returns the record or raises ``NotFound``, with the same answer whether the record
does not exist, the id is malformed, or the record is outside the user's reach, so a
typed URL reveals nothing (Zulip's ``access_stream_by_id``).
"""

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, scope
from shouwang.core.errors import NotFound
from shouwang.registry.models import Child


def _parse_uuid(value: str | uuid.UUID) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(_("Child not found.")) from None


def access_child(
    user: Actor,
    public_id: str | uuid.UUID,
    cap: Cap = Cap.VIEW_CHILD,
    queryset: QuerySet[Child] | None = None,
) -> Child:
    qs = scope(user, cap, queryset if queryset is not None else Child.objects.all())
    child = qs.filter(public_id=_parse_uuid(public_id)).first()
    if child is None:
        raise NotFound(_("Child not found."))
    return child
