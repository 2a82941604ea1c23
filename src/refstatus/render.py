"""Rendering briefs: the view, through sandboxed Jinja2 templates, to Markdown, HTML or JSON.

Markdown comes from ``templates/<kind>.md.j2``; HTML is that Markdown converted
by markdown-it-py (raw HTML off, links and images off, tables on) and wrapped
in ``templates/page.html.j2``; JSON is the view itself.  An organisation's
templates directory overrides the shipped templates file by file; every
template runs in Jinja2's sandbox with ``StrictUndefined``.
"""

from __future__ import annotations

import json
import re
import traceback
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment
from markdown_it import MarkdownIt
from markupsafe import Markup

from .cases import WorkedExample
from .definitions import Definitions, load_definitions
from .errors import RenderError, UsageError
from .resources import builtin_templates_dir
from .result import Determination
from .view import KINDS, build_view

__all__ = ["FORMATS", "KINDS", "md_escape", "render"]

FORMATS = ("md", "html", "json")

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_BLOCK_START = re.compile(r"^([#>+=-])")
_ORDERED_START = re.compile(r"^(\d+)([.)])")


def md_escape(value: Any) -> str:
    """Text made inert in Markdown: one line, no emphasis, links, HTML, tables or block syntax."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _BLOCK_START.sub(r"\\\1", text)
    return _ORDERED_START.sub(r"\1\\\2", text)


def _lcfirst(value: Any) -> str:
    text = str(value)
    if len(text) > 1 and text[1].isupper():  # an acronym ("ICCPR …") keeps its case
        return text
    return text[:1].lower() + text[1:]


def _ucfirst(value: Any) -> str:
    text = str(value)
    return text[:1].upper() + text[1:]


def _tidy(markdown: str) -> str:
    """Layout only: no trailing spaces, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in markdown.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


# ------------------------------------------------------------ templates ----


def _autoescape(name: str | None) -> bool:
    return bool(name and name.endswith(".html.j2"))


@lru_cache(maxsize=16)
def _environment(templates_dir: str | None) -> SandboxedEnvironment:
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(templates_dir))
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates_dir())))
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    env.filters["lcfirst"] = _lcfirst
    env.filters["ucfirst"] = _ucfirst
    return env


def _where(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line a runtime error came from (Jinja maps frames to templates)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            return frame.filename, frame.lineno
    return None, None


def _render_template(env: SandboxedEnvironment, name: str, context: dict[str, Any]) -> str:
    try:
        template = env.get_template(name)
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template syntax error: {exc.message}", file=exc.filename or exc.name or name, line=exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template not found: {exc.name}") from None
    except jinja2.exceptions.SecurityError as exc:
        file, line = _where(exc)
        raise RenderError(f"template tried an unsafe operation: {exc}", file=file or name, line=line) from None
    except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
        file, line = _where(exc)
        raise RenderError(f"template error: {exc.__class__.__name__}: {exc}", file=file or name, line=line) from None


# ------------------------------------------------------------ markdown -> html ----


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.disable(["link", "image", "autolink", "reference", "html_inline", "html_block"])
    md.validateLink = lambda url: False  # type: ignore[method-assign]  # no link of any kind, whatever a template writes
    return md


def _to_html(markdown: str) -> tuple[str, str]:
    """The HTML body and the text of its first heading (for the page title)."""
    md = _markdown()
    tokens = md.parse(markdown)
    title = ""
    for i, tok in enumerate(tokens):
        if tok.type == "th_open":
            tok.attrSet("scope", "col")
        if not title and tok.type == "heading_open" and i + 1 < len(tokens):
            title = tokens[i + 1].content
    return md.renderer.render(tokens, md.options, {}), title


def _plain(md_text: str) -> str:
    """A Markdown heading as plain text (undo the escaping of the ``md`` filter)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md_text)


# ------------------------------------------------------------ public API ----


def render(
    determination: Determination,
    *,
    kind: str,
    format: str,
    definitions: Definitions | None = None,
    example: WorkedExample | None = None,
    date: str | None = None,
    templates_dir: str | Path | None = None,
) -> str:
    """Render a brief: ``kind`` advocacy | memo | worksheet, ``format`` md | html | json.

    ``date`` (YYYY-MM-DD) is printed only when given; ``templates_dir`` overrides
    the shipped templates file by file.  Same inputs, same bytes.
    """
    if kind not in KINDS:
        raise UsageError(f"unknown kind '{kind}'; expected one of {', '.join(KINDS)}")
    if format not in FORMATS:
        raise UsageError(f"unknown format '{format}'; expected one of {', '.join(FORMATS)}")
    if templates_dir is not None and not Path(templates_dir).is_dir():
        raise RenderError("templates directory not found", file=str(templates_dir))
    defs = definitions or load_definitions()
    view = build_view(determination, defs, kind, example=example, date=date)
    if format == "json":
        return json.dumps(view, indent=2, ensure_ascii=False) + "\n"
    env = _environment(str(Path(templates_dir).resolve()) if templates_dir is not None else None)
    markdown = _tidy(_render_template(env, f"{kind}.md.j2", dict(view, view=view)))
    if format == "md":
        return markdown
    body, title = _to_html(markdown)
    page = {"view": view, "kind": kind, "body": Markup(body), "title": _plain(title), "confidential": kind == "memo"}
    return _render_template(env, "page.html.j2", page)

