"""The demo generator: reproducible, calibrated, valid under the registry's rules, usable."""

import datetime as dt
import hashlib
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.test import Client

from shouwang.access.capabilities import Cap
from shouwang.access.policies import scope
from shouwang.accounts.models import Organisation, RoleAssignment, User
from shouwang.audit.models import AuditEvent
from shouwang.demo import town
from shouwang.demo.generator import (
    DEMO_PASSWORD,
    DemoAlreadyPresent,
    demo_generate,
    demo_logins,
    demo_present,
)
from shouwang.geo.models import Area, AreaLevel
from shouwang.geo.services import area_create
from shouwang.lib.dates import full_years
from shouwang.lib.idcard import check_id_number
from shouwang.lib.pinyin import full_pinyin, pinyin_initials
from shouwang.registry.domain import MAX_CHILD_AGE
from shouwang.registry.models import (
    CareArrangement,
    Child,
    ChildRelation,
    Household,
    ParentAbsence,
    Person,
)

TODAY = dt.date(2026, 3, 1)
Category = CareArrangement.Category
Situation = Person.Situation


def _digest() -> str:
    """A fingerprint of everything the seed decides: names, dates, ID numbers, public ids."""
    h = hashlib.sha256()
    queries = [
        Organisation.objects.order_by("public_id").values_list(
            "public_id", "name_zh", "area__code"
        ),
        Household.objects.order_by("public_id").values_list(
            "public_id", "village__code", "address", "dibao", "tekun", "poverty_registered"
        ),
        Child.objects.order_by("public_id").values_list(
            "public_id",
            "name",
            "name_pinyin",
            "sex",
            "birth_date",
            "id_number",
            "village__code",
            "school__name_zh",
            "school_stage",
            "grade",
            "health_status",
        ),
        Person.objects.order_by("public_id").values_list(
            "public_id", "household__public_id", "name", "sex", "birth_year", "phone", "situation"
        ),
        ChildRelation.objects.order_by("child__public_id", "person__public_id").values_list(
            "child__public_id", "person__public_id", "relation"
        ),
        ParentAbsence.objects.order_by("person__public_id").values_list(
            "person__public_id", "work_place", "since", "return_pattern"
        ),
        CareArrangement.objects.order_by("child__public_id").values_list(
            "child__public_id", "caregiver__public_id", "category", "since", "has_care_capacity"
        ),
    ]
    for query in queries:
        for row in query:
            h.update(repr(row).encode())
    return h.hexdigest()


def _digest_of_rolled_back_run(*, seed: int, children: int) -> str:
    with transaction.atomic():
        demo_generate(seed=seed, children=children, today=TODAY)
        digest = _digest()
        transaction.set_rollback(True)
    return digest


@pytest.mark.django_db
def test_it_generates_the_same_town_from_the_same_seed_and_day() -> None:
    first = _digest_of_rolled_back_run(seed=7, children=150)
    assert not Child.objects.exists()

    demo_generate(seed=7, children=150, today=TODAY)

    assert _digest() == first


@pytest.mark.django_db
def test_it_generates_a_different_town_from_another_seed() -> None:
    first = _digest_of_rolled_back_run(seed=7, children=150)

    demo_generate(seed=8, children=150, today=TODAY)

    assert _digest() != first
    assert Child.objects.count() == 150


