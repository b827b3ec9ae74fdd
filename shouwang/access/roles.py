"""The roles of DESIGN.md §2 as data: what each may do, and by which route it reaches records.

Routes:
- ``area``: the records of the assignment's area and everything below it.
- ``school``: the children whose current school is the assignment's organisation.
- ``referral``: the children with an open referral (pending or accepted) to the
  assignment's organisation, and only what the referral needs (``shouwang.referrals``).
- ``none``: no route to children's records (administrators configure, they do not read
  case files).
"""

from dataclasses import dataclass
from typing import Literal

from shouwang.access.capabilities import Cap, with_implied
from shouwang.accounts.models import RoleAssignment

Role = RoleAssignment.Role
Route = Literal["area", "school", "referral", "none"]


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
                        Cap.RECORD_DELIVERY,
                        Cap.MANAGE_ACTIVITY,
                        Cap.RAISE_NEED,
                        Cap.MAKE_REFERRAL,
                        Cap.VIEW_RESOURCES,
                        Cap.VIEW_INSIGHTS,
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
                        Cap.MANAGE_OFFERS,
                        Cap.RECORD_DELIVERY,
                        Cap.MANAGE_ACTIVITY,
                        Cap.RAISE_NEED,
                        Cap.VIEW_WELFARE_MIX,
                        Cap.MAKE_REFERRAL,
                        Cap.MANAGE_RESOURCES,
                        Cap.RUN_MATCHING,
                        Cap.EXPORT_INDICATORS,
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
                        Cap.MANAGE_OFFERS,
                        Cap.VIEW_WELFARE_MIX,
                        Cap.VIEW_REFERRALS,
                        Cap.MANAGE_RESOURCES,
                        Cap.VIEW_INSIGHTS,
                        Cap.EXPORT_INDICATORS,
                        Cap.EXPORT_DEIDENTIFIED,
                    }
                )
            ),
            "county",
        ),
        RoleSpec(
            Role.SCHOOL_LIAISON,
            "school",
            with_implied(
                frozenset(
                    {Cap.LOG_CONTACT, Cap.RECORD_VISIT, Cap.RECORD_DELIVERY, Cap.MAKE_REFERRAL}
                )
            ),
            None,
        ),
        # A provider reaches a child only through an open referral to her organisation.
        RoleSpec(
            Role.SERVICE_PROVIDER,
            "referral",
            with_implied(
                frozenset({Cap.VIEW_REFERRALS, Cap.RESPOND_REFERRAL, Cap.RECORD_DELIVERY})
            ),
            None,
        ),
        RoleSpec(
            Role.ADMINISTRATOR,
            "none",
            frozenset({Cap.VIEW_NOTIFICATION_FAILURES, Cap.MANAGE_CATALOGUE}),
            None,
        ),
        # A researcher's area bounds her de-identified exports; she holds no capability on
        # identified records.
        RoleSpec(Role.RESEARCHER, "area", frozenset({Cap.EXPORT_DEIDENTIFIED}), None),
    ]
}


def roles_with(cap: Cap) -> list[str]:
    return [role for role, spec in ROLE_SPECS.items() if cap in spec.capabilities]
