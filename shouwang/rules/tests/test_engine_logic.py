"""Kleene three-valued logic: a known answer never waits for an unknown fact."""

import pytest

from shouwang.rules.engine.logic import Finding, all_of, any_of, false, true, unknown
from shouwang.rules.engine.outcome import Reason

T = true(Reason("t"))
F = false(Reason("f"))
U = unknown("u")
U2 = unknown("u2")


@pytest.mark.parametrize(
    ("findings", "value", "missing"),
    [
        ((T, T), True, ()),
        ((T, F), False, ()),
        ((F, U), False, ()),
        ((U, F), False, ()),
        ((T, U), None, ("u",)),
        ((U, U2, U), None, ("u", "u2")),
        ((), True, ()),
    ],
)
def test_all_of(findings: tuple[Finding, ...], value: bool | None, missing: tuple) -> None:
    result = all_of(*findings)

    assert (result.value, result.missing) == (value, missing)


@pytest.mark.parametrize(
    ("findings", "value", "missing"),
    [
        ((F, F), False, ()),
        ((F, T), True, ()),
        ((U, T), True, ()),
        ((F, U), None, ("u",)),
        ((U, U2), None, ("u", "u2")),
        ((), False, ()),
    ],
)
def test_any_of(findings: tuple[Finding, ...], value: bool | None, missing: tuple) -> None:
    result = any_of(*findings)

    assert (result.value, result.missing) == (value, missing)


def test_reasons_explain_the_answer() -> None:
    first_false = false(Reason("first"))

    assert all_of(T, first_false, F).reasons == (Reason("first"),)
    assert any_of(F, false(Reason("g"))).reasons == (Reason("f"), Reason("g"))
    assert any_of(F, T).reasons == (Reason("t"),)
    assert all_of(T, true(Reason("t"))).reasons == (Reason("t"),)


def test_status() -> None:
    assert [T.status, F.status, U.status] == ["yes", "no", "cannot_determine"]
