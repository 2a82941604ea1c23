"""The guided interview: ask only what can still change an outcome.

``next_questions(case)`` returns, most decisive first, the questions whose
answers can still change an undetermined goal (``refugee``,
``non_refoulement_art33``, ``non_refoulement_cat3``, ``economic_migrant``).
The evaluator names, for each undetermined result, the unknown facts it still
turns on; each of those becomes a candidate, and a candidate is asked only
when a witness shows that its answer can change a goal
(:mod:`refstatus.relevance`). Questions are ranked by how many goals turn on
them, then by their place in the facts catalog (``definitions/facts.yaml``),
which also holds their wording, help text and choices: a trainer rewords a
question there, without touching code.

Every question offers "don't know", which leaves the fact unknown. Setting an
answer builds a new case (``set_fact``); a case is never mutated. Answers are
read by :mod:`refstatus.interview_answers`; a whole interview, saved after
every answer, is run by :mod:`refstatus.interview_session`. Their public names
are re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from .definitions import Definitions, load_definitions
from .errors import UsageError
from .evaluator import evaluate
from .facts import Case
from .result import Determination, Status
from .schema_paths import FieldType, field_type

__all__ = [
    "ADD_ITEM",
    "DONT_KNOW",
    "GOALS",
    "SKIP",
    "Choice",
    "FileAnswers",
    "InterviewResult",
    "Progress",
    "PromptAnswers",
    "Question",
    "atomic_write",
    "case_yaml",
    "catalog_key",
    "check_output",
    "get_fact",
    "load_answers",
    "make_question",
    "next_questions",
    "parse_answer",
    "progress_path",
    "run_interview",
    "set_fact",
    "summary_lines",
]

GOALS: tuple[str, ...] = ("refugee", "non_refoulement_art33", "non_refoulement_cat3", "economic_migrant")
"""The outcomes the interview works towards."""

_GOAL_NAMES = {
    "refugee": "refugee status",
    "non_refoulement_art33": "protection from return (Refugee Convention Art. 33)",
    "non_refoulement_cat3": "protection from return (Convention against Torture Art. 3)",
    "economic_migrant": "the 'economic migrant' label",
}

_ITEM_NAMES = {"feared_harms": "feared harm", "past_harm": "past harm", "other_nationalities": "other nationality"}
_COUNTRY_FIELDS = frozenset({"host_state", "current_country", "former_habitual_residence", "country"})

class _Marker:
    """A named sentinel (an answer that is not a fact value)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


DONT_KNOW = _Marker("DONT_KNOW")
"""The answer "don't know": the fact stays unknown."""
SKIP = _Marker("SKIP")
"""The person chose not to answer: the fact stays unknown."""
ADD_ITEM = _Marker("ADD_ITEM")
"""For a list of records (feared harms): add one record, then ask its fields."""

# ------------------------------------------------------------ questions ----


@dataclass(frozen=True, slots=True)
class Choice:
    """One offered answer: the value recorded and the words shown."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the interview, worded from the facts catalog.

    ``path`` is the concrete fact path (``feared_harms[0].likelihood``), ``key``
    its catalog entry (``feared_harms[].likelihood``). ``kind`` says what an
    answer looks like: bool, enum, multi (several of the choices), grounds
    (Convention grounds of a harm), codes (country codes), item_codes (records
    named by a country code), items (records whose fields are asked next),
    code, date, int or text. ``goals`` are the outcomes the answer can change.
    """

    path: str
    key: str
    kind: str
    label: str
    text: str
    help: str | None
    sensitive: bool
    choices: tuple[Choice, ...]
    goals: tuple[str, ...]
    about: str | None = None

    @property
    def prompt(self) -> str:
        """The question as shown, prefixed by the record it is about."""
        return f"About {self.about}: {self.text}" if self.about else self.text


def catalog_key(path: str) -> str:
    """``feared_harms[0].likelihood`` -> ``feared_harms[].likelihood``."""
    return re.sub(r"\[\d+\]", "[]", path)


