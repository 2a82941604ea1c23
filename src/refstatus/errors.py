"""The library's own exceptions: one root, a few kinds, each able to say where.

Every error the user can cause renders as one line,
``FILE:LINE: FIELD: message``, which the CLI prints before exiting with status 2.
"""

from __future__ import annotations

__all__ = [
    "CaseFileError",
    "DefinitionError",
    "RefstatusError",
    "RenderError",
    "UsageError",
]


class RefstatusError(Exception):
    """Root of every error refstatus raises on purpose."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        elif self.line:
            where = f"line {self.line}: "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class CaseFileError(RefstatusError):
    """A case file (or worked example) is malformed or invalid."""


class DefinitionError(RefstatusError):
    """A definitions file is malformed, inconsistent or cites what does not resolve."""


class RenderError(RefstatusError):
    """A brief could not be rendered (bad template, unknown kind or format)."""


class UsageError(RefstatusError):
    """The caller asked for something that does not exist (unknown id, option)."""
