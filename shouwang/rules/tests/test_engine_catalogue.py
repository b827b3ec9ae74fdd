"""The catalogue as a whole: metadata, rules in force by date, every outcome explained and
renderable in both languages, the JSON form, and no ORM anywhere in the engine."""

import ast
import dataclasses
import datetime as dt
import itertools
import json
import re
from pathlib import Path

import pytest
from django.utils import translation

from shouwang.rules.engine import (
    CATALOGUE,
    NATIONAL,
    CaregiverFacts,
    ChildSituation,
    Outcome,
    ParentFacts,
    evaluate_all,
    evaluation_to_json,
    get_rule,
    outcome_to_json,
    rules_in_force,
)
from shouwang.rules.engine.citations import GRADES, weakest_grade
from shouwang.rules.engine.messages import MESSAGES, fact_label, render, render_alert
from shouwang.rules.tests import birth_for, carer, days_before, parent, situation

ENGINE = Path(__file__).resolve().parent.parent / "engine"
RULE_IDS = [
    "left_behind",
    "care_arrangement",
    "in_difficulty",
    "fuc_prescreen",
    "entrusted_caregiver",
    "weekly_contact",
    "unattended_young_child",
]


def _corpus() -> list[ChildSituation]:
    """Many situations crossing the main variations, to check properties of every outcome."""
    parents = [
        parent(),
        parent("at_home"),
        parent(last_contact_with_child_on=days_before(9)),
        parent("at_home", lacks_guardianship_capacity=None, incapacity_reason="severe_illness"),
        parent("deceased"),
        parent("missing", declared_missing=None, lost_contact_police_accepted_on=days_before(179)),
        parent("other_absent", restriction="imprisoned", restriction_term_months=24),
        parent("at_home", disability_grade=3, disability_type=None, guardianship_revoked=True),
        parent(None, deported=True, last_contact_with_child_on=None),
        None,
    ]
    carers = [
        carer(),
        carer("none"),
        carer("father"),
        carer(age=16, self_supporting=None, disqualifiers=("addiction",), notice_to_school_on=None),
        carer(age=None, has_care_capacity=None, disqualifiers_checked=False),
        None,
    ]
    children = [
        {},
        {
            "birth_date": birth_for(8, "day_before"),
            "left_unattended": True,
            "lives_alone": True,
            "household_dibao": True,
        },
        {"birth_date": None, "hukou_type": None, "care_category": None, "health_status": None},
        {"birth_date": birth_for(18, "on"), "household_dibao": True, "safety_concerns": ("abuse",)},
    ]
    return [
        situation(father=f, mother=m, caregiver=c, **k)
        for f, m, c, k in itertools.product(parents, parents[:6], carers, children)
    ]


CORPUS = _corpus()
OUTCOMES: list[Outcome] = [o for child in CORPUS for o in evaluate_all(child).outcomes]


def test_the_catalogue() -> None:
    assert [rule.rule_id for rule in CATALOGUE] == RULE_IDS
    for rule in CATALOGUE:
        spec = rule.spec
        assert re.fullmatch(r"\d{4}\.\d+", spec.version)
        assert spec.citations
        assert spec.grade in GRADES
        assert spec.grade == weakest_grade(spec.citations)
        assert spec.jurisdiction == "national"
        assert spec.effective_to is None
        assert str(spec.title)
        for key in spec.parameter_keys:
            assert NATIONAL.records(key), key
    assert get_rule("fuc_prescreen").spec.grade == "V2"
    assert get_rule("weekly_contact").spec.grade == "V1"


def test_every_national_parameter_is_read_by_a_rule_or_is_a_procedure_deadline() -> None:
    declared = {key for rule in CATALOGUE for key in rule.spec.parameter_keys}
    unread = set(NATIONAL.keys()) - declared

    assert unread == {"fuc.township_working_days", "fuc.county_working_days"}


def test_an_unknown_rule_id() -> None:
    with pytest.raises(KeyError):
        get_rule("nope")


@pytest.mark.parametrize(
    ("asof", "rule_ids"),
    [
        (dt.date(2016, 2, 13), []),
        (dt.date(2016, 2, 14), RULE_IDS[:2]),
        (dt.date(2016, 6, 16), RULE_IDS[:3]),
        (dt.date(2020, 1, 1), RULE_IDS[:4]),
        (dt.date(2021, 5, 31), RULE_IDS[:4]),
        (dt.date(2021, 6, 1), RULE_IDS),
    ],
)
def test_rules_in_force_by_date(asof: dt.date, rule_ids: list[str]) -> None:
    assert [rule.rule_id for rule in rules_in_force(asof)] == rule_ids
    child = situation(asof=asof, birth_date=dt.date(2012, 1, 1))
    assert [o.rule_id for o in evaluate_all(child).outcomes] == rule_ids


def test_every_yes_or_no_carries_a_reason_and_every_cannot_determine_a_missing_fact() -> None:
    assert len(OUTCOMES) > 5000
    for outcome in OUTCOMES:
        assert outcome.citations
        assert outcome.version
        assert outcome.reasons, outcome
        if outcome.status == "cannot_determine":
            assert outcome.missing, outcome
        else:
            assert outcome.missing == (), outcome


