"""Cases are reached through their child's village (the area route); see docs/permissions.md."""

from shouwang.access.policies import ScopeRule, register_scope
from shouwang.cases.models import Case

register_scope(Case, ScopeRule(area_path="child__village__path", area="child__village"))
