"""Reads of follow-up records; always through a child already in the viewer's scope."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    FilteredRelation,
    Max,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, can_on, scope
from shouwang.audit.models import AuditEvent
from shouwang.audit.vocabulary import action_label
from shouwang.cases import domain
from shouwang.cases.models import CarePlan, Case, ContactLog, PlanAction, Visit
from shouwang.geo.models import Area
from shouwang.registry.models import Child, ChildRelation, Person
from shouwang.rules.models import Classification


def parents_of(*, child: Child) -> QuerySet[Person]:
    """The child's father and mother (the people a contact can be logged for)."""
    return Person.objects.filter(
        child_relations__child=child, child_relations__relation__in=ChildRelation.PARENTS
    ).order_by("child_relations__relation")


def contact_list(*, child: Child, limit: int = 10) -> list[ContactLog]:
    return list(ContactLog.objects.filter(child=child).select_related("parent")[:limit])


def last_contacts(*, child: Child) -> dict[int, tuple[dt.date | None, dt.date | None]]:
    """For each parent (person id): the newest logged contact with the child, and with the
    caregiver."""
    rows = (
        ContactLog.objects.filter(child=child)
        .values("parent_id")
        .annotate(
            with_child=Max("contacted_on", filter=Q(with_child=True)),
            with_caregiver=Max("contacted_on", filter=Q(with_caregiver=True)),
        )
    )
    return {r["parent_id"]: (r["with_child"], r["with_caregiver"]) for r in rows}


def last_contacts_of(
    *, child_ids: list[int]
) -> dict[int, dict[int, tuple[dt.date | None, dt.date | None]]]:
    """``last_contacts`` for many children in one query: child id -> parent id -> dates."""
    rows = (
        ContactLog.objects.filter(child_id__in=child_ids)
        .values("child_id", "parent_id")
        .annotate(
            with_child=Max("contacted_on", filter=Q(with_child=True)),
            with_caregiver=Max("contacted_on", filter=Q(with_caregiver=True)),
        )
        .order_by()
    )
    found: dict[int, dict[int, tuple[dt.date | None, dt.date | None]]] = {}
    for r in rows:
        found.setdefault(r["child_id"], {})[r["parent_id"]] = (r["with_child"], r["with_caregiver"])
    return found


# --- worklists -----------------------------------------------------------------------

LIST_LIMIT = 50
OPEN = ("open", "monitoring")


@dataclass
class Worklist:
    red_alerts: list[Classification]
    overdue: list[Case]
    due_soon: list[Case]
    no_contact: list[Classification]
    actions_due: list[PlanAction]
    new_results: list[Classification]

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.red_alerts,
                self.overdue,
                self.due_soon,
                self.no_contact,
                self.actions_due,
                self.new_results,
            )
        )


def worklist(*, viewer: Actor, today: dt.date | None = None) -> Worklist:
    """A child director's "my children today", most urgent first, in six queries whatever
    her caseload."""
    today = today or timezone.localdate()
    children = scope(viewer, Cap.MANAGE_CASE, Child.objects.all()).values("pk")
    cases = Case.objects.filter(child__in=children, status__in=OPEN).select_related(
        "child", "child__village", "responsible"
    )
    current = (
        Classification.objects.filter(child__in=children, ended_at__isnull=True)
        .select_related("child", "child__village")
        .defer(*UNSHOWN)
    )
    return Worklist(
        red_alerts=list(
            current.filter(alert_level="red").order_by("child__name_pinyin", "pk")[:LIST_LIMIT]
        ),
        overdue=list(
            cases.filter(next_follow_up_due__lt=today).order_by(
                "risk_rank", "next_follow_up_due", "pk"
            )[:LIST_LIMIT]
        ),
        due_soon=list(
            cases.filter(
                next_follow_up_due__gte=today,
                next_follow_up_due__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
            ).order_by("next_follow_up_due", "risk_rank", "pk")[:LIST_LIMIT]
        ),
        no_contact=_by_name(current.filter(rule_id="weekly_contact", alert_level="amber")),
        actions_due=list(
            PlanAction.objects.filter(
                plan__case__child__in=children,
                plan__status="active",
                status="open",
                due_on__lte=today + dt.timedelta(days=ACTIONS_DUE_DAYS),
            )
            .select_related("plan__case__child", "owner_organisation", "owner_user")
            .order_by("due_on")[:LIST_LIMIT]
        ),
        new_results=list(
            current.filter(
                evaluated_at__gte=timezone.now() - dt.timedelta(days=NEW_RESULT_DAYS),
                status="yes",
                rule_id__in=NEW_RESULT_RULES,
            ).order_by("-evaluated_at")[:LIST_LIMIT]
        ),
    )


