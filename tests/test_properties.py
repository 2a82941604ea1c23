"""Properties of the evaluator over the shipped law, on generated cases."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import refstatus
from refstatus import Status

from strategies import case_pair, cases

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(case_pair())
def test_information_monotonicity(pair: tuple[refstatus.Case, refstatus.Case]) -> None:
    """A met or not_met result never changes when unknown facts are filled in."""
    less, more = pair
    a, b = refstatus.evaluate(less), refstatus.evaluate(more)
    for cid, r in a.results.items():
        if r.status is not Status.undetermined:
            assert b.results[cid].status is r.status, (cid, r.reason, b.results[cid].reason)
    for fid, f in a.framings.items():
        if f.status.value != "undetermined":
            assert b.framings[fid].status is f.status, fid


@SETTINGS
@given(case_pair())
def test_missing_facts_are_unknown_in_the_case(pair: tuple[refstatus.Case, refstatus.Case]) -> None:
    """Only undetermined results list missing facts, and only facts still unknown."""
    less, _ = pair
    det = refstatus.evaluate(less)
    for r in det.results.values():
        if r.status is not Status.undetermined:
            assert r.missing_facts == ()
        for path in r.missing_facts:
            assert not path.startswith("person.full_name")


def _shuffled(case: refstatus.Case, rnd: random.Random) -> refstatus.Case:
    data = case.model_dump(mode="python", exclude_none=True)

    def shuffle(obj: object) -> object:
        if isinstance(obj, dict):
            return {k: shuffle(v) for k, v in obj.items()}
        if isinstance(obj, list):
            items = [shuffle(v) for v in obj]
            rnd.shuffle(items)
            return items
        return obj

    return refstatus.Case.model_validate(shuffle(data))


@SETTINGS
@given(cases(), st.randoms(use_true_random=False))
def test_list_order_never_changes_a_result(case: refstatus.Case, rnd: random.Random) -> None:
    a, b = refstatus.evaluate(case), refstatus.evaluate(_shuffled(case, rnd))
    assert {k: r.status for k, r in a.results.items()} == {k: r.status for k, r in b.results.items()}
    assert {k: f.status for k, f in a.framings.items()} == {k: f.status for k, f in b.framings.items()}


def _without_grounds(case: refstatus.Case) -> refstatus.Case:
    data = case.model_dump(mode="python", exclude_none=True)
    for harm in data.get("feared_harms", []):
        harm["grounds"] = []
    data.setdefault("protection", {})["withheld_for_grounds"] = []
    return refstatus.Case.model_validate(data)


@SETTINGS
@given(cases())
def test_no_convention_ground_never_has_nexus(case: refstatus.Case) -> None:
    """With no ground on any recorded harm (and none from country information), nexus is never met."""
    stripped = _without_grounds(case)
    # Country information can supply grounds; take nationalities without it.
    stripped = stripped.model_copy(update={"nationalities": ["VN"], "former_habitual_residence": None})
    det = refstatus.evaluate(stripped)
    assert det.results["nexus"].status is not Status.met
    assert det.results["convention_ground"].status is not Status.met
    assert det.results["refugee"].status is not Status.met


@SETTINGS
@given(cases())
def test_excluded_is_never_a_refugee(case: refstatus.Case) -> None:
    det = refstatus.evaluate(case)
    if det.results["exclusion"].status is Status.met or det.results["cessation"].status is Status.met:
        assert det.results["refugee"].status is Status.not_met


@SETTINGS
@given(cases())
def test_economic_migrant_and_refugee_exclude_each_other(case: refstatus.Case) -> None:
    """The label never holds for someone with a well-founded fear for a Convention reason."""
    det = refstatus.evaluate(case)
    if det.results["refugee"].status is Status.met:
        assert det.results["economic_migrant"].status is Status.not_met
