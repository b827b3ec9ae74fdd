"""factory_boy factories for records the tests need. Children are built through the same
pinyin helpers as the services, so search behaves as in production."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from shouwang.accounts.models import Organisation, RoleAssignment, User
from shouwang.geo.models import Area, AreaLevel
from shouwang.lib.pinyin import full_pinyin, pinyin_initials
from shouwang.registry.models import (
    CareArrangement,
    Child,
    ChildRelation,
    Household,
    ParentAbsence,
    Person,
)

LEVELS = [
    ("province", 1, "省", "Province"),
    ("prefecture", 2, "市", "Prefecture"),
    ("county", 3, "县", "County"),
    ("township", 4, "乡镇", "Township"),
    ("village", 5, "村", "Village"),
]


def area_levels() -> dict[str, AreaLevel]:
    return {
        slug: AreaLevel.objects.get_or_create(
            slug=slug, defaults={"depth": depth, "name_zh": zh, "name_en": en}
        )[0]
        for slug, depth, zh, en in LEVELS
    }


def make_area(parent: Area | None, level: str, code: str, name_zh: str, name_en: str = "") -> Area:
    area = Area(
        parent=parent, level=area_levels()[level], code=code, name_zh=name_zh, name_en=name_en
    )
    area.path = area.compute_path()
    area.save()
    return area


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.LazyAttribute(lambda o: o.username.title())
    password = factory.django.Password("pw-for-tests")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name_zh = factory.Sequence(lambda n: f"机构{n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    org_type = Organisation.Type.NGO
    sector = Organisation.Sector.VOLUNTARY


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = RoleAssignment.Role.CHILD_DIRECTOR
    active = True


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    address = factory.Sequence(lambda n: f"{n}号")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = "王建国"
    name_pinyin = factory.LazyAttribute(lambda o: full_pinyin(o.name))
    name_initials = factory.LazyAttribute(lambda o: pinyin_initials(o.name))


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    name = "李小明"
    name_pinyin = factory.LazyAttribute(lambda o: full_pinyin(o.name))
    name_initials = factory.LazyAttribute(lambda o: pinyin_initials(o.name))
    sex = "male"
    birth_date = dt.date(2016, 5, 1)
    household = factory.LazyAttribute(lambda o: HouseholdFactory(village=o.village))
    county = factory.LazyAttribute(lambda o: o.village.ancestor_at("county"))


def add_family(
    child: Child, *, father_away: bool = True, mother_away: bool = True, carer: str = "grandmother"
) -> None:
    """Give ``child`` two parents (away or at home) and a current care arrangement."""
    for relation, name, sex, away in (
        ("father", "李建国", "male", father_away),
        ("mother", "王秀英", "female", mother_away),
    ):
        situation = Person.Situation.WORKING_AWAY if away else Person.Situation.AT_HOME
        person = PersonFactory(household=child.household, name=name, sex=sex, situation=situation)
        ChildRelation.objects.create(child=child, person=person, relation=relation)
        if away:
            ParentAbsence.objects.create(
                person=person, work_place="广东省东莞市", since=dt.date(2020, 3, 1)
            )
    if carer == "grandmother":
        granny = PersonFactory(
            household=child.household, name="李奶奶", sex="female", birth_year=1958
        )
        ChildRelation.objects.create(
            child=child, person=granny, relation=ChildRelation.Relation.PATERNAL_GRANDMOTHER
        )
        CareArrangement.objects.create(
            child=child,
            caregiver=granny,
            category=CareArrangement.Category.GRANDPARENTS,
            since=dt.date(2020, 3, 1),
        )
