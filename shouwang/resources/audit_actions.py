"""The resources app's audit vocabulary (registered in ResourcesConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceAction(models.TextChoices):
    VOLUNTEER_REGISTERED = "volunteer.registered", _("Volunteer registered")
    VOLUNTEER_CHANGED = "volunteer.changed", _("Volunteer changed")
    VOLUNTEER_VETTING_CHANGED = "volunteer.vetting_changed", _("Volunteer vetting changed")
    FUND_REGISTERED = "fund.registered", _("Fund registered")
    FUND_ENTRY_RECORDED = "fund.entry_recorded", _("Fund allocation or spending recorded")
    DONATION_REGISTERED = "donation.registered", _("Donated material registered")
    DONATION_DISTRIBUTED = "donation.distributed", _("Donated material given to a child")
