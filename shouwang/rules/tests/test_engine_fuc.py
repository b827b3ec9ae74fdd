"""De facto unsupported child pre-screening (民发〔2019〕62号, 民发〔2020〕125号): every branch,
situation and boundary."""

import datetime as dt
from typing import Any

import pytest

from shouwang.rules.engine import ParameterSet, overlay_from_json, rules_in_force
from shouwang.rules.engine.rules.fuc_prescreen import add_months
from shouwang.rules.engine.situation import DISABILITY_TYPES, RESTRICTIONS
from shouwang.rules.tests import ASOF, birth_for, codes, days_before, parent, run, situation

# A second parent who qualifies on her own in every branch: 2 years of prison, not ended.
IMPRISONED = parent("other_absent", restriction="imprisoned", restriction_term_months=24)
DEAD = parent("deceased")
AT_HOME = parent("at_home")


def fuc(params: ParameterSet | None = None, **facts: Any) -> Any:
    child = situation(**{"father": AT_HOME, "mother": IMPRISONED, **facts})
    return run("fuc_prescreen", child, *([params] if params else []))


def _overlay(key: str, value: Any, jurisdiction: str = "44") -> ParameterSet:
    return overlay_from_json(
        {
            "parameters": [
                {
                    "key": key,
                    "value": value,
                    "effective_from": "2020-01-01",
                    "jurisdiction": jurisdiction,
                    "citation": {"title": "测试", "issuer": "测试省", "grade": "V2"},
                }
            ]
        }
    )


def _severe(grade: int, kind: str) -> bool:
    return grade in (1, 2) or kind in ("mental", "intellectual")


@pytest.mark.parametrize("kind", DISABILITY_TYPES)
@pytest.mark.parametrize("grade", [1, 2, 3, 4])
def test_severe_disability_by_grade_and_type(grade: int, kind: str) -> None:
    father = parent("at_home", disability_grade=grade, disability_type=kind)

    outcome = fuc(father=father)

    expected = _severe(grade, kind)
    assert outcome.status == ("yes" if expected else "no")
    code = "fuc_severe_disability" if expected else "fuc_disability_not_severe"
    assert code in codes(outcome)
    reason = next(r for r in outcome.reasons if r.code == code)
    assert reason.params == {"parent": "father", "grade": grade, "disability_type": kind}


@pytest.mark.parametrize(
    ("father", "status", "missing"),
    [
        (parent("at_home", disability_grade=1), "yes", []),
        (parent("at_home", disability_grade=3), "cannot_determine", ["father.disability_type"]),
        (
            parent("at_home", incapacity_reason="severe_disability"),
            "cannot_determine",
            ["father.disability_grade"],
        ),
        (
            parent("at_home", disability_type="mental"),
            "cannot_determine",
            ["father.disability_grade"],
        ),
        (parent("at_home", serious_illness_listed=True), "yes", []),
        (parent("at_home", serious_illness_listed=False), "no", []),
        (
            parent("at_home", incapacity_reason="severe_illness"),
            "cannot_determine",
            ["father.serious_illness_listed"],
        ),
        (parent("at_home", guardianship_revoked=True), "yes", []),
        (AT_HOME, "no", []),
    ],
    ids=[
        "grade-1-type-unknown",
        "grade-3-type-unknown",
        "disability-claimed-no-certificate",
        "type-without-grade",
        "illness-listed",
        "illness-not-listed",
        "illness-claimed-list-unknown",
        "guardianship-revoked",
        "nothing",
    ],
)
def test_each_situation_needs_its_evidence(father: Any, status: str, missing: list[str]) -> None:
    outcome = fuc(father=father)

    assert outcome.status == status
    assert list(outcome.missing) == missing


@pytest.mark.parametrize(
    ("days", "status", "remaining"), [(179, "no", 1), (180, "yes", None), (181, "yes", None)]
)
def test_lost_contact_counts_from_police_acceptance_after_180_days(
    days: int, status: str, remaining: int | None
) -> None:
    father = parent("missing", lost_contact_police_accepted_on=days_before(days))

    outcome = fuc(father=father)

    assert outcome.status == status
    if remaining is not None:
        reason = next(r for r in outcome.reasons if r.code == "fuc_lost_contact_not_yet")
        assert reason.params == {
            "parent": "father",
            "days": days,
            "min_days": 180,
            "days_remaining": remaining,
        }
    else:
        assert "fuc_lost_contact" in codes(outcome)


def test_a_missing_parent_without_a_police_report_date_cannot_be_determined() -> None:
    outcome = fuc(father=parent("missing"))

    assert outcome.status == "cannot_determine"
    assert outcome.missing == ("father.lost_contact_police_accepted_on",)


@pytest.mark.parametrize("restriction", RESTRICTIONS)
@pytest.mark.parametrize(("months", "status"), [(5, "no"), (6, "yes"), (7, "yes")])
def test_a_restriction_of_liberty_needs_6_months(
    restriction: str, months: int, status: str
) -> None:
    father = parent("other_absent", restriction=restriction, restriction_term_months=months)

    outcome = fuc(father=father)

    assert outcome.status == status
    code = "fuc_restriction" if status == "yes" else "fuc_restriction_too_short"
    reason = next(r for r in outcome.reasons if r.code == code)
    assert reason.params == {
        "parent": "father",
        "restriction": restriction,
        "months": months,
        "min_months": 6,
    }


