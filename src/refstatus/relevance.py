"""Whether the answer to a question can still change an outcome: a search for a witness.

The evaluator lists, for an undetermined result, the unknown facts it still
turns on. That list is generous: a fact can appear in it although no answer to
it could ever change the result (for example a documented practice that
applies only where another, graver one already applies). Before asking a
question, the interview looks for a *witness* that the answer matters:

    two cases that extend the case so far, differ only in the answer to the
    question (and in what that answer itself opens, such as the fields of a new
    record), and give some goal two different final statuses.

A status is final when it is decided, or undetermined only on facts no answer
can settle (country information the definitions leave open). Because the
evaluator's logic is strong Kleene, a decided status stays decided however the
remaining unknowns are filled in, so a witness shows that the answer changes
the goal under every completion extending it.

The search is guided by the engine: it fills, one at a time, the unknown facts
the goal still turns on, keeping only branches in which the question's fact is
still among them (otherwise its answer has stopped mattering in that branch);
when that fact is the last one left, it enumerates the completions that follow
each answer and looks for two consistent ones whose statuses differ. Restarts
shuffle the order in which values are tried. A witness is checked before it
is returned; a fact for which none is found within the budget is not asked.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .definitions import Definitions
from .errors import UsageError
from .evaluator import Context, evaluate
from .facts import Case
from .result import CriterionResult, Status

__all__ = ["Witness", "find_witness", "goal_results", "trial_answers", "witness_holds"]

BUDGET = 1500
"""Evaluations spent looking for a witness for one fact before giving up."""
_PER_TRY = 150
_MAX_LEAVES = 48


@dataclass(frozen=True, slots=True)
class Witness:
    """Two cases, differing in the answer to ``path``, with different final statuses of ``goal``."""

    path: str
    goal: str
    answer_a: Any
    case_a: Case
    status_a: Status
    answer_b: Any
    case_b: Case
    status_b: Status


class _OutOfBudget(Exception):
    pass


def trial_answers(path: str, case: Case, defs: Definitions) -> list[Any]:
    """A small set of answers that exercises every rule about a fact."""
    from .interview import _enum_values, _ftype, _kind, catalog_key

    key = catalog_key(path)
    ftype = _ftype(key)
    kind = _kind(key, ftype)
    known = [c for c in (*(case.nationalities or ()), case.former_habitual_residence, case.current_country, case.host_state) if c]
    codes = list(dict.fromkeys([*known, *sorted(defs.countries), *sorted(defs.states), "ZZ"]))
    if kind == "bool":
        return [True, False]
    if kind == "enum":
        return sorted(ftype.enum_values)
    if kind in ("multi", "grounds"):
        values = sorted(_enum_values(key, ftype))
        lists: list[list[str]] = [[]] + [[v] for v in values] + [[a, b] for i, a in enumerate(values) for b in values[i + 1 :]]
        return [[{"ground": v} for v in vs] for vs in lists] if kind == "grounds" else list(lists)
    if kind == "code":
        return codes
    if kind == "codes":
        first = list(dict.fromkeys([*(case.nationalities or ()), *sorted(defs.countries), "ZZ"]))
        return [[]] + [[c] for c in codes] + [[a, b] for a in first[:2] for b in codes if a != b][:12]
    if kind == "item_codes":
        return [[]] + [[{"country": c}] for c in codes]
    if kind == "items":
        return [[], [{}]]
    if kind == "date":
        dates = {dt.date(1950, 1, 1), dt.date(2025, 1, 1)}
        for state in defs.states.values():
            for inst in state.instruments.values():
                if inst.in_force:
                    dates |= {inst.in_force, inst.in_force - dt.timedelta(days=1)}
        return sorted(dates, reverse=True)
    if kind == "int":
        return [0, 1, 2, 5, 17, 18, 30, 70]
    return []


def witness_holds(w: Witness, case: Case, defs: Definitions) -> bool:
    """Whether ``w`` is a witness for ``case``: both sides extend it and the statuses differ and are final."""
    from .interview import get_fact

    for side in (w.case_a, w.case_b):
        for path, value in _known_leaves(case):
            if path != w.path and not path.startswith((w.path + ".", w.path + "[")) and get_fact(side, path) != value:
                return False
    if get_fact(case, w.path) is not None or w.status_a == w.status_b:
        return False
    return all(_final(goal_results(c, defs, w.goal), c, w.goal) == s for c, s in ((w.case_a, w.status_a), (w.case_b, w.status_b)))


def _known_leaves(obj: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every known fact of a case as (path, value); a list of records as its length and its items."""
    from pydantic import BaseModel

    for name in type(obj).model_fields:
        value = getattr(obj, name)
        p = f"{path}.{name}" if path else name
        if value is None:
            continue
        if isinstance(value, BaseModel):
            yield from _known_leaves(value, p)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel) and not hasattr(value[0], "ground"):
            for i, item in enumerate(value):
                yield from _known_leaves(item, f"{p}[{i}]")
        else:
            yield p, value


Results = Mapping[str, CriterionResult]


def goal_results(case: Case, defs: Definitions, goal: str) -> Results:
    """The results of ``goal`` and of the criteria it rests on (only those are evaluated)."""
    try:
        ctx = Context(case, defs, defs.stale_after_years)
        ctx.result(goal)
        return ctx.memo
    except (TypeError, AttributeError):  # pragma: no cover - if the evaluator's internals change
        return evaluate(case, defs).results


def _final(results: Results, case: Case, goal: str) -> Status | None:
    from .interview import _resolve

    r = results[goal]
    if r.status is Status.undetermined and any(_resolve(m, case) for m in r.missing_facts):
        return None
    return r.status


