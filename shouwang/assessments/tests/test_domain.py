"""Instruments as data and their scoring, with no database: every rule and every boundary."""

import copy
import json
from typing import Any

import pytest

from shouwang.assessments import domain
from shouwang.assessments.domain import (
    AnswersInvalid,
    DomainLevel,
    InstrumentError,
    RiskLevel,
    Thresholds,
    clean_answers,
    instrument_from_json,
    score,
    version_key,
)
from shouwang.assessments.loading import INSTRUMENTS_DIR, instrument_files

# A small instrument whose arithmetic is easy to follow. Maxima: a = 3 + 2*3 = 9; b = 3 + 3 = 6;
# c = 3. Thresholds (percent of the maximum): moderate 30, severe 60 (a: 20 / 50).


def _yes_no(qid: str, yes: int = 3, *, red_flag: bool = False, **extra: Any) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "yes_no",
        "label_zh": f"{qid}？",
        "label_en": f"{qid}?",
        "options": [
            {"value": "yes", "score": yes, **({"red_flag": True} if red_flag else {})},
            {"value": "no", "score": 0},
        ],
        **extra,
    }


def _scale(qid: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "scale",
        "label_zh": f"{qid}？",
        "label_en": f"{qid}?",
        "options": [{"value": i, "label_zh": f"{i}级", "label_en": f"point {i}"} for i in range(4)],
        **extra,
    }


def _choice(qid: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": qid,
        "type": "choice",
        "label_zh": f"{qid}？",
        "label_en": f"{qid}?",
        "options": [
            {"value": "fine", "label_zh": "好", "label_en": "Fine", "score": 0},
            {"value": "poor", "label_zh": "差", "label_en": "Poor", "score": 2},
            {"value": "bad", "label_zh": "很差", "label_en": "Bad", "score": 3},
        ],
        **extra,
    }


RAW: dict[str, Any] = {
    "code": "mini",
    "version": "1.0",
    "title_zh": "小量表",
    "title_en": "Mini",
    "thresholds": {"moderate": 30, "severe": 60},
    "risk": {
        "rules": [
            {"red_flag": True, "level": "urgent"},
            {"min_level": "severe", "min_count": 1, "level": "high"},
            {"min_level": "moderate", "min_count": 2, "level": "medium"},
            {"min_level": "moderate", "domains": ["a"], "level": "medium"},
        ],
        "default": "low",
    },
    "domains": [
        {
            "code": "a",
            "label_zh": "甲",
            "label_en": "A",
            "thresholds": {"moderate": 20, "severe": 50},
            "questions": [_yes_no("a_alone", red_flag=True), _scale("a_hazard", weight=2)],
        },
        {
            "code": "b",
            "label_zh": "乙",
            "label_en": "B",
            "questions": [_scale("b_sad"), _choice("b_food")],
        },
        {
            "code": "c",
            "label_zh": "丙",
            "label_en": "C",
            "questions": [_yes_no("c_cold", required=False)],
        },
    ],
}

MINI = instrument_from_json(RAW)
CALM = {"a_alone": "no", "a_hazard": "0", "b_sad": "0", "b_food": "fine", "c_cold": "no"}


def _scored(**changes: str) -> domain.Scored:
    return score(MINI, {**CALM, **changes})


# --- The tree -------------------------------------------------------------------------


def test_an_instrument_is_a_frozen_tree() -> None:
    assert MINI.key == "mini@1.0"
    assert [d.code for d in MINI.domains] == ["a", "b", "c"]
    question = MINI.question("a_hazard")
    assert question is not None
    assert (question.weight, question.max_points) == (2, 6)
    assert [o.score for o in question.options] == [0, 1, 2, 3]
    alone = MINI.question("a_alone")
    assert alone is not None
    assert alone.option("yes").red_flag  # type: ignore[union-attr]
    assert alone.option("yes").label.get("en") == "Yes"  # type: ignore[union-attr]
    assert alone.option("yes").label.get("zh-hans") == "是"  # type: ignore[union-attr]
    assert MINI.domain("b").thresholds == Thresholds(30, 60)  # type: ignore[union-attr]
    assert MINI.domain("a").thresholds == Thresholds(20, 50)  # type: ignore[union-attr]
    with pytest.raises(AttributeError):
        MINI.code = "other"  # type: ignore[misc]


