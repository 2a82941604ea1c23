"""Validating and compiling ``definitions/`` into :mod:`refstatus.definitions` data.

The files are checked as a whole (unknown keys, duplicate keys, unknown facts,
impossible values, dangling references, cycles, citations that do not
resolve) and expressions are compiled into the frozen nodes of
:mod:`refstatus.rules`. Every error names its file and line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .definitions import (
    _ID,
    BINDING_STATUSES,
    INSTRUMENTS,
    STATUSES,
    Citation,
    Claim,
    Country,
    Criterion,
    Definitions,
    Exception_,
    FactWording,
    HarmTest,
    InstrumentStatus,
    Practice,
    Source,
    StateRecord,
    VerifyItem,
    fact_label,
)
from .errors import DefinitionError
from .facts import FearedHarm
from .rules import (
    FACT_OPS,
    OPS,
    All,
    AnyOf,
    FactTest,
    FieldTest,
    HarmTestRef,
    HostBound,
    Node,
    Not,
    Ref,
    Some,
    getter,
)
from .schema_paths import FieldType, field_type, fields_of, leaf_paths
from .yamlio import Loaded, dotted, load_yaml

__all__ = ["Builder"]


def _inline(title: str) -> str:
    """'The person fears return' -> 'the person fears return'; 'Art. 33 …' stays as it is."""
    first = title.split(" ", 1)[0]
    if first in ("Art.", "Arts.") or first.isupper() or (len(first) > 1 and not first[1:].islower()):
        return title
    return title[:1].lower() + title[1:]


class _Raw:
    """One item as read from YAML, with where it came from."""

    __slots__ = ("data", "loaded", "path")

    def __init__(self, data: Any, loaded: Loaded, path: tuple[Any, ...]):
        self.data = data
        self.loaded = loaded
        self.path = path

    def err(self, message: str, *sub: Any) -> DefinitionError:
        path = self.path + sub
        return DefinitionError(message, file=self.loaded.file, line=self.loaded.line(path), field=dotted(path) or None)


def _check_keys(raw: _Raw, data: Any, sub: tuple[Any, ...], required: Iterable[str], optional: Iterable[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise raw.err("expected a mapping", *sub)
    req, opt = set(required), set(optional)
    for key in data:
        if key not in req and key not in opt:
            guess = difflib.get_close_matches(str(key), sorted(req | opt), n=1, cutoff=0.6)
            hint = f"; did you mean '{guess[0]}'?" if guess else ""
            raise raw.err(f"unknown key{hint}", *sub, key)
    for key in sorted(req):
        if key not in data:
            raise raw.err(f"missing required key '{key}'", *sub)
    return data


def _text(raw: _Raw, data: dict[str, Any], key: str, sub: tuple[Any, ...], required: bool = True) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise raw.err(f"missing required key '{key}'", *sub)
        return None
    if not isinstance(value, str) or not value.strip():
        raise raw.err("expected non-empty text", *sub, key)
    return " ".join(value.split())


def _date(raw: _Raw, value: Any, *sub: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    raise raw.err("expected a date (YYYY-MM-DD)", *sub)


def _bool(raw: _Raw, value: Any, *sub: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise raw.err("expected true or false", *sub)
    return value


class Builder:
    def __init__(self, dirs: tuple[str, ...]):
        self.dirs = dirs
        self.sources_raw: dict[str, _Raw] = {}
        self.criteria_raw: dict[str, _Raw] = {}
        self.harm_tests_raw: dict[str, _Raw] = {}
        self.countries_raw: dict[str, _Raw] = {}
        self.states_raw: dict[str, _Raw] = {}
        self.claims_raw: dict[str, _Raw] = {}
        self.framing_titles: dict[str, str] = {}
        self.facts_raw: dict[str, _Raw] = {}
        self.settings: dict[str, Any] = {}
        self.sources: dict[str, Source] = {}
        self.criteria: dict[str, Criterion] = {}
        self.harm_tests: dict[str, HarmTest] = {}
        self.verify: list[VerifyItem] = []

    # -- reading files: later directories override earlier ones by id --

    def build(self) -> Definitions:
        for d in self.dirs:
            self._read_dir(Path(d))
        self._compile_sources()
        facts = self._compile_facts()
        self.facts = facts
        self._compile_harm_tests()
        self._compile_criteria()
        self._check_cycles()
        countries = self._compile_countries()
        states = self._compile_states()
        claims = self._compile_claims()
        return Definitions(
            sources=self.sources,
            criteria=self.criteria,
            harm_tests=self.harm_tests,
            countries=countries,
            states=states,
            claims=claims,
            facts=facts,
            stale_after_years=int(self.settings.get("stale_after_years", 10)),
            verify_items=tuple(self.verify),
            directories=self.dirs,
        )

    def _read_dir(self, d: Path) -> None:
        if not d.is_dir():
            raise DefinitionError("definitions directory not found", file=str(d))
        for name, target in (("sources.yaml", "sources"), ("facts.yaml", "facts"), ("settings.yaml", "settings")):
            p = d / name
            if p.is_file():
                loaded = load_yaml(p, DefinitionError)
                self._read_top(loaded, target)
        for p in sorted((d / "criteria").glob("*.yaml")) if (d / "criteria").is_dir() else []:
            self._read_top(load_yaml(p, DefinitionError), "criteria")
        for sub, target in (("countries", "country"), ("states", "state"), ("framings", "framing")):
            folder = d / sub
            if folder.is_dir():
                for p in sorted(folder.glob("*.yaml")):
                    self._read_top(load_yaml(p, DefinitionError), target)

    def _read_top(self, loaded: Loaded, target: str) -> None:
        top = _Raw(loaded.data, loaded, ())
        data = loaded.data
        if data is None:
            return
        if target == "sources":
            _check_keys(top, data, (), ["sources"], [])
            entries = data["sources"]
            if not isinstance(entries, dict):
                raise top.err("expected a mapping of source ids", "sources")
            for sid, entry in entries.items():
                self.sources_raw[str(sid)] = _Raw(entry, loaded, ("sources", sid))
        elif target == "facts":
            _check_keys(top, data, (), ["facts"], [])
            if not isinstance(data["facts"], dict):
                raise top.err("expected a mapping of fact paths", "facts")
            for path, entry in data["facts"].items():
                self.facts_raw[str(path)] = _Raw(entry, loaded, ("facts", path))
        elif target == "settings":
            _check_keys(top, data, (), [], ["stale_after_years"])
            years = data.get("stale_after_years")
            if years is not None and (not isinstance(years, int) or years < 1):
                raise top.err("expected a whole number of years", "stale_after_years")
            self.settings.update(data)
        elif target == "criteria":
            _check_keys(top, data, (), [], ["criteria", "harm_tests"])
            for key, store in (("criteria", self.criteria_raw), ("harm_tests", self.harm_tests_raw)):
                items = data.get(key) or []
                if not isinstance(items, list):
                    raise top.err("expected a list", key)
                for i, entry in enumerate(items):
                    raw = _Raw(entry, loaded, (key, i))
                    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                        raise raw.err("each entry needs an 'id'")
                    cid = entry["id"]
                    if not _ID.match(cid):
                        raise raw.err("ids are lower_snake_case", "id")
                    prev = store.get(cid)
                    if prev is not None and prev.loaded.file != loaded.file and self._same_dir(prev.loaded.file, loaded.file):
                        raise raw.err(f"duplicate id '{cid}' (also in {prev.loaded.file}:{prev.loaded.line(prev.path)})", "id")
                    if prev is not None and prev.loaded.file == loaded.file:
                        raise raw.err(f"duplicate id '{cid}' (first at line {prev.loaded.line(prev.path)})", "id")
                    store[cid] = raw
        elif target == "country":
            _check_keys(top, data, (), ["country", "name", "practices"], ["note"])
            self.countries_raw[str(data["country"])] = top
        elif target == "state":
            _check_keys(top, data, (), ["state", "name", "instruments"], ["note"])
            self.states_raw[str(data["state"])] = top
        elif target == "framing":
            _check_keys(top, data, (), ["framing", "title", "claims"], ["note"])
            if not isinstance(data["claims"], list):
                raise top.err("expected a list", "claims")
            self.framing_titles[str(data["framing"])] = str(data["title"])
            for i, entry in enumerate(data["claims"]):
                raw = _Raw(entry, loaded, ("claims", i))
                if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                    raise raw.err("each claim needs an 'id'")
                raw.data = dict(entry, _framing=str(data["framing"]))
                self.claims_raw[entry["id"]] = raw

    def _same_dir(self, a: str, b: str) -> bool:
        def root(f: str) -> str | None:
            for d in self.dirs:
                if Path(f).is_relative_to(d):
                    return d
            return None

        return root(a) == root(b)

    # -- sources and citations --

    def _compile_sources(self) -> None:
        for sid, raw in self.sources_raw.items():
            d = _check_keys(
                raw,
                raw.data,
                (),
                ["short", "citation", "authority", "cites_by"],
                ["articles", "paragraphs", "date", "url", "verify", "note"],
            )
            if not _ID.match(sid):
                raise raw.err("source ids are lower_snake_case")
            if d["authority"] not in ("binding", "guidance", "evidence"):
                raise raw.err("authority must be binding, guidance or evidence", "authority")
            if d["cites_by"] not in ("article", "paragraph", "whole"):
                raise raw.err("cites_by must be article, paragraph or whole", "cites_by")
            articles: tuple[str, ...] = ()
            paragraphs = None
            if d["cites_by"] == "article":
                arts = d.get("articles")
                if not isinstance(arts, list) or not arts:
                    raise raw.err("a source cited by article lists its articles", "articles")
                articles = tuple(str(a) for a in arts)
            if d["cites_by"] == "paragraph":
                ps = d.get("paragraphs")
                if not (isinstance(ps, list) and len(ps) == 2 and all(isinstance(x, int) for x in ps) and ps[0] <= ps[1]):
                    raise raw.err("a source cited by paragraph gives its range as [first, last]", "paragraphs")
                paragraphs = (ps[0], ps[1])
            verify = _bool(raw, d.get("verify"), "verify")
            self.sources[sid] = Source(
                id=sid,
                short=_text(raw, d, "short", ()) or sid,
                citation=_text(raw, d, "citation", ()) or sid,
                authority=d["authority"],
                cites_by=d["cites_by"],
                articles=articles,
                paragraphs=paragraphs,
                date=_date(raw, d.get("date"), "date"),
                url=d.get("url"),
                verify=verify,
                note=d.get("note"),
                file=raw.loaded.file,
                line=raw.loaded.line(raw.path),
            )
            if verify:
                self._flag("source", sid, raw, d.get("note"))

    def _flag(self, kind: str, id_: str, raw: _Raw, note: Any, *sub: Any) -> None:
        self.verify.append(VerifyItem(kind, id_, raw.loaded.file, raw.loaded.line(raw.path + sub), note if isinstance(note, str) else None))

    def citations(self, raw: _Raw, value: Any, *sub: Any, required: bool = True) -> tuple[Citation, ...]:
        if value is None or value == []:
            if required:
                raise raw.err("every item must cite at least one source", *sub)
            return ()
        if not isinstance(value, list):
            raise raw.err("expected a list of citations", *sub)
        out = []
        for i, c in enumerate(value):
            here = sub + (i,)
            d = _check_keys(raw, c, here, ["source"], ["art", "para", "verify", "note"])
            sid = d["source"]
            src = self.sources.get(sid)
            if src is None:
                guess = difflib.get_close_matches(str(sid), list(self.sources), n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                raise raw.err(f"unresolvable citation: no source '{sid}' in sources.yaml{hint}", *here, "source")
            pin = self._pinpoint(raw, src, d, here)
            verify = _bool(raw, d.get("verify"), *here, "verify")
            if verify:
                self._flag("citation", f"{sid} {pin or ''}".strip(), raw, d.get("note"), *here)
            text = src.short + (f", {pin}" if pin else "")
            out.append(Citation(sid, pin, text, src.authority, verify or src.verify, d.get("note")))
        return tuple(out)

    def _pinpoint(self, raw: _Raw, src: Source, d: dict[str, Any], here: tuple[Any, ...]) -> str | None:
        art, para = d.get("art"), d.get("para")
        if src.cites_by == "article":
            if para is not None or art is None:
                raise raw.err(f"'{src.id}' is cited by article: give art", *here)
            art = str(art)
            head = re.match(r"^([0-9]+|[IVXLC]+)", art)
            if not head or head.group(1) not in src.articles:
                raise raw.err(f"unresolvable citation: '{src.id}' has no article {art}", *here, "art")
            return f"Art. {art}"
        if src.cites_by == "paragraph":
            if art is not None:
                raise raw.err(f"'{src.id}' is cited by paragraph: give para, not art", *here)
            if para is None:
                return None  # the document as a whole; criteria must also cite a pinpoint
            m = re.match(r"^(\d+)(?:\s*[-–]\s*(\d+))?$", str(para))
            assert src.paragraphs is not None
            lo, hi = src.paragraphs
            if not m:
                raise raw.err("para must be a number or a range like 94-96", *here, "para")
            a, b = int(m.group(1)), int(m.group(2) or m.group(1))
            if not (lo <= a <= b <= hi):
                raise raw.err(f"unresolvable citation: '{src.id}' has paragraphs {lo}-{hi} only", *here, "para")
            return f"para. {a}" if a == b else f"paras. {a}–{b}"
        if art is not None or para is not None:
            raise raw.err(f"'{src.id}' is cited as a whole: no art or para", *here)
        return None

    # -- facts catalog --

    def _compile_facts(self) -> dict[str, FactWording]:
        known = set(leaf_paths())
        out: dict[str, FactWording] = {}
        for path, raw in self.facts_raw.items():
            if path not in known:
                guess = difflib.get_close_matches(path, sorted(known), n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                raise raw.err(f"unknown fact '{path}'{hint}")
            d = _check_keys(raw, raw.data, (), ["label"], ["question", "help", "sensitive", "choices"])
            choices = d.get("choices") or {}
            ftype = _catalog_type(path)
            if choices:
                allowed = ftype.enum_values if ftype.kind == "enum" else (ftype.item.enum_values if ftype.item else frozenset())
                for value in choices:
                    if value not in allowed:
                        raise raw.err(f"'{value}' is not a value of this fact", "choices", value)
            out[path] = FactWording(
                path=path,
                label=_text(raw, d, "label", ()) or path,
                question=_text(raw, d, "question", (), required=False),
                help=_text(raw, d, "help", (), required=False),
                sensitive=_bool(raw, d.get("sensitive"), "sensitive"),
                choices={str(k): str(v) for k, v in choices.items()},
            )
        return out

    def label(self, path: str) -> str:
        return fact_label(self.facts, path)

    # -- expressions --

    def expr(self, raw: _Raw, e: Any, sub: tuple[Any, ...], scope: FieldType | None, refs: list[str]) -> Node:
        """Compile one expression; ``scope`` is the item type inside ``some … where``."""
        if not isinstance(e, dict) or not e:
            raise raw.err("expected an expression (all, any, not, criterion, fact, some, field, harm_test, host_state_bound)", *sub)
        keys = set(e)
        if "all" in keys or "any" in keys:
            op = "all" if "all" in keys else "any"
            _check_keys(raw, e, sub, [op], [])
            items = e[op]
            if not isinstance(items, list) or not items:
                raise raw.err(f"'{op}' takes a non-empty list", *sub, op)
            children = tuple(self.expr(raw, x, sub + (op, i), scope, refs) for i, x in enumerate(items))
            return All(children) if op == "all" else AnyOf(children)
        if "not" in keys:
            _check_keys(raw, e, sub, ["not"], [])
            return Not(self.expr(raw, e["not"], sub + ("not",), scope, refs))
        if "criterion" in keys:
            _check_keys(raw, e, sub, ["criterion"], [])
            cid = e["criterion"]
            if cid not in self.criteria_raw:
                guess = difflib.get_close_matches(str(cid), list(self.criteria_raw), n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                raise raw.err(f"dangling reference: no criterion '{cid}'{hint}", *sub, "criterion")
            refs.append(cid)
            return Ref(cid)
        if "host_state_bound" in keys:
            _check_keys(raw, e, sub, ["host_state_bound"], [])
            inst = e["host_state_bound"]
            if inst not in INSTRUMENTS:
                raise raw.err(f"unknown instrument; expected one of {', '.join(INSTRUMENTS)}", *sub, "host_state_bound")
            return HostBound(inst)
        if "harm_test" in keys:
            _check_keys(raw, e, sub, ["harm_test"], [])
            hid = e["harm_test"]
            if scope is None or scope.model is not FearedHarm:
                raise raw.err("harm_test is only allowed inside 'some: feared_harms'", *sub)
            if hid not in self.harm_tests_raw:
                raise raw.err(f"dangling reference: no harm test '{hid}'", *sub, "harm_test")
            title = str(self.harm_tests_raw[hid].data.get("title", hid))
            return HarmTestRef(hid, title, lambda hid=hid: self.harm_tests[hid].where)
        if "some" in keys:
            _check_keys(raw, e, sub, ["some", "where"], [])
            path = e["some"]
            if scope is not None:
                ftype = fields_of(scope.model).get(path) if scope.model else None  # type: ignore[arg-type]
            else:
                ftype = field_type(str(path))
            if ftype is None or ftype.kind != "list" or ftype.item is None or ftype.item.kind != "model":
                raise raw.err(f"'some' needs a list of records; '{path}' is not one", *sub, "some")
            label = self.label(str(path)) if scope is None else str(path).replace("_", " ")
            where = self.expr(raw, e["where"], sub + ("where",), ftype.item, refs)
            return Some(str(path), label, where, scope is not None, getter(str(path)))
        if "fact" in keys or "field" in keys:
            kind = "fact" if "fact" in keys else "field"
            ops = [k for k in keys if k != kind]
            if len(ops) != 1 or ops[0] not in FACT_OPS:
                raise raw.err(f"a {kind} test takes exactly one operator: {', '.join(FACT_OPS)}", *sub)
            op = ops[0]
            path = str(e[kind])
            if kind == "fact":
                ftype = field_type(path)
                if ftype is None:
                    guess = difflib.get_close_matches(path, leaf_paths(), n=1)
                    hint = f"; did you mean '{guess[0]}'?" if guess else ""
                    raise raw.err(f"unknown fact '{path}'{hint}", *sub, "fact")
            else:
                if scope is None or scope.model is None:
                    raise raw.err("'field' is only allowed inside 'some … where'", *sub)
                ftype = fields_of(scope.model).get(path)
                if ftype is None:
                    guess = difflib.get_close_matches(path, list(fields_of(scope.model)), n=1)
                    hint = f"; did you mean '{guess[0]}'?" if guess else ""
                    raise raw.err(f"unknown field '{path}' of {scope.model.__name__}{hint}", *sub, "field")
            operand = self._operand(raw, e[op], op, ftype, sub + (op,))
            if kind == "field":
                assert scope is not None and scope.model is not None
                label = self.label(_item_catalog_path(scope.model, path))
                return FieldTest(path, label, OPS[op], operand)
            if op in ("equals_fact", "in_fact"):
                other = str(e[op])
                otype = field_type(other)
                if otype is None:
                    raise raw.err(f"unknown fact '{other}'", *sub, op)
                if op == "in_fact" and otype.kind != "list":
                    raise raw.err(f"'{other}' is not a list", *sub, op)
                fn = OPS["is"] if op == "equals_fact" else OPS["in"]
                return FactTest(path, self.label(path), fn, None, getter(path), other, getter(other), self.label(other))
            return FactTest(path, self.label(path), OPS[op], operand, getter(path))
        raise raw.err(f"unknown expression key(s): {', '.join(sorted(map(str, keys)))}", *sub)

    def _operand(self, raw: _Raw, value: Any, op: str, ftype: FieldType, sub: tuple[Any, ...]) -> Any:
        if op in ("equals_fact", "in_fact"):
            return None
        if op == "empty":
            if ftype.kind != "list" or not isinstance(value, bool):
                raise raw.err("'empty' takes true or false and applies to a list", *sub)
            return value
        if op in ("at_least", "at_most"):
            if ftype.kind != "int" or not isinstance(value, int):
                raise raw.err(f"'{op}' takes a number and applies to a numeric fact", *sub)
            return value
        if op in ("contains", "contains_any"):
            if ftype.kind != "list" or ftype.item is None:
                raise raw.err(f"'{op}' applies to a list", *sub)
            values = value if op == "contains_any" else [value]
            if not isinstance(values, list) or not values:
                raise raw.err("expected a list of values", *sub)
            for v in values:
                if not ftype.item.accepts(v):
                    raise raw.err(f"{v!r} can never be in this list ({ftype.item.describe()})", *sub)
            return tuple(values) if op == "contains_any" else value
        values = value if op == "in" else [value]
        if not isinstance(values, list) or not values:
            raise raw.err("'in' takes a list of values", *sub)
        for v in values:
            if not ftype.accepts(v):
                raise raw.err(f"{v!r} is not a possible value ({ftype.describe()})", *sub)
        return frozenset(values) if op == "in" else value

    # -- criteria --

    def _compile_harm_tests(self) -> None:
        scope = FieldType("model", model=FearedHarm)
        for hid, raw in self.harm_tests_raw.items():
            d = _check_keys(raw, raw.data, (), ["id", "title", "statement", "sources", "where"], ["verify", "note"])
            refs: list[str] = []
            where = self.expr(raw, d["where"], ("where",), scope, refs)
            if refs:
                raise raw.err("a harm test may not refer to criteria", "where")
            self.harm_tests[hid] = HarmTest(
                hid,
                _text(raw, d, "title", ()) or hid,
                _text(raw, d, "statement", ()) or "",
                self.citations(raw, d["sources"], "sources"),
                where,
                raw.loaded.file,
                raw.loaded.line(raw.path),
            )
            if _bool(raw, d.get("verify"), "verify"):
                self._flag("harm_test", hid, raw, d.get("note"))

    def _compile_criteria(self) -> None:
        for cid, raw in self.criteria_raw.items():
            d = _check_keys(
                raw,
                raw.data,
                (),
                ["id", "title", "statement", "sources", "test"],
                ["unless", "report_met_as", "tag", "verify", "note"],
            )
            refs: list[str] = []
            test = self.expr(raw, d["test"], ("test",), None, refs)
            unless = []
            for i, u in enumerate(d.get("unless") or []):
                ud = _check_keys(raw, u, ("unless", i), ["label", "when", "because"], ["sources"])
                when = self.expr(raw, ud["when"], ("unless", i, "when"), None, refs)
                unless.append(
                    Exception_(
                        _text(raw, ud, "label", ("unless", i)) or "",
                        _text(raw, ud, "because", ("unless", i)) or "",
                        when,
                        self.citations(raw, ud.get("sources"), "unless", i, "sources", required=False),
                    )
                )
            verify = _bool(raw, d.get("verify"), "verify")
            if verify:
                self._flag("criterion", cid, raw, d.get("note"))
            sources = self.citations(raw, d["sources"], "sources")
            if not any(c.pinpoint for c in sources):
                raise raw.err("a criterion must cite at least one source to the article or paragraph", "sources")
            self.criteria[cid] = Criterion(
                id=cid,
                title=_text(raw, d, "title", ()) or cid,
                statement=_text(raw, d, "statement", ()) or "",
                sources=sources,
                test=test,
                unless=tuple(unless),
                children=tuple(dict.fromkeys(refs)),
                report_met_as=d.get("report_met_as"),
                tag=d.get("tag"),
                verify=verify,
                note=d.get("note"),
                file=raw.loaded.file,
                line=raw.loaded.line(raw.path),
                inline_title=_inline(_text(raw, d, "title", ()) or cid),
            )

    def _check_cycles(self) -> None:
        state: dict[str, int] = {}

        def visit(cid: str, stack: list[str]) -> None:
            mark = state.get(cid, 0)
            if mark == 2:
                return
            if mark == 1:
                loop = stack[stack.index(cid):] + [cid]
                raw = self.criteria_raw[cid]
                raise raw.err("cycle: " + " -> ".join(loop), "id")
            state[cid] = 1
            for child in self.criteria[cid].children:
                visit(child, stack + [cid])
            state[cid] = 2

        for cid in self.criteria:
            visit(cid, [])

    # -- countries, states, framings --

    def _compile_countries(self) -> dict[str, Country]:
        out = {}
        for code, raw in self.countries_raw.items():
            d = raw.data
            if not re.match(r"^[A-Z]{2}$", code):
                raise raw.err("country must be an ISO 3166 alpha-2 code", "country")
            if Path(raw.loaded.file).stem != code:
                raise raw.err(f"file name must be {code}.yaml", "country")
            practices = []
            if not isinstance(d["practices"], list):
                raise raw.err("expected a list", "practices")
            for i, p in enumerate(d["practices"]):
                sub = ("practices", i)
                pd = _check_keys(raw, p, sub, ["id", "title", "statement", "date", "sources", "harm"], ["applies_when", "verify", "note"])
                refs: list[str] = []
                applies = self.expr(raw, pd["applies_when"], sub + ("applies_when",), None, refs) if "applies_when" in pd else None
                if refs:
                    raise raw.err("applies_when may test facts only, not criteria", *sub, "applies_when")
                harm_data = pd["harm"]
                if not isinstance(harm_data, dict) or "evidence" in harm_data or "country" in harm_data:
                    raise raw.err("harm takes the fields of a feared harm, without evidence or country", *sub, "harm")
                try:
                    harm = FearedHarm.model_validate(harm_data)
                except ValidationError as exc:
                    first = exc.errors()[0]
                    raise raw.err(first["msg"], *sub, "harm", *first["loc"]) from None
                harm = harm.model_copy(update={"country": code})
                verify = _bool(raw, pd.get("verify"), *sub, "verify")
                if verify:
                    self._flag("practice", pd["id"], raw, pd.get("note"), *sub)
                date = _date(raw, pd["date"], *sub, "date")
                assert date is not None
                practices.append(
                    Practice(
                        id=str(pd["id"]),
                        country=code,
                        title=_text(raw, pd, "title", sub) or "",
                        statement=_text(raw, pd, "statement", sub) or "",
                        date=date,
                        sources=self.citations(raw, pd["sources"], *sub, "sources"),
                        verify=verify,
                        applies_when=applies,
                        harm=harm,
                        note=pd.get("note"),
                    )
                )
            out[code] = Country(code, str(d["name"]), tuple(practices), raw.loaded.file)
        return out

    def _compile_states(self) -> dict[str, StateRecord]:
        out = {}
        for code, raw in self.states_raw.items():
            d = raw.data
            if Path(raw.loaded.file).stem != code:
                raise raw.err(f"file name must be {code}.yaml", "state")
            instruments: dict[str, InstrumentStatus] = {}
            if not isinstance(d["instruments"], list):
                raise raw.err("expected a list", "instruments")
            for i, entry in enumerate(d["instruments"]):
                sub = ("instruments", i)
                ed = _check_keys(raw, entry, sub, ["instrument", "status", "sources"], ["date", "in_force", "verify", "note"])
                inst, status = ed["instrument"], ed["status"]
                if inst not in INSTRUMENTS:
                    raise raw.err(f"unknown instrument; expected one of {', '.join(INSTRUMENTS)}", *sub, "instrument")
                if inst in instruments:
                    raise raw.err(f"'{inst}' listed twice", *sub, "instrument")
                if status not in STATUSES:
                    raise raw.err(f"status must be one of {', '.join(STATUSES)}", *sub, "status")
                in_force = _date(raw, ed.get("in_force"), *sub, "in_force")
                if status in BINDING_STATUSES and in_force is None:
                    raise raw.err("a binding status needs in_force", *sub)
                if status not in BINDING_STATUSES and in_force is not None:
                    raise raw.err(f"'{status}' does not bind; remove in_force", *sub, "in_force")
                verify = _bool(raw, ed.get("verify"), *sub, "verify")
                if verify:
                    self._flag("treaty_status", f"{code} {inst}", raw, ed.get("note"), *sub)
                instruments[inst] = InstrumentStatus(
                    inst,
                    status,
                    _date(raw, ed.get("date"), *sub, "date"),
                    in_force,
                    self.citations(raw, ed["sources"], *sub, "sources"),
                    verify,
                    ed.get("note"),
                )
            out[code] = StateRecord(code, str(d["name"]), instruments, raw.loaded.file)
        return out

    def _compile_claims(self) -> dict[str, Claim]:
        out = {}
        for cid, raw in self.claims_raw.items():
            d = _check_keys(
                raw,
                raw.data,
                (),
                ["id", "claim", "attributed_to", "sources", "tested_by", "holds_when", "legal_answers", "_framing"],
                ["date", "verify", "note", "applies_when", "scope"],
            )
            if ("applies_when" in d) != ("scope" in d):
                raise raw.err("applies_when and scope go together: the condition and its wording")
            tested = d["tested_by"]
            if not isinstance(tested, list) or not tested:
                raise raw.err("tested_by lists the criteria that test the claim", "tested_by")
            for i, t in enumerate(tested):
                if t not in self.criteria:
                    raise raw.err(f"dangling reference: no criterion '{t}'", "tested_by", i)
            refs: list[str] = []
            holds = self.expr(raw, d["holds_when"], ("holds_when",), None, refs)
            applies = self.expr(raw, d["applies_when"], ("applies_when",), None, refs) if "applies_when" in d else None
            answers = []
            for i, a in enumerate(d["legal_answers"] or []):
                ad = _check_keys(raw, a, ("legal_answers", i), ["text", "sources"], ["verify", "note"])
                if _bool(raw, ad.get("verify"), "legal_answers", i, "verify"):
                    self._flag("legal_answer", f"{cid}[{i}]", raw, ad.get("note"), "legal_answers", i)
                answers.append((_text(raw, ad, "text", ("legal_answers", i)) or "", self.citations(raw, ad["sources"], "legal_answers", i, "sources")))
            verify = _bool(raw, d.get("verify"), "verify")
            if verify:
                self._flag("claim", cid, raw, d.get("note"))
            out[cid] = Claim(
                id=cid,
                framing=d["_framing"],
                claim=_text(raw, d, "claim", ()) or "",
                attributed_to=_text(raw, d, "attributed_to", ()) or "",
                date=_date(raw, d.get("date"), "date"),
                sources=self.citations(raw, d["sources"], "sources"),
                tested_by=tuple(tested),
                holds_when=holds,
                applies_when=applies,
                scope=_text(raw, d, "scope", (), required=False),
                legal_answers=tuple(answers),
                verify=verify,
                note=d.get("note"),
            )
        return out


def _catalog_type(path: str) -> FieldType:
    ftype = field_type(path.replace("[]", ""), through_lists=True)
    assert ftype is not None
    return ftype


def _item_catalog_path(model: type, field_name: str) -> str:
    # Feared harms first: their wording is the one reasons about risk on return need.
    paths = sorted(leaf_paths(), key=lambda p: not p.startswith("feared_harms"))
    for path in paths:
        if path.endswith("[]." + field_name):
            parent = path[: -len(field_name) - 1].replace("[]", "").rstrip(".")
            ftype = field_type(parent, through_lists=True)
            if ftype is not None and ftype.item is not None and ftype.item.model is model:
                return path
    return field_name