def find_witness(
    case: Case, path: str, goals: Sequence[str], defs: Definitions, *, budget: int = BUDGET
) -> tuple[Witness | None, bool]:
    """Search for a witness that the answer to ``path`` can change one of ``goals``.

    Returns ``(witness, exhausted)``: the witness or None, and whether the
    search covered every branch (then None proves the answer cannot matter).
    """
    return _Search(case, defs, budget).run(path, goals)


class _Search:
    def __init__(self, case: Case, defs: Definitions, budget: int):
        self.case = case
        self.defs = defs
        self.budget = budget
        self.evals = 0
        self.limit = budget
        self.seed = 0
        self.rng = random.Random(0)
        self.cut = False  # a branch was abandoned for the budget, so a failure proves nothing

    def run(self, path: str, goals: Sequence[str]) -> tuple[Witness | None, bool]:
        det = evaluate(self.case, self.defs).results
        ordered = sorted(goals, key=lambda g: len(det[g].missing_facts))
        for seed in range(10_000):
            self.seed, self.rng = seed, random.Random(seed)
            self.cut = False
            for goal in ordered:
                self.limit = min(self.budget, self.evals + _PER_TRY)
                try:
                    found = self._dfs(self.case, path, goal)
                except _OutOfBudget:
                    found, self.cut = None, True
                if found is not None:
                    return found, False
            if not self.cut:
                return None, True  # every branch of every goal was searched
            if self.evals >= self.budget:
                return None, False
        return None, False

    def _eval(self, case: Case, goal: str) -> Results:
        self.evals += 1
        if self.evals > self.limit:
            raise _OutOfBudget
        return goal_results(case, self.defs, goal)

    def _missing(self, case: Case, det: Results, goal: str) -> list[str]:
        from .interview import _resolve

        out: list[str] = []
        for m in det[goal].missing_facts:
            out.extend(p for p in _resolve(m, case) if p not in out)
        return out

    def _values(self, path: str, case: Case) -> list[Any]:
        values = trial_answers(path, case, self.defs)
        if self.seed == 1:
            values.reverse()
        elif self.seed > 1:
            self.rng.shuffle(values)
        return values

    def _dfs(self, base: Case, fact: str, goal: str) -> Witness | None:
        det = self._eval(base, goal)
        if det[goal].status is not Status.undetermined:
            return None
        missing = self._missing(base, det, goal)
        if fact not in missing:
            return None  # in this branch the answer no longer matters
        others = [p for p in missing if p != fact and not p.startswith((fact + "[", fact + "."))]
        if not others:
            return self._leaves(base, fact, goal)
        nxt = _closest(det, base, fact, others)
        for value in self._values(nxt, base):
            child = _set(base, nxt, value)
            if child is base:
                continue
            found = self._dfs(child, fact, goal)
            if found is not None:
                return found
        return None

    def _leaves(self, base: Case, fact: str, goal: str) -> Witness | None:
        from .interview import get_fact

        seen: list[tuple[Any, Status, tuple[tuple[str, Any], ...]]] = []
        for value in trial_answers(fact, base, self.defs):
            start = _set(base, fact, value)
            if start is base:
                continue
            for status, done in self._complete(start, goal, (), [0]):
                for v2, s2, done2 in seen:
                    if s2 == status or not _consistent(done, done2):
                        continue
                    a, b = _set(base, fact, v2), start
                    for p, w in done2 + done:
                        a = _set(a, p, w) if get_fact(a, p) is None else a
                        b = _set(b, p, w) if get_fact(b, p) is None else b
                    sa, sb = _final(self._eval(a, goal), a, goal), _final(self._eval(b, goal), b, goal)
                    if sa is not None and sb is not None and sa != sb:
                        return Witness(fact, goal, v2, a, sa, value, b, sb)
                seen.append((value, status, done))
        return None

    def _complete(self, case: Case, goal: str, done: tuple[tuple[str, Any], ...], count: list[int]) -> Iterator[tuple[Status, tuple[tuple[str, Any], ...]]]:
        """Every final status reachable by filling what the goal still turns on (up to a cap)."""
        if count[0] >= _MAX_LEAVES:
            self.cut = True
            return
        det = self._eval(case, goal)
        status = det[goal].status
        missing = self._missing(case, det, goal) if status is Status.undetermined else []
        if not missing:
            count[0] += 1
            yield status, done
            return
        for value in trial_answers(missing[0], case, self.defs):
            child = _set(case, missing[0], value)
            if child is not case:
                yield from self._complete(child, goal, done + ((missing[0], value),), count)


def _closest(det: Results, case: Case, fact: str, others: list[str]) -> str:
    """The fact to fill next: one that shares the smallest undetermined criterion with ``fact``.

    Filling a fact's neighbours first settles quickly whether the fact still
    matters, which keeps both witnesses and proofs of irrelevance short.
    """
    best: tuple[int, str] | None = None
    for r in det.values():
        if r.status is Status.undetermined and fact in r.missing_facts and len(r.missing_facts) > 1:
            if best is None or len(r.missing_facts) < best[0]:
                near = [p for p in others if p in r.missing_facts]
                if near:
                    best = (len(r.missing_facts), near[0])
    return best[1] if best else others[0]


def _set(case: Case, path: str, value: Any) -> Case:
    from .interview import set_fact

    try:
        return set_fact(case, path, value)
    except UsageError:
        return case  # that record does not exist under this answer


def _consistent(a: tuple[tuple[str, Any], ...], b: tuple[tuple[str, Any], ...]) -> bool:
    first = dict(a)
    return all(first.get(p, w) == w for p, w in b)
