"""How referral notifications read. Payloads carry codes and ids only, never the child's
name (the recipient opens the referral, where her access is checked)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from shouwang.notifications.kinds import RenderedMessage, register_kind
from shouwang.referrals.vocabulary import Kind


def _url(p: dict[str, Any]) -> str:
    return reverse("referrals:detail", args=[p["referral"]])


def arrived(p: dict[str, Any]) -> RenderedMessage:
    return RenderedMessage(
        title=_("New referral: please answer by %(deadline)s") % {"deadline": p.get("due", "")},
        body=_("Open the referral to see the need and accept or decline it."),
        url=_url(p),
    )


def answered(p: dict[str, Any]) -> RenderedMessage:
    titles = {
        "accepted": _("Your referral has been accepted"),
        "declined": _("Your referral has been declined"),
        "completed": _("Your referral has been completed"),
    }
    return RenderedMessage(
        title=str(titles.get(p.get("status", ""), _("Your referral has been updated"))),
        body="",
        url=_url(p),
    )


def overdue(p: dict[str, Any]) -> RenderedMessage:
    return RenderedMessage(
        title=_("A referral has not been answered in time"),
        body=_("It was due by %(deadline)s. Open it to answer, or to follow it up.")
        % {"deadline": p.get("due", "")},
        url=_url(p),
    )


def register() -> None:
    register_kind(Kind.ARRIVED, arrived)
    register_kind(Kind.ANSWERED, answered)
    register_kind(Kind.OVERDUE, overdue)
