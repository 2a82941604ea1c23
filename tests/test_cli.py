import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import refstatus
from refstatus.cli import main
from refstatus.examples import example_paths

EXAMPLE = next(iter(example_paths()), None)
needs_example = pytest.mark.skipif(EXAMPLE is None, reason="no worked examples shipped yet")


@needs_example
def test_evaluate_json_prints_every_stable_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--format", "json", str(EXAMPLE)]) == 0
    data = json.loads(capsys.readouterr().out)
    for cid in refstatus.STABLE_IDS:
        assert data["results"][cid]["status"] in ("met", "not_met", "undetermined")
    assert "grounds" in data["results"]["convention_ground"]
    assert "clauses" in data["results"]["exclusion"]


@needs_example
def test_evaluate_text_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Case: ")
    assert "<refugee>" in out and "Sources: " in out


@needs_example
def test_unknown_key_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert EXAMPLE is not None
    text = EXAMPLE.read_text(encoding="utf-8").replace("\ncase:\n", "\ncase:\n  fears_retrun: true\n", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  fears_retrun: true") + 1
    assert main(["evaluate", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"refstatus: error: {bad}:{line}: case.fears_retrun: unknown field; did you mean 'fears_return'?\n"


def test_missing_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(tmp_path / "nope.yaml")]) == 2
    err = capsys.readouterr().err
    assert "nope.yaml: file not found" in err and "Traceback" not in err


def test_malformed_yaml_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("person: {pseudonym: A\n", encoding="utf-8")
    assert main(["evaluate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{bad}:" in err


def test_debug_shows_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--debug", "evaluate", str(tmp_path / "nope.yaml")]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "refstatus case file"
    assert schema["additionalProperties"] is False


def test_check_passes_on_shipped_definitions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--verify-report"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: ")
    assert "verify " in out


def test_bad_option_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--format", "xml", "x.yaml"]) == 2
    assert "Traceback" not in capsys.readouterr().err


@needs_example
def test_python_dash_m_from_another_directory(tmp_path: Path) -> None:
    """The installed package finds its own definitions wherever it runs from."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    src = Path(refstatus.__file__).resolve().parents[1]
    env["PYTHONPATH"] = str(src)
    proc = subprocess.run(
        [sys.executable, "-m", "refstatus", "evaluate", "--format", "json", str(EXAMPLE)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["results"]["refugee"]["status"]


@needs_example
def test_console_script_if_installed(tmp_path: Path) -> None:
    # The script installed beside this interpreter (a venv's bin/), else one on PATH.
    beside = Path(sys.executable).parent / "refstatus"
    exe = str(beside) if beside.is_file() else shutil.which("refstatus")
    if exe is None:
        pytest.skip("the refstatus console script is not installed (run `make test`)")
    proc = subprocess.run([exe, "evaluate", "--format", "json", str(EXAMPLE)], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
