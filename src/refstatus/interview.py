"""The guided interview: ask only what can still change an outcome.

``next_questions(case)`` evaluates the case and returns, most decisive first,
the questions whose answers can still change an undetermined goal
(``refugee``, ``non_refoulement_art33``, ``non_refoulement_cat3``,
``economic_migrant``). The engine reports, for each undetermined result, the
unknown facts that could still change it; a question is offered only for
those, so a fact that cannot change any goal is never asked. Questions are
ranked by how many goals they could change, then by their place in the facts
catalog (``definitions/facts.yaml``), which also holds their wording: a
trainer rewords a question there, without touching code.

Every question offers "don't know", which leaves the fact unknown. Setting an
answer builds a new case (``set_fact``); a case is never mutated.

``run_interview`` drives a whole interview from an answer source (the terminal,
or an answers file mapping fact path -> value), saving the case file after
every answer, atomically, together with a small ``.progress`` file that
remembers which questions were skipped so that they are not asked again.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml
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
    "get_fact",
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
_MAX_STEPS = 2000

SENSITIVE_NOTE = (
    "The next question touches on experiences that may be painful. Ask it gently, "
    "and only if it is appropriate; the person may choose not to answer, and you can skip it."
)


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

_DONT_KNOW_WORDS = frozenset({"unknown", "don't know", "dont know", "don't_know", "dont_know", "?", "d", "dk"})
_SKIP_WORDS = frozenset({"skip", "s", "prefer not to say"})
_NONE_WORDS = frozenset({"none", "no", "n", "0", "stateless", "nothing", "[]"})


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
) -> list[Question]:
    """The questions whose answers can still change an undetermined goal, most decisive first.

    Ranked by the number of goals whose missing facts include the fact, then by
    catalog order. ``skip`` lists fact paths not to ask again (skipped or
    answered "don't know"). An empty list means no answer can change any goal.
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
                if path == "person.pseudonym" or path in skipped:
                    continue
                gs = wanted.setdefault(path, [])
                if goal not in gs:
                    gs.append(goal)
    order = {key: i for i, key in enumerate(defs.facts)}
    questions = [make_question(path, tuple(gs), defs, case) for path, gs in wanted.items()]
    questions.sort(key=lambda q: (-len(q.goals), order.get(q.key, len(order)), _indices(q.path), q.path))
    return questions


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
    for attr in ("kind", "country", "actor"):
        value = getattr(item, attr, None)
        if value is not None:
            words = defs.facts.get(f"{name}[].{attr}")
            label = words.choices.get(str(getattr(value, "value", value))) if words else None
            bits.append(label or str(getattr(value, "value", value)).replace("_", " "))
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


# ------------------------------------------------------------- answers ----


def parse_answer(q: Question, raw: Any) -> Any:
    """An answer (typed text, or a value from an answers file) as a fact value.

    Returns ``DONT_KNOW``, ``SKIP``, ``ADD_ITEM`` or a value for ``set_fact``;
    raises ``UsageError`` when the answer does not fit the question.
    """
    if raw is None:
        return DONT_KNOW
    if isinstance(raw, str):
        low = raw.strip().lower().replace("\u2019", "'")
        if low in _DONT_KNOW_WORDS:
            return DONT_KNOW
        if low in _SKIP_WORDS:
            return SKIP if q.sensitive else DONT_KNOW
        if low.isdigit() and q.kind in ("bool", "enum") and 1 <= int(low) <= len(q.choices):
            return parse_answer(q, q.choices[int(low) - 1].value)
    try:
        return _PARSERS[q.kind](q, raw)
    except (ValueError, TypeError):
        pass
    hint = ", ".join(c.value for c in q.choices) if q.kind in ("bool", "enum", "multi", "grounds") else _HINTS.get(q.kind, "")
    raise UsageError(f"{q.path}: {raw!r} is not an answer to this question" + (f" (expected {hint})" if hint else ""))


_HINTS = {
    "codes": "two-letter country codes, or 'none'",
    "item_codes": "two-letter country codes, or 'none'",
    "items": "a number of records, 'yes', 'none', or a list of records",
    "code": "a two-letter country code",
    "date": "a date YYYY-MM-DD",
    "int": "a whole number",
}


def _p_bool(q: Question, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    low = str(raw).strip().lower()
    if low in ("yes", "y", "true"):
        return True
    if low in ("no", "n", "false"):
        return False
    raise ValueError(raw)


def _choice(q: Question, raw: Any) -> str:
    text = str(getattr(raw, "value", raw)).strip()
    values = [c.value for c in q.choices if c.value not in ("unknown", "skip")]
    if text.isdigit() and 1 <= int(text) <= len(values):
        return values[int(text) - 1]
    for c in q.choices:
        if c.value in values and text.lower() in (c.value.lower(), c.label.lower()):
            return c.value
    raise ValueError(raw)


def _p_enum(q: Question, raw: Any) -> str:
    return _choice(q, raw)


def _split(raw: Any) -> list[Any] | None:
    """A list answer: a list, or text separated by commas; None for "none"."""
    if isinstance(raw, list | tuple):
        return list(raw)
    text = str(raw).strip()
    if text.lower() in _NONE_WORDS:
        return None
    return [part for part in re.split(r"[,\s]+", text) if part]


def _p_multi(q: Question, raw: Any) -> list[str]:
    parts = _split(raw)
    return [] if parts is None else list(dict.fromkeys(_choice(q, p) for p in parts))


def _p_grounds(q: Question, raw: Any) -> list[Any]:
    parts = _split(raw)
    if parts is None:
        return []
    return [p if isinstance(p, dict) else {"ground": _choice(q, p)} for p in parts]


def _code(raw: Any) -> str:
    text = str(raw).strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", text):
        raise ValueError(raw)
    return text


def _p_codes(q: Question, raw: Any) -> list[str]:
    parts = _split(raw)
    return [] if parts is None else list(dict.fromkeys(_code(p) for p in parts))


def _p_item_codes(q: Question, raw: Any) -> list[Any]:
    parts = _split(raw)
    if parts is None:
        return []
    return [p if isinstance(p, dict) else {"country": _code(p)} for p in parts]


def _p_items(q: Question, raw: Any) -> Any:
    if isinstance(raw, list):
        if not all(isinstance(x, dict) for x in raw):
            raise ValueError(raw)
        return raw
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return [{} for _ in range(raw)]
    text = str(raw).strip().lower()
    if raw is True or text in ("yes", "y"):
        return ADD_ITEM
    if raw is False or text in _NONE_WORDS:
        return []
    if text.isdigit():
        return [{} for _ in range(int(text))]
    raise ValueError(raw)


def _p_code(q: Question, raw: Any) -> str:
    return _code(raw)


def _p_date(q: Question, raw: Any) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    return dt.date.fromisoformat(str(raw).strip())


def _p_int(q: Question, raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError(raw)
    return int(str(raw).strip())


def _p_text(q: Question, raw: Any) -> str:
    text = str(raw).strip()
    if not text:
        raise ValueError(raw)
    return text


_PARSERS: dict[str, Callable[[Question, Any], Any]] = {
    "bool": _p_bool,
    "enum": _p_enum,
    "multi": _p_multi,
    "grounds": _p_grounds,
    "codes": _p_codes,
    "item_codes": _p_item_codes,
    "items": _p_items,
    "code": _p_code,
    "date": _p_date,
    "int": _p_int,
    "text": _p_text,
}


def answer_words(q: Question, value: Any) -> str:
    """An answer as a reader sees it (for transcripts)."""
    if value is DONT_KNOW:
        return "don't know"
    if value is SKIP:
        return "skipped"
    if value is ADD_ITEM:
        return "yes (add one)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        if not value:
            return "none"
        if all(isinstance(v, dict) and not v for v in value):
            return f"{len(value)} record(s)"
        return ", ".join(str(v.get("ground") or v.get("country") or v) if isinstance(v, dict) else str(v) for v in value)
    labels = {c.value: c.label for c in q.choices}
    return labels.get(str(value), str(value))


# ----------------------------------------------------------- answer sources ----


class AnswerSource(Protocol):
    """Where answers come from: the terminal or an answers file."""

    interactive: bool

    def pseudonym(self) -> str: ...

    def answer(self, q: Question, number: int) -> Any: ...

    def another(self, list_path: str, count: int) -> bool | None: ...


class FileAnswers:
    """Answers from a mapping of fact path -> value (``unknown`` allowed); absent = don't know."""

    interactive = False

    def __init__(self, answers: Mapping[str, Any], echo: Callable[[str], None] | None = None):
        bad = [k for k in answers if not isinstance(k, str)]
        if bad:
            raise UsageError(f"answers: keys must be fact paths, got {bad[0]!r}")
        self.answers = dict(answers)
        self.echo = echo

    def pseudonym(self) -> str:
        value = self.answers.get("person.pseudonym")
        if not isinstance(value, str) or not value.strip():
            raise UsageError("answers: person.pseudonym is required (the name used in every output; never a real name)")
        return value.strip()

    def answer(self, q: Question, number: int) -> Any:
        value = parse_answer(q, self.answers.get(q.path))
        if self.echo:
            self.echo(f"[{number}] {q.prompt}\n    -> {answer_words(q, value)}")
        return value

    def another(self, list_path: str, count: int) -> bool | None:
        return False


class PromptAnswers:
    """Answers typed at the terminal, with the help text and the choices shown."""

    interactive = True

    def __init__(self, echo: Callable[[str], None], prompt: Callable[[str], str]):
        self.echo = echo
        self.prompt = prompt

    def pseudonym(self) -> str:
        self.echo("What pseudonym should be used for the person in all outputs? Do not use a real name.")
        while True:
            text = self.prompt("pseudonym").strip()
            if text:
                return text
            self.echo("  A pseudonym is required.")

    def answer(self, q: Question, number: int) -> Any:
        self.echo("")
        if q.sensitive:
            self.echo(f"  ({SENSITIVE_NOTE})")
        self.echo(f"[{number}] {q.prompt}")
        if q.help:
            self.echo(f"    Why it matters: {q.help}")
        self.echo(f"    Could change: {', '.join(_GOAL_NAMES.get(g, g) for g in q.goals)}")
        if q.kind in ("bool", "enum", "multi", "grounds"):
            numbered = [c for c in q.choices if c.value not in ("unknown", "skip")]
            self.echo("    " + "   ".join(f"{i}) {c.label}" for i, c in enumerate(numbered, 1)))
            if q.kind in ("multi", "grounds"):
                self.echo("    (several allowed, separated by commas; 'none' if none)")
        else:
            self.echo(f"    ({_HINTS.get(q.kind, 'free text')})")
        self.echo("    ? = don't know" + ("   s = skip" if q.sensitive else ""))
        while True:
            try:
                return parse_answer(q, self.prompt("answer"))
            except UsageError as exc:
                self.echo(f"    {exc.message}")

    def another(self, list_path: str, count: int) -> bool | None:
        what = _ITEM_NAMES.get(list_path, list_path)
        self.echo("")
        self.echo(f"{count} {what}(s) recorded. Is there another {what} to record? (yes / no)")
        while True:
            text = self.prompt("answer").strip().lower()
            if text in ("yes", "y"):
                return True
            if text in ("no", "n", "?", "d", "don't know", "dont know", "unknown"):
                return False
            self.echo("    Please answer yes or no.")


# ------------------------------------------------------------- saving ----


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically: a temporary file in the same folder, then ``os.replace``.

    A reader (or a crash) never sees half a file. The file is readable by its
    owner only, since a case file may hold identifying facts.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise UsageError(f"cannot write the file: {exc.strerror or exc}", file=str(path)) from None
        raise


def case_yaml(case: Case) -> str:
    """A case as case-file YAML (unknown facts left out)."""
    data = case.model_dump(mode="json", exclude_none=True)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
    return "# refstatus case file, written by `refstatus interview`.\n" + body


def progress_path(case_path: Path) -> Path:
    """The side file that remembers skipped questions: ``CASE.yaml.progress``."""
    return Path(str(case_path) + ".progress")


@dataclass
class Progress:
    """What the interview remembers besides the case: questions asked and skipped."""

    asked: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    open_list: str | None = None

    def to_yaml(self) -> str:
        data = {"asked": self.asked, "skipped": self.skipped, "open_list": self.open_list}
        head = "# refstatus interview progress: questions asked and skipped (safe to delete).\n"
        return head + yaml.safe_dump(data, sort_keys=False, default_flow_style=False)

    @classmethod
    def load(cls, path: Path) -> Progress:
        if not path.is_file():
            return cls()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            raise UsageError("not a valid progress file", file=str(path)) from None
        if not isinstance(data, dict):
            raise UsageError("not a valid progress file", file=str(path))
        return cls(
            asked=[str(x) for x in data.get("asked") or []],
            skipped=[str(x) for x in data.get("skipped") or []],
            open_list=data.get("open_list") or None,
        )


# ------------------------------------------------------------- running ----


@dataclass
class InterviewResult:
    """The outcome of a run: the case, what was asked (question, answer), the determination."""

    case: Case
    path: Path
    asked: list[tuple[Question, Any]]
    determination: Determination


class _Session:
    def __init__(self, defs: Definitions, out: Path, progress: Progress, source: AnswerSource):
        self.defs = defs
        self.out = out
        self.progress = progress
        self.source = source
        self.asked: list[tuple[Question, Any]] = []

    def save(self, case: Case) -> None:
        atomic_write(self.out, case_yaml(case))
        atomic_write(progress_path(self.out), self.progress.to_yaml())

    def run(self, case: Case | None) -> Case:
        if case is None:
            case = Case.model_validate({"person": {"pseudonym": self.source.pseudonym()}})
            self.save(case)
        for _ in range(_MAX_STEPS):
            qs = next_questions(case, self.defs, skip=self.progress.skipped)
            open_list = self.progress.open_list
            if open_list:
                items = getattr(case, open_list) or []
                prefix = f"{open_list}[{len(items) - 1}]."
                pending = [q for q in qs if q.path.startswith(prefix)]
                if pending:
                    case = self.ask(case, pending[0])
                elif items and self._adding_could_change(case, open_list) and self.source.another(open_list, len(items)):
                    case = set_fact(case, open_list, [i.model_dump(mode="python") for i in items] + [{}])
                    self.save(case)
                else:
                    self.progress.open_list = None
                    self.save(case)
                continue
            if not qs:
                return case
            case = self.ask(case, qs[0])
        raise UsageError("the interview did not settle (too many questions); please report this")

    def ask(self, case: Case, q: Question) -> Case:
        value = self.source.answer(q, len(self.progress.asked) + 1)
        self.progress.asked.append(q.path)
        self.asked.append((q, value))
        if value is DONT_KNOW or value is SKIP:
            self.progress.skipped.append(q.path)
        elif value is ADD_ITEM:
            case = set_fact(case, q.path, [{}])
            if self.source.interactive:
                self.progress.open_list = q.path
        else:
            case = set_fact(case, q.path, value)
        self.save(case)
        return case

    def _adding_could_change(self, case: Case, list_path: str) -> bool:
        """Whether one more (still blank) record could change a goal's status."""
        items = [i.model_dump(mode="python") for i in getattr(case, list_path) or []]
        now = evaluate(case, self.defs)
        more = evaluate(set_fact(case, list_path, items + [{}]), self.defs)
        return any(now.results[g].status != more.results[g].status for g in GOALS if g in now.results)


def run_interview(
    definitions: Definitions,
    source: AnswerSource,
    *,
    output: Path | None = None,
    resume: Path | None = None,
    force: bool = False,
    retry_skipped: bool = False,
) -> InterviewResult:
    """Run an interview to the end, saving after every answer; return the case and determination.

    ``resume`` continues a saved case (and its ``.progress`` file); the output
    defaults to the resumed file. An existing output file other than the one
    resumed is never overwritten without ``force``.
    """
    from .cases import load_case

    if output is None and resume is None:
        raise UsageError("give the case file to write with -o CASE.yaml (or --resume FILE)")
    out = Path(output if output is not None else resume)  # type: ignore[arg-type]
    case: Case | None = None
    progress = Progress()
    if resume is not None:
        resume = Path(resume)
        if output is None and _is_worked_example(resume):
            raise UsageError("this is a worked example, not a case file; give -o CASE.yaml to write the case elsewhere", file=str(resume))
        case = load_case(resume)
        progress = Progress.load(progress_path(resume))
        if retry_skipped:
            progress.skipped = []
    same = resume is not None and out.resolve() == Path(resume).resolve()
    if not same and not force:
        for p in (out, progress_path(out)):
            if p.exists():
                raise UsageError("already exists; use --force to overwrite it", file=str(p))
    if out.parent and not out.parent.is_dir():
        raise UsageError("the folder does not exist", file=str(out.parent))
    session = _Session(definitions, out, progress, source)
    if case is not None and not same:
        session.save(case)
    case = session.run(case)
    session.save(case)
    return InterviewResult(case, out, session.asked, evaluate(case, definitions))


def _is_worked_example(path: Path) -> bool:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and "case" in data and "expected" in data


def summary_lines(det: Determination, goals: Sequence[str] = GOALS) -> list[str]:
    """The goal statuses and reasons, one block per goal."""
    lines = []
    for goal in goals:
        r = det.results.get(goal)
        if r is None:
            continue
        lines.append(f"[{r.status.words}] {r.title}  <{goal}>")
        lines.append(f"    {r.reason}")
        if r.missing_facts:
            lines.append("    Still turns on: " + ", ".join(r.missing_facts))
    return lines


def load_answers(text: str, file: str) -> dict[str, Any]:
    """An answers file (YAML or JSON): a mapping of fact path -> value."""
    from .yamlio import load_yaml_text

    data = load_yaml_text(text, file, UsageError).data
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError("an answers file is a mapping of fact path -> value", file=file)
    return data
