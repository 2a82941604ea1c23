"""Volunteer training on the worked examples: a terminal quiz and an offline HTML pack.

The quiz (``refstatus train``) shows an example's narrative and asks, for each
element (the stable result ids) whether it is met, not met or undetermined,
and for each of China's framing claims whether it holds or fails; then it
shows, for every wrong answer, what the engine concluded, its reason and its
citations, and a score.

The training pack (``refstatus training-pack -o DIR``) is a static site that
works from a USB stick with no network: an index, one self-check page per
example (pick answers, then reveal the reasoning; a small inline script and
nothing fetched), the worksheet with its answer key, and a printable version.
Every page links one stylesheet written into DIR. The pages come from Jinja2
templates under ``templates/training/``, rendered in a sandbox with
autoescaping, so any text from a case is escaped.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel

from .cases import WorkedExample, load_worked_example
from .definitions import Definitions
from .errors import RenderError, UsageError
from .evaluator import evaluate
from .facts import identifying_paths
from .resources import builtin_templates_dir
from .result import Determination

__all__ = [
    "QuizItem",
    "QuizMark",
    "QuizResult",
    "load_examples",
    "mark",
    "parse_choice",
    "quiz_items",
    "run_quiz",
    "write_pack",
]

ELEMENT_CHOICES: tuple[tuple[str, str], ...] = (("met", "met"), ("not_met", "not met"), ("undetermined", "undetermined"))
CLAIM_CHOICES: tuple[tuple[str, str], ...] = (("holds", "holds"), ("fails", "fails"), ("undetermined", "undetermined"))
_SHORT = {"m": "met", "n": "not_met", "not met": "not_met", "u": "undetermined", "h": "holds", "f": "fails", "?": "undetermined"}


# ---------------------------------------------------------------- quiz ----


@dataclass(frozen=True, slots=True)
class QuizItem:
    """One quiz question: an element (``kind="element"``) or a framing claim (``"claim"``)."""

    id: str
    kind: str
    title: str
    correct: str
    reason: str
    citations: tuple[str, ...]
    missing: tuple[str, ...] = ()

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        return ELEMENT_CHOICES if self.kind == "element" else CLAIM_CHOICES

    @property
    def correct_words(self) -> str:
        return dict(self.choices)[self.correct]


@dataclass(frozen=True, slots=True)
class QuizMark:
    item: QuizItem
    given: str | None

    @property
    def right(self) -> bool:
        return self.given == self.item.correct


@dataclass(frozen=True)
class QuizResult:
    example_id: str
    marks: tuple[QuizMark, ...]

    @property
    def score(self) -> int:
        return sum(m.right for m in self.marks)

    @property
    def total(self) -> int:
        return len(self.marks)


def quiz_items(det: Determination, ids: Sequence[str] | None = None, framing: str = "china") -> list[QuizItem]:
    """The quiz for one determination: each element in ``ids`` (the stable ids), then each claim of ``framing``."""
    from . import STABLE_IDS

    items = []
    for cid in ids or STABLE_IDS:
        r = det.results[cid]
        items.append(QuizItem(cid, "element", r.title, r.status.value, r.reason, _cites(r.sources), r.missing_facts))
    claims = [f for f in det.framings.values() if f.framing == framing] or list(det.framings.values())
    for f in claims:
        title = " ".join(f.claim.split())
        items.append(QuizItem(f.id, "claim", title, f.status.value, f.reason, _cites(f.sources), f.missing_facts))
    return items


def _cites(sources: Iterable[Any]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.text + (" [verify]" if c.verify else "") for c in sources))


def parse_choice(item: QuizItem, raw: Any) -> str | None:
    """A trainee's answer as a choice value, or None if it is not one."""
    if raw is None:
        return None
    text = str(raw).strip().lower().replace("-", "_")
    values = [v for v, _ in item.choices]
    if text.isdigit() and 1 <= int(text) <= len(values):
        return values[int(text) - 1]
    text = _SHORT.get(text.replace("_", " "), _SHORT.get(text, text))
    return text if text in values else None


def mark(items: Sequence[QuizItem], answers: Mapping[str, Any], example_id: str = "") -> QuizResult:
    """Mark answers (item id -> answer); an unanswered or unreadable item counts as wrong."""
    return QuizResult(example_id, tuple(QuizMark(i, parse_choice(i, answers.get(i.id))) for i in items))


