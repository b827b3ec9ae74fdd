"""How referrals, and the children they are about, are reached (docs/permissions.md).

- **Area** (and school) route: a referral is reached through its child's village (the
  village's child director, the township supervisor, the county officer) and the child's
  school (the school liaison who may refer her pupils).
- **Referral** route: the receiving organisation's service provider reaches the referral
  itself while it is pending or accepted, and the child it is about only for recording a
  delivery, only while the referral is accepted. Never the child's profile (she holds no
  ``registry.view_child``), never the child's other referrals.
"""

from shouwang.access.policies import (
    ReferralRoute,
    ScopeRule,
    register_referral_route,
    register_scope,
)
from shouwang.referrals.models import Referral
from shouwang.registry.models import Child

register_scope(
    Referral,
    ScopeRule(area_path="child__village__path", area="child__village", school="child__school_id"),
)
register_referral_route(Referral, ReferralRoute(is_referral=True))
register_referral_route(Child, ReferralRoute(child="pk"))
