"""The child registry: children, households, family members and who cares for the child.

Field list after DOMAIN.md §8 (the 2016 census content, 摸底排查内容, and the fields the
national statistics imply). Names of people carry their pinyin keys, computed by the
services when a record is written, for search by full pinyin or initials.

History: a parent's period of work away (``ParentAbsence``) and a care arrangement
(``CareArrangement``) are closed with an end date and a new row started when they change,
so "since when" and "who cared before" are never overwritten.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import PublicModel


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class HukouType(models.TextChoices):
    RURAL = "rural", _("Rural household registration")
    URBAN = "urban", _("Urban household registration")
    NONE = "none", _("Not registered")


class Household(PublicModel):
    class IncomeSource(models.TextChoices):
        MIGRANT_WORK = "migrant_work", _("Migrant work")
        FARMING = "farming", _("Farming")
        LIVESTOCK = "livestock", _("Livestock")
        LOCAL_WAGES = "local_wages", _("Local wages")
        BUSINESS = "business", _("Small business")
        SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
        OTHER = "other", _("Other")

    village = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="households", verbose_name=_("village")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    main_income_source = models.CharField(
        _("main source of income"), max_length=30, choices=IncomeSource.choices, blank=True
    )
    dibao = models.BooleanField(_("on minimum living allowance (低保)"), default=False)
    tekun = models.BooleanField(_("in extreme-poverty support (特困)"), default=False)
    poverty_registered = models.BooleanField(
        _("registered poor household (建档立卡)"), default=False
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.address or str(self.public_id)


class Person(PublicModel):
    """A family member or caregiver of a registered child."""

    class Situation(models.TextChoices):
        AT_HOME = "at_home", _("At home")
        WORKING_AWAY = "working_away", _("Working away")
        DECEASED = "deceased", _("Deceased")
        MISSING = "missing", _("Missing")
        DIVORCED_ABSENT = "divorced_absent", _("Divorced and absent")
        OTHER_ABSENT = "other_absent", _("Away for another reason")
        UNKNOWN = "unknown", _("Unknown")

    class Health(models.TextChoices):
        GOOD = "good", _("Good")
        CHRONIC_ILLNESS = "chronic_illness", _("Chronic illness")
        SERIOUS_ILLNESS = "serious_illness", _("Serious illness")
        DISABILITY = "disability", _("Disability")

    class Literacy(models.TextChoices):
        ILLITERATE = "illiterate", _("Cannot read")
        PRIMARY = "primary", _("Primary school")
        JUNIOR = "junior", _("Junior secondary")
        SENIOR_PLUS = "senior_plus", _("Senior secondary or above")

    class DisabilityType(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        VISUAL = "visual", _("Visual")
        HEARING = "hearing", _("Hearing")
        SPEECH = "speech", _("Speech")
        INTELLECTUAL = "intellectual", _("Intellectual")
        MENTAL = "mental", _("Mental")
        MULTIPLE = "multiple", _("Multiple")

    class Restriction(models.TextChoices):
        IMPRISONED = "imprisoned", _("Serving a prison sentence or detained")
        COMPULSORY_REHAB = "compulsory_rehab", _("Compulsory isolated drug rehabilitation")
        OTHER = "other_liberty_restriction", _("Another measure restricting personal liberty")

    class IncapacityReason(models.TextChoices):
        SEVERE_ILLNESS = "severe_illness", _("Serious illness")
        SEVERE_DISABILITY = "severe_disability", _("Serious disability")
        OTHER = "other", _("Other")

    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("household"),
    )
    name = models.CharField(_("name"), max_length=50)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=200, editable=False)
    name_initials = models.CharField(_("pinyin initials"), max_length=50, editable=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    wechat = models.CharField(_("WeChat"), max_length=50, blank=True)
    situation = models.CharField(
        _("situation"), max_length=20, choices=Situation.choices, default=Situation.AT_HOME
    )
    health = models.CharField(
        _("health"), max_length=20, choices=Health.choices, default=Health.GOOD
    )
    literacy = models.CharField(_("literacy"), max_length=20, choices=Literacy.choices, blank=True)
    lacks_guardianship_capacity = models.BooleanField(
        _("lacks guardianship capacity"), default=False
    )
    incapacity_reason = models.CharField(
        _("reason for lacking capacity"),
        max_length=20,
        choices=IncapacityReason.choices,
        blank=True,
    )

    # Situations that the de facto unsupported child rules look at (民发〔2019〕62号,
    # 民发〔2020〕125号; DOMAIN.md §3). Recorded from documents the family shows.
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), null=True, blank=True, choices=[(g, str(g)) for g in range(1, 5)]
    )
    disability_type = models.CharField(
        _("type of disability"), max_length=20, choices=DisabilityType.choices, blank=True
    )
    serious_illness_listed = models.BooleanField(
        _("illness on the county's serious-illness list"), null=True, blank=True
    )
    restriction = models.CharField(
        _("restriction of liberty"), max_length=30, choices=Restriction.choices, blank=True
    )
    restriction_term_months = models.PositiveSmallIntegerField(
        _("term of the restriction (months)"), null=True, blank=True
    )
    restriction_started_on = models.DateField(_("restriction started on"), null=True, blank=True)
    lost_contact_police_accepted_on = models.DateField(
        _("lost contact: police accepted the report on"), null=True, blank=True
    )
    declared_missing = models.BooleanField(_("declared missing by a court"), default=False)
    guardianship_revoked = models.BooleanField(_("guardianship revoked by a court"), default=False)
    deported = models.BooleanField(_("deported"), default=False)
    self_supporting = models.BooleanField(
        _("lives mainly on own labour income"), null=True, blank=True
    )
    infectious_disease = models.BooleanField(
        _("has a serious infectious disease"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    @property
    def current_absence(self) -> "ParentAbsence | None":
        absences = [a for a in self.absences.all() if a.ended_on is None]
        return absences[0] if absences else None


class Child(PublicModel):
    class SchoolStage(models.TextChoices):
        NOT_YET = "not_yet", _("Not yet in school")
        PRESCHOOL = "preschool", _("Pre-school")
        PRIMARY = "primary", _("Primary school")
        JUNIOR = "junior", _("Junior secondary")
        SENIOR = "senior", _("Senior secondary or vocational")
        OUT_OF_SCHOOL = "out_of_school", _("Out of school")

    class SafetyConcern(models.TextChoices):
        """The safety situations of 国发〔2016〕36号 (children in difficulty, 安全困境)."""

        ABUSE = "abuse", _("Abuse")
        ABANDONMENT = "abandonment", _("Abandonment")
        ACCIDENTAL_INJURY = "accidental_injury", _("Accidental injury")
        UNLAWFUL_HARM = "unlawful_harm", _("Unlawful harm")

    class HealthStatus(models.TextChoices):
        HEALTHY = "healthy", _("Healthy")
        ILL = "ill", _("Ill")
        DISABLED = "disabled", _("Disabled")

    name = models.CharField(_("name"), max_length=50)
    name_pinyin = models.CharField(_("name in pinyin"), max_length=200, editable=False)
    name_initials = models.CharField(_("pinyin initials"), max_length=50, editable=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族", blank=True)
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True)
    hukou_type = models.CharField(
        _("household registration"),
        max_length=10,
        choices=HukouType.choices,
        default=HukouType.RURAL,
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="children", verbose_name=_("household")
    )
    # No single-column indexes on village and county: the composite indexes below start
    # with them and serve the same lookups (one index less to keep up per imported child).
    village = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        related_name="registered_children",
        verbose_name=_("village"),
        db_index=False,
    )
    county = models.ForeignKey(
        "geo.Area",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("county"),
        db_index=False,
    )
    residence_address = models.CharField(_("where the child lives"), max_length=200, blank=True)
    school = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pupils",
        verbose_name=_("school"),
        limit_choices_to={"org_type": "school"},
    )
    school_stage = models.CharField(
        _("schooling"), max_length=20, choices=SchoolStage.choices, default=SchoolStage.PRIMARY
    )
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    boarding = models.BooleanField(_("boards at school"), default=False)
    health_status = models.CharField(
        _("health"), max_length=20, choices=HealthStatus.choices, default=HealthStatus.HEALTHY
    )
    disability_type = models.CharField(_("type of disability"), max_length=50, blank=True)
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), null=True, blank=True, choices=[(g, str(g)) for g in range(1, 5)]
    )
    lives_alone = models.BooleanField(_("lives alone, without guardianship"), default=False)
    left_unattended = models.BooleanField(
        _("left without anyone looking after the child"), default=False
    )
    needs_special_care = models.BooleanField(
        _("needs special care for physical or psychological reasons"), default=False
    )
    poverty_hardship = models.BooleanField(
        _("poverty makes living, medical care or schooling difficult"), default=False
    )
    safety_concerns = models.JSONField(_("safety concerns"), default=list, blank=True)
    confirmed_by_guardian = models.BooleanField(
        _("record confirmed by parent or caregiver"), default=False
    )
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("registered by"),
    )

    class Meta:
        ordering = ["name_pinyin", "birth_date"]
        verbose_name = _("child")
        verbose_name_plural = _("children")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "id_number"],
                condition=~Q(id_number=""),
                name="registry_child_unique_id_in_county",
            ),
        ]
        indexes = [
            models.Index(fields=["village", "name_pinyin"], name="registry_child_village_py"),
            models.Index(fields=["village", "name_initials"], name="registry_child_village_ini"),
            models.Index(fields=["county", "birth_date"], name="registry_child_county_dob"),
        ]

    def __str__(self) -> str:
        return self.name


class ChildRelation(models.Model):
    """How a person is related to a child (one person may be related to several siblings)."""

    class Relation(models.TextChoices):
        FATHER = "father", _("Father")
        MOTHER = "mother", _("Mother")
        PATERNAL_GRANDFATHER = "paternal_grandfather", _("Paternal grandfather")
        PATERNAL_GRANDMOTHER = "paternal_grandmother", _("Paternal grandmother")
        MATERNAL_GRANDFATHER = "maternal_grandfather", _("Maternal grandfather")
        MATERNAL_GRANDMOTHER = "maternal_grandmother", _("Maternal grandmother")
        SIBLING = "sibling", _("Adult sibling")
        OTHER_RELATIVE = "other_relative", _("Other relative")
        FRIEND_NEIGHBOUR = "friend_neighbour", _("Family friend or neighbour")

    GRANDPARENTS = frozenset(
        {
            Relation.PATERNAL_GRANDFATHER,
            Relation.PATERNAL_GRANDMOTHER,
            Relation.MATERNAL_GRANDFATHER,
            Relation.MATERNAL_GRANDMOTHER,
        }
    )
    PARENTS = frozenset({Relation.FATHER, Relation.MOTHER})

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="relations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="child_relations")
    relation = models.CharField(_("relation"), max_length=30, choices=Relation.choices)

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            models.UniqueConstraint(fields=["child", "person"], name="registry_relation_unique"),
            models.UniqueConstraint(
                fields=["child", "relation"],
                condition=Q(relation__in=["father", "mother"]),
                name="registry_one_father_one_mother",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relation_display()})"


class ParentAbsence(models.Model):
    """A period in which a parent works away from the child's home."""

    class ReturnPattern(models.TextChoices):
        SPRING_FESTIVAL = "spring_festival", _("Once a year, at Spring Festival")
        SEVERAL_A_YEAR = "several_a_year", _("Several times a year")
        MONTHLY = "monthly", _("About monthly")
        RARELY = "rarely", _("Less than once a year")
        NEVER = "never", _("Has not returned")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="absences")
    work_place = models.CharField(_("where working"), max_length=100)
    since = models.DateField(_("away since"))
    return_pattern = models.CharField(
        _("comes home"), max_length=20, choices=ReturnPattern.choices, blank=True
    )
    contact_channel = models.CharField(
        _("how to reach"),
        max_length=100,
        blank=True,
        help_text=_("Phone, WeChat or another way to reach the parent while away."),
    )
    ended_on = models.DateField(_("returned on"), null=True, blank=True)

    class Meta:
        ordering = ["-since"]
        verbose_name = _("parent's period away")
        verbose_name_plural = _("parents' periods away")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="registry_one_current_absence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.work_place} ({self.since})"


class CareArrangement(models.Model):
    """Who cares for the child day to day (the care arrangement categories of DOMAIN.md §1.2)."""

    class Category(models.TextChoices):
        PARENT = "parent", _("A parent at home")
        GRANDPARENTS = "grandparents", _("Grandparents")
        OTHER_RELATIVE_OR_FRIEND = "other_relative_or_friend", _("Other relative or friend")
        PARENT_AT_HOME_INCAPABLE = (
            "parent_at_home_incapable",
            _("Parent at home without guardianship capacity"),
        )
        NO_GUARDIAN = "no_guardian", _("Nobody")

    class Disqualifier(models.TextChoices):
        """Who may not be entrusted with a child's care (未成年人保护法 Art. 22)."""

        VIOLENT_OR_ABUSE_OFFENCE = (
            "violent_or_abuse_offence",
            _("Has committed sexual assault, abuse, abandonment, trafficking or violent injury"),
        )
        ADDICTION = "addiction", _("Drug, alcohol or gambling addiction")
        PAST_NEGLECT = (
            "past_neglect",
            _("Has refused or long neglected guardianship or care duties"),
        )
        OTHER_UNSUITABLE = "other_unsuitable", _("Otherwise unsuitable")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="care_arrangements")
    caregiver = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_given",
        verbose_name=_("caregiver"),
    )
    category = models.CharField(_("care arrangement"), max_length=30, choices=Category.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    has_care_capacity = models.BooleanField(_("caregiver able to provide care"), default=True)
    disqualifiers_checked = models.BooleanField(
        _("the Art. 22 disqualifications were checked"), default=False
    )
    disqualifiers = models.JSONField(_("disqualifications found"), default=list, blank=True)
    child_views_heard = models.BooleanField(
        _("the child's views were heard"), null=True, blank=True
    )
    notice_to_school_on = models.DateField(_("written notice to school on"), null=True, blank=True)
    notice_to_village_on = models.DateField(
        _("written notice to village committee on"), null=True, blank=True
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["-since"]
        verbose_name = _("care arrangement")
        verbose_name_plural = _("care arrangements")
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(ended_on__isnull=True),
                name="registry_one_current_care",
            ),
        ]

    def __str__(self) -> str:
        return self.get_category_display()
