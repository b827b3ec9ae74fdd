"""The services app's audit vocabulary (registered in ServicesConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceAction(models.TextChoices):
    DELIVERED = "service.delivered", _("Service delivered")
    NEED_RAISED = "need.raised", _("Service need raised")
    NEED_ASSIGNED = "need.assigned", _("Service need assigned")
    NEED_CLOSED = "need.closed", _("Service need closed")
    TYPE_CREATED = "service_type.created", _("Service type added to the catalogue")
    TYPE_CHANGED = "service_type.changed", _("Service type changed")
    TYPE_DELETED = "service_type.deleted", _("Service type deleted")
    OFFER_CREATED = "offer.created", _("Service offer added")
    OFFER_CHANGED = "offer.changed", _("Service offer changed")
    ACTIVITY_CREATED = "activity.created", _("Group activity created")
    ATTENDANCE_MARKED = "attendance.marked", _("Attendance marked")
    ATTENDANCE_UNMARKED = "attendance.unmarked", _("Attendance unmarked")
