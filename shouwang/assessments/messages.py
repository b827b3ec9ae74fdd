"""The words for the assessment's reason and error codes, translatable (gettext).

Codes and params are what is stored (``Assessment.reasons``); the sentence is rendered at
display time in the reader's language. Params naming a domain, a question or an answer are
shown through the instrument's own labels (``label_zh`` / ``label_en``: data, not gettext);
levels through the labels below.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from shouwang.assessments.domain import AnswerError, DomainLevel, Instrument, RiskLevel
from shouwang.rules.engine.messages import LIST_SEPARATOR
from shouwang.rules.engine.outcome import Reason

RISK_LABELS: dict[str, Promise] = {
    RiskLevel.LOW: _("Low"),
    RiskLevel.MEDIUM: _("Medium"),
    RiskLevel.HIGH: _("High"),
    RiskLevel.URGENT: _("Urgent"),
}

DOMAIN_LEVEL_LABELS: dict[str, Promise] = {
    DomainLevel.OK: _("No particular concern"),
    DomainLevel.MODERATE: _("Moderate concern"),
    DomainLevel.SEVERE: _("Severe concern"),
}

# Translators: reasons for an assessment's risk level. Quoted parts come from the instrument.
MESSAGES: dict[str, Promise] = {
    "risk_red_flag": ngettext_lazy(
        "%(level)s: %(count)d answer on its own calls for urgent attention.",
        "%(level)s: %(count)d answers on their own call for urgent attention.",
        "count",
    ),
    "red_flag_answer": _("%(domain)s: “%(question)s” — %(answer)s."),
    "risk_domains": ngettext_lazy(
        "%(level)s: %(count)d domain at “%(min_level)s” or above (%(min_count)d needed).",
        "%(level)s: %(count)d domains at “%(min_level)s” or above (%(min_count)d needed).",
        "count",
    ),
    "risk_domains_among": ngettext_lazy(
        "%(level)s: %(count)d of %(domains)s at “%(min_level)s” or above (%(min_count)d needed).",
        "%(level)s: %(count)d of %(domains)s at “%(min_level)s” or above (%(min_count)d needed).",
        "count",
    ),
    "domain_level": _(
        "%(domain)s: %(level)s, %(points)d of %(max)d points (%(percent)d%%; this level "
        "starts at %(threshold)d%%)."
    ),
    "answer_scored": _("“%(question)s” — %(answer)s (%(points)d points)."),
    "risk_default": _("%(level)s: no answer and no domain score calls for a higher level."),
}

ANSWER_ERRORS: dict[str, Promise] = {
    "required": _("Please answer this question."),
    "invalid_value": _("Please choose one of the answers offered."),
    "unknown_question": _("This question is not part of the assessment form (%(question)s)."),
}


def _display(key: str, value: Any, params: Mapping[str, Any], instrument: Instrument) -> Any:
    language = get_language()
    if key in {"level", "min_level"}:  # a risk level or a domain level (distinct values)
        return str(RISK_LABELS.get(value) or DOMAIN_LEVEL_LABELS.get(value) or value)
    if key == "domain":
        domain = instrument.domain(value)
        return domain.label.get(language) if domain else value
    if key == "domains":
        return str(LIST_SEPARATOR).join(
            str(_display("domain", code, params, instrument)) for code in value
        )
    if key == "question":
        question = instrument.question(value)
        return question.label.get(language) if question else value
    if key == "answer":
        question = instrument.question(str(params.get("question", "")))
        option = question.option(str(value)) if question else None
        return option.label.get(language) if option else value
    return value


def render_reason(reason: Reason | Mapping[str, Any], instrument: Instrument) -> str:
    """The sentence for a stored reason (``{"code", "params"}``), in the active language."""
    if isinstance(reason, Reason):
        code, params = reason.code, reason.params
    else:
        code, params = reason["code"], reason.get("params", {})
    if code == "risk_domains" and params.get("domains"):
        code = "risk_domains_among"
    template = MESSAGES.get(code)
    if template is None:
        return code
    shown = {k: _display(k, v, params, instrument) for k, v in params.items()}
    return str(template % shown)


def render_answer_error(error: AnswerError) -> str:
    return str(ANSWER_ERRORS[error.code] % dict(error.params))


def risk_label(level: str) -> str:
    return str(RISK_LABELS.get(level, level))


def domain_level_label(level: str) -> str:
    return str(DOMAIN_LEVEL_LABELS.get(level, level))
