"""The ``refstatus`` command: a thin shell over the public API.

Exit status: 0 on success, 2 on bad input (one line per problem, no
traceback; ``--debug`` shows one), 1 on an internal error.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from . import __version__
from .cases import case_schema, load_case
from .definitions import Definitions, builtin_definitions_dir, load_definitions
from .errors import RefstatusError, UsageError
from .evaluator import evaluate
from .result import Determination, Status

# The conclusions a reader looks for first; the rest of the tree follows.
_HEADLINE = ("refugee", "non_refoulement_art33", "non_refoulement_cat3", "economic_migrant")
_MARK = {Status.met: "[met]", Status.not_met: "[not met]", Status.undetermined: "[undetermined]"}


def _definitions(ctx: click.Context) -> Definitions:
    dirs = ctx.obj.get("definitions", ())
    return load_definitions(*dirs)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--definitions", "definitions", multiple=True, type=click.Path(file_okay=False), help="An organisation's definitions directory laid over the shipped one (repeatable).")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@click.version_option(__version__, prog_name="refstatus")
@click.pass_context
def cli(ctx: click.Context, definitions: tuple[str, ...], debug: bool) -> None:
    """Refugee-status criteria as rules: evaluate cases, check definitions, render briefs."""
    ctx.ensure_object(dict)
    ctx.obj["definitions"] = definitions
    ctx.obj["debug"] = debug


@cli.command("evaluate")
@click.argument("cases", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--stale-after-years", type=click.IntRange(min=1), default=None, help="Flag country information older than this at the assessment date.")
@click.pass_context
def evaluate_cmd(ctx: click.Context, cases: Sequence[str], fmt: str, stale_after_years: int | None) -> None:
    """Evaluate case files (or worked examples) criterion by criterion."""
    defs = _definitions(ctx)
    loaded = [(path, load_case(path)) for path in cases]  # validate all before printing any
    outputs = [(path, evaluate(case, defs, stale_after_years=stale_after_years)) for path, case in loaded]
    if fmt == "json":
        if len(outputs) == 1:
            click.echo(outputs[0][1].to_json())
        else:
            click.echo(json.dumps({path: det.to_dict() for path, det in outputs}, indent=2, ensure_ascii=False))
        return
    for i, (_path, det) in enumerate(outputs):
        if i:
            click.echo("")
        click.echo(render_tree(det, defs))


def render_tree(det: Determination, defs: Definitions) -> str:
    """A readable tree: status, reason and citations per criterion, roots first."""
    summary = det.case_summary
    lines = [f"Case: {summary['pseudonym']}" + (f" ({summary['case_ref']})" if summary.get("case_ref") else "")]
    referenced = {child for r in det.results.values() for child in r.children}
    headline = [cid for cid in _HEADLINE if cid in det.results]
    roots = headline + [cid for cid in det.results if cid not in referenced and cid not in headline]
    shown: set[str] = set()

    def walk(cid: str, depth: int) -> None:
        r = det.results[cid]
        pad = "  " * depth
        if cid in shown:
            lines.append(f"{pad}{_MARK[r.status]} {r.title} (see above)")
            return
        shown.add(cid)
        lines.append(f"{pad}{_MARK[r.status]} {r.title}  <{cid}>")
        lines.append(f"{pad}    {r.reason}")
        if r.sources:
            lines.append(f"{pad}    Sources: " + "; ".join(c.text + (" [verify]" if c.verify else "") for c in r.sources))
        if r.missing_facts:
            lines.append(f"{pad}    Would be decided by: " + ", ".join(r.missing_facts))
        stale = [e for e in r.evidence if e.stale]
        if stale:
            lines.append(f"{pad}    Possibly stale country information: " + "; ".join(f"{e.title} ({e.date})" for e in stale))
        for child in r.children:
            walk(child, depth + 1)

    for cid in roots:
        walk(cid, 0)
    if det.framings:
        lines.append("")
        lines.append("Framing claims:")
        for f in det.framings.values():
            lines.append(f"  [{f.status.value}] {f.id}: {f.reason}")
    return "\n".join(lines)


@cli.command("check")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--standalone", is_flag=True, help="Check DIRECTORY alone, not laid over the shipped definitions.")
@click.option("--verify-report", is_flag=True, help="List every item marked verify: true.")
@click.pass_context
def check_cmd(ctx: click.Context, directory: str | None, standalone: bool, verify_report: bool) -> None:
    """Validate definitions (and worked examples); exit 2 with file and line on the first error."""
    from .examples import check_examples

    dirs = tuple(ctx.obj.get("definitions", ())) + ((directory,) if directory else ())
    defs = load_definitions(*dirs, builtin=not standalone)
    example_dirs = [Path(d) / "worked-examples" for d in defs.directories]
    n_examples = check_examples(defs, [d for d in example_dirs if d.is_dir()])
    n_practices = sum(len(c.practices) for c in defs.countries.values())
    click.echo(
        f"OK: {len(defs.criteria)} criteria, {len(defs.harm_tests)} harm tests, {len(defs.sources)} sources, "
        f"{n_practices} documented practices, {len(defs.states)} states, {len(defs.claims)} framing claims, "
        f"{len(defs.facts)} facts, {n_examples} worked examples; {len(defs.verify_items)} items marked verify: true"
    )
    if verify_report:
        for v in defs.verify_items:
            where = f"{v.file}:{v.line}" if v.line else v.file
            click.echo(f"verify  {v.kind:13} {v.id:45} {where}" + (f"  — {v.note}" if v.note else ""))


@cli.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of a case file."""
    click.echo(json.dumps(case_schema(), indent=2, ensure_ascii=False))


