"""Storing rule results: history on change, in place on rewording, audited, shown, decided."""

import dataclasses
import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from shouwang.audit.models import AuditEvent
from shouwang.audit.services import SystemActor
from shouwang.cases.services import contact_log_record
from shouwang.registry.models import Child
from shouwang.registry.services import child_register, child_update
from shouwang.rules.models import Classification, ClassificationDecision
from shouwang.rules.services import child_classify, children_reevaluate
from shouwang.rules.situations import situation_for_child
from shouwang.testing.payloads import registration
from shouwang.testing.world import World

SYSTEM = SystemActor("test")


def _current(child: Child) -> dict[str, Classification]:
    return {c.rule_id: c for c in Classification.objects.filter(child=child, ended_at__isnull=True)}


def _register(world: World, **changes: object) -> Child:
    reg = registration()
    for section, values in changes.items():
        setattr(reg, section, dataclasses.replace(getattr(reg, section), **values))  # type: ignore[arg-type]
    return child_register(actor=world.alice, village=world.village_a1, registration=reg).child


def test_registering_a_child_classifies_her(world: World) -> None:
    child = _register(world)
    current = _current(child)
    assert current["left_behind"].status == "yes"
    assert current["care_arrangement"].value == "grandparents"
    assert current["left_behind"].citations
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHILD_CLASSIFIED)
    assert "left_behind" in event.extra["rules"]


def test_the_adapter_passes_unknown_as_none_not_false(world: World) -> None:
    child = _register(
        world, mother={"situation": "unknown", "name": "", "work_place": "", "away_since": None}
    )
    situation = situation_for_child(child, asof=dt.date(2026, 11, 29))
    assert situation.mother is not None
    assert situation.mother.situation is None
    assert _current(child)["left_behind"].status == "cannot_determine"
    assert "mother.situation" in _current(child)["left_behind"].missing


def test_nobody_caring_raises_a_red_mandatory_report_alert(world: World) -> None:
    child = _register(world, caregiver={"relation": "none"})
    care = _current(child)["care_arrangement"]
    assert care.alert_level == "red"
    assert care.mandatory_report


def test_a_change_of_meaning_keeps_history(world: World) -> None:
    child = _register(world)
    reg = registration()
    reg.mother = dataclasses.replace(
        reg.mother, situation="at_home", work_place="", away_since=None
    )
    reg.caregiver = dataclasses.replace(reg.caregiver, relation="mother")
    child_update(actor=world.alice, child=child, registration=reg)
    rows = Classification.objects.filter(child=child, rule_id="left_behind").order_by("pk")
    assert [(r.status, r.ended_at is None) for r in rows] == [("yes", False), ("no", True)]


def test_re_evaluating_without_change_adds_no_history(world: World) -> None:
    child = _register(world)
    before = Classification.objects.count()
    assert child_classify(actor=SYSTEM, child=child).changed == []
    assert Classification.objects.count() == before


def test_the_weekly_contact_alert_follows_the_log_and_the_calendar(world: World) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 29, 9, tzinfo=dt.UTC), tick=False):
        child = _register(world)
        assert _current(child)["weekly_contact"].alert_level == "amber"  # nothing logged
        for relation in ("father", "mother"):
            contact_log_record(
                actor=world.alice,
                child=child,
                parent=child.relations.get(relation=relation).person,
                contacted_on=dt.date(2026, 11, 28),
                channel="video",
                with_child=True,
                with_caregiver=True,
                source="child_director",
            )
        assert _current(child)["weekly_contact"].alert_level == ""
    with time_machine.travel(dt.datetime(2026, 12, 8, 9, tzinfo=dt.UTC), tick=False):
        seen, changed = children_reevaluate()
        assert seen == Child.objects.count()
        assert changed >= 1
        assert _current(child)["weekly_contact"].alert_level == "amber"


def test_the_sixteenth_birthday_ends_the_left_behind_classification(world: World) -> None:
    child = _register(world, child={"birth_date": dt.date(2010, 12, 1), "id_number": ""})
    assert _current(child)["left_behind"].status == "yes"
    children_reevaluate(asof=dt.date(2026, 12, 1))
    assert _current(child)["left_behind"].status == "no"


def _profile(client: Client, child: Child) -> str:
    return client.get(reverse("registry:child_detail", args=[child.public_id])).content.decode()


def test_the_profile_shows_reasons_and_the_cited_article_in_both_languages(
    world: World, client: Client
) -> None:
    child = _register(world, caregiver={"relation": "none"})
    client.force_login(world.alice)
    body = _profile(client, child)
    assert "国发〔2016〕13号" in body
    assert "强制报告" in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = _profile(client, child)
    assert "mandatory report" in body
    assert "What the rules say" in body


def test_a_school_liaison_never_sees_the_fuc_prescreening(world: World, client: Client) -> None:
    child_classify(actor=SYSTEM, child=world.xiaoming)
    client.force_login(world.tina)
    assert "fuc_prescreen" not in _profile(client, world.xiaoming)
    tina_rows = {c.rule_id for c in _profile_rows(client, world.xiaoming)}
    assert "fuc_prescreen" not in tina_rows
    client.force_login(world.amy)
    assert "fuc_prescreen" in {c.rule_id for c in _profile_rows(client, world.xiaoming)}


def _profile_rows(client: Client, child: Child) -> list[Classification]:
    response = client.get(reverse("registry:child_detail", args=[child.public_id]))
    return list(response.context["classifications"])


def _decide(client: Client, child: Child, row: Classification, **data: str) -> object:
    return client.post(reverse("rules:decide", args=[child.public_id, row.pk]), data)


def test_a_supervisor_confirms_with_a_reason_and_it_is_audited(
    world: World, client: Client
) -> None:
    child = _register(world)
    row = _current(child)["left_behind"]
    client.force_login(world.sam)
    response = _decide(client, child, row, decision="confirmed", reason="核实无误")
    assert response.status_code == 302
    decision = ClassificationDecision.objects.get()
    assert (decision.decided_by, decision.decision) == (world.sam, "confirmed")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CLASSIFICATION_DECIDED).exists()
    assert "核实无误" in _profile(client, child)


def test_a_decision_without_a_reason_is_refused(world: World, client: Client) -> None:
    child = _register(world)
    client.force_login(world.sam)
    _decide(client, child, _current(child)["left_behind"], decision="rejected", reason=" ")
    assert not ClassificationDecision.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("alice", 403), ("bob", 404), ("tina", 403)])
def test_those_who_may_not_decide_are_refused(
    world: World, client: Client, persona: str, status: int
) -> None:
    child = _register(world)
    client.force_login(getattr(world, persona))
    response = _decide(
        client, child, _current(child)["left_behind"], decision="confirmed", reason="x"
    )
    assert response.status_code == status
    assert not ClassificationDecision.objects.exists()


def test_a_mandatory_report_alert_links_to_the_prefilled_report_form(
    world: World, client: Client
) -> None:
    child = _register(world, caregiver={"relation": "none"})
    client.force_login(world.alice)
    body = _profile(client, child)
    assert f"/safeguarding/report/new/?child={child.public_id}&amp;trigger=living_alone" in body