def _broken(path: list[Any], value: Any) -> dict[str, Any]:
    raw = copy.deepcopy(RAW)
    target: Any = raw
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return raw


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (["code"], "Needs!", "$.code"),
        (["version"], "v1", "$.version"),
        (["title_en"], "", "$.title_en"),
        (["domains"], [], "$.domains"),
        (["domains", 0, "code"], "b", "$.domains"),  # duplicate domain code
        (["domains", 0, "thresholds"], {"moderate": 60, "severe": 30}, "$.domains[0].thresholds"),
        (["domains", 0, "thresholds", "severe"], 101, "$.domains[0].thresholds.severe"),
        (["domains", 1, "questions", 0, "id"], "a_alone", "$.domains"),  # duplicate question id
        (["domains", 1, "questions", 0, "type"], "slider", "$.domains[1].questions[0].type"),
        (
            ["domains", 1, "questions", 0, "label_en"],
            KeyError,
            "$.domains[1].questions[0].label_en",
        ),
        (["domains", 0, "questions", 1, "weight"], 0, "$.domains[0].questions[1].weight"),
        (["domains", 0, "questions", 1, "weight"], 1.5, "$.domains[0].questions[1].weight"),
        (["domains", 0, "questions", 0, "options", 1, "value"], "maybe", "options"),
        (
            ["domains", 0, "questions", 1, "options"],
            [{"value": 0, "label_zh": "零", "label_en": "0"}],
            "options",
        ),
        (["domains", 0, "questions", 1, "options", 2, "score"], 5, "options[2].score"),
        (["domains", 1, "questions", 1, "options", 0, "score"], -1, "options[0].score"),
        (["domains", 1, "questions", 1, "options", 1, "value"], "fine", "options"),
        (["risk", "rules", 1, "min_level"], "ok", "min_level"),
        (["risk", "rules", 3, "domains"], ["z"], "domains"),
        (["risk", "rules", 2, "min_count"], 4, "min_count"),
        (["risk", "rules", 0, "level"], "critical", "level"),
        (["risk", "rules"], [], "$.risk.rules"),
    ],
)
def test_a_malformed_instrument_is_refused_naming_the_place(
    path: list[Any], value: Any, where: str
) -> None:
    with pytest.raises(InstrumentError) as caught:
        instrument_from_json(_broken(path, value))
    assert any(where in p for p, _problem in caught.value.errors), caught.value.errors


def test_a_domain_without_thresholds_needs_the_instruments_own() -> None:
    raw = _broken(["thresholds"], KeyError)
    with pytest.raises(InstrumentError, match="thresholds"):
        instrument_from_json(raw)


def test_every_problem_is_listed_at_once() -> None:
    raw = _broken(["code"], "")
    raw["version"] = "x"
    with pytest.raises(InstrumentError) as caught:
        instrument_from_json(raw)
    assert {p for p, _ in caught.value.errors} >= {"$.code", "$.version"}


def test_versions_sort_as_numbers() -> None:
    assert version_key("2026.10") > version_key("2026.9") > version_key("2025.12")


# --- Answers --------------------------------------------------------------------------


def test_clean_answers_accepts_scale_points_as_numbers_or_text() -> None:
    answers, errors = clean_answers(MINI, {**CALM, "a_hazard": 2, "b_sad": " 1 "})
    assert errors == []
    assert (answers["a_hazard"], answers["b_sad"]) == ("2", "1")


@pytest.mark.parametrize(
    ("changes", "question", "code"),
    [
        ({"a_alone": ""}, "a_alone", "required"),
        ({"a_alone": None}, "a_alone", "required"),
        ({"a_alone": "maybe"}, "a_alone", "invalid_value"),
        ({"a_hazard": "4"}, "a_hazard", "invalid_value"),
        ({"a_hazard": -1}, "a_hazard", "invalid_value"),
        ({"a_hazard": True}, "a_hazard", "invalid_value"),
        ({"b_food": "terrible"}, "b_food", "invalid_value"),
        ({"z_unknown": "yes"}, "z_unknown", "unknown_question"),
    ],
)
def test_bad_answers_are_named(changes: dict[str, Any], question: str, code: str) -> None:
    _answers, errors = clean_answers(MINI, {**CALM, **changes})
    assert [(e.question, e.code) for e in errors] == [(question, code)]


