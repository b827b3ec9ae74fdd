"""Two years of care work in the demo towns, calibrated to the field study's diagnosis.

The field study of S-town (DESIGN.md §1, FIELD-STUDY.md) found care that existed on paper
but had little effect: *single service content* (material aid and visits), *limited
coverage and participation*, *scattered responsibility* and *no long-term mechanism*. The
demo reproduces that picture so that a supervisor sees the diagnosis on first login; the
calibration and the numbers it gives are in docs/demo.md ("The diagnosis in the demo").

What is generated, after the registry, the rules and the cases (``shouwang demo``):

- organisations' offers (``OrganisationService``): few, mostly the state's;
- services (``ServiceDelivery``) and home visits (``cases.Visit``) over two years: frequent
  and fairly regular only in the two villages with a child director (王庄村, 李楼村), rare
  elsewhere; 90% material aid or visits; mostly delivered by the state sector;
- group activities at the children's home of those two villages, with attendance;
- a few care plans (actions mostly owned by a person, not an organisation), reviews often
  late; service needs nobody meets yet; referrals (pending, accepted, overdue, one pending
  for the demo provider's social-work centre);
- volunteers (some never vetted) who offer far more hours than are used; funds by sector
  with allocations and spending; a handful of mandatory reports, some acknowledged late.

Deterministic: one ``random.Random(seed)``, children in primary-key order, public ids drawn
from it. Fast: rows built in memory and written with ``bulk_create``.
"""

import datetime as dt
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shouwang.accounts.models import Organisation, RoleAssignment, User
from shouwang.cases.models import CarePlan, Case, ContactLog, PlanAction, Visit
from shouwang.demo import town
from shouwang.geo.models import Area
from shouwang.referrals.models import Referral
from shouwang.registry.models import Child
from shouwang.resources.models import Fund, FundEntry, Volunteer
from shouwang.safeguarding.models import Report
from shouwang.services.models import (
    Activity,
    Attendance,
    OrganisationService,
    ServiceDelivery,
    ServiceNeed,
    ServiceType,
)

YEARS_OF_HISTORY = 2
# Days between two contacts (service or visit) of one child, drawn uniformly: regular work
# only where a child director works; elsewhere a visit a year or so. Our calibration.
BUSY_VILLAGES = ("201", "202")  # the demo's two child directors (王庄村, 李楼村)
BUSY_GAP = (20, 120)
QUIET_GAP = (150, 520)
VISIT_SHARE = 0.35  # of contacts, a home visit by the director (the rest: a service)
# The service mix of deliveries (code, weight): material aid and visits dominate.
SERVICE_MIX: tuple[tuple[str, float], ...] = (
    ("material_aid", 0.62),
    ("home_visit", 0.30),
    ("study_support", 0.05),
    ("psych_counselling", 0.02),
    ("safety_education", 0.01),
)
# Who delivers each service (organisation key of town.py, weight); "volunteer": a volunteer
# of the town's volunteer team, by name.
PROVIDERS: dict[str, tuple[tuple[str, float], ...]] = {
    "material_aid": (
        ("civil_affairs", 0.60),
        ("committee", 0.25),
        ("enterprise", 0.08),
        ("social_work", 0.07),
    ),
    "home_visit": (("committee", 0.95), ("volunteer", 0.05)),
    "study_support": (("s_primary", 0.40), ("volunteer", 0.60)),
    "psych_counselling": (("social_work", 1.0),),
    "safety_education": (("police", 1.0),),
}
ACTIVITIES_PER_MONTH = 1  # per busy village, at its children's home (儿童之家)
ATTENDANCE = (8, 18)
PLAN_SHARE = 0.06  # of busy villages' children, plus every urgent case
ACTION_ORG_SHARE = 0.3
# Weekly parent contact (未成年人保护法 Art. 23): the generator logs each parent's newest
# contact; a parent who called this week had also called in each earlier week with this
# chance, so that about a third of children have contact logged in each of the last 4 weeks.
EARLIER_WEEK_CONTACT = 0.75


@dataclass
class HistorySummary:
    deliveries: int = 0
    visits: int = 0
    activities: int = 0
    attendance: int = 0
    plans: int = 0
    referrals: int = 0
    volunteers: int = 0
    reports: int = 0
    contacts: int = 0


