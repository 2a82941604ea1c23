"""Training: the terminal quiz and its scoring, and the offline HTML training pack."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import refstatus
from refstatus.cli import cli, main
from refstatus.errors import UsageError
from refstatus.facts import identifying_paths
from refstatus.training import load_examples, mark, parse_choice, quiz_items, write_pack

DEFS = refstatus.load_definitions()
EXAMPLES = load_examples(DEFS)
EXAMPLE = "nk-food-sur-place"


def law(example_id: str) -> dict[str, str]:
    """The engine's answers for one example: item id -> status."""
    ex = load_examples(DEFS, example_id)[0]
    return {i.id: i.correct for i in quiz_items(refstatus.evaluate(ex.case, DEFS))}


# ---------------------------------------------------------------- quiz ----


def test_quiz_covers_every_stable_id_and_each_china_claim() -> None:
    ex = load_examples(DEFS, EXAMPLE)[0]
    det = refstatus.evaluate(ex.case, DEFS)
    items = quiz_items(det)
    assert [i.id for i in items if i.kind == "element"] == list(refstatus.STABLE_IDS)
    assert {i.id for i in items if i.kind == "claim"} == {f.id for f in det.framings.values() if f.framing == "china"}
    for i in items:
        source = det.results[i.id] if i.kind == "element" else det.framings[i.id]
        assert i.correct == source.status.value and i.reason == source.reason
        assert i.title


def test_scoring() -> None:
    ex = load_examples(DEFS, EXAMPLE)[0]
    items = quiz_items(refstatus.evaluate(ex.case, DEFS))
    right = {i.id: i.correct for i in items}
    assert mark(items, right).score == len(items)
    one_wrong = dict(right, nexus="undetermined" if right["nexus"] != "undetermined" else "met")
    result = mark(items, one_wrong)
    assert result.score == len(items) - 1
    assert [m.item.id for m in result.marks if not m.right] == ["nexus"]
    missing = {k: v for k, v in right.items() if k != "refugee"}
    assert mark(items, missing).score == len(items) - 1  # an unanswered item counts as wrong
    garbled = dict(right, refugee="perhaps")
    assert mark(items, garbled).score == len(items) - 1


@pytest.mark.parametrize(
    ("raw", "want"),
    [("met", "met"), ("M", "met"), ("not met", "not_met"), ("not-met", "not_met"), ("n", "not_met"), ("2", "not_met"), ("u", "undetermined"), ("3", "undetermined"), ("yes", None), ("4", None)],
)
def test_parse_choice_for_elements(raw: str, want: str | None) -> None:
    item = next(i for i in quiz_items(refstatus.evaluate(EXAMPLES[0].case, DEFS)) if i.kind == "element")
    assert parse_choice(item, raw) == want


def test_parse_choice_for_claims() -> None:
    item = next(i for i in quiz_items(refstatus.evaluate(EXAMPLES[0].case, DEFS)) if i.kind == "claim")
    assert [parse_choice(item, x) for x in ("holds", "h", "fails", "F", "2", "undetermined", "met")] == ["holds", "holds", "fails", "fails", "fails", "undetermined", None]


def test_train_from_an_answers_file_shows_the_law_for_wrong_answers(tmp_path: Path) -> None:
    answers = law(EXAMPLE)
    wrong = "met" if answers["nexus"] != "met" else "not_met"
    answers["nexus"] = wrong
    del answers["no_politicisation"]
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(answers), encoding="utf-8")
    res = CliRunner().invoke(cli, ["train", "--example", EXAMPLE, "--answers", str(path)])
    assert res.exit_code == 0, res.output
    det = refstatus.evaluate(load_examples(DEFS, EXAMPLE)[0].case, DEFS)
    total = len(refstatus.STABLE_IDS) + len(det.framings)
    assert f"Score: {total - 2}/{total}" in res.output
    assert f"x nexus: you said {wrong.replace('_', ' ')}; the answer is {det['nexus'].status.words}." in res.output
    assert det["nexus"].reason in res.output
    assert "Sources: " + "; ".join(c.text for c in det["nexus"].sources)[:40] in res.output
    assert "x no_politicisation: you said no answer" in res.output
    assert "x refugee" not in res.output  # right answers are not explained again
    assert "Ms Ri" in res.output  # the narrative was shown
    assert "Teaching note:" in res.output


def test_train_nested_answers_for_several_examples_from_stdin() -> None:
    first, second = EXAMPLES[0].id, EXAMPLES[1].id
    answers = {first: {"results": {k: v for k, v in law(first).items() if k in refstatus.STABLE_IDS}, "framings": {k: v for k, v in law(first).items() if k not in refstatus.STABLE_IDS}}}
    res = CliRunner().invoke(cli, ["train", "--answers", "-"], input=yaml.safe_dump(answers))
    assert res.exit_code == 0, res.output
    n = len(quiz_items(refstatus.evaluate(EXAMPLES[0].case, DEFS)))
    assert f"== {EXAMPLES[0].title} ({first}) ==" in res.output and f"({second}) ==" in res.output
    assert f"Score: {n}/{n}" in res.output
    assert "Score: 0/" in res.output  # the second example had no answers
    assert "Overall score:" in res.output


def test_train_interactively() -> None:
    answers = law(EXAMPLE)
    ex = load_examples(DEFS, EXAMPLE)[0]
    order = [i.id for i in quiz_items(refstatus.evaluate(ex.case, DEFS))]
    words = {"met": "m", "not_met": "n", "undetermined": "u", "holds": "h", "fails": "f"}
    typed = ["maybe"] + [words[answers[i]] for i in order]  # one unreadable answer is asked again
    res = CliRunner().invoke(cli, ["train", "--example", EXAMPLE], input="\n".join(typed) + "\n")
    assert res.exit_code == 0, res.output
    assert "Please choose one of the numbers or words shown." in res.output
    assert f"Score: {len(order)}/{len(order)}" in res.output


