"""Reading answers: typed at the terminal or from an answers file, into fact values.

An answers file (YAML or JSON) maps fact paths to values, as a case file would
hold them (``feared_harms[0].likelihood: substantial``); ``unknown`` (or a
path left out) is "don't know". At the terminal, each question is shown with
its help text and numbered choices from the facts catalog; a question about
trauma is prefaced with a gentle note and can be skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from .errors import UsageError
from .interview import _GOAL_NAMES, _ITEM_NAMES, ADD_ITEM, DONT_KNOW, SKIP, Question

__all__ = ["SENSITIVE_NOTE", "AnswerSource", "FileAnswers", "PromptAnswers", "answer_words", "load_answers", "parse_answer"]

SENSITIVE_NOTE = (
    "The next question touches on experiences that may be painful. Ask it gently, "
    "and only if it is appropriate; the person may choose not to answer, and you can skip it."
)


_DONT_KNOW_WORDS = frozenset({"unknown", "don't know", "dont know", "don't_know", "dont_know", "?", "d", "dk"})
_SKIP_WORDS = frozenset({"skip", "s", "prefer not to say"})
_NONE_WORDS = frozenset({"none", "no", "n", "0", "stateless", "nothing", "[]"})


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



def load_answers(text: str, file: str) -> dict[str, Any]:
    """An answers file (YAML or JSON): a mapping of fact path -> value."""
    from .yamlio import load_yaml_text

    data = load_yaml_text(text, file, UsageError).data
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError("an answers file is a mapping of fact path -> value", file=file)
    return data
