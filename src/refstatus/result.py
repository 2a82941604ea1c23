"""The result tree: what the evaluator returns and what templates and tools read.

Plain frozen dataclasses (built once per criterion per case, cheaply) with a
``to_json()`` that is the stable, documented shape other tools depend on.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from .definitions import Citation
from .facts import Case

__all__ = ["CriterionResult", "Determination", "Evidence", "FramingResult", "Status", "Verdict", "jsonable"]


_EMPTY: Mapping[str, Any] = MappingProxyType({})


class Status(StrEnum):
    """The three outcomes of a criterion."""

    met = "met"
    not_met = "not_met"
    undetermined = "undetermined"

    @property
    def words(self) -> str:
        return self.value.replace("_", " ")

    @classmethod
    def of(cls, value: bool | None) -> Status:
        return cls.met if value is True else cls.not_met if value is False else cls.undetermined


class Verdict(StrEnum):
    """The outcome of a framing claim tested against a case."""

    holds = "holds"
    fails = "fails"
    undetermined = "undetermined"

    @classmethod
    def of(cls, value: bool | None) -> Verdict:
        return cls.holds if value is True else cls.fails if value is False else cls.undetermined


class Evidence(NamedTuple):
    """A documented practice or treaty record that a step relied on."""

    kind: str  # "practice" | "treaty_status"
    id: str
    title: str
    date: dt.date | None
    sources: tuple[Citation, ...]
    stale: bool | None = None  # older than the staleness threshold at the assessment date
    verify: bool = False
    after_assessment: bool | None = None  # dated after the assessment date (hindsight evidence)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "stale": self.stale,
            "after_assessment": self.after_assessment,
            "verify": self.verify,
            "sources": [c.to_json() for c in self.sources],
        }


class CriterionResult(NamedTuple):
    """One criterion's outcome.  A named tuple: immutable and cheap to build on the hot path."""

    id: str
    title: str
    status: Status
    reason: str
    sources: tuple[Citation, ...]
    facts: tuple[tuple[str, Any], ...]
    missing_facts: tuple[str, ...]
    children: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()
    exceptions: tuple[tuple[str, Status], ...] = ()
    extra: Mapping[str, Any] = _EMPTY
    verify: bool = False
    value: bool | None = None
    """The status as a three-valued boolean (True, False, None)."""

    @property
    def grounds(self) -> list[str] | None:
        return self.extra.get("grounds")

    @property
    def clauses(self) -> list[str] | None:
        return self.extra.get("clauses")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": self.status.value,
            "title": self.title,
            "reason": self.reason,
            "sources": [c.to_json() for c in self.sources],
            "facts": {path: jsonable(v) for path, v in self.facts},
            "missing_facts": list(self.missing_facts),
            "children": list(self.children),
        }
        if self.exceptions:
            out["exceptions"] = [{"label": label, "status": st.value} for label, st in self.exceptions]
        if self.evidence:
            out["evidence"] = [e.to_json() for e in self.evidence]
        for key, value in self.extra.items():
            out[key] = value
        if self.verify:
            out["verify"] = True
        return out


@dataclass(frozen=True, slots=True)
class FramingResult:
    id: str
    framing: str
    claim: str
    attributed_to: str
    date: dt.date | None
    status: Verdict
    reason: str
    tested_by: tuple[str, ...]
    sources: tuple[Citation, ...]
    legal_answers: tuple[tuple[str, tuple[Citation, ...]], ...]
    missing_facts: tuple[str, ...] = ()
    verify: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "framing": self.framing,
            "claim": self.claim,
            "attributed_to": self.attributed_to,
            "date": self.date.isoformat() if self.date else None,
            "reason": self.reason,
            "tested_by": list(self.tested_by),
            "sources": [c.to_json() for c in self.sources],
            "legal_answers": [{"text": t, "sources": [c.to_json() for c in cs]} for t, cs in self.legal_answers],
            "missing_facts": list(self.missing_facts),
            "verify": self.verify,
        }


@dataclass(frozen=True)
class Determination:
    """Everything the evaluator concluded about one case.

    ``results[id]`` is the stable mapping other tools depend on; ``framings[id]``
    tests each framing claim against the case.
    """

    case_summary: Mapping[str, Any]
    results: Mapping[str, CriterionResult]
    framings: Mapping[str, FramingResult]
    stale_after_years: int
    case: Case | None = field(default=None, repr=False, compare=False)
    """The case evaluated (with identifying fields); never serialised by ``to_json``."""

    def __getitem__(self, criterion_id: str) -> CriterionResult:
        return self.results[criterion_id]

    def status(self, criterion_id: str) -> Status:
        return self.results[criterion_id].status

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": dict(self.case_summary),
            "results": {cid: r.to_json() for cid, r in self.results.items()},
            "framings": {fid: f.to_json() for fid, f in self.framings.items()},
            "stale_after_years": self.stale_after_years,
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The determination as JSON (no identifying fields)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_none=True)
    return value
