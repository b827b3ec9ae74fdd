"""Mandatory reports (强制报告) as data and a state machine: triggers, duty bases, states,
the escalation ladder and deadlines, and the guardianship-intervention suggestions.

Sources (DOMAIN.md §1.3, §5.2, §6, §9.3):

- the nine situations of the 2020 opinion on mandatory reporting of harm to minors
  (《关于建立侵害未成年人案件强制报告制度的意见（试行）》 Art. 4) [V2];
- the five left-behind-child triggers of 国发〔2016〕13号 (强制报告机制) [V2];
- 反家庭暴力法 Art. 14 (domestic violence against a person without full capacity) [V2];
- 未成年人保护法 Art. 11 (the duty to report immediately) [V1].

The law says "immediately" (立即, 第一时间) and gives no hour count. The acknowledgement
windows below (2 hours when the child is in immediate danger, 24 hours otherwise) are **our
design choice**, not law, and are configurable (docs/safeguarding.md).

The platform never sends anything to the police: a person reports, the platform records
it (the police task). It never decides a guardianship matter: the intervention flags only
*suggest* that the village committee or the county civil affairs bureau consider applying
to the court (民法典 Art. 36).

Pure Python: no ORM.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shouwang.access.capabilities import Cap


def choices(labels: dict[str, Promise]) -> list[tuple[str, Promise]]:
    return [(str(k), v) for k, v in labels.items()]


# --- Triggers -------------------------------------------------------------------------


class Trigger(StrEnum):
    # 2020 opinion, Art. 4: the nine situations.
    PRIVATE_PARTS_INJURY = "private_parts_injury"
    GIRL_UNDER_14_SEXUAL_HARM = "girl_under_14_sexual_harm"
    GIRL_14_PLUS_PREGNANCY_FROM_ASSAULT = "girl_14_plus_pregnancy_from_assault"
    MULTIPLE_INJURIES_OR_MALNUTRITION = "multiple_injuries_or_malnutrition"
    ABNORMAL_DISABILITY_OR_DEATH = "abnormal_disability_or_death"
    ABANDONED_OR_LONG_WITHOUT_CARE = "abandoned_or_long_without_care"
    UNKNOWN_ORIGIN_MISSING_TRAFFICKED = "unknown_origin_missing_trafficked"
    ORGANISED_BEGGING = "organised_begging"
    OTHER_SERIOUS_HARM_OR_DANGER = "other_serious_harm_or_danger"
    # 国发〔2016〕13号: the left-behind-child triggers.
    LIVING_ALONE = "living_alone"
    MISSING = "missing"
    GUARDIAN_INCAPABLE_OR_NEGLECTING = "guardian_incapable_or_neglecting"
    SUSPECTED_DOMESTIC_VIOLENCE = "suspected_domestic_violence"
    SUSPECTED_INJURY_OR_UNLAWFUL_HARM = "suspected_injury_or_unlawful_harm"
    # 反家庭暴力法 Art. 14.
    DOMESTIC_VIOLENCE = "domestic_violence"


OPINION_2020_LABELS: dict[str, Promise] = {
    Trigger.PRIVATE_PARTS_INJURY: _("Abnormal injury to the genitals or private parts"),
    Trigger.GIRL_UNDER_14_SEXUAL_HARM: _(
        "Girl under 14: sexual assault (or suspected), pregnancy or abortion"
    ),
    Trigger.GIRL_14_PLUS_PREGNANCY_FROM_ASSAULT: _(
        "Girl 14 or over: pregnancy or abortion from sexual assault (or suspected)"
    ),
    Trigger.MULTIPLE_INJURIES_OR_MALNUTRITION: _(
        "Multiple injuries, severe malnutrition or impaired consciousness, with suspected "
        "violence, bullying, abuse, beating or drugging"
    ),
    Trigger.ABNORMAL_DISABILITY_OR_DEATH: _(
        "Disability or death from abnormal causes (suicide, self-harm, poisoning, beating…)"
    ),
    Trigger.ABANDONED_OR_LONG_WITHOUT_CARE: _("Abandoned, or left without care for a long time"),
    Trigger.UNKNOWN_ORIGIN_MISSING_TRAFFICKED: _(
        "Of unknown origin, missing, trafficked or bought"
    ),
    Trigger.ORGANISED_BEGGING: _("Organised to beg"),
    Trigger.OTHER_SERIOUS_HARM_OR_DANGER: _(
        "Other serious harm to body or mind, or in danger of unlawful harm now"
    ),
}
LEFT_BEHIND_LABELS: dict[str, Promise] = {
    Trigger.LIVING_ALONE: _("Living alone without a guardian"),
    Trigger.MISSING: _("Missing"),
    Trigger.GUARDIAN_INCAPABLE_OR_NEGLECTING: _(
        "Guardian has lost capacity or does not perform guardianship duties"
    ),
    Trigger.SUSPECTED_DOMESTIC_VIOLENCE: _("Suspected domestic violence"),
    Trigger.SUSPECTED_INJURY_OR_UNLAWFUL_HARM: _("Suspected accidental injury or unlawful harm"),
}
DOMESTIC_VIOLENCE_LABELS: dict[str, Promise] = {
    Trigger.DOMESTIC_VIOLENCE: _("Domestic violence, suffered or suspected"),
}
TRIGGER_LABELS: dict[str, Promise] = {
    **OPINION_2020_LABELS,
    **LEFT_BEHIND_LABELS,
    **DOMESTIC_VIOLENCE_LABELS,
}
TRIGGER_GROUPS: list[tuple[Promise, dict[str, Promise]]] = [
    (_("Left-behind children (State Council 2016 No. 13)"), LEFT_BEHIND_LABELS),
    (_("Mandatory reporting opinion (2020), Art. 4"), OPINION_2020_LABELS),
    (_("Anti-Domestic Violence Law, Art. 14"), DOMESTIC_VIOLENCE_LABELS),
]


def grouped_trigger_choices() -> list[tuple[Promise, list[tuple[str, Promise]]]]:
    """Choices for a ``<select>`` with one ``<optgroup>`` per source document."""
    return [(title, choices(labels)) for title, labels in TRIGGER_GROUPS]


# --- The reporter's duty basis ----------------------------------------------------------


class DutyBasis(StrEnum):
    MPL_ART_11 = "mpl_art_11"
    OPINION_2020 = "opinion_2020"
    GUOFA_2016_13 = "guofa_2016_13"
    ANTI_DV_ART_14 = "anti_dv_art_14"
    CITIZEN = "citizen"


DUTY_BASIS_LABELS: dict[str, Promise] = {
    DutyBasis.MPL_ART_11: _(
        "Minors Protection Law Art. 11: staff of a state organ, a village committee or a unit "
        "in close contact with minors"
    ),
    DutyBasis.OPINION_2020: _("Mandatory reporting opinion (2020): close-contact industry"),
    DutyBasis.GUOFA_2016_13: _(
        "State Council 2016 No. 13: school, village committee, medical or social-work staff"
    ),
    DutyBasis.ANTI_DV_ART_14: _("Anti-Domestic Violence Law Art. 14"),
    DutyBasis.CITIZEN: _("No duty: reporting as a citizen (Minors Protection Law Art. 11(1))"),
}


# --- States and actions -----------------------------------------------------------------


class State(StrEnum):
    FILED = "filed"  # waiting for someone with authority to acknowledge; escalates
    ACKNOWLEDGED = "acknowledged"
    RESPONDED = "responded"  # the response and assessment are recorded (may be updated)
    CLOSED = "closed"


STATE_LABELS: dict[str, Promise] = {
    State.FILED: _("Waiting for acknowledgement"),
    State.ACKNOWLEDGED: _("Acknowledged"),
    State.RESPONDED: _("Response recorded"),
    State.CLOSED: _("Closed"),
}


class Action(StrEnum):
    FILE = "file"
    ESCALATE = "escalate"
    POLICE_REPORTED = "police_reported"
    ACKNOWLEDGE = "acknowledge"
    RESPOND = "respond"
    CLOSE = "close"


ACTION_LABELS: dict[str, Promise] = {
    Action.FILE: _("Report filed"),
    Action.ESCALATE: _("Escalated: not acknowledged in time"),
    Action.POLICE_REPORTED: _("Police report recorded"),
    Action.ACKNOWLEDGE: _("Acknowledged"),
    Action.RESPOND: _("Response and assessment recorded"),
    Action.CLOSE: _("Closed"),
}


@dataclass(frozen=True)
class Transition:
    to_state: State
    capability: Cap | None  # None: the system (escalation) or the reporter (police task)


# (from_state, action) -> transition. ``None`` as from_state: a new report.
TRANSITIONS: dict[tuple[State | None, Action], Transition] = {
    (None, Action.FILE): Transition(State.FILED, None),
    (State.FILED, Action.ESCALATE): Transition(State.FILED, None),
    (State.FILED, Action.ACKNOWLEDGE): Transition(State.ACKNOWLEDGED, Cap.ACKNOWLEDGE_REPORT),
    (State.ACKNOWLEDGED, Action.RESPOND): Transition(State.RESPONDED, Cap.RESPOND_REPORT),
    (State.RESPONDED, Action.RESPOND): Transition(State.RESPONDED, Cap.RESPOND_REPORT),
    (State.ACKNOWLEDGED, Action.CLOSE): Transition(State.CLOSED, Cap.CLOSE_REPORT),
    (State.RESPONDED, Action.CLOSE): Transition(State.CLOSED, Cap.CLOSE_REPORT),
}
ACTION_CAPABILITIES: dict[Action, Cap] = {
    Action.ACKNOWLEDGE: Cap.ACKNOWLEDGE_REPORT,
    Action.RESPOND: Cap.RESPOND_REPORT,
    Action.CLOSE: Cap.CLOSE_REPORT,
}
# The police task is the reporter's and is independent of the state: it can be completed
# whatever the state, even after closing (the report is never lost for lack of it).

OPEN_STATES = frozenset({State.FILED, State.ACKNOWLEDGED, State.RESPONDED})


class IllegalTransition(Exception):  # noqa: N818
    pass


def next_state(state: str | None, action: Action) -> State:
    key = (State(state) if state else None, action)
    if key not in TRANSITIONS:
        msg = f"{action} is not possible from {state!r}"
        raise IllegalTransition(msg)
    return TRANSITIONS[key].to_state


def actions_from(state: str) -> list[tuple[Action, Cap]]:
    """The human actions possible from ``state``, with the capability each needs."""
    return [
        (action, t.capability)
        for (src, action), t in TRANSITIONS.items()
        if src == state and t.capability is not None
    ]


# --- Escalation -------------------------------------------------------------------------

DEFAULT_DANGER_HOURS = 2  # our choice, not law
DEFAULT_OTHER_HOURS = 24  # our choice, not law


@dataclass(frozen=True)
class Windows:
    """How long the current rung has to acknowledge before the next one is told."""

    danger_hours: int = DEFAULT_DANGER_HOURS
    other_hours: int = DEFAULT_OTHER_HOURS

    def window(self, *, immediate_danger: bool) -> dt.timedelta:
        return dt.timedelta(hours=self.danger_hours if immediate_danger else self.other_hours)

    def deadline(self, start: dt.datetime, *, immediate_danger: bool) -> dt.datetime:
        return start + self.window(immediate_danger=immediate_danger)


def is_due(next_escalation_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Due at the deadline itself, not only after it (the worker claims ``<= now``)."""
    return next_escalation_at is not None and next_escalation_at <= now


