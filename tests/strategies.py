"""Hypothesis strategies: random case files over the whole case model.

A *world* fixes a value for every fact; a case reveals only some of them. Two
cases drawn from one world where the second reveals a superset of the first's
facts let us test information monotonicity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from refstatus.facts import Case
from refstatus.schema_paths import FieldType, fields_of

COUNTRIES = ["KP", "CN", "KR", "GB", "US", "CA", "VN", "MM"]
# Required by the model (or the record is meaningless without them): never hidden.
_ALWAYS = {"pseudonym", "person", "country", "ground"}
_SKIP = {"pseudonym"}


def _scalar(ftype: FieldType) -> st.SearchStrategy[Any]:
    if ftype.kind == "bool":
        return st.booleans()
    if ftype.kind == "enum":
        return st.sampled_from(sorted(ftype.enum_values))
    if ftype.kind == "int":
        return st.integers(0, 90)
    if ftype.kind == "date":
        return st.dates(dt.date(1990, 1, 1), dt.date(2026, 12, 31))
    return st.text(alphabet="abcdefghij KLMNOP", min_size=1, max_size=12)


def _value(ftype: FieldType, name: str) -> st.SearchStrategy[Any]:
    if ftype.kind == "model" and ftype.model is not None:
        return world(ftype.model)
    if ftype.kind == "list" and ftype.item is not None:
        if ftype.item.kind == "model" and ftype.item.model is not None:
            return st.lists(world(ftype.item.model), max_size=2)
        if name == "nationalities":
            return st.lists(st.sampled_from(COUNTRIES), max_size=2, unique=True)
        return st.lists(_scalar(ftype.item), max_size=3, unique=True)
    if name in ("country", "host_state", "current_country", "former_habitual_residence"):
        return st.sampled_from(COUNTRIES)
    return _scalar(ftype)


def world(model: type[BaseModel] = Case) -> st.SearchStrategy[dict[str, Any]]:
    """Every field of ``model`` with a value (nested)."""
    parts = {name: _value(ftype, name) for name, ftype in fields_of(model).items() if name not in _SKIP}
    strategy = st.fixed_dictionaries(parts)
    if model is Case:
        strategy = strategy.map(lambda d: {**d, "person": {**d["person"], "pseudonym": "P"}})
    return strategy


def _mask(data: Any, keep: st.DrawFn) -> Any:
    """Hide facts at random (None = unknown); a hidden list or record hides everything in it."""
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            if k in _ALWAYS:
                out[k] = _mask(v, keep)
            elif keep(st.booleans()):
                out[k] = _mask(v, keep)
        return out
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return [_mask(v, keep) for v in data]
    return data


def _refine(full: Any, partial: Any, keep: st.DrawFn) -> Any:
    """Reveal more of ``full`` than ``partial`` shows: never change what ``partial`` knows."""
    if isinstance(full, dict):
        out = {}
        for k, v in full.items():
            if isinstance(partial, dict) and k in partial:
                out[k] = _refine(v, partial[k], keep)
            elif k in _ALWAYS:
                out[k] = v
            elif keep(st.booleans()):
                out[k] = _mask(v, keep)
        return out
    if isinstance(full, list) and full and isinstance(full[0], dict):
        return [_refine(f, p, keep) for f, p in zip(full, partial, strict=True)]
    return full


@st.composite
def case_pair(draw: st.DrawFn) -> tuple[Case, Case]:
    """(less_known, more_known): the second reveals a superset of the first's facts."""
    full = draw(world())
    less = _mask(full, draw)
    more = _refine(full, less, draw)
    return Case.model_validate(less), Case.model_validate(more)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    return draw(case_pair())[0]
