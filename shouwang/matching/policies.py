"""A matching run is reached through its township (area route); its suggestions through
their run. See docs/matching.md."""

from shouwang.access.policies import ScopeRule, register_scope
from shouwang.matching.models import MatchRun

register_scope(MatchRun, ScopeRule(area_path="area__path", area="area"))
