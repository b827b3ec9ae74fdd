"""Capabilities: the verbs of the system, named "<app>.<verb>_<entity>".

Which role holds which capability is in ``access.roles``; which capability implies which
is declared once, here, as data.
"""

from enum import StrEnum


class Cap(StrEnum):
    VIEW_CHILD = "registry.view_child"
    REGISTER_CHILD = "registry.register_child"
    CHANGE_CHILD = "registry.change_child"
    VIEW_AUDIT = "audit.view_auditevent"
    LOG_CONTACT = "cases.log_contact"
    DECIDE_CLASSIFICATION = "rules.decide_classification"
    # De facto unsupported children (事实无人抚养儿童): a benefit decided by the county.
    VIEW_FUC = "fuc.view_application"
    APPLY_FUC = "fuc.apply"
    VERIFY_FUC = "fuc.verify"
    DECIDE_FUC = "fuc.decide"
    # Cases (issue 4): assessment, case, plan, visits, worklists.
    ASSESS_CHILD = "assessments.assess_child"
    MANAGE_CASE = "cases.change_case"
    APPROVE_PLAN = "cases.approve_plan"
    RECORD_VISIT = "cases.record_visit"
    VIEW_TOWN_BOARD = "cases.view_town_board"
    # Safeguarding (issue 5). Filing a report needs no capability: any signed-in user may.
    VIEW_REPORT = "safeguarding.view_report"
    ACKNOWLEDGE_REPORT = "safeguarding.acknowledge_report"
    RESPOND_REPORT = "safeguarding.respond_report"
    CLOSE_REPORT = "safeguarding.close_report"
    VIEW_REPORTER = "safeguarding.view_reporter_identity"
    VIEW_NOTIFICATION_FAILURES = "notifications.view_failures"
    # Census import, export and duplicates (issue 8).
    IMPORT_CENSUS = "imports.import_census"
    EXPORT_REGISTRY = "imports.export_registry"
    REVIEW_DUPLICATES = "duplicates.review_duplicates"
    # Services, referrals, resources and matching (issue 6).
    MANAGE_CATALOGUE = "services.manage_catalogue"
    MANAGE_OFFERS = "services.manage_offers"
    RECORD_DELIVERY = "services.record_delivery"
    MANAGE_ACTIVITY = "services.manage_activity"
    RAISE_NEED = "services.raise_need"
    VIEW_WELFARE_MIX = "services.view_welfare_mix"
    MAKE_REFERRAL = "referrals.make_referral"
    RESPOND_REFERRAL = "referrals.respond_referral"
    VIEW_REFERRALS = "referrals.view_referrals"
    VIEW_RESOURCES = "resources.view_resources"
    MANAGE_RESOURCES = "resources.manage_resources"
    RUN_MATCHING = "matching.run_matching"
    # Insights (issue 7).
    VIEW_INSIGHTS = "insights.view_dashboard"
    EXPORT_INDICATORS = "insights.export_indicators"
    EXPORT_DEIDENTIFIED = "insights.export_deidentified"


# Holding the key implies holding every capability in its value.
IMPLIED: dict[Cap, frozenset[Cap]] = {
    Cap.REGISTER_CHILD: frozenset({Cap.VIEW_CHILD}),
    Cap.CHANGE_CHILD: frozenset({Cap.VIEW_CHILD}),
    Cap.LOG_CONTACT: frozenset({Cap.VIEW_CHILD}),
    Cap.DECIDE_CLASSIFICATION: frozenset({Cap.VIEW_CHILD}),
    Cap.VIEW_FUC: frozenset({Cap.VIEW_CHILD}),
    Cap.APPLY_FUC: frozenset({Cap.VIEW_FUC}),
    Cap.VERIFY_FUC: frozenset({Cap.VIEW_FUC}),
    Cap.DECIDE_FUC: frozenset({Cap.VIEW_FUC}),
    Cap.ASSESS_CHILD: frozenset({Cap.VIEW_CHILD}),
    Cap.MANAGE_CASE: frozenset({Cap.VIEW_CHILD}),
    Cap.APPROVE_PLAN: frozenset({Cap.MANAGE_CASE}),
    Cap.RECORD_VISIT: frozenset({Cap.VIEW_CHILD}),
    Cap.ACKNOWLEDGE_REPORT: frozenset({Cap.VIEW_REPORT}),
    Cap.RESPOND_REPORT: frozenset({Cap.VIEW_REPORT}),
    Cap.CLOSE_REPORT: frozenset({Cap.VIEW_REPORT}),
    Cap.VIEW_REPORTER: frozenset({Cap.VIEW_REPORT}),
    Cap.IMPORT_CENSUS: frozenset({Cap.REGISTER_CHILD}),
    Cap.EXPORT_REGISTRY: frozenset({Cap.VIEW_CHILD}),
    Cap.REVIEW_DUPLICATES: frozenset({Cap.VIEW_CHILD}),
    # RECORD_DELIVERY does not imply VIEW_CHILD: a service provider records deliveries for
    # the children referred to her organisation without ever opening their full profile.
    Cap.MANAGE_ACTIVITY: frozenset({Cap.VIEW_CHILD}),
    Cap.RAISE_NEED: frozenset({Cap.VIEW_CHILD}),
    Cap.MAKE_REFERRAL: frozenset({Cap.VIEW_REFERRALS}),
    Cap.MANAGE_RESOURCES: frozenset({Cap.VIEW_RESOURCES}),
    Cap.RUN_MATCHING: frozenset({Cap.VIEW_RESOURCES, Cap.RAISE_NEED}),
    Cap.EXPORT_INDICATORS: frozenset({Cap.VIEW_INSIGHTS}),
}


def with_implied(caps: frozenset[Cap]) -> frozenset[Cap]:
    result = set(caps)
    pending = list(caps)
    while pending:
        for implied in IMPLIED.get(pending.pop(), frozenset()):
            if implied not in result:
                result.add(implied)
                pending.append(implied)
    return frozenset(result)
