import pytest
from django.db import transaction

from shouwang.audit.models import AuditEvent
from shouwang.audit.services import SystemActor, audit_record
from shouwang.audit.vocabulary import action_label, registered_actions

ACTOR = SystemActor("test")


@pytest.mark.django_db
def test_it_refuses_an_unregistered_action() -> None:
    with transaction.atomic(), pytest.raises(ValueError, match="unknown audit action"):
        audit_record(actor=ACTOR, action="child.teleported")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_write_outside_a_transaction() -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=ACTOR, action=AuditEvent.Action.CHILD_VIEWED)


def test_every_app_vocabulary_is_registered_and_labelled() -> None:
    actions = registered_actions()
    assert "child.registered" in actions
    assert "fuc.confirmed" in actions
    assert all(action_label(a) != a for a in actions)