def rung_for_level(level: int, rung_count: int) -> list[int]:
    """Which rungs of the ladder to notify when a report reaches escalation ``level``.

    The ladder is the areas above the report's area that have someone who may
    acknowledge, bottom up (township, county, prefecture, province). Level 1 tells the
    first rung, level 2 the second, and so on; past the top, every rung is told again at
    each level, until someone acknowledges. Level 0 (filing) tells nobody by this rule.
    """
    if level < 1 or rung_count == 0:
        return []
    if level <= rung_count:
        return [level - 1]
    return list(range(rung_count))


# --- Response and assessment ------------------------------------------------------------


class Measure(StrEnum):
    TEMPORARY_PLACEMENT = "temporary_placement"
    CAREGIVER_CONTACTED = "caregiver_contacted"
    PARENTS_TOLD_TO_RETURN = "parents_told_to_return"
    ENTRUSTED_GUARDIAN_APPOINTED = "entrusted_guardian_appointed"
    MEDICAL_CARE = "medical_care"
    POLICE_ATTENDED = "police_attended"


MEASURE_LABELS: dict[str, Promise] = {
    Measure.TEMPORARY_PLACEMENT: _("Temporary placement (relief or welfare institution, relative)"),
    Measure.CAREGIVER_CONTACTED: _("Caregiver contacted"),
    Measure.PARENTS_TOLD_TO_RETURN: _("Parents told to return"),
    Measure.ENTRUSTED_GUARDIAN_APPOINTED: _("Parents asked to entrust a guardian"),
    Measure.MEDICAL_CARE: _("Medical care"),
    Measure.POLICE_ATTENDED: _("Police attended"),
}


