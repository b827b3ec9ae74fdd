"""Exports of issue 7 (docs/exports.md): the indicators as a workbook, and the de-identified
child table for researchers. Both are services: they check the capability and the area, and
write one audit event (who, what, how many rows) in the same transaction.

De-identification (docs/exports.md):
- no name, ID number, birth date, phone or address; the village is replaced by a code
  ("V01", "V02", …) drawn in a random order per export, so it is stable inside one file and
  means nothing across files; the child key is an HMAC of the row id under a random
  per-export salt that is never stored (never the public id);
- quasi-identifiers are generalised: age in bands, never years or dates;
- k-anonymity (the idea is Sweeney 2002, "k-anonymity: a model for protecting privacy",
  Int. J. Uncertainty, Fuzziness and Knowledge-Based Systems 10(5)): every row shares its
  quasi-identifiers (township, village code, sex, age band, category) with at least
  ``SHOUWANG_DEID_MIN_GROUP - 1`` other rows. A smaller group first loses its village (it is
  merged into its township); if the township-level group is still too small, its rows are
  suppressed (left out, and counted in the audit event).
"""

import datetime as dt
import hashlib
import hmac
import io
import random
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shouwang.access.capabilities import Cap
from shouwang.access.policies import Actor, area_grants, require, scope
from shouwang.accounts.models import User
from shouwang.audit.services import audit_record
from shouwang.cases.models import Case
from shouwang.core.errors import NotFound, ValidationFailed
from shouwang.geo.models import Area
from shouwang.insights import report
from shouwang.insights.exports_audit import ExportAction
from shouwang.insights.report import add_months
from shouwang.lib.dates import full_years
from shouwang.registry.models import Child
from shouwang.rules.models import Classification

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_EXPORT_MONTHS = 24
# Age bands (years, inclusive): early childhood, primary, lower secondary, 16-17.
AGE_BANDS: tuple[tuple[int, int], ...] = ((0, 5), (6, 11), (12, 15), (16, 17))
SUPPRESSED_VILLAGE = "*"


def export_area(viewer: Actor, cap: Cap, code: str | None) -> Area:
    """The area ``code`` if it lies within the viewer's grants of ``cap``; ``NotFound``
    alike for a missing and an out-of-reach code."""
    area = Area.objects.filter(code=(code or "").strip()).select_related("level").first()
    if area is None or not any(area.is_within(g) for g in area_grants(viewer, cap)):
        raise NotFound(_("Area not found."))
    return area


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def _workbook(sheet_name: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(sheet_name)
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, header, bold)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        sheet.write_row(count, 0, row)
    sheet.set_column(0, len(header) - 1, 16)
    book.close()
    return buffer.getvalue()


# ---- indicators -----------------------------------------------------------------------


def indicator_rows(*, area: Area, first: dt.date, last: dt.date) -> list[list[Any]]:
    """One row per area × month × indicator: the area itself, then the areas one level
    below it (villages of a town, towns of a county)."""
    api = report.indicator_api()
    below = area.subareas.select_related("level").order_by("path")
    level = below[0].level.slug if below else None
    names = {a.code: a for a in below}
    rows: list[list[Any]] = []
    for month in _months(first, last):
        per_area = [(area, api.indicators_for(area=area, month=month))]
        if level is not None:
            for code, inds in api.indicators_by_child_area(
                area=area, month=month, level=level
            ).items():
                if code in names:
                    per_area.append((names[code], inds))
        for place, inds in per_area:
            rows.extend(
                [
                    place.code,
                    place.display_name,
                    f"{month:%Y-%m}",
                    ind.code,
                    str(ind.label),
                    ind.numerator,
                    ind.denominator,
                    ind.value,
                    ind.unit,
                    getattr(ind.threshold, "limit", ind.threshold),
                    _("yes") if ind.problem else "",
                ]
                for ind in inds.values()
            )
    return rows


@transaction.atomic
def indicators_export(*, actor: User, area: Area, first: dt.date, last: dt.date) -> bytes:
    require(actor, Cap.EXPORT_INDICATORS)
    if not any(area.is_within(g) for g in area_grants(actor, Cap.EXPORT_INDICATORS)):
        raise NotFound(_("Area not found."))
    if add_months(first, MAX_EXPORT_MONTHS) <= last:
        raise ValidationFailed(
            _("An export covers at most %(n)s months: choose a shorter period.")
            % {"n": MAX_EXPORT_MONTHS}
        )
    rows = indicator_rows(area=area, first=first, last=last)
    header = [
        _("Area code"),
        _("Area"),
        _("Month"),
        _("Indicator code"),
        _("Indicator"),
        _("Numerator"),
        _("Denominator"),
        _("Value"),
        _("Unit"),
        _("Threshold"),
        _("Problem"),
    ]
    content = _workbook(_("Indicators"), header, rows)
    audit_record(
        actor=actor,
        action=ExportAction.INDICATORS_EXPORTED,
        area=area,
        extra={"rows": len(rows), "from": f"{first:%Y-%m}", "to": f"{last:%Y-%m}"},
    )
    return content


# ---- de-identified --------------------------------------------------------------------


def age_band(age: int) -> str:
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}-{high}"
    return "18+"


