"""Loading case files and worked examples, with errors that say file, line and field."""

from __future__ import annotations

import difflib
import json
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import CaseFileError
from .facts import Case, _submodels
from .yamlio import Loaded, dotted, load_yaml, load_yaml_text

__all__ = [
    "ExpectedResults",
    "WorkedExample",
    "load_case",
    "load_case_text",
    "load_worked_example",
    "parse_case",
    "case_schema",
    "validation_messages",
]


class _Status(StrEnum):
    met = "met"
    not_met = "not_met"
    undetermined = "undetermined"


class _Verdict(StrEnum):
    holds = "holds"
    fails = "fails"
    undetermined = "undetermined"


class ExpectedResults(BaseModel):
    """What a worked example must evaluate to: a regression case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    results: dict[str, _Status]
    framings: dict[str, _Verdict] = Field(default_factory=dict)
    missing_facts: dict[str, list[str]] = Field(default_factory=dict)
    grounds: list[str] | None = None
    exclusion_clauses: list[str] | None = None
    cessation_clauses: list[str] | None = None


class WorkedExample(BaseModel):
    """A teaching case: a case file, the expected results and the reasoning in words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    summary: str
    composite: bool = True
    tags: list[str] = Field(default_factory=list)
    narrative: str
    teaching_note: str
    case: Case
    expected: ExpectedResults


def case_schema() -> dict[str, Any]:
    """The JSON Schema of a case file (identifying fields carry ``x-identifying: true``)."""
    schema = Case.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://refstatus.invalid/schema/case.json"
    return schema


def load_case(path: str | Path) -> Case:
    """Load a case file (YAML or JSON) or the case inside a worked example."""
    loaded = load_yaml(path, CaseFileError)
    return _parse(loaded)[0]


def load_case_text(text: str, file: str = "<case>") -> Case:
    """Parse case-file text (YAML or JSON); ``file`` names it in errors."""
    return _parse(load_yaml_text(text, file, CaseFileError))[0]


def load_worked_example(path: str | Path) -> WorkedExample:
    loaded = load_yaml(path, CaseFileError)
    case, example = _parse(loaded)
    if example is None:
        raise CaseFileError("not a worked example (no 'expected' key)", file=str(path), line=1)
    return example


def parse_case(data: Any, file: str = "<case>") -> Case:
    """Validate already-parsed data (e.g. from JSON) as a case file or worked example."""
    return _parse(Loaded(data, {}, file))[0]


def _is_worked_example(data: Any) -> bool:
    return isinstance(data, dict) and "case" in data and "expected" in data


def _parse(loaded: Loaded) -> tuple[Case, WorkedExample | None]:
    data = loaded.data
    if not isinstance(data, dict):
        raise CaseFileError("a case file must be a mapping of fields", file=loaded.file, line=loaded.line(()))
    model: type[BaseModel] = WorkedExample if _is_worked_example(data) else Case
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        messages = validation_messages(exc, loaded, model)
        err = CaseFileError(messages[0][3], file=loaded.file, line=messages[0][1], field=messages[0][2])
        err.all_messages = [m[0] for m in messages]  # type: ignore[attr-defined]
        raise err from None
    if isinstance(obj, WorkedExample):
        return obj.case, obj
    assert isinstance(obj, Case)
    return obj, None


def validation_messages(
    exc: ValidationError, loaded: Loaded, model: type[BaseModel]
) -> list[tuple[str, int | None, str, str]]:
    """One ``(line_text, line, field, message)`` per pydantic error."""
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        field = dotted(loc) or "(top level)"
        line = loaded.line(loc)
        if err["type"] == "extra_forbidden":
            message = "unknown field"
            guess = _did_you_mean(model, loc)
            if guess:
                message += f"; did you mean '{guess}'?"
        elif err["type"] == "missing":
            message = "required field is missing"
        else:
            message = err["msg"]
            if "input" in err and not isinstance(err["input"], dict | list):
                message += f" (got {json.dumps(err['input'], default=str)})"
        text = f"{loaded.file}" + (f":{line}" if line else "") + f": {field}: {message}"
        out.append((text, line, field, message))
    return out


def _did_you_mean(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    current: type[BaseModel] | None = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        subs = _submodels(field.annotation)
        current = subs[0] if subs else None
    if current is None:
        return None
    matches = difflib.get_close_matches(str(loc[-1]), list(current.model_fields), n=1, cutoff=0.6)
    return matches[0] if matches else None
