"""The referrals app's audit actions (registered in ``ReferralsConfig.ready``; catalogued in
docs/audit-events.md) and the kinds of notification it sends."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralAction(models.TextChoices):
    CREATED = "referral.created", _("Referral made")
    ACCEPTED = "referral.accepted", _("Referral accepted")
    DECLINED = "referral.declined", _("Referral declined")
    COMPLETED = "referral.completed", _("Referral completed")
    WITHDRAWN = "referral.withdrawn", _("Referral withdrawn")
    VIEWED = "referral.viewed", _("Referral opened by the receiving organisation")
    OVERDUE = "referral.overdue", _("Referral not answered in time")


class Kind:
    ARRIVED = "referrals.arrived"  # to the receiving organisation: a new referral
    ANSWERED = "referrals.answered"  # to the maker: accepted, declined or completed
    OVERDUE = "referrals.overdue"  # to both sides and the township supervisor: no answer in time
