"""How assessments are reached (see docs/assessments.md and docs/permissions.md).

An assessment is reached through its child's village only (area route: the village's child
director and the township supervisor, with ``assessments.assess_child``; the supervisor
approves with ``cases.approve_plan``). There is no school route: a school liaison never
sees a pupil's needs assessment (psychological and family details).
"""

from shouwang.access.policies import ScopeRule, register_scope
from shouwang.assessments.models import Assessment

register_scope(Assessment, ScopeRule(area_path="child__village__path", area="child__village"))
