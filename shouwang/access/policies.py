"""The one access policy: Wagtail's four questions, CommCare's "accessible to user".

- ``can(user, cap)``: may the user do this anywhere at all? (menus, buttons)
- ``can_on(user, cap, obj)``: may she do it to this record?
- ``scope(user, cap, qs)``: which of these records may she do it to? The only way to list
  protected records: every selector starts here.
- ``holders(cap, obj)``: who may do it to this record? (routing of tasks, escalation)
- ``require(user, cap, obj=None)``: ``can``/``can_on`` that raises.

A user's reach is the union of her active role assignments. Each protected model declares
its routes in a ``ScopeRule`` (registered by its app): the lookup from the record to the
path of its area, and optionally to the school that gives a school liaison her route.
Anything not granted is denied; Django's staff and superuser flags grant nothing here.

The third route, ``referral`` (a service provider's), is declared apart with
``register_referral_route``: a record is reached through an open referral to the
provider's organisation (docs/permissions.md, "The referral route"). ``can_on`` on that
route costs one query for a record reached through its child (none for a referral).
"""

from dataclasses import dataclass
from typing import TypeVar

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet

from shouwang.access.capabilities import Cap
from shouwang.access.roles import ROLE_SPECS, roles_with
from shouwang.accounts.models import RoleAssignment, User
from shouwang.core.errors import NotFound, PermissionDenied
from shouwang.geo.models import Area


@dataclass(frozen=True)
class ScopeRule:
    area_path: str  # lookup from the record to ``geo.Area.path`` of its area
    area: str  # lookup from the record to its ``geo.Area``
    school: str | None = None  # lookup from the record to its school ``Organisation``


_SCOPE_RULES: dict[type[Model], ScopeRule] = {}


def register_scope(model: type[Model], rule: ScopeRule) -> None:
    _SCOPE_RULES[model] = rule


@dataclass(frozen=True)
class ReferralRoute:
    """How an open referral opens a record to the receiving organisation's staff.

    ``child``: the lookup from the record to its child's primary key (``"pk"`` for a child):
    the record is reached while the child has a referral to the organisation in one of the
    statuses the capability needs (``referral_statuses``). ``is_referral``: the record is a
    referral itself, reached while *it* is in such a status and addressed to the
    organisation (never the child's other referrals).
    """

    child: str | None = None
    is_referral: bool = False


_REFERRAL_ROUTES: dict[type[Model], ReferralRoute] = {}

PENDING, ACCEPTED = "pending", "accepted"


def register_referral_route(model: type[Model], route: ReferralRoute) -> None:
    _REFERRAL_ROUTES[model] = route


def referral_statuses(cap: Cap | None) -> tuple[str, ...]:
    """The referral statuses that open a record for ``cap``: a provider records a delivery
    only once she has accepted; she sees and answers a referral while it is pending or
    accepted (``None``: any capability, for "visible at all")."""
    if cap == Cap.RECORD_DELIVERY:
        return (ACCEPTED,)
    return (PENDING, ACCEPTED)


def _referrals():
    return apps.get_model("referrals", "Referral")._default_manager


def scope_rule(model: type[Model]) -> ScopeRule:
    try:
        return _SCOPE_RULES[model]
    except KeyError:
        msg = f"{model.__name__} has no ScopeRule: register one before listing it"
        raise LookupError(msg) from None


Actor = User | AnonymousUser


