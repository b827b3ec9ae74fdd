"""Builders shared by the services tests: plan actions, activities, deliveries."""

import datetime as dt

from shouwang.accounts.models import Organisation, RoleAssignment, User
from shouwang.cases import services as case_services
from shouwang.cases.models import PlanAction
from shouwang.registry.models import Child
from shouwang.services.models import ServiceType
from shouwang.testing.factories import RoleAssignmentFactory
from shouwang.testing.world import World


def stype(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code)


def plan_action(
    world: World,
    child: Child,
    *,
    actor: User | None = None,
    owner: Organisation | None = None,
    owner_user: User | None = None,
    due_on: dt.date,
    description: str = "每周学业辅导",
) -> PlanAction:
    actor = actor or world.sam
    case = case_services.case_open(actor=actor, child=child)
    plan = case_services.plan_save(
        actor=actor,
        case=case,
        goals="按时完成作业",
        review_due_on=None,
        actions=[
            case_services.ActionInput(
                domain="education",
                description=description,
                due_on=due_on,
                owner_organisation=owner,
                owner_user=owner_user if owner is None else None,
            )
        ],
        version=case.plans.first().version if case.plans.exists() else None,
    )
    return plan.actions.get(description=description)


def make_administrator(world: World) -> User:
    """adam holds the administrator role (the world leaves him with none)."""
    RoleAssignmentFactory(
        user=world.adam, role=RoleAssignment.Role.ADMINISTRATOR, area=world.province
    )
    return world.adam
