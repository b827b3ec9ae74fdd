"""The resources that reach children: volunteers, funds and donated material."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shouwang.accounts.models import Organisation
from shouwang.core.models import PublicModel


class Volunteer(PublicModel):
    class Vetting(models.TextChoices):
        NOT_VETTED = "not_vetted", _("Not vetted")
        PENDING = "pending", _("Vetting in progress")
        VETTED = "vetted", _("Vetted")
        EXPIRED = "expired", _("Vetting expired")

    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("volunteer team or organisation"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer",
    )
    area = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("lives in"),
    )
    skills = models.ManyToManyField(
        "services.ServiceType", related_name="volunteers", blank=True, verbose_name=_("can do")
    )
    dialects = models.CharField(
        _("dialects and languages"),
        max_length=200,
        blank=True,
        help_text=_("Separated by commas, e.g. Mandarin, Xiang"),
    )
    hours_per_month = models.PositiveSmallIntegerField(_("hours offered a month"), default=8)
    available_days = models.CharField(
        _("when available"), max_length=100, blank=True, help_text=_("e.g. weekends")
    )
    max_travel_km = models.PositiveSmallIntegerField(_("travels up to (km)"), default=10)
    vetting = models.CharField(
        _("vetting"), max_length=20, choices=Vetting.choices, default=Vetting.NOT_VETTED
    )
    vetted_on = models.DateField(_("vetted on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return self.name


class Fund(PublicModel):
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=200)
    sector = models.CharField(
        _("welfare sector"), max_length=20, choices=Organisation.Sector.choices
    )
    area = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="funds", verbose_name=_("area")
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=300)
    received_on = models.DateField(_("received on"))

    class Meta:
        ordering = ["-received_on", "pk"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self) -> str:
        return self.name


class FundEntry(models.Model):
    """Money allocated to a purpose (and maybe a child), or spent from an allocation.
    A fund's allocated and spent amounts are sums of its entries: never stored twice."""

    class Kind(models.TextChoices):
        ALLOCATED = "allocated", _("Allocated")
        SPENT = "spent", _("Spent")

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    on = models.DateField(_("date"))
    purpose = models.CharField(_("for"), max_length=200)
    child = models.ForeignKey(
        "registry.Child",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fund_entries",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name = _("fund entry")
        verbose_name_plural = _("fund entries")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} · {self.purpose}"


class MaterialDonation(PublicModel):
    item = models.CharField(_("item"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    donor = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name=_("donor organisation"),
    )
    donor_name = models.CharField(_("donor"), max_length=200, blank=True)
    sector = models.CharField(
        _("welfare sector"), max_length=20, choices=Organisation.Sector.choices
    )
    area = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="donations", verbose_name=_("area")
    )
    received_on = models.DateField(_("received on"))

    class Meta:
        ordering = ["-received_on", "pk"]
        verbose_name = _("donated material")
        verbose_name_plural = _("donated material")

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"


class MaterialDistribution(models.Model):
    donation = models.ForeignKey(
        MaterialDonation, on_delete=models.CASCADE, related_name="distributions"
    )
    child = models.ForeignKey(
        "registry.Child", on_delete=models.CASCADE, related_name="material_received"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("material given")
        verbose_name_plural = _("material given")

    def __str__(self) -> str:
        return f"{self.donation.item} × {self.quantity} → {self.child}"
