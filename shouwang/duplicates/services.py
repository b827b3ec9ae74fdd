"""Writes of the duplicates app: fill the queue, decide a pair, merge and unmerge.

Every decision is audited in the transaction that makes it. A merge moves the merged
child's rows to the survivor one by one inside savepoints: a row that would break a
constraint (a second father, a second current care arrangement, the same person twice)
stays with the merged child, hidden with it, and comes back on unmerge.
"""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import ForeignKey
from django.utils import timezone
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import require
from shouwang.accounts.models import User
from shouwang.audit.services import SystemActor, audit_record, audit_record_many
from shouwang.core.errors import ValidationFailed
from shouwang.duplicates import linkage
from shouwang.duplicates.models import DuplicatePair, Merge, merged_away
from shouwang.duplicates.vocabulary import DuplicateAction
from shouwang.geo.models import Area
from shouwang.registry.models import CareArrangement, Child, ChildRelation
from shouwang.rules.services import child_classify

# Rows that are recomputed for the survivor rather than moved, and our own tables.
NOT_MOVED = {"rules.classification", "duplicates.duplicatepair", "duplicates.merge"}


def registry_records(children: Any) -> Iterator[dict[str, Any]]:
    """The linkage input for a queryset of children: names of parents and caregiver."""
    rows = list(
        children.values(
            "pk", "name", "sex", "birth_date", "id_number", "village__code", "county__code"
        )
    )
    ids = [r["pk"] for r in rows]
    parents: dict[int, dict[str, str]] = defaultdict(dict)
    for i in range(0, len(ids), 5000):
        chunk = ids[i : i + 5000]
        for child_id, relation, name in ChildRelation.objects.filter(
            child_id__in=chunk, relation__in=ChildRelation.PARENTS
        ).values_list("child_id", "relation", "person__name"):
            parents[child_id][relation] = name
        for child_id, name in CareArrangement.objects.filter(
            child_id__in=chunk, ended_on__isnull=True, caregiver__isnull=False
        ).values_list("child_id", "caregiver__name"):
            parents[child_id]["carer"] = name
    for r in rows:
        family = parents.get(r["pk"], {})
        yield {
            "unique_id": r["pk"],
            "name": r["name"],
            "sex": r["sex"],
            "birth_date": r["birth_date"],
            "id_number": r["id_number"],
            "village": r["village__code"],
            "county": (r["county__code"] or "")[:6],
            "father_name": family.get("father", ""),
            "mother_name": family.get("mother", ""),
            "carer_name": family.get("carer", ""),
        }


def find_duplicates(
    *, actor: User | SystemActor, county: Area | None = None, threshold: float = linkage.THRESHOLD
) -> tuple[int, int, linkage.LinkResult]:
    """Link the registry (one county or all) and queue new candidate pairs.

    Pairs already in the queue keep their status and decision. Returns (new pairs, pairs
    found, the linkage result)."""
    children = Child.objects.exclude(pk__in=merged_away())
    if county is not None:
        children = children.filter(county=county)
    result = linkage.link(registry_records(children), threshold=threshold)
    existing = set(DuplicatePair.objects.values_list("child_a_id", "child_b_id"))
    new = [
        DuplicatePair(
            child_a_id=link.left,
            child_b_id=link.right,
            score=link.match_probability,
            match_weight=link.match_weight,
            agreement=link.detail,
        )
        for link in result.links
        if (link.left, link.right) not in existing
    ]
    with transaction.atomic():
        created = DuplicatePair.objects.bulk_create(new, batch_size=2000)
        if created:
            pairs = DuplicatePair.objects.filter(pk__in=[p.pk for p in created]).select_related(
                "child_a__village"
            )
            audit_record_many(
                actor=actor,
                action=DuplicateAction.FOUND,
                targets=[(p, p.child_a.village, {"score": round(p.score, 4)}) for p in pairs],
            )
    return len(new), len(result.links), result


def _check_reach(actor: User, pair: DuplicatePair) -> None:
    require(actor, Cap.REVIEW_DUPLICATES, pair.child_a)
    require(actor, Cap.REVIEW_DUPLICATES, pair.child_b)


