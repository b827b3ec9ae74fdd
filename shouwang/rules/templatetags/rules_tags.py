"""Showing stored classifications: rule titles, reasons and missing facts in the user's
language (the stored rows hold codes and parameters, never sentences)."""

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from shouwang.rules.engine.messages import LIST_SEPARATOR, VALUE_LABELS, fact_label, render_code
from shouwang.rules.engine.rules import get_rule
from shouwang.rules.models import Classification

register = template.Library()


@register.filter
def rule_title(rule_id: str) -> str:
    try:
        return str(get_rule(rule_id).spec.title)
    except KeyError:
        return rule_id


@register.filter
def reason_text(reason: dict[str, Any]) -> str:
    return render_code(reason["code"], reason.get("params", {}))


VALUE_WORDS: dict[str, Any] = {
    **VALUE_LABELS["category"],
    **dict(Classification.Status.choices),
    "poverty": _("poverty"),
    "disability": _("disability"),
    "safety": _("safety"),
    "both_parents": _("both parents in a qualifying situation"),
    "one_parent_dead_or_missing": _(
        "one parent dead or missing, the other in a qualifying situation"
    ),
}


@register.filter
def reason_label(value: str) -> str:
    """A category, label or status code (grandparents, poverty, yes…) in words."""
    return str(VALUE_WORDS.get(value, value))


# Alerts that are mandatory-report triggers, and the safeguarding trigger each one is
# (国发〔2016〕13号: a child living apart from guardianship; 未成年人保护法 Art. 21).
ALERT_TRIGGERS = {
    "no_guardian": "living_alone",
    "child_living_alone": "living_alone",
    "unattended_young_child": "guardian_incapable_or_neglecting",
}


@register.filter
def report_trigger(alert_code: str) -> str:
    return ALERT_TRIGGERS.get(alert_code, "")


@register.filter
def missing_text(path: str) -> str:
    return fact_label(path)


@register.filter
def citation_text(citation: dict[str, Any]) -> str:
    """国发〔2016〕13号, or 《未成年人保护法》第二十一条: documents are cited in Chinese."""
    head = citation.get("number") or f"《{citation.get('title', '')}》"
    article = citation.get("article")
    return f"{head}{article}" if article else head


@register.filter
def citations_text(citations: list[dict[str, Any]]) -> str:
    return str(LIST_SEPARATOR).join(citation_text(c) for c in citations)


@register.filter
def missing_list(paths: list[str]) -> str:
    return str(LIST_SEPARATOR).join(fact_label(p) for p in paths)
