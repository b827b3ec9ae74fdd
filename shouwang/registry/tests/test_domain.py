"""Registration rules, without a database."""

import dataclasses
import datetime as dt

from shouwang.registry.domain import care_category, check_registration
from shouwang.testing.payloads import registration

TODAY = dt.date(2026, 11, 29)


def test_a_complete_registration_passes() -> None:
    assert check_registration(registration(), today=TODAY).errors == {}


def test_it_rejects_a_birth_date_in_the_future() -> None:
    reg = registration(birth_date=dt.date(2027, 1, 1), id_number="")
    assert "child.birth_date" in check_registration(reg, today=TODAY).errors


def test_it_rejects_an_adult() -> None:
    reg = registration(birth_date=dt.date(2008, 11, 28), id_number="")
    assert "child.birth_date" in check_registration(reg, today=TODAY).errors


def test_it_rejects_an_invalid_id_number() -> None:
    reg = registration(id_number="410322201503081229")
    assert "child.id_number" in check_registration(reg, today=TODAY).errors


def test_a_parent_working_away_needs_a_place_and_a_date() -> None:
    reg = registration()
    reg.father = dataclasses.replace(reg.father, work_place="", away_since=None)
    errors = check_registration(reg, today=TODAY).errors
    assert {"father.work_place", "father.away_since"} <= errors.keys()


def test_a_parent_away_cannot_be_the_day_to_day_caregiver() -> None:
    reg = registration()
    reg.caregiver = dataclasses.replace(reg.caregiver, relation="mother")
    assert "caregiver.relation" in check_registration(reg, today=TODAY).errors


def test_it_derives_the_care_category() -> None:
    reg = registration()
    assert care_category(reg) == "grandparents"
    reg.caregiver = dataclasses.replace(reg.caregiver, relation="other_relative")
    assert care_category(reg) == "other_relative_or_friend"
    reg.caregiver = dataclasses.replace(reg.caregiver, relation="none")
    assert care_category(reg) == "no_guardian"
    reg.mother = dataclasses.replace(
        reg.mother,
        situation="at_home",
        lacks_guardianship_capacity=True,
        incapacity_reason="severe_illness",
    )
    reg.caregiver = dataclasses.replace(reg.caregiver, relation="mother")
    assert care_category(reg) == "parent_at_home_incapable"


def test_a_caregiver_birth_year_must_be_plausible() -> None:
    reg = registration()
    reg.caregiver = dataclasses.replace(reg.caregiver, birth_year=1850)
    assert "caregiver.birth_year" in check_registration(reg, today=TODAY).errors
