"""Rural left-behind child (国发〔2016〕13号): every branch, the 16th birthday, unknown facts."""

import datetime as dt
from typing import Any

import pytest

from shouwang.rules.engine import NATIONAL, ParentFacts, overlay_from_json, rules_in_force
from shouwang.rules.tests import birth_for, codes, parent, run, situation

CAPABLE_AT_HOME = parent("at_home")


def _option(jurisdiction: str = "51", *, value: bool = True) -> Any:
    return overlay_from_json(
        {
            "parameters": [
                {
                    "key": "left_behind.count_dead_or_divorced_as_incapable",
                    "value": value,
                    "effective_from": "2018-01-01",
                    "jurisdiction": jurisdiction,
                    "citation": {"title": "测试省实施意见", "issuer": "测试省", "grade": "R"},
                }
            ]
        }
    )


@pytest.mark.parametrize(
    ("facts", "status", "reason", "missing"),
    [
        pytest.param({}, "yes", "parent_working_away", [], id="both-away"),
        pytest.param(
            {
                "mother": parent(
                    "at_home", lacks_guardianship_capacity=True, incapacity_reason="severe_illness"
                )
            },
            "yes",
            "parent_lacks_capacity",
            [],
            id="father-away-mother-seriously-ill",
        ),
        pytest.param(
            {
                "father": parent(
                    "at_home",
                    lacks_guardianship_capacity=True,
                    incapacity_reason="severe_disability",
                )
            },
            "yes",
            "parent_lacks_capacity",
            [],
            id="mother-away-father-severely-disabled",
        ),
        pytest.param(
            {"mother": parent("at_home", lacks_guardianship_capacity=True)},
            "yes",
            "parent_lacks_capacity",
            [],
            id="incapable-reason-not-given",
        ),
        pytest.param(
            {"mother": CAPABLE_AT_HOME}, "no", "parent_has_capacity", [], id="other-capable"
        ),
        pytest.param(
            {"father": CAPABLE_AT_HOME, "mother": CAPABLE_AT_HOME},
            "no",
            "parent_not_working_away",
            [],
            id="both-at-home",
        ),
        pytest.param(
            {"mother": parent("at_home", lacks_guardianship_capacity=None)},
            "cannot_determine",
            None,
            ["mother.lacks_guardianship_capacity"],
            id="other-at-home-capacity-unknown",
        ),
        pytest.param(
            {"mother": parent("other_absent", lacks_guardianship_capacity=None)},
            "cannot_determine",
            None,
            ["mother.lacks_guardianship_capacity"],
            id="other-away-for-another-reason-capacity-unknown",
        ),
        pytest.param(
            {"father": None},
            "cannot_determine",
            None,
            ["father.situation"],
            id="father-not-recorded",
        ),
        pytest.param(
            {"father": parent("unknown")},
            "cannot_determine",
            None,
            ["father.situation"],
            id="father-recorded-unknown",
        ),
        pytest.param(
            {"father": ParentFacts(situation=None), "mother": ParentFacts(situation=None)},
            "cannot_determine",
            None,
            ["father.situation", "mother.situation"],
            id="both-unknown",
        ),
        pytest.param(
            {"birth_date": None, "hukou_type": None, "mother": None},
            "cannot_determine",
            None,
            ["birth_date", "hukou_type", "mother.situation"],
            id="everything-unknown-listed-in-order",
        ),
        pytest.param(
            {"birth_date": birth_for(16, "on"), "father": None, "mother": None},
            "no",
            "age_not_under",
            [],
            id="aged-16-is-a-definite-no-even-with-parents-unknown",
        ),
        pytest.param(
            {"hukou_type": "urban", "father": None},
            "no",
            "hukou_not_rural",
            [],
            id="urban-hukou-is-a-definite-no",
        ),
        pytest.param({"hukou_type": "none"}, "no", "hukou_not_rural", [], id="no-hukou-registered"),
        pytest.param(
            {"mother": parent("at_home", lacks_guardianship_capacity=None), "father": None},
            "cannot_determine",
            None,
            ["father.situation", "mother.lacks_guardianship_capacity"],
            id="one-unknown-one-at-home",
        ),
    ],
)
def test_left_behind(
    facts: dict[str, Any], status: str, reason: str | None, missing: list[str]
) -> None:
    outcome = run("left_behind", situation(**facts))

    assert outcome.status == status
    assert list(outcome.missing) == missing
    if reason:
        assert reason in codes(outcome)


@pytest.mark.parametrize(
    ("when", "status"), [("day_before", "yes"), ("on", "no"), ("day_after", "no")]
)
def test_the_16th_birthday(when: str, status: str) -> None:
    outcome = run("left_behind", situation(birth_date=birth_for(16, when)))

    assert outcome.status == status
    age = 15 if when == "day_before" else 16
    assert outcome.reasons[0].params == {"age": age, "limit": 16}


@pytest.mark.parametrize("absent", ["deceased", "missing", "divorced_absent"])
def test_a_dead_missing_or_divorced_parent_counts_only_with_the_provincial_option(
    absent: str,
) -> None:
    child = situation(mother=parent(absent, lacks_guardianship_capacity=None), province_code="51")

    national = run("left_behind", child)
    provincial = run("left_behind", child, _option("51"))
    elsewhere = run("left_behind", situation(mother=parent(absent), province_code="52"), _option())

    assert national.status == "no"
    assert "parent_absent_not_counted" in codes(national)
    assert provincial.status == "yes"
    assert "parent_absent_counts_as_incapable" in codes(provincial)
    assert elsewhere.status == "no"


def test_a_declared_death_counts_as_deceased_for_the_option() -> None:
    child = situation(mother=parent(None, declared_dead=True), province_code="51")

    assert run("left_behind", child, _option("51")).status == "yes"
    assert run("left_behind", child).status == "no"


def test_the_option_is_recorded_with_its_jurisdiction_and_citation() -> None:
    child = situation(mother=parent("deceased"), province_code="51")

    outcome = run("left_behind", child, _option("51"))

    used = {p.key: p for p in outcome.parameters}
    option = used["left_behind.count_dead_or_divorced_as_incapable"]
    assert option.value is True
    assert option.jurisdiction == "51"
    assert "测试省实施意见" in [c.title for c in outcome.citations]


def test_the_option_is_off_nationally_and_labelled_not_national() -> None:
    (record,) = NATIONAL.records("left_behind.count_dead_or_divorced_as_incapable")

    assert record.value is False
    assert "Not national" in record.note


def test_the_rule_is_in_force_from_the_publication_of_13hao() -> None:
    assert "left_behind" not in [r.rule_id for r in rules_in_force(dt.date(2016, 2, 13))]
    assert "left_behind" in [r.rule_id for r in rules_in_force(dt.date(2016, 2, 14))]


def test_yes_lists_age_hukou_and_both_parents() -> None:
    outcome = run("left_behind", situation())

    assert codes(outcome) == [
        "age_under",
        "hukou_rural",
        "parent_working_away",
        "parent_working_away",
    ]
    assert [r.params.get("parent") for r in outcome.reasons[2:]] == ["father", "mother"]
    assert outcome.version == "2016.1"
    assert outcome.citations[0].number == "国发〔2016〕13号"
