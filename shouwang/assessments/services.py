"""Writes to assessments: record, approve, return; and loading instrument versions.

Each is atomic; checks the actor's capability on the record (``access.policies.require``);
validates before writing anything; writes the audit event in the same transaction. Bad input
raises ``ValidationFailed`` with translated messages keyed by question id (or
``assessed_on``, ``note``, ``risk_level``) and writes nothing.

The audit events never carry answers, scores or note text (sensitive: psychological and
family details): only which assessment, which instrument version and the risk level.
"""

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import require
from shouwang.accounts.models import User
from shouwang.assessments import domain, loading
from shouwang.assessments.messages import render_answer_error
from shouwang.assessments.models import Assessment, AuditAction, Instrument
from shouwang.audit.services import SystemActor, audit_record
from shouwang.core.errors import ValidationFailed
from shouwang.registry.models import Child

CASE_REASON = "assessment"


def _refuse(errors: Mapping[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors)


def _case_set_risk(*, actor: User, child: Child, assessment: Assessment, risk_level: str) -> bool:
    """Tell the child's case the new risk level, if the cases app offers it yet.

    ``shouwang.cases.services.case_set_risk`` is written in parallel (issue 4 part 2); until
    it exists this does nothing. Imported here, not at the top, so that the cases app may
    import this module without a cycle. Returns whether it was called.
    """
    from shouwang.cases import services as cases_services  # noqa: PLC0415

    case_set_risk = getattr(cases_services, "case_set_risk", None)
    if case_set_risk is None:
        return False
    case_set_risk(
        actor=actor, child=child, risk_level=risk_level, reason=CASE_REASON, source=assessment
    )
    return True


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    child: Child,
    instrument: Instrument,
    answers: Mapping[str, Any],
    assessed_on: dt.date | None,
) -> Assessment:
    """Score and save a needs assessment of ``child``; it then awaits the supervisor."""
    require(actor, Cap.ASSESS_CHILD, child)
    if not instrument.active:
        raise ValidationFailed(
            _("This version of the assessment is no longer in use. Please start again.")
        )
    parsed = instrument.parsed
    clean, answer_errors = domain.clean_answers(parsed, answers)
    errors: dict[str, list[str]] = {}
    for error in answer_errors:
        errors.setdefault(error.question, []).append(render_answer_error(error))
    if assessed_on is None:
        errors["assessed_on"] = [_("Please give the date of the assessment.")]
    elif assessed_on > timezone.localdate():
        errors["assessed_on"] = [_("This date cannot be in the future.")]
    elif child.birth_date and assessed_on < child.birth_date:
        errors["assessed_on"] = [_("This date is before the child's date of birth.")]
    _refuse(errors)
    assert assessed_on is not None  # noqa: S101  (refused above)

    scored = domain.score(parsed, clean)
    result = domain.scored_to_json(scored)
    assessment = Assessment.objects.create(
        child=child,
        instrument=instrument,
        answers=clean,
        domain_scores=result["domain_scores"],
        domain_levels=result["domain_levels"],
        risk_level=result["risk_level"],
        reasons=result["reasons"],
        assessed_by=actor,
        assessed_on=assessed_on,
    )
    audit_record(
        actor=actor,
        action=AuditAction.RECORDED,
        target=child,
        area=child.village,
        extra={
            "assessment": str(assessment.public_id),
            "instrument": parsed.key,
            "on": assessed_on.isoformat(),
            "risk_level": assessment.risk_level,
        },
    )
    _case_set_risk(
        actor=actor, child=child, assessment=assessment, risk_level=assessment.risk_level
    )
    return assessment


@transaction.atomic
def assessment_view(*, actor: User, assessment: Assessment) -> None:
    """Record that ``actor`` opened an assessment (PIPL Art. 28: reads are audited)."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEWED,
        target=assessment.child,
        area=assessment.child.village,
        extra={"assessment": str(assessment.public_id)},
    )


def _lock(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("child", "child__village")
        .get(pk=assessment.pk)
    )


def _check_open(locked: Assessment) -> None:
    if locked.status != Assessment.Status.SUBMITTED:
        raise ValidationFailed(
            _("This assessment has already been reviewed: %(status)s.")
            % {"status": locked.get_status_display()}
        )


def _sync(target: Assessment, source: Assessment, fields: list[str]) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


REVIEW_FIELDS = ["status", "reviewed_by", "reviewed_at", "review_note", "decided_risk_level"]


@transaction.atomic
def assessment_approve(
    *, actor: User, assessment: Assessment, note: str = "", risk_level: str = ""
) -> Assessment:
    """The supervisor approves the assessment: the human decision on the risk level.

    ``risk_level`` empty (or the suggested level) keeps the suggestion; another level
    overrides it and needs a note saying why. The case is told the decided level when it
    differs from the suggestion (the suggestion was given when the assessment was recorded).
    """
    require(actor, Cap.APPROVE_PLAN, assessment)
    locked = _lock(assessment)
    _check_open(locked)
    note = note.strip()
    decided = risk_level or locked.risk_level
    errors: dict[str, list[str]] = {}
    if decided not in Assessment.RiskLevel.values:
        errors["risk_level"] = [_("Please choose one of the risk levels offered.")]
    elif decided != locked.risk_level and not note:
        errors["note"] = [_("Say why you decide a different risk level from the suggestion.")]
    _refuse(errors)
    locked.status = Assessment.Status.APPROVED
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.review_note = note
    locked.decided_risk_level = decided
    locked.save(update_fields=[*REVIEW_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.APPROVED,
        target=locked.child,
        area=locked.child.village,
        extra={
            "assessment": str(locked.public_id),
            "suggested": locked.risk_level,
            "decided": decided,
            "note_given": bool(note),
        },
    )
    if decided != locked.risk_level:
        _case_set_risk(actor=actor, child=locked.child, assessment=locked, risk_level=decided)
    _sync(assessment, locked, REVIEW_FIELDS)
    return locked


@transaction.atomic
def assessment_return(*, actor: User, assessment: Assessment, note: str) -> Assessment:
    """The supervisor returns the assessment, saying what to check or redo (note required).

    A returned assessment stays as recorded (it is history); the child director records a
    new one.
    """
    require(actor, Cap.APPROVE_PLAN, assessment)
    locked = _lock(assessment)
    _check_open(locked)
    note = note.strip()
    if not note:
        _refuse({"note": [_("Say what should be checked or done again.")]})
    locked.status = Assessment.Status.RETURNED
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.review_note = note
    locked.save(update_fields=[*REVIEW_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.RETURNED,
        target=locked.child,
        area=locked.child.village,
        extra={"assessment": str(locked.public_id), "note_given": True},
    )
    _sync(assessment, locked, REVIEW_FIELDS)
    return locked


# --- Instruments ----------------------------------------------------------------------


@transaction.atomic
def instrument_load_all(
    directory: Path | None = None, actor: SystemActor | User | None = None
) -> list[tuple[Instrument, bool]]:
    """Load every instrument file (all or nothing). ``InstrumentConflict`` for a changed
    version, ``InstrumentError`` / ``ValueError`` for a malformed file."""
    actor = actor or SystemActor("assessments load")
    results: list[tuple[Instrument, bool]] = []
    for path in loading.instrument_files(directory):
        raw, parsed = loading.read_definition(path)
        row, created = loading.load_definition(Instrument, raw, parsed)
        if created:
            audit_record(
                actor=actor,
                action=AuditAction.INSTRUMENT_LOADED,
                target=row,
                extra={"instrument": parsed.key, "file": path.name},
            )
        results.append((row, created))
    return results