def test_an_optional_question_may_be_left_out() -> None:
    answers, errors = clean_answers(MINI, {k: v for k, v in CALM.items() if k != "c_cold"})
    assert errors == []
    assert "c_cold" not in answers


def test_score_raises_on_unknown_or_invalid_answers_and_lists_the_missing() -> None:
    with pytest.raises(AnswersInvalid) as caught:
        score(MINI, {**CALM, "b_food": "terrible", "zz": "1"})
    assert {e.question for e in caught.value.errors} == {"b_food", "zz"}
    scored = score(MINI, {"a_alone": "no", "c_cold": "no"})
    assert scored.missing_required == ("a_hazard", "b_sad", "b_food")
    assert not scored.complete


# --- Domain scores and levels: the boundaries ------------------------------------------


@pytest.mark.parametrize(
    ("points", "maximum", "level"),
    [
        (0, 10, DomainLevel.OK),
        (2, 10, DomainLevel.OK),  # 20% < 30%
        (3, 10, DomainLevel.MODERATE),  # exactly 30%
        (5, 10, DomainLevel.MODERATE),
        (6, 10, DomainLevel.SEVERE),  # exactly 60%
        (10, 10, DomainLevel.SEVERE),
        (1, 3, DomainLevel.MODERATE),  # 33.3%
        (0, 0, DomainLevel.OK),  # nothing answered
    ],
)
def test_domain_level_thresholds_are_inclusive_and_exact(
    points: int, maximum: int, level: DomainLevel
) -> None:
    assert Thresholds(30, 60).level(points, maximum) == level


def test_a_share_just_under_a_threshold_is_not_rounded_up() -> None:
    # 29 of 97 is 29.9%: shown as 30%, but not moderate.
    assert domain.DomainScore(29, 97).percent == 30
    assert Thresholds(30, 60).level(29, 97) == DomainLevel.OK


def test_weights_multiply_and_unanswered_optional_questions_count_neither_way() -> None:
    scored = _scored(a_hazard="2", b_food="poor")
    assert scored.domain_scores["a"] == domain.DomainScore(4, 9)
    assert scored.domain_scores["b"] == domain.DomainScore(2, 6)
    left_out = score(MINI, {k: v for k, v in {**CALM, "c_cold": ""}.items() if k != "c_cold"})
    assert left_out.domain_scores["c"] == domain.DomainScore(0, 0)
    assert left_out.domain_levels["c"] == DomainLevel.OK


# --- Risk rules: one row per rule and boundary ----------------------------------------