class AssistancePlan(StrEnum):
    GUARDIANSHIP_GUIDANCE = "guardianship_guidance"
    MEDICAL = "medical"
    COUNSELLING = "counselling"
    BEHAVIOUR = "behaviour"
    SOCIAL_INTEGRATION = "social_integration"
    FAMILY_RELATIONSHIP = "family_relationship"
    SOCIAL_ASSISTANCE_REFERRAL = "social_assistance_referral"


ASSISTANCE_LABELS: dict[str, Promise] = {
    AssistancePlan.GUARDIANSHIP_GUIDANCE: _("Guardianship guidance"),
    AssistancePlan.MEDICAL: _("Medical treatment"),
    AssistancePlan.COUNSELLING: _("Psychological counselling"),
    AssistancePlan.BEHAVIOUR: _("Behavioural correction"),
    AssistancePlan.SOCIAL_INTEGRATION: _("Social integration"),
    AssistancePlan.FAMILY_RELATIONSHIP: _("Family relationship adjustment"),
    AssistancePlan.SOCIAL_ASSISTANCE_REFERRAL: _("Referral to social assistance"),
}


class InterventionFlag(StrEnum):
    UNSUPERVISED_IN_DANGER = "unsupervised_in_danger"
    REFUSED_DUTIES = "refused_duties"
    SERIOUS_HARM_BY_GUARDIAN = "serious_harm_by_guardian"


