"""What the navigation shows: only the pages the user's roles open."""

from django.http import HttpRequest

from shouwang.access.capabilities import Cap
from shouwang.access.policies import can


def navigation(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_worklist": can(user, Cap.MANAGE_CASE),
        "nav_board": can(user, Cap.VIEW_TOWN_BOARD),
        "nav_children": can(user, Cap.VIEW_CHILD),
        "nav_resources": can(user, Cap.VIEW_RESOURCES),
        "nav_matching": can(user, Cap.RUN_MATCHING),
        "nav_referral_inbox": can(user, Cap.RESPOND_REFERRAL),
        "nav_referrals": can(user, Cap.VIEW_REFERRALS),
        "nav_insights": can(user, Cap.VIEW_INSIGHTS),
        "nav_activities": can(user, Cap.MANAGE_ACTIVITY),
        "nav_catalogue": can(user, Cap.MANAGE_CATALOGUE),
        # not in the top bar (a phone has room for few): linked from the resources tabs and
        # the insights dashboard
        "nav_offers": can(user, Cap.MANAGE_OFFERS),
        "nav_mix": can(user, Cap.VIEW_WELFARE_MIX),
    }