def feedback_lines(result: QuizResult) -> list[str]:
    """What the law says for each wrong answer, with reasons and citations, then the score."""
    lines = []
    for m in result.marks:
        if m.right:
            continue
        given = dict(m.item.choices).get(m.given or "", "no answer")
        lines.append(f"x {m.item.id}: you said {given}; the answer is {m.item.correct_words}.")
        lines.append(f"    {m.item.reason}")
        if m.item.citations:
            lines.append("    Sources: " + "; ".join(m.item.citations))
    lines.append(f"Score: {result.score}/{result.total}")
    return lines


def load_examples(defs: Definitions, example_id: str | None = None) -> list[WorkedExample]:
    """The worked examples of every definitions directory (later directories override by id)."""
    found: dict[str, WorkedExample] = {}
    for d in defs.directories:
        folder = Path(d) / "worked-examples"
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            ex = load_worked_example(path)
            found[ex.id] = ex
    if example_id is not None:
        if example_id not in found:
            raise UsageError(f"no worked example '{example_id}'; try one of: {', '.join(sorted(found)) or '(none)'}")
        return [found[example_id]]
    return [found[k] for k in sorted(found)]


def run_quiz(
    defs: Definitions,
    echo: Callable[[str], None],
    *,
    example_id: str | None = None,
    answers: Mapping[str, Any] | None = None,
    prompt: Callable[[str], str] | None = None,
) -> list[QuizResult]:
    """Run the quiz: answers from a mapping (scripted) or typed at ``prompt``.

    A scripted mapping is item id -> answer for one example, or example id ->
    such a mapping for several.
    """
    examples = load_examples(defs, example_id)
    results = []
    for ex in examples:
        det = evaluate(ex.case, defs)
        items = quiz_items(det)
        echo(f"== {ex.title} ({ex.id}) ==")
        echo(_wrap(ex.narrative))
        if answers is not None:
            given = _answers_for(answers, ex.id, items, single=len(examples) == 1)
        else:
            assert prompt is not None
            given = _ask_all(items, echo, prompt)
        result = mark(items, given, ex.id)
        echo("")
        for line in feedback_lines(result):
            echo(line)
        echo("")
        echo("Teaching note: " + _wrap(ex.teaching_note))
        echo("")
        results.append(result)
    if len(results) > 1:
        echo(f"Overall score: {sum(r.score for r in results)}/{sum(r.total for r in results)}")
    return results


def _answers_for(answers: Mapping[str, Any], example_id: str, items: Sequence[QuizItem], single: bool) -> Mapping[str, Any]:
    nested = answers.get(example_id)
    if isinstance(nested, Mapping):
        return _flatten(nested)
    if single and any(i.id in answers or k in ("results", "framings") for i in items for k in answers):
        return _flatten(answers)
    return {}


def _flatten(answers: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in answers.items():
        if key in ("results", "framings") and isinstance(value, Mapping):
            out.update(value)
        else:
            out[key] = value
    return out


def _ask_all(items: Sequence[QuizItem], echo: Callable[[str], None], prompt: Callable[[str], str]) -> dict[str, str]:
    given: dict[str, str] = {}
    for n, item in enumerate(items, 1):
        echo("")
        what = "Is this element met?" if item.kind == "element" else "Does China's claim hold on these facts?"
        echo(f"[{n}/{len(items)}] {item.title}  <{item.id}>")
        echo(f"    {what}  " + "   ".join(f"{i}) {w}" for i, (_, w) in enumerate(item.choices, 1)))
        while True:
            value = parse_choice(item, prompt("answer"))
            if value is not None:
                given[item.id] = value
                break
            echo("    Please choose one of the numbers or words shown.")
    return given


def _wrap(text: str, width: int = 78) -> str:
    import textwrap

    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "\n\n".join(textwrap.fill(p, width) for p in paras)


# ------------------------------------------------------------ the pack ----


def _environment() -> SandboxedEnvironment:
    folder = builtin_templates_dir() / "training"
    return SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _template_text(name: str) -> str:
    return (builtin_templates_dir() / "training" / name).read_text(encoding="utf-8")


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def _worksheet_body(det: Determination, defs: Definitions, ex: WorkedExample) -> str | None:
    """The worksheet with its answer key, as rendered by ``refstatus.render`` (body only)."""
    try:
        from .render import render
    except ImportError:  # pragma: no cover - the briefs module ships with the package
        return None
    html = render(det, kind="worksheet", format="html", definitions=defs, example=ex)
    m = re.search(r"<main>(.*)</main>", html, re.S)
    return m.group(1).strip() if m else None


def _example_view(ex: WorkedExample, defs: Definitions) -> dict[str, Any]:
    det = evaluate(ex.case, defs)
    items = quiz_items(det)
    return {
        "id": ex.id,
        "title": ex.title,
        "summary": ex.summary,
        "composite": ex.composite,
        "pseudonym": ex.case.person.pseudonym,
        "narrative": _paragraphs(ex.narrative),
        "teaching_note": _paragraphs(ex.teaching_note),
        "facts": _fact_rows(ex, defs),
        "elements": [_item_view(i, defs) for i in items if i.kind == "element"],
        "claims": [dict(_item_view(i, defs), **_claim_extra(det, i.id)) for i in items if i.kind == "claim"],
        "worksheet": _worksheet_body(det, defs, ex),
    }


def _item_view(item: QuizItem, defs: Definitions) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "title": item.title,
        "choices": [{"value": v, "label": w} for v, w in item.choices],
        "answer": item.correct,
        "answer_words": item.correct_words,
        "reason": item.reason,
        "citations": list(item.citations),
        "missing": [defs.label(p) if not p.startswith("countries/") else p for p in item.missing],
    }


