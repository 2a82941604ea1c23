"""What fact paths exist in the case model, and what values each may take.

The definitions loader uses this to reject a rule that tests a fact that does
not exist, or compares it with a value it can never have (``is: torure``).
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

from pydantic import BaseModel

from .facts import Case

__all__ = ["FieldType", "field_type", "fields_of", "leaf_paths"]


@dataclass(frozen=True, slots=True)
class FieldType:
    """``kind`` is one of bool, int, str, date, enum, model, list."""

    kind: str
    enum_values: frozenset[str] = frozenset()
    model: type[BaseModel] | None = None
    item: FieldType | None = None

    def accepts(self, value: Any) -> bool:
        if self.kind == "list":
            return self.item is not None and self.item.accepts(value)
        if self.kind == "bool":
            return isinstance(value, bool)
        if self.kind == "int":
            return isinstance(value, int) and not isinstance(value, bool)
        if self.kind == "enum":
            return isinstance(value, str) and value in self.enum_values
        if self.kind == "str":
            return isinstance(value, str)
        if self.kind == "date":
            return isinstance(value, dt.date)
        return False

    def describe(self) -> str:
        if self.kind == "enum":
            return "one of " + ", ".join(sorted(self.enum_values))
        if self.kind == "list" and self.item:
            return "a list of " + self.item.describe()
        return self.kind


def _strip_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _strip_optional(args[0])
    if origin is typing.Annotated:
        return _strip_optional(typing.get_args(annotation)[0])
    return annotation


def _type_of(annotation: Any) -> FieldType:
    ann = _strip_optional(annotation)
    origin = typing.get_origin(ann)
    if origin is list:
        return FieldType("list", item=_type_of(typing.get_args(ann)[0]))
    if isinstance(ann, type):
        if issubclass(ann, bool):
            return FieldType("bool")
        if issubclass(ann, Enum):
            return FieldType("enum", enum_values=frozenset(str(m.value) for m in ann))
        if issubclass(ann, int):
            return FieldType("int")
        if issubclass(ann, str):
            return FieldType("str")
        if issubclass(ann, dt.date):
            return FieldType("date")
        if issubclass(ann, BaseModel):
            return FieldType("model", model=ann)
    return FieldType("str")


@cache
def fields_of(model: type[BaseModel]) -> dict[str, FieldType]:
    return {name: _type_of(f.annotation) for name, f in model.model_fields.items()}


def field_type(path: str, model: type[BaseModel] = Case, through_lists: bool = False) -> FieldType | None:
    """The type at a dotted path such as ``profile.pregnant``; None if no such fact.

    With ``through_lists`` a path may continue into the records of a list
    (``feared_harms.kind``), as the facts catalog's ``feared_harms[].kind`` does.
    """
    current: type[BaseModel] | None = model
    ftype: FieldType | None = None
    for part in path.split("."):
        if current is None:
            return None
        ftype = fields_of(current).get(part)
        if ftype is None:
            return None
        if ftype.kind == "model":
            current = ftype.model
        elif through_lists and ftype.kind == "list" and ftype.item is not None and ftype.item.kind == "model":
            current = ftype.item.model
        else:
            current = None
    return ftype


def leaf_paths(model: type[BaseModel] = Case, prefix: str = "") -> list[str]:
    """Every fact a caseworker can record: ``person.sex``, ``feared_harms[].kind`` …"""
    out: list[str] = []
    for name, ftype in fields_of(model).items():
        path = prefix + name
        if ftype.kind == "model" and ftype.model is not None:
            out.extend(leaf_paths(ftype.model, path + "."))
        elif ftype.kind == "list" and ftype.item is not None and ftype.item.model is not None:
            out.append(path)
            out.extend(leaf_paths(ftype.item.model, path + "[]."))
        else:
            out.append(path)
    return out