def pair_decide(*, actor: User, pair: DuplicatePair, confirm: bool, reason: str) -> DuplicatePair:
    _check_reach(actor, pair)
    if pair.status not in (
        DuplicatePair.Status.CANDIDATE,
        DuplicatePair.Status.CONFIRMED,
        DuplicatePair.Status.REJECTED,
    ):
        raise ValidationFailed(_("This pair has been merged; unmerge it first."))
    if not confirm and not reason.strip():
        raise ValidationFailed(
            _("Say why these are two different children."),
            {"reason": [_("Say why these are two different children.")]},
        )
    with transaction.atomic():
        pair.status = DuplicatePair.Status.CONFIRMED if confirm else DuplicatePair.Status.REJECTED
        pair.reviewed_by = actor
        pair.reviewed_at = timezone.now()
        pair.reason = reason.strip()
        pair.save(update_fields=["status", "reviewed_by", "reviewed_at", "reason"])
        audit_record(
            actor=actor,
            action=DuplicateAction.CONFIRMED if confirm else DuplicateAction.REJECTED,
            target=pair,
            area=pair.child_a.village,
            extra={"reason": pair.reason},
        )
    return pair


def _child_foreign_keys() -> list[tuple[Any, str]]:
    """(model, field name) of every foreign key to Child outside ``NOT_MOVED``."""
    return [
        (model, f.name)
        for model in apps.get_models()
        if model._meta.label_lower not in NOT_MOVED and model is not Child
        for f in model._meta.get_fields()
        if isinstance(f, ForeignKey) and f.related_model is Child
    ]


def _move(model: Any, field: str, pks: list[Any], to: Child) -> list[Any]:
    moved = []
    for pk in pks:
        try:
            with transaction.atomic():
                model.objects.filter(pk=pk).update(**{field: to})
        except IntegrityError:
            continue
        moved.append(pk)
    return moved


def child_merge(*, actor: User, pair: DuplicatePair, survivor: Child) -> Merge:
    """Merge a confirmed pair into ``survivor``; reversible with ``child_unmerge``."""
    _check_reach(actor, pair)
    if pair.status != DuplicatePair.Status.CONFIRMED:
        raise ValidationFailed(_("Only a confirmed duplicate can be merged."))
    if survivor.pk not in (pair.child_a_id, pair.child_b_id):
        raise ValidationFailed(_("The record to keep must be one of the pair."))
    merged = pair.child_b if survivor.pk == pair.child_a_id else pair.child_a
    with transaction.atomic():
        locked = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
        if locked.status != DuplicatePair.Status.CONFIRMED:
            raise ValidationFailed(_("Only a confirmed duplicate can be merged."))
        moved: dict[str, dict[str, Any]] = {}
        for model, field in _child_foreign_keys():
            pks = list(model.objects.filter(**{field: merged}).values_list("pk", flat=True))
            done = _move(model, field, pks, survivor) if pks else []
            if done:
                moved[model._meta.label_lower] = {"field": field, "pks": done}
        merge = Merge.objects.create(
            pair=pair, survivor=survivor, merged=merged, moved=moved, merged_by=actor
        )
        locked.status = DuplicatePair.Status.MERGED
        locked.save(update_fields=["status"])
        pair.status = locked.status
        child_classify(actor=actor, child=survivor)
        audit_record(
            actor=actor,
            action=DuplicateAction.MERGED,
            target=survivor,
            area=survivor.village,
            extra={
                "merged": str(merged.public_id),
                "pair": pair.pk,
                "moved": {k: len(v["pks"]) for k, v in moved.items()},
            },
        )
    return merge


def child_unmerge(*, actor: User, merge: Merge) -> Merge:
    """Point every moved row back to the merged child and show it again."""
    _check_reach(actor, merge.pair)
    if merge.reversed_at is not None:
        raise ValidationFailed(_("This merge has already been reversed."))
    with transaction.atomic():
        merge = Merge.objects.select_for_update().get(pk=merge.pk)
        if merge.reversed_at is not None:
            raise ValidationFailed(_("This merge has already been reversed."))
        for label, entry in merge.moved.items():
            model = apps.get_model(label)
            _move(model, entry["field"], entry["pks"], merge.merged)
        merge.reversed_at = timezone.now()
        merge.reversed_by = actor
        merge.save(update_fields=["reversed_at", "reversed_by"])
        DuplicatePair.objects.filter(pk=merge.pair_id).update(status=DuplicatePair.Status.CONFIRMED)
        child_classify(actor=actor, child=merge.survivor)
        child_classify(actor=actor, child=merge.merged)
        audit_record(
            actor=actor,
            action=DuplicateAction.UNMERGED,
            target=merge.survivor,
            area=merge.survivor.village,
            extra={"merged": str(merge.merged.public_id), "pair": merge.pair_id},
        )
    return merge
