"""Assessment services: what they store and audit, who may act, that a refusal changes
nothing; the hook into cases; loading instrument versions."""

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from shouwang.assessments import services
from shouwang.assessments.loading import INSTRUMENTS_DIR, InstrumentConflict
from shouwang.assessments.models import Assessment, AuditAction, Instrument
from shouwang.assessments.tests.conftest import Record, calm_answers
from shouwang.audit.models import AuditEvent
from shouwang.cases import services as cases_services
from shouwang.core.errors import NotFound, PermissionDenied, ValidationFailed
from shouwang.testing.world import World

pytestmark = pytest.mark.usefixtures("english_messages")


def _snapshot(assessment: Assessment | None = None) -> tuple[object, ...]:
    row = Assessment.objects.values().get(pk=assessment.pk) if assessment else None
    return (Assessment.objects.count(), AuditEvent.objects.count(), row)


# --- Recording ------------------------------------------------------------------------


def test_the_child_director_records_an_assessment(world: World, record: Record) -> None:
    assessment = record(safety_lives_alone="yes", psych_sad="2")
    assessment.refresh_from_db()
    assert (assessment.child, assessment.assessed_by) == (world.hongmei, world.alice)
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.risk_level == "urgent"
    assert assessment.answers["safety_lives_alone"] == "yes"
    assert assessment.answers["psych_sad"] == "2"
    assert assessment.domain_levels["safety"] == "moderate"  # 3 of 15 = 20%: safety's moderate
    assert assessment.domain_scores["safety"] == {"points": 3, "max": 15, "percent": 20}
    assert assessment.reasons[0] == {
        "code": "risk_red_flag",
        "params": {"count": 1, "level": "urgent"},
    }
    assert assessment.reasons[1]["params"]["question"] == "safety_lives_alone"
    event = AuditEvent.objects.get(action=AuditAction.RECORDED)
    assert (event.actor, event.target_id, event.area) == (
        world.alice,
        str(world.hongmei.public_id),
        world.village_a1,
    )
    assert event.extra == {
        "assessment": str(assessment.public_id),
        "instrument": "needs@2026.1",
        "on": timezone.localdate().isoformat(),
        "risk_level": "urgent",
    }
    # Never the answers in the log.
    assert "safety_lives_alone" not in json.dumps(event.extra)


def test_the_supervisor_may_assess_too(world: World, record: Record) -> None:
    assert record(actor=world.sam).assessed_by == world.sam


@pytest.mark.parametrize(
    ("persona", "child", "error"),
    [
        ("amy", "hongmei", NotFound),  # another village
        ("bob", "hongmei", NotFound),  # another township
        ("carl", "hongmei", PermissionDenied),  # the county sees the child, does not assess
        ("tina", "xiaoming", PermissionDenied),  # a school liaison sees her pupil only
        ("nora", "hongmei", NotFound),
    ],
)
def test_who_may_not_assess(
    world: World, record: Record, persona: str, child: str, error: type[Exception]
) -> None:
    before = _snapshot()
    with pytest.raises(error):
        record(child=getattr(world, child), actor=getattr(world, persona))
    assert _snapshot() == before


def test_unanswered_and_invalid_answers_are_refused_naming_each_question(
    world: World, needs: Instrument
) -> None:
    answers = calm_answers(needs)
    answers["psych_sad"] = ""
    answers["material_food"] = "7"
    answers["made_up"] = "yes"
    before = _snapshot()
    with pytest.raises(ValidationFailed) as caught:
        services.assessment_record(
            actor=world.alice,
            child=world.hongmei,
            instrument=needs,
            answers=answers,
            assessed_on=timezone.localdate(),
        )
    assert set(caught.value.field_errors) == {"psych_sad", "material_food", "made_up"}
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("days", "field_error"),
    [(1, "future"), (None, "date"), (-365 * 20, "birth")],
)
def test_a_bad_date_is_refused(
    world: World, needs: Instrument, days: int | None, field_error: str
) -> None:
    on = None if days is None else timezone.localdate() + dt.timedelta(days=days)
    before = _snapshot()
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        services.assessment_record(
            actor=world.alice,
            child=world.hongmei,
            instrument=needs,
            answers=calm_answers(needs),
            assessed_on=on,
        )
    assert field_error in str(caught.value.field_errors["assessed_on"][0])
    assert _snapshot() == before


