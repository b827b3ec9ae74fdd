"""Generate the fictional demo town: S-town (S镇), L city (L市), Henan, with Q-town beside it.

Why it exists: the platform is shown, tested by hand and benchmarked on data that looks
like a real township's registry without any real child in it (DESIGN.md §7).

How it is calibrated (DOMAIN.md §7.2, MCA information system, August 2018): ages 0-5 /
6-13 / 14-15 in the proportions 21.7% / 67.4% / 10.9% (plus a few 16-17 year olds),
54.5% boys, about 96% cared for by grandparents and 4% by other relatives or friends,
0.5% disabled and 0.1% ill; most parents work in the coastal provinces.

Why it is written this way:
- Deterministic: every random choice comes from one ``random.Random(seed)``, consumed in
  a fixed order, and public UUIDs are drawn from it too, so the same ``seed`` and
  ``today`` give the same names, dates, ID numbers and public ids.
- Fast: 50,000 children must be generated in under two minutes on a 2-core machine. Rows
  are built in memory a chunk of households at a time and written with ``bulk_create``
  inside one transaction; the per-child registry service (permission check, validation,
  audit per child) would be far too slow, so the generator produces only data that those
  rules accept, and the tests check that it does.
- Audited: one ``demo.generated`` audit event in the same transaction.
"""

import bisect
import datetime as dt
import itertools
import random
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumValidationError

from shouwang.accounts.models import Organisation, RoleAssignment, User
from shouwang.audit.models import AuditEvent
from shouwang.audit.services import SystemActor, audit_record
from shouwang.cases.models import ContactLog
from shouwang.core.errors import ApplicationError
from shouwang.demo import names, town
from shouwang.geo.models import Area, AreaLevel
from shouwang.geo.services import area_create
from shouwang.lib.dates import full_years
from shouwang.lib.idcard import make_id_number
from shouwang.lib.pinyin import full_pinyin, normalise_name, pinyin_initials
from shouwang.registry.models import (
    CareArrangement,
    Child,
    ChildRelation,
    Household,
    ParentAbsence,
    Person,
    Sex,
)

# Entrusted care and parents' contact (未成年人保护法 Arts. 22-23): our demo's choices.
CARER_CHECKED_SHARE = 0.8  # the village asked about the Art. 22 disqualifications
CONTACT_NONE_SHARE = 0.04  # no contact logged at all for this parent
CONTACT_THIS_WEEK_SHARE = 0.85  # newest logged contact within the last 7 days
DEMO_PASSWORD = "shouwang-demo"  # noqa: S105  (printed on purpose: demo logins only)
DEFAULT_SEED = 2016  # the year of the State Council's opinion (国发〔2016〕13号)
DEFAULT_CHILDREN = 1200
HOUSEHOLDS_PER_CHUNK = 2000

# Calibration (DOMAIN.md §7.2) and the demo's own choices.
AGE_BANDS: tuple[tuple[int, int, float], ...] = ((0, 5, 0.217), (6, 13, 0.674), (14, 15, 0.109))
OLDER_SHARE = 0.03  # aged 16-17, still registered (children in difficulty)
BOY_SHARE = 0.545
SIBLING_HOUSEHOLD_SHARE = 0.25
ID_NUMBER_SHARE = 0.85
DISABLED_SHARE = 0.005
ILL_SHARE = 0.001
# A handful left with nobody, to exercise the red alert (DOMAIN.md §1.2): a share of the
# households whose youngest child is 10 or older (about 0.2% of all children), and always
# one in the largest village so that the demo director meets the case.
NO_GUARDIAN_SHARE_OF_OLDER = 0.004
NO_GUARDIAN_MIN_AGE = 10
OTHER_CARER_SHARE = 0.04
# Family situations: both parents away; one away and the other at home without
# guardianship capacity; one away and the other deceased, divorced and gone, or missing.
BOTH_AWAY, ONE_INCAPABLE, ONE_GONE = "both_away", "one_incapable", "one_gone"
FAMILY_SITUATIONS: tuple[tuple[str, float], ...] = (
    (BOTH_AWAY, 0.92),
    (ONE_INCAPABLE, 0.03),
    (ONE_GONE, 0.05),
)

Relation = ChildRelation.Relation
Category = CareArrangement.Category
Stage = Child.SchoolStage
Role = RoleAssignment.Role
Org = Organisation.Type
Sector = Organisation.Sector

T = TypeVar("T")


class DemoAlreadyPresent(ApplicationError):  # noqa: N818  (reads as the situation it names)
    """The database already holds children (or the demo town): generating would mix data.

    Its messages are bilingual plain text, not translatable strings: they are only ever
    shown by the ``shouwang demo`` console command.
    """


@dataclass(frozen=True)
class DemoLogin:
    username: str
    real_name: str
    role: str  # a RoleAssignment.Role value
    area_zh: str
    area_en: str
    organisation: str = ""
    password: str = DEMO_PASSWORD


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    today: dt.date
    children: int
    households: int
    people: int
    relations: int
    absences: int
    care_arrangements: int
    contacts: int
    areas: int
    organisations: int
    logins: tuple[DemoLogin, ...]
    seconds: float

    @property
    def rows(self) -> int:
        """Registry rows written (children, households, people and their links)."""
        return (
            self.children
            + self.households
            + self.people
            + self.relations
            + self.absences
            + self.care_arrangements
            + self.contacts
        )


