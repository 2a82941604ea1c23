"""Briefs: every kind in every format, approved copies, confidentiality, safety, determinism."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import string
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import refstatus
from refstatus.cli import main
from refstatus.examples import example_paths
from refstatus.facts import Case, identifying_paths
from refstatus.render import md_escape, render
from refstatus.schema_paths import field_type
from refstatus.view import date_text

APPROVED = Path(__file__).parent / "approved"
KINDS = ("advocacy", "memo", "worksheet")
FORMATS = ("md", "html", "json")
PUBLIC = ("advocacy", "worksheet")
EXAMPLES = example_paths()
FEB_2012 = "nk-shenyang-feb-2012"
# The approved copies: the February 2012 example and two others that reach
# opposite conclusions (a refugee sur place; a genuine economic migrant).
APPROVED_COPIES = [(FEB_2012, "advocacy"), ("nk-food-sur-place", "advocacy"), ("genuine-economic-migrant", "advocacy"), ("unknown-departure-and-contacts", "memo")]


@pytest.fixture(scope="module")
def defs() -> refstatus.Definitions:
    return refstatus.load_definitions()


def _example(example_id: str) -> refstatus.WorkedExample:
    for p in EXAMPLES:
        if p.stem == example_id:
            return refstatus.load_worked_example(p)
    pytest.skip(f"worked example {example_id} is not shipped")


def _render(ex: refstatus.WorkedExample, defs: refstatus.Definitions, kind: str, fmt: str, **kw: Any) -> str:
    det = refstatus.evaluate(ex.case, defs)
    return render(det, kind=kind, format=fmt, definitions=defs, example=ex, **kw)


# ---------------------------------------------------------------- every example


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_kind_renders_in_every_format(path: Path, defs: refstatus.Definitions) -> None:
    ex = refstatus.load_worked_example(path)
    for kind in KINDS:
        md = _render(ex, defs, kind, "md")
        assert md.endswith("\n") and not md.endswith("\n\n")
        assert ex.case.person.pseudonym.split()[0] in md
        html = _render(ex, defs, kind, "html")
        _check_html(html)
        view = json.loads(_render(ex, defs, kind, "json"))
        assert view["kind"] == kind and view["public"] is (kind in PUBLIC)
        assert ("**Warning.**" in md) is bool(view["expected_mismatches"]) or kind == "advocacy"


@pytest.mark.parametrize(("example_id", "kind"), APPROVED_COPIES, ids=[f"{e}.{k}" for e, k in APPROVED_COPIES])
def test_matches_approved_copy(example_id: str, kind: str, defs: refstatus.Definitions) -> None:
    ex = _example(example_id)
    got = _render(ex, defs, kind, "md")
    approved = APPROVED / f"{example_id}.{kind}.md"
    if os.environ.get("REFSTATUS_UPDATE_APPROVED") == "1":
        APPROVED.mkdir(exist_ok=True)
        approved.write_text(got, encoding="utf-8", newline="\n")
    assert approved.is_file(), f"no approved copy: run with REFSTATUS_UPDATE_APPROVED=1 and review {approved}"
    assert got == approved.read_text(encoding="utf-8"), f"{approved} differs: review the change, then regenerate"


# ---------------------------------------------------------------- February 2012


def test_february_2012_brief_states_accession_cites_coi_and_tests_each_claim(defs: refstatus.Definitions) -> None:
    ex = _example(FEB_2012)
    md = _render(ex, defs, "advocacy", "md")
    # Accession, with its dates; never "signed" for the Refugee Convention.
    assert "The People's Republic of China acceded to the 1951 Convention on 24 September 1982" in md
    assert "it entered into force for the People's Republic of China on 23 December 1982" in md
    assert not re.search(r"signed the (1951|Refugee) Convention|signatory", md, re.I)
    # Every Commission of Inquiry pinpoint the findings rest on is cited, and listed as a source.
    det = refstatus.evaluate(ex.case, defs)
    coi = {
        c.text
        for r in det.results.values()
        if r.status is refstatus.Status.met
        for ev in r.evidence
        for c in ev.sources
        if c.source.startswith("coi_")
    }
    assert coi, "the February 2012 findings should rest on the Commission of Inquiry"
    for text in coi:
        assert md_escape(text) in md, text
    assert "A/HRC/25/CRP.1" in md and "A/HRC/25/63" in md
    # Each of China's claims is set out and given a verdict.
    for n, f in enumerate(det.framings.values(), start=1):
        assert f"### Claim {n}: " in md
        assert md_escape(f.claim) in md
        section = md.split(f"### Claim {n}: ", 1)[1]
        assert "**What the law asks.**" in section and "**Verdict.**" in section
        assert f"| {n} | {md_escape(f.claim)} |" in md
    assert "## Summary" in md and "## Recommendations" in md and "## Sources" in md


# ---------------------------------------------------------------- confidentiality

_token = st.text(alphabet=string.ascii_letters, min_size=5, max_size=10)
_name = st.tuples(_token, _token).map(lambda t: f"Qz{t[0]} Xv{t[1]}")
_place = st.tuples(_token, st.sampled_from(["-ri", " County", " Street 12", " village"])).map(lambda t: f"Wq{t[0]}{t[1]}")


def _set_path(data: dict[str, Any], parts: list[str], value: Any) -> None:
    head, rest = parts[0], parts[1:]
    if not rest:
        data[head] = value
        return
    holder = data.get(head)
    if holder is None:
        holder = [{}] if head in ("feared_harms", "past_harm", "other_nationalities") else {}
        data[head] = holder
    for item in holder if isinstance(holder, list) else [holder]:
        _set_path(item, rest, value)


def _drop_path(data: Any, parts: list[str]) -> None:
    for item in data if isinstance(data, list) else [data]:
        if not isinstance(item, dict):
            continue
        if len(parts) == 1:
            item.pop(parts[0], None)
        elif parts[0] in item:
            _drop_path(item[parts[0]], parts[1:])


@st.composite
def _identified(draw: st.DrawFn) -> tuple[refstatus.WorkedExample, Case, Case, list[str], list[dt.date]]:
    """A worked example's case with every identifying field filled at random, and the same case without them."""
    ex = refstatus.load_worked_example(draw(st.sampled_from(EXAMPLES)))
    data = ex.case.model_dump(mode="json", exclude_none=True)
    strings: list[str] = []
    dates: list[dt.date] = []
    for path in sorted(identifying_paths()):
        if path == "other_nationalities.country":
            continue
        kind = field_type(path, through_lists=True)
        if kind is not None and kind.kind == "date":
            value: Any = draw(st.dates(dt.date(1930, 1, 1), dt.date(2011, 12, 31)))
            dates.append(value)
            value = value.isoformat()
        elif kind is not None and kind.kind == "list":
            value = draw(st.lists(_name, min_size=1, max_size=2))
            strings.extend(value)
        else:
            value = draw(_place if "address" in path or "place" in path else _name)
            strings.append(value)
        _set_path(data, path.split("."), value)
    stripped = json.loads(json.dumps(data))
    for path in identifying_paths():
        _drop_path(stripped, path.split("."))
    return ex, Case.model_validate(data), Case.model_validate(stripped), strings, dates


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_identified())
def test_public_briefs_never_show_identifying_fields(sample: tuple[Any, ...]) -> None:
    ex, case, stripped, strings, dates = sample
    defs = refstatus.load_definitions()
    det, base = refstatus.evaluate(case, defs), refstatus.evaluate(stripped, defs)
    for kind in PUBLIC:
        for fmt in FORMATS:
            out = render(det, kind=kind, format=fmt, definitions=defs, example=ex)
            baseline = render(base, kind=kind, format=fmt, definitions=defs, example=ex)
            for d in dates:
                assume(d.isoformat() not in baseline and str(date_text(d)) not in baseline)
            for value in strings:
                assert value not in out, (kind, fmt, value)
            for d in dates:
                assert d.isoformat() not in out and str(date_text(d)) not in out, (kind, fmt, d)
            assert out == baseline, f"identifying fields changed the {kind} {fmt} output"
    memo = render(det, kind="memo", format="md", definitions=defs, example=ex)
    assert all(md_escape(v) in memo for v in strings if v in case.model_dump_json())