def next_questions(
    case: Case,
    definitions: Definitions | None = None,
    *,
    goals: Sequence[str] = GOALS,
    skip: Sequence[str] = (),
    determination: Determination | None = None,
    check: bool = True,
    limit: int | None = None,
    cache: dict[str, Any] | None = None,
    prefix: str = "",
) -> list[Question]:
    """The questions whose answers can still change an undetermined goal, most decisive first.

    A fact is a candidate when the engine lists it among the facts an
    undetermined goal still turns on. That list is generous (a fact that only
    repeats what another fact already settles can appear in it), so with
    ``check`` a candidate is kept only when a witness shows that its answer can
    change a goal (see :mod:`refstatus.relevance`). Ranked by the number of
    goals whose missing facts include it, then by catalog order. ``skip`` lists
    fact paths not to ask again (skipped or answered "don't know"); ``limit``
    stops after that many questions (the interview takes one at a time);
    ``cache`` (a dict kept between calls) remembers witnesses; ``prefix``
    keeps only facts under one path (``feared_harms[1].``). An empty list
    means no answer can change any goal. Each check is a bounded search, so a
    full list for a blank case takes a few seconds; ``limit=1`` with a cache,
    as the interview uses, is quick.
    """
    defs = definitions or load_definitions()
    det = determination or evaluate(case, defs)
    skipped = set(skip)
    wanted: dict[str, list[str]] = {}
    for goal in goals:
        r = det.results.get(goal)
        if r is None or r.status is not Status.undetermined:
            continue
        for missing in r.missing_facts:
            for path in _resolve(missing, case):
                if path == "person.pseudonym" or path in skipped or not path.startswith(prefix):
                    continue
                gs = wanted.setdefault(path, [])
                if goal not in gs:
                    gs.append(goal)
    order = {key: i for i, key in enumerate(defs.facts)}
    ranked = sorted(wanted.items(), key=lambda kv: (-len(kv[1]), order.get(catalog_key(kv[0]), len(order)), _indices(kv[0]), kv[0]))
    questions = []
    for path, gs in ranked:
        if check and not _can_change(case, path, gs, defs, cache):
            continue
        questions.append(make_question(path, tuple(gs), defs, case))
        if limit is not None and len(questions) >= limit:
            break
    return questions


def _can_change(case: Case, path: str, goals: Sequence[str], defs: Definitions, cache: dict[str, Any] | None) -> bool:
    """Whether a witness shows that an answer to ``path`` can change one of ``goals`` (cached per session)."""
    from .relevance import Witness, find_witness, witness_holds

    entry = cache.get(path) if cache is not None else None
    if entry is _IRRELEVANT:
        return False
    if isinstance(entry, Witness) and entry.goal in goals and witness_holds(entry, case, defs):
        return True
    witness, exhausted = find_witness(case, path, goals, defs)
    if cache is not None:
        # Proved irrelevant stays irrelevant as facts are added (fewer completions remain).
        cache[path] = witness if witness is not None else (_IRRELEVANT if exhausted else None)
    return witness is not None


_IRRELEVANT = _Marker("IRRELEVANT")


def _indices(path: str) -> tuple[int, ...]:
    return tuple(int(i) for i in re.findall(r"\[(\d+)\]", path))


def _resolve(missing: str, case: Case) -> list[str]:
    """Turn an engine missing-fact path into askable case paths.

    Facts of documented practices (``countries/...``) are not the client's to
    answer and are dropped. A bare field name (the engine names a list inside
    a record, such as a harm's ``grounds``, by its field alone) is resolved to
    that field of every recorded item where it is unknown.
    """
    if missing.startswith("countries/"):
        return []
    head = re.split(r"[.\[]", missing, maxsplit=1)[0]
    if head in Case.model_fields:
        return [missing]
    out: list[str] = []
    for list_name in _ITEM_NAMES:
        model = _item_model(list_name)
        if model is None or head not in model.model_fields:
            continue
        for i, item in enumerate(getattr(case, list_name) or ()):
            if getattr(item, head) is None:
                out.append(f"{list_name}[{i}].{missing}")
    return out


def _item_model(list_name: str) -> type[BaseModel] | None:
    ftype = field_type(list_name)
    return ftype.item.model if ftype and ftype.item else None


def _ftype(key: str) -> FieldType:
    ftype = field_type(key.replace("[]", ""), through_lists=True)
    if ftype is None:
        raise UsageError(f"no fact '{key}' in the case model")
    return ftype


def _kind(key: str, ftype: FieldType) -> str:
    last = key.rsplit(".", 1)[-1]
    if ftype.kind == "list" and ftype.item is not None:
        item = ftype.item
        if item.kind == "enum":
            return "multi"
        if item.kind == "str":
            return "codes"
        if item.model is not None:
            fields = item.model.model_fields
            if "ground" in fields:
                return "grounds"
            if "country" in fields and fields["country"].is_required():
                return "item_codes"
            return "items"
    if ftype.kind in ("bool", "enum", "date", "int"):
        return ftype.kind
    if last in _COUNTRY_FIELDS:
        return "code"
    return "text"


