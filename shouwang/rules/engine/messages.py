"""The words for every reason and alert code, translatable, with named placeholders.

Codes and params are what is stored; the sentence is rendered at display time in the active
language (``render``, ``render_alert``). Coded params (``parent``, ``category``,
``disability_type``...) are shown through their own translated labels, lists are joined with a
translatable separator, and dates stay ISO (``2026-11-29``) in both languages.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

from shouwang.rules.engine.outcome import Alert, Reason

# Translators: the rules engine's reasons. "the %(parent)s" is "the father" or "the mother".
MESSAGES: dict[str, Promise] = {
    "facts_missing": _("Cannot determine yet; please record: %(facts)s."),
    # Age and household registration
    "age_under": _("The child's age is %(age)d, under %(limit)d."),
    "age_not_under": _("The child's age is %(age)d, not under %(limit)d."),
    "age_unknown": _("The child's date of birth is not recorded."),
    "hukou_rural": _("The child has rural household registration."),
    "hukou_not_rural": _("The child's household registration is %(hukou_type)s, not rural."),
    # Parents (13号)
    "parent_working_away": _("The %(parent)s is working away."),
    "parent_not_working_away": _("The %(parent)s is not working away (%(situation)s)."),
    "parent_lacks_capacity": _("The %(parent)s lacks guardianship capacity (reason: %(reason)s)."),
    "parent_has_capacity": _("The %(parent)s has guardianship capacity."),
    "parent_absent_counts_as_incapable": _(
        "The %(parent)s is %(situation)s; under this province's option that counts as "
        "lacking guardianship capacity."
    ),
    "parent_absent_not_counted": _(
        "The %(parent)s is %(situation)s; national rules do not count that as lacking "
        "guardianship capacity."
    ),
    # Care arrangement and living alone
    "care_category_recorded": _("Care arrangement recorded: %(category)s."),
    "care_category_derived": _(
        "Care arrangement: %(category)s (the day-to-day caregiver is the %(relation)s)."
    ),
    "care_category_derived_nobody": _("Care arrangement: nobody cares for the child day to day."),
    "care_category_no_guardian": _("Nobody is looking after the child."),
    "child_lives_alone": _("The child is recorded as living alone, apart from the guardians."),
    "no_guardian": _("Nobody looks after the child (no guardian): report at once."),
    "child_living_alone": _(
        "A child under %(limit)d is living alone without guardianship: report at once."
    ),
    # Children in difficulty (36号)
    "household_on_dibao": _("The household receives the minimum living allowance (低保)."),
    "household_on_tekun": _("The household receives extreme-poverty support (特困)."),
    "household_poverty_registered": _("The household is a registered poor household."),
    "poverty_hardship_recorded": _(
        "Difficulty with living, medical care or schooling because of poverty is recorded."
    ),
    "no_poverty_recorded": _(
        "The household has no minimum living allowance, extreme-poverty support or poverty "
        "registration, and no poverty hardship is recorded."
    ),
    "child_disabled": _("The child has a disability."),
    "child_disabled_grade": _("The child has a disability of grade %(grade)d."),
    "child_not_disabled": _("The child is not disabled (health: %(health_status)s)."),
    "safety_concern": _("Safety concern recorded: %(concern)s."),
    "no_safety_concern_recorded": _("No safety concern is recorded."),
    # De facto unsupported children (62号, 125号)
    "fuc_prescreen_only": _(
        "Pre-screening only; the county civil affairs bureau confirms (民发〔2019〕62号)."
    ),
    "fuc_orphan_scheme": _(
        "Both parents are dead or declared missing: the orphan scheme may apply instead."
    ),
    "fuc_in_education_extension": _(
        "The child's age is %(age)d, but the child is in full-time education and this "
        "province continues support after %(limit)d."
    ),
    "fuc_not_in_education": _("The child is not in full-time education."),
    "fuc_branch_both_parents": _("Both parents are in a qualifying situation."),
    "fuc_branch_one_parent": _(
        "The %(parent)s is dead or declared missing, and the %(other_parent)s is in a "
        "qualifying situation."
    ),
    "fuc_situation_only_one_parent_branch": _(
        "The %(parent)s's situation (%(fuc_situation)s) counts only when the other parent is "
        "dead or declared missing."
    ),
    "fuc_situation_not_in_force": _(
        "The %(parent)s's situation (%(fuc_situation)s) does not count on this date."
    ),
    "fuc_no_qualifying_situation": _("The %(parent)s is in none of the qualifying situations."),
    "fuc_parent_dead": _("The %(parent)s has died."),
    "fuc_parent_declared_missing": _("A court has declared the %(parent)s missing."),
    "fuc_parent_missing_not_declared": _(
        "The %(parent)s is missing, but no court has declared the %(parent)s missing."
    ),
    "fuc_parent_not_dead_or_missing": _(
        "The %(parent)s is neither dead nor declared missing by a court."
    ),
    "fuc_severe_disability": _(
        "The %(parent)s has a severe disability (grade %(grade)d, %(disability_type)s)."
    ),
    "fuc_disability_not_severe": _(
        "The %(parent)s's disability (grade %(grade)d, %(disability_type)s) does not count "
        "as severe."
    ),
    "fuc_serious_illness": _("The %(parent)s has an illness on the county's serious-illness list."),
    "fuc_illness_not_listed": _(
        "The %(parent)s's illness is not on the county's serious-illness list."
    ),
    "fuc_restriction": ngettext_lazy(
        "The %(parent)s is under %(restriction)s for a term of %(months)d month "
        "(%(min_months)d or more needed).",
        "The %(parent)s is under %(restriction)s for a term of %(months)d months "
        "(%(min_months)d or more needed).",
        "months",
    ),
    "fuc_restriction_too_short": ngettext_lazy(
        "The %(parent)s's term of %(restriction)s is %(months)d month, shorter than the "
        "%(min_months)d needed.",
        "The %(parent)s's term of %(restriction)s is %(months)d months, shorter than the "
        "%(min_months)d needed.",
        "months",
    ),
    "fuc_restriction_ended": _("The %(parent)s's %(restriction)s ended on %(ended_on)s."),
    "fuc_lost_contact": ngettext_lazy(
        "The %(parent)s has lost contact: %(days)d day since the police accepted the report "
        "(%(min_days)d or more needed).",
        "The %(parent)s has lost contact: %(days)d days since the police accepted the report "
        "(%(min_days)d or more needed).",
        "days",
    ),
    "fuc_lost_contact_not_yet": ngettext_lazy(
        "Lost contact with the %(parent)s does not count yet: %(days)d day since the police "
        "accepted the report; %(days_remaining)d more needed to reach %(min_days)d.",
        "Lost contact with the %(parent)s does not count yet: %(days)d days since the police "
        "accepted the report; %(days_remaining)d more needed to reach %(min_days)d.",
        "days",
    ),
    "fuc_guardianship_revoked": _("A court has revoked the %(parent)s's guardianship."),
    "fuc_deported": _("The %(parent)s has been deported."),
    # Entrusted caregiver (Arts. 22-23)
    "not_applicable_nobody_cares": _("Nobody cares for the child, so there is no entrustment."),
    "not_applicable_parent_cares": _(
        "The %(parent)s cares for the child day to day, so there is no entrustment."
    ),
    "carer_adult": _("The caregiver's age is %(age)d: full civil capacity."),
    "carer_under_self_supporting_age": _(
        "The caregiver's age is %(age)d: under %(min_age)d, so without full civil capacity."
    ),
    "carer_self_supporting": _(
        "The caregiver's age is %(age)d and the caregiver lives mainly on their own labour "
        "income: full civil capacity."
    ),
    "carer_not_self_supporting": _(
        "The caregiver's age is %(age)d and the caregiver does not live mainly on their own "
        "labour income: no full civil capacity."
    ),
    "carer_has_care_capacity": _("The caregiver is able to provide care."),
    "carer_lacks_care_capacity": _("The caregiver is not able to provide care."),
    "carer_disqualified": _("The caregiver is disqualified: %(ground)s."),
    "carer_no_disqualifiers": _(
        "The caregiver was checked and none of the disqualifications apply."
    ),
    "child_views_heard": _("The child's views on the caregiver were heard."),
    "child_views_not_recorded": _(
        "It is not recorded that the child's views on the caregiver were heard."
    ),
    "notice_to_school_recorded": _("Written notice to the school recorded on %(date)s."),
    "notice_to_school_missing": _(
        "No written notice of the entrustment to the school is recorded."
    ),
    "notice_to_village_recorded": _(
        "Written notice to the village committee recorded on %(date)s."
    ),
    "notice_to_village_missing": _(
        "No written notice of the entrustment to the village committee is recorded."
    ),
    # Weekly contact (Art. 23)
    "no_parent_working_away": _("Neither parent is working away."),
    "contact_with_child_recorded": _(
        "Contact between the %(parent)s and the child last recorded on %(date)s, within "
        "%(limit)d days."
    ),
    "contact_with_caregiver_recorded": _(
        "Contact between the %(parent)s and the caregiver last recorded on %(date)s, within "
        "%(limit)d days."
    ),
    "no_contact_with_child_recorded": ngettext_lazy(
        "No contact between the %(parent)s and the child recorded for %(days)d day (last on "
        "%(date)s); the law asks for contact at least once a week.",
        "No contact between the %(parent)s and the child recorded for %(days)d days (last on "
        "%(date)s); the law asks for contact at least once a week.",
        "days",
    ),
    "no_contact_with_caregiver_recorded": ngettext_lazy(
        "No contact between the %(parent)s and the caregiver recorded for %(days)d day (last "
        "on %(date)s); the law asks for contact at least once a week.",
        "No contact between the %(parent)s and the caregiver recorded for %(days)d days (last "
        "on %(date)s); the law asks for contact at least once a week.",
        "days",
    ),
    "no_contact_with_child_ever_recorded": _(
        "No contact between the %(parent)s and the child has been recorded; the law asks for "
        "contact at least once a week."
    ),
    "no_contact_with_caregiver_ever_recorded": _(
        "No contact between the %(parent)s and the caregiver has been recorded; the law asks "
        "for contact at least once a week."
    ),
    # Young child unattended (Art. 21(1))
    "needs_special_care": _("The child needs special care for physical or psychological reasons."),
    "no_special_care_recorded": _("No need for special care is recorded."),
    "left_unattended": _("The child is recorded as left without anyone looking after the child."),
    "not_left_unattended": _("The child is not left unattended."),
    "carer_infectious_disease": _("The caregiver has a serious infectious disease."),
    "no_infectious_disease_recorded": _(
        "No serious infectious disease of the caregiver is recorded."
    ),
    "no_disqualifier_recorded": _("Nothing making the caregiver unsuitable is recorded."),
    "unattended_young_child": _(
        "A young child, or a child needing special care, is left unattended or with an "
        "unsuitable carer."
    ),
}

_PARENT_LABELS = {
    "father": pgettext_lazy("rules", "father"),
    "mother": pgettext_lazy("rules", "mother"),
    "parent": pgettext_lazy("rules", "parent"),
}
_PARENT_SITUATION_LABELS = {
    "at_home": pgettext_lazy("rules", "at home"),
    "working_away": pgettext_lazy("rules", "working away"),
    "deceased": pgettext_lazy("rules", "deceased"),
    "missing": pgettext_lazy("rules", "missing"),
    "divorced_absent": pgettext_lazy("rules", "divorced and absent"),
    "other_absent": pgettext_lazy("rules", "away for another reason"),
    "unknown": pgettext_lazy("rules", "unknown"),
}
_NOT_GIVEN = pgettext_lazy("rules", "not given")

VALUE_LABELS: dict[str, dict[str, Promise]] = {
    "parent": _PARENT_LABELS,
    "other_parent": _PARENT_LABELS,
    "situation": _PARENT_SITUATION_LABELS,
    "reason": {
        "severe_illness": pgettext_lazy("rules", "serious illness"),
        "severe_disability": pgettext_lazy("rules", "serious disability"),
        "other": pgettext_lazy("rules", "other"),
        "not_given": _NOT_GIVEN,
    },
    "hukou_type": {
        "rural": pgettext_lazy("rules", "rural"),
        "urban": pgettext_lazy("rules", "urban"),
        "none": pgettext_lazy("rules", "not registered"),
    },
    "health_status": {
        "healthy": pgettext_lazy("rules", "healthy"),
        "ill": pgettext_lazy("rules", "ill"),
        "disabled": pgettext_lazy("rules", "disabled"),
    },
    "category": {
        "parent": pgettext_lazy("rules", "a parent at home"),
        "grandparents": pgettext_lazy("rules", "grandparents"),
        "other_relative_or_friend": pgettext_lazy("rules", "another relative or friend"),
        "parent_at_home_incapable": pgettext_lazy(
            "rules", "a parent at home without guardianship capacity"
        ),
        "no_guardian": pgettext_lazy("rules", "nobody"),
    },
    "relation": {
        "father": pgettext_lazy("rules", "father"),
        "mother": pgettext_lazy("rules", "mother"),
        "paternal_grandfather": pgettext_lazy("rules", "paternal grandfather"),
        "paternal_grandmother": pgettext_lazy("rules", "paternal grandmother"),
        "maternal_grandfather": pgettext_lazy("rules", "maternal grandfather"),
        "maternal_grandmother": pgettext_lazy("rules", "maternal grandmother"),
        "sibling": pgettext_lazy("rules", "adult sibling"),
        "other_relative": pgettext_lazy("rules", "other relative"),
        "friend_neighbour": pgettext_lazy("rules", "family friend or neighbour"),
        "none": pgettext_lazy("rules", "nobody"),
    },
    "concern": {
        "abuse": pgettext_lazy("rules", "abuse"),
        "abandonment": pgettext_lazy("rules", "abandonment"),
        "accidental_injury": pgettext_lazy("rules", "accidental injury"),
        "unlawful_harm": pgettext_lazy("rules", "unlawful harm"),
    },
    "disability_type": {
        "physical": pgettext_lazy("rules", "physical"),
        "visual": pgettext_lazy("rules", "visual"),
        "hearing": pgettext_lazy("rules", "hearing"),
        "speech": pgettext_lazy("rules", "speech"),
        "intellectual": pgettext_lazy("rules", "intellectual"),
        "mental": pgettext_lazy("rules", "mental"),
        "multiple": pgettext_lazy("rules", "multiple"),
        "not_given": pgettext_lazy("rules", "type not given"),
    },
    "restriction": {
        "imprisoned": pgettext_lazy("rules", "a prison sentence or detention"),
        "compulsory_rehab": pgettext_lazy("rules", "compulsory drug rehabilitation"),
        "other_liberty_restriction": pgettext_lazy("rules", "another measure restricting liberty"),
    },
    "fuc_situation": {
        "severe_disability": pgettext_lazy("rules", "severe disability"),
        "serious_illness": pgettext_lazy("rules", "serious illness"),
        "imprisoned": pgettext_lazy("rules", "prison or detention"),
        "compulsory_rehab": pgettext_lazy("rules", "compulsory drug rehabilitation"),
        "other_liberty_restriction": pgettext_lazy("rules", "another restriction of liberty"),
        "lost_contact": pgettext_lazy("rules", "lost contact"),
        "guardianship_revoked": pgettext_lazy("rules", "guardianship revoked"),
        "deported": pgettext_lazy("rules", "deported"),
    },
    "ground": {
        "violent_or_abuse_offence": pgettext_lazy(
            "rules", "an offence of sexual assault, abuse, abandonment, trafficking or violence"
        ),
        "addiction": pgettext_lazy("rules", "drug, alcohol or gambling addiction"),
        "past_neglect": pgettext_lazy("rules", "refused or neglected guardianship or care before"),
        "other_unsuitable": pgettext_lazy("rules", "otherwise unsuitable"),
    },
}

# Translators: separates items of a list inside a sentence (Chinese: "、").
LIST_SEPARATOR = pgettext_lazy("rules list separator", ", ")

_CHILD_FACTS: dict[str, Promise] = {
    "asof": _("the date of the evaluation"),
    "birth_date": _("the child's date of birth"),
    "hukou_type": _("the child's household registration"),
    "care_category": _("the care arrangement"),
    "lives_alone": _("whether the child lives alone"),
    "left_unattended": _("whether the child is left unattended"),
    "needs_special_care": _("whether the child needs special care"),
    "health_status": _("the child's health"),
    "disability_grade": _("the child's disability grade"),
    "household_dibao": _("whether the household receives the minimum living allowance"),
    "household_tekun": _("whether the household receives extreme-poverty support"),
    "household_poverty_registered": _("whether the household is a registered poor household"),
    "poverty_hardship": _("whether poverty causes hardship"),
    "safety_concerns": _("safety concerns"),
    "in_full_time_education": _("whether the child is in full-time education"),
    "province_code": _("the province"),
    "county_code": _("the county"),
}
# Translators: "the %(parent)s" is "the father" or "the mother".
_PARENT_FACTS: dict[str, Promise] = {
    "situation": _("the %(parent)s's situation"),
    "lacks_guardianship_capacity": _("whether the %(parent)s lacks guardianship capacity"),
    "incapacity_reason": _("why the %(parent)s lacks guardianship capacity"),
    "disability_grade": _("the %(parent)s's disability grade"),
    "disability_type": _("the %(parent)s's type of disability"),
    "serious_illness_listed": _(
        "whether the %(parent)s's illness is on the county's serious-illness list"
    ),
    "restriction": _("the %(parent)s's restriction of liberty"),
    "restriction_term_months": _("the term of the %(parent)s's restriction of liberty"),
    "restriction_started_on": _("when the %(parent)s's restriction of liberty started"),
    "lost_contact_police_accepted_on": _(
        "when the police accepted the report that the %(parent)s lost contact"
    ),
    "declared_dead": _("whether the %(parent)s has died"),
    "declared_missing": _("whether a court has declared the %(parent)s missing"),
    "guardianship_revoked": _("whether the %(parent)s's guardianship was revoked"),
    "deported": _("whether the %(parent)s was deported"),
    "last_contact_with_child_on": _("the %(parent)s's last contact with the child"),
    "last_contact_with_caregiver_on": _("the %(parent)s's last contact with the caregiver"),
}
_CAREGIVER_FACTS: dict[str, Promise] = {
    "relation": _("who the caregiver is"),
    "age": _("the caregiver's age"),
    "self_supporting": _("whether the caregiver lives on their own labour income"),
    "has_care_capacity": _("whether the caregiver is able to provide care"),
    "disqualifiers": _("the caregiver's disqualifications"),
    "disqualifiers_checked": _("whether the caregiver's disqualifications were checked"),
    "child_views_heard": _("whether the child's views were heard"),
    "notice_to_school_on": _("the written notice to the school"),
    "notice_to_village_on": _("the written notice to the village committee"),
    "infectious_disease": _("whether the caregiver has a serious infectious disease"),
}


def _display(key: str, value: Any) -> Any:
    """A param as shown in a sentence: coded values through their label, lists joined."""
    if key == "facts":
        return str(LIST_SEPARATOR).join(fact_label(path) for path in value)
    if isinstance(value, list | tuple):
        return str(LIST_SEPARATOR).join(str(_display(key, item)) for item in value)
    labels = VALUE_LABELS.get(key)
    if labels is not None and isinstance(value, str) and value in labels:
        return str(labels[value])
    return value


def render_code(code: str, params: Mapping[str, Any]) -> str:
    """The sentence for ``code`` in the active language; KeyError for an unknown code."""
    template = MESSAGES[code]
    return str(template % {key: _display(key, value) for key, value in params.items()})


def render(reason: Reason) -> str:
    """The sentence for a reason, in the active language."""
    return render_code(reason.code, reason.params)


def render_alert(alert: Alert) -> str:
    """The sentence for an alert, in the active language."""
    return render_code(alert.code, alert.params)


def fact_label(path: str) -> str:
    """What a missing fact path (``mother.situation``) is, in words."""
    head, _dot, name = path.partition(".")
    if not name:
        return str(_CHILD_FACTS.get(head, head))
    if head in _PARENT_LABELS and name in _PARENT_FACTS:
        return str(_PARENT_FACTS[name] % {"parent": str(_PARENT_LABELS[head])})
    if head == "caregiver" and name in _CAREGIVER_FACTS:
        return str(_CAREGIVER_FACTS[name])
    return path
