"""What is offered, who offers it, what reached which child, and who took part.

- ``ServiceType``: the catalogue (亲情视频, 学业辅导, …), by needs domain, editable by
  administrators.
- ``OrganisationService``: an organisation offers a service type in an area (its subtree)
  up to a monthly capacity of children.
- ``ServiceDelivery``: one service that reached one child, against the plan action it
  fulfils (if any), delivered by an organisation and/or a volunteer.
- ``Activity`` and ``Attendance``: group activities (e.g. at the children's home 儿童之家)
  and who attended; attendance counts toward participation.
- ``ServiceNeed``: a child's need for a service that nobody delivers yet; matching
  (``shouwang.matching``) proposes who should, the supervisor decides.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shouwang.cases.models import Domain
from shouwang.core.models import PublicModel


class ServiceType(PublicModel):
    class Mode(models.TextChoices):
        INDIVIDUAL = "individual", _("One child at a time")
        GROUP = "group", _("Group activity")
        MATERIAL = "material", _("Material aid")
        CONTACT = "contact", _("Visit or contact")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    # A child may only be served alone by a vetted volunteer (issue 6); some services are
    # never done alone with a child (e.g. material aid), which matching may use.
    one_to_one = models.BooleanField(
        _("involves being alone with the child"),
        default=False,
        help_text=_("Only vetted volunteers are ever matched to such a service."),
    )
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self) -> str:
        if (get_language() or "").startswith("en"):
            return self.name_en or self.name_zh
        return self.name_zh


class OrganisationService(PublicModel):
    """An organisation's offer: a service type, where (the area's subtree), how many
    children a month."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="offers",
        verbose_name=_("organisation"),
    )
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="offers", verbose_name=_("service")
    )
    area = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        related_name="service_offers",
        verbose_name=_("service area"),
    )
    capacity_per_month = models.PositiveIntegerField(_("children a month"), default=10)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service offered")
        verbose_name_plural = _("services offered")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "service_type", "area"], name="services_one_offer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.service_type}"


class ServiceDelivery(PublicModel):
    child = models.ForeignKey(
        "registry.Child", on_delete=models.CASCADE, related_name="service_deliveries"
    )
    service_type = models.ForeignKey(
        ServiceType,
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("service"),
    )
    plan_action = models.ForeignKey(
        "cases.PlanAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("plan action fulfilled"),
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("referral"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("delivered by (organisation)"),
    )
    volunteer = models.ForeignKey(
        "resources.Volunteer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("delivered by (volunteer)"),
    )
    delivered_on = models.DateField(_("date"))
    duration_minutes = models.PositiveIntegerField(_("how long (minutes)"), default=0)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-delivered_on", "-pk"]
        verbose_name = _("service delivery")
        verbose_name_plural = _("service deliveries")
        indexes = [
            models.Index(fields=["child", "delivered_on"], name="services_delivery_child"),
            models.Index(fields=["delivered_on"], name="services_delivery_date"),
        ]

    def __str__(self) -> str:
        return f"{self.child} · {self.service_type} · {self.delivered_on}"


class Activity(PublicModel):
    title = models.CharField(_("title"), max_length=200)
    service_type = models.ForeignKey(
        ServiceType,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("service"),
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    area = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("village or township"),
    )
    organiser = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("organiser"),
    )
    duration_minutes = models.PositiveIntegerField(_("how long (minutes)"), default=60)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("group activity")
        verbose_name_plural = _("group activities")
        indexes = [models.Index(fields=["held_on"], name="services_activity_date")]

    def __str__(self) -> str:
        return f"{self.title} {self.held_on}"


class Attendance(models.Model):
    """One child attended one activity (a row is presence; untapping deletes it)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="attendance")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["activity", "child"], name="services_attended_once")
        ]
        indexes = [models.Index(fields=["child", "activity"], name="services_attendance_child")]

    def __str__(self) -> str:
        return f"{self.child} @ {self.activity}"


class ServiceNeed(PublicModel):
    """A child needs a service nobody delivers yet (raised from a plan action or by hand)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ASSIGNED = "assigned", _("Assigned")
        MET = "met", _("Met")
        CANCELLED = "cancelled", _("Cancelled")

    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="needs")
    service_type = models.ForeignKey(
        ServiceType, on_delete=models.PROTECT, related_name="needs", verbose_name=_("service")
    )
    plan_action = models.ForeignKey(
        "cases.PlanAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("plan action"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    hours_per_month = models.PositiveSmallIntegerField(_("hours a month"), default=2)
    raised_on = models.DateField(_("raised on"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    assigned_volunteer = models.ForeignKey(
        "resources.Volunteer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_needs",
        verbose_name=_("assigned volunteer"),
    )
    assigned_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_needs",
        verbose_name=_("assigned organisation"),
    )
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["raised_on", "pk"]
        verbose_name = _("service need")
        verbose_name_plural = _("service needs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="assigned")
                | Q(assigned_volunteer__isnull=False)
                | Q(assigned_organisation__isnull=False),
                name="services_assigned_need_has_provider",
            ),
        ]
        indexes = [models.Index(fields=["status", "raised_on"], name="services_need_status")]

    def __str__(self) -> str:
        return f"{self.child} · {self.service_type}"
