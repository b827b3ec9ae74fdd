"""A small, fixed fixture for the indicators, on the personas world, with every number
worked out by hand in ``test_indicators.py``. The period is October 2026 (ends 31 Oct).

Eligible children (current classification says yes):
    A1: hongmei (left-behind), chen (left-behind)     A2: xiaoming (left-behind)
    B1: qiang (in difficulty, not left-behind)
    A1: lin is registered but not eligible: her service and attendance never count.
"""

import datetime as dt
import importlib
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps as django_apps
from django.utils import timezone

from shouwang.accounts.models import Organisation
from shouwang.cases.domain import risk_rank
from shouwang.cases.models import CarePlan, Case, ContactLog, PlanAction, Visit
from shouwang.registry.models import CareArrangement, Child, ChildRelation
from shouwang.resources.models import Fund, FundEntry, Volunteer
from shouwang.rules.models import Classification
from shouwang.safeguarding.models import Report
from shouwang.services.models import Activity, Attendance, ServiceDelivery, ServiceType
from shouwang.testing.factories import ChildFactory, add_family
from shouwang.testing.world import World

MONTH = dt.date(2026, 10, 1)
D = dt.date


@dataclass
class Fixture:
    chen: Child
    lin: Child


def classify(child: Child, rule_id: str) -> None:
    Classification.objects.create(
        child=child, rule_id=rule_id, rule_version="1", status="yes", asof=D(2026, 1, 1)
    )


def at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def ensure_catalogue() -> None:
    """The seeded service catalogue (a transactional test's flush removes it)."""
    if not ServiceType.objects.exists():
        seed = importlib.import_module("shouwang.services.migrations.0002_seed_catalogue").seed
        seed(django_apps, None)


