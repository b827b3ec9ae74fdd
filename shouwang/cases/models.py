"""Follow-up records of a child's case. For now: the parent-contact log.

未成年人保护法 Art. 23 requires a parent working away to contact the child and the
caregiver at least once a week. The platform only sees what is logged, so the weekly
contact rule speaks of "no contact recorded", never of a violation (DOMAIN.md §5.8).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import PublicModel


class ContactLog(PublicModel):
    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone call")
        VIDEO = "video", _("Video call")
        VISIT_HOME = "visit_home", _("Came home")
        MONEY_OR_PARCEL = "money_or_parcel", _("Sent money or a parcel, with a message")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        CHILD_DIRECTOR = "child_director", _("Child director")
        CAREGIVER = "caregiver", _("Caregiver, through the child director")
        SCHOOL = "school", _("School")
        OTHER = "other", _("Other")

    child = models.ForeignKey(
        "registry.Child", on_delete=models.CASCADE, related_name="contact_logs"
    )
    parent = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="contact_logs",
        verbose_name=_("father or mother"),
    )
    contacted_on = models.DateField(_("date of contact"))
    channel = models.CharField(_("how"), max_length=20, choices=Channel.choices)
    with_child = models.BooleanField(_("talked with the child"), default=True)
    with_caregiver = models.BooleanField(_("talked with the caregiver"), default=True)
    source = models.CharField(_("reported by"), max_length=20, choices=Source.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-contacted_on", "-pk"]
        verbose_name = _("parent contact")
        verbose_name_plural = _("parent contacts")
        indexes = [
            models.Index(fields=["child", "parent", "contacted_on"], name="cases_contact_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.parent} {self.contacted_on}"