# ---------------------------------------------------------------- safety of output

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "[click](javascript:alert(1))",
    "![x](http://evil.example/x.png)",
    "<http://evil.example/auto>",
    "`code` *em* | pipe # 1. list",
)
TEXT = " ".join(PAYLOADS)


def _poisoned_case(case: Case) -> Case:
    data = case.model_dump(mode="json", exclude_none=True)
    person = data["person"]
    for key in ("pseudonym", "full_name", "place_of_birth", "home_address", "address_in_host_state", "contact_details"):
        person[key] = TEXT
    person["other_names"] = [TEXT, TEXT]
    data["case_ref"] = TEXT
    data["notes"] = TEXT
    data["feared_harms"] = [dict(h, evidence=TEXT) for h in data.get("feared_harms") or [{}]]
    data["past_harm"] = [dict(h, description=TEXT) for h in data.get("past_harm") or [{}]]
    return Case.model_validate(data)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.tables = 0
        self.th = 0
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        self.tables += tag == "table"
        self.th += tag == "th"
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


def _check_html(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    for tag, attrs in p.tags:
        assert tag not in ("script", "img", "iframe", "object", "embed", "link", "form", "base", "svg", "video", "audio"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("src", "srcset", "background", "formaction"), (tag, name)
            if name == "href":
                assert tag == "a" and "noreferrer" in (attrs.get("rel") or ""), (tag, value)
                assert not (value or "").strip().lower().startswith("javascript:")
    assert "url(" not in p.style and "@import" not in p.style
    assert p.headings and p.headings[0] == 1
    for prev, cur in zip(p.headings, p.headings[1:], strict=False):
        assert cur <= prev + 1, f"heading jumps from h{prev} to h{cur}"
    assert p.th >= p.tables, "every table has header cells"
    return p


@pytest.mark.parametrize("kind", KINDS)
def test_case_text_is_never_live(kind: str, defs: refstatus.Definitions) -> None:
    ex = _example("nk-food-sur-place")
    poisoned = ex.model_copy(
        update={"case": _poisoned_case(ex.case), "title": TEXT, "summary": TEXT, "narrative": TEXT + "\n\n" + TEXT, "teaching_note": TEXT}
    )
    det = refstatus.evaluate(poisoned.case, defs)
    html = render(det, kind=kind, format="html", definitions=defs, example=poisoned)
    _check_html(html)
    assert "<script" not in html and "<img" not in html and "javascript:" not in html.replace("(javascript:alert(1))", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    md = render(det, kind=kind, format="md", definitions=defs, example=poisoned)
    for live in ("<script>", "[click](javascript", "![x](http", "<http://", "`code`", "*em*", " | pipe"):
        assert not re.search(r"(?<!\\)" + re.escape(live), md), live  # present only backslash-escaped
    assert md_escape(TEXT) in md


def test_md_escape_makes_markdown_inert() -> None:
    assert md_escape("[a](b) *c* <d> `e` | f\n\n# g") == r"\[a\](b) \*c\* \<d\> \`e\` \| f # g"
    assert md_escape("# heading") == r"\# heading"
    assert md_escape("1982. A year") == r"1982\. A year"
    assert md_escape("- item") == r"\- item"
    assert md_escape("Tom &amp; Jerry & co") == r"Tom \&amp; Jerry & co"
    assert md_escape(None) == ""


@pytest.mark.parametrize("path", EXAMPLES[:4], ids=[p.stem for p in EXAMPLES[:4]])
def test_advocacy_html_makes_no_external_request(path: Path, defs: refstatus.Definitions) -> None:
    html = _render(refstatus.load_worked_example(path), defs, "advocacy", "html")
    p = _check_html(html)
    for tag, attrs in p.tags:
        for name in ("src", "href", "srcset", "action", "data"):
            value = (attrs.get(name) or "").strip().lower()
            if value.startswith(("http:", "https:", "//", "ftp:")):
                assert tag == "a" and "noreferrer" in (attrs.get("rel") or ""), (tag, name, value)
    assert "http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'" in html


def test_memo_is_marked_confidential_on_every_page(defs: refstatus.Definitions) -> None:
    ex = _example("nk-food-sur-place")
    md = _render(ex, defs, "memo", "md")
    assert md.startswith("**CONFIDENTIAL.**")
    html = _render(ex, defs, "memo", "html")
    assert '@top-center { content: "CONFIDENTIAL"' in html
    assert "CONFIDENTIAL" not in _render(ex, defs, "advocacy", "html")


def test_worksheet_answer_key_starts_a_printed_page(defs: refstatus.Definitions) -> None:
    ex = _example("nk-food-sur-place")
    md = _render(ex, defs, "worksheet", "md")
    assert "\n\n---\n\n## Answer key\n" in md
    assert md.index("## Questions") < md.index("## Answer key") < md.index("### Teaching note")
    html = _render(ex, defs, "worksheet", "html")
    assert "<hr />\n<h2>Answer key</h2>" in html
    assert re.search(r"@media print \{[^}]*\}[^@]*hr \{[^}]*break-after: page", html, re.S) or "break-after: page" in html


def test_worksheet_needs_a_worked_example(defs: refstatus.Definitions) -> None:
    ex = _example("nk-food-sur-place")
    det = refstatus.evaluate(ex.case, defs)
    with pytest.raises(refstatus.UsageError):
        render(det, kind="worksheet", format="md", definitions=defs)
    with pytest.raises(refstatus.UsageError):
        render(det, kind="press", format="md", definitions=defs)
    with pytest.raises(refstatus.UsageError):
        render(det, kind="memo", format="pdf", definitions=defs)


# ---------------------------------------------------------------- determinism


def test_rendering_is_deterministic_and_dated_only_on_request(defs: refstatus.Definitions) -> None:
    ex = _example("nk-food-sur-place")
    for kind in KINDS:
        for fmt in FORMATS:
            assert _render(ex, defs, kind, fmt) == _render(ex, defs, kind, fmt)
    md = _render(ex, defs, "advocacy", "md")
    assert "Prepared on" not in md and dt.date.today().isoformat() not in md
    dated = _render(ex, defs, "advocacy", "md", date="2026-01-15")
    assert "Prepared on 15 January 2026." in dated
    with pytest.raises(refstatus.UsageError):
        _render(ex, defs, "advocacy", "md", date="15/01/2026")


# ---------------------------------------------------------------- organisation templates


def test_organisation_templates_override_file_by_file(tmp_path: Path, defs: refstatus.Definitions) -> None:
    ex = _example("nk-food-sur-place")
    (tmp_path / "advocacy.md.j2").write_text("# Our brief on {{ case.pseudonym|md }}\n\n{{ summary.established|length }} elements.\n", encoding="utf-8")
    md = _render(ex, defs, "advocacy", "md", templates_dir=tmp_path)
    assert md.startswith("# Our brief on Ms Ri")
    html = _render(ex, defs, "advocacy", "html", templates_dir=tmp_path)
    assert "<h1>Our brief on Ms Ri" in html and "<style>" in html  # the shipped page template still wraps it
    assert _render(ex, defs, "memo", "md", templates_dir=tmp_path) == _render(ex, defs, "memo", "md")


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ case.__class__ }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ (1).__class__.__base__.__subclasses__() }}",
    ],
)
def test_organisation_templates_run_in_the_sandbox(source: str, tmp_path: Path, defs: refstatus.Definitions) -> None:
    (tmp_path / "advocacy.md.j2").write_text(source + "\n", encoding="utf-8")
    with pytest.raises(refstatus.RenderError) as info:
        _render(_example("nk-food-sur-place"), defs, "advocacy", "md", templates_dir=tmp_path)
    assert "advocacy.md.j2" in str(info.value)