RISK_TABLE = [
    # (answers changed from CALM, domain levels expected (a, b, c), risk, first reason code)
    ({}, ("ok", "ok", "ok"), RiskLevel.LOW, "risk_default"),
    # Red flag alone: urgent, whatever the scores (a = 3/9 = 33% moderate).
    ({"a_alone": "yes"}, ("moderate", "ok", "ok"), RiskLevel.URGENT, "risk_red_flag"),
    # One severe domain: high. b: sad 3 + food bad 3 = 6/6.
    ({"b_sad": "3", "b_food": "bad"}, ("ok", "severe", "ok"), RiskLevel.HIGH, "risk_domains"),
    # b exactly at 60%: 1 + 3 = 4/6 = 66%; 2 + 2 = 4/6; 3 + 0 = 3/6 = 50% moderate.
    ({"b_sad": "2", "b_food": "poor"}, ("ok", "severe", "ok"), RiskLevel.HIGH, "risk_domains"),
    ({"b_sad": "3"}, ("ok", "moderate", "ok"), RiskLevel.LOW, "risk_default"),
    # c alone moderate (3/3 = 100%: severe): high.
    ({"c_cold": "yes"}, ("ok", "ok", "severe"), RiskLevel.HIGH, "risk_domains"),
    # Two moderate domains: medium. a: hazard 1 -> 2/9 = 22% (a's moderate is 20%).
    (
        {"a_hazard": "1", "b_sad": "2"},
        ("moderate", "moderate", "ok"),
        RiskLevel.MEDIUM,
        "risk_domains",
    ),
    # One moderate domain outside the listed ones: low. b: 2/6 = 33%.
    ({"b_sad": "2"}, ("ok", "moderate", "ok"), RiskLevel.LOW, "risk_default"),
    # One moderate domain among the listed ones (a): medium.
    ({"a_hazard": "1"}, ("moderate", "ok", "ok"), RiskLevel.MEDIUM, "risk_domains"),
    # a just under its moderate threshold: 0/9 -> ok. (1 point is impossible: weight 2.)
    ({"a_hazard": "0"}, ("ok", "ok", "ok"), RiskLevel.LOW, "risk_default"),
    # a at 50% (severe threshold): hazard 3 -> 6/9 = 66%; hazard 2 -> 4/9 = 44% moderate.
    ({"a_hazard": "3"}, ("severe", "ok", "ok"), RiskLevel.HIGH, "risk_domains"),
    ({"a_hazard": "2"}, ("moderate", "ok", "ok"), RiskLevel.MEDIUM, "risk_domains"),
    # The highest level wins: a red flag with a severe domain is urgent.
    (
        {"a_alone": "yes", "c_cold": "yes"},
        ("moderate", "ok", "severe"),
        RiskLevel.URGENT,
        "risk_red_flag",
    ),
]


@pytest.mark.parametrize(("changes", "levels", "risk", "first"), RISK_TABLE)
def test_risk_rules(
    changes: dict[str, str], levels: tuple[str, str, str], risk: RiskLevel, first: str
) -> None:
    scored = _scored(**changes)
    assert tuple(scored.domain_levels[c] for c in ("a", "b", "c")) == levels
    assert scored.risk_level == risk
    assert scored.reasons[0].code == first
    assert scored.reasons[0].params["level"] == risk


def test_an_urgent_risk_names_every_red_flag_answer() -> None:
    raw = copy.deepcopy(RAW)
    raw["domains"][2]["questions"][0]["options"][0]["red_flag"] = True
    instrument = instrument_from_json(raw)
    scored = score(instrument, {**CALM, "a_alone": "yes", "c_cold": "yes"})
    assert [r.to_json() for r in scored.reasons] == [
        {"code": "risk_red_flag", "params": {"count": 2, "level": "urgent"}},
        {
            "code": "red_flag_answer",
            "params": {"answer": "yes", "domain": "a", "question": "a_alone"},
        },
        {
            "code": "red_flag_answer",
            "params": {"answer": "yes", "domain": "c", "question": "c_cold"},
        },
    ]


def test_a_domain_risk_names_the_domains_and_the_answers_that_scored() -> None:
    scored = _scored(a_hazard="1", b_sad="1", b_food="poor")
    assert scored.risk_level == RiskLevel.MEDIUM
    codes = [(r.code, r.params.get("domain"), r.params.get("question")) for r in scored.reasons]
    assert codes == [
        ("risk_domains", None, None),
        ("domain_level", "a", None),
        ("answer_scored", "a", "a_hazard"),
        ("domain_level", "b", None),
        ("answer_scored", "b", "b_food"),  # 2 points before 1
        ("answer_scored", "b", "b_sad"),
    ]
    assert scored.reasons[0].params == {
        "level": "medium",
        "min_level": "moderate",
        "min_count": 2,
        "count": 2,
        "domains": [],
    }
    assert scored.reasons[1].params == {
        "domain": "a",
        "level": "moderate",
        "points": 2,
        "max": 9,
        "percent": 22,
        "threshold": 20,
    }


def test_a_rule_restricted_to_domains_names_them() -> None:
    raw = copy.deepcopy(RAW)
    raw["risk"]["rules"] = [{"min_level": "moderate", "domains": ["a"], "level": "medium"}]
    scored = score(instrument_from_json(raw), {**CALM, "a_hazard": "1"})
    assert scored.reasons[0].params["domains"] == ["a"]


