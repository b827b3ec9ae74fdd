"""Assessment instruments as data, and their scoring. Pure Python: no ORM, no Django models.

An instrument is a versioned JSON document (``shouwang/assessments/instruments/*.json``,
described in docs/assessments.md) read by ``instrument_from_json`` into a frozen tree:

    Instrument ─ domains ─ questions ─ options

Every answer is scored by the option chosen (its ``score``, times the question's
``weight``); a domain's score is its points as a share of the most it could have scored
(``DomainScore``); the share is compared with the domain's thresholds to give its level
(``ok`` / ``moderate`` / ``severe``); the instrument's risk rules turn the domain levels and
the red-flag answers into a risk level (``low`` / ``medium`` / ``high`` / ``urgent``), with the
reasons that say which answers drove it.

Every threshold and rule is in the JSON: they are our design choice, not law. The risk level
is advisory (PIPL Art. 24): a supervisor approves or returns every assessment.

Reasons are ``rules.engine.outcome.Reason`` (a stable code and JSON params), rendered in the
reader's language by ``assessments.messages``. Answer problems are ``AnswerError`` codes.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shouwang.rules.engine.outcome import Reason


class QuestionType(StrEnum):
    YES_NO = "yes_no"
    SCALE = "scale"  # 0-3, each point labelled
    CHOICE = "choice"  # named options, each with its score


class DomainLevel(StrEnum):
    OK = "ok"
    MODERATE = "moderate"
    SEVERE = "severe"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


DOMAIN_LEVEL_ORDER = {level: i for i, level in enumerate(DomainLevel)}
RISK_ORDER = {level: i for i, level in enumerate(RiskLevel)}
SCALE_VALUES = ("0", "1", "2", "3")
YES_NO_VALUES = ("yes", "no")
MAX_WEIGHT = 5
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
_VERSION = re.compile(r"^\d+(\.\d+){0,3}$")


# --- The tree -------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A label in both languages. Instrument labels are data, not gettext messages."""

    zh: str
    en: str

    def get(self, language: str | None) -> str:
        return self.en if (language or "").lower().startswith("en") else self.zh


@dataclass(frozen=True)
class Option:
    value: str  # the stored answer: "yes"/"no", "0".."3", or a choice's code
    label: Text
    score: int
    red_flag: bool = False  # this answer alone makes the risk urgent


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    label: Text
    options: tuple[Option, ...]
    weight: int = 1
    required: bool = True
    help: Text | None = None

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    @property
    def max_points(self) -> int:
        return max(o.score for o in self.options) * self.weight


@dataclass(frozen=True)
class Thresholds:
    """Shares of the domain's maximum, in percent: at or above ``moderate`` is moderate."""

    moderate: int
    severe: int

    def level(self, points: int, maximum: int) -> DomainLevel:
        # Integer comparison (points / maximum >= t / 100), so a boundary is exact.
        if maximum <= 0:
            return DomainLevel.OK
        if points * 100 >= self.severe * maximum:
            return DomainLevel.SEVERE
        if points * 100 >= self.moderate * maximum:
            return DomainLevel.MODERATE
        return DomainLevel.OK

    def for_level(self, level: DomainLevel) -> int:
        return self.severe if level == DomainLevel.SEVERE else self.moderate


@dataclass(frozen=True)
class Domain:
    code: str
    label: Text
    questions: tuple[Question, ...]
    thresholds: Thresholds


@dataclass(frozen=True)
class RiskRule:
    """``level`` applies when ``red_flag`` answers exist, or when at least ``min_count``
    domains (among ``domains``, or all) are at ``min_level`` or above."""

    level: RiskLevel
    red_flag: bool = False
    min_level: DomainLevel | None = None
    min_count: int = 1
    domains: tuple[str, ...] = ()


@dataclass(frozen=True)
class Instrument:
    code: str
    version: str
    title: Text
    domains: tuple[Domain, ...]
    rules: tuple[RiskRule, ...]
    default_risk: RiskLevel = RiskLevel.LOW
    about: Text | None = None

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"

    def questions(self) -> list[tuple[Domain, Question]]:
        return [(d, q) for d in self.domains for q in d.questions]

    def question(self, question_id: str) -> Question | None:
        return next((q for _d, q in self.questions() if q.id == question_id), None)

    def domain(self, code: str) -> Domain | None:
        return next((d for d in self.domains if d.code == code), None)