def _by_name(rows: QuerySet[Classification]) -> list[Classification]:
    """The first ``LIST_LIMIT`` of many rows by the child's name: chosen on narrow rows
    (ids and names) first, then only those read whole, so that sorting a township's
    thousands of results does not drag their reasons and citations along (one query)."""
    first = rows.order_by("child__name_pinyin", "pk").values("pk")[:LIST_LIMIT]
    return list(
        Classification.objects.filter(pk__in=first)
        .select_related("child", "child__village")
        .defer(*UNSHOWN)
        .order_by("child__name_pinyin", "pk")
    )


DUE_SOON_DAYS = 3
# What the worklist does not show of a result (the heavy part of the row).
UNSHOWN = ("reasons", "citations", "labels", "missing")
ACTIONS_DUE_DAYS = 7
NEW_RESULT_DAYS = 7
# Results a child director is told about when they newly apply (not the FUC pre-screening,
# which is for those who handle the allowance, nor the weekly contact, listed on its own).
NEW_RESULT_RULES = ("left_behind", "in_difficulty", "unattended_young_child", "care_arrangement")


@dataclass
class VillageRow:
    village: Area
    children: int = 0
    open_cases: int = 0
    overdue: int = 0
    unassigned: int = 0
    high_without_plan: int = 0
    red_alerts: int = 0

    @property
    def urgency(self) -> tuple[int, ...]:
        return (-self.red_alerts, -self.high_without_plan, -self.overdue, -self.unassigned)


BOARD_COUNTS = (
    "children",
    "open_cases",
    "overdue",
    "unassigned",
    "high_without_plan",
    "red_alerts",
)


@dataclass
class Board:
    villages: list[VillageRow]
    top: list[Case]
    plans_waiting: list[CarePlan]
    page: int = 1  # of the most urgent children, ``TOP_CHILDREN`` a page
    pages: int = 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def previous_page(self) -> int:
        return self.page - 1

    @property
    def next_page(self) -> int:
        return self.page + 1

    @property
    def top_start(self) -> int:
        """The rank of the page's first child (the list's numbering goes on)."""
        return (self.page - 1) * TOP_CHILDREN + 1


def town_board(*, viewer: Actor, today: dt.date | None = None, page: int = 1) -> Board:
    """The supervisor's board: by village, what is overdue, unassigned or high-risk without a
    plan, and the most urgent children (risk first, then days overdue), ``TOP_CHILDREN`` a
    page. Four queries whatever the size of the town: the villages, one pass counting by
    village, a page of the most urgent (an index walk), the plans waiting."""
    today = today or timezone.localdate()
    children = scope(viewer, Cap.VIEW_TOWN_BOARD, Child.objects.all())
    child_ids = children.values("pk")
    villages = {
        v.pk: VillageRow(village=v)
        for v in Area.objects.filter(pk__in=children.values("village_id")).order_by("path")
    }
    # One pass over the children in scope, each with her open case if any (at most one:
    # a constraint), counted by village; red alerts and active plans as hashed sets.
    red = Classification.objects.filter(ended_at__isnull=True, alert_level="red")
    active = CarePlan.objects.filter(status="active")
    for row in (
        children.annotate(open_case=FilteredRelation("cases", condition=Q(cases__status__in=OPEN)))
        .values("village_id")
        .annotate(
            children=Count("pk"),
            open_cases=Count("open_case"),
            overdue=Count("open_case", filter=Q(open_case__next_follow_up_due__lt=today)),
            unassigned=Count("open_case", filter=Q(open_case__responsible__isnull=True)),
            high_without_plan=Count(
                "open_case",
                filter=Q(open_case__risk_rank__lte=domain.risk_rank("high"))
                & ~Q(open_case__pk__in=active.values("case_id")),
            ),
            red_alerts=Count("pk", filter=Q(pk__in=red.values("child_id"))),
        )
        .order_by()
    ):
        village = villages[row["village_id"]]
        for name in BOARD_COUNTS:
            setattr(village, name, row[name])
    open_cases = sum(village.open_cases for village in villages.values())
    pages = max(1, -(-open_cases // TOP_CHILDREN))
    page = min(max(page, 1), pages)
    start = (page - 1) * TOP_CHILDREN
    cases = Case.objects.filter(child__in=child_ids, status__in=OPEN)
    top = list(
        cases.select_related("child", "child__village", "responsible").order_by(
            "risk_rank", "next_follow_up_due", "pk"
        )[start : start + TOP_CHILDREN]
    )
    plans = list(
        CarePlan.objects.filter(case__child__in=child_ids, status="awaiting_approval")
        .select_related("case__child", "case__child__village")
        .order_by("created_at")[:LIST_LIMIT]
    )
    return Board(
        villages=sorted(villages.values(), key=lambda r: (r.urgency, r.village.path)),
        top=top,
        plans_waiting=plans,
        page=page,
        pages=pages,
    )


TOP_CHILDREN = 20


def case_for(*, child: Child) -> Case | None:
    return (
        Case.objects.filter(child=child, status__in=OPEN)
        .select_related("responsible")
        .prefetch_related(
            Prefetch(
                "plans",
                queryset=CarePlan.objects.exclude(status="closed").prefetch_related(
                    Prefetch(
                        "actions",
                        queryset=PlanAction.objects.select_related(
                            "owner_organisation", "owner_user"
                        ),
                    )
                ),
            )
        )
        .first()
    )


def visits_for(*, child: Child, limit: int = 5) -> list[Visit]:
    return list(Visit.objects.filter(child=child).select_related("recorded_by")[:limit])


# --- timeline --------------------------------------------------------------------------

# Audit actions some viewers must not see on a child's timeline, by prefix, with the
# capability that opens them: the allowance (no notice, 民发〔2019〕62号) and mandatory
# reports (the reporter's identity is protected).
RESTRICTED_PREFIXES: dict[str, Cap] = {
    "fuc.": Cap.VIEW_FUC,
    "report.": Cap.VIEW_REPORT,
    "safeguarding.": Cap.VIEW_REPORT,
}
HIDDEN_ACTIONS = {"child.viewed"}  # reads are audited, but they are not events in her life
TIMELINE_LIMIT = 40


@dataclass(frozen=True)
class TimelineEntry:
    occurred_at: dt.datetime
    action: str
    label: str
    actor: str


def timeline_for(*, viewer: Actor, child: Child) -> list[TimelineEntry]:
    """Everything that happened to the child, newest first, from the audit log (what the
    services recorded), without what the viewer may not see."""
    hidden = [p for p, cap in RESTRICTED_PREFIXES.items() if not can_on(viewer, cap, child)]
    show_reporter = can_on(viewer, Cap.VIEW_REPORTER, child)
    events = AuditEvent.objects.filter(
        target_type="registry.child", target_id=str(child.public_id)
    ).exclude(action__in=HIDDEN_ACTIONS)
    for prefix in hidden:
        events = events.exclude(action__startswith=prefix)
    entries = []
    for event in events.order_by("-occurred_at", "-pk")[:TIMELINE_LIMIT]:
        protected = event.action.startswith(("report.", "safeguarding.")) and not show_reporter
        entries.append(
            TimelineEntry(
                occurred_at=event.occurred_at,
                action=event.action,
                label=action_label(event.action),
                actor="" if protected else event.actor_label,
            )
        )
    return entries
