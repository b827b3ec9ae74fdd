"""The personas world: a small fixed area tree and one user per role, after healthchecks'
alice/bob/charlie. Every view test uses these names, so a denial reads as a sentence:
"bob, supervisor of the other town, gets 404 for alice's child".

    Henan (province) > L city (prefecture) > L county
        S-town (township A): village A1 (alice), village A2 (amy); school "S-town central primary"
        Q-town (township B): village B1 (dora)

Personas:
    alice  child director, village A1          amy    child director, village A2
    sam    township supervisor, S-town         bob    township supervisor, Q-town
    carl   county officer, L county            tina   school liaison, S-town central primary
    pat    service provider (NGO)              rita   researcher (county)
    adam   administrator (superuser, no child role)
    nora   signed in, no role at all
Children: hongmei (张红梅, A1), xiaoming (李小明, A2, pupil of tina's school), qiang (王强, B1).
"""

import datetime as dt
from dataclasses import dataclass

from shouwang.accounts.models import Organisation, RoleAssignment, User
from shouwang.geo.models import Area
from shouwang.registry.models import Child
from shouwang.testing.factories import (
    ChildFactory,
    OrganisationFactory,
    RoleAssignmentFactory,
    UserFactory,
    add_family,
    make_area,
)

PASSWORD = "pw-for-tests"  # noqa: S105
Role = RoleAssignment.Role


@dataclass
class World:
    province: Area
    county: Area
    town_a: Area
    village_a1: Area
    village_a2: Area
    town_b: Area
    village_b1: Area
    school: Organisation
    ngo: Organisation
    alice: User
    amy: User
    sam: User
    bob: User
    carl: User
    tina: User
    pat: User
    rita: User
    adam: User
    nora: User
    hongmei: Child
    xiaoming: Child
    qiang: Child


def build_world() -> World:
    province = make_area(None, "province", "410000000000", "河南省", "Henan")
    city = make_area(province, "prefecture", "410300000000", "L市", "L City")
    county = make_area(city, "county", "410322000000", "L县", "L County")
    town_a = make_area(county, "township", "410322100000", "S镇", "S-town")
    a1 = make_area(town_a, "village", "410322100201", "东王村", "Dongwang")
    a2 = make_area(town_a, "village", "410322100202", "西李村", "Xili")
    town_b = make_area(county, "township", "410322200000", "Q镇", "Q-town")
    b1 = make_area(town_b, "village", "410322200201", "南张村", "Nanzhang")

    school = OrganisationFactory(
        name_zh="S镇中心小学",
        name_en="S-town central primary",
        org_type=Organisation.Type.SCHOOL,
        sector=Organisation.Sector.STATE,
        area=town_a,
    )
    ngo = OrganisationFactory(name_zh="阳光社工", name_en="Sunshine Social Work", area=county)

    def person(username: str, role: str, area: Area, org: Organisation | None = None) -> User:
        user = UserFactory(username=username)
        RoleAssignmentFactory(user=user, role=role, area=area, organisation=org)
        return user

    adam = UserFactory(username="adam", is_staff=True, is_superuser=True)
    hongmei = ChildFactory(name="张红梅", sex="female", village=a1, birth_date=dt.date(2014, 9, 1))
    xiaoming = ChildFactory(name="李小明", village=a2, school=school)
    qiang = ChildFactory(name="王强", village=b1, birth_date=dt.date(2012, 1, 15))
    for child in (hongmei, xiaoming, qiang):
        add_family(child)

    return World(
        province=province,
        county=county,
        town_a=town_a,
        village_a1=a1,
        village_a2=a2,
        town_b=town_b,
        village_b1=b1,
        school=school,
        ngo=ngo,
        alice=person("alice", Role.CHILD_DIRECTOR, a1),
        amy=person("amy", Role.CHILD_DIRECTOR, a2),
        sam=person("sam", Role.TOWNSHIP_SUPERVISOR, town_a),
        bob=person("bob", Role.TOWNSHIP_SUPERVISOR, town_b),
        carl=person("carl", Role.COUNTY_OFFICER, county),
        tina=person("tina", Role.SCHOOL_LIAISON, town_a, school),
        pat=person("pat", Role.SERVICE_PROVIDER, county, ngo),
        rita=person("rita", Role.RESEARCHER, county),
        adam=adam,
        nora=UserFactory(username="nora"),
        hongmei=hongmei,
        xiaoming=xiaoming,
        qiang=qiang,
    )
