"""Reads of assessments and instruments, and the assessment choke point.

Every list of assessments starts from ``scope``.
"""

import uuid

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, area_grants, scope
from shouwang.assessments import domain
from shouwang.assessments.models import Assessment, Instrument
from shouwang.core.errors import NotFound
from shouwang.registry.models import Child

DEFAULT_INSTRUMENT = "needs"


def _full(qs: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return qs.select_related(
        "child",
        "child__village",
        "child__village__parent",
        "instrument",
        "assessed_by",
        "reviewed_by",
    )


def access_assessment(
    user: Actor, public_id: str | uuid.UUID, cap: Cap = Cap.ASSESS_CHILD
) -> Assessment:
    """The one way a view fetches an assessment. ``NotFound`` alike for a missing, a
    malformed and an out-of-reach id (the answer of ``access.chokepoints.access_child``)."""
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound(_("Assessment not found.")) from None
    assessment = _full(scope(user, cap, Assessment.objects.all())).filter(public_id=key).first()
    if assessment is None:
        raise NotFound(_("Assessment not found."))
    return assessment


def assessment_reaches(viewer: Actor, cap: Cap, child: Child) -> bool:
    """Whether ``viewer`` holds ``cap`` on ``child`` through her village (the only route of
    ``Assessment``'s scope rule). No query: grants are read once per request."""
    path = child.village.path
    return any(path.startswith(area.path) for area in area_grants(viewer, cap))


def assessments_for_child(*, viewer: Actor, child: Child, limit: int = 5) -> list[Assessment]:
    """The child's latest assessments the viewer may see, newest first. One query."""
    qs = scope(viewer, Cap.ASSESS_CHILD, Assessment.objects.filter(child=child))
    return list(qs.select_related("instrument", "assessed_by")[:limit])


def current_instrument(code: str | None = None) -> Instrument | None:
    """The highest active version of the instrument ``code`` (default: the setting
    ``SHOUWANG_ASSESSMENT_INSTRUMENT``, else ``needs``)."""
    code = code or getattr(settings, "SHOUWANG_ASSESSMENT_INSTRUMENT", DEFAULT_INSTRUMENT)
    rows = list(Instrument.objects.filter(code=code, active=True))
    if not rows:
        return None
    return max(rows, key=lambda row: domain.version_key(row.version))


def instrument_by_key(key: str) -> Instrument | None:
    """The instrument version named ``code@version`` (the form's hidden field)."""
    code, _sep, version = key.partition("@")
    return Instrument.objects.filter(code=code, version=version).first()