def _pick(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    x = rng.random() * sum(w for _k, w in pairs)
    for key, weight in pairs:
        x -= weight
        if x <= 0:
            return key
    return pairs[-1][0]


@transaction.atomic
def history_generate(*, seed: int, today: dt.date) -> HistorySummary:  # noqa: PLR0912, PLR0915
    """Write the demo's two years of services, visits, activities, plans, referrals and
    resources. Needs the demo registry and its open cases."""
    rng = random.Random(seed * 7 + 1)
    out = HistorySummary()
    start = today - dt.timedelta(days=365 * YEARS_OF_HISTORY)

    def uid() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    county = Area.objects.get(code=town.COUNTY_CODE)
    s_town = Area.objects.get(code=town.S_TOWN_CODE)
    orgs = {o.name_en: o for o in Organisation.objects.filter(area__path__startswith=county.path)}
    by_key = {spec.key: orgs[spec.name_en] for spec in town.ORGANISATIONS}
    committees = {
        o.area_id: o for o in orgs.values() if o.org_type == Organisation.Type.VILLAGE_COMMITTEE
    }
    types = {t.code: t for t in ServiceType.objects.all()}
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["director", "director2", "supervisor", "outsider", "provider", "county"]
        )
    }
    directors = {
        g.area_id: g.user
        for g in RoleAssignment.objects.filter(
            role=RoleAssignment.Role.CHILD_DIRECTOR, area__path__startswith=county.path
        ).select_related("user")
    }
    supervisors = {town.S_TOWN_CODE: users["supervisor"], town.Q_TOWN_CODE: users["outsider"]}

    # Offers: few, mostly the state's.
    offers = [
        ("civil_affairs", "material_aid", county, 200),
        ("s_gov", "home_visit", s_town, 100),
        ("social_work", "psych_counselling", county, 10),
        ("social_work", "study_support", county, 10),
        ("volunteers", "study_support", s_town, 20),
        ("volunteers", "companionship", s_town, 15),
        ("enterprise", "material_aid", s_town, 30),
        ("health", "health_check", s_town, 40),
    ]
    OrganisationService.objects.bulk_create(
        OrganisationService(
            public_id=uid(),
            organisation=by_key[org],
            service_type=types[code],
            area=area,
            capacity_per_month=capacity,
        )
        for org, code, area, capacity in offers
    )

    # Volunteers: the town's volunteer team; some never vetted.
    vetting = ["vetted"] * 5 + ["pending"] * 3 + ["not_vetted"] * 4
    volunteers = [
        Volunteer(
            public_id=uid(),
            name=f"志愿者{town.CHINESE_NUMERALS[i % 10]}{'' if i < 10 else i}",
            organisation=by_key["volunteers"],
            area=s_town,
            hours_per_month=rng.choice((4, 6, 8, 8, 10, 12)),
            vetting=status,
            vetted_on=today - dt.timedelta(days=rng.randint(30, 400))
            if status == "vetted"
            else None,
        )
        for i, status in enumerate(vetting)
    ]
    Volunteer.objects.bulk_create(volunteers)
    vetted = [v for v in volunteers if v.vetting == "vetted"]
    out.volunteers = len(volunteers)

    # The children and their open cases, in a fixed order.
    children = list(
        Child.objects.filter(county=county)
        .select_related("village", "village__parent")
        .order_by("pk")
    )
    cases = dict(
        Case.objects.filter(child__county=county, status__in=["open", "monitoring"]).values_list(
            "child_id", "pk"
        )
    )
    deliveries: list[ServiceDelivery] = []
    visits: list[Visit] = []
    last_visit: dict[int, dt.date] = {}
    busy_children: dict[int, list[Child]] = defaultdict(list)
    for child in children:
        busy = child.village.code[-3:] in BUSY_VILLAGES and child.village.parent.code == (
            town.S_TOWN_CODE
        )
        if busy:
            busy_children[child.village_id].append(child)
        low, high = BUSY_GAP if busy else QUIET_GAP
        recorder = directors.get(child.village_id) or supervisors[child.village.parent.code]
        day = today - dt.timedelta(days=rng.randint(0, high))
        while day > start:
            if rng.random() < VISIT_SHARE and child.pk in cases:
                visits.append(
                    Visit(
                        public_id=uid(),
                        case_id=cases[child.pk],
                        child=child,
                        kind=Visit.Kind.HOME,
                        visited_on=day,
                        recorded_by=recorder,
                    )
                )
                last_visit[child.pk] = max(day, last_visit.get(child.pk, day))
            else:
                code = _pick(rng, SERVICE_MIX)
                provider = _pick(rng, PROVIDERS[code])
                volunteer = None
                if provider == "volunteer":
                    volunteer, org = rng.choice(vetted), None
                elif provider == "committee":
                    org = committees.get(child.village_id)
                else:
                    org = by_key[provider]
                deliveries.append(
                    ServiceDelivery(
                        public_id=uid(),
                        child=child,
                        service_type=types[code],
                        organisation=org,
                        volunteer=volunteer,
                        delivered_on=day,
                        duration_minutes=rng.choice((30, 60, 90, 120)) if volunteer else 30,
                        recorded_by=recorder,
                    )
                )
            day -= dt.timedelta(days=rng.randint(low, high))
    ServiceDelivery.objects.bulk_create(deliveries, batch_size=2000)
    Visit.objects.bulk_create(visits, batch_size=2000)
    out.deliveries, out.visits = len(deliveries), len(visits)

    # The cases have run since the pilot began; the last visit is their last follow-up.
    open_cases = list(Case.objects.filter(pk__in=cases.values()))
    for case in open_cases:
        case.opened_on = start
        case.last_follow_up_on = last_visit.get(case.child_id)
        base = case.last_follow_up_on or start
        case.next_follow_up_due = base + dt.timedelta(days=case.follow_up_days)
    Case.objects.bulk_update(
        open_cases, ["opened_on", "last_follow_up_on", "next_follow_up_due"], batch_size=2000
    )

    # Group activities at the busy villages' children's homes, with attendance.
    activities: list[Activity] = []
    attendance: list[tuple[int, Child]] = []
    for village_id, kids in sorted(busy_children.items()):
        recorder = directors.get(village_id) or users["supervisor"]
        month = start.replace(day=1)
        while month <= today:
            for _n in range(ACTIVITIES_PER_MONTH):
                held = month + dt.timedelta(days=rng.randint(0, 27))
                if held > today:
                    continue
                activities.append(
                    Activity(
                        public_id=uid(),
                        title=rng.choice(
                            ("读书会", "亲情视频日", "安全教育课", "手工课", "作业辅导")
                        ),
                        service_type=types["childrens_home_activity"],
                        held_on=held,
                        place="儿童之家",
                        area_id=village_id,
                        organiser=committees.get(village_id) or by_key["s_gov"],
                        recorded_by=recorder,
                    )
                )
                chosen = rng.sample(kids, min(len(kids), rng.randint(*ATTENDANCE)))
                attendance.extend((len(activities) - 1, kid) for kid in chosen)
            month = (month + dt.timedelta(days=32)).replace(day=1)
    Activity.objects.bulk_create(activities)
    Attendance.objects.bulk_create(
        Attendance(activity=activities[i], child=kid, marked_by=activities[i].recorded_by)
        for i, kid in attendance
    )
    out.activities, out.attendance = len(activities), len(attendance)

    # Plans: every urgent case and a few others in the busy villages; actions mostly owned
    # by a person (the director), reviews often late.
    village_of = {c.pk: c.village_id for c in children}
    busy_ids = {k.pk for kids in busy_children.values() for k in kids}
    planned = [
        c
        for c in open_cases
        if c.risk_level == "urgent" or (c.child_id in busy_ids and rng.random() < PLAN_SHARE)
    ]
    plans = [
        CarePlan(
            public_id=uid(),
            case=case,
            status=CarePlan.Status.ACTIVE,
            goals="保证按时上学，每周与父母通话，祖母得到照护指导。",
            review_due_on=today + dt.timedelta(days=rng.randint(-90, 60)),
            approved_by=users["supervisor"],
            approved_at=timezone.now(),
        )
        for case in planned
    ]
    CarePlan.objects.bulk_create(plans)
    actions = []
    for plan in plans:
        owner_user = directors.get(village_of[plan.case.child_id]) or users["supervisor"]
        for domain, text in (
            ("education", "每周检查作业"),
            ("family_contact", "安排每周亲情视频"),
            ("guardianship", "对祖母进行监护指导"),
        ):
            with_org = rng.random() < ACTION_ORG_SHARE
            actions.append(
                PlanAction(
                    plan=plan,
                    domain=domain,
                    description=text,
                    owner_organisation=by_key["social_work"] if with_org else None,
                    owner_user=None if with_org else owner_user,
                    due_on=today + dt.timedelta(days=rng.randint(-30, 60)),
                )
            )
    PlanAction.objects.bulk_create(actions)
    out.plans = len(plans)

    # Needs nobody meets yet, and a few referrals (one pending for the demo provider).
    needy = [c for c in children if c.pk in cases][:: max(1, len(children) // 15)][:15]
    ServiceNeed.objects.bulk_create(
        ServiceNeed(
            public_id=uid(),
            child=child,
            service_type=types[rng.choice(("psych_counselling", "study_support", "companionship"))],
            note="需要长期陪伴",
            raised_on=today - dt.timedelta(days=rng.randint(10, 200)),
            raised_by=users["supervisor"],
        )
        for child in needy
    )
    now = timezone.now()
    referrals = []
    for i, (child, status, due_days) in enumerate(
        zip(
            needy[:6],
            ("pending", "pending", "accepted", "pending", "completed", "declined"),
            (3, -5, 10, -2, -30, -20),
            strict=False,
        )
    ):
        referrals.append(
            Referral(
                public_id=uid(),
                child=child,
                service_type=types["psych_counselling" if i % 2 == 0 else "study_support"],
                need="孩子情绪低落，需要心理辅导" if i % 2 == 0 else "学习困难，需要课后辅导",
                from_organisation=by_key["s_gov"],
                to_organisation=by_key["social_work" if i < 3 else "volunteers"],
                status=status,
                respond_by=now + dt.timedelta(days=due_days),
                decline_reason="本月名额已满" if status == "declined" else "",
                created_by=users["supervisor"],
                responded_by=users["provider"] if status in {"accepted", "completed"} else None,
                responded_at=now - dt.timedelta(days=1)
                if status in {"accepted", "completed", "declined"}
                else None,
            )
        )
    Referral.objects.bulk_create(referrals)
    out.referrals = len(referrals)

    # Funds by sector: allocated, partly spent.
    for name, source, sector, area, amount, allocated, spent in (
        ("留守儿童关爱专项资金", "县财政", "state", county, 60000, 50000, 21000),
        ("爱心助学基金", "县慈善总会", "voluntary", s_town, 20000, 15000, 2000),
        ("宏达服装厂捐赠", "S镇宏达服装厂", "market", s_town, 8000, 8000, 6000),
    ):
        fund = Fund.objects.create(
            name=name,
            source=source,
            sector=sector,
            area=area,
            amount=Decimal(amount),
            purpose="留守儿童关爱服务",
            received_on=start + dt.timedelta(days=30),
        )
        FundEntry.objects.bulk_create(
            [
                FundEntry(
                    fund=fund,
                    kind="allocated",
                    amount=Decimal(allocated),
                    on=start + dt.timedelta(days=60),
                    purpose="学习用品和冬衣",
                    recorded_by=users["county"],
                ),
                FundEntry(
                    fund=fund,
                    kind="spent",
                    amount=Decimal(spent),
                    on=today - dt.timedelta(days=rng.randint(20, 300)),
                    purpose="发放学习用品",
                    recorded_by=users["county"],
                ),
            ]
        )

    # Weekly contact in the earlier weeks, for the parents who called this week.
    contacts = []
    for log in ContactLog.objects.filter(
        child__county=county, contacted_on__gt=today - dt.timedelta(days=7)
    ).order_by("pk"):
        for week in (1, 2, 3):
            if rng.random() >= EARLIER_WEEK_CONTACT:
                break
            contacts.append(
                ContactLog(
                    public_id=uid(),
                    child_id=log.child_id,
                    parent_id=log.parent_id,
                    contacted_on=today - dt.timedelta(days=7 * week + rng.randint(0, 6)),
                    channel=log.channel,
                    with_child=True,
                    with_caregiver=log.with_caregiver,
                    source=log.source,
                )
            )
    ContactLog.objects.bulk_create(contacts, batch_size=2000)
    out.contacts = len(contacts)

    # Mandatory reports: a handful over the last year, some acknowledged late; all closed
    # but the newest (so that no demo report escalates by itself).
    reports = []
    subjects = [c for c in children if c.village.parent.code == town.S_TOWN_CODE][::97][:6]
    for i, child in enumerate(subjects):
        filed = now - dt.timedelta(days=rng.randint(15, 330), hours=rng.randint(0, 12))
        danger = i % 3 == 0
        acked = filed + dt.timedelta(hours=rng.choice((1, 5, 20, 30, 50)))
        newest = i == 0
        reports.append(
            Report(
                public_id=uid(),
                child=child,
                area=child.village,
                trigger="living_alone" if danger else "guardian_incapable_or_neglecting",
                immediate_danger=danger,
                what_seen="放学后独自在家，祖母住院。",
                duty_basis="mpl_art_11",
                reporter=directors.get(child.village_id) or users["supervisor"],
                filed_at=filed,
                state="acknowledged" if newest else "closed",
                acknowledged_by=users["supervisor"],
                acknowledged_at=acked,
                closed_by=None if newest else users["supervisor"],
                closed_at=None if newest else acked + dt.timedelta(days=3),
                close_reason="" if newest else "祖母出院，已落实照护。",
            )
        )
    Report.objects.bulk_create(reports)
    out.reports = len(reports)
    return out