def make_question(path: str, goals: tuple[str, ...], defs: Definitions, case: Case | None = None) -> Question:
    """The question for one fact path, worded from the facts catalog."""
    key = catalog_key(path)
    ftype = _ftype(key)
    kind = _kind(key, ftype)
    wording = defs.facts.get(key)
    label = wording.label if wording else key.replace("_", " ")
    text = (wording.question if wording and wording.question else None) or f"What is the {label}?"
    sensitive = bool(wording and wording.sensitive)
    options: list[Choice] = []
    if kind == "bool":
        options = [Choice("yes", "yes"), Choice("no", "no")]
    elif kind in ("enum", "multi", "grounds"):
        source = defs.facts.get(key + "[].ground") if kind == "grounds" else wording
        values = _enum_values(key, ftype)
        labels = dict(source.choices) if source else {}
        ordered = [v for v in labels if v in values] + sorted(v for v in values if v not in labels)
        options = [Choice(v, labels.get(v, v.replace("_", " "))) for v in ordered]
    options.append(Choice("unknown", "don't know"))
    if sensitive:
        options.append(Choice("skip", "skip (the person prefers not to answer)"))
    return Question(path, key, kind, label, text, wording.help if wording else None, sensitive, tuple(options), goals, _about(path, case, defs))


def _enum_values(key: str, ftype: FieldType) -> frozenset[str]:
    if ftype.kind == "enum":
        return ftype.enum_values
    if ftype.item is not None and ftype.item.kind == "enum":
        return ftype.item.enum_values
    sub = field_type(key.replace("[]", "") + ".ground", through_lists=True)
    return sub.enum_values if sub else frozenset()


def _about(path: str, case: Case | None, defs: Definitions) -> str | None:
    m = re.match(r"^([a-z_]+)\[(\d+)\]\.", path)
    if not m:
        return None
    name, index = m.group(1), int(m.group(2))
    what = f"{_ITEM_NAMES.get(name, name.replace('_', ' '))} {index + 1}"
    item = get_fact(case, f"{name}[{index}]") if case is not None else None
    if item is None:
        return what
    bits = []
    kind = getattr(item, "kind", None)
    if kind is not None:
        words = defs.facts.get(f"{name}[].kind")
        bits.append((words.choices.get(kind.value) if words else None) or kind.value.replace("_", " "))
    country = getattr(item, "country", None)
    if country is not None:
        bits.append(("in " if name == "feared_harms" else "") + country)
    actor = getattr(item, "actor", None)
    if actor is not None:
        bits.append("by the state" if actor.value == "state" else "by others")
    return f"{what} ({', '.join(bits)})" if bits else what


# ---------------------------------------------------------- case paths ----

_PART = re.compile(r"^([a-z_]+)(?:\[(\d+)\])?$")


def _parts(path: str) -> list[tuple[str, int | None]]:
    out = []
    for part in path.split("."):
        m = _PART.match(part)
        if not m:
            raise UsageError(f"not a fact path: '{path}'")
        out.append((m.group(1), int(m.group(2)) if m.group(2) is not None else None))
    return out


def get_fact(case: Any, path: str) -> Any:
    """The value at a fact path (``feared_harms[0].kind``); None when unknown or absent."""
    obj = case
    for name, index in _parts(path):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
        if index is not None:
            if index >= len(obj):
                return None
            obj = obj[index]
    return obj


def set_fact(case: Case, path: str, value: Any) -> Case:
    """A new case with the fact at ``path`` set to ``value`` (validated; the old case is untouched)."""
    parts = _parts(path)
    if parts[-1][1] is not None or field_type(catalog_key(path).replace("[]", ""), through_lists=True) is None:
        raise UsageError(f"not a fact path: '{path}'")
    data = case.model_dump(mode="python")
    node: Any = data
    for name, index in parts[:-1]:
        if node.get(name) is None:
            if index is not None:
                raise UsageError(f"{path}: there is no such record")
            node[name] = {}
        node = node[name]
        if index is not None:
            if index >= len(node):
                raise UsageError(f"{path}: there is no such record")
            node = node[index]
    node[parts[-1][0]] = value
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise UsageError(f"{path}: {err['msg']} (got {value!r})") from None


# The answers and the session live in their own modules; their public names are re-exported.
from .interview_answers import FileAnswers, PromptAnswers, load_answers, parse_answer  # noqa: E402
from .interview_session import (  # noqa: E402
    InterviewResult,
    Progress,
    atomic_write,
    case_yaml,
    check_output,
    progress_path,
    run_interview,
    summary_lines,
)