def test_an_instrument_taken_out_of_use_is_refused(world: World, needs: Instrument) -> None:
    Instrument.objects.filter(pk=needs.pk).update(active=False)
    needs.refresh_from_db()
    with pytest.raises(ValidationFailed, match="no longer in use"):
        services.assessment_record(
            actor=world.alice,
            child=world.hongmei,
            instrument=needs,
            answers=calm_answers(needs),
            assessed_on=timezone.localdate(),
        )
    assert not Assessment.objects.exists()


# --- The hook into cases --------------------------------------------------------------


def test_the_case_is_told_the_risk_when_the_cases_app_offers_it(
    world: World, record: Record, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(
        cases_services, "case_set_risk", lambda **kw: calls.append(kw), raising=False
    )
    assessment = record(material_food="3")
    assert calls == [
        {
            "actor": world.alice,
            "child": world.hongmei,
            "risk_level": "high",
            "reason": "assessment",
            "source": assessment,
        }
    ]


def test_without_case_set_risk_the_assessment_is_still_recorded(
    record: Record, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(cases_services, "case_set_risk", raising=False)
    assert record().risk_level == "low"


def test_a_refusal_by_the_case_rolls_the_assessment_back(
    world: World, record: Record, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**_kw: Any) -> None:
        raise ValidationFailed("no case")

    monkeypatch.setattr(cases_services, "case_set_risk", refuse, raising=False)
    before = _snapshot()
    with pytest.raises(ValidationFailed):
        record()
    assert _snapshot() == before


# --- Review ---------------------------------------------------------------------------


def test_the_supervisor_approves_the_suggested_level(world: World, record: Record) -> None:
    assessment = record(safety_home_hazards="2")
    services.assessment_approve(actor=world.sam, assessment=assessment, note="")
    assert assessment.status == Assessment.Status.APPROVED  # the caller's object follows
    assessment.refresh_from_db()
    assert (assessment.reviewed_by, assessment.decided_risk_level) == (world.sam, "medium")
    assert not assessment.overridden
    event = AuditEvent.objects.get(action=AuditAction.APPROVED)
    assert event.extra == {
        "assessment": str(assessment.public_id),
        "suggested": "medium",
        "decided": "medium",
        "note_given": False,
    }


def test_the_supervisor_may_decide_another_level_with_a_note(
    world: World, record: Record, monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = record()
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(
        cases_services, "case_set_risk", lambda **kw: calls.append(kw), raising=False
    )
    before = _snapshot(assessment)
    with pytest.raises(ValidationFailed) as caught:
        services.assessment_approve(actor=world.sam, assessment=assessment, risk_level="high")
    assert "note" in caught.value.field_errors
    assert _snapshot(assessment) == before
    services.assessment_approve(
        actor=world.sam, assessment=assessment, risk_level="high", note="Grandmother in hospital."
    )
    assessment.refresh_from_db()
    assert (assessment.risk_level, assessment.current_risk_level) == ("low", "high")
    assert assessment.overridden
    assert [c["risk_level"] for c in calls] == ["high"]


def test_the_supervisor_returns_with_a_note(world: World, record: Record) -> None:
    assessment = record()
    before = _snapshot(assessment)
    with pytest.raises(ValidationFailed) as caught:
        services.assessment_return(actor=world.sam, assessment=assessment, note="  ")
    assert "note" in caught.value.field_errors
    assert _snapshot(assessment) == before
    services.assessment_return(actor=world.sam, assessment=assessment, note="Visit again.")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.review_note) == ("returned", "Visit again.")
    event = AuditEvent.objects.get(action=AuditAction.RETURNED)
    assert "Visit again" not in json.dumps(event.extra)


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("alice", PermissionDenied),  # the child director cannot approve
        ("amy", NotFound),
        ("bob", NotFound),
        ("carl", PermissionDenied),  # in his county, without the capability (views: 404)
        ("tina", NotFound),
    ],
)
@pytest.mark.parametrize("action", ["approve", "return"])
def test_who_may_not_review(
    world: World, record: Record, persona: str, error: type[Exception], action: str
) -> None:
    assessment = record()
    before = _snapshot(assessment)
    service = services.assessment_approve if action == "approve" else services.assessment_return
    with pytest.raises(error):
        service(actor=getattr(world, persona), assessment=assessment, note="x")
    assert _snapshot(assessment) == before