@pytest.mark.django_db
def test_it_is_calibrated_on_the_2018_national_figures() -> None:
    """DOMAIN.md §7.2 (MCA, August 2018); tolerances of about three standard errors."""
    summary = demo_generate(seed=2016, children=2000, today=TODAY)
    assert summary.children == Child.objects.count() == 2000

    children = list(Child.objects.values("id", "sex", "birth_date", "id_number", "health_status"))
    n = len(children)
    boys = sum(c["sex"] == "male" for c in children) / n
    assert 0.515 <= boys <= 0.575

    ages = [full_years(c["birth_date"], TODAY) for c in children]
    assert max(ages) <= MAX_CHILD_AGE
    under_16 = [a for a in ages if a < 16]
    assert len(under_16) / n >= 0.95
    bands = Counter("0-5" if a <= 5 else "6-13" if a <= 13 else "14-15" for a in under_16)
    assert 0.187 <= bands["0-5"] / len(under_16) <= 0.247
    assert 0.634 <= bands["6-13"] / len(under_16) <= 0.714
    assert 0.080 <= bands["14-15"] / len(under_16) <= 0.140

    care = Counter(CareArrangement.objects.values_list("category", flat=True))
    assert care.total() == n
    assert 0.93 <= care[Category.GRANDPARENTS] / n <= 0.985
    assert 0.02 <= care[Category.OTHER_RELATIVE_OR_FRIEND] / n <= 0.06
    assert 1 <= care[Category.NO_GUARDIAN] <= 0.01 * n
    assert care[Category.PARENT] == 0

    away = set(Person.objects.filter(situation=Situation.WORKING_AWAY).values_list("id", flat=True))
    parents: dict[int, list[int]] = {}
    for child_id, person_id in ChildRelation.objects.filter(
        relation__in=["father", "mother"]
    ).values_list("child_id", "person_id"):
        parents.setdefault(child_id, []).append(person_id)
    both_away = sum(all(p in away for p in ps) and len(ps) == 2 for ps in parents.values())
    assert both_away / n >= 0.85
    assert all(any(p in away for p in ps) for ps in parents.values())  # all left behind

    places = list(ParentAbsence.objects.values_list("work_place", flat=True))
    outside_henan = sum(not p.startswith("河南") for p in places) / len(places)
    assert 0.75 <= outside_henan <= 0.95

    health = Counter(c["health_status"] for c in children)
    assert health[Child.HealthStatus.DISABLED] / n <= 0.015
    assert 0.78 <= sum(bool(c["id_number"]) for c in children) / n <= 0.92

    sizes = Counter(Child.objects.values_list("household_id", flat=True))
    households = len(sizes)
    assert 0.20 <= sum(size == 2 for size in sizes.values()) / households <= 0.30

    flags = Household.objects.aggregate(dibao=Count("id", filter=Q(dibao=True)))
    assert 0.02 <= flags["dibao"] / households <= 0.08


@pytest.mark.django_db
def test_it_spreads_children_unevenly_with_clustered_surnames_and_same_names() -> None:
    demo_generate(children=1200, today=TODAY)

    by_village = dict(Child.objects.values_list("village__code").annotate(n=Count("id")).order_by())
    s_villages = [f"{town.S_TOWN_CODE[:9]}{v.code_suffix}" for v in town.S_TOWN_VILLAGES]
    assert max(by_village, key=by_village.__getitem__) == s_villages[0]
    assert by_village[s_villages[0]] >= 3 * by_village[s_villages[-1]]
    q_share = sum(n for code, n in by_village.items() if code.startswith(town.Q_TOWN_CODE[:9]))
    assert q_share == round(1200 * town.Q_TOWN_SHARE)

    wangzhuang = Child.objects.filter(village__code=s_villages[0])
    surnames = Counter(name[0] for name in wangzhuang.values_list("name", flat=True))
    assert surnames.most_common(1)[0][0] == "王"
    assert surnames["王"] / wangzhuang.count() >= 0.25

    names = Counter(Child.objects.values_list("name", flat=True))
    assert any(count > 1 for count in names.values())  # same-name children exist

    # The demo director meets a child nobody looks after (the red-alert case).
    assert wangzhuang.filter(
        care_arrangements__category=Category.NO_GUARDIAN, care_arrangements__ended_on=None
    ).exists()


@pytest.mark.django_db
def test_it_gives_valid_unique_id_numbers_that_agree_with_the_child() -> None:
    demo_generate(seed=3, children=600, today=TODAY)

    rows = list(
        Child.objects.exclude(id_number="").values_list(
            "county_id", "id_number", "birth_date", "sex"
        )
    )
    assert rows
    for _, number, birth_date, sex in rows:
        checked = check_id_number(
            number, today=TODAY, birth_date=birth_date, sex=sex, max_age=MAX_CHILD_AGE
        )
        assert checked.errors == [], number
        assert checked.warnings == [], number
        assert (checked.birth_date, checked.sex) == (birth_date, sex)
    assert len({(county, number) for county, number, _, _ in rows}) == len(rows)
    regions = Counter(number[:6] for _, number, _, _ in rows)
    assert regions.most_common(1)[0][0] == town.COUNTY_REGION


