"""Worked examples are regression tests: each must agree with the engine.

Every file in definitions/worked-examples is loaded, evaluated and compared
with its expected results. An example whose expectation states what the law
requires, where a rule is believed to give a legally wrong answer, fails here
on purpose until the rule is corrected (see the example's teaching note).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import refstatus
import refstatus.examples
from refstatus.cli import main

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "definitions" / "worked-examples"
PATHS = sorted(EXAMPLES_DIR.glob("*.yaml"))
IDS = [p.stem for p in PATHS]

# Results every example must state besides the stable ids.
EXTRA_IDS = ("non_refoulement_iccpr", "no_penalties_art31")
EXCLUDED_1FA = EXAMPLES_DIR / "excluded-1fa-cat-protected.yaml"


@pytest.fixture(scope="module")
def defs() -> refstatus.Definitions:
    return refstatus.load_definitions()


def _load(path: Path) -> refstatus.WorkedExample:
    return refstatus.load_worked_example(path)


def _words(text: str) -> int:
    return len(text.split())


def test_the_library_is_there() -> None:
    assert len(PATHS) >= 20, "at least twenty worked examples are shipped"


def test_check_validates_every_example(defs: refstatus.Definitions) -> None:
    assert refstatus.examples.check_examples(defs, [EXAMPLES_DIR]) == len(PATHS)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_example_agrees_with_the_engine(path: Path, defs: refstatus.Definitions) -> None:
    example = _load(path)
    det = refstatus.evaluate(example.case, defs)
    assert set(refstatus.STABLE_IDS) <= set(det.results)
    assert refstatus.examples.compare(example, defs) == []


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_example_states_every_result_and_every_claim(path: Path, defs: refstatus.Definitions) -> None:
    example = _load(path)
    assert path.stem == example.id
    results = example.expected.results
    missing = [cid for cid in (*refstatus.STABLE_IDS, *EXTRA_IDS) if cid not in results]
    assert missing == [], f"expected.results lacks {missing}"
    claims = [cid for cid in defs.claims if cid not in example.expected.framings]
    assert claims == [], f"expected.framings lacks {claims}"
    if results["refugee"] == "undetermined":
        assert "refugee" in example.expected.missing_facts
        assert len(example.expected.missing_facts) >= 2, "name the deciding facts for refugee and at least one other result"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_example_is_a_teachable_composite(path: Path) -> None:
    example = _load(path)
    assert example.composite is True
    assert example.title.strip() and example.summary.strip() and "\n" not in example.summary
    assert 150 <= _words(example.narrative) <= 300, f"narrative has {_words(example.narrative)} words"
    assert 150 <= _words(example.teaching_note) <= 400, f"teaching note has {_words(example.teaching_note)} words"
    person = example.case.person
    assert "pseudonym" in person.pseudonym.lower() or "composite" in person.pseudonym.lower()
    assert person.full_name and person.date_of_birth, "give confidentiality tests something to hide"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_narrative_hides_identifying_details(path: Path) -> None:
    example = _load(path)
    person = example.case.person
    public = "\n".join((example.title, example.summary, example.narrative, example.teaching_note)).lower()
    secrets = [person.full_name, person.place_of_birth, person.home_address, person.address_in_host_state, person.contact_details]
    secrets += list(person.other_names or [])
    for secret in secrets:
        if secret:
            assert secret.lower() not in public, f"identifying detail {secret!r} appears in public text"
    if person.full_name:
        for part in re.split(r"[\s-]+", person.full_name):
            if len(part) > 3:
                assert not re.search(rf"\b{re.escape(part.lower())}\b", example.narrative.lower()), part
    dob = person.date_of_birth
    if dob:
        for form in (dob.isoformat(), f"{dob.day} {dob.strftime('%B')} {dob.year}", dob.strftime("%d/%m/%Y")):
            assert form not in example.narrative


def test_cli_json_on_the_excluded_guard(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--format", "json", str(EXCLUDED_1FA)]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    results = data["results"]
    assert results["refugee"]["status"] == "not_met"
    assert results["exclusion"]["status"] == "met"
    assert "1F(a)" in results["exclusion"]["clauses"]
    assert results["non_refoulement_cat3"]["status"] == "met"
    assert results["non_refoulement_art33"]["status"] == "not_met"
    # The public output never carries the identifying fields of the case.
    person = _load(EXCLUDED_1FA).case.person
    assert person.full_name and person.full_name not in out
