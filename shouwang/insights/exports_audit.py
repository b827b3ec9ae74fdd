"""The audit vocabulary of the report and exports (registered in InsightsConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportAction(models.TextChoices):
    INDICATORS_EXPORTED = "indicators.exported", _("Indicators exported")
    DEIDENTIFIED_EXPORTED = "deidentified.exported", _("De-identified children exported")