@pytest.mark.django_db
def test_it_fills_the_pinyin_keys_as_the_registry_does() -> None:
    demo_generate(seed=5, children=300, today=TODAY)

    for model in (Child, Person):
        for name, pinyin, initials in model.objects.values_list(
            "name", "name_pinyin", "name_initials"
        ):
            assert pinyin
            assert initials
            assert pinyin == full_pinyin(name)
            assert initials == pinyin_initials(name)


@pytest.mark.django_db
def test_it_writes_families_that_the_registry_rules_accept() -> None:
    """What ``registry.domain`` would demand of a registration, checked row by row."""
    demo_generate(seed=11, children=400, today=TODAY)

    for child in Child.objects.select_related("village__level", "county", "school"):
        assert child.village.level.slug == "village"
        assert child.village.ancestor_at("county") == child.county
        assert child.birth_date <= TODAY
        assert child.disability_grade is None or child.health_status == "disabled"
        age = full_years(child.birth_date, TODAY)
        stage = (
            "not_yet"
            if age <= 2
            else "preschool"
            if age <= 5
            else "primary"
            if age <= 11
            else "junior"
            if age <= 14
            else "senior"
        )
        assert child.school_stage in {stage, "out_of_school"}
        assert child.school is None or child.school.org_type == Organisation.Type.SCHOOL

        links = {r.relation: r.person for r in child.relations.select_related("person")}
        father, mother = links["father"], links["mother"]
        for parent in (father, mother):
            if parent.situation in {Situation.AT_HOME, Situation.WORKING_AWAY}:
                assert parent.name
            if parent.lacks_guardianship_capacity:
                assert parent.incapacity_reason
            absence = parent.absences.filter(ended_on__isnull=True).first()
            assert (absence is not None) == (parent.situation == Situation.WORKING_AWAY)
            if absence is not None:
                assert absence.work_place
                assert absence.since <= TODAY

        care = child.care_arrangements.get(ended_on__isnull=True)
        if care.category == Category.NO_GUARDIAN:
            assert care.caregiver is None
        elif care.category == Category.PARENT_AT_HOME_INCAPABLE:
            assert care.caregiver in {father, mother}
            assert care.caregiver.situation == Situation.AT_HOME
            assert care.caregiver.lacks_guardianship_capacity
        else:
            relation = next(r for r, p in links.items() if p == care.caregiver)
            if care.category == Category.GRANDPARENTS:
                assert relation in ChildRelation.GRANDPARENTS
            else:
                assert relation in {"other_relative", "friend_neighbour"}
        for day in (care.since, care.notice_to_school_on, care.notice_to_village_on):
            assert day is None or day <= TODAY


@pytest.mark.django_db
def test_it_builds_the_area_tree_and_organisations_of_all_four_sectors() -> None:
    demo_generate(children=50, today=TODAY)

    assert list(AreaLevel.objects.values_list("slug", flat=True)) == [
        "province",
        "prefecture",
        "county",
        "township",
        "village",
    ]
    province = Area.objects.get(code=town.PROVINCE_CODE)
    assert all(len(a.code) == 12 and a.is_within(province) for a in Area.objects.all())
    s_town = Area.objects.get(code=town.S_TOWN_CODE)
    assert s_town.name_zh == "S镇"
    assert s_town.subareas.count() == len(town.S_TOWN_VILLAGES) == 15
    assert Area.objects.get(code=town.Q_TOWN_CODE).subareas.count() == 2

    assert set(Organisation.objects.values_list("sector", flat=True)) == set(
        Organisation.Sector.values
    )
    schools = Organisation.objects.filter(org_type=Organisation.Type.SCHOOL)
    assert schools.filter(name_zh__endswith="中心小学").exists()
    assert schools.filter(name_zh__endswith="初级中学").exists()
    assert 3 <= schools.filter(name_zh__endswith="教学点").count() <= 4


