"""The cases app's audit vocabulary (registered in CasesConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseAction(models.TextChoices):
    CASE_OPENED = "case.opened", _("Case opened")
    CASE_UPDATED = "case.updated", _("Case updated")
    CASE_CLOSED = "case.closed", _("Case closed")
    RISK_CHANGED = "case.risk_changed", _("Risk level changed")
    PLAN_SAVED = "plan.saved", _("Care plan saved")
    PLAN_APPROVED = "plan.approved", _("Care plan approved")
    ACTION_DONE = "plan_action.done", _("Plan action done")
    VISIT_RECORDED = "visit.recorded", _("Visit recorded")
