"""Deliveries, needs and attendance are reached through their child (area, school and
referral routes); activities and organisations' offers through their area. See
docs/permissions.md and docs/services.md."""

from shouwang.access.policies import ScopeRule, register_scope
from shouwang.services.models import (
    Activity,
    Attendance,
    OrganisationService,
    ServiceDelivery,
    ServiceNeed,
)

register_scope(
    ServiceDelivery,
    ScopeRule(area_path="child__village__path", area="child__village", school="child__school"),
)
register_scope(
    ServiceNeed,
    ScopeRule(area_path="child__village__path", area="child__village", school="child__school"),
)
register_scope(
    Attendance,
    ScopeRule(area_path="child__village__path", area="child__village", school="child__school"),
)
register_scope(Activity, ScopeRule(area_path="area__path", area="area"))
register_scope(OrganisationService, ScopeRule(area_path="area__path", area="area"))