def test_unknown_example_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "--example", "no-such-example", "--answers", "-"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no worked example 'no-such-example'" in err


# ------------------------------------------------------------ the pack ----


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack")
    res = CliRunner().invoke(cli, ["training-pack", "-o", str(out), "--force"])
    assert res.exit_code == 0, res.output
    return out


def test_pack_files(pack: Path) -> None:
    names = {p.name for p in pack.iterdir()}
    assert {"index.html", "style.css", "print.html"} <= names
    for ex in EXAMPLES:
        assert f"{ex.id}.html" in names and f"{ex.id}-key.html" in names
    assert len(names) == 3 + 2 * len(EXAMPLES)
    index = (pack / "index.html").read_text(encoding="utf-8")
    for ex in EXAMPLES:
        assert f'href="{ex.id}.html"' in index and f'href="{ex.id}-key.html"' in index
    key = (pack / f"{EXAMPLE}-key.html").read_text(encoding="utf-8")
    assert "Answer key" in key or "answer key" in key
    page = (pack / f"{EXAMPLE}.html").read_text(encoding="utf-8")
    assert 'id="reveal"' in page and "<script>" in page


def test_pages_share_one_relative_stylesheet_and_fetch_nothing(pack: Path) -> None:
    for page in pack.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert html.count('<link rel="stylesheet" href="style.css">') == 1, page.name
        assert "<style" not in html and "style=" not in html, page.name
        urls = re.findall(r"""\b(?:src|href|action|srcset|data)\s*=\s*["']?([^"'\s>]+)""", html, re.I)
        assert not [u for u in urls if re.match(r"(?i)(https?:)?//", u)], page.name
        assert not re.search(r"<(script|img|iframe|link|object|embed)[^>]+\b(src|href)=[\"']?(https?:)?//", html, re.I), page.name
        assert "@import" not in html and "url(" not in html
        assert "default-src 'none'" in html  # the page's policy forbids any other fetch
        local = [u for u in urls if not u.startswith("#")]
        for u in local:
            assert (pack / u.split("#")[0]).is_file(), f"{page.name} links to a missing {u}"
    css = (pack / "style.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css


def test_no_identifying_fields_in_the_pack(pack: Path) -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in pack.iterdir())
    for ex in EXAMPLES:
        public = " ".join([ex.title, ex.summary, ex.narrative, ex.teaching_note])
        for value in identifying_values(ex.case):
            if value not in public:  # what the example's author chose to tell in the story is public
                assert value not in text, f"{ex.id}: identifying value {value!r} appears in the pack"


def identifying_values(case: refstatus.Case) -> list[str]:
    hidden = identifying_paths()
    out: list[str] = []

    def walk(obj: Any, key: str) -> None:
        if obj is None:
            return
        if key in hidden:
            values = obj if isinstance(obj, list) else [obj]
            out.extend(str(v) for v in values if len(str(v)) >= 4)
            return
        if hasattr(type(obj), "model_fields"):
            for name in type(obj).model_fields:
                walk(getattr(obj, name), f"{key}.{name}" if key else name)
        elif isinstance(obj, list):
            for item in obj:
                walk(item, key)

    walk(case, "")
    return out


def test_pack_escapes_case_text_and_hides_identifying_fields(tmp_path: Path) -> None:
    org = tmp_path / "org"
    (org / "worked-examples").mkdir(parents=True)
    example = {
        "id": "zz-escape",
        "title": "A <b>bold</b> title & more",
        "summary": "Summary with <script>alert('x')</script>",
        "narrative": "She said <img src=https://example.org/x.png> and \"left\".\n\nSecond paragraph.",
        "teaching_note": "Note <i>here</i>.",
        "case": {
            "person": {"pseudonym": "Ms <Z>", "full_name": "Secret Fullname-Zq", "date_of_birth": "1990-01-02", "contact_details": "+00 12345 Zq"},
            "nationalities": ["KP"],
            "current_country": "CN",
            "host_state": "CN",
            "notes": "Private note Zq-7",
            "feared_harms": [{"kind": "torture", "evidence": "Evidence naming Zq-witness"}],
        },
        "expected": {"results": {}},
    }
    (org / "worked-examples" / "zz-escape.yaml").write_text(yaml.safe_dump(example), encoding="utf-8")
    defs = refstatus.load_definitions(org)
    out = tmp_path / "pack"
    write_pack(defs, out)
    text = "\n".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    for secret in ("Secret Fullname-Zq", "1990-01-02", "12345 Zq", "Private note Zq-7", "Zq-witness"):
        assert secret not in text
    page = (out / "zz-escape.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<img" not in page and "&lt;img src=https://example.org/x.png&gt;" in page
    assert "A &lt;b&gt;bold&lt;/b&gt; title &amp; more" in page
    assert "Ms &lt;Z&gt;" in page


def test_pack_is_deterministic_and_needs_force_to_overwrite(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write_pack(DEFS, a)
    write_pack(DEFS, b)
    assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
    for p in a.iterdir():
        assert p.read_bytes() == (b / p.name).read_bytes(), p.name
    with pytest.raises(UsageError, match="not empty"):
        write_pack(DEFS, a)
    assert main(["training-pack", "-o", str(a)]) == 2
    write_pack(DEFS, a, force=True)


def test_printable_version_holds_every_worksheet(pack: Path) -> None:
    printable = (pack / "print.html").read_text(encoding="utf-8")
    assert printable.count('<article class="worksheet"') == len(EXAMPLES)
    css = (pack / "style.css").read_text(encoding="utf-8")
    assert "@media print" in css and "break-after: page" in css
