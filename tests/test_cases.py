import json
from pathlib import Path

import pytest

import refstatus
from refstatus.errors import CaseFileError
from refstatus.facts import identifying_paths


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_loads_yaml_and_json(tmp_path: Path) -> None:
    y = write(tmp_path, "c.yaml", "person: {pseudonym: A}\nnationalities: [KP]\nfears_return: true\n")
    j = write(tmp_path, "c.json", json.dumps({"person": {"pseudonym": "A"}, "nationalities": ["KP"], "fears_return": True}))
    assert refstatus.load_case(y) == refstatus.load_case(j)


def test_unknown_key_names_file_line_field_and_suggests(tmp_path: Path) -> None:
    p = write(tmp_path, "c.yaml", "person:\n  pseudonym: A\nfears_retrun: true\n")
    with pytest.raises(CaseFileError) as info:
        refstatus.load_case(p)
    assert str(info.value) == f"{p}:3: fears_retrun: unknown field; did you mean 'fears_return'?"


def test_nested_error_path_and_line(tmp_path: Path) -> None:
    p = write(tmp_path, "c.yaml", "person: {pseudonym: A}\nfeared_harms:\n  - kind: torture\n    likelihood: likely\n")
    with pytest.raises(CaseFileError) as info:
        refstatus.load_case(p)
    assert info.value.line == 4
    assert info.value.field == "feared_harms[0].likelihood"


def test_every_problem_gets_its_own_line(tmp_path: Path) -> None:
    p = write(tmp_path, "c.yaml", "person: {pseudonym: A, sexx: female}\nhost_state: China\n")
    with pytest.raises(CaseFileError) as info:
        refstatus.load_case(p)
    lines = info.value.all_messages  # type: ignore[attr-defined]
    assert len(lines) == 2 and all("\n" not in line for line in lines)
    assert any("host_state" in line for line in lines)


def test_pseudonym_is_required(tmp_path: Path) -> None:
    p = write(tmp_path, "c.yaml", "person: {full_name: Someone}\n")
    with pytest.raises(CaseFileError, match="person.pseudonym: required field is missing"):
        refstatus.load_case(p)


def test_unknown_is_not_false() -> None:
    case = refstatus.Case.model_validate({"person": {"pseudonym": "A"}})
    assert case.fears_return is None and case.profile is None


def test_schema_marks_identifying_fields() -> None:
    schema = refstatus.case_schema()
    person = schema["$defs"]["Person"]["properties"]
    assert person["full_name"]["x-identifying"] is True
    assert "x-identifying" not in person["pseudonym"]
    assert {"person.full_name", "person.date_of_birth", "notes"} <= identifying_paths()


def test_worked_example_wraps_a_case(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "ex.yaml",
        "id: ex\ntitle: T\nsummary: S\nnarrative: N\nteaching_note: T\n"
        "case: {person: {pseudonym: A}}\nexpected: {results: {refugee: undetermined}}\n",
    )
    assert refstatus.load_case(p).person.pseudonym == "A"
    assert refstatus.load_worked_example(p).expected.results["refugee"] == "undetermined"


def test_not_a_mapping(tmp_path: Path) -> None:
    p = write(tmp_path, "c.yaml", "- a\n- b\n")
    with pytest.raises(CaseFileError, match="must be a mapping"):
        refstatus.load_case(p)
