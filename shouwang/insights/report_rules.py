"""The diagnosis, as rules: from indicators to problems, causes and recommendations.

Pure Python (no ORM): the input is the ``Indicator`` values of one area and month
(``insights.indicators``), the output sentences built from their numbers. The frame is the
field study's (DESIGN.md §1, FIELD-STUDY.md): problems found; causes by subject (family,
school, community, government, social forces), by policy and by resource; recommendations
per welfare sector (state, market, voluntary/community, informal/family). Every rule is
listed with its id in docs/report.md; the rules are **our reading** of the study, not the
study's own numbers.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

# The field study's problem headings; each indicator belongs to one (by its code).
SINGLE_CONTENT = "single_content"
COVERAGE = "coverage"
PARTICIPATION = "participation"
RESPONSIBILITY = "responsibility"
CONTINUITY = "continuity"
FAMILY = "family"
SAFETY = "safety"
RESOURCES = "resources"

FAMILY_TITLES = {
    SINGLE_CONTENT: gettext_lazy("Single service content"),
    COVERAGE: gettext_lazy("Limited coverage"),
    PARTICIPATION: gettext_lazy("Limited participation"),
    RESPONSIBILITY: gettext_lazy("Care responsibility scattered"),
    CONTINUITY: gettext_lazy("No long-term mechanism"),
    FAMILY: gettext_lazy("Family upbringing function weakened"),
    SAFETY: gettext_lazy("Safety reports not handled in time"),
    RESOURCES: gettext_lazy("Resources used inefficiently"),
}
FAMILY_ORDER = list(FAMILY_TITLES)

# Which heading an indicator code belongs to: the first keyword found in the code wins.
_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("particip", PARTICIPATION),
    ("attend", PARTICIPATION),
    ("activit", PARTICIPATION),
    ("coverage", COVERAGE),
    ("unserved", COVERAGE),
    ("shannon", SINGLE_CONTENT),
    ("diversity", SINGLE_CONTENT),
    ("domain", SINGLE_CONTENT),
    ("mix", SINGLE_CONTENT),
    ("material", SINGLE_CONTENT),
    ("responsib", RESPONSIBILITY),
    ("owner", RESPONSIBILITY),
    ("sector", RESPONSIBILITY),
    ("weekly", FAMILY),
    ("parent", FAMILY),
    ("caregiver", FAMILY),
    ("family", FAMILY),
    ("report", SAFETY),
    ("safety", SAFETY),
    ("ack", SAFETY),
    ("volunteer", RESOURCES),
    ("fund", RESOURCES),
    ("resource", RESOURCES),
    ("continu", CONTINUITY),
    ("follow", CONTINUITY),
    ("review", CONTINUITY),
    ("contact", CONTINUITY),
    ("served", CONTINUITY),
)


# The indicators' own problem keys (``insights.indicators.PROBLEMS``) and our headings;
# participation is split from coverage because its causes and remedies differ.
_PROBLEM_KEYS = {
    "single_content": SINGLE_CONTENT,
    "limited_coverage": COVERAGE,
    "scattered_responsibility": RESPONSIBILITY,
    "no_long_term": CONTINUITY,
    "family": FAMILY,
    "safety": SAFETY,
    "resources": RESOURCES,
}


def family_of(code: str, threshold: object = None) -> str | None:
    """The heading of an indicator: from its threshold's problem key when it has one, else
    from keywords in its code."""
    lowered = code.lower()
    key = getattr(threshold, "problem", None)
    if key in _PROBLEM_KEYS:
        family = _PROBLEM_KEYS[key]
        if family == COVERAGE and any(k in lowered for k in ("particip", "attend")):
            return PARTICIPATION
        return family
    for keyword, family in _KEYWORDS:
        if keyword in lowered:
            return family
    return None


class IndicatorLike(Protocol):
    code: str
    label: Any
    value: float | None
    numerator: int
    denominator: int
    unit: str
    threshold: Any
    problem: bool


def limit_of(threshold: Any) -> float | None:
    """A threshold's limit: a number, or an object with ``limit``."""
    if threshold is None:
        return None
    return float(getattr(threshold, "limit", threshold))


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "share":
        return f"{value * 100:.0f}%" if value <= 1 else f"{value:.0f}%"
    if unit == "index":
        return f"{value:.2f}"
    units = {
        "days": _("%(n)s days"),
        "hours": _("%(n)s hours"),
        "yuan": _("%(n)s yuan"),
    }
    number = f"{value:.0f}" if float(value).is_integer() or unit in units else f"{value:.1f}"
    return units[unit] % {"n": number} if unit in units else number