@dataclass(frozen=True)
class _UserSpec:
    username: str
    real_name: str
    role: str
    area: str  # a key of the generated areas
    organisation: str = ""  # a key of the generated organisations
    staff: bool = False


DEMO_USERS: tuple[_UserSpec, ...] = (
    _UserSpec("director", "王春梅", Role.CHILD_DIRECTOR, "village:S:201"),
    _UserSpec("director2", "李建华", Role.CHILD_DIRECTOR, "village:S:202"),
    _UserSpec("supervisor", "张丽娟", Role.TOWNSHIP_SUPERVISOR, "s_town"),
    _UserSpec("county", "刘志强", Role.COUNTY_OFFICER, "county"),
    _UserSpec("teacher", "陈静", Role.SCHOOL_LIAISON, "s_town", "s_primary"),
    _UserSpec("provider", "杨帆", Role.SERVICE_PROVIDER, "county", "social_work"),
    _UserSpec("researcher", "赵明", Role.RESEARCHER, "county"),
    _UserSpec("admin", "系统管理员", Role.ADMINISTRATOR, "province", staff=True),
    _UserSpec("outsider", "周涛", Role.TOWNSHIP_SUPERVISOR, "q_town"),
)


def demo_present() -> bool:
    """True when the database already holds children: the demo will not write into it."""
    return Child.objects.exists()


def demo_logins() -> list[DemoLogin]:
    """The demo logins found in the database (for ``shouwang demo --if-empty``)."""
    wanted = [spec.username for spec in DEMO_USERS]
    grants = RoleAssignment.objects.filter(user__username__in=wanted, active=True).select_related(
        "user", "area", "organisation"
    )
    by_user = {grant.user.username: grant for grant in grants}
    return [_login(by_user[name]) for name in wanted if name in by_user]


def _login(grant: RoleAssignment) -> DemoLogin:
    return DemoLogin(
        username=grant.user.username,
        real_name=grant.user.real_name,
        role=grant.role,
        area_zh=grant.area.name_zh,
        area_en=grant.area.name_en,
        organisation=grant.organisation.name_zh if grant.organisation else "",
    )


def demo_generate(
    *,
    seed: int = DEFAULT_SEED,
    children: int = DEFAULT_CHILDREN,
    today: dt.date | None = None,
    allow_existing: bool = False,
) -> DemoSummary:
    """Generate the demo town with ``children`` children, in one transaction.

    Refuses (``DemoAlreadyPresent``) when the database already holds children, unless
    ``allow_existing`` (the demo town itself, or its users, may still not exist twice).
    """
    if children < 1:
        msg = "children must be at least 1"
        raise ValueError(msg)
    started = time.perf_counter()
    with transaction.atomic():
        if not allow_existing and demo_present():
            raise DemoAlreadyPresent(
                "数据库中已有儿童，演示数据只生成到空库中。 / The database already holds "
                "children; the demo is generated only into an empty registry."
            )
        if Area.objects.filter(code=town.S_TOWN_CODE).exists():
            raise DemoAlreadyPresent(
                "演示乡镇（S镇）已在数据库中。 / The demo town (S-town) is already in the database."
            )
        clash = sorted(
            User.objects.filter(username__in=[s.username for s in DEMO_USERS]).values_list(
                "username", flat=True
            )
        )
        if clash:
            raise DemoAlreadyPresent(
                f"演示账号的用户名已被占用 / demo user names already taken: {', '.join(clash)}"
            )
        builder = _Builder(seed=seed, today=today or timezone.localdate())
        builder.build(children)
        audit_record(
            actor=SystemActor("demo"),
            action=AuditEvent.Action.DEMO_GENERATED,
            area=builder.areas["county"],
            extra={
                "seed": seed,
                "children": builder.counts["children"],
                "households": builder.counts["households"],
            },
        )
    counts = builder.counts
    return DemoSummary(
        seed=seed,
        today=builder.today,
        children=counts["children"],
        households=counts["households"],
        people=counts["people"],
        relations=counts["relations"],
        absences=counts["absences"],
        care_arrangements=counts["care_arrangements"],
        contacts=counts["contacts"],
        areas=len(builder.areas),
        organisations=len(builder.orgs),
        logins=tuple(builder.logins),
        seconds=time.perf_counter() - started,
    )


