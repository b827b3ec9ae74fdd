"""The pure rules engine: the law and policy of DOMAIN.md §1-§6 as cited, versioned rules.

No ORM here. Django code builds a ``ChildSituation`` from the registry and calls
``evaluate_all``; every outcome carries its status, reasons, missing facts, citations,
alerts and rule version. The platform pre-screens; people decide.
"""

from shouwang.rules.engine.evaluate import (
    Evaluation,
    evaluate_all,
    evaluation_to_json,
    outcome_to_json,
)
from shouwang.rules.engine.outcome import (
    CANNOT_DETERMINE,
    NO,
    NOT_APPLICABLE,
    YES,
    Alert,
    Label,
    Outcome,
    Reason,
)
from shouwang.rules.engine.params import (
    NATIONAL,
    Parameter,
    ParameterError,
    ParameterSet,
    load_overlay,
    overlay_from_json,
)
from shouwang.rules.engine.rules import CATALOGUE, get_rule, rules_in_force
from shouwang.rules.engine.situation import (
    CaregiverFacts,
    ChildSituation,
    ParentFacts,
    SituationError,
    situation_from_json,
    situation_to_json,
    validate_situation,
)

__all__ = [
    "CANNOT_DETERMINE",
    "CATALOGUE",
    "NATIONAL",
    "NO",
    "NOT_APPLICABLE",
    "YES",
    "Alert",
    "CaregiverFacts",
    "ChildSituation",
    "Evaluation",
    "Label",
    "Outcome",
    "Parameter",
    "ParameterError",
    "ParameterSet",
    "ParentFacts",
    "Reason",
    "SituationError",
    "evaluate_all",
    "evaluation_to_json",
    "get_rule",
    "load_overlay",
    "outcome_to_json",
    "overlay_from_json",
    "rules_in_force",
    "situation_from_json",
    "situation_to_json",
    "validate_situation",
]
