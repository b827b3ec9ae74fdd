"""Volunteers, funds and donated material are reached through their own area (the area
route: the record's area within the viewer's). See docs/resources.md."""

from shouwang.access.policies import ScopeRule, register_scope
from shouwang.resources.models import Fund, MaterialDonation, Volunteer

for _model in (Volunteer, Fund, MaterialDonation):
    register_scope(_model, ScopeRule(area_path="area__path", area="area"))