def indicator_sentence(ind: IndicatorLike) -> str:
    """ "Coverage: 38% (19 of 50), threshold 80%." in the active language."""
    values = {
        "label": str(ind.label),
        "value": format_value(ind.value, ind.unit),
        "numerator": ind.numerator,
        "denominator": ind.denominator,
        "threshold": format_value(limit_of(ind.threshold), ind.unit),
    }
    if ind.threshold is None:
        return _("%(label)s: %(value)s (%(numerator)s of %(denominator)s).") % values
    if getattr(ind.threshold, "direction", "min") == "max":
        return (
            _(
                "%(label)s: %(value)s (%(numerator)s of %(denominator)s); a problem above "
                "%(threshold)s."
            )
            % values
        )
    return (
        _("%(label)s: %(value)s (%(numerator)s of %(denominator)s); a problem below %(threshold)s.")
        % values
    )


@dataclass
class Problem:
    family: str
    heading: str
    indicators: list[IndicatorLike]
    lines: list[str]


@dataclass
class Finding:
    """A cause or a recommendation: its rule id, the group it belongs to, its sentence and
    the problem headings it answers."""

    rule: str
    group: str
    text: str
    because: list[str] = field(default_factory=list)


@dataclass
class Diagnosis:
    problems: list[Problem]
    causes: list[Finding]
    recommendations: list[Finding]


def _first(inds: Iterable[IndicatorLike]) -> IndicatorLike | None:
    return next(iter(inds), None)


def _v(ind: IndicatorLike | None) -> str:
    return format_value(ind.value, ind.unit) if ind is not None else "—"


# Cause groups: the study's three aspects, the subject one split by who carries the duty.
SUBJECT_FAMILY = "subject_family"
SUBJECT_SCHOOL = "subject_school"
SUBJECT_COMMUNITY = "subject_community"
SUBJECT_GOVERNMENT = "subject_government"
SUBJECT_SOCIAL = "subject_social"
POLICY = "policy"
RESOURCE = "resource"
CAUSE_GROUPS = {
    SUBJECT_FAMILY: gettext_lazy("Subject: the family"),
    SUBJECT_SCHOOL: gettext_lazy("Subject: the school"),
    SUBJECT_COMMUNITY: gettext_lazy("Subject: the community"),
    SUBJECT_GOVERNMENT: gettext_lazy("Subject: the government"),
    SUBJECT_SOCIAL: gettext_lazy("Subject: social forces"),
    POLICY: gettext_lazy("Policy"),
    RESOURCE: gettext_lazy("Resources"),
}
SECTORS = {
    "state": gettext_lazy("State (government leads and integrates)"),
    "market": gettext_lazy("Market (purchased professional services)"),
    "voluntary": gettext_lazy("Voluntary and community"),
    "informal": gettext_lazy("Informal: family and neighbours"),
}


