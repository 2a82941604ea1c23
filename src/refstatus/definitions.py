"""The law in ``definitions/``, as immutable data: what the loader produces.

:func:`load_definitions` reads the shipped definitions (and an organisation's
overlay) once per process; :mod:`refstatus.loader` validates and compiles them.
See ``docs/rule-language.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .facts import FearedHarm
from .resources import builtin_definitions_dir
from .rules import Node

__all__ = [
    "Citation",
    "Claim",
    "Country",
    "Criterion",
    "Definitions",
    "Exception_",
    "InstrumentStatus",
    "Practice",
    "Source",
    "StateRecord",
    "builtin_definitions_dir",
    "load_definitions",
]

INSTRUMENTS = ("refugee_convention", "refugee_protocol", "cat", "iccpr")
BINDING_STATUSES = ("ratified", "acceded", "succeeded")
STATUSES = BINDING_STATUSES + ("signed", "not_party")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


# ---------------------------------------------------------------- data ----


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    short: str
    citation: str
    authority: str  # binding | guidance | evidence
    cites_by: str  # article | paragraph | whole
    articles: tuple[str, ...] = ()
    paragraphs: tuple[int, int] | None = None
    date: dt.date | None = None
    url: str | None = None
    verify: bool = False
    note: str | None = None
    file: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    source: str
    pinpoint: str | None
    text: str  # e.g. "1951 Convention, Art. 33(1)"
    authority: str
    verify: bool = False
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "pinpoint": self.pinpoint,
            "text": self.text,
            "authority": self.authority,
            "verify": self.verify,
        }


@dataclass(frozen=True, slots=True)
class Exception_:
    label: str
    because: str
    when: Node
    sources: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    title: str
    statement: str
    sources: tuple[Citation, ...]
    test: Node
    unless: tuple[Exception_, ...]
    children: tuple[str, ...]
    report_met_as: str | None
    tag: str | None
    verify: bool
    note: str | None
    file: str
    line: int | None
    inline_title: str = ""  # the title as it reads inside another criterion's reason


@dataclass(frozen=True, slots=True)
class HarmTest:
    id: str
    title: str
    statement: str
    sources: tuple[Citation, ...]
    where: Node
    file: str
    line: int | None


@dataclass(frozen=True, slots=True)
class Practice:
    id: str
    country: str
    title: str
    statement: str
    date: dt.date
    sources: tuple[Citation, ...]
    verify: bool
    applies_when: Node | None
    harm: FearedHarm
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    practices: tuple[Practice, ...]
    file: str


@dataclass(frozen=True, slots=True)
class InstrumentStatus:
    instrument: str
    status: str
    date: dt.date | None
    in_force: dt.date | None
    sources: tuple[Citation, ...]
    verify: bool
    note: str | None


@dataclass(frozen=True, slots=True)
class StateRecord:
    code: str
    name: str
    instruments: Mapping[str, InstrumentStatus]
    file: str


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    framing: str
    claim: str
    attributed_to: str
    date: dt.date | None
    sources: tuple[Citation, ...]
    tested_by: tuple[str, ...]
    holds_when: Node
    legal_answers: tuple[tuple[str, tuple[Citation, ...]], ...]
    verify: bool
    note: str | None
    applies_when: Node | None = None  # whom the claim is about; outside it the claim fails
    scope: str | None = None  # that condition in words, for reasons


@dataclass(frozen=True, slots=True)
class FactWording:
    path: str
    label: str
    question: str | None = None
    help: str | None = None
    sensitive: bool = False
    choices: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class VerifyItem:
    kind: str
    id: str
    file: str
    line: int | None
    note: str | None


@dataclass(frozen=True)
class Definitions:
    """The whole body of law, validated and compiled.  Immutable; share freely."""

    sources: Mapping[str, Source]
    criteria: Mapping[str, Criterion]
    harm_tests: Mapping[str, HarmTest]
    countries: Mapping[str, Country]
    states: Mapping[str, StateRecord]
    claims: Mapping[str, Claim]
    facts: Mapping[str, FactWording]
    stale_after_years: int
    verify_items: tuple[VerifyItem, ...]
    directories: tuple[str, ...]

    def label(self, path: str) -> str:
        return fact_label(self.facts, path)


def _catalog_key(path: str) -> str:
    return re.sub(r"\[\d+\]", "[]", path)


def fact_label(facts: Mapping[str, FactWording], path: str) -> str:
    """A fact's label from the facts catalog, or its field name in words."""
    wording = facts.get(_catalog_key(path))
    return wording.label if wording else path.rsplit(".", 1)[-1].replace("_", " ")


# ------------------------------------------------------------ loading ----


def load_definitions(*extra_dirs: str | Path, builtin: bool = True) -> Definitions:
    """Load the shipped definitions, overlaid by ``extra_dirs`` in order.

    Loading is cached per process for the same arguments.
    """
    dirs = ([str(builtin_definitions_dir())] if builtin else []) + [str(Path(d)) for d in extra_dirs]
    return _load_cached(tuple(dirs))


@cache
def _load_cached(dirs: tuple[str, ...]) -> Definitions:
    from .loader import Builder  # the loader needs the data classes above

    return Builder(dirs).build()
