"""refstatus: refugee-status criteria as structured rules, evaluated with reasons and citations.

The public API::

    import refstatus
    case = refstatus.load_case("case.yaml")        # or a worked example
    det = refstatus.evaluate(case)                  # -> Determination
    det.results["refugee"].status                   # Status.met / not_met / undetermined
    print(det.to_json())

Everything not listed in ``__all__`` is internal and may change.
"""

from __future__ import annotations

from .cases import WorkedExample, case_schema, load_case, load_case_text, load_worked_example, parse_case
from .definitions import Definitions, load_definitions
from .errors import CaseFileError, DefinitionError, RefstatusError, RenderError, UsageError
from .evaluator import evaluate
from .facts import Case
from .interview import next_questions
from .render import render
from .result import CriterionResult, Determination, FramingResult, Status, Verdict

__version__ = "0.1.0"

STABLE_IDS: tuple[str, ...] = (
    "outside_country",
    "well_founded_fear",
    "persecution",
    "convention_ground",
    "nexus",
    "state_protection_lacking",
    "other_nationality_protection_available",
    "internal_relocation_available",
    "sur_place",
    "inclusion",
    "exclusion",
    "cessation",
    "refugee",
    "non_refoulement_art33",
    "non_refoulement_cat3",
    "economic_migrant",
)
"""Result ids other tools may depend on; each names a proposition that ``met`` makes true."""

__all__ = [
    "STABLE_IDS",
    "Case",
    "CaseFileError",
    "CriterionResult",
    "DefinitionError",
    "Definitions",
    "Determination",
    "FramingResult",
    "RefstatusError",
    "RenderError",
    "Status",
    "UsageError",
    "Verdict",
    "WorkedExample",
    "case_schema",
    "evaluate",
    "load_case",
    "load_case_text",
    "load_definitions",
    "load_worked_example",
    "next_questions",
    "parse_case",
    "render",
]
