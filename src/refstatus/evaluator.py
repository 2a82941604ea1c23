"""Evaluating a case against the definitions: the result tree, with reasons.

The hot path: one ``Context`` per case, criteria evaluated once each and
memoised, documented practices joined to the person's profile once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .definitions import BINDING_STATUSES, Criterion, Definitions, load_definitions
from pydantic import BaseModel

from .facts import Case, GroundLink, OtherNationality
from .result import CriterionResult, Determination, Evidence, FramingResult, Status, Verdict
from .rules import Clause, Out, fmt_clause, fmt_value, merge

__all__ = ["evaluate", "Context", "Item"]

_MAX_CLAUSES = 4


class Item:
    """One record inside ``some``: a recorded harm, a documented practice, a ground …"""

    __slots__ = ("obj", "path", "label", "applies", "evidence")

    def __init__(self, obj: Any, path: str, label: str, applies: Out | None = None, evidence: tuple[Evidence, ...] = ()):
        self.obj = obj
        self.path = path
        self.label = label
        self.applies = applies
        self.evidence = evidence

    def describe(self, clauses: Sequence[Clause]) -> str:
        if not clauses:
            return self.label
        return f"{self.label} ({'; '.join(fmt_clause(c) for c in clauses[:3])})"


class Context:
    __slots__ = ("case", "defs", "memo", "harm_memo", "_harms", "_sub", "stale_days")

    def __init__(self, case: Case, defs: Definitions, stale_after_years: int):
        self.case = case
        self.defs = defs
        self.memo: dict[str, CriterionResult] = {}
        self.harm_memo: dict[tuple[str, int], Out] = {}
        self._harms: tuple[list[Item], tuple[str, ...]] | None = None
        self._sub: dict[tuple[str, str], list[Item] | None] = {}
        self.stale_days = int(stale_after_years * 365.25)

    # -- criteria --

    def result(self, cid: str) -> CriterionResult:
        r = self.memo.get(cid)
        if r is None:
            r = _evaluate_criterion(self, self.defs.criteria[cid])
            self.memo[cid] = r
        return r

    # -- lists --

    def items(self, path: str, get: Callable[[Any], Any]) -> list[Item] | None:
        values = get(self.case)
        if values is None:
            return None
        label = self.defs.label(path)
        return [Item(v, f"{path}[{i}]", f"{label} {i + 1} ({_short(v)})") for i, v in enumerate(values)]

    def sub_items(self, item: Item, field: str) -> list[Item] | None:
        key = (item.path, field)
        cached = self._sub.get(key)
        if cached is not None or key in self._sub:
            return cached
        values = getattr(item.obj, field)
        out = None
        if values is not None:
            out = [Item(v, f"{item.path}.{field}[{i}]", f"{field.replace('_', ' ')} {_short(v)}") for i, v in enumerate(values)]
        self._sub[key] = out
        return out

    def harms(self) -> tuple[list[Item], tuple[str, ...]]:
        """Harms on return: those recorded in the case and the documented practices that apply.

        Also returns the unknown facts that could still add harms: the recorded
        list itself, or the countries of return whose practices would join.
        """
        if self._harms is not None:
            return self._harms
        case = self.case
        items: list[Item] = []
        open_facts: list[str] = []
        recorded = case.feared_harms
        if recorded is None:
            open_facts.append("feared_harms")
        for i, h in enumerate(recorded or ()):
            what = fmt_value(h.kind) if h.kind else "harm"
            by = f" by {'the state' if h.actor and h.actor.value == 'state' else 'others'}" if h.actor else ""
            items.append(Item(h, f"feared_harms[{i}]", f"recorded feared harm {i + 1} ({what}{by})"))
        # The country of return: each nationality or, for a stateless person,
        # the country of former habitual residence.
        countries: list[str] = []
        if case.nationalities is None:
            open_facts.append("nationalities")
        elif case.nationalities:
            countries = list(case.nationalities)
        elif case.former_habitual_residence is None:
            open_facts.append("former_habitual_residence")
        else:
            countries = [case.former_habitual_residence]
        date = case.assessment_date
        for code in countries:
            country = self.defs.countries.get(code)
            if country is None:
                continue
            for p in country.practices:
                applies = p.applies_when.ev(self, None) if p.applies_when is not None else None
                stale = None if date is None else (date - p.date).days > self.stale_days
                after = None if date is None else p.date > date
                cite = "; ".join(c.text for c in p.sources)
                ev = Evidence("practice", p.id, p.title, p.date, p.sources, stale, p.verify, after)
                flag = ", possibly stale" if stale else ", dated after the assessment date" if after else ""
                label = f"documented practice of {country.name}: {p.title} ({cite}, {p.date.isoformat()}{flag})"
                items.append(Item(p.harm, f"countries/{code}#{p.id}", label, applies, (ev,)))
        self._harms = (items, tuple(open_facts))
        return self._harms

    # -- treaty status --

    def host_bound(self, instrument: str) -> Out:
        case, defs = self.case, self.defs
        name = defs.sources[instrument].short if instrument in defs.sources else instrument
        hs = case.host_state
        if hs is None:
            return (None, ("host state: unknown",), (), ("host_state",), ())
        rec = defs.states.get(hs)
        if rec is None:
            return (None, (f"no treaty-status data for {hs} in definitions/states",), (("host_state", hs),), (), ())
        st = rec.instruments.get(instrument)
        facts: tuple[tuple[str, Any], ...] = (("host_state", hs),)
        if st is None:
            return (None, (f"no record of {rec.name}'s status under {name}",), facts, (), ())
        ev = (Evidence("treaty_status", f"{hs}:{instrument}", f"{rec.name} — {name}: {st.status}", st.date, st.sources, None, st.verify),)
        acted = f"{st.status} {st.date.isoformat()}" if st.date else st.status
        if st.status not in BINDING_STATUSES:
            word = "has signed but not ratified" if st.status == "signed" else "is not a party to"
            return (False, (f"{rec.name} {word} {name} ({acted})",), facts, (), ev)
        date = case.assessment_date
        assert st.in_force is not None
        if date is None:
            return (None, (f"{rec.name} bound by {name} since {st.in_force.isoformat()}; assessment date unknown",), facts, ("assessment_date",), ev)
        facts += (("assessment_date", date),)
        if st.in_force <= date:
            return (True, (f"{rec.name} is bound by {name} ({acted}; in force for it since {st.in_force.isoformat()})",), facts, (), ev)
        return (False, (f"{name} entered into force for {rec.name} only on {st.in_force.isoformat()}, after the assessment date",), facts, (), ev)


def _short(v: Any) -> str:
    if isinstance(v, GroundLink):
        return fmt_value(v)
    if isinstance(v, OtherNationality):
        return str(v.country)
    return "" if isinstance(v, BaseModel) else fmt_value(v)


def _join(clauses: Sequence[Clause]) -> str:
    unique = list(dict.fromkeys(fmt_clause(c) for c in clauses))
    if len(unique) > _MAX_CLAUSES:
        return "; ".join(unique[:_MAX_CLAUSES]) + f"; and {len(unique) - _MAX_CLAUSES} more"
    return "; ".join(unique)


def _evaluate_criterion(ctx: Context, c: Criterion) -> CriterionResult:
    # Cycles are rejected when the definitions load, so recursion here terminates.
    base = c.test.ev(ctx, None)
    exc_outs = [(e, e.when.ev(ctx, None)) for e in c.unless]
    fired = [(e, o) for e, o in exc_outs if o[0] is True]
    sources = c.sources
    title = c.title
    if fired:
        st: bool | None = False
        e, o = fired[0]
        because = "; ".join(x.because for x, _ in fired)
        reason = f"{title}: not met, because {because} ({_join(o[1])})."
        out = merge(False, [o for _, o in fired])
        for x, _ in fired:
            sources = sources + x.sources
    elif base[0] is False:
        st = False
        reason = f"{title}: not met, because {_join(base[1])}."
        out = base
    else:
        open_exc = [(e, o) for e, o in exc_outs if o[0] is None]
        if base[0] is True and not open_exc:
            st = True
            tail = "; no exception applies" if c.unless else ""
            reason = f"{title}: met, because {_join(base[1])}{tail}."
            out = base
        else:
            st = None
            parts = list(base[1]) if base[0] is None else []
            parts += [f"whether {e.label.lower()} ({_join(o[1])})" for e, o in open_exc]
            reason = f"{title}: undetermined; it turns on {_join(parts)}."
            out = merge(None, ([base] if base[0] is None else []) + [o for _, o in open_exc])
    extra: dict[str, Any] = {}
    if c.report_met_as:
        tags = []
        for child in c.children:
            r = ctx.memo.get(child) or ctx.result(child)
            if r.value is True:
                crit = ctx.defs.criteria[child]
                tags.append(crit.tag or child)
        extra[c.report_met_as] = tags
    missing = tuple(sorted(set(out[3]))) if st is None else ()
    evidence = tuple({id(e): e for e in out[4]}.values())  # by identity: hashing citations is slow
    return CriterionResult(
        id=c.id,
        title=title,
        status=Status.of(st),
        reason=reason,
        sources=sources,
        facts=tuple(dict(out[2]).items()),
        missing_facts=missing,
        children=c.children,
        evidence=evidence,
        exceptions=tuple((e.label, Status.of(o[0])) for e, o in exc_outs),
        extra=extra,
        verify=c.verify,
        value=st,
    )


def evaluate(case: Case, definitions: Definitions | None = None, *, stale_after_years: int | None = None) -> Determination:
    """Evaluate every criterion and framing claim against ``case``.

    ``stale_after_years`` overrides the definitions' threshold for flagging
    country information as possibly stale at the case's assessment date.
    """
    defs = definitions or load_definitions()
    years = stale_after_years if stale_after_years is not None else defs.stale_after_years
    ctx = Context(case, defs, years)
    results = {cid: ctx.result(cid) for cid in defs.criteria}
    framings = {}
    for claim in defs.claims.values():
        o = claim.holds_when.ev(ctx, None)
        scope = claim.applies_when.ev(ctx, None) if claim.applies_when is not None else None
        if scope is not None and scope[0] is not True:
            # The claim holds only for the people it is about (strong Kleene AND).
            if scope[0] is False:
                o = (False, (f"{claim.scope}, and {_join(scope[1])}",), scope[2], (), ())
            elif o[0] is not False:
                o = merge(None, [scope] + ([o] if o[0] is None else []))
        verdict = Verdict.of(o[0])
        word = {"holds": "holds on these facts", "fails": "fails on these facts", "undetermined": "cannot yet be tested on these facts"}[verdict.value]
        framings[claim.id] = FramingResult(
            id=claim.id,
            framing=claim.framing,
            claim=claim.claim,
            attributed_to=claim.attributed_to,
            date=claim.date,
            status=verdict,
            reason=f"The claim {word}: {_join(o[1])}.",
            tested_by=claim.tested_by,
            sources=claim.sources,
            legal_answers=claim.legal_answers,
            missing_facts=tuple(sorted(set(o[3]))) if o[0] is None else (),
            verify=claim.verify,
        )
    summary = {
        "pseudonym": case.person.pseudonym,
        "case_ref": case.case_ref,
        "assessment_date": case.assessment_date.isoformat() if case.assessment_date else None,
        "host_state": case.host_state,
        "nationalities": list(case.nationalities) if case.nationalities is not None else None,
        "current_country": case.current_country,
    }
    return Determination(summary, results, framings, years, case)