@cli.command("definitions-path")
def definitions_path_cmd() -> None:
    """Print where the shipped definitions are installed."""
    click.echo(str(builtin_definitions_dir()))


# -- brief command (issue 4) --


@cli.command("brief")
@click.argument("case_path", metavar="CASE", type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(["advocacy", "memo", "worksheet"]), required=True, help="advocacy (public), memo (confidential) or worksheet (training; needs a worked example).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write here (atomically) instead of to standard output.")
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="Date printed on the brief; without it no date appears.")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False), default=None, help="An organisation's templates directory, overriding the shipped templates file by file.")
@click.pass_context
def brief_cmd(ctx: click.Context, case_path: str, kind: str, fmt: str, output: str | None, date: str | None, templates_dir: str | None) -> None:
    """Render a reasoned brief for a case file or worked example."""
    from .cases import load_worked_example
    from .errors import CaseFileError
    from .render import render
    from .yamlio import load_yaml

    defs = _definitions(ctx)
    data = load_yaml(case_path, CaseFileError).data
    example = load_worked_example(case_path) if isinstance(data, dict) and "expected" in data else None
    case = example.case if example is not None else load_case(case_path)
    det = evaluate(case, defs)
    text = render(det, kind=kind, format=fmt, definitions=defs, example=example, date=date, templates_dir=templates_dir)
    if output is None:
        click.echo(text, nl=False)
    else:
        _write_atomically(Path(output), text, private=kind == "memo")


