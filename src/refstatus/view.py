"""The view: a plain, JSON-able dict that the brief templates receive.

The view carries data only (titles, statements, reasons, citations, dates,
statuses); the prose that joins them lives in the templates.  Public kinds
(advocacy, worksheet) never read an identifying field of the case: only the
pseudonym names the person.  Everything is ordered deterministically (the
definitions' own order, or sorted), and nothing depends on the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .cases import WorkedExample
from .definitions import Citation, Definitions
from .errors import UsageError
from .facts import Case, identifying_paths
from .result import CriterionResult, Determination, Evidence, Status
from .rules import All, AnyOf, HostBound, Not, Ref

__all__ = ["KINDS", "PUBLIC_KINDS", "build_view", "date_text"]

KINDS = ("advocacy", "memo", "worksheet")
PUBLIC_KINDS = frozenset({"advocacy", "worksheet"})
_AUTHORITY_RANK = {"binding": 0, "guidance": 1, "evidence": 2}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_HEADLINE = ("refugee", "sur_place", "economic_migrant")
_WITHHELD = "[withheld]"
# Country names read in a sentence with "the" (grammar only: "the Republic of Korea").
_THE = re.compile(r"\b(Republic|Kingdom|United|Federation|Union|Islands|Emirates|Netherlands|Philippines|Commonwealth|Holy See|Gambia|Bahamas)\b")


def date_text(value: dt.date | str | None) -> str | None:
    """``1982-09-24`` -> ``24 September 1982`` (no locale, no clock)."""
    if value is None:
        return None
    d = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


_INDEX = re.compile(r"\[\d+\]")


@cache
def _catalog_key(path: str) -> str:
    return _INDEX.sub("[]", path)


@cache
def _identifying() -> frozenset[str]:
    return identifying_paths()


class _Bibliography:
    """Every citation the view shows, numbered once per source."""

    def __init__(self, defs: Definitions):
        self.defs = defs
        self.refs: dict[str, list[dict[str, Any]]] = {}

    def cite(self, c: Citation) -> dict[str, Any]:
        d = {"source": c.source, "pinpoint": c.pinpoint, "text": c.text, "authority": c.authority, "verify": c.verify, "n": 0}
        self.refs.setdefault(c.source, []).append(d)
        return d

    def cites(self, cs: Iterable[Citation]) -> list[dict[str, Any]]:
        seen: dict[tuple[str, str | None], dict[str, Any]] = {}
        for c in cs:
            key = (c.source, c.pinpoint)
            if key in seen:
                seen[key]["verify"] = seen[key]["verify"] or c.verify
            else:
                seen[key] = self.cite(c)
        return list(seen.values())

    def finish(self) -> list[dict[str, Any]]:
        def order(sid: str) -> tuple[int, str, str]:
            s = self.defs.sources[sid]
            return (_AUTHORITY_RANK.get(s.authority, 9), s.citation.casefold(), sid)

        out = []
        for n, sid in enumerate(sorted(self.refs, key=order), start=1):
            s = self.defs.sources[sid]
            for ref in self.refs[sid]:
                ref["n"] = n
            out.append(
                {
                    "n": n,
                    "id": sid,
                    "short": s.short,
                    "citation": s.citation,
                    "authority": s.authority,
                    "url": s.url,
                    "verify": s.verify,
                    "pinpoints_to_verify": sorted({r["pinpoint"] or "" for r in self.refs[sid] if r["verify"]} - {""}),
                }
            )
        return out


# ------------------------------------------------------------ structure ----


def _refs(node: Any, negated: bool = False, out: dict[str, bool] | None = None) -> dict[str, bool]:
    """Criteria a test refers to, each with True when it counts against the parent (under ``not``)."""
    out = {} if out is None else out
    if isinstance(node, Ref):
        out.setdefault(node.criterion, negated)
    elif isinstance(node, Not):
        _refs(node.child, not negated, out)
    elif isinstance(node, All | AnyOf):
        for child in node.children:
            _refs(child, negated, out)
    return out


def _is_binding_test(node: Any) -> bool:
    if isinstance(node, HostBound):
        return True
    return isinstance(node, All | AnyOf) and bool(node.children) and all(_is_binding_test(c) for c in node.children)


@cache
def _framing_titles(dirs: tuple[str, ...]) -> dict[str, str]:
    """Framing titles (the definitions keep claims, not the framing's own title)."""
    titles: dict[str, str] = {}
    for d in dirs:
        folder = Path(d) / "framings"
        for p in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
            if isinstance(data, dict) and "framing" in data and "title" in data:
                titles[str(data["framing"])] = " ".join(str(data["title"]).split())
    return titles


class _Builder:
    def __init__(self, det: Determination, defs: Definitions, kind: str):
        self.det = det
        self.defs = defs
        self.kind = kind
        self.public = kind in PUBLIC_KINDS
        self.bib = _Bibliography(defs)
        self.case: Case | None = det.case
        self.assessed: dt.date | None = self.case.assessment_date if self.case else None
        self.identifying = _identifying()
        self._elements: dict[tuple[str, bool, bool], dict[str, Any]] = {}
        self.catalog_order = {p: i for i, p in enumerate(defs.facts)}

    # -- small pieces --

    def country(self, code: str | None) -> dict[str, Any] | None:
        if code is None:
            return None
        name = self.defs.states[code].name if code in self.defs.states else None
        if name is None and code in self.defs.countries:
            name = self.defs.countries[code].name
        name = name or code
        return {"code": code, "name": name, "the_name": "the " + name if _THE.search(name) else name}

    def value_text(self, path: str, value: Any) -> str:
        """A fact's value as a reader sees it, in the catalog's plain words where it has them."""
        key = _catalog_key(path).split("#")[-1]
        if value is True:
            return "yes"
        if value is False:
            return "no"
        if isinstance(value, list | tuple):
            return "none" if not value else ", ".join(self.value_text(path + "[]", v) for v in value)
        if isinstance(value, dt.date):
            return date_text(value) or ""
        if hasattr(value, "ground"):
            ground = self.value_text("feared_harms[].grounds[].ground", value.ground)
            return ground + (" (imputed)" if value.imputed else "")
        if isinstance(value, StrEnum):
            value = value.value
        if not isinstance(value, str):
            return str(value)
        bare = key[:-2] if key.endswith("[]") else key
        if bare in ("nationalities", "host_state", "current_country", "former_habitual_residence") or bare.endswith(".country"):
            return str((self.country(value) or {}).get("name", value))
        wording = self.defs.facts.get(key) or self.defs.facts.get(bare)
        if wording and value in wording.choices:
            return wording.choices[value]
        return value.replace("_", " ") if re.fullmatch(r"[a-z_]+", value) else value

    def fact_entry(self, path: str) -> dict[str, Any]:
        key = _catalog_key(path)
        wording = self.defs.facts.get(key)
        if path.startswith("countries/"):
            code, rest = path[len("countries/") :].split("#", 1)
            practice_id, _, field = rest.partition(".")
            practice = next((p for c in self.defs.countries.values() for p in c.practices if p.id == practice_id), None)
            harm_wording = self.defs.facts.get(f"feared_harms[].{field}")
            return {
                "path": path,
                "label": harm_wording.label if harm_wording else field.replace("_", " "),
                "question": harm_wording.question if harm_wording else None,
                "help": harm_wording.help if harm_wording else None,
                "group": "country_information",
                "practice": practice.title if practice else practice_id,
                "country": self.country(code),
            }
        group = key.split(".")[0].split("[")[0]
        return {
            "path": path,
            "label": wording.label if wording else self.defs.label(path),
            "question": wording.question if wording else None,
            "help": wording.help if wording else None,
            "group": group,
            "practice": None,
            "country": None,
        }

    def fact_sort(self, path: str) -> tuple[int, str]:
        return (self.catalog_order.get(_catalog_key(path), len(self.catalog_order)), path)

    def is_identifying(self, path: str) -> bool:
        return _catalog_key(path).replace("[]", "") in self.identifying

    def facts_of(self, results: Iterable[CriterionResult]) -> list[dict[str, Any]]:
        seen: dict[str, Any] = {}
        for r in results:
            for path, value in r.facts:
                if path.startswith("countries/") or path in seen:
                    continue
                if self.public and self.is_identifying(path):
                    continue
                seen[path] = value
        return [
            {"path": p, "label": self.fact_entry(p)["label"], "value": self.value_text(p, seen[p])}
            for p in sorted(seen, key=self.fact_sort)
        ]

    def reason(self, r: CriterionResult) -> str:
        text = r.reason
        if self.public:
            for path, value in r.facts:
                if self.is_identifying(path) and value not in (None, "", [], ()):
                    for shown in {str(value), self.value_text(path, value)}:
                        text = text.replace(shown, _WITHHELD)
        return text

    def missing_entry(self, path: str) -> dict[str, Any]:
        entry = self.fact_entry(path)
        return {k: entry[k] for k in ("path", "label", "group", "practice")}

    def evidence(self, ev: Evidence, slim: bool = False) -> dict[str, Any]:
        practice = None
        country = None
        if ev.kind == "practice":
            for c in self.defs.countries.values():
                for p in c.practices:
                    if p.id == ev.id:
                        practice, country = p, c
        return {
            "kind": ev.kind,
            "id": ev.id,
            "title": ev.title,
            "statement": practice.statement if practice and not slim else None,
            "country": self.country(country.code) if country else None,
            "date": ev.date.isoformat() if ev.date else None,
            "date_text": date_text(ev.date),
            "stale": ev.stale,
            "after_assessment": bool(ev.date and self.assessed and ev.date > self.assessed),
            "verify": ev.verify,
            "citations": self.bib.cites(ev.sources),
        }

    # -- the result tree --

    def subtree(self, cid: str) -> list[CriterionResult]:
        out: dict[str, CriterionResult] = {}
        stack = [cid]
        while stack:
            cur = stack.pop(0)
            if cur in out or cur not in self.det.results:
                continue
            out[cur] = self.det.results[cur]
            stack.extend(out[cur].children)
        return list(out.values())

    def adverse_children(self, cid: str) -> dict[str, bool]:
        crit = self.defs.criteria.get(cid)
        if crit is None:
            return {}
        adverse = _refs(crit.test)
        for e in crit.unless:
            for ref in _refs(e.when):
                adverse.setdefault(ref, True)
        return adverse

    def element(self, cid: str, adverse: bool = False, detail: bool = True) -> dict[str, Any]:
        """One criterion as the templates show it (built once; a copy per use keeps the JSON a tree)."""
        key = (cid, adverse, detail)
        if key not in self._elements:
            self._elements[key] = self._element(cid, adverse, detail)
        return dict(self._elements[key])

    def _element(self, cid: str, adverse: bool, detail: bool) -> dict[str, Any]:
        r = self.det.results[cid]
        crit = self.defs.criteria.get(cid)
        favourable = None if r.status is Status.undetermined else ((r.status is Status.met) != adverse)
        subtree = self.subtree(cid)
        evidence: dict[str, dict[str, Any]] = {}
        if detail:
            for sub in subtree:
                if sub.status is not r.status:
                    continue  # a met finding rests on what was established, not on what might apply
                for ev in sub.evidence:
                    if ev.kind == "practice" and ev.id not in evidence:
                        evidence[ev.id] = self.evidence(ev, slim=True)
        return {
            "id": cid,
            "title": r.title,
            "statement": crit.statement if crit else None,
            "status": r.status.value,
            "adverse": adverse,
            "favourable": favourable,
            "reason": self.reason(r),
            "citations": self.bib.cites(r.sources),
            "facts": self.facts_of(subtree) if detail else [],
            "evidence": sorted(evidence.values(), key=lambda e: (e["date"] or "", e["id"])),
            "missing": [self.missing_entry(p) for p in sorted(r.missing_facts, key=self.fact_sort)],
            "exceptions": [{"label": label, "status": st.value} for label, st in r.exceptions],
            "grounds": [self.value_text("feared_harms[].grounds[].ground", g) for g in (r.grounds or [])],
            "clauses": list(r.clauses or []),
            "verify": r.verify,
            "note": crit.note if crit and not self.public else None,
        }

    def legal_test(self) -> list[dict[str, Any]]:
        """The stages of the refugee definition (inclusion, exclusion, cessation) and their elements."""
        if "refugee" not in self.det.results:
            return []
        stages = []
        for sid, adverse in self.adverse_children("refugee").items():
            if sid not in self.det.results:
                continue
            stage = self.element(sid, adverse, detail=False)
            kids = self.adverse_children(sid)
            detail = not adverse or not self.public  # the memo shows the bars' evidence too
            stage["elements"] = [self.element(k, adverse=a != adverse, detail=detail) for k, a in kids.items() if k in self.det.results]
            stages.append(stage)
        return stages

    def obligations(self) -> list[dict[str, Any]]:
        """Criteria that turn on the host state's treaty obligations (non-refoulement, Art. 31)."""
        binding = {cid for cid, c in self.defs.criteria.items() if _is_binding_test(c.test)}
        out = []
        for cid in self.defs.criteria:
            if cid in binding or cid not in self.det.results:
                continue
            kids = self.adverse_children(cid)
            bound = [k for k in kids if k in binding]
            if not bound:
                continue
            item = self.element(cid, detail=True)
            item["facts"] = self.facts_of([self.det.results[cid]])  # its own tests; the conditions carry theirs
            item["returns"] = cid.startswith("non_refoulement")
            # Where the danger was found: the countries of the documented practices relied on;
            # without them, the countries of nationality (or of former habitual residence).
            found = {ev["country"]["code"]: ev["country"] for ev in item["evidence"] if ev["country"]}
            item["return_to"] = [found[c] for c in sorted(found)] or self.home_countries()
            item["binding"] = [self.binding(k) for k in bound]
            item["conditions"] = [self.element(k, a, detail=False) for k, a in kids.items() if k not in binding and k in self.det.results]
            out.append(item)
        return out

    def home_countries(self) -> list[dict[str, Any]]:
        case = self.case
        codes = list(case.nationalities or ()) if case else []
        if case and not codes and case.former_habitual_residence:
            codes = [case.former_habitual_residence]
        return [c for c in (self.country(code) for code in codes) if c]

    def binding(self, cid: str) -> dict[str, Any]:
        el = self.element(cid, detail=False)
        r = self.det.results[cid]
        el["records"] = [self.evidence(ev) for ev in r.evidence if ev.kind == "treaty_status"]
        return el

    def treaties(self) -> dict[str, Any] | None:
        host = self.case.host_state if self.case else self.det.case_summary.get("host_state")
        if host is None:
            return None
        rec = self.defs.states.get(host)
        state = self.country(host)
        if rec is None:
            return {"state": state, "known": False, "instruments": []}
        instruments = []
        for name, st in rec.instruments.items():
            src = self.defs.sources.get(name)
            instruments.append(
                {
                    "instrument": name,
                    "name": src.short if src else name.replace("_", " "),
                    "citation": src.citation if src else None,
                    "status": st.status,
                    "binding": st.status in ("ratified", "acceded", "succeeded"),
                    "date": st.date.isoformat() if st.date else None,
                    "date_text": date_text(st.date),
                    "in_force": st.in_force.isoformat() if st.in_force else None,
                    "in_force_text": date_text(st.in_force),
                    "in_force_by_assessment": bool(st.in_force and self.assessed and st.in_force <= self.assessed),
                    "verify": st.verify,
                    "citations": self.bib.cites(st.sources),
                    "note": st.note if not self.public else None,
                }
            )
        return {"state": state, "known": True, "instruments": instruments}

    def framings(self) -> list[dict[str, Any]]:
        titles = _framing_titles(self.defs.directories)
        out = []
        for n, (fid, f) in enumerate(self.det.framings.items(), start=1):
            claim = self.defs.claims.get(fid)
            out.append(
                {
                    "n": n,
                    "id": fid,
                    "framing": f.framing,
                    "framing_title": titles.get(f.framing, f.framing.replace("_", " ")),
                    "claim": f.claim,
                    "attributed_to": f.attributed_to,
                    "date": f.date.isoformat() if f.date else None,
                    "date_text": date_text(f.date),
                    "status": f.status.value,
                    "reason": f.reason,
                    "citations": self.bib.cites(f.sources),
                    "tested_by": [self.element(t, detail=False) for t in f.tested_by if t in self.det.results],
                    "legal_answers": [{"text": text, "citations": self.bib.cites(cs)} for text, cs in f.legal_answers],
                    "missing": [self.missing_entry(p) for p in sorted(f.missing_facts, key=self.fact_sort)],
                    "verify": f.verify,
                    "note": claim.note if claim and not self.public else None,
                }
            )
        return out

    def headline(self) -> dict[str, Any]:
        return {cid: self.element(cid, detail=True) for cid in _HEADLINE if cid in self.det.results}


# ------------------------------------------------------------ derived ----


def _open_questions(
    stages: list[dict[str, Any]], obligations: list[dict[str, Any]], framings: list[dict[str, Any]], decisive: set[str]
) -> list[dict[str, Any]]:
    """Undetermined elements whose facts could still change a conclusion, each fact listed once.

    An element left open under a conclusion already reached (say, state protection
    when there is no well-founded fear) decides nothing and is not listed.
    """
    seen: set[str] = set()
    out = []
    candidates: list[dict[str, Any]] = []
    for stage in stages:
        candidates.extend(stage["elements"] if not stage["adverse"] else [stage])
    candidates.extend(obligations)
    for item in candidates:
        if item["status"] != "undetermined" or not any(f["path"] in decisive for f in item["missing"]):
            continue
        facts = [f for f in item["missing"] if f["path"] not in seen and f["path"] in decisive]
        seen.update(f["path"] for f in facts)
        out.append({"id": item["id"], "title": item["title"], "kind": "element", "facts": facts})
    for f in framings:
        if f["status"] == "undetermined":
            facts = [x for x in f["missing"] if x["path"] not in seen]
            seen.update(x["path"] for x in facts)
            out.append({"id": f["id"], "title": f["claim"], "kind": "claim", "n": f["n"], "framing_title": f["framing_title"], "facts": facts})
    return out


def _slim(item: dict[str, Any]) -> dict[str, Any]:
    """A reference to an element shown elsewhere in the view (keeps the JSON free of copies)."""
    keys = ("id", "title", "status", "statement", "citations", "date_text", "country", "claim", "returns")
    return {k: item[k] for k in keys if k in item}


def _elements(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for s in view["legal_test"] for e in ([s] if s["adverse"] else s["elements"])]


def _summary(view: dict[str, Any]) -> dict[str, Any]:
    """What the summary paragraph draws on: the findings for and against, and what they rest on."""
    elements = _elements(view)
    established = [e for e in elements if e["favourable"] and not e["adverse"]]
    evidence: dict[str, dict[str, Any]] = {}
    for e in established:
        for ev in e["evidence"]:
            evidence.setdefault(ev["id"], ev)
    returns = [o for o in view["obligations"] if o["returns"]]
    return {
        "established": [_slim(e) for e in established],
        "bars_cleared": [_slim(e) for e in elements if e["favourable"] and e["adverse"]],
        "against": [_slim(e) | {"adverse": e["adverse"]} for e in elements if e["favourable"] is False],
        "open": [_slim(e) | {"missing": e["missing"]} for e in elements if e["status"] == "undetermined"],
        "grounds": view["grounds"],
        "evidence": sorted(evidence.values(), key=lambda ev: (ev["date"] or "", ev["id"])),
        "return_engaged": [_slim(o) | {"conditions": [c["id"] for c in o["conditions"]]} for o in returns if o["status"] == "met"],
        "return_open": [_slim(o) for o in returns if o["status"] == "undetermined"],
        "claims": {v: [_slim(f) | {"n": f["n"], "attributed_to": f["attributed_to"]} for f in view["framings"] if f["status"] == v] for v in ("holds", "fails", "undetermined")},
    }


def _recommendations(view: dict[str, Any]) -> list[dict[str, Any]]:
    head = view["headline"]
    recs: list[dict[str, Any]] = []
    engaged = [o for o in view["obligations"] if o["status"] == "met"]
    barring = [_slim(o) for o in engaged if o["returns"]]
    if barring:
        to = {c["code"]: c for o in engaged if o["returns"] for c in o["return_to"]}
        recs.append({"kind": "do_not_return", "items": barring, "countries": [to[c] for c in sorted(to)]})
    for o in engaged:
        if not o["returns"]:
            recs.append({"kind": "comply", "items": [_slim(o)]})
    refugee = head.get("refugee")
    if refugee:
        if refugee["status"] == "met":
            recs.append({"kind": "treat_as_refugee", "items": [_slim(refugee)]})
        elif refugee["status"] == "undetermined":
            recs.append({"kind": "determine_status", "items": [_slim(refugee)]})
        else:
            against = [_slim(e) for e in _elements(view) if e["favourable"] is False]
            recs.append({"kind": "not_a_refugee", "items": [_slim(refugee)] + against})
    econ = head.get("economic_migrant")
    if econ and econ["status"] == "met" and not any(o["returns"] for o in engaged):
        recs.append({"kind": "no_refugee_law_objection", "items": [_slim(econ)]})
    open_obligations = [_slim(o) for o in view["obligations"] if o["returns"] and o["status"] == "undetermined"]
    if open_obligations and not any(o["returns"] for o in engaged):
        recs.append({"kind": "no_return_until_decided", "items": open_obligations})
    if view["open_questions"]:
        recs.append({"kind": "gather_facts", "items": [{"id": q["id"], "title": q["title"]} for q in view["open_questions"]]})
    dated = _dated_information(view, relied_on_only=True)
    if dated:
        recs.append({"kind": "update_country_information", "items": dated})
    to_verify = _unverified_sources(view)
    if to_verify:
        recs.append({"kind": "verify_sources", "items": to_verify})
    return recs


def _dated_information(view: dict[str, Any], *, relied_on_only: bool) -> list[dict[str, Any]]:
    """Country information flagged as possibly stale or dated after the assessment."""
    return [
        _slim(e) | {"stale": e["stale"], "after_assessment": e["after_assessment"]}
        for e in view["country_information"]
        if (e["relied_on"] or not relied_on_only) and (e["stale"] or e["after_assessment"])
    ]


def _unverified_sources(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in view["bibliography"] if b["verify"] or b["pinpoints_to_verify"]]


def _counter_arguments(view: dict[str, Any], case: Case | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    elements = _elements(view)
    against = [_slim(e) | {"reason": e["reason"]} for e in elements if e["favourable"] is False]
    if against:
        out.append({"kind": "elements_against", "items": against})
    still_open = [_slim(e) | {"reason": e["reason"]} for e in elements if e["status"] == "undetermined"]
    if still_open:
        out.append({"kind": "elements_open", "items": still_open})
    recorded = bool(case and case.feared_harms)
    general = [_slim(e) for e in elements + view["obligations"] if e["favourable"] and e["evidence"] and not recorded]
    if general:
        out.append({"kind": "general_evidence_only", "items": general})
    for verdict in ("holds", "undetermined"):
        claims = [_slim(f) | {"n": f["n"]} for f in view["framings"] if f["status"] == verdict]
        if claims:
            out.append({"kind": "claims_" + verdict, "items": claims})
    dated = _dated_information(view, relied_on_only=False)
    if dated:
        out.append({"kind": "dated_country_information", "items": dated})
    unverified = _unverified_sources(view)
    if unverified:
        out.append({"kind": "unverified_sources", "items": unverified})
    return out


def _gaps(b: _Builder, conclusions: set[str]) -> list[dict[str, Any]]:
    """Every missing fact, with the conclusions (headline results, obligations, claims) it could decide."""
    decides: dict[str, list[str]] = {}
    for cid, r in b.det.results.items():
        for p in r.missing_facts:
            decides.setdefault(p, [])
            if cid in conclusions:
                decides[p].append(r.title)
    claims: dict[str, list[int]] = {}
    for n, f in enumerate(b.det.framings.values(), start=1):
        for p in f.missing_facts:
            decides.setdefault(p, [])
            claims.setdefault(p, []).append(n)
    out = []
    for p in sorted(decides, key=b.fact_sort):
        entry = b.fact_entry(p)
        entry["decides"] = sorted(set(decides[p]))
        entry["claims"] = claims.get(p, [])
        out.append(entry)
    return out


def _person(b: _Builder) -> dict[str, Any] | None:
    """Memo only: the identifying details as recorded, and the recorded harms."""
    case = b.case
    if case is None:
        return None
    rows = []
    for name in type(case.person).model_fields:
        value = getattr(case.person, name)
        if name == "pseudonym" or value is None:
            continue
        rows.append({"label": b.fact_entry(f"person.{name}")["label"], "value": b.value_text(f"person.{name}", value), "identifying": b.is_identifying(f"person.{name}")})

    def harm_rows(prefix: str, items: Any) -> list[dict[str, Any]]:
        out = []
        for i, h in enumerate(items or ()):
            fields = []
            for name in type(h).model_fields:
                value = getattr(h, name)
                if value is None:
                    continue
                path = f"{prefix}[{i}].{name}"
                fields.append({"label": b.fact_entry(path)["label"], "value": b.value_text(path, value), "identifying": b.is_identifying(path)})
            out.append({"n": i + 1, "fields": fields})
        return out

    return {
        "details": rows,
        "notes": case.notes,
        "feared_harms": harm_rows("feared_harms", case.feared_harms),
        "past_harm": harm_rows("past_harm", case.past_harm),
    }


def _example(example: WorkedExample | None) -> dict[str, Any] | None:
    if example is None:
        return None

    def paragraphs(text: str) -> list[str]:
        return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]

    return {
        "id": example.id,
        "title": example.title,
        "summary": example.summary,
        "composite": example.composite,
        "narrative": paragraphs(example.narrative),
        "teaching_note": paragraphs(example.teaching_note),
    }


def _mismatches(det: Determination, example: WorkedExample | None) -> list[dict[str, str]]:
    if example is None:
        return []
    out = []
    for cid, want in sorted(example.expected.results.items()):
        got = det.results[cid].status.value if cid in det.results else "absent"
        if got != want.value:
            out.append({"id": cid, "expected": want.value, "got": got})
    for fid, want_f in sorted(example.expected.framings.items()):
        got = det.framings[fid].status.value if fid in det.framings else "absent"
        if got != want_f.value:
            out.append({"id": fid, "expected": want_f.value, "got": got})
    return out


def build_view(
    det: Determination,
    defs: Definitions,
    kind: str,
    example: WorkedExample | None = None,
    date: str | None = None,
) -> dict[str, Any]:
    """The data one brief shows, as plain JSON-able values."""
    if kind not in KINDS:
        raise UsageError(f"unknown kind '{kind}'; expected one of {', '.join(KINDS)}")
    if date is not None:
        try:
            dt.date.fromisoformat(date)
        except (TypeError, ValueError):
            raise UsageError(f"--date must be YYYY-MM-DD (got {date!r})") from None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            raise UsageError(f"--date must be YYYY-MM-DD (got {date!r})")
    if kind == "worksheet" and example is None:
        raise UsageError("a worksheet needs a worked example (a file with 'expected' and a narrative)")
    b = _Builder(det, defs, kind)
    summary = det.case_summary
    case = det.case
    nationalities = [b.country(c) for c in (summary.get("nationalities") or [])]
    view: dict[str, Any] = {
        "kind": kind,
        "public": b.public,
        "date": date,
        "date_text": date_text(date),
        "case": {
            "pseudonym": summary["pseudonym"],
            "case_ref": None if b.public else summary.get("case_ref"),
            "assessment_date": summary.get("assessment_date"),
            "assessment_date_text": date_text(summary.get("assessment_date")),
            "host_state": b.country(summary.get("host_state")),
            "current_country": b.country(summary.get("current_country")),
            "nationalities": nationalities,
            "stateless": summary.get("nationalities") == [],
        },
        "example": _example(example),
    }
    view["headline"] = b.headline()
    view["legal_test"] = b.legal_test()
    view["obligations"] = b.obligations()
    view["treaties"] = b.treaties()
    view["framings"] = b.framings()
    relied: list[CriterionResult] = [r for cid in list(view["headline"]) + [o["id"] for o in view["obligations"]] for r in b.subtree(cid)]
    view["facts"] = b.facts_of(relied)
    evidence: dict[str, dict[str, Any]] = {}
    for r in sorted(relied, key=lambda r: r.id):
        for ev in r.evidence:
            if ev.kind == "practice" and ev.id not in evidence:
                evidence[ev.id] = b.evidence(ev) | {"relied_on": False}
            if ev.kind == "practice" and r.status is Status.met:
                evidence[ev.id]["relied_on"] = True
    view["country_information"] = sorted(evidence.values(), key=lambda e: (e["date"] or "", e["id"]))
    view["recorded_harms"] = bool(case and case.feared_harms)
    decisive = {p for cid in list(_HEADLINE) + [o["id"] for o in view["obligations"]] if cid in det.results for p in det.results[cid].missing_facts}
    decisive |= {p for f in det.framings.values() for p in f.missing_facts}
    view["open_questions"] = _open_questions(view["legal_test"], view["obligations"], view["framings"], decisive)
    view["person"] = None if b.public else _person(b)
    view["gaps"] = [] if b.public else _gaps(b, set(_HEADLINE) | {o["id"] for o in view["obligations"]})
    view["expected_mismatches"] = _mismatches(det, example)
    view["stale_after_years"] = det.stale_after_years
    view["bibliography"] = b.bib.finish()
    ground = det.results.get("convention_ground")
    view["grounds"] = [b.value_text("feared_harms[].grounds[].ground", g) for g in (ground.grounds or [])] if ground else []
    view["summary"] = _summary(view)
    view["recommendations"] = _recommendations(view)
    view["counter_arguments"] = [] if b.public else _counter_arguments(view, case)
    return view