def _claim_extra(det: Determination, claim_id: str) -> dict[str, Any]:
    f = det.framings[claim_id]
    return {
        "attributed_to": " ".join(f.attributed_to.split()),
        "date": f.date.isoformat() if f.date else None,
        "legal_answers": [{"text": " ".join(t.split()), "citations": list(_cites(cs))} for t, cs in f.legal_answers],
    }


def _fact_rows(ex: WorkedExample, defs: Definitions) -> list[tuple[str, str]]:
    """The recorded facts, with catalog labels, leaving out every identifying field."""
    from .rules import fmt_value

    hidden = identifying_paths()
    rows: list[tuple[str, str]] = []

    def walk(obj: Any, path: str, key: str) -> None:
        if obj is None or key.replace("[]", "") in hidden:
            return
        if isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                walk(getattr(obj, name), f"{path}.{name}" if path else name, f"{key}.{name}" if key else name)
        elif isinstance(obj, list) and obj and all(isinstance(x, BaseModel) for x in obj) and not hasattr(obj[0], "ground"):
            for i, item in enumerate(obj):
                walk(item, f"{path}[{i}]", f"{key}[]")
        else:
            label = defs.label(key)
            index = re.findall(r"\[(\d+)\]", path)
            suffix = f" ({', '.join(str(int(i) + 1) for i in index)})" if index else ""
            rows.append((label + suffix, fmt_value(obj)))

    walk(ex.case, "", "")
    return rows


def _script() -> tuple[str, str]:
    """The self-check script and its CSP hash."""
    text = _template_text("selfcheck.js").strip("\n")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"sha256-{digest}"


def write_pack(defs: Definitions, out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write the training site into ``out_dir``; returns the files written (deterministic output)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError("exists and is not a directory", file=str(out_dir))
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise UsageError("directory is not empty; use --force to write into it", file=str(out_dir))
    examples = load_examples(defs)
    if not examples:
        raise UsageError("no worked examples to build a training pack from")
    views = [_example_view(ex, defs) for ex in examples]
    script, script_hash = _script()
    env = _environment()
    pages: dict[str, str] = {
        "style.css": _template_text("style.css"),
        "index.html": _render(env, "index.html.j2", examples=views),
        "print.html": _render(env, "print.html.j2", examples=views),
    }
    for i, view in enumerate(views):
        nav = {"prev": views[i - 1] if i else None, "next": views[i + 1] if i + 1 < len(views) else None}
        pages[f"{view['id']}.html"] = _render(env, "example.html.j2", ex=view, script=script, script_hash=script_hash, **nav)
        pages[f"{view['id']}-key.html"] = _render(env, "key.html.j2", ex=view)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(pages):
        path = out_dir / name
        path.write_text(pages[name], encoding="utf-8", newline="\n")
        written.append(path)
    return written


def _render(env: SandboxedEnvironment, name: str, **context: Any) -> str:
    from markupsafe import Markup

    if "script" in context:
        context["script"] = Markup(context["script"])
    for view in context.get("examples", []) + ([context["ex"]] if "ex" in context else []):
        if view.get("worksheet") is not None and not isinstance(view["worksheet"], Markup):
            view["worksheet"] = Markup(view["worksheet"])  # rendered by refstatus.render: escaped, no raw HTML
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        raise RenderError(f"training template error: {exc}", file=name) from None