@pytest.mark.parametrize(
    ("started", "status"),
    [(dt.date(2025, 9, 1), "no"), (dt.date(2025, 9, 2), "yes")],
    ids=["ended-on-asof", "ends-tomorrow"],
)
def test_a_restriction_that_has_ended_no_longer_counts(started: dt.date, status: str) -> None:
    father = parent(
        "other_absent",
        restriction="compulsory_rehab",
        restriction_term_months=6,
        restriction_started_on=started,
    )

    outcome = fuc(father=father)

    assert outcome.status == status
    if status == "no":
        assert "fuc_restriction_ended" in codes(outcome)


@pytest.mark.parametrize(
    ("father", "missing"),
    [
        (parent("other_absent", restriction="imprisoned"), ["father.restriction_term_months"]),
        (parent("other_absent", restriction_term_months=12), ["father.restriction"]),
    ],
)
def test_a_restriction_needs_its_kind_and_term(father: Any, missing: list[str]) -> None:
    outcome = fuc(father=father)

    assert outcome.status == "cannot_determine"
    assert list(outcome.missing) == missing


@pytest.mark.parametrize(
    "mother",
    [
        parent("at_home", disability_grade=2, disability_type="physical"),
        parent("at_home", serious_illness_listed=True),
        IMPRISONED,
        parent("other_absent", restriction="compulsory_rehab", restriction_term_months=24),
        parent("other_absent", restriction="other_liberty_restriction", restriction_term_months=6),
        parent("missing", lost_contact_police_accepted_on=days_before(365)),
        parent("at_home", guardianship_revoked=True),
        parent("other_absent", deported=True),
    ],
    ids=[
        "disability",
        "illness",
        "prison",
        "rehab",
        "other-restriction",
        "lost-contact",
        "revoked",
        "deported",
    ],
)
@pytest.mark.parametrize(
    "father",
    [DEAD, parent(None, declared_dead=True), parent("missing", declared_missing=True)],
    ids=["dead", "declared-dead", "declared-missing"],
)
def test_branch_b_one_parent_dead_or_missing_and_the_other_in_s_prime(
    father: Any, mother: Any
) -> None:
    outcome = fuc(father=father, mother=mother)

    assert outcome.status == "yes"
    assert outcome.value == "one_parent_dead_or_missing"
    branch = next(r for r in outcome.reasons if r.code == "fuc_branch_one_parent")
    assert branch.params == {"parent": "father", "other_parent": "mother"}


def test_branch_b_works_either_way_round() -> None:
    outcome = fuc(father=IMPRISONED, mother=DEAD)

    assert outcome.value == "one_parent_dead_or_missing"


def test_branch_a_both_parents_in_s() -> None:
    father = parent("at_home", disability_grade=1, disability_type="visual")

    outcome = fuc(father=father)

    assert outcome.status == "yes"
    assert outcome.value == "both_parents"
    assert codes(outcome) == [
        "fuc_prescreen_only",
        "age_under",
        "fuc_branch_both_parents",
        "fuc_severe_disability",
        "fuc_restriction",
    ]


def test_a_missing_parent_not_declared_missing_is_not_branch_b() -> None:
    father = parent("missing", declared_missing=False, lost_contact_police_accepted_on=None)

    with_prison = fuc(father=father, mother=IMPRISONED)
    with_deportation = fuc(father=father, mother=parent("other_absent", deported=True))

    assert with_prison.status == "cannot_determine"
    assert with_prison.missing == ("father.lost_contact_police_accepted_on",)
    assert with_deportation.status == "no"
    assert "fuc_parent_missing_not_declared" in codes(with_deportation)


def test_whether_a_missing_parent_was_declared_missing_can_decide() -> None:
    father = parent("missing", declared_missing=None, lost_contact_police_accepted_on=None)
    mother = parent("other_absent", deported=True)

    outcome = fuc(father=father, mother=mother)

    assert outcome.status == "cannot_determine"
    assert outcome.missing == ("father.declared_missing",)


@pytest.mark.parametrize(("option", "status"), [(False, "no"), (True, "yes")])
def test_deportation_in_the_both_parents_branch_is_a_setting(option: bool, status: str) -> None:
    params = _overlay("fuc.deportation_counts_in_both_parents_branch", option, "44")
    child_facts = {"mother": parent("other_absent", deported=True), "province_code": "44"}

    outcome = fuc(params, father=IMPRISONED, **child_facts)

    assert outcome.status == status
    if not option:
        reason = next(
            r for r in outcome.reasons if r.code == "fuc_situation_only_one_parent_branch"
        )
        assert reason.params == {"parent": "mother", "fuc_situation": "deported"}


def test_deportation_defaults_to_the_one_parent_branch_only() -> None:
    assert fuc(father=IMPRISONED, mother=parent("other_absent", deported=True)).status == "no"


