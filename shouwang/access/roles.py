"""The roles of DESIGN.md §2 as data: what each may do, and by which route it reaches records.

Routes:
- ``area``: the records of the assignment's area and everything below it.
- ``school``: the children whose current school is the assignment's organisation.
- ``none``: no route to children's records yet (service providers reach children through
  referrals, which come with the referrals module; researchers only ever see
  de-identified aggregates; administrators configure, they do not read case files).
"""

from dataclasses import dataclass
from typing import Literal

from shouwang.access.capabilities import Cap, with_implied
from shouwang.accounts.models import RoleAssignment

Role = RoleAssignment.Role
Route = Literal["area", "school", "none"]


@dataclass(frozen=True)
class RoleSpec:
    role: str
    route: Route
    capabilities: frozenset[Cap]
    # The area level an assignment of this role is expected to name (None: any level).
    area_level: str | None


ROLE_SPECS: dict[str, RoleSpec] = {
    spec.role: spec
    for spec in [
        RoleSpec(
            Role.CHILD_DIRECTOR,
            "area",
            with_implied(
                frozenset(
                    {
                        Cap.REGISTER_CHILD,
                        Cap.CHANGE_CHILD,
                        Cap.LOG_CONTACT,
                        Cap.APPLY_FUC,
                        Cap.ASSESS_CHILD,
                        Cap.MANAGE_CASE,
                        Cap.RECORD_VISIT,
                        Cap.VIEW_REPORT,  # reports on children of her village
                        Cap.IMPORT_CENSUS,  # her village's census sheet
                    }
                )
            ),
            "village",
        ),
        RoleSpec(
            Role.TOWNSHIP_SUPERVISOR,
            "area",
            with_implied(
                frozenset(
                    {
                        Cap.REGISTER_CHILD,
                        Cap.CHANGE_CHILD,
                        Cap.LOG_CONTACT,
                        Cap.VIEW_AUDIT,
                        Cap.DECIDE_CLASSIFICATION,
                        Cap.APPLY_FUC,
                        Cap.VERIFY_FUC,
                        Cap.ASSESS_CHILD,
                        Cap.MANAGE_CASE,
                        Cap.APPROVE_PLAN,
                        Cap.RECORD_VISIT,
                        Cap.VIEW_TOWN_BOARD,
                        Cap.ACKNOWLEDGE_REPORT,
                        Cap.RESPOND_REPORT,
                        Cap.CLOSE_REPORT,
                        Cap.VIEW_REPORTER,
                        Cap.IMPORT_CENSUS,
                        Cap.EXPORT_REGISTRY,
                        Cap.REVIEW_DUPLICATES,
                    }
                )
            ),
            "township",
        ),
        RoleSpec(
            Role.COUNTY_OFFICER,
            "area",
            with_implied(
                frozenset(
                    {
                        Cap.VIEW_CHILD,
                        Cap.VIEW_AUDIT,
                        Cap.DECIDE_CLASSIFICATION,
                        Cap.DECIDE_FUC,
                        Cap.VIEW_TOWN_BOARD,
                        Cap.ACKNOWLEDGE_REPORT,
                        Cap.RESPOND_REPORT,
                        Cap.CLOSE_REPORT,
                        Cap.VIEW_REPORTER,
                        Cap.EXPORT_REGISTRY,
                        Cap.REVIEW_DUPLICATES,
                    }
                )
            ),
            "county",
        ),
        RoleSpec(
            Role.SCHOOL_LIAISON,
            "school",
            with_implied(frozenset({Cap.LOG_CONTACT, Cap.RECORD_VISIT})),
            None,
        ),
        RoleSpec(Role.SERVICE_PROVIDER, "none", frozenset(), None),
        RoleSpec(Role.ADMINISTRATOR, "none", frozenset({Cap.VIEW_NOTIFICATION_FAILURES}), None),
        RoleSpec(Role.RESEARCHER, "none", frozenset(), None),
    ]
}


def roles_with(cap: Cap) -> list[str]:
    return [role for role, spec in ROLE_SPECS.items() if cap in spec.capabilities]
