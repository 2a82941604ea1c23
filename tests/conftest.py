from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import refstatus
from refstatus.definitions import Definitions

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="session")
def mini() -> Definitions:
    """A tiny fictional body of law that exercises every construct of the rule language."""
    return refstatus.load_definitions(MINI, builtin=False)


def make_case(**fields: Any) -> refstatus.Case:
    data: dict[str, Any] = {"person": {"pseudonym": "P"}}
    data.update(fields)
    return refstatus.Case.model_validate(data)