def test_template_syntax_error_names_file_and_line(tmp_path: Path, defs: refstatus.Definitions) -> None:
    (tmp_path / "memo.md.j2").write_text("# Memo\n\nfine\n{% if %}\n", encoding="utf-8")
    with pytest.raises(refstatus.RenderError) as info:
        _render(_example("nk-food-sur-place"), defs, "memo", "md", templates_dir=tmp_path)
    err = info.value
    assert err.file is not None and err.file.endswith("memo.md.j2") and err.line == 4
    (tmp_path / "memo.md.j2").write_text("# Memo\n{{ no_such_thing }}\n", encoding="utf-8")
    with pytest.raises(refstatus.RenderError) as info:
        _render(_example("nk-food-sur-place"), defs, "memo", "md", templates_dir=tmp_path)
    assert "no_such_thing" in str(info.value) and info.value.line == 2


# ---------------------------------------------------------------- the command


def test_cli_brief_writes_the_file(tmp_path: Path) -> None:
    path = next(p for p in EXAMPLES if p.stem == "nk-food-sur-place")
    out = tmp_path / "brief.html"
    assert main(["brief", str(path), "--kind", "advocacy", "--format", "html", "-o", str(out), "--date", "2026-01-15"]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "15 January 2026" in text
    assert [p.name for p in tmp_path.iterdir()] == ["brief.html"]  # no temporary file left behind


def test_cli_brief_of_a_case_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.yaml"
    case.write_text("person: {pseudonym: Ms Z}\nnationalities: [KP]\nhost_state: CN\nassessment_date: 2012-02-21\n", encoding="utf-8")
    assert main(["brief", str(case), "--kind", "memo", "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("**CONFIDENTIAL.**")
    assert main(["brief", str(case), "--kind", "worksheet"]) == 2
    assert "worked example" in capsys.readouterr().err


def test_cli_brief_malformed_case_exits_2_without_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("person: {pseudonym: Ms Z}\nfears_retrun: true\n", encoding="utf-8")
    out = tmp_path / "brief.md"
    assert main(["brief", str(bad), "--kind", "advocacy", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "fears_retrun" in err
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "advocacy.md.j2").write_text("{% for %}\n", encoding="utf-8")
    good = next(p for p in EXAMPLES if p.stem == "nk-food-sur-place")
    assert main(["brief", str(good), "--kind", "advocacy", "--templates", str(templates), "-o", str(out)]) == 2
    assert "advocacy.md.j2:1" in capsys.readouterr().err and not out.exists()