def diagnose(indicators: Mapping[str, IndicatorLike]) -> Diagnosis:
    by_family: dict[str, list[IndicatorLike]] = {}
    for ind in indicators.values():
        family = family_of(ind.code, ind.threshold)
        if family is not None and ind.problem:
            by_family.setdefault(family, []).append(ind)
    problems = [
        Problem(
            family=family,
            heading=str(FAMILY_TITLES[family]),
            indicators=by_family[family],
            lines=[indicator_sentence(i) for i in by_family[family]],
        )
        for family in FAMILY_ORDER
        if family in by_family
    ]
    flagged = set(by_family)
    resource_all = [i for i in indicators.values() if family_of(i.code, i.threshold) == RESOURCES]
    causes = [c for rule in CAUSE_RULES if (c := rule(by_family, flagged, resource_all))]
    recs = [r for rule in RECOMMENDATION_RULES if (r := rule(by_family, flagged))]
    return Diagnosis(problems=problems, causes=causes, recommendations=recs)


Flagged = dict[str, list[IndicatorLike]]
CauseRule = Callable[[Flagged, set[str], list[IndicatorLike]], Finding | None]
RecRule = Callable[[Flagged, set[str]], Finding | None]


def _title(family: str) -> str:
    return str(FAMILY_TITLES[family])


# ---- causes ---------------------------------------------------------------------------


def c_family(f: Flagged, flagged: set[str], _r: list[IndicatorLike]) -> Finding | None:
    if FAMILY not in flagged:
        return None
    ind = _first(f[FAMILY])
    text = _(
        "The family's upbringing function is weakened: %(label)s is %(value)s, below what the "
        "law asks of parents who work away (contact with the child at least once a week, "
        "Minors Protection Law Art. 23)."
    ) % {"label": str(ind.label) if ind else "", "value": _v(ind)}
    return Finding("C-FAM", SUBJECT_FAMILY, text, [_title(FAMILY)])


def c_school(f: Flagged, flagged: set[str], _r: list[IndicatorLike]) -> Finding | None:
    if PARTICIPATION not in flagged:
        return None
    ind = _first(f[PARTICIPATION])
    text = _(
        "School and children's-home care reaches few children: %(label)s is %(value)s "
        "(%(numerator)s of %(denominator)s)."
    ) % {
        "label": str(ind.label) if ind else "",
        "value": _v(ind),
        "numerator": ind.numerator if ind else 0,
        "denominator": ind.denominator if ind else 0,
    }
    return Finding("C-SCH", SUBJECT_SCHOOL, text, [_title(PARTICIPATION)])


def c_community(f: Flagged, flagged: set[str], _r: list[IndicatorLike]) -> Finding | None:
    if COVERAGE not in flagged:
        return None
    ind = _first(f[COVERAGE])
    unserved = (ind.denominator - ind.numerator) if ind else 0
    text = _(
        "Community care is insufficient: %(unserved)s of %(denominator)s registered children "
        "had no service or visit in the period (%(label)s %(value)s)."
    ) % {
        "unserved": unserved,
        "denominator": ind.denominator if ind else 0,
        "label": str(ind.label) if ind else "",
        "value": _v(ind),
    }
    return Finding("C-COM", SUBJECT_COMMUNITY, text, [_title(COVERAGE)])


def c_government(f: Flagged, flagged: set[str], _r: list[IndicatorLike]) -> Finding | None:
    evidence = [
        (fam, ind)
        for fam in (RESPONSIBILITY, CONTINUITY, SAFETY)
        if (ind := _first(i for i in f.get(fam, []) if "sector" not in i.code))
    ]
    if not evidence:
        return None
    hit = [fam for fam, _ind in evidence]
    separator = pgettext("list separator", "; ")
    sentences = separator.join(indicator_sentence(ind).rstrip(".。") for _fam, ind in evidence)
    text = _(
        "Government duties are not in place: %(evidence)s. Naming who is responsible, "
        "following up on time and handling reports are the township's and county's duties."
    ) % {"evidence": sentences}
    return Finding("C-GOV", SUBJECT_GOVERNMENT, text, [_title(x) for x in hit])


