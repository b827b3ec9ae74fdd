"""How registry records are reached (see docs/permissions.md).

A child is reached through her village (area route: the village, its township, its county
and above) or through her school (school route: the school liaison of that school).
Households, people, relations, absences and care arrangements are only ever reached
through a child that is itself in scope.
"""

from shouwang.access.policies import ScopeRule, register_scope
from shouwang.registry.models import Child

register_scope(Child, ScopeRule(area_path="village__path", area="village", school="school_id"))
