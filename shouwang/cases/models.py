"""Follow-up records of a child's case. For now: the parent-contact log.

未成年人保护法 Art. 23 requires a parent working away to contact the child and the
caregiver at least once a week. The platform only sees what is logged, so the weekly
contact rule speaks of "no contact recorded", never of a violation (DOMAIN.md §5.8).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouwang.cases import domain
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


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Domain(models.TextChoices):
    """The needs domains of the assessment and of plan actions (DESIGN.md §3)."""

    SAFETY = "safety", _("Safety")
    GUARDIANSHIP = "guardianship", _("Guardianship and care")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    EDUCATION = "education", _("Education")
    PSYCHOLOGICAL = "psychological", _("Psychological and emotional wellbeing")
    FAMILY_CONTACT = "family_contact", _("Contact with parents")
    MATERIAL = "material", _("Material needs")


class Case(PublicModel):
    """The long-term mechanism for one child: a named responsible person, a risk level and a
    follow-up rhythm, so that someone sees it when follow-up does not happen."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MONITORING = "monitoring", _("Monitoring")
        CLOSED = "closed", _("Closed")

    class CloseReason(models.TextChoices):
        PARENTS_RETURNED = "parents_returned", _("Parents returned")
        AGED_OUT = "aged_out", _("Aged out")
        MOVED_AWAY = "moved_away", _("Moved away")
        OTHER = "other", _("Other")

    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="cases")
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("responsible person"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    close_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True
    )
    close_note = models.CharField(_("note on closing"), max_length=200, blank=True)
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    # ``domain.risk_rank(risk_level)`` (0 urgent … 3 low), kept by the services that set the
    # level (a constraint refuses any other value), so that "most urgent first" is an index
    # walk instead of a sort of every open case in the area.
    risk_rank = models.PositiveSmallIntegerField(editable=False)
    risk_reason = models.CharField(_("why this risk level"), max_length=200, blank=True)
    follow_up_days = models.PositiveSmallIntegerField(_("follow up every (days)"))
    last_follow_up_on = models.DateField(_("last follow-up"), null=True, blank=True)
    next_follow_up_due = models.DateField(_("next follow-up due"), db_index=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=~Q(status="closed"), name="cases_one_open_case"
            ),
            models.CheckConstraint(
                condition=Q(risk_level="urgent", risk_rank=0)
                | Q(risk_level="high", risk_rank=1)
                | Q(risk_level="medium", risk_rank=2)
                | Q(risk_level="low", risk_rank=3),
                name="cases_risk_rank_follows_level",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_follow_up_due"], name="cases_due"),
            # The board's and the worklist's "most urgent first" over open cases.
            models.Index(
                fields=["risk_rank", "next_follow_up_due", "id"],
                condition=Q(status__in=["open", "monitoring"]),
                name="cases_open_by_urgency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} ({self.get_status_display()})"

    def save(self, *args: object, **kwargs: object) -> None:
        # Every save keeps the rank with the level; bulk writes and update() must set it
        # themselves (the check constraint refuses them otherwise).
        self.risk_rank = domain.risk_rank(self.risk_level)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "risk_level" in update_fields:
            kwargs["update_fields"] = {*update_fields, "risk_rank"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class CarePlan(PublicModel):
    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    goals = models.TextField(_("goals"))
    review_due_on = models.DateField(_("review due on"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=~Q(status="closed"), name="cases_one_current_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.child}: {self.get_status_display()}"


class PlanAction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="actions")
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    description = models.CharField(_("what will be done"), max_length=200)
    owner_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("owner organisation"),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("owner person"),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_organisation__isnull=False) | Q(owner_user__isnull=False),
                name="cases_action_has_owner",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="cases_action_due")]

    def __str__(self) -> str:
        return self.description


class Visit(PublicModel):
    class Kind(models.TextChoices):
        HOME = "home", _("Home visit")
        SCHOOL = "school", _("School visit")
        PHONE = "phone", _("Phone call")

    class Concern(models.TextChoices):
        """What was seen; the first group are mandatory-report triggers (DOMAIN.md §1.3, §6)."""

        LIVING_ALONE = "living_alone", _("Child living alone without a guardian")
        MISSING = "missing", _("Child missing")
        GUARDIAN_NEGLECT = (
            "guardian_neglect",
            _("Guardian unable or unwilling to look after the child"),
        )
        SUSPECTED_VIOLENCE = "suspected_violence", _("Suspected domestic violence")
        SUSPECTED_HARM = "suspected_harm", _("Suspected injury or unlawful harm")
        SCHOOL_ABSENCE = "school_absence", _("Missing school")
        LOW_MOOD = "low_mood", _("Withdrawn, sad or changed behaviour")
        HEALTH = "health", _("Health problem")
        MATERIAL = "material", _("Lacks food, clothing or heating")
        CAREGIVER_STRAIN = "caregiver_strain", _("Caregiver struggling")

    REPORT_TRIGGERS = frozenset(
        {
            Concern.LIVING_ALONE,
            Concern.MISSING,
            Concern.GUARDIAN_NEGLECT,
            Concern.SUSPECTED_VIOLENCE,
            Concern.SUSPECTED_HARM,
        }
    )

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    visited_on = models.DateField(_("date"))
    saw_child = models.BooleanField(_("saw the child"), default=True)
    saw_caregiver = models.BooleanField(_("saw the caregiver"), default=True)
    spoke_to_parent = models.BooleanField(_("spoke to a parent"), default=False)
    observations = models.JSONField(_("observations"), default=dict, blank=True)
    concerns = models.JSONField(_("concerns"), default=list, blank=True)
    next_steps = models.CharField(_("next steps"), max_length=300, blank=True)
    risk_after = models.CharField(
        _("risk level after the visit"), max_length=10, choices=RiskLevel.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-visited_on", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.child} {self.visited_on}"