def c_social(f: Flagged, flagged: set[str], _r: list[IndicatorLike]) -> Finding | None:
    state = [i for i in f.get(RESPONSIBILITY, []) if "sector" in i.code]
    if state:
        text = _(
            "Social forces carry little of the work: %(label)s is %(value)s, so care rests "
            "on the government alone."
        ) % {"label": str(state[0].label), "value": _v(state[0])}
        return Finding("C-SOC", SUBJECT_SOCIAL, text, [_title(RESPONSIBILITY)])
    if SINGLE_CONTENT not in flagged:
        return None
    ind = _first(f[SINGLE_CONTENT])
    text = _(
        "Social forces bring little beyond material aid and visits: %(label)s is %(value)s."
    ) % {"label": str(ind.label) if ind else "", "value": _v(ind)}
    return Finding("C-SOC", SUBJECT_SOCIAL, text, [_title(SINGLE_CONTENT)])


def p_responsibility(f: Flagged, flagged: set[str], _r: list[IndicatorLike]) -> Finding | None:
    ind = _first(i for i in f.get(RESPONSIBILITY, []) if "sector" not in i.code)
    if ind is None:
        return None
    text = _(
        "Policy does not fix who acts: %(label)s is only %(value)s, so the duty of care is "
        "scattered among departments."
    ) % {"label": str(ind.label) if ind else "", "value": _v(ind)}
    return Finding("P-RESP", POLICY, text, [_title(RESPONSIBILITY)])


def p_continuity(f: Flagged, flagged: set[str], _r: list[IndicatorLike]) -> Finding | None:
    if CONTINUITY not in flagged:
        return None
    ind = _first(f[CONTINUITY])
    text = _(
        "There is no long-term mechanism: follow-up and review cycles are not kept "
        "(%(label)s %(value)s), so care stops after a first contact."
    ) % {"label": str(ind.label) if ind else "", "value": _v(ind)}
    return Finding("P-CONT", POLICY, text, [_title(CONTINUITY)])


def p_safety(f: Flagged, flagged: set[str], _r: list[IndicatorLike]) -> Finding | None:
    if SAFETY not in flagged:
        return None
    ind = _first(f[SAFETY])
    text = _(
        "The mandatory-report procedure is not applied within its deadlines (%(label)s %(value)s)."
    ) % {"label": str(ind.label) if ind else "", "value": _v(ind)}
    return Finding("P-SAFE", POLICY, text, [_title(SAFETY)])


def r_idle(f: Flagged, flagged: set[str], resources: list[IndicatorLike]) -> Finding | None:
    """Low coverage while resources lie unused: the resources are inefficient."""
    if COVERAGE not in flagged or RESOURCES not in flagged:
        return None
    cov, res = _first(f[COVERAGE]), _first(f[RESOURCES])
    text = _(
        "Resources are inefficient: children go unserved (%(cov_label)s %(cov)s) while "
        "%(res_label)s is only %(res)s."
    ) % {
        "cov_label": str(cov.label) if cov else "",
        "cov": _v(cov),
        "res_label": str(res.label) if res else "",
        "res": _v(res),
    }
    return Finding("R-IDLE", RESOURCE, text, [_title(COVERAGE), _title(RESOURCES)])


def r_short(f: Flagged, flagged: set[str], resources: list[IndicatorLike]) -> Finding | None:
    """Low coverage and no idle resources: there are too few providers and people."""
    if COVERAGE not in flagged or RESOURCES in flagged:
        return None
    cov = _first(f[COVERAGE])
    text = _(
        "Resources are too few for the children registered: coverage is %(cov)s and no "
        "resource lies unused, so more providers, volunteers or funds are needed."
    ) % {"cov": _v(cov)}
    return Finding("R-SHORT", RESOURCE, text, [_title(COVERAGE)])


def r_rigid(f: Flagged, flagged: set[str], resources: list[IndicatorLike]) -> Finding | None:
    """Material aid and visits dominate: people, money and material are integrated rigidly."""
    if SINGLE_CONTENT not in flagged:
        return None
    ind = _first(f[SINGLE_CONTENT])
    text = _(
        "People, money and material are integrated rigidly: the service mix stays narrow "
        "(%(label)s %(value)s)."
    ) % {"label": str(ind.label) if ind else "", "value": _v(ind)}
    return Finding("R-RIGID", RESOURCE, text, [_title(SINGLE_CONTENT)])


