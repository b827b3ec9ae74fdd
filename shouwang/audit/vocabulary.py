"""The closed vocabulary of audit actions, owned by the apps that write them.

Each app declares its actions as a ``TextChoices`` (``"<entity>.<past_verb>"``) and
registers it in its ``AppConfig.ready``; ``audit_record`` refuses an action nobody
registered, so the vocabulary stays closed without one file every app must edit.
docs/audit-events.md catalogues them all.
"""

from django.db import models
from django.utils.functional import Promise

_ACTIONS: dict[str, str | Promise] = {}


def register_actions(choices: type[models.TextChoices]) -> None:
    for value, label in choices.choices:
        if value in _ACTIONS and _ACTIONS[value] != label:
            msg = f"audit action {value!r} is registered twice with different labels"
            raise ValueError(msg)
        _ACTIONS[value] = label


def is_registered(value: str) -> bool:
    return value in _ACTIONS


def action_label(value: str) -> str:
    return str(_ACTIONS.get(value, value))


def registered_actions() -> list[str]:
    return sorted(_ACTIONS)