@pytest.mark.parametrize(
    ("asof", "status"),
    [(dt.date(2020, 12, 31), "no"), (dt.date(2021, 1, 1), "yes")],
)
def test_guardianship_revoked_counts_from_125hao(asof: dt.date, status: str) -> None:
    child = situation(
        asof=asof,
        birth_date=dt.date(2012, 5, 1),
        father=parent("at_home", guardianship_revoked=True),
        mother=IMPRISONED,
    )

    outcome = run("fuc_prescreen", child)

    assert outcome.status == status
    if status == "no":
        reason = next(r for r in outcome.reasons if r.code == "fuc_situation_not_in_force")
        assert reason.params == {"parent": "father", "fuc_situation": "guardianship_revoked"}


@pytest.mark.parametrize(
    ("asof", "status"),
    [(dt.date(2020, 12, 31), "no"), (dt.date(2021, 1, 1), "yes")],
)
def test_deportation_counts_in_branch_b_from_125hao(asof: dt.date, status: str) -> None:
    child = situation(
        asof=asof,
        birth_date=dt.date(2012, 5, 1),
        father=DEAD,
        mother=parent("other_absent", deported=True),
    )

    assert run("fuc_prescreen", child).status == status


def test_the_rule_is_in_force_from_2020() -> None:
    assert "fuc_prescreen" not in [r.rule_id for r in rules_in_force(dt.date(2019, 12, 31))]
    assert "fuc_prescreen" in [r.rule_id for r in rules_in_force(dt.date(2020, 1, 1))]


@pytest.mark.parametrize(
    ("when", "status"), [("day_before", "yes"), ("on", "no"), ("day_after", "no")]
)
def test_the_18th_birthday(when: str, status: str) -> None:
    assert fuc(father=DEAD, birth_date=birth_for(18, when)).status == status


@pytest.mark.parametrize(
    ("extension", "province", "education", "status", "missing"),
    [
        (False, "44", True, "no", []),
        (True, "44", True, "yes", []),
        (True, "44", False, "no", []),
        (True, "44", None, "cannot_determine", ["in_full_time_education"]),
        (True, "45", True, "no", []),
    ],
    ids=["option-off", "option-on", "not-in-education", "education-unknown", "other-province"],
)
def test_the_provincial_extension_while_in_full_time_education(
    extension: bool, province: str, education: bool | None, status: str, missing: list[str]
) -> None:
    params = _overlay("fuc.extend_while_in_education", extension, "44")

    outcome = fuc(
        params,
        father=DEAD,
        birth_date=birth_for(18, "on"),
        in_full_time_education=education,
        province_code=province,
    )

    assert outcome.status == status
    assert list(outcome.missing) == missing
    if status == "yes":
        assert "fuc_in_education_extension" in codes(outcome)


@pytest.mark.parametrize(
    ("facts", "status", "missing"),
    [
        (
            {"father": None, "mother": None},
            "cannot_determine",
            ["father.situation", "mother.situation"],
        ),
        ({"father": None}, "cannot_determine", ["father.situation"]),
        ({"father": None, "mother": parent("working_away")}, "no", []),
        ({"father": DEAD, "birth_date": None}, "cannot_determine", ["birth_date"]),
        ({"father": DEAD, "birth_date": None, "mother": AT_HOME}, "no", []),
    ],
    ids=[
        "both-unknown",
        "father-unknown-mother-qualifies",
        "father-unknown-mother-working-is-a-definite-no",
        "age-unknown",
        "age-unknown-but-no-branch-can-hold",
    ],
)
def test_unknown_facts(facts: dict[str, Any], status: str, missing: list[str]) -> None:
    outcome = fuc(**facts)

    assert outcome.status == status
    assert list(outcome.missing) == missing


def test_both_parents_dead_points_to_the_orphan_scheme() -> None:
    outcome = fuc(father=DEAD, mother=DEAD)

    assert outcome.status == "no"
    assert codes(outcome)[-1] == "fuc_orphan_scheme"


@pytest.mark.parametrize(
    "facts",
    [{"father": DEAD}, {"father": AT_HOME}, {"father": None}],
    ids=["yes", "no", "cannot-determine"],
)
def test_every_outcome_says_it_is_a_pre_screening(facts: dict[str, Any]) -> None:
    outcome = fuc(**facts)

    assert codes(outcome)[0] == "fuc_prescreen_only"
    assert [c.number for c in outcome.citations][:2] == ["民发〔2019〕62号", "民发〔2020〕125号"]


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),
        (dt.date(2025, 11, 15), 3, dt.date(2026, 2, 15)),
        (dt.date(2020, 3, 1), 72, dt.date(2026, 3, 1)),
    ],
)
def test_add_months(start: dt.date, months: int, end: dt.date) -> None:
    assert add_months(start, months) == end


def test_asof_is_the_reference_for_every_duration() -> None:
    father = parent("missing", lost_contact_police_accepted_on=days_before(200))
    earlier = situation(
        asof=ASOF - dt.timedelta(days=30),
        father=father,
        mother=IMPRISONED,
        birth_date=dt.date(2015, 1, 1),
    )

    assert run("fuc_prescreen", earlier).status == "no"
    assert fuc(father=father).status == "yes"