def test_the_default_level_comes_from_the_instrument() -> None:
    raw = copy.deepcopy(RAW)
    raw["risk"]["default"] = "medium"
    scored = score(instrument_from_json(raw), CALM)
    assert scored.risk_level == RiskLevel.MEDIUM
    assert [r.code for r in scored.reasons] == ["risk_default"]


def test_scored_to_json_is_what_is_stored() -> None:
    stored = domain.scored_to_json(_scored(a_alone="yes"))
    assert stored["risk_level"] == "urgent"
    assert stored["domain_scores"]["a"] == {"points": 3, "max": 9, "percent": 33}
    assert stored["domain_levels"] == {"a": "moderate", "b": "ok", "c": "ok"}
    assert json.loads(json.dumps(stored)) == stored


# --- The shipped instrument -----------------------------------------------------------

SHIPPED = [json.loads(p.read_text(encoding="utf-8")) for p in instrument_files()]
NEEDS_DOMAINS = [
    "safety",
    "guardianship",
    "physical_health",
    "education",
    "psychological",
    "family_contact",
    "material",
]


def test_every_shipped_file_is_a_valid_instrument_named_after_its_version() -> None:
    assert SHIPPED
    for path, raw in zip(instrument_files(), SHIPPED, strict=True):
        instrument = instrument_from_json(raw)
        assert path.name == f"{instrument.code}-{instrument.version}.json"
    assert (INSTRUMENTS_DIR / "needs-2026.1.json").exists()


def test_the_needs_instrument_covers_the_seven_domains_in_a_phone_sized_form() -> None:
    needs = instrument_from_json(json.loads((INSTRUMENTS_DIR / "needs-2026.1.json").read_text()))
    assert [d.code for d in needs.domains] == NEEDS_DOMAINS
    for d in needs.domains:
        assert 3 <= len(d.questions) <= 5, d.code
        for q in d.questions:
            assert q.label.zh and q.label.en
            assert all(o.label.zh and o.label.en for o in q.options)
    assert "not law" in needs.about.en  # type: ignore[union-attr]
    assert "不是法律规定" in needs.about.zh  # type: ignore[union-attr]


NEEDS = instrument_from_json(json.loads((INSTRUMENTS_DIR / "needs-2026.1.json").read_text()))
NEEDS_CALM = {q.id: min(q.options, key=lambda o: o.score).value for _d, q in NEEDS.questions()}


@pytest.mark.parametrize(
    ("changes", "risk"),
    [
        ({}, RiskLevel.LOW),
        ({"safety_lives_alone": "yes"}, RiskLevel.URGENT),
        ({"safety_adult_at_night": "no"}, RiskLevel.URGENT),
        ({"safety_injury_signs": "yes"}, RiskLevel.URGENT),
        ({"guardianship_neglect": "yes"}, RiskLevel.URGENT),
        ({"psych_self_harm": "yes"}, RiskLevel.URGENT),
        ({"education_attendance": "3"}, RiskLevel.HIGH),  # stopped going to school
        ({"material_food": "3"}, RiskLevel.HIGH),  # often goes hungry
        ({"health_illness": "3"}, RiskLevel.HIGH),  # serious, untreated
        ({"safety_home_hazards": "2"}, RiskLevel.MEDIUM),
        ({"psych_withdrawn": "2", "psych_sad": "2"}, RiskLevel.MEDIUM),
        ({"contact_this_week": "no", "contact_video_calls": "rarely"}, RiskLevel.LOW),
        (
            {"contact_this_week": "no", "contact_video_calls": "rarely", "material_food": "2"},
            RiskLevel.MEDIUM,
        ),
        ({"guardianship_caregiver_age": "age_80_plus"}, RiskLevel.LOW),
    ],
)
def test_the_needs_instrument_in_situations_from_the_field(
    changes: dict[str, str], risk: RiskLevel
) -> None:
    assert score(NEEDS, {**NEEDS_CALM, **changes}).risk_level == risk