def _write_atomically(path: Path, text: str, private: bool = False) -> None:
    """Write through a temporary file in the same directory, so a reader never sees half a brief.

    A confidential memo stays readable by its owner only; other briefs get the usual permissions.
    """
    import os
    import tempfile

    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError("output directory does not exist", file=str(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UsageError(f"cannot write the brief: {exc.strerror or exc}", file=str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- interview and training commands (issue 5) --


def _read_answers(path: str | None) -> dict[str, Any] | None:
    """An answers file (YAML or JSON; ``-`` for standard input), or None for the terminal."""
    from .interview import load_answers

    if path is None:
        return None
    if path == "-":
        return load_answers(sys.stdin.read(), "<stdin>")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read the answers file ({exc.strerror or exc})", file=path) from None
    return load_answers(text, path)


@cli.command("interview")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="The case file to write (saved after every answer).")
@click.option("--resume", type=click.Path(dir_okay=False), default=None, help="Continue a saved case file (and its .progress file).")
@click.option("--answers", "answers_path", type=click.Path(dir_okay=False, allow_dash=True), default=None, help="Answers from a YAML/JSON file mapping fact path to value ('-' for standard input) instead of the terminal.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--retry-skipped", is_flag=True, help="With --resume: ask again the questions skipped earlier.")
@click.pass_context
def interview_cmd(ctx: click.Context, output: str | None, resume: str | None, answers_path: str | None, force: bool, retry_skipped: bool) -> None:
    """Build a case file by asking only the questions that can still change an outcome."""
    from .interview import FileAnswers, PromptAnswers, check_output, run_interview, summary_lines

    defs = _definitions(ctx)
    check_output(output=Path(output) if output else None, resume=Path(resume) if resume else None, force=force)
    answers = _read_answers(answers_path)
    source: Any
    if answers is not None:
        source = FileAnswers(answers, echo=click.echo)
    else:
        source = PromptAnswers(click.echo, lambda label: click.prompt(f"  {label}", default="", show_default=False))
        click.echo("Guided interview. Every question offers \"don't know\" (enter ?); progress is saved after every answer.")
    result = run_interview(
        defs,
        source,
        output=Path(output) if output else None,
        resume=Path(resume) if resume else None,
        force=force,
        retry_skipped=retry_skipped,
    )
    click.echo("")
    click.echo(f"Questions asked: {len(result.asked)}")
    click.echo("Determination:")
    for line in summary_lines(result.determination):
        click.echo(f"  {line}")
    click.echo(f"Case written to {result.path}")


@cli.command("train")
@click.option("--example", "example_id", default=None, help="One worked example by id (default: all, in order).")
@click.option("--answers", "answers_path", type=click.Path(dir_okay=False, allow_dash=True), default=None, help="Answers from a YAML/JSON file ('-' for standard input) instead of the terminal.")
@click.pass_context
def train_cmd(ctx: click.Context, example_id: str | None, answers_path: str | None) -> None:
    """Quiz on the worked examples: each element and each of China's claims, then the law's answers."""
    from .training import load_examples, run_quiz

    defs = _definitions(ctx)
    load_examples(defs, example_id)  # an unknown id fails before anything is read
    answers = _read_answers(answers_path)
    prompt = None if answers is not None else (lambda label: click.prompt(f"  {label}", default="", show_default=False))
    run_quiz(defs, click.echo, example_id=example_id, answers=answers, prompt=prompt)


@cli.command("training-pack")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False), required=True, help="Directory to write the static site into.")
@click.option("--force", is_flag=True, help="Write into a directory that is not empty.")
@click.pass_context
def training_pack_cmd(ctx: click.Context, out_dir: str, force: bool) -> None:
    """Write a static, offline HTML training site from the worked examples."""
    from .training import write_pack

    written = write_pack(_definitions(ctx), Path(out_dir), force=force)
    click.echo(f"Wrote {len(written)} files to {out_dir} (open {Path(out_dir) / 'index.html'})")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: turn library errors into one-line messages and exit status 2."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="refstatus", standalone_mode=False)
    except RefstatusError as exc:
        if debug:
            traceback.print_exc()
        for line in getattr(exc, "all_messages", None) or [str(exc)]:
            click.echo(f"refstatus: error: {line}", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("refstatus: aborted", err=True)
        return 130
    except click.ClickException as exc:
        click.echo(f"refstatus: error: {exc.format_message()}", err=True)
        return 2
    except click.exceptions.Exit as exc:
        return int(exc.exit_code or 0)
    except Exception as exc:  # pragma: no cover - the last line of defence
        if debug:
            traceback.print_exc()
        click.echo(f"refstatus: internal error: {exc.__class__.__name__}: {exc} (run with --debug for a traceback)", err=True)
        return 1
    return 0


def run() -> None:
    sys.exit(main())

