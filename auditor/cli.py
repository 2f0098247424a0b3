"""Command line: options in, a call to the engine, a reporter, an exit code out.

Heavy libraries (camelot, pandas, pypdfium2) are imported only when a
document is actually read, so ``audit --help`` stays instant.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=(
        "Consistency auditor for Chinese government budget disclosures (预算公开 / 决算公开).\n\n"
        "Usage: audit REPORT.pdf [options]   (the same as `audit check REPORT.pdf`).\n\n"
        "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; "
        "2 a document could not be audited, bad rules or bad usage."
    ),
)

COMMANDS = {"check", "extract", "rules", "explain"}


class Format(str, Enum):
    rich = "rich"
    json = "json"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    note = "note"
    never = "never"


def default_rules_dir() -> Path:
    """The rule packs: $BUDGET_AUDIT_RULES, the source tree's rules/, or the installed copy."""
    env = os.environ.get("BUDGET_AUDIT_RULES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent / "rules"
    if here.is_dir():
        return here
    return Path(sys.prefix) / "share" / "budget-audit" / "rules"


def _fail(message: str) -> "typer.Exit":
    typer.echo(f"audit: {message}", err=True)
    return typer.Exit(2)


def _load_packs(rules: Optional[Path]):
    from .errors import PackError
    from .packs import load_packs

    try:
        return load_packs(rules or default_rules_dir())
    except PackError as e:
        raise _fail(str(e))


@app.command("check")
def check(
    paths: List[Path] = typer.Argument(..., help="PDF files to audit."),
    fmt: Format = typer.Option(Format.rich, "--format", "-f", help="Report format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to FILE."),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="Lowest severity that makes the exit code 1."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Rule pack folder (default: the bundled rules/)."),
    password: Optional[str] = typer.Option(None, "--password", help="Password of an encrypted PDF."),
    max_pages: int = typer.Option(2000, "--max-pages", help="Refuse documents with more pages."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Force colours on or off."),
) -> None:
    """Audit PDF disclosures and report every relation that does not hold."""
    from .runner import audit_path
    from .report import get_reporter

    packs = _load_packs(rules)
    audits = [audit_path(str(p), packs, password=password, max_pages=max_pages) for p in paths]
    for a in audits:
        if a.error:
            typer.echo(f"audit: {a.path}: {a.error[0]}: {a.error[1]}", err=True)
    render = get_reporter(fmt.value)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            render(audits, fh, color=False)
    else:
        render(audits, sys.stdout, color=color)
    raise typer.Exit(exit_code(audits, fail_on.value))


def exit_code(audits, fail_on: str) -> int:
    from .model import SEVERITY_RANK

    if any(a.error for a in audits):
        return 2
    if fail_on == "never":
        return 0
    floor = SEVERITY_RANK[fail_on]
    worst = max((SEVERITY_RANK[f.severity] for a in audits for f in a.findings), default=0)
    return 1 if worst >= floor else 0


@app.command("extract")
def extract(
    path: Path = typer.Argument(..., help="PDF file to read."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the JSON to FILE."),
    password: Optional[str] = typer.Option(None, "--password"),
    max_pages: int = typer.Option(2000, "--max-pages"),
) -> None:
    """Dump what was read from a PDF (tables, rows, figures, narrative) as JSON."""
    import json

    from .errors import InputError
    from .extract import load_document

    try:
        doc = load_document(str(path), password=password, max_pages=max_pages)
    except InputError as e:
        raise _fail(f"{path}: {e.code}: {e.message}")
    text = json.dumps(doc.to_dict(), ensure_ascii=False, indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        typer.echo(text)


@app.command("rules")
def list_rules(
    rules: Optional[Path] = typer.Option(None, "--rules", help="Rule pack folder."),
    template: Optional[str] = typer.Option(None, "--template", help="Only this template's rules."),
) -> None:
    """List every rule with id, kind, severity and description."""
    from rich.console import Console
    from rich.table import Table

    packs = _load_packs(rules)
    t = Table("id", "kind", "severity", "pack", "description", box=None, pad_edge=False)
    for r in packs.rules_for(template):
        t.add_row(r.id, r.kind, r.severity, r.pack, r.description or "")
    Console().print(t)


def main() -> None:
    argv = sys.argv[1:]
    if argv and argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version"):
        argv = ["check", *argv]
    if argv[:1] == ["--version"]:
        typer.echo(f"budget-audit {__version__}")
        raise SystemExit(0)
    try:
        app(args=argv, prog_name="audit")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.echo("audit: interrupted", err=True)
        raise SystemExit(130)