def test_an_assessment_is_reviewed_once(world: World, record: Record) -> None:
    assessment = record()
    stale = Assessment.objects.get(pk=assessment.pk)
    services.assessment_approve(actor=world.sam, assessment=assessment)
    before = _snapshot(assessment)
    for service in (services.assessment_approve, services.assessment_return):
        with pytest.raises(ValidationFailed, match="already been reviewed"):
            service(actor=world.sam, assessment=stale, note="again")
    assert _snapshot(assessment) == before


# --- Loading instruments --------------------------------------------------------------


def test_the_data_migration_loaded_the_shipped_instrument(needs: Instrument) -> None:
    assert needs.active
    assert needs.title_en.startswith("Needs assessment")
    assert needs.parsed.key == "needs@2026.1"


def test_loading_again_changes_nothing(needs: Instrument) -> None:
    before = (Instrument.objects.count(), AuditEvent.objects.count())
    call_command("assessments", "load")
    assert (Instrument.objects.count(), AuditEvent.objects.count()) == before


def _copy_shipped(tmp_path: Path) -> Path:
    shutil.copy(INSTRUMENTS_DIR / "needs-2026.1.json", tmp_path / "needs-2026.1.json")
    return tmp_path / "needs-2026.1.json"


def test_a_changed_definition_of_a_loaded_version_is_refused(
    needs: Instrument, tmp_path: Path
) -> None:
    path = _copy_shipped(tmp_path)
    raw = json.loads(path.read_text())
    raw["thresholds"]["severe"] = 55
    path.write_text(json.dumps(raw, ensure_ascii=False))
    with pytest.raises(CommandError, match="new version") as caught:
        call_command("assessments", "load", "--dir", str(tmp_path))
    assert caught.value.returncode == 2
    with pytest.raises(InstrumentConflict):
        services.instrument_load_all(tmp_path)
    needs.refresh_from_db()
    assert needs.definition["thresholds"]["severe"] == 50


def test_a_new_version_is_loaded_beside_the_old_and_becomes_current(
    needs: Instrument, tmp_path: Path
) -> None:
    from shouwang.assessments.selectors import current_instrument  # noqa: PLC0415

    path = _copy_shipped(tmp_path)
    raw = json.loads(path.read_text())
    raw["version"] = "2026.10"
    raw["thresholds"]["severe"] = 55
    (tmp_path / "needs-2026.10.json").write_text(json.dumps(raw, ensure_ascii=False))
    call_command("assessments", "load", "--dir", str(tmp_path))
    assert Instrument.objects.filter(code="needs").count() == 2
    assert current_instrument().version == "2026.10"  # type: ignore[union-attr]
    event = AuditEvent.objects.get(action=AuditAction.INSTRUMENT_LOADED)
    assert event.extra == {"instrument": "needs@2026.10", "file": "needs-2026.10.json"}


def test_a_malformed_file_is_refused_naming_the_place(db: None, tmp_path: Path) -> None:
    (tmp_path / "bad-1.json").write_text(json.dumps({"code": "bad", "version": "1"}))
    with pytest.raises(CommandError, match=r"\$\.title_zh") as caught:
        call_command("assessments", "load", "--dir", str(tmp_path))
    assert caught.value.returncode == 2
    assert not Instrument.objects.filter(code="bad").exists()