@dataclass
class DeidRow:
    key: str
    township: str
    village: str
    sex: str
    age_band: str
    category: str
    risk_level: str
    has_responsible: bool
    services_12m: int

    def quasi(self) -> tuple[str, str, str, str, str]:
        return (self.township, self.village, self.sex, self.age_band, self.category)


def _category(left_behind: bool, in_difficulty: bool) -> str:
    if left_behind and in_difficulty:
        return "left_behind+in_difficulty"
    if left_behind:
        return "left_behind"
    if in_difficulty:
        return "in_difficulty"
    return "other"


def k_anonymise(rows: list[DeidRow], k: int) -> tuple[list[DeidRow], int, int]:
    """Rows whose quasi-identifier group has at least ``k`` members. A smaller group loses
    its village first; what is still below ``k`` at township level is suppressed.
    Returns (rows, how many were generalised, how many suppressed)."""
    counts = Counter(r.quasi() for r in rows)
    generalised = 0
    for row in rows:
        if counts[row.quasi()] < k:
            row.village = SUPPRESSED_VILLAGE
            generalised += 1
    counts = Counter(r.quasi() for r in rows)
    kept = [r for r in rows if counts[r.quasi()] >= k]
    return kept, generalised, len(rows) - len(kept)


def deidentified_rows(*, viewer: Actor, area: Area, k: int) -> tuple[list[DeidRow], int, int]:
    today = timezone.localdate()
    current = Classification.objects.filter(
        child=OuterRef("pk"), ended_at__isnull=True, status=Classification.Status.YES
    )
    children = (
        scope(viewer, Cap.EXPORT_DEIDENTIFIED, Child.objects.all())
        .filter(village__path__startswith=area.path)
        .annotate(
            left_behind=Exists(current.filter(rule_id="left_behind")),
            in_difficulty=Exists(current.filter(rule_id="in_difficulty")),
            services_12m=Count(
                "service_deliveries",
                filter=Q(service_deliveries__delivered_on__gt=today - dt.timedelta(days=365)),
                distinct=True,
            ),
        )
        .values(
            "pk",
            "sex",
            "birth_date",
            "village__code",
            "village__parent__name_zh",
            "village__parent__name_en",
            "left_behind",
            "in_difficulty",
            "services_12m",
        )
        .order_by("pk")
    )
    children = list(children)
    cases = {
        c["child_id"]: c
        for c in Case.objects.filter(child_id__in=[c["pk"] for c in children])
        .exclude(status=Case.Status.CLOSED)
        .values("child_id", "risk_level", "responsible_id")
    }
    salt = secrets.token_bytes(32)  # per export, never stored: keys link nothing across files
    villages = sorted({c["village__code"] for c in children})
    random.SystemRandom().shuffle(villages)
    village_code = {code: f"V{i:02d}" for i, code in enumerate(villages, start=1)}
    english = (get_language() or "").startswith("en")
    rows = []
    for child in children:
        case = cases.get(child["pk"], {})
        town = child["village__parent__name_en"] if english else ""
        rows.append(
            DeidRow(
                key=hmac.new(salt, str(child["pk"]).encode(), hashlib.sha256).hexdigest()[:16],
                township=town or child["village__parent__name_zh"],
                village=village_code[child["village__code"]],
                sex=child["sex"],
                age_band=age_band(full_years(child["birth_date"], today)),
                category=_category(child["left_behind"], child["in_difficulty"]),
                risk_level=case.get("risk_level", ""),
                has_responsible=bool(case.get("responsible_id")),
                services_12m=child["services_12m"],
            )
        )
    kept, generalised, suppressed = k_anonymise(rows, k)
    random.SystemRandom().shuffle(kept)  # the order must not betray the registry's order
    return kept, generalised, suppressed


@transaction.atomic
def deidentified_export(*, actor: User, area: Area) -> tuple[bytes, int]:
    require(actor, Cap.EXPORT_DEIDENTIFIED)
    if not any(area.is_within(g) for g in area_grants(actor, Cap.EXPORT_DEIDENTIFIED)):
        raise NotFound(_("Area not found."))
    k = max(1, int(getattr(settings, "SHOUWANG_DEID_MIN_GROUP", 5)))
    rows, generalised, suppressed = deidentified_rows(viewer=actor, area=area, k=k)
    header = [
        _("Child key (this file only)"),
        _("Township"),
        _("Village code (this file only)"),
        _("Sex"),
        _("Age band"),
        _("Category"),
        _("Risk level"),
        _("Has a responsible person"),
        _("Services in the last 12 months"),
    ]
    content = _workbook(
        _("De-identified"),
        header,
        (
            [
                r.key,
                r.township,
                r.village,
                r.sex,
                r.age_band,
                r.category,
                r.risk_level,
                1 if r.has_responsible else 0,
                r.services_12m,
            ]
            for r in rows
        ),
    )
    audit_record(
        actor=actor,
        action=ExportAction.DEIDENTIFIED_EXPORTED,
        area=area,
        extra={
            "rows": len(rows),
            "generalised": generalised,
            "suppressed": suppressed,
            "k": k,
        },
    )
    return content, len(rows)
