"""The audit actions of census import and export (registered in ``ImportsConfig.ready``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportAction(models.TextChoices):
    CENSUS_IMPORTED = "census.imported", _("Census imported")
    REGISTRY_EXPORTED = "registry.exported", _("Registry exported")
