import pytest

from refstatus.errors import DefinitionError, RefstatusError
from refstatus.yamlio import load_yaml_text


def test_lines_are_recorded_for_keys_and_items() -> None:
    loaded = load_yaml_text("a: 1\nb:\n  - x\n  - c: 2\n", "f.yaml")
    assert loaded.data == {"a": 1, "b": ["x", {"c": 2}]}
    assert loaded.line(("a",)) == 1
    assert loaded.line(("b", 1, "c")) == 4
    # An unrecorded path falls back to its nearest ancestor.
    assert loaded.line(("b", 1, "nope")) == 4


def test_duplicate_key_is_an_error_with_both_lines() -> None:
    with pytest.raises(DefinitionError) as info:
        load_yaml_text("x: 1\ny: 2\nx: 3\n", "dup.yaml", DefinitionError)
    err = info.value
    assert (err.file, err.line, err.field) == ("dup.yaml", 3, "x")
    assert "first at line 1" in str(err)


def test_invalid_yaml_names_file_and_line() -> None:
    with pytest.raises(RefstatusError) as info:
        load_yaml_text("a: [1, 2\nb: 3\n", "bad.yaml")
    assert str(info.value).startswith("bad.yaml:")
    assert info.value.line is not None


def test_json_is_read_with_lines() -> None:
    loaded = load_yaml_text('{\n  "person": {\n    "pseudonym": "A"\n  }\n}\n', "c.json")
    assert loaded.data == {"person": {"pseudonym": "A"}}
    assert loaded.line(("person", "pseudonym")) == 3


def test_aliases_are_refused() -> None:
    bomb = "a: &x [1, 2]\nb: [*x, *x]\n"
    with pytest.raises(RefstatusError) as info:
        load_yaml_text(bomb, "bomb.yaml")
    assert "aliases" in str(info.value) and info.value.field == "b[0]"