def r_unspent(f: Flagged, flagged: set[str], resources: list[IndicatorLike]) -> Finding | None:
    if RESOURCES not in flagged or COVERAGE in flagged:
        return None
    ind = _first(f[RESOURCES])
    text = _("Resources are not put to use: %(label)s is %(value)s.") % {
        "label": str(ind.label) if ind else "",
        "value": _v(ind),
    }
    return Finding("R-UNUSED", RESOURCE, text, [_title(RESOURCES)])


CAUSE_RULES: list[CauseRule] = [
    c_family,
    c_school,
    c_community,
    c_government,
    c_social,
    p_responsibility,
    p_continuity,
    p_safety,
    r_idle,
    r_short,
    r_rigid,
    r_unspent,
]

# ---- recommendations ------------------------------------------------------------------


def _rec(rule: str, sector: str, text: str, families: list[str]) -> Finding:
    return Finding(rule, sector, text, [_title(x) for x in families])


def s_responsibility(f: Flagged, flagged: set[str]) -> Finding | None:
    hit = [x for x in (RESPONSIBILITY, SAFETY) if x in flagged]
    if not hit:
        return None
    return _rec(
        "S-LEAD",
        "state",
        _(
            "The township names a responsible person for every child and an owner "
            "organisation for every plan action, and checks the list each month."
        ),
        hit,
    )


def s_continuity(f: Flagged, flagged: set[str]) -> Finding | None:
    if CONTINUITY not in flagged:
        return None
    return _rec(
        "S-CYCLE",
        "state",
        _(
            "Set follow-up by risk level and review plans on schedule; the county checks "
            "the overdue list monthly."
        ),
        [CONTINUITY],
    )


def s_coverage(f: Flagged, flagged: set[str]) -> Finding | None:
    if COVERAGE not in flagged and RESOURCES not in flagged:
        return None
    ind = _first(f.get(COVERAGE, []))
    unserved = (ind.denominator - ind.numerator) if ind else 0
    return _rec(
        "S-INTEGRATE",
        "state",
        _(
            "Civil affairs integrates people, money and material: assign the %(n)s children "
            "without service to providers and move unspent funds to them."
        )
        % {"n": unserved},
        [x for x in (COVERAGE, RESOURCES) if x in flagged],
    )


def m_purchase(f: Flagged, flagged: set[str]) -> Finding | None:
    hit = [x for x in (SINGLE_CONTENT, COVERAGE) if x in flagged]
    if not hit:
        return None
    return _rec(
        "M-BUY",
        "market",
        _(
            "Purchase professional services (counselling, study support, safety education) "
            "from social-work organisations, paid by the number of children served."
        ),
        hit,
    )


def v_activities(f: Flagged, flagged: set[str]) -> Finding | None:
    hit = [x for x in (PARTICIPATION, COVERAGE, SINGLE_CONTENT) if x in flagged]
    if not hit:
        return None
    return _rec(
        "V-HOME",
        "voluntary",
        _(
            "Hold regular children's-home and school activities and match vetted volunteers "
            "to the children who have none."
        ),
        hit,
    )


def i_family(f: Flagged, flagged: set[str]) -> Finding | None:
    if FAMILY not in flagged:
        return None
    return _rec(
        "I-FAMILY",
        "informal",
        _(
            "Remind parents of their weekly contact with the child and the carer, and give "
            "caregivers guidance; neighbours look in on children whose carers are weak."
        ),
        [FAMILY],
    )


RECOMMENDATION_RULES: list[RecRule] = [
    s_responsibility,
    s_continuity,
    s_coverage,
    m_purchase,
    v_activities,
    i_family,
]