def build(w: World) -> Fixture:
    chen = ChildFactory(name="陈晨", village=w.village_a1)
    lin = ChildFactory(name="林琳", village=w.village_a1)
    add_family(chen)
    for child in (w.hongmei, w.xiaoming, chen):
        classify(child, "left_behind")
    classify(w.qiang, "in_difficulty")
    classify(w.qiang, "left_behind")  # superseded: not current, never counts
    Classification.objects.filter(child=w.qiang, rule_id="left_behind").update(
        ended_at=timezone.now()
    )
    CareArrangement.objects.filter(child=w.xiaoming).update(has_care_capacity=False)

    ensure_catalogue()
    st = {t.code: t for t in ServiceType.objects.all()}
    v1 = Volunteer.objects.create(name="志愿者一", area=w.village_a1, hours_per_month=8)
    v2 = Volunteer.objects.create(name="志愿者二", area=w.town_a, hours_per_month=4)
    Volunteer.objects.create(name="志愿者三", area=w.village_a1, hours_per_month=10, active=False)

    def deliver(child, code, day, *, org=None, vol=None, minutes=0):
        ServiceDelivery.objects.create(
            child=child,
            service_type=st[code],
            delivered_on=day,
            organisation=org,
            volunteer=vol,
            duration_minutes=minutes,
            recorded_by=w.alice,
        )

    deliver(w.hongmei, "material_aid", D(2026, 10, 10), org=w.ngo, vol=v1, minutes=120)
    deliver(w.hongmei, "home_visit", D(2026, 9, 5))
    deliver(w.xiaoming, "study_support", D(2026, 10, 20), org=w.school)
    deliver(w.xiaoming, "psych_counselling", D(2026, 6, 15), org=w.ngo)
    deliver(chen, "material_aid", D(2026, 1, 10), vol=v2, minutes=30)
    deliver(w.qiang, "home_visit", D(2026, 10, 1))
    deliver(lin, "study_support", D(2026, 10, 5), org=w.school)  # not eligible
    deliver(w.hongmei, "study_support", D(2026, 11, 3), org=w.school)  # after the period
    deliver(w.qiang, "study_support", D(2025, 10, 31), org=w.school)  # before 12 months

    held = Activity.objects.create(
        title="读书会",
        service_type=st["childrens_home_activity"],
        held_on=D(2026, 9, 1),
        place="儿童之家",
        area=w.village_a1,
        organiser=w.ngo,
        recorded_by=w.alice,
    )
    old = Activity.objects.create(
        title="夏令营",
        service_type=st["childrens_home_activity"],
        held_on=D(2025, 6, 1),
        place="镇中心",
        area=w.town_a,
        organiser=w.ngo,
        recorded_by=w.sam,
    )
    for activity, child in ((held, w.hongmei), (held, lin), (old, w.xiaoming)):
        Attendance.objects.create(activity=activity, child=child, marked_by=w.alice)

    def case(child, *, responsible, risk, every, closed_on=None):
        return Case.objects.create(
            child=child,
            responsible=responsible,
            status="closed" if closed_on else "open",
            risk_level=risk,
            risk_rank=risk_rank(risk),
            follow_up_days=every,
            next_follow_up_due=D(2026, 11, 1),
            opened_on=D(2026, 1, 1),
            closed_on=closed_on,
        )

    hongmei_case = case(w.hongmei, responsible=w.alice, risk="high", every=30)
    xiaoming_case = case(w.xiaoming, responsible=None, risk="medium", every=60)
    case(w.qiang, responsible=w.bob, risk="low", every=90, closed_on=D(2026, 9, 30))
    for day in (D(2026, 8, 20), D(2026, 10, 15)):
        Visit.objects.create(
            case=hongmei_case, child=w.hongmei, kind="home", visited_on=day, recorded_by=w.alice
        )

    plan = CarePlan.objects.create(
        case=hongmei_case, status="active", goals="…", review_due_on=D(2026, 11, 15)
    )
    PlanAction.objects.create(
        plan=plan,
        domain="education",
        description="辅导",
        owner_organisation=w.ngo,
        due_on=D(2026, 12, 1),
    )
    PlanAction.objects.create(
        plan=plan, domain="safety", description="走访", owner_user=w.alice, due_on=D(2026, 12, 1)
    )
    plan2 = CarePlan.objects.create(
        case=xiaoming_case, status="active", goals="…", review_due_on=D(2026, 9, 30)
    )
    PlanAction.objects.create(
        plan=plan2,
        domain="education",
        description="家访",
        owner_user=w.amy,
        due_on=D(2026, 12, 1),
    )

    def contacts(child, days):
        father = ChildRelation.objects.get(child=child, relation="father").person
        for day in days:
            ContactLog.objects.create(
                child=child, parent=father, contacted_on=day, channel="phone", source="other"
            )

    contacts(w.hongmei, [D(2026, 10, 30), D(2026, 10, 20), D(2026, 10, 12), D(2026, 10, 5)])
    contacts(w.xiaoming, [D(2026, 10, 30), D(2026, 10, 29), D(2026, 10, 12), D(2026, 10, 5)])

    def report(area, child, filed, *, danger, acked=None):
        Report.objects.create(
            child=child,
            area=area,
            trigger="living_alone",
            immediate_danger=danger,
            what_seen="…",
            duty_basis="mpl_art_11",
            reporter=w.alice,
            filed_at=filed,
            acknowledged_at=acked,
            state="acknowledged" if acked else "filed",
            next_escalation_at=None if acked else filed + dt.timedelta(hours=24),
        )

    report(
        w.village_a1, w.hongmei, at(D(2026, 10, 1), 10), danger=False, acked=at(D(2026, 10, 1), 20)
    )
    report(w.village_b1, w.qiang, at(D(2026, 10, 2), 8), danger=True, acked=at(D(2026, 10, 2), 11))
    report(w.village_a2, w.xiaoming, at(D(2026, 10, 30), 9), danger=False)
    report(w.village_a2, w.xiaoming, at(D(2026, 11, 1), 0), danger=False)  # after the period

    fund = Fund.objects.create(
        name="关爱基金",
        source="企业捐赠",
        sector=Organisation.Sector.VOLUNTARY,
        area=w.town_a,
        amount=Decimal(10000),
        purpose="学习用品",
        received_on=D(2026, 2, 1),
    )
    for kind, amount, day in (
        ("allocated", 6000, D(2026, 3, 1)),
        ("spent", 1500, D(2026, 5, 1)),
        ("spent", 500, D(2026, 11, 5)),
    ):
        FundEntry.objects.create(
            fund=fund,
            kind=kind,
            amount=Decimal(amount),
            on=day,
            purpose="…",
            recorded_by=w.sam,
        )
    return Fixture(chen=chen, lin=lin)