def test_every_status_occurs_for_every_rule() -> None:
    seen = {(o.rule_id, o.status) for o in OUTCOMES}
    for rule_id in RULE_IDS:
        expected = {"yes", "no", "cannot_determine"}
        if rule_id == "care_arrangement":
            expected = {"yes", "cannot_determine"}
        if rule_id in {"entrusted_caregiver", "weekly_contact"}:
            expected |= {"not_applicable"}
        assert {s for r, s in seen if r == rule_id} == expected, rule_id


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_reason_and_alert_renders(language: str) -> None:
    with translation.override(language):
        for outcome in OUTCOMES:
            for reason in outcome.reasons:
                assert render(reason)
            for alert in outcome.alerts:
                assert render_alert(alert)
                for reason in alert.reasons:
                    assert render(reason)
            for label in outcome.labels:
                for reason in label.reasons:
                    assert render(reason)
            json.dumps(outcome_to_json(outcome))


def test_english_messages_fill_every_placeholder() -> None:
    with translation.override("en"):
        messages = {render(r) for o in OUTCOMES for r in o.reasons}
    assert not [m for m in messages if "%(" in m]
    assert "The father is working away." in messages


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def _emitted_codes() -> set[str]:
    """Every first argument of Reason(...) / Alert(...) written as a literal in the engine."""
    found: set[str] = set()
    for path in ENGINE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"Reason", "Alert"}
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_every_code_written_in_a_rule_has_a_message() -> None:
    assert _emitted_codes() - set(MESSAGES) == set()


def test_every_message_is_for_a_code_some_rule_emits() -> None:
    sources = [p for p in ENGINE.rglob("*.py") if p.name != "messages.py"]
    constants = set().union(*(_string_constants(p) for p in sources))
    assert set(MESSAGES) - constants == set()


def test_the_engine_imports_no_orm() -> None:
    allowed = {"django.utils.translation", "django.utils.functional"}
    for path in ENGINE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                if name.startswith("django"):
                    assert name in allowed, f"{path.name} imports {name}"
                if name.startswith("shouwang."):
                    assert name.startswith(("shouwang.rules.engine", "shouwang.lib.")), name
                assert "models" not in name.split("."), f"{path.name} imports {name}"


def _fact_paths() -> list[str]:
    paths = [f.name for f in dataclasses.fields(ChildSituation)]
    paths = [p for p in paths if p not in {"father", "mother", "caregiver"}]
    for who in ("father", "mother"):
        paths += [f"{who}.{f.name}" for f in dataclasses.fields(ParentFacts)]
    paths += [f"caregiver.{f.name}" for f in dataclasses.fields(CaregiverFacts)]
    return paths


@pytest.mark.parametrize("path", _fact_paths())
def test_every_fact_has_a_label(path: str) -> None:
    with translation.override("en"):
        label = fact_label(path)

    assert label != path
    assert "%(" not in label


def test_missing_facts_read_as_words() -> None:
    with translation.override("en"):
        assert fact_label("mother.situation") == "the mother's situation"


def test_the_evaluation_json_has_a_stable_shape() -> None:
    evaluation = evaluate_all(situation(county_code="411521"))

    with translation.override("en"):
        data = evaluation_to_json(evaluation)

    assert list(data) == ["engine_version", "asof", "province_code", "county_code", "outcomes"]
    assert data["county_code"] == "411521"
    left_behind = data["outcomes"][0]
    assert list(left_behind) == [
        "rule_id",
        "version",
        "status",
        "value",
        "reasons",
        "missing",
        "missing_labels",
        "alerts",
        "citations",
        "parameters",
        "evaluated_asof",
    ]
    assert left_behind["reasons"][0] == {
        "code": "age_under",
        "params": {"age": 10, "limit": 16},
        "message": "The child's age is 10, under 16.",
    }
    assert "labels" in data["outcomes"][2]


def test_without_messages_the_json_is_language_independent() -> None:
    evaluation = evaluate_all(situation(care_category="no_guardian"))

    with translation.override("en"):
        english = evaluation_to_json(evaluation, messages=False)
    with translation.override("zh-hans"):
        chinese = evaluation_to_json(evaluation, messages=False)

    assert english == chinese
    assert "message" not in json.dumps(english)


def test_evaluation_alerts_come_red_first() -> None:
    child = situation(
        care_category="no_guardian",
        father=parent(last_contact_with_child_on=None),
    )

    alerts = evaluate_all(child).alerts

    assert alerts[0][1].level == "red"
    assert {rule for rule, _a in alerts} == {"care_arrangement", "weekly_contact"}
    assert alerts[0][1].mandatory_report


def test_the_outcome_lists_the_parameters_it_read() -> None:
    outcome = evaluate_all(situation()).outcome("fuc_prescreen")

    keys = [p.key for p in outcome.parameters]
    assert "fuc.lost_contact_min_days" in keys
    assert "fuc.extend_while_in_education" not in keys  # only read for a child of 18 or over


def test_an_outcome_for_a_rule_not_in_force_is_a_key_error() -> None:
    evaluation = evaluate_all(situation(asof=dt.date(2019, 1, 1)))

    with pytest.raises(KeyError):
        evaluation.outcome("fuc_prescreen")


def test_the_engine_is_pure() -> None:
    child = situation()

    assert evaluate_all(child) == evaluate_all(child)
