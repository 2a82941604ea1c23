"""Where the shipped definitions and templates are.

Inside an installed wheel they are package data (found through
``importlib.resources``); in a source checkout (``PYTHONPATH=src``, or an
editable install) they are the repository's top-level folders.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["builtin_definitions_dir", "builtin_templates_dir"]


def _shipped(name: str) -> Path:
    packaged = resources.files("refstatus") / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / name


def builtin_definitions_dir() -> Path:
    return _shipped("definitions")


def builtin_templates_dir() -> Path:
    return _shipped("templates")
