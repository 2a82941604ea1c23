"""Compiled rule expressions: small frozen objects evaluated in strong Kleene logic.

A definitions file is parsed once into a tree of these nodes; evaluating a case
walks the tree with no parsing, no validation and no pydantic model per node.
Truth values are ``True``, ``False`` and ``None`` (undetermined).

Every evaluation returns an ``Out`` tuple:
``(status, clauses, facts, missing, evidence)`` where ``clauses`` are short
phrases explaining the decisive part, ``facts`` the ``(path, value)`` pairs relied
on, ``missing`` the unknown facts that could still change an undetermined
answer (empty otherwise), and ``evidence`` the documented practices and treaty
records used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

from .facts import GroundLink

if TYPE_CHECKING:
    from .evaluator import Context, Item

__all__ = [
    "All",
    "AnyOf",
    "FactTest",
    "FieldTest",
    "HarmTestRef",
    "HostBound",
    "Node",
    "Not",
    "Out",
    "Ref",
    "Some",
    "fmt_value",
]

Clause = str | tuple[str, Any]
Out = tuple[bool | None, tuple[Clause, ...], tuple[tuple[str, Any], ...], tuple[str, ...], tuple[Any, ...]]

_MAX_CLAUSES = 4


class Node(Protocol):
    def ev(self, ctx: Context, item: Item | None) -> Out: ...


def fmt_value(value: Any) -> str:
    """A fact's value as a reader sees it."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, Enum):
        return str(value.value).replace("_", " ")
    if isinstance(value, list | tuple):
        return "none" if not value else ", ".join(fmt_value(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, GroundLink):
        return str(value.ground.value).replace("_", " ") + (" (imputed)" if value.imputed else "")
    return str(value).replace("_", " ")


def fmt_clause(clause: Clause) -> str:
    """Clauses are kept as (label, value) until a reason is written: most are never shown."""
    if isinstance(clause, str):
        return clause
    return f"{clause[0]}: {fmt_value(clause[1])}"


def merge(status: bool | None, outs: Sequence[Out]) -> Out:
    clauses: tuple[Clause, ...] = ()
    facts: tuple[tuple[str, Any], ...] = ()
    missing: tuple[str, ...] = ()
    evidence: tuple[Any, ...] = ()
    for o in outs:
        clauses += o[1]
        facts += o[2]
        if status is None:
            missing += o[3]
        evidence += o[4]
    return (status, clauses, facts, missing, evidence)


@dataclass(frozen=True, slots=True)
class All:
    children: tuple[Node, ...]

    def ev(self, ctx: Context, item: Item | None) -> Out:
        unknown: list[Out] = []
        done: list[Out] = []
        for child in self.children:
            o = child.ev(ctx, item)
            if o[0] is False:
                return (False, o[1], o[2], (), o[4])
            (unknown if o[0] is None else done).append(o)
        if unknown:
            return merge(None, unknown)
        return merge(True, done)


@dataclass(frozen=True, slots=True)
class AnyOf:
    children: tuple[Node, ...]

    def ev(self, ctx: Context, item: Item | None) -> Out:
        unknown: list[Out] = []
        done: list[Out] = []
        for child in self.children:
            o = child.ev(ctx, item)
            if o[0] is True:
                return (True, o[1], o[2], (), o[4])
            (unknown if o[0] is None else done).append(o)
        if unknown:
            return merge(None, unknown)
        return merge(False, done)


@dataclass(frozen=True, slots=True)
class Not:
    child: Node

    def ev(self, ctx: Context, item: Item | None) -> Out:
        o = self.child.ev(ctx, item)
        status = None if o[0] is None else not o[0]
        return (status, o[1], o[2], o[3], o[4])


@dataclass(frozen=True, slots=True)
class Ref:
    """The result of another criterion (memoised per case)."""

    criterion: str

    def ev(self, ctx: Context, item: Item | None) -> Out:
        r = ctx.result(self.criterion)
        st = r.value
        title = ctx.defs.criteria[self.criterion].inline_title
        # Evidence (country information, treaty records) travels up the tree so
        # that a conclusion shows what it ultimately rests on.
        return (st, (f"{title} — {r.status.words}",), (), r.missing_facts if st is None else (), r.evidence)


# Operators on a known value; each returns a bool.
Op = Callable[[Any, Any], bool]


def _op_is(v: Any, x: Any) -> bool:
    return bool(v == x)


def _op_in(v: Any, xs: Any) -> bool:
    return v in xs


def _op_contains(v: Any, x: Any) -> bool:
    return x in v


def _op_contains_any(v: Any, xs: Any) -> bool:
    return any(x in v for x in xs)


def _op_empty(v: Any, want: Any) -> bool:
    return (len(v) == 0) is want


def _op_at_least(v: Any, n: Any) -> bool:
    return bool(v >= n)


def _op_at_most(v: Any, n: Any) -> bool:
    return bool(v <= n)


OPS: dict[str, Op] = {
    "is": _op_is,
    "in": _op_in,
    "contains": _op_contains,
    "contains_any": _op_contains_any,
    "empty": _op_empty,
    "at_least": _op_at_least,
    "at_most": _op_at_most,
}
FACT_OPS = ("is", "in", "contains", "contains_any", "empty", "at_least", "at_most", "equals_fact", "in_fact")


def getter(path: str) -> Callable[[Any], Any]:
    """An attribute walk that stops at the first unknown (None)."""
    parts = tuple(path.split("."))

    def get(obj: Any) -> Any:
        for p in parts:
            obj = getattr(obj, p)
            if obj is None:
                return None
        return obj

    return get


@dataclass(frozen=True, slots=True)
class FactTest:
    """A test on one fact of the case: ``fact: path`` with an operator."""

    path: str
    label: str
    op: Op
    operand: Any
    get: Callable[[Any], Any]
    other_path: str | None = None  # for equals_fact / in_fact
    other_get: Callable[[Any], Any] | None = None
    other_label: str = ""

    def ev(self, ctx: Context, item: Item | None) -> Out:
        v = self.get(ctx.case)
        if v is None:
            return (None, (f"{self.label}: unknown",), (), (self.path,), ())
        if self.other_get is not None:
            assert self.other_path is not None
            w = self.other_get(ctx.case)
            if w is None:
                return (None, (f"{self.other_label}: unknown",), ((self.path, v),), (self.other_path,), ())
            st = self.op(v, w)
            return (st, ((self.label, v), (self.other_label, w)), ((self.path, v), (self.other_path, w)), (), ())
        return (self.op(v, self.operand), ((self.label, v),), ((self.path, v),), (), ())


@dataclass(frozen=True, slots=True)
class FieldTest:
    """Inside ``some … where``: a test on a field of the current item."""

    field: str
    label: str
    op: Op
    operand: Any

    def ev(self, ctx: Context, item: Item | None) -> Out:
        assert item is not None
        v = getattr(item.obj, self.field)
        if v is None:
            return (None, (f"{item.label}: {self.label} unknown",), (), (f"{item.path}.{self.field}",), ())
        return (self.op(v, self.operand), ((self.label, v),), ((f"{item.path}.{self.field}", v),), (), ())


@dataclass(frozen=True, slots=True)
class HarmTestRef:
    """A named harm test, compiled once and shared by every criterion that uses it."""

    id: str
    title: str
    resolve: Callable[[], Node]

    def ev(self, ctx: Context, item: Item | None) -> Out:
        # The same harm tests recur in many criteria: evaluate each once per harm.
        key = (self.id, id(item))
        out = ctx.harm_memo.get(key)
        if out is None:
            out = self.resolve().ev(ctx, item)
            ctx.harm_memo[key] = out
        return out


@dataclass(frozen=True, slots=True)
class Some:
    """"Some item of a list such that …".  ``on_item`` is True for a list inside the current item."""

    path: str
    label: str
    where: Node
    on_item: bool
    get: Callable[[Any], Any]

    def ev(self, ctx: Context, item: Item | None) -> Out:
        open_facts: tuple[str, ...] = ()
        if self.on_item:
            assert item is not None
            items = ctx.sub_items(item, self.path)
        elif self.path == "feared_harms":
            # Recorded harms plus documented practices; unknowns that could add harms keep it open.
            items, open_facts = ctx.harms()
        else:
            items = ctx.items(self.path, self.get)
        if items is None:
            path = f"{item.path}.{self.path}" if self.on_item and item is not None else self.path
            return (None, (f"{self.label}: unknown",), (), (path,), ())
        unknown: list[Out] = []
        found: list[Out] = []
        failed: list[Out] = []
        for it in items:
            o = self.where.ev(ctx, it)
            applies = it.applies
            if applies is not None and o[0] is not False:
                # A documented practice counts only where it applies to this person.
                if applies[0] is False:
                    failed.append(applies)
                    continue
                if applies[0] is None:
                    o = merge(None, [applies, o] if o[0] is None else [applies])
            if o[0] is True:
                found.append((True, (it.label,), o[2] + (applies[2] if applies else ()), (), o[4] + it.evidence))
            elif o[0] is None:
                unknown.append((None, (it.describe(o[1]),), o[2], o[3], o[4] + it.evidence))
            else:
                failed.append(o)
        if found:
            return merge(True, found[:_MAX_CLAUSES])
        if open_facts:
            unknown.append((None, (f"{', '.join(open_facts).replace('_', ' ')}: unknown",), (), open_facts, ()))
        if unknown:
            return merge(None, unknown)
        n = len(items)
        what = f"no {self.label} meets the test ({n} considered)" if n else f"no {self.label} recorded"
        facts: tuple[tuple[str, Any], ...] = ()
        for o in failed:
            facts += o[2]
        return (False, (what,), facts, (), ())


@dataclass(frozen=True, slots=True)
class HostBound:
    """The host state is bound by an instrument at the assessment date."""

    instrument: str

    def ev(self, ctx: Context, item: Item | None) -> Out:
        return ctx.host_bound(self.instrument)