class _Picker(Generic[T]):
    """A weighted choice with precomputed cumulative weights (one ``random()`` per pick)."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        index = bisect.bisect_right(self.cumulative, rng.random() * self.total)
        return self.items[min(index, len(self.items) - 1)]


def _picker(pairs: Sequence[tuple[T, float]]) -> _Picker[T]:
    return _Picker([item for item, _ in pairs], [weight for _, weight in pairs])


def _names(items: tuple[str, ...], exponent: float = 0.9) -> _Picker[str]:
    return _Picker(items, names.ranked_weights(items, exponent))


SURNAMES = _Picker([s for s, _ in names.SURNAMES], [w for _, w in names.SURNAMES])
CHILD_NAMES = {
    sex: (_names(popular, 0.6), _names(single), _names(first, 0.5), _names(second, 0.5))
    for sex, popular, single, first, second in (
        (Sex.MALE, names.BOY_POPULAR, names.BOY_SINGLE, names.BOY_FIRST, names.BOY_SECOND),
        (
            Sex.FEMALE,
            names.GIRL_POPULAR,
            names.GIRL_SINGLE,
            names.GIRL_FIRST,
            names.GIRL_SECOND,
        ),
    )
}
CHILD_NAME_KIND = _Picker(("popular", "single", "composed"), names.CHILD_NAME_KINDS)
GIVEN = {
    ("adult", Sex.MALE): _names(names.MEN_NAMES),
    ("adult", Sex.FEMALE): _names(names.WOMEN_NAMES),
    ("old", Sex.MALE): _names(names.OLD_MEN_NAMES),
    ("old", Sex.FEMALE): _names(names.OLD_WOMEN_NAMES),
}
FAMILY_SITUATION = _picker(FAMILY_SITUATIONS)
WORK_PLACE = _Picker(
    [(place, in_henan) for place, _, in_henan in town.WORK_PLACES],
    [weight for _, weight, _ in town.WORK_PLACES],
)
Return = ParentAbsence.ReturnPattern
RETURN_NEAR = _picker(
    [(Return.MONTHLY, 0.5), (Return.SEVERAL_A_YEAR, 0.45), (Return.SPRING_FESTIVAL, 0.05)]
)
RETURN_FAR = _picker(
    [
        (Return.SPRING_FESTIVAL, 0.68),
        (Return.SEVERAL_A_YEAR, 0.17),
        (Return.RARELY, 0.10),
        (Return.MONTHLY, 0.02),
        (Return.NEVER, 0.03),
    ]
)
CONTACT_CHANNEL = _picker(
    [("微信视频", 0.45), ("电话", 0.30), ("微信语音", 0.15), ("电话、微信", 0.10)]
)
CONTACT_LOG_CHANNEL = _picker(
    [
        (ContactLog.Channel.VIDEO, 0.55),
        (ContactLog.Channel.PHONE, 0.40),
        (ContactLog.Channel.MONEY_OR_PARCEL, 0.05),
    ]
)
Income = Household.IncomeSource
INCOME = _picker(
    [
        (Income.MIGRANT_WORK, 0.90),
        (Income.FARMING, 0.05),
        (Income.LIVESTOCK, 0.02),
        (Income.LOCAL_WAGES, 0.02),
        (Income.BUSINESS, 0.01),
    ]
)
Health = Person.Health
OLD_HEALTH = _picker(
    [
        (Health.GOOD, 0.68),
        (Health.CHRONIC_ILLNESS, 0.27),
        (Health.SERIOUS_ILLNESS, 0.04),
        (Health.DISABILITY, 0.01),
    ]
)
Literacy = Person.Literacy
ADULT_LITERACY = _picker(
    [(Literacy.PRIMARY, 0.12), (Literacy.JUNIOR, 0.60), (Literacy.SENIOR_PLUS, 0.28)]
)
OLD_LITERACY = _picker(
    [(Literacy.ILLITERATE, 0.38), (Literacy.PRIMARY, 0.47), (Literacy.JUNIOR, 0.15)]
)
Situation = Person.Situation
GONE_MOTHER = _picker(
    [(Situation.DIVORCED_ABSENT, 0.6), (Situation.MISSING, 0.15), (Situation.DECEASED, 0.25)]
)
GONE_FATHER = _picker(
    [(Situation.DECEASED, 0.5), (Situation.DIVORCED_ABSENT, 0.4), (Situation.MISSING, 0.1)]
)
PRESCHOOL_GRADES = ("小班", "中班", "大班")
JUNIOR_GRADES = ("七年级", "八年级", "九年级")
SENIOR_GRADES = ("高一", "高二", "高三")
PHONE_PREFIX = "100"  # never a mobile prefix: a demo number reaches nobody


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


@dataclass
class _VillageCtx:
    spec: town.Village
    area: Area
    township: str  # "S" or "Q"
    key: str  # the key of its area in ``_Builder.areas``
    lineage: _Picker[str | None] = field(init=False)

    def __post_init__(self) -> None:
        share = sum(s for _, s in self.spec.lineages)
        self.lineage = _Picker(
            [*(name for name, _ in self.spec.lineages), None],
            [*(s for _, s in self.spec.lineages), 1.0 - share],
        )


@dataclass
class _Family:
    """The rows of one household, built in memory before the chunk is written."""

    household: Household
    people: list[Person] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)
    relations: list[ChildRelation] = field(default_factory=list)
    absences: list[ParentAbsence] = field(default_factory=list)
    cares: list[CareArrangement] = field(default_factory=list)
    contacts: list[ContactLog] = field(default_factory=list)


@dataclass
class _Parents:
    father: Person
    mother: Person
    father_surname: str
    mother_surname: str
    father_year: int
    mother_year: int
    incapable: Person | None  # the parent at home without guardianship capacity


@dataclass
class _Care:
    caregiver: Person | None
    category: str
    has_capacity: bool
    # Relatives linked to each child besides the parents (caregiver first).
    relatives: list[tuple[Person, str]] = field(default_factory=list)


class _Builder:
    """Consumes one seeded RNG in a fixed order and writes the rows chunk by chunk."""

    def __init__(self, *, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.areas: dict[str, Area] = {}
        self.orgs: dict[str, Organisation] = {}
        self.villages: list[_VillageCtx] = []
        self.logins: list[DemoLogin] = []
        self.counts = dict.fromkeys(
            (
                "children",
                "households",
                "people",
                "relations",
                "absences",
                "care_arrangements",
                "contacts",
            ),
            0,
        )
        self._keys: dict[str, tuple[str, str, str]] = {}
        self._used_ids: set[str] = set()
        self._phones: set[str] = set()
        self._region_ok: dict[tuple[str, int], bool] = {}
        self._pending: list[_Family] = []
        self._planted = False  # the no-guardian case of the largest village

    # --- the whole run ---------------------------------------------------------------

    def build(self, children: int) -> None:
        self._areas()
        # ID numbers must be unique in the county, also against children already there
        # (only possible with ``allow_existing``).
        self._used_ids.update(
            Child.objects.filter(county=self.areas["county"])
            .exclude(id_number="")
            .values_list("id_number", flat=True)
        )
        self._organisations()
        self._users()
        for ctx, quota in zip(self.villages, self._quotas(children), strict=True):
            remaining = quota
            while remaining > 0:
                two = remaining >= 2 and self.rng.random() < SIBLING_HOUSEHOLD_SHARE
                self._pending.append(self._family(ctx, 2 if two else 1))
                remaining -= 2 if two else 1
                if len(self._pending) >= HOUSEHOLDS_PER_CHUNK:
                    self._flush()
        self._flush()

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    # --- configuration: levels, areas, organisations, users ----------------------------

    def _areas(self) -> None:
        levels = {}
        for slug, depth, name_zh, name_en in town.LEVELS:
            levels[slug], _ = AreaLevel.objects.get_or_create(
                slug=slug, defaults={"depth": depth, "name_zh": name_zh, "name_en": name_en}
            )

        def area(key: str, parent: Area | None, *, level: str, code: str, zh: str, en: str) -> Area:
            # An area already configured under the same code and name (河南省) is reused; a
            # real area under a demo code (410300000000 洛阳市) stops the run, so that the
            # fictional town is never grafted onto a real tree.
            existing = Area.objects.filter(code=code).first()
            if existing is not None and existing.name_zh != zh:
                raise DemoAlreadyPresent(
                    f"区划代码 {code} 已被 {existing.name_zh} 使用 / the division code {code} "
                    f"is already used by {existing.name_zh}"
                )
            node = existing or area_create(
                parent=parent, level=levels[level], code=code, name_zh=zh, name_en=en
            )
            self.areas[key] = node
            return node

        province = area(
            "province", None, level="province", code=town.PROVINCE_CODE, zh="河南省", en="Henan"
        )
        prefecture = area(
            "prefecture",
            province,
            level="prefecture",
            code=town.PREFECTURE_CODE,
            zh="L市",
            en="L city",
        )
        county = area(
            "county", prefecture, level="county", code=town.COUNTY_CODE, zh="X县", en="X county"
        )
        for key, code, zh, en, specs in (
            ("S", town.S_TOWN_CODE, "S镇", "S-town", town.S_TOWN_VILLAGES),
            ("Q", town.Q_TOWN_CODE, "Q镇", "Q-town", town.Q_TOWN_VILLAGES),
        ):
            township = area(
                f"{key.lower()}_town", county, level="township", code=code, zh=zh, en=en
            )
            for spec in specs:
                village_key = f"village:{key}:{spec.code_suffix}"
                node = area(
                    village_key,
                    township,
                    level="village",
                    code=code[:9] + spec.code_suffix,
                    zh=spec.name_zh,
                    en=spec.name_en,
                )
                self.villages.append(
                    _VillageCtx(spec=spec, area=node, township=key, key=village_key)
                )

    def _organisations(self) -> None:
        specs = list(town.ORGANISATIONS)
        for ctx in self.villages:
            village = ctx.spec.name_en.removesuffix(" Village")
            specs.append(
                town.OrgSpec(
                    f"committee:{ctx.area.code}",
                    f"{ctx.spec.name_zh}村民委员会",
                    f"{village} Village Committee",
                    Org.VILLAGE_COMMITTEE,
                    Sector.STATE,
                    ctx.key,
                )
            )
            if ctx.spec.teaching_point:
                specs.append(
                    town.OrgSpec(
                        f"teaching_point:{ctx.area.code}",
                        f"S镇{ctx.spec.name_zh.removesuffix('村')}教学点",
                        f"{village} Teaching Point",
                        Org.SCHOOL,
                        Sector.STATE,
                        ctx.key,
                    )
                )
        objs = [
            Organisation(
                public_id=self._uuid(),
                name_zh=spec.name_zh,
                name_en=spec.name_en,
                org_type=spec.org_type,
                sector=spec.sector,
                area=self.areas[spec.area],
            )
            for spec in specs
        ]
        Organisation.objects.bulk_create(objs)
        self.orgs = {spec.key: obj for spec, obj in zip(specs, objs, strict=True)}

    def _users(self) -> None:
        # One hash for all: the password is printed for everyone to read, and hashing it
        # nine times with the production hasher would cost seconds per run.
        password = make_password(DEMO_PASSWORD)
        for spec in DEMO_USERS:
            user = User(
                username=spec.username,
                real_name=spec.real_name,
                is_staff=spec.staff,
                is_superuser=spec.staff,
            )
            user.password = password
            user.save()
            grant = RoleAssignment.objects.create(
                user=user,
                role=spec.role,
                area=self.areas[spec.area],
                organisation=self.orgs[spec.organisation] if spec.organisation else None,
            )
            self.logins.append(_login(grant))

    def _quotas(self, children: int) -> list[int]:
        """Children per village: Q-town gets its share, villages by weight (largest remainder)."""
        q_total = round(children * town.Q_TOWN_SHARE)
        quotas: list[int] = []
        for key, total in (("S", children - q_total), ("Q", q_total)):
            ctxs = [c for c in self.villages if c.township == key]
            weight = sum(c.spec.weight for c in ctxs)
            exact = [total * c.spec.weight / weight for c in ctxs]
            part = [int(x) for x in exact]
            by_remainder = sorted(range(len(ctxs)), key=lambda i: (part[i] - exact[i], i))
            for i in by_remainder[: total - sum(part)]:
                part[i] += 1
            quotas.extend(part)
        return quotas

    # --- one household -------------------------------------------------------------

    def _keys_for(self, name: str) -> tuple[str, str, str]:
        """The registry's name keys (same functions as registry.services), memoised."""
        keys = self._keys.get(name)
        if keys is None:
            clean = normalise_name(name)
            keys = (clean, full_pinyin(clean), pinyin_initials(clean))
            self._keys[name] = keys
        return keys

    def _given(self, generation: str, sex: str) -> str:
        return GIVEN[(generation, sex)].pick(self.rng)

    def _child_given(self, sex: str) -> str:
        rng = self.rng
        popular, single, first, second = CHILD_NAMES[sex]
        kind = CHILD_NAME_KIND.pick(rng)
        if kind == "popular":
            return popular.pick(rng)
        if kind == "single":
            return single.pick(rng)
        head = first.pick(rng)
        tail = second.pick(rng)
        while tail == head:
            tail = second.pick(rng)
        return head + tail

    def _surname(self, ctx: _VillageCtx | None = None) -> str:
        if ctx is not None:
            lineage = ctx.lineage.pick(self.rng)
            if lineage is not None:
                return lineage
        return SURNAMES.pick(self.rng)

    def _spouse_surname(self) -> str:
        """Brides come from the county's villages (their lineages) or from further away."""
        rng = self.rng
        if rng.random() < 0.3:
            return self._surname(self.villages[rng.randrange(len(self.villages))])
        return SURNAMES.pick(rng)

    def _phone(self) -> str:
        while True:
            number = f"{PHONE_PREFIX}{self.rng.randrange(10**8):08d}"
            if number not in self._phones:
                self._phones.add(number)
                return number

    def _birth_date(self) -> dt.date:
        rng = self.rng
        if rng.random() < OLDER_SHARE:
            age = rng.randint(16, 17)
        else:
            u = rng.random()
            low, high = AGE_BANDS[-1][:2]
            for band_low, band_high, share in AGE_BANDS:
                if u < share:
                    low, high = band_low, band_high
                    break
                u -= share
            age = rng.randint(low, high)
        latest = _years_before(self.today, age)
        earliest = _years_before(self.today, age + 1) + dt.timedelta(days=1)
        return earliest + dt.timedelta(days=rng.randrange((latest - earliest).days + 1))

    def _births(self, count: int) -> list[dt.date]:
        births = [self._birth_date()]
        while len(births) < count:
            if self.rng.random() < 0.02:  # twins
                births.append(births[0])
                continue
            for _ in range(30):
                other = self._birth_date()
                if 300 <= abs((other - births[0]).days) <= 12 * 365:
                    break
            births.append(other)
        return sorted(births)

    def _person(
        self, family: _Family, name: str, sex: str, birth_year: int, **fields: object
    ) -> Person:
        clean, pinyin, initials = self._keys_for(name)
        person = Person(
            public_id=self._uuid(),
            household=family.household,
            name=clean,
            name_pinyin=pinyin,
            name_initials=initials,
            sex=sex,
            birth_year=birth_year,
            **fields,
        )
        family.people.append(person)
        return person

    def _family(self, ctx: _VillageCtx, n_children: int) -> _Family:
        rng = self.rng
        income = INCOME.pick(rng)
        tekun = rng.random() < 0.003
        household = Household(
            public_id=self._uuid(),
            village=ctx.area,
            address=f"{ctx.spec.name_zh}{town.CHINESE_NUMERALS[rng.randrange(8)]}组"
            f"{rng.randint(1, 80)}号",
            main_income_source=Income.SOCIAL_ASSISTANCE if tekun else income,
            dibao=tekun or rng.random() < 0.05,
            tekun=tekun,
            poverty_registered=rng.random() < 0.04,
        )
        family = _Family(household=household)
        births = self._births(n_children)
        parents = self._parents(ctx, family, births)
        away_since = self._absences(family, parents, youngest=births[-1])
        care = self._care(ctx, family, parents, births)

        child_surname = parents.father_surname if rng.random() < 0.96 else parents.mother_surname
        given_names: set[str] = set()
        for birth in births:
            sex = Sex.MALE if rng.random() < BOY_SHARE else Sex.FEMALE
            given = self._child_given(sex)
            while given in given_names:  # siblings do not share a given name
                given = self._child_given(sex)
            given_names.add(given)
            child = self._child(ctx, family, f"{child_surname}{given}", sex, birth)
            links = [(parents.father, Relation.FATHER), (parents.mother, Relation.MOTHER)]
            links += care.relatives
            family.relations.extend(
                ChildRelation(child=child, person=person, relation=relation)
                for person, relation in links
            )
            since = max(away_since, birth)
            family.cares.append(
                CareArrangement(
                    child=child,
                    caregiver=care.caregiver,
                    category=care.category,
                    since=since,
                    has_care_capacity=care.has_capacity,
                    notice_to_village_on=self._notice(since, 0.7),
                    notice_to_school_on=self._notice(since, 0.6) if child.school else None,
                    disqualifiers_checked=self.rng.random() < CARER_CHECKED_SHARE,
                    child_views_heard=(
                        self.rng.random() < 0.6 if full_years(birth, self.today) >= 8 else None
                    ),
                )
            )
            family.contacts.extend(self._contacts(child, parents))
        return family

    def _contacts(self, child: Child, parents: "_Parents") -> list[ContactLog]:
        """The newest logged contact of each parent working away: most within the week
        (Art. 23 asks for weekly contact), some older, some never logged."""
        logs = []
        for parent in (parents.father, parents.mother):
            if parent.situation != Person.Situation.WORKING_AWAY:
                continue
            draw = self.rng.random()
            if draw < CONTACT_NONE_SHARE:
                continue
            days = (
                self.rng.randrange(0, 7)
                if draw < CONTACT_NONE_SHARE + CONTACT_THIS_WEEK_SHARE
                else self.rng.randrange(8, 40)
            )
            logs.append(
                ContactLog(
                    public_id=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                    child=child,
                    parent=parent,
                    contacted_on=self.today - dt.timedelta(days=days),
                    channel=CONTACT_LOG_CHANNEL.pick(self.rng),
                    with_child=True,
                    with_caregiver=self.rng.random() < 0.95,
                    source=ContactLog.Source.CHILD_DIRECTOR,
                )
            )
        return logs

    def _parents(self, ctx: _VillageCtx, family: _Family, births: list[dt.date]) -> _Parents:
        """Father and mother: both away, or one away and the other incapable or gone."""
        rng = self.rng
        situation = FAMILY_SITUATION.pick(rng)
        father_state = mother_state = Situation.WORKING_AWAY
        incapable = ""
        if situation == ONE_INCAPABLE:
            incapable = "mother" if rng.random() < 0.6 else "father"
            if incapable == "father":
                father_state = Situation.AT_HOME
            else:
                mother_state = Situation.AT_HOME
        elif situation == ONE_GONE:
            if rng.random() < 0.6:
                mother_state = GONE_MOTHER.pick(rng)
            else:
                father_state = GONE_FATHER.pick(rng)
        father_surname = self._surname(ctx)
        mother_surname = self._spouse_surname()
        eldest_year = births[0].year
        father_year = eldest_year - rng.randint(22, 34)
        mother_year = eldest_year - rng.randint(20, 31)
        father = self._parent(
            family,
            f"{father_surname}{self._given('adult', Sex.MALE)}",
            Sex.MALE,
            father_year,
            father_state,
            incapable=incapable == "father",
        )
        mother = self._parent(
            family,
            f"{mother_surname}{self._given('adult', Sex.FEMALE)}",
            Sex.FEMALE,
            mother_year,
            mother_state,
            incapable=incapable == "mother",
        )
        return _Parents(
            father=father,
            mother=mother,
            father_surname=father_surname,
            mother_surname=mother_surname,
            father_year=father_year,
            mother_year=mother_year,
            incapable=father if incapable == "father" else mother if incapable else None,
        )

    def _parent(
        self,
        family: _Family,
        name: str,
        sex: str,
        birth_year: int,
        state: str,
        *,
        incapable: bool,
    ) -> Person:
        rng = self.rng
        fields: dict[str, object] = {"situation": state}
        if state in {Situation.WORKING_AWAY, Situation.AT_HOME}:
            fields["literacy"] = ADULT_LITERACY.pick(rng)
            if rng.random() < (0.95 if state == Situation.WORKING_AWAY else 0.6):
                fields["phone"] = self._phone()
        if incapable:
            illness = rng.random() < 0.6
            fields["health"] = Health.SERIOUS_ILLNESS if illness else Health.DISABILITY
            fields["lacks_guardianship_capacity"] = True
            fields["incapacity_reason"] = (
                Person.IncapacityReason.SEVERE_ILLNESS
                if illness
                else Person.IncapacityReason.SEVERE_DISABILITY
            )
        return self._person(family, name, sex, birth_year, **fields)

    def _absences(self, family: _Family, parents: _Parents, *, youngest: dt.date) -> dt.date:
        """Periods away for the parents working away; returns when care by others began."""
        rng = self.rng
        latest = self.today - dt.timedelta(days=7)
        place = WORK_PLACE.pick(rng)
        starts: list[dt.date] = []
        for person in (parents.father, parents.mother):
            if person.situation != Situation.WORKING_AWAY:
                continue
            if starts and rng.random() >= 0.75:
                place = WORK_PLACE.pick(rng)  # the couple works in different cities
            # Away since some months after the youngest child's birth (never in the future).
            since = min(youngest + dt.timedelta(days=rng.randrange(30, 1100)), latest)
            since = max(since, min(youngest, latest))
            work_place, in_henan = place
            family.absences.append(
                ParentAbsence(
                    person=person,
                    work_place=work_place,
                    since=since,
                    return_pattern=(RETURN_NEAR if in_henan else RETURN_FAR).pick(rng),
                    contact_channel=CONTACT_CHANNEL.pick(rng),
                )
            )
            starts.append(since)
        return min(starts) if starts else youngest

    def _care(
        self, ctx: _VillageCtx, family: _Family, parents: _Parents, births: list[dt.date]
    ) -> _Care:
        """Who cares day to day: grandparents (about 96%), another relative or a neighbour
        (about 4%), rarely the incapable parent at home, and a handful of nobody."""
        rng = self.rng
        u = rng.random()
        if full_years(births[-1], self.today) >= NO_GUARDIAN_MIN_AGE and (
            u < NO_GUARDIAN_SHARE_OF_OLDER or (ctx is self.villages[0] and not self._planted)
        ):
            self._planted = True
            return _Care(None, Category.NO_GUARDIAN, has_capacity=False)
        if parents.incapable is not None and rng.random() < 0.15:
            return _Care(parents.incapable, Category.PARENT_AT_HOME_INCAPABLE, has_capacity=False)
        if rng.random() < OTHER_CARER_SHARE:
            if rng.random() < 0.85:  # an aunt or uncle
                relation = Relation.OTHER_RELATIVE
                sex = Sex.FEMALE if rng.random() < 0.6 else Sex.MALE
                surname = parents.father_surname if sex == Sex.MALE else self._spouse_surname()
                year = parents.father_year + rng.randint(-8, 8)
            else:  # a neighbour
                relation = Relation.FRIEND_NEIGHBOUR
                sex = Sex.FEMALE if rng.random() < 0.7 else Sex.MALE
                surname = self._surname(ctx)
                year = parents.father_year - rng.randint(0, 25)
            generation = "adult" if year >= 1970 else "old"
            carer = self._carer(family, f"{surname}{self._given(generation, sex)}", sex, year)
            return _Care(
                carer,
                Category.OTHER_RELATIVE_OR_FRIEND,
                has_capacity=self._capacity(carer),
                relatives=[(carer, relation)],
            )
        paternal = rng.random() < 0.8
        grandad_surname = parents.father_surname if paternal else parents.mother_surname
        grandad_year = (parents.father_year if paternal else parents.mother_year) - rng.randint(
            22, 32
        )
        granny_year = grandad_year + rng.randint(-1, 5)
        grandmother_cares = rng.random() < 0.65
        both_alive = rng.random() < 0.75
        relatives: list[tuple[Person, str]] = []
        for grandmother in (grandmother_cares, not grandmother_cares):
            if relatives and not both_alive:
                break
            if grandmother:
                person = self._carer(
                    family,
                    f"{self._spouse_surname()}{self._given('old', Sex.FEMALE)}",
                    Sex.FEMALE,
                    granny_year,
                )
                relation = (
                    Relation.PATERNAL_GRANDMOTHER if paternal else Relation.MATERNAL_GRANDMOTHER
                )
            else:
                person = self._carer(
                    family,
                    f"{grandad_surname}{self._given('old', Sex.MALE)}",
                    Sex.MALE,
                    grandad_year,
                )
                relation = (
                    Relation.PATERNAL_GRANDFATHER if paternal else Relation.MATERNAL_GRANDFATHER
                )
            relatives.append((person, relation))
        carer = relatives[0][0]
        return _Care(
            carer, Category.GRANDPARENTS, has_capacity=self._capacity(carer), relatives=relatives
        )

    def _capacity(self, carer: Person) -> bool:
        """A seriously ill or disabled carer is often judged unable to care (近32万, §7.1)."""
        if carer.health in {Health.SERIOUS_ILLNESS, Health.DISABILITY}:
            return self.rng.random() < 0.4
        return True

    def _carer(self, family: _Family, name: str, sex: str, birth_year: int) -> Person:
        rng = self.rng
        old = birth_year < 1975
        fields: dict[str, object] = {
            "situation": Situation.AT_HOME,
            "health": OLD_HEALTH.pick(rng) if old else Health.GOOD,
            "literacy": (OLD_LITERACY if old else ADULT_LITERACY).pick(rng),
        }
        if rng.random() < (0.55 if old else 0.9):
            fields["phone"] = self._phone()
        return self._person(family, name, sex, birth_year, **fields)

    def _notice(self, since: dt.date, share: float) -> dt.date | None:
        if self.rng.random() >= share:
            return None
        return min(since + dt.timedelta(days=self.rng.randrange(0, 90)), self.today)

    # --- one child -----------------------------------------------------------------

    def _child(
        self, ctx: _VillageCtx, family: _Family, name: str, sex: str, birth: dt.date
    ) -> Child:
        rng = self.rng
        clean, pinyin, initials = self._keys_for(name)
        age = full_years(birth, self.today)
        school, stage, grade, boarding = self._schooling(ctx, age)
        health = Child.HealthStatus.HEALTHY
        disability_type, disability_grade = "", None
        u = rng.random()
        if u < DISABLED_SHARE:
            health = Child.HealthStatus.DISABLED
            disability_type = town.DISABILITY_TYPES[rng.randrange(len(town.DISABILITY_TYPES))]
            disability_grade = rng.randint(1, 4)
        elif u < DISABLED_SHARE + ILL_SHARE:
            health = Child.HealthStatus.ILL
        verified = self.today - dt.timedelta(days=rng.randrange(180))
        child = Child(
            public_id=self._uuid(),
            name=clean,
            name_pinyin=pinyin,
            name_initials=initials,
            sex=sex,
            birth_date=birth,
            ethnicity="回族" if rng.random() < 0.01 else "汉族",
            id_number=self._id_number(birth, sex) if rng.random() < ID_NUMBER_SHARE else "",
            household=family.household,
            village=ctx.area,
            county=self.areas["county"],
            residence_address=family.household.address,
            school=school,
            school_stage=stage,
            grade=grade,
            boarding=boarding,
            health_status=health,
            disability_type=disability_type,
            disability_grade=disability_grade,
            confirmed_by_guardian=rng.random() < 0.9,
            last_verified_on=max(verified, birth),
        )
        family.children.append(child)
        return child

    def _schooling(  # noqa: PLR0911  (one return per stage reads as the rule it is)
        self, ctx: _VillageCtx, age: int
    ) -> tuple[Organisation | None, str, str, bool]:
        """School, stage, grade and boarding by age (0-2, 3-5, 6-11, 12-14, 15-17)."""
        rng = self.rng
        in_s = ctx.township == "S"
        if age <= 2:
            return None, Stage.NOT_YET, "", False
        if age <= 5:
            attends = rng.random() < (0.7 if in_s else 0.6)
            school = self.orgs["s_kindergarten" if in_s else "q_primary"] if attends else None
            return school, Stage.PRESCHOOL, PRESCHOOL_GRADES[age - 3], False
        if age <= 11:
            grade = age - 5
            point = self.orgs.get(f"teaching_point:{ctx.area.code}")
            if point is not None and grade <= 3:
                return point, Stage.PRIMARY, f"{town.CHINESE_NUMERALS[grade - 1]}年级", False
            school = self.orgs["s_primary" if in_s else "q_primary"]
            boarding = in_s and grade >= 4 and rng.random() < 0.15
            return school, Stage.PRIMARY, f"{town.CHINESE_NUMERALS[grade - 1]}年级", boarding
        if age <= 14:
            boarding = rng.random() < 0.55
            return self.orgs["s_junior"], Stage.JUNIOR, JUNIOR_GRADES[age - 12], boarding
        if rng.random() < 0.08:
            return None, Stage.OUT_OF_SCHOOL, "", False
        school = self.orgs["senior" if rng.random() < 0.7 else "vocational"]
        return school, Stage.SENIOR, SENIOR_GRADES[age - 15], rng.random() < 0.85

    def _id_number(self, birth: dt.date, sex: str) -> str:
        """A valid resident ID number, unique in the county, consistent with birth and sex."""
        rng = self.rng
        region = town.COUNTY_REGION
        if rng.random() < town.OTHER_REGION_SHARE:
            other = town.OTHER_REGIONS[rng.randrange(len(town.OTHER_REGIONS))]
            if self._region_valid(other, birth):
                region = other
        while True:
            # The 17th digit (the last of the sequence) is odd for a male, even for a female.
            sequence = 2 * rng.randrange(500) + 1 if sex == Sex.MALE else 2 * rng.randrange(1, 500)
            number = make_id_number(region, birth, sequence)
            if number not in self._used_ids:
                self._used_ids.add(number)
                return number

    def _region_valid(self, region: str, birth: dt.date) -> bool:
        key = (region, birth.year)
        if key not in self._region_ok:
            try:
                ric.get_birth_place(make_id_number(region, birth, 1))
                self._region_ok[key] = True
            except StdnumValidationError:
                self._region_ok[key] = False
        return self._region_ok[key]

    # --- writing -------------------------------------------------------------------

    def _flush(self) -> None:
        """Write the pending households, parents first so that foreign keys are known."""
        families, self._pending = self._pending, []
        if not families:
            return
        batches: list[tuple[type[models.Model], str, Sequence[models.Model]]] = [
            (Household, "households", [f.household for f in families]),
            (Person, "people", [p for f in families for p in f.people]),
            (Child, "children", [c for f in families for c in f.children]),
            (ChildRelation, "relations", [r for f in families for r in f.relations]),
            (ParentAbsence, "absences", [a for f in families for a in f.absences]),
            (CareArrangement, "care_arrangements", [c for f in families for c in f.cares]),
            (ContactLog, "contacts", [c for f in families for c in f.contacts]),
        ]
        for model, key, objs in batches:
            model._default_manager.bulk_create(objs, batch_size=2000)
            self.counts[key] += len(objs)
