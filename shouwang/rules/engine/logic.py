"""Three-valued logic with reasons: how "not known" stays "not known".

A ``Finding`` is True, False or None (cannot tell), with the reasons that decide it and,
when None, the facts that would decide it. ``all_of`` and ``any_of`` are Kleene's AND and OR:
a known False makes ``all_of`` False whatever else is unknown (so a child aged 16 is
definitely not a left-behind child even when her parents' situation is not recorded), and a
known True makes ``any_of`` True. Only when the unknown facts could change the answer is the
result None, and then ``missing`` lists exactly those facts.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from shouwang.rules.engine.outcome import CANNOT_DETERMINE, NO, YES, Reason


@dataclass(frozen=True)
class Finding:
    value: bool | None
    reasons: tuple[Reason, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        if self.value is None:
            return CANNOT_DETERMINE
        return YES if self.value else NO


def true(*reasons: Reason) -> Finding:
    return Finding(True, reasons)


def false(*reasons: Reason) -> Finding:
    return Finding(False, reasons)


def unknown(*missing: str, reasons: tuple[Reason, ...] = ()) -> Finding:
    return Finding(None, reasons, missing)


T = TypeVar("T")


def _unique(items: Iterable[T]) -> tuple[T, ...]:
    seen: list[T] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return tuple(seen)


def _reasons(findings: Iterable[Finding]) -> tuple[Reason, ...]:
    return _unique(reason for finding in findings for reason in finding.reasons)


def _missing(findings: Iterable[Finding]) -> tuple[str, ...]:
    return _unique(path for finding in findings for path in finding.missing)


def all_of(*findings: Finding) -> Finding:
    """True if all are True; False as soon as one is False (its reasons say why); else None."""
    for finding in findings:
        if finding.value is False:
            return Finding(False, finding.reasons)
    unknowns = [f for f in findings if f.value is None]
    if unknowns:
        return Finding(None, _reasons(findings), _missing(unknowns))
    return Finding(True, _reasons(findings))


def any_of(*findings: Finding) -> Finding:
    """True if one is True (the True ones' reasons); False if all are False; else None."""
    trues = [f for f in findings if f.value is True]
    if trues:
        return Finding(True, _reasons(trues))
    unknowns = [f for f in findings if f.value is None]
    if unknowns:
        return Finding(None, _reasons(findings), _missing(unknowns))
    return Finding(False, _reasons(findings))