def grants(user: Actor) -> list[RoleAssignment]:
    """The user's active assignments, read once per user object (per request)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[RoleAssignment] | None = getattr(user, "_shouwang_grants", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, active=True).select_related(
                "area", "area__level", "organisation"
            )
        )
        user._shouwang_grants = cached  # type: ignore[union-attr]
    return cached


def _grants_for(user: Actor, cap: Cap | None) -> list[RoleAssignment]:
    """The grants carrying ``cap`` (``None``: every grant, whatever it carries)."""
    return [g for g in grants(user) if cap is None or cap in ROLE_SPECS[g.role].capabilities]


def area_grants(user: Actor, cap: Cap) -> list[Area]:
    """The areas where the user holds ``cap`` through an area-route role."""
    return [g.area for g in _grants_for(user, cap) if ROLE_SPECS[g.role].route == "area"]


def can(user: Actor, cap: Cap) -> bool:
    return bool(_grants_for(user, cap))


def _referral_q(model: type[Model], cap: Cap | None, organisation_id: int) -> Q | None:
    route = _REFERRAL_ROUTES.get(model)
    if route is None:
        return None
    open_referrals = _referrals().filter(
        to_organisation_id=organisation_id, status__in=referral_statuses(cap)
    )
    if route.is_referral:
        return Q(to_organisation_id=organisation_id, status__in=referral_statuses(cap))
    if route.child:
        return Q(**{f"{route.child}__in": open_referrals.values("child_id")})
    return None


def _scope_q(user: Actor, cap: Cap | None, rule: ScopeRule, model: type[Model]) -> Q | None:
    q: Q | None = None
    for grant in _grants_for(user, cap):
        route = ROLE_SPECS[grant.role].route
        part: Q | None = None
        if route == "area":
            part = Q(**{f"{rule.area_path}__startswith": grant.area.path})
        elif route == "school" and rule.school and grant.organisation_id:
            part = Q(**{rule.school: grant.organisation_id})
        elif route == "referral" and grant.organisation_id:
            part = _referral_q(model, cap, grant.organisation_id)
        if part is not None:
            q = part if q is None else q | part
    return q


M = TypeVar("M", bound=Model)


def scope(user: Actor, cap: Cap, qs: QuerySet[M]) -> QuerySet[M]:
    q = _scope_q(user, cap, scope_rule(qs.model), qs.model)
    return qs.none() if q is None else qs.filter(q)


def can_on(user: Actor, cap: Cap, obj: Model) -> bool:
    """``scope`` for one record, decided in memory from the record's area and school (no
    query once the record's area is loaded): the same routes as ``_scope_q``. The referral
    route asks the database once for a record reached through its child."""
    rule = scope_rule(type(obj))
    relevant = _grants_for(user, cap)
    if not relevant:
        return False
    area = _follow(obj, rule.area)
    school_id = _follow(obj, rule.school) if rule.school else None
    for grant in relevant:
        route = ROLE_SPECS[grant.role].route
        if route == "area" and area is not None and area.path.startswith(grant.area.path):
            return True
        if route == "school" and school_id is not None and school_id == grant.organisation_id:
            return True
        if route == "referral" and grant.organisation_id and _referral_open(obj, cap, grant):
            return True
    return False


def _referral_open(obj: Model, cap: Cap, grant: RoleAssignment) -> bool:
    route = _REFERRAL_ROUTES.get(type(obj))
    if route is None:
        return False
    if route.is_referral:
        return (
            obj.to_organisation_id == grant.organisation_id  # type: ignore[attr-defined]
            and obj.status in referral_statuses(cap)  # type: ignore[attr-defined]
        )
    if route.child is None:
        return False
    child_id = _follow(obj, route.child)
    return (
        child_id is not None
        and _referrals()
        .filter(
            child_id=child_id,
            to_organisation_id=grant.organisation_id,
            status__in=referral_statuses(cap),
        )
        .exists()
    )


def require(user: Actor, cap: Cap, obj: Model | None = None) -> None:
    """Raise unless the user may do ``cap`` (to ``obj``).

    A record out of reach raises ``NotFound`` (the same answer as a missing one); a record
    in view but not changeable, or no such capability at all, raises ``PermissionDenied``.
    """
    if obj is None:
        if not can(user, cap):
            raise PermissionDenied(f"missing capability {cap}")
        return
    if can_on(user, cap, obj):
        return
    model = type(obj)
    q = _scope_q(user, None, scope_rule(model), model)
    if q is not None and model._default_manager.filter(q, pk=obj.pk).exists():
        raise PermissionDenied(f"missing capability {cap} on this record")
    raise NotFound("not found")


def holders(cap: Cap, obj: Model) -> QuerySet[User]:
    """The users who may do ``cap`` to ``obj``: for routing work and escalation."""
    rule = scope_rule(type(obj))
    area = _follow(obj, rule.area)
    ancestor_paths = _ancestor_paths(area.path)
    area_roles = [r for r in roles_with(cap) if ROLE_SPECS[r].route == "area"]
    q = Q(role__in=area_roles, area__path__in=ancestor_paths)
    if rule.school:
        school = _follow(obj, rule.school)
        school_roles = [r for r in roles_with(cap) if ROLE_SPECS[r].route == "school"]
        if school is not None:
            q |= Q(role__in=school_roles, organisation=school)
    route = _REFERRAL_ROUTES.get(type(obj))
    if route is not None and route.is_referral and obj.status in referral_statuses(cap):  # type: ignore[attr-defined]
        referral_roles = [r for r in roles_with(cap) if ROLE_SPECS[r].route == "referral"]
        q |= Q(role__in=referral_roles, organisation_id=obj.to_organisation_id)  # type: ignore[attr-defined]
    user_ids = RoleAssignment.objects.filter(q, active=True).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("username")


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def _follow(obj: Model, lookup: str):
    value: object = obj
    for attr in lookup.split("__"):
        value = getattr(value, attr)
        if value is None:
            return None
    return value
