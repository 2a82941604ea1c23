import shutil
from pathlib import Path

import pytest

import refstatus
from refstatus.cli import main
from refstatus.errors import DefinitionError

from conftest import MINI


def copy_mini(tmp_path: Path) -> Path:
    d = tmp_path / "defs"
    shutil.copytree(MINI, d)
    return d


def add_criteria(d: Path, text: str) -> Path:
    p = d / "criteria" / "extra.yaml"
    p.write_text(text, encoding="utf-8")
    return p


CRIT = """criteria:
  - id: {id}
    title: T
    statement: S
    sources: [{{source: treaty, art: "1"}}]
    test: {test}
"""


def load(d: Path) -> refstatus.Definitions:
    return refstatus.load_definitions(d, builtin=False)


def test_mini_loads(mini: refstatus.Definitions) -> None:
    assert list(mini.criteria) == ["fears", "risk", "protected", "either", "bound", "outside"]
    assert mini.criteria["protected"].children == ("fears", "risk")


@pytest.mark.parametrize(
    "test, message, line",
    [
        ("{criterion: nowhere}", "dangling reference: no criterion 'nowhere'", 6),
        ("{fact: profile.pregnnat, is: true}", "unknown fact 'profile.pregnnat'; did you mean 'profile.pregnant'?", 6),
        ("{fact: person.sex, is: woman}", "'woman' is not a possible value", 6),
        ("{fact: fears_return, is: true, in: [true]}", "exactly one operator", 6),
        ("{host_state_bound: geneva}", "unknown instrument", 6),
        ("{field: kind, is: torture}", "'field' is only allowed inside", 6),
    ],
)
def test_bad_expression_names_file_and_line(tmp_path: Path, test: str, message: str, line: int) -> None:
    d = copy_mini(tmp_path)
    p = add_criteria(d, CRIT.format(id="bad", test=test))
    with pytest.raises(DefinitionError) as info:
        load(d)
    assert info.value.file == str(p)
    assert info.value.line == line
    assert message in str(info.value)


def test_cycle_is_reported_with_its_path(tmp_path: Path) -> None:
    d = copy_mini(tmp_path)
    add_criteria(d, CRIT.format(id="a", test="{criterion: b}") + CRIT.format(id="b", test="{criterion: a}").replace("criteria:\n", ""))
    with pytest.raises(DefinitionError, match=r"cycle: a -> b -> a"):
        load(d)


@pytest.mark.parametrize(
    "citation, message",
    [
        ("{source: nosuch}", "unresolvable citation: no source 'nosuch'"),
        ('{source: treaty, art: "9"}', "unresolvable citation: 'treaty' has no article 9"),
        ('{source: manual, para: "51"}', "unresolvable citation: 'manual' has paragraphs 1-50 only"),
        ('{source: manual, art: "1"}', "is cited by paragraph"),
    ],
)
def test_unresolvable_citation(tmp_path: Path, citation: str, message: str) -> None:
    d = copy_mini(tmp_path)
    p = add_criteria(d, CRIT.format(id="c", test="{fact: fears_return, is: true}").replace('[{source: treaty, art: "1"}]', f"[{citation}]"))
    with pytest.raises(DefinitionError) as info:
        load(d)
    assert message in str(info.value)
    assert (info.value.file, info.value.line) == (str(p), 5)


def test_missing_sources_is_an_error(tmp_path: Path) -> None:
    d = copy_mini(tmp_path)
    add_criteria(d, CRIT.format(id="c", test="{fact: fears_return, is: true}").replace('[{source: treaty, art: "1"}]', "[]"))
    with pytest.raises(DefinitionError, match="must cite at least one source"):
        load(d)


def test_duplicate_yaml_key_in_definitions(tmp_path: Path) -> None:
    d = copy_mini(tmp_path)
    p = add_criteria(d, CRIT.format(id="c", test="{fact: fears_return, is: true}").replace("    title: T\n", "    title: T\n    title: U\n"))
    with pytest.raises(DefinitionError) as info:
        load(d)
    assert (info.value.file, info.value.line) == (str(p), 4)
    assert "duplicate key 'title'" in str(info.value)


def test_unknown_key_suggests(tmp_path: Path) -> None:
    d = copy_mini(tmp_path)
    add_criteria(d, CRIT.format(id="c", test="{fact: fears_return, is: true}").replace("statement:", "statment:"))
    with pytest.raises(DefinitionError, match="did you mean 'statement'"):
        load(d)


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    d = copy_mini(tmp_path)
    add_criteria(d, CRIT.format(id="fears", test="{fact: fears_return, is: false}"))
    with pytest.raises(DefinitionError, match="duplicate id 'fears'"):
        load(d)


def test_organisation_directory_overrides_by_id(tmp_path: Path) -> None:
    org = tmp_path / "org"
    (org / "criteria").mkdir(parents=True)
    (org / "criteria" / "local.yaml").write_text(
        CRIT.format(id="fears", test="{fact: fears_return, is: false}") + CRIT.format(id="extra", test="{criterion: fears}").replace("criteria:\n", ""),
        encoding="utf-8",
    )
    defs = refstatus.load_definitions(MINI, org, builtin=False)
    assert list(defs.criteria)[-1] == "extra"
    case = refstatus.Case.model_validate({"person": {"pseudonym": "A"}, "fears_return": False})
    assert refstatus.evaluate(case, defs).results["fears"].status == "met"


def test_definitions_are_loaded_once() -> None:
    assert refstatus.load_definitions(MINI, builtin=False) is refstatus.load_definitions(MINI, builtin=False)


def test_cli_check_fails_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = copy_mini(tmp_path)
    p = add_criteria(d, CRIT.format(id="bad", test="{criterion: nowhere}"))
    assert main(["check", "--standalone", str(d)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"refstatus: error: {p}:6: criteria[0].test.criterion: dangling reference: no criterion 'nowhere'"


def test_cli_check_passes_on_mini(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--standalone", str(MINI)]) == 0
    assert capsys.readouterr().out.startswith("OK: 6 criteria")


def test_state_file_rules(tmp_path: Path) -> None:
    d = copy_mini(tmp_path)
    (d / "states" / "HS.yaml").write_text(
        "state: HS\nname: H\ninstruments:\n  - {instrument: cat, status: signed, in_force: 2000-01-01, sources: [{source: treaty, art: '1'}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError, match="does not bind; remove in_force") as info:
        load(d)
    assert info.value.line == 4
