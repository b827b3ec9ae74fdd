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
