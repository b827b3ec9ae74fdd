"""The services app's audit vocabulary (registered in ServicesConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceAction(models.TextChoices):
    DELIVERED = "service.delivered", _("Service delivered")
    NEED_RAISED = "need.raised", _("Service need raised")
    NEED_ASSIGNED = "need.assigned", _("Service need assigned")
    NEED_CLOSED = "need.closed", _("Service need closed")