@pytest.mark.django_db
def test_it_creates_one_login_per_role_that_can_sign_in(client: Client) -> None:
    summary = demo_generate(children=60, today=TODAY)

    expected = {
        "director": ("child_director", "王庄村", None),
        "director2": ("child_director", "李楼村", None),
        "supervisor": ("township_supervisor", "S镇", None),
        "county": ("county_officer", "X县", None),
        "teacher": ("school_liaison", "S镇", "S镇中心小学"),
        "provider": ("service_provider", "X县", "X县阳光社会工作服务中心"),
        "researcher": ("researcher", "X县", None),
        "admin": ("administrator", "河南省", None),
        "outsider": ("township_supervisor", "Q镇", None),
    }
    assert [login.username for login in summary.logins] == list(expected)
    assert summary.logins == tuple(demo_logins())
    for username, (role, area, organisation) in expected.items():
        user = User.objects.get(username=username)
        assert user.real_name
        assert client.login(username=username, password=DEMO_PASSWORD)
        client.logout()
        grant = RoleAssignment.objects.select_related("area", "organisation").get(user=user)
        assert (grant.role, grant.area.name_zh) == (role, area)
        assert (grant.organisation.name_zh if grant.organisation else None) == organisation
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()


@pytest.mark.django_db
def test_it_shows_each_role_only_its_own_children() -> None:
    demo_generate(children=300, today=TODAY)
    children = Child.objects.all()

    def seen(username: str) -> set[str]:
        user = User.objects.get(username=username)
        return set(scope(user, Cap.VIEW_CHILD, children).values_list("village__code", flat=True))

    q_prefix, s_prefix = town.Q_TOWN_CODE[:9], town.S_TOWN_CODE[:9]
    assert seen("outsider")
    assert all(code.startswith(q_prefix) for code in seen("outsider"))
    assert all(code.startswith(s_prefix) for code in seen("supervisor"))
    assert seen("director") == {f"{s_prefix}201"}
    assert len(seen("county")) == len(town.S_TOWN_VILLAGES) + len(town.Q_TOWN_VILLAGES)
    teacher = User.objects.get(username="teacher")
    pupils = scope(teacher, Cap.VIEW_CHILD, children)
    assert pupils.exists()
    assert set(pupils.values_list("school__name_zh", flat=True)) == {"S镇中心小学"}
    for username in ("provider", "researcher", "admin"):
        assert not scope(User.objects.get(username=username), Cap.VIEW_CHILD, children).exists()


@pytest.mark.django_db
def test_it_records_one_audit_event_for_the_run() -> None:
    summary = demo_generate(seed=9, children=40, today=TODAY)

    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.DEMO_GENERATED
    assert event.actor is None
    assert event.actor_label == "demo"
    assert event.extra == {"seed": 9, "children": 40, "households": summary.households}


@pytest.mark.django_db
def test_it_refuses_a_database_that_already_has_children() -> None:
    assert not demo_present()
    demo_generate(children=30, today=TODAY)
    assert demo_present()
    before = (Child.objects.count(), AuditEvent.objects.count())

    with pytest.raises(DemoAlreadyPresent):
        demo_generate(children=30, today=TODAY)
    # Even when told to accept other children, the demo town is not generated twice.
    with pytest.raises(DemoAlreadyPresent):
        demo_generate(children=30, today=TODAY, allow_existing=True)

    assert (Child.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_it_refuses_when_a_demo_user_name_is_taken() -> None:
    User.objects.create_user(username="admin", password="not-the-demo-one")

    with pytest.raises(DemoAlreadyPresent, match="admin"):
        demo_generate(children=30, today=TODAY)

    assert not Area.objects.filter(code=town.S_TOWN_CODE).exists()


@pytest.mark.django_db
def test_it_reuses_a_matching_province_but_never_grafts_onto_a_real_prefecture() -> None:
    province_level = AreaLevel.objects.create(
        slug="province", depth=0, name_zh="省", name_en="Province"
    )
    prefecture_level = AreaLevel.objects.create(
        slug="prefecture", depth=1, name_zh="地级市", name_en="Prefecture"
    )
    henan = area_create(
        parent=None, level=province_level, code=town.PROVINCE_CODE, name_zh="河南省"
    )
    real = area_create(
        parent=henan, level=prefecture_level, code=town.PREFECTURE_CODE, name_zh="洛阳市"
    )

    with pytest.raises(DemoAlreadyPresent, match="洛阳市"):
        demo_generate(children=20, today=TODAY)
    assert Area.objects.count() == 2
    assert not User.objects.exists()

    real.delete()
    demo_generate(children=20, today=TODAY)
    assert Area.objects.filter(code=town.PROVINCE_CODE).get() == henan
    assert Area.objects.get(code=town.COUNTY_CODE).is_within(henan)
