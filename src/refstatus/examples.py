"""Worked examples: discovery, consistency checks and comparison with the engine."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .cases import WorkedExample, load_worked_example
from .definitions import Definitions, builtin_definitions_dir
from .errors import CaseFileError
from .evaluator import evaluate
from .schema_paths import leaf_paths

__all__ = ["builtin_examples", "check_examples", "compare", "example_paths"]


def example_paths(directory: Path | None = None) -> list[Path]:
    """The worked-example files of a definitions directory (the shipped one by default)."""
    d = directory or builtin_definitions_dir() / "worked-examples"
    return sorted(d.glob("*.yaml"))


def builtin_examples() -> list[WorkedExample]:
    return [load_worked_example(p) for p in example_paths()]


def check_examples(defs: Definitions, directories: Iterable[Path]) -> int:
    """Validate every worked example: the case, and expected ids that exist. Returns the count."""
    known_facts = {p.replace("[]", "") for p in leaf_paths()}
    n = 0
    seen: dict[str, Path] = {}
    for d in directories:
        for path in example_paths(d):
            ex = load_worked_example(path)
            if path.stem != ex.id:
                raise CaseFileError(f"the file name must match the id '{ex.id}'", file=str(path), field="id")
            if ex.id in seen and seen[ex.id].parent == path.parent:
                raise CaseFileError(f"duplicate worked-example id (also {seen[ex.id]})", file=str(path), field="id")
            seen[ex.id] = path
            for cid in ex.expected.results:
                if cid not in defs.criteria:
                    raise CaseFileError(f"no criterion '{cid}'", file=str(path), field=f"expected.results.{cid}")
            for fid in ex.expected.framings:
                if fid not in defs.claims:
                    raise CaseFileError(f"no framing claim '{fid}'", file=str(path), field=f"expected.framings.{fid}")
            for cid, facts in ex.expected.missing_facts.items():
                for fact in facts:
                    bare = "".join(ch for ch in fact if not ch.isdigit()).replace("[]", "")
                    if bare not in known_facts and not fact.startswith("countries/"):
                        raise CaseFileError(f"no fact '{fact}'", file=str(path), field=f"expected.missing_facts.{cid}")
            n += 1
    return n


def compare(example: WorkedExample, defs: Definitions | None = None) -> list[str]:
    """Differences between an example's expected results and the engine's (empty = agrees)."""
    det = evaluate(example.case, defs)
    out = []
    exp = example.expected
    for cid, status in exp.results.items():
        got = det.results[cid].status
        if got != status:
            out.append(f"{cid}: expected {status.value}, got {got.value} — {det.results[cid].reason}")
    for fid, verdict in exp.framings.items():
        got_v = det.framings[fid].status
        if got_v != verdict:
            out.append(f"framing {fid}: expected {verdict.value}, got {got_v.value} — {det.framings[fid].reason}")
    for cid, facts in exp.missing_facts.items():
        got_m = set(det.results[cid].missing_facts)
        if set(facts) != got_m:
            out.append(f"{cid} missing facts: expected {sorted(facts)}, got {sorted(got_m)}")
    for key, cid in (("grounds", "convention_ground"), ("exclusion_clauses", "exclusion"), ("cessation_clauses", "cessation")):
        want = getattr(exp, key)
        if want is not None:
            got_l = det.results[cid].extra.get("grounds" if key == "grounds" else "clauses")
            if sorted(want) != sorted(got_l or []):
                out.append(f"{key}: expected {sorted(want)}, got {sorted(got_l or [])}")
    return out
