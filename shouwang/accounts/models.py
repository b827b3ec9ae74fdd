"""Users, organisations and role assignments.

A user's power comes only from her active ``RoleAssignment`` rows: a role (what she may
do, see ``access.roles``), an area (where) and, for organisation-bound roles, an
organisation (whose pupils or referrals). Being staff or superuser gives access to the
configuration admin, never to children's records.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import PublicModel, TimeStampedModel


class User(AbstractUser):
    real_name = models.CharField(_("real name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.real_name or self.username


class Organisation(PublicModel):
    class Type(models.TextChoices):
        CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs bureau")
        EDUCATION = "education", _("Education bureau")
        PUBLIC_SECURITY = "public_security", _("Public security")
        HEALTH = "health", pgettext_lazy("organisation type", "Health")
        WOMENS_FEDERATION = "womens_federation", _("Women's federation")
        YOUTH_LEAGUE = "youth_league", _("Youth league")
        TOWNSHIP_GOVERNMENT = "township_government", _("Township government")
        VILLAGE_COMMITTEE = "village_committee", _("Village committee")
        SCHOOL = "school", _("School")
        SOCIAL_WORK = "social_work", _("Social-work organisation")
        NGO = "ngo", _("Non-governmental organisation")
        ENTERPRISE = "enterprise", _("Enterprise")
        VOLUNTEER_TEAM = "volunteer_team", _("Volunteer team")
        FAMILY_NETWORK = "family_network", _("Family or neighbourhood network")

    class Sector(models.TextChoices):
        """The four sectors of welfare pluralism (福利多元主义)."""

        STATE = "state", _("State")
        MARKET = "market", _("Market")
        VOLUNTARY = "voluntary", _("Voluntary and community")
        INFORMAL = "informal", _("Informal and family")

    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    org_type = models.CharField(_("type"), max_length=30, choices=Type.choices)
    sector = models.CharField(_("welfare sector"), max_length=20, choices=Sector.choices)
    area = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("area"),
        help_text=_("Where the organisation is based."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class RoleAssignment(TimeStampedModel):
    """A grant: ``user`` holds ``role`` over ``area`` (and everything below it)."""

    class Role(models.TextChoices):
        CHILD_DIRECTOR = "child_director", _("Village child director")
        TOWNSHIP_SUPERVISOR = "township_supervisor", _("Township child supervisor")
        SCHOOL_LIAISON = "school_liaison", _("School liaison")
        SERVICE_PROVIDER = "service_provider", _("Service provider")
        COUNTY_OFFICER = "county_officer", _("County civil-affairs officer")
        ADMINISTRATOR = "administrator", _("Administrator")
        RESEARCHER = "researcher", _("Researcher")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    area = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("area"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "area", "organisation"], name="accounts_unique_grant"
            ),
        ]
        indexes = [models.Index(fields=["user", "active"], name="accounts_grant_user_active")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.area}"