def version_key(version: str) -> tuple[int, ...]:
    """``"2026.10"`` sorts after ``"2026.9"``."""
    return tuple(int(part) for part in version.split("."))


# --- Reading an instrument from JSON ---------------------------------------------------


class InstrumentError(ValueError):
    """A malformed instrument: ``errors`` lists every problem as (path, problem)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{path}: {problem}" for path, problem in errors))


class _Reader:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def fail(self, path: str, problem: str) -> None:
        self.errors.append((path, problem))

    def obj(self, raw: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(raw, Mapping):
            self.fail(path, "must be an object")
            return {}
        return raw

    def list(self, raw: Any, path: str, *, non_empty: bool = True) -> list[Any]:
        if not isinstance(raw, list) or (non_empty and not raw):
            self.fail(path, "must be a non-empty list" if non_empty else "must be a list")
            return []
        return raw

    def string(self, raw: Mapping[str, Any], key: str, path: str) -> str:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{path}.{key}", "must be a non-empty string")
            return ""
        return value.strip()

    def code(self, raw: Mapping[str, Any], key: str, path: str) -> str:
        value = self.string(raw, key, path)
        if value and not _CODE.match(value):
            self.fail(f"{path}.{key}", "must be lower-case letters, digits and _ (a-z first)")
        return value

    def integer(
        self, raw: Mapping[str, Any], key: str, path: str, *, low: int, high: int, default: Any
    ) -> int:
        value = raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(f"{path}.{key}", f"must be a whole number from {low} to {high}")
            return low
        return value

    def boolean(self, raw: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", "must be true or false")
            return default
        return value

    def text(self, raw: Mapping[str, Any], stem: str, path: str, *, required: bool = True) -> Text:
        if not required and f"{stem}_zh" not in raw and f"{stem}_en" not in raw:
            return Text("", "")
        return Text(self.string(raw, f"{stem}_zh", path), self.string(raw, f"{stem}_en", path))

    def enum(self, raw: Mapping[str, Any], key: str, path: str, enum: type[StrEnum]) -> Any:
        value = raw.get(key)
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            self.fail(f"{path}.{key}", f"must be one of {allowed}")
            return None


_DEFAULT_LABELS = {
    "yes": Text("是", "Yes"),
    "no": Text("否", "No"),
}


def _option(r: _Reader, item: Any, qtype: QuestionType, opath: str) -> Option | None:
    o = r.obj(item, opath)
    value = o.get("value")
    if qtype == QuestionType.SCALE and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value:
        r.fail(f"{opath}.value", "must be a non-empty string")
        return None
    if qtype == QuestionType.CHOICE and not _CODE.match(value):
        r.fail(f"{opath}.value", "must be lower-case letters, digits and _ (a-z first)")
    if qtype == QuestionType.YES_NO and "label_zh" not in o and value in _DEFAULT_LABELS:
        label = _DEFAULT_LABELS[value]
    else:
        label = r.text(o, "label", opath)
    if qtype == QuestionType.SCALE:
        score = int(value) if value in SCALE_VALUES else 0
        if "score" in o and o["score"] != score:
            r.fail(f"{opath}.score", "a scale point scores its own value")
    else:
        score = r.integer(o, "score", opath, low=0, high=10, default=None)
    return Option(value, label, score, r.boolean(o, "red_flag", opath, False))


def _options(r: _Reader, raw: Mapping[str, Any], qtype: QuestionType, path: str) -> list[Option]:
    items = r.list(raw.get("options"), f"{path}.options")
    options = [
        option
        for i, item in enumerate(items)
        if (option := _option(r, item, qtype, f"{path}.options[{i}]")) is not None
    ]
    values = [o.value for o in options]
    problems = {
        "option values must be unique": len(values) != len(set(values)),
        "a yes_no question has exactly the options yes and no": qtype == QuestionType.YES_NO
        and sorted(values) != sorted(YES_NO_VALUES),
        "a scale question has exactly the points 0, 1, 2 and 3": qtype == QuestionType.SCALE
        and sorted(values) != list(SCALE_VALUES),
        "a choice question has at least two options": qtype == QuestionType.CHOICE
        and len(values) < 2,
        "no option scores or is a red flag: the question counts for nothing": bool(options)
        and not any(o.score or o.red_flag for o in options),
    }
    for problem, found in problems.items():
        if found:
            r.fail(f"{path}.options", problem)
    return options


def _question(r: _Reader, raw: Any, path: str) -> Question | None:
    q = r.obj(raw, path)
    qid = r.code(q, "id", path)
    qtype = r.enum(q, "type", path, QuestionType)
    label = r.text(q, "label", path)
    help_text = r.text(q, "help", path, required=False)
    weight = r.integer(q, "weight", path, low=1, high=MAX_WEIGHT, default=1)
    required = r.boolean(q, "required", path, True)
    if qtype is None:
        return None
    options = _options(r, q, qtype, path)
    return Question(
        id=qid,
        type=qtype,
        label=label,
        options=tuple(options),
        weight=weight,
        required=required,
        help=help_text if help_text.zh or help_text.en else None,
    )


def _thresholds(r: _Reader, raw: Any, path: str) -> Thresholds:
    t = r.obj(raw, path)
    moderate = r.integer(t, "moderate", path, low=1, high=100, default=None)
    severe = r.integer(t, "severe", path, low=1, high=100, default=None)
    if moderate >= severe:
        r.fail(path, "moderate must be below severe")
    return Thresholds(moderate=moderate, severe=severe)


def _rule(r: _Reader, raw: Any, path: str, domain_codes: set[str]) -> RiskRule:
    rule = r.obj(raw, path)
    level = r.enum(rule, "level", path, RiskLevel) or RiskLevel.LOW
    red_flag = r.boolean(rule, "red_flag", path, False)
    if red_flag:
        if "min_level" in rule or "domains" in rule:
            r.fail(path, "a red_flag rule has no min_level or domains")
        return RiskRule(level=level, red_flag=True)
    min_level = r.enum(rule, "min_level", path, DomainLevel)
    if min_level == DomainLevel.OK:
        r.fail(f"{path}.min_level", "must be moderate or severe")
    domains = rule.get("domains", [])
    if not isinstance(domains, list) or any(d not in domain_codes for d in domains):
        r.fail(f"{path}.domains", "must list domain codes of this instrument")
        domains = []
    high = len(domains) or max(len(domain_codes), 1)
    min_count = r.integer(rule, "min_count", path, low=1, high=high, default=1)
    return RiskRule(level=level, min_level=min_level, min_count=min_count, domains=tuple(domains))


def instrument_from_json(raw: Any) -> Instrument:
    """Read and check an instrument; ``InstrumentError`` lists every problem at once."""
    r = _Reader()
    root = r.obj(raw, "$")
    code = r.code(root, "code", "$")
    version = r.string(root, "version", "$")
    if version and not _VERSION.match(version):
        r.fail("$.version", "must be numbers separated by dots, e.g. 2026.1")
    title = r.text(root, "title", "$")
    about = r.text(root, "about", "$", required=False)
    default_thresholds = root.get("thresholds")
    domains: list[Domain] = []
    for i, item in enumerate(r.list(root.get("domains"), "$.domains")):
        path = f"$.domains[{i}]"
        d = r.obj(item, path)
        if "thresholds" not in d and default_thresholds is None:
            r.fail(f"{path}.thresholds", "required (or give the instrument's thresholds)")
            thresholds = Thresholds(1, 2)
        else:
            tpath = f"{path}.thresholds" if "thresholds" in d else "$.thresholds"
            thresholds = _thresholds(r, d.get("thresholds", default_thresholds), tpath)
        questions = [
            q
            for j, qraw in enumerate(r.list(d.get("questions"), f"{path}.questions"))
            if (q := _question(r, qraw, f"{path}.questions[{j}]")) is not None
        ]
        domains.append(
            Domain(
                code=r.code(d, "code", path),
                label=r.text(d, "label", path),
                questions=tuple(questions),
                thresholds=thresholds,
            )
        )
    codes = [d.code for d in domains]
    if len(codes) != len(set(codes)):
        r.fail("$.domains", "domain codes must be unique")
    qids = [q.id for d in domains for q in d.questions]
    duplicates = sorted({q for q in qids if qids.count(q) > 1})
    if duplicates:
        r.fail("$.domains", f"question ids must be unique across the instrument: {duplicates}")
    risk = r.obj(root.get("risk"), "$.risk")
    rules = [
        _rule(r, item, f"$.risk.rules[{i}]", set(codes))
        for i, item in enumerate(r.list(risk.get("rules"), "$.risk.rules"))
    ]
    default = r.enum(risk, "default", "$.risk", RiskLevel) if risk else None
    if r.errors:
        raise InstrumentError(r.errors)
    return Instrument(
        code=code,
        version=version,
        title=title,
        domains=tuple(domains),
        rules=tuple(rules),
        default_risk=default or RiskLevel.LOW,
        about=about if about.zh or about.en else None,
    )


# --- Answers --------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerError:
    """One problem with the answers: ``question`` is a question id (or the unknown key)."""

    question: str
    code: str  # "unknown_question" | "invalid_value" | "required"
    params: Mapping[str, Any]


def _normalise(question: Question, raw: Any) -> str | None:
    """The stored form of an answer (``None``: unanswered). Scale points may be ints."""
    if raw is None:
        return None
    if question.type == QuestionType.SCALE and isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, str):
        return raw.strip() or None
    return repr(raw)  # anything else is not an option value: reported as invalid


def clean_answers(
    instrument: Instrument, raw: Mapping[str, Any]
) -> tuple[dict[str, str], list[AnswerError]]:
    """The answers in stored form, and every problem with them (in question order).

    Unknown question ids, values that are not one of the question's options, and required
    questions left unanswered are errors. Optional questions may be left out.
    """
    errors: list[AnswerError] = []
    known = {q.id for _d, q in instrument.questions()}
    errors.extend(
        AnswerError(key, "unknown_question", {"question": key})
        for key in sorted(str(k) for k in raw if str(k) not in known)
    )
    answers: dict[str, str] = {}
    for _domain, question in instrument.questions():
        value = _normalise(question, raw.get(question.id))
        if value is None:
            if question.required:
                errors.append(AnswerError(question.id, "required", {}))
            continue
        if question.option(value) is None:
            allowed = [o.value for o in question.options]
            errors.append(
                AnswerError(question.id, "invalid_value", {"value": value, "allowed": allowed})
            )
            continue
        answers[question.id] = value
    return answers, errors


class AnswersInvalid(ValueError):  # noqa: N818  (the domain's word)
    def __init__(self, errors: list[AnswerError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.question}: {e.code}" for e in errors))


# --- Scoring --------------------------------------------------------------------------


@dataclass(frozen=True)
class DomainScore:
    points: int
    maximum: int  # the most the answered questions could score

    @property
    def percent(self) -> int:
        """Rounded share of the maximum, for display (levels use exact arithmetic)."""
        if self.maximum <= 0:
            return 0
        return (self.points * 100 * 2 + self.maximum) // (self.maximum * 2)

    def to_json(self) -> dict[str, int]:
        return {"points": self.points, "max": self.maximum, "percent": self.percent}


@dataclass(frozen=True)
class Scored:
    domain_scores: dict[str, DomainScore]
    domain_levels: dict[str, DomainLevel]
    risk_level: RiskLevel
    reasons: tuple[Reason, ...]
    missing_required: tuple[str, ...]  # required question ids left unanswered

    @property
    def complete(self) -> bool:
        return not self.missing_required


def score(instrument: Instrument, answers: Mapping[str, Any]) -> Scored:
    """Score the answers. Unknown questions and invalid values raise ``AnswersInvalid``;
    required questions left unanswered are listed in ``missing_required`` (the service
    refuses to save such an assessment; the score of what was answered is still given)."""
    clean, errors = clean_answers(instrument, answers)
    fatal = [e for e in errors if e.code != "required"]
    if fatal:
        raise AnswersInvalid(fatal)
    missing = tuple(e.question for e in errors if e.code == "required")

    scores: dict[str, DomainScore] = {}
    levels: dict[str, DomainLevel] = {}
    red_flags: list[Reason] = []
    for domain in instrument.domains:
        points = maximum = 0
        for question in domain.questions:
            value = clean.get(question.id)
            if value is None:
                continue  # unanswered: counts neither way
            option = question.option(value)
            assert option is not None  # noqa: S101  (checked by clean_answers)
            points += option.score * question.weight
            maximum += question.max_points
            if option.red_flag:
                red_flags.append(
                    Reason(
                        "red_flag_answer",
                        {"domain": domain.code, "question": question.id, "answer": value},
                    )
                )
        scores[domain.code] = DomainScore(points, maximum)
        levels[domain.code] = domain.thresholds.level(points, maximum)

    risk, reasons = _risk(instrument, clean, scores, levels, red_flags)
    return Scored(scores, levels, risk, tuple(reasons), missing)


def _rule_domains(instrument: Instrument, rule: RiskRule) -> list[Domain]:
    return [d for d in instrument.domains if not rule.domains or d.code in rule.domains]


def _fires(
    instrument: Instrument,
    rule: RiskRule,
    levels: Mapping[str, DomainLevel],
    red_flags: list[Reason],
) -> list[Domain] | None:
    """The domains that make ``rule`` apply (``[]`` for a red-flag rule), or ``None``."""
    if rule.red_flag:
        return [] if red_flags else None
    assert rule.min_level is not None  # noqa: S101  (checked when read)
    floor = DOMAIN_LEVEL_ORDER[rule.min_level]
    hits = [
        d for d in _rule_domains(instrument, rule) if DOMAIN_LEVEL_ORDER[levels[d.code]] >= floor
    ]
    return hits if len(hits) >= rule.min_count else None


def _driving_answers(domain: Domain, answers: Mapping[str, str]) -> list[Reason]:
    """The answers that scored in ``domain``, highest first (ties in question order)."""
    rows = []
    for position, question in enumerate(domain.questions):
        value = answers.get(question.id)
        option = question.option(value) if value is not None else None
        if option is not None and option.score:
            rows.append((-option.score * question.weight, position, question, value))
    return [
        Reason(
            "answer_scored",
            {
                "domain": domain.code,
                "question": q.id,
                "answer": value,
                "points": -neg,
            },
        )
        for neg, _pos, q, value in sorted(rows, key=lambda row: row[:2])
    ]


def _risk(
    instrument: Instrument,
    answers: Mapping[str, str],
    scores: Mapping[str, DomainScore],
    levels: Mapping[str, DomainLevel],
    red_flags: list[Reason],
) -> tuple[RiskLevel, list[Reason]]:
    """The highest level among the rules that apply, explained by the first rule that gives
    it: the rule, then the domains and the answers that made it apply."""
    best: tuple[RiskLevel, RiskRule, list[Domain]] | None = None
    for rule in instrument.rules:
        hits = _fires(instrument, rule, levels, red_flags)
        if hits is None:
            continue
        if best is None or RISK_ORDER[rule.level] > RISK_ORDER[best[0]]:
            best = (rule.level, rule, hits)
    if best is None or RISK_ORDER[best[0]] <= RISK_ORDER[instrument.default_risk]:
        return instrument.default_risk, [
            Reason("risk_default", {"level": str(instrument.default_risk)})
        ]
    level, rule, hits = best
    if rule.red_flag:
        return level, [
            Reason("risk_red_flag", {"level": str(level), "count": len(red_flags)}),
            *red_flags,
        ]
    assert rule.min_level is not None  # noqa: S101
    reasons = [
        Reason(
            "risk_domains",
            {
                "level": str(level),
                "min_level": str(rule.min_level),
                "min_count": rule.min_count,
                "count": len(hits),
                "domains": [d.code for d in _rule_domains(instrument, rule)]
                if rule.domains
                else [],
            },
        )
    ]
    for domain in hits:
        s = scores[domain.code]
        domain_level = levels[domain.code]
        reasons.append(
            Reason(
                "domain_level",
                {
                    "domain": domain.code,
                    "level": str(domain_level),
                    "points": s.points,
                    "max": s.maximum,
                    "percent": s.percent,
                    "threshold": domain.thresholds.for_level(domain_level),
                },
            )
        )
        reasons.extend(_driving_answers(domain, answers))
    return level, reasons


def scored_to_json(scored: Scored) -> dict[str, Any]:
    return {
        "domain_scores": {k: v.to_json() for k, v in scored.domain_scores.items()},
        "domain_levels": {k: str(v) for k, v in scored.domain_levels.items()},
        "risk_level": str(scored.risk_level),
        "reasons": [r.to_json() for r in scored.reasons],
        "missing_required": list(scored.missing_required),
    }
