"""How FUC applications are reached (see docs/fuc.md and docs/permissions.md).

An application is reached through its child's village only (area route: the village's
child director, the township supervisor, the county officer, each with the capability).
There is no school route: a school liaison never sees whether a pupil applied, even if a
school role were one day given ``fuc.view_application``. Steps are only ever reached
through an application in scope.
"""

from shouwang.access.policies import ScopeRule, register_scope
from shouwang.fuc.models import FucApplication

register_scope(FucApplication, ScopeRule(area_path="child__village__path", area="child__village"))
