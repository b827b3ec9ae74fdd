"""How safeguarding notifications read. Payloads carry codes and ids only: never the
reporter's name, never what was seen (the recipient opens the report, where her access
is checked)."""

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shouwang.notifications.kinds import RenderedMessage, register_kind
from shouwang.safeguarding.domain import TRIGGER_LABELS
from shouwang.safeguarding.vocabulary import Kind


def _url(p: dict[str, Any]) -> str:
    return reverse("safeguarding:report_detail", args=[p["report"]])


def _area(p: dict[str, Any]) -> str:
    english = (get_language() or "").startswith("en")
    return str(p.get("area_en" if english else "area_zh", ""))


def _trigger(p: dict[str, Any]) -> str:
    return str(TRIGGER_LABELS.get(p.get("trigger", ""), p.get("trigger", "")))


def _when(value: str | None) -> str:
    if not value:
        return ""
    return timezone.localtime(dt.datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")


def _danger(p: dict[str, Any]) -> str:
    return _("Immediate danger.") if p.get("danger") else ""


def _sentences(parts: Any) -> str:
    """Sentences run on: a space between English ones, none between Chinese ones (which end
    with a full-width 。)."""
    separator = "" if (get_language() or "").startswith("zh") else " "
    return separator.join(parts)


def filed(p: dict[str, Any]) -> RenderedMessage:
    return RenderedMessage(
        title=_("Mandatory report in %(area)s: %(trigger)s")
        % {"area": _area(p), "trigger": _trigger(p)},
        body=_sentences(
            s
            for s in [
                _danger(p),
                _("To be acknowledged by %(deadline)s.") % {"deadline": _when(p.get("deadline"))},
            ]
            if s
        ),
        url=_url(p),
    )


def escalated(p: dict[str, Any]) -> RenderedMessage:
    return RenderedMessage(
        title=_("Escalated to you: mandatory report in %(area)s not acknowledged")
        % {"area": _area(p)},
        body=_sentences(
            s
            for s in [
                _("%(trigger)s.") % {"trigger": _trigger(p)},
                _danger(p),
                _("Escalation level %(level)s. Acknowledge it now, or it goes higher at %(next)s.")
                % {"level": p.get("level"), "next": _when(p.get("deadline"))},
            ]
            if s
        ),
        url=_url(p),
    )


def unrouted(p: dict[str, Any]) -> RenderedMessage:
    return RenderedMessage(
        title=_("Nobody can acknowledge a mandatory report in %(area)s") % {"area": _area(p)},
        body=_(
            "No township supervisor or county officer is assigned above this area. Assign one "
            "now: the report keeps escalating until someone acknowledges it."
        ),
        url="",
    )


def police_task(p: dict[str, Any]) -> RenderedMessage:
    return RenderedMessage(
        title=_("Report to the police now"),
        body=_(
            "You filed a mandatory report. Report it to the police (call 110 or go to the "
            "police station), then record the station, the time and the receipt number."
        ),
        url=_url(p),
    )


def update(p: dict[str, Any]) -> RenderedMessage:
    titles = {
        "acknowledged": _("Your report has been acknowledged"),
        "closed": _("Your report has been closed"),
    }
    return RenderedMessage(
        title=str(titles.get(p.get("what", ""), _("Your report has been updated"))),
        body="",
        url=_url(p),
    )


def register() -> None:
    register_kind(Kind.FILED, filed)
    register_kind(Kind.ESCALATED, escalated)
    register_kind(Kind.UNROUTED, unrouted)
    register_kind(Kind.POLICE_TASK, police_task)
    register_kind(Kind.UPDATE, update)
