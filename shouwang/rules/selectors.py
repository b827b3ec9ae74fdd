"""Reads of stored classifications, always for a child already in the viewer's scope."""

from django.db.models import Prefetch

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, can_on
from shouwang.registry.models import Child
from shouwang.rules.models import Classification, ClassificationDecision

# Shown only to those who handle the benefit: a pre-screening for the de facto unsupported
# children's allowance is never shown to a school or on a list (民发〔2019〕62号: no notice).
RESTRICTED_RULES = {"fuc_prescreen": Cap.VIEW_FUC}


def classifications_for(*, viewer: Actor, child: Child) -> list[Classification]:
    """The child's current classifications the viewer may see, alerts first."""
    decisions = Prefetch(
        "decisions", queryset=ClassificationDecision.objects.select_related("decided_by")
    )
    rows = list(
        Classification.objects.filter(child=child, ended_at__isnull=True).prefetch_related(
            decisions
        )
    )
    hidden = {rule for rule, cap in RESTRICTED_RULES.items() if not can_on(viewer, cap, child)}
    rows = [row for row in rows if row.rule_id not in hidden]
    order = {"red": 0, "amber": 1, "": 2}
    return sorted(rows, key=lambda r: (order[r.alert_level], r.rule_id))


def classification_history(*, child: Child, rule_id: str) -> list[Classification]:
    return list(
        Classification.objects.filter(child=child, rule_id=rule_id).order_by("-evaluated_at")
    )