INTERVENTION_LABELS: dict[str, Promise] = {
    InterventionFlag.UNSUPERVISED_IN_DANGER: _(
        "Guardian left the child unsupervised and in danger, and did not change after education"
    ),
    InterventionFlag.REFUSED_DUTIES: _(
        "Guardian refuses to perform guardianship duties, leaving the child without means of "
        "living (give the date it began)"
    ),
    InterventionFlag.SERIOUS_HARM_BY_GUARDIAN: _(
        "Guardian's domestic violence, abuse or abandonment seriously harmed the child"
    ),
}
REFUSAL_MONTHS = 6  # 国发〔2016〕13号 监护干预 (2): six months or more [V2]


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 if ``end`` is before)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class CourtSuggestion:
    """A suggestion, never a decision: who may consider applying to court, and why."""

    reasons: tuple[str, ...]  # InterventionFlag values that apply
    refusal_days: int | None  # the day counter of the refusal rule, when given


def court_suggestion(
    flags: Iterable[str], refused_since: dt.date | None, today: dt.date
) -> CourtSuggestion | None:
    """Whether to suggest that the village committee or county civil affairs consider a court
    application to revoke guardianship (民法典 Art. 36; 13号 监护干预 [V2]).

    The refusal flag counts only once six months have passed since ``refused_since``.
    """
    flags = set(flags)
    reasons: list[str] = []
    days = (today - refused_since).days if refused_since else None
    for flag in InterventionFlag:
        if flag not in flags:
            continue
        if flag == InterventionFlag.REFUSED_DUTIES and (
            refused_since is None or months_between(refused_since, today) < REFUSAL_MONTHS
        ):
            continue
        reasons.append(flag.value)
    if not reasons:
        return None
    return CourtSuggestion(reasons=tuple(reasons), refusal_days=days)
