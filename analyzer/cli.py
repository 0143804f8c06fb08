"""The `nianbao` command line.

Exit codes (like ruff): 0 = no finding at or above the fail level, 1 = findings, 2 = a file could not be read or the
command was misused. Heavy libraries (spaCy, jieba, scikit-learn) are imported inside commands so that
`nianbao --version` and `nianbao rules` start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from . import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="nianbao: audit 政府信息公开工作年度报告 (government information-disclosure annual reports).",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"nianbao {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Audit one report with `nianbao audit`, a folder with `nianbao batch`."""


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"nianbao: {message}", err=True)
    raise typer.Exit(code)


def _load_config(config: Optional[Path], start: Optional[Path]):
    from .config_file import load_config
    from .errors import NianbaoError

    try:
        return load_config(config, start)
    except NianbaoError as err:
        _fail(err.message)


def _emit(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        from .io import write_atomic

        write_atomic(output, text)


@app.command()
def audit(
    files: list[Path] = typer.Argument(..., help="Report files (.docx, .txt, .html, .pdf; format sniffed from content)."),
    fmt: str = typer.Option("text", "--format", "-f", help="text | json | sarif | html"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the output to this file (atomically)."),
    previous: Optional[Path] = typer.Option(None, "--previous", help="Last year's report of the same unit (cross-year checks, 重复率)."),
    annotate: Optional[Path] = typer.Option(None, "--annotate", help="Write a review copy (.docx) with Word comments."),
    author: str = typer.Option("nianbao", "--author", help="Author name on review-copy comments."),
    initials: str = typer.Option("NB", "--initials", help="Author initials on review-copy comments."),
    config: Optional[Path] = typer.Option(None, "--config", help="Configuration file (default: nianbao.toml found upward)."),
    fail_level: Optional[str] = typer.Option(None, "--fail-level", help="error | warning | info: lowest severity that makes the exit code 1."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Show only findings not in this baseline file."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="Record the current findings as a baseline."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour (default: only on a terminal)."),
) -> None:
    """Audit report files: structure, tables (勾稽关系), writing errors, narrative quality, score."""
    from .errors import NianbaoError
    from .io import same_file
    from .model import SEVERITY_ORDER
    from .pipeline import audit_file, worst_severity
    from .render import FORMATS, render

    if fmt not in FORMATS:
        _fail(f"unknown --format {fmt!r} (choose from {', '.join(FORMATS)})")
    if annotate is not None and len(files) != 1:
        _fail("--annotate takes exactly one input file")
    outputs = [(name, p) for name, p in (("-o", output), ("--annotate", annotate), ("--write-baseline", write_baseline))
               if p is not None]
    for f in files + ([previous] if previous is not None else []):
        for name, p in outputs:
            if same_file(f, p):
                _fail(f"{name} {p} would overwrite the input file {f}; choose another name")
    for i, (name_a, a) in enumerate(outputs):
        for name_b, b in outputs[i + 1:]:
            if same_file(a, b):
                _fail(f"{name_a} and {name_b} name the same file {a}; choose two names")
    cfg = _load_config(config, files[0].parent if files else None)
    if fail_level is not None:
        if fail_level not in SEVERITY_ORDER:
            _fail(f"unknown --fail-level {fail_level!r} (error | warning | info)")
        cfg.fail_level = fail_level

    audits = [audit_file(f, cfg, previous=previous) for f in files]
    for a in audits:
        if a.error is not None:
            typer.echo(f"nianbao: {a.error.message} [{a.error.code}]", err=True)
        elif "previous_error" in a.extras:
            prev = a.extras["previous_error"]
            typer.echo(f"nianbao: --previous not used: {prev['message']} [{prev['code']}]", err=True)

    if write_baseline is not None:
        from .baseline import write_baseline as _write_baseline

        _write_baseline(audits, write_baseline)
    if baseline is not None:
        from .baseline import apply_baseline

        try:
            audits = apply_baseline(audits, baseline)
        except NianbaoError as err:
            _fail(err.message)

    use_color = sys.stdout.isatty() and output is None if color is None else color
    try:
        _emit(render(audits, fmt, color=bool(use_color and fmt == "text")), output)
    except ValueError as err:
        _fail(str(err))

    if annotate is not None and audits[0].error is None:
        from .render.docx_review import write_review_copy

        write_review_copy(audits[0], files[0], annotate, author=author, initials=initials)

    if any(a.error is not None for a in audits):
        raise typer.Exit(2)
    threshold = SEVERITY_ORDER[cfg.fail_level]
    raise typer.Exit(1 if any(worst_severity(a) >= threshold for a in audits) else 0)


@app.command()
def text(
    file: Path = typer.Argument(..., help="A report file."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically)."),
    raw: bool = typer.Option(False, "--raw", help="Print only Document.text (the text all offsets refer to)."),
) -> None:
    """Print the recovered structure: metadata, sections with their text, tables as grids."""
    from .config import Config
    from .errors import NianbaoError
    from .io import same_file
    from .pipeline import build_report
    from .render.structure import render_structure

    if output is not None and same_file(file, output):
        _fail(f"-o {output} would overwrite the input file; choose another name")
    try:
        report = build_report(file, Config())
    except NianbaoError as err:
        _fail(f"{err.message} [{err.code}]")
    _emit(report.text if raw else render_structure(report), output)


@app.command()
def rules(
    rule_id: Optional[str] = typer.Argument(None, help="A rule id (e.g. TBL-101) to print its documentation."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically)."),
) -> None:
    """List every rule, or print one rule's rationale with a failing and a passing example."""
    from .rules import load_all_rules

    registry = load_all_rules()
    if rule_id is None:
        lines = [f"{r.id:<9} {r.category:<13} {r.severity:<8} {r.title}" + ("" if r.default_enabled else "  (off by default)")
                 for r in sorted(registry.values(), key=lambda r: r.id)]
        _emit("\n".join(lines) + "\n", output)
        return
    r = registry.get(rule_id.upper())
    if r is None:
        _fail(f"unknown rule {rule_id!r}; `nianbao rules` lists them")
    doc = [f"{r.id}: {r.title}", f"category: {r.category}    default severity: {r.severity}    scope: {r.scope}"
           + ("" if r.default_enabled else "    (off by default)"), "", "Why", f"  {r.rationale}"]
    if r.example_fail:
        doc += ["", "Fails", f"  {r.example_fail}"]
    if r.example_pass:
        doc += ["", "Passes", f"  {r.example_pass}"]
    _emit("\n".join(doc) + "\n", output)


@app.command()
def batch(
    paths: list[str] = typer.Argument(..., help="Folders (recursive), globs, or files listing paths."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="results.xlsx | results.csv | results.jsonl"),
    jobs: int = typer.Option(2, "--jobs", "-j", min=1, help="Worker processes."),
    previous_dir: Optional[Path] = typer.Option(None, "--previous-dir", help="Folder with last year's reports."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted batch from its journal."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Per-file timeout in seconds."),
    html_dir: Optional[Path] = typer.Option(None, "--html-dir", help="Also write an HTML page per report and an index."),
    config: Optional[Path] = typer.Option(None, "--config", help="Configuration file."),
) -> None:
    """Audit and rank a folder of reports; detect year-over-year and cross-report copying."""
    from .batch import run_batch

    cfg = _load_config(config, Path(paths[0]).parent if paths else None)
    code = run_batch(
        paths, output=output, jobs=jobs, previous_dir=previous_dir, resume=resume, config=cfg,
        timeout=timeout if timeout is not None else cfg.threshold("timeout_seconds"), html_dir=html_dir,
        progress=True,
    )
    raise typer.Exit(code)


@app.command()
def train(
    corpus: Optional[Path] = typer.Option(None, "--corpus", help="Folder of reports the labels refer to (default ../shared/corpus)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Where to write the models (default: the models/ folder)."),
    seed: int = typer.Option(0, "--seed", help="Random seed (training is deterministic for a given seed)."),
) -> None:
    """Rebuild every model in models/ from the labelled data in data/ and write models/MODEL_CARD.md."""
    from .errors import NianbaoError
    from .train import train_all

    try:
        metrics = train_all(corpus, out, seed=seed)
    except NianbaoError as err:
        _fail(err.message)
    for name, value in metrics.items():
        typer.echo(f"{name}: {value}")


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
