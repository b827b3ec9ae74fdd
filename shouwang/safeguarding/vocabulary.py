"""The audit actions of safeguarding (registered in ``SafeguardingConfig.ready``; catalogued
in docs/audit-events.md) and the kinds of notification it sends."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SafeguardingAction(models.TextChoices):
    REPORT_FILED = "report.filed", _("Mandatory report filed")
    REPORT_ESCALATED = "report.escalated", _("Mandatory report escalated: not acknowledged")
    POLICE_REPORT_RECORDED = "report.police_recorded", _("Report to the police recorded")
    REPORT_ACKNOWLEDGED = "report.acknowledged", _("Mandatory report acknowledged")
    REPORT_RESPONDED = "report.responded", _("Response and assessment recorded")
    REPORT_CLOSED = "report.closed", _("Mandatory report closed")


class Kind:
    FILED = "safeguarding.filed"  # to those who may see it: a new report in your area
    ESCALATED = "safeguarding.escalated"  # to the next rung: nobody acknowledged in time
    UNROUTED = "safeguarding.unrouted"  # to administrators: nobody can acknowledge at all
    POLICE_TASK = "safeguarding.police_task"  # to the reporter: report to the police now
    UPDATE = "safeguarding.update"  # to the reporter: acknowledged / closed
