"""Reading YAML (and JSON, a subset of it) with line numbers and no duplicate keys.

PyYAML silently keeps the last of two equal keys; for legal data that hides a
mistake, so composition is done here by hand from the node tree, recording the
line of every key and item as a path -> line map.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from .errors import RefstatusError

__all__ = ["Lines", "Loaded", "load_yaml", "load_yaml_text", "line_for"]

Lines = dict[tuple[Any, ...], int]


class Loaded:
    """Parsed data plus the line of each path (1-based)."""

    __slots__ = ("data", "lines", "file")

    def __init__(self, data: Any, lines: Lines, file: str):
        self.data = data
        self.lines = lines
        self.file = file

    def line(self, path: tuple[Any, ...]) -> int | None:
        return line_for(self.lines, path)


def line_for(lines: Lines, path: tuple[Any, ...]) -> int | None:
    """The line of ``path`` or of its nearest recorded ancestor."""
    path = tuple(path)
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = path[:-1]


def load_yaml(path: str | Path, error: type[RefstatusError] = RefstatusError) -> Loaded:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error("file not found", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"cannot read file ({exc.__class__.__name__})", file=str(path)) from None
    return load_yaml_text(text, str(path), error)


def load_yaml_text(text: str, file: str, error: type[RefstatusError] = RefstatusError) -> Loaded:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: Lines = {}
        data = _build(loader, node, (), lines, file, error, set()) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"not valid YAML or JSON: {problem}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise error(f"not valid YAML or JSON: {exc}", file=file) from None
    finally:
        loader.dispose()
    return Loaded(data, lines, file)


def _build(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: tuple[Any, ...],
    lines: Lines,
    file: str,
    error: type[RefstatusError],
    seen: set[int],
) -> Any:
    # A node met twice is an alias (*name): refused, so that a small file cannot
    # expand into a huge one, and so every value has one line of its own.
    if isinstance(node, yaml.CollectionNode):
        if id(node) in seen:
            raise error("YAML aliases (*name) are not supported; write the value out", file=file, line=node.start_mark.line + 1, field=_dotted(path) or None)
        seen.add(id(node))
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, Hashable):
                raise error("a mapping key must be a plain value", file=file, line=key_node.start_mark.line + 1)
            if key in out:
                raise error(
                    f"duplicate key {key!r} (first at line {lines[path + (key,)]})",
                    file=file,
                    line=key_node.start_mark.line + 1,
                    field=_dotted(path + (key,)),
                )
            lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _build(loader, value_node, path + (key,), lines, file, error, seen)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, path + (i,), lines, file, error, seen) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted
