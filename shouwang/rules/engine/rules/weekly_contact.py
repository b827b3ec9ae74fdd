"""Weekly contact of a parent working away: 未成年人保护法 Art. 23, DOMAIN.md §5.1 and §5.8.

Parents who entrust care must contact and talk with the child and with the caregiver at least
once a week (至少每周联系和交流一次). For each parent working away, if the newest logged
contact with the child, or with the caregiver, is more than 7 days before asof (or none is
logged), an AMBER alert says that *no contact is recorded*: the platform sees only what was
logged, so it never calls this a violation.

Status: "yes" when every parent working away has a logged contact with the child and the
caregiver within the limit; "no" when one has not; "not_applicable" when no parent is away.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from shouwang.rules.engine.citations import MPL_ART_23
from shouwang.rules.engine.facts import PARENTS, nobody_cares, parent, parent_working_away
from shouwang.rules.engine.logic import Finding, all_of, any_of, false, true
from shouwang.rules.engine.outcome import AMBER, NOT_APPLICABLE, Alert, Outcome, Reason
from shouwang.rules.engine.params import NATIONAL, ParameterSet
from shouwang.rules.engine.situation import ChildSituation, ParentFacts
from shouwang.rules.engine.spec import Rule, RuleSpec

SPEC = RuleSpec(
    rule_id="weekly_contact",
    version="2021.1",
    title=_("Weekly contact with parents working away"),
    effective_from=dt.date(2021, 6, 1),
    parameter_keys=("contact.max_days_without_contact",),
    citations=(MPL_ART_23,),
)


def evaluate(situation: ChildSituation, params: ParameterSet = NATIONAL) -> Outcome:
    """Is a contact with the child and the caregiver logged within 7 days, for each parent away?"""
    read = SPEC.reader(params, situation)
    limit = read("contact.max_days_without_contact")
    with_caregiver = not nobody_cares(situation)
    away = {w: parent_working_away(parent(situation, w), w) for w in PARENTS}
    if all(finding.value is False for finding in away.values()):
        reason = Reason("no_parent_working_away")
        return SPEC.outcome(situation, read, true(reason), status=NOT_APPLICABLE)
    per_parent: list[Finding] = []
    alerts: list[Alert] = []
    for which in PARENTS:
        if away[which].value is False:
            continue
        contacts = _contacts(
            parent(situation, which), which, situation.asof, limit, with_caregiver=with_caregiver
        )
        if away[which].value:
            per_parent.append(contacts)
            alerts.extend(_alerts(contacts))
        else:  # not known whether this parent is away: only a recorded contact settles it
            per_parent.append(any_of(away[which], contacts))
    return SPEC.outcome(situation, read, all_of(*per_parent), alerts=tuple(alerts))


def _contacts(
    facts: ParentFacts, which: str, asof: dt.date, limit: int, *, with_caregiver: bool
) -> Finding:
    """Contact with the child, and with the caregiver if there is one, within ``limit`` days."""
    checks = [_contact(facts.last_contact_with_child_on, which, "child", asof, limit)]
    if with_caregiver:
        checks.append(
            _contact(facts.last_contact_with_caregiver_on, which, "caregiver", asof, limit)
        )
    failures = [check for check in checks if check.value is False]
    if failures:
        return false(*(reason for check in failures for reason in check.reasons))
    return true(*(reason for check in checks for reason in check.reasons))


_CODES = {
    # counterpart: (recorded within the limit, too long ago, never logged)
    "child": (
        "contact_with_child_recorded",
        "no_contact_with_child_recorded",
        "no_contact_with_child_ever_recorded",
    ),
    "caregiver": (
        "contact_with_caregiver_recorded",
        "no_contact_with_caregiver_recorded",
        "no_contact_with_caregiver_ever_recorded",
    ),
}


def _contact(
    on: dt.date | None, which: str, counterpart: str, asof: dt.date, limit: int
) -> Finding:
    """The newest logged contact with ``counterpart`` is at most ``limit`` days before asof.

    A contact dated after asof was not yet logged on asof: it counts as none.
    """
    recorded, too_old, never = _CODES[counterpart]
    if on is None or on > asof:
        return false(Reason(never, {"parent": which, "limit": limit}))
    days = (asof - on).days
    params = {"parent": which, "days": days, "limit": limit, "date": on.isoformat()}
    return true(Reason(recorded, params)) if days <= limit else false(Reason(too_old, params))


def _alerts(contacts: Finding) -> tuple[Alert, ...]:
    """One AMBER alert per missing contact: "no contact recorded", never "violation"."""
    if contacts.value:
        return ()
    return tuple(
        Alert(reason.code, AMBER, reasons=(reason,), params=reason.params)
        for reason in contacts.reasons
    )


RULE = Rule(SPEC, evaluate)
