"""The insights app's audit vocabulary (registered in InsightsConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InsightsAction(models.TextChoices):
    STATS_REFRESHED = "insights.refreshed", _("Monthly indicators refreshed")
