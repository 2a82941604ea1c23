"""Running an interview to the end: saving after every answer, resuming, never overwriting.

The case file is rewritten after every answer, atomically (a temporary file
in the same folder, then ``os.replace``), so it is always a valid case file for
``refstatus evaluate``. Beside it, ``CASE.yaml.progress`` records the questions
asked and those skipped or answered "don't know", which are not asked again;
``--resume`` continues from both. An existing file is never overwritten without
``force``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .definitions import Definitions
from .errors import UsageError
from .evaluator import evaluate
from .facts import Case
from .interview import ADD_ITEM, DONT_KNOW, GOALS, SKIP, Question, next_questions, set_fact
from .interview_answers import AnswerSource
from .result import Determination

__all__ = ["InterviewResult", "Progress", "atomic_write", "case_yaml", "check_output", "progress_path", "run_interview", "summary_lines"]

_MAX_STEPS = 2000


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
        self.cache: dict[str, Any] = {}

    def save(self, case: Case) -> None:
        atomic_write(self.out, case_yaml(case))
        atomic_write(progress_path(self.out), self.progress.to_yaml())

    def run(self, case: Case | None) -> Case:
        if case is None:
            case = Case.model_validate({"person": {"pseudonym": self.source.pseudonym()}})
            self.save(case)
        for _ in range(_MAX_STEPS):
            open_list = self.progress.open_list
            if open_list:
                items = getattr(case, open_list) or []
                prefix = f"{open_list}[{len(items) - 1}]."
                pending = next_questions(case, self.defs, skip=self.progress.skipped, cache=self.cache, prefix=prefix, limit=1)
                if pending:
                    case = self.ask(case, pending[0])
                elif items and self._adding_could_change(case, open_list) and self.source.another(open_list, len(items)):
                    case = set_fact(case, open_list, [i.model_dump(mode="python") for i in items] + [{}])
                    self.save(case)
                else:
                    self.progress.open_list = None
                    self.save(case)
                continue
            qs = next_questions(case, self.defs, skip=self.progress.skipped, cache=self.cache, limit=1)
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
        """Whether one more record could change a goal: adding it blank changes a status,
        or the engine would ask about its fields."""
        items = [i.model_dump(mode="python") for i in getattr(case, list_path) or []]
        bigger = set_fact(case, list_path, items + [{}])
        now, more = evaluate(case, self.defs), evaluate(bigger, self.defs)
        if any(now.results[g].status != more.results[g].status for g in GOALS if g in now.results):
            return True
        prefix = f"{list_path}[{len(items)}]."
        return bool(next_questions(bigger, self.defs, determination=more, prefix=prefix, limit=1))


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

    out = check_output(output=output, resume=resume, force=force)
    same = resume is not None and out.resolve() == Path(resume).resolve()
    case: Case | None = None
    progress = Progress()
    if resume is not None:
        case = load_case(resume)
        progress = Progress.load(progress_path(Path(resume)))
        if retry_skipped:
            progress.skipped = []
    session = _Session(definitions, out, progress, source)
    if case is not None and not same:
        session.save(case)
    case = session.run(case)
    session.save(case)
    return InterviewResult(case, out, session.asked, evaluate(case, definitions))


def check_output(*, output: Path | None, resume: Path | None, force: bool) -> Path:
    """Where the case will be written; refuses to overwrite an existing file without ``force``.

    Resuming writes back to the resumed file unless ``output`` names another.
    """
    if output is None and resume is None:
        raise UsageError("give the case file to write with -o CASE.yaml (or --resume FILE)")
    out = Path(output if output is not None else resume)  # type: ignore[arg-type]
    if resume is not None:
        if not Path(resume).is_file():
            raise UsageError("file not found", file=str(resume))
        if output is None and _is_worked_example(Path(resume)):
            raise UsageError("this is a worked example, not a case file; give -o CASE.yaml to write the case elsewhere", file=str(resume))
    same = resume is not None and out.resolve() == Path(resume).resolve()
    if not same and not force:
        for p in (out, progress_path(out)):
            if p.exists():
                raise UsageError("already exists; use --force to overwrite it", file=str(p))
    if not out.parent.is_dir():
        raise UsageError("the folder does not exist", file=str(out.parent))
    return out


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
