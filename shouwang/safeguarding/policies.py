"""How mandatory reports are reached (see docs/safeguarding.md and docs/permissions.md).

Two routes:

1. **Area**: through the report's own ``area`` — the child's village, or the area where an
   unknown child was found — for holders of the capability there or above (the village's
   child director may view; the township supervisor and the county officer may view,
   acknowledge, respond, close and see who reported).
2. **Reporter**: the reporter always sees her own report and her police task, whatever her
   role (a teacher, a neighbour with an account). This route is not a ``ScopeRule``: it is
   ORed in ``safeguarding.selectors`` (``visible_reports`` and ``access_report``) and gives
   ``safeguarding.view_report`` only, never an action.

There is no school route: a school liaison files reports for her pupils and sees those she
filed, not others'.
"""

from shouwang.access.policies import ScopeRule, register_scope
from shouwang.safeguarding.models import Report

register_scope(Report, ScopeRule(area_path="area__path", area="area"))
