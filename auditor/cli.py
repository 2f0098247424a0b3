"""Command line: options in, a call to the engine, a reporter, an exit code out.

Heavy libraries (camelot, pandas, pypdfium2) are imported only when a
document is actually read, so ``audit --help`` stays instant.

Over 400 lines on purpose: most of it is the commands' options with their help
text (what ``audit --help`` prints); an audit itself is ``pipeline.audit``, a
batch ``batch.audit_batch``, rendering ``report``.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional, Sequence

import typer

from . import __version__

if TYPE_CHECKING:  # pragma: no cover
    from .model import Audit
    from .report.common import Waivers

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=(
        "Consistency auditor for Chinese government budget disclosures (预算公开 / 决算公开).\n\n"
        "Usage: audit REPORT.pdf [options]   (the same as `audit check REPORT.pdf`).\n"
        "A folder, or several paths, is a batch: audit DIR [DIR|FILE ...] [options].\n\n"
        "Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; "
        "2 a document could not be audited, bad rules or bad usage."
    ),
)

COMMANDS = {"check", "extract", "rules", "explain"}


class Format(str, Enum):
    rich = "rich"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    html = "html"
    markdown = "markdown"
    sarif = "sarif"
    junit = "junit"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class Details(str, Enum):
    all = "all"
    failing = "failing"
    none = "none"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    note = "note"
    never = "never"


def default_rules_dir() -> Path:
    """The rule packs: $BUDGET_AUDIT_RULES; in a source checkout its rules/; else
    the package's own (``auditor.rules``, rules/ shipped as package data)."""
    env = os.environ.get("BUDGET_AUDIT_RULES")
    if env:
        return Path(env)
    from .shipped import shipped_rules

    return shipped_rules()


def _fail(message: str) -> "typer.Exit":
    typer.echo(f"audit: {message}", err=True)
    return typer.Exit(2)


def _load_packs(rules: Optional[Path], families=None):
    from .errors import PackError
    from .families import apply
    from .packs import load_packs

    try:
        return apply(load_packs(rules or default_rules_dir()), families)
    except PackError as e:
        raise _fail(str(e))


def _families(select: Optional[List[str]], ignore: Optional[List[str]]):
    """--select / --ignore over the config file of the working folder (families.py)."""
    from .families import SelectionError, selection

    try:
        return selection(select, ignore, Path.cwd())
    except SelectionError as e:
        raise _fail(str(e))


@app.command("check")
def check(
    paths: List[Path] = typer.Argument(..., help="PDF files or folders (searched recursively) to audit."),
    fmt: Format = typer.Option(Format.rich, "--format", "-f",
                               help="Report format: rich, json (the contract), jsonl (one document a line, "
                                    "streamed), csv (one finding a row), html (one self-contained page with "
                                    "page crops; use -o), markdown (a merge-request comment), sarif (2.1.0), "
                                    "junit (XML, one test case per rule)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to FILE."),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="Lowest severity that makes the exit code 1."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Rule pack folder (default: the bundled rules/)."),
    password: Optional[str] = typer.Option(None, "--password", help="Password of an encrypted PDF."),
    max_pages: int = typer.Option(2000, "--max-pages", help="Refuse documents with more pages."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Force colours on or off."),
    glob: Optional[str] = typer.Option(None, "--glob", help="Batch: take the files of the folders matching "
                                       "this pattern (default: *.pdf, any case)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                       help="Batch: worker processes (default: the number of cores)."),
    timeout: float = typer.Option(300.0, "--timeout", min=0,
                                  help="Seconds per document before it is stopped and fails "
                                       "as `timeout` (0: no limit)."),
    details: Details = typer.Option(Details.failing, "--details",
                                    help="Batch, rich format: the findings to print after the summary: "
                                         "of the documents failing --fail-on, of all, or none."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir",
                                             help="Batch: reuse what was read from unchanged PDFs (JSON files "
                                                  "in this folder, keyed by content)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="Batch: run on a Dask cluster, tcp://HOST:PORT "
                                                 "(needs budget-audit[dask])."),
    lang: Optional[Lang] = typer.Option(None, "--lang",
                                        help="Language of the report, a batch's summary and findings too: "
                                             "zh or en (default: zh when LANG starts with zh, else en). "
                                             "json, jsonl and csv keep the English messages."),
    waivers_file: Optional[Path] = typer.Option(None, "--waivers",
                                                help="Waiver file, for every document of a batch too (default: "
                                                     "REPORT.pdf.waivers.yaml next to each PDF, when present). "
                                                     "Waived findings are reported as waived and do not fail "
                                                     "the run."),
    annotate: Optional[Path] = typer.Option(None, "--annotate",
                                            help="Write a copy of the PDF with every figure of every finding "
                                                 "boxed and commented (one document only)."),
    tables: Optional[Path] = typer.Option(None, "--tables",
                                          help="The tables of a disclosure published in two files: audit "
                                               "NARRATIVE.pdf --tables TABLES.pdf as one document (the same "
                                               "as NARRATIVE.pdf+TABLES.pdf)."),
    previous: Optional[str] = typer.Option(None, "--previous",
                                           help="Last year's disclosure of the same issuer (A.pdf or "
                                                "A.pdf+B.pdf): check the figures the narrative implies for "
                                                "last year against those it printed."),
    strict: bool = typer.Option(False, "--strict",
                                help="A rule that was skipped is a failure: an error finding (exit 1); "
                                     "in a batch, for every document."),
    select: Optional[List[str]] = typer.Option(None, "--select",
                                               help="Only these rule families (comma-separated or repeated; "
                                                    "`audit rules` lists them). Replaces `select` of "
                                                    "budget-audit.toml / [tool.budget-audit]."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore",
                                               help="Leave out these rule families (after --select). "
                                                    "Replaces `ignore` of the config file."),
) -> None:
    """Audit PDF disclosures and report every relation that does not hold."""
    from .batch import is_batch

    if (tables or previous) and len(paths) != 1:
        raise _fail("--tables and --previous take a single document")
    if tables:
        paths = [Path(f"{paths[0]}+{tables}")]
    from .messages import default_lang

    language = lang.value if lang else default_lang()
    families = _families(select, ignore)
    if is_batch(paths) and (fmt.value in ("html", "markdown", "sarif", "junit") or annotate):
        raise _fail("--format html/markdown/sarif/junit and --annotate take a single PDF "
                    "(a batch writes rich, json, jsonl or csv)")
    if is_batch(paths):
        raise typer.Exit(_check_batch(
            paths, fmt=fmt.value, output=output, fail_on=fail_on.value, rules=rules, password=password,
            max_pages=max_pages, color=color, glob=glob, jobs=jobs, timeout=timeout,
            details=details.value, cache_dir=cache_dir, scheduler=scheduler, lang=language,
            strict=strict, waivers_file=waivers_file, families=families))

    from . import pipeline
    from .report.sinks import get_renderer

    from .waivers import WaiverError, apply_all, for_documents
    from .extract import prefetch

    prefetch.start()  # camelot's import, on the other core, while the packs load
    packs = _load_packs(rules, families)
    try:  # a bad waiver file ends the run before any PDF is read
        waiver_sets = for_documents([str(p) for p in paths], str(waivers_file) if waivers_file else None,
                                    language)
    except WaiverError as e:
        raise _fail(str(e))
    options = pipeline.Options(password=password, max_pages=max_pages, strict=strict, timeout=timeout)
    audits = [pipeline.audit(str(p), packs, options, previous=previous) for p in paths]
    for a in audits:
        if a.error:
            code, msg = a.error
            msg = msg.removeprefix(f"{a.path}: ")  # the line names the path once
            typer.echo(f"audit: {a.path}: {code}: {msg}", err=True)
    applied = apply_all(audits, waiver_sets) if waiver_sets else None
    for w in {w: None for ap in (applied or {}).values() for w in ap.stale}:
        typer.echo(f"audit: {w.source}:{w.line}:{w.col}: stale waiver: rule {w.rule} {w.where} "
                   "matches no finding", err=True)
    if annotate:
        _annotate(audits, annotate, language, applied, password)
    render = get_renderer(fmt.value)
    report_options = {"lang": language, "waivers": applied, "packs": packs}
    if output:
        with _open_output(output) as fh:
            render(audits, fh, color=False, **report_options)
    else:
        render(audits, sys.stdout, color=color, **report_options)
    raise typer.Exit(exit_code(audits, fail_on.value, applied))


def _annotate(audits: List[Audit], target: Path, lang: str, applied: Optional[Waivers],
              password: Optional[str]) -> None:
    from .report.pdf_annotations import write

    if len(audits) != 1:
        raise _fail("--annotate takes a single PDF")
    a = audits[0]
    if a.error:
        return
    if target.resolve() == Path(a.path).resolve():
        raise _fail(f"{target}: --annotate must not overwrite the audited PDF")
    try:
        write(a, str(target), lang=lang, waivers=applied, password=password)
    except OSError as e:
        raise _fail(f"{target}: cannot write the annotated PDF ({e.strerror or e})")


def _open_output(output: Path):
    try:
        return open(output, "w", encoding="utf-8", newline="")
    except OSError as e:
        raise _fail(f"{output}: cannot write the report ({e.strerror or e})")


def _check_batch(paths: List[Path], *, fmt: str, output: Optional[Path], fail_on: str,
                 rules: Optional[Path], color: Optional[bool], glob: Optional[str], jobs: Optional[int],
                 timeout: float, details: str, cache_dir: Optional[Path], scheduler: Optional[str],
                 password: Optional[str], max_pages: int, lang: str = "en", strict: bool = False,
                 waivers_file: Optional[Path] = None, families=None) -> int:
    """A batch: the files, a call, the reporters; the exit code back."""
    from contextlib import nullcontext

    from .batch import BatchError, BatchOptions, audit_batch, discover, prepare_waivers
    from .batch.pool import cpu_count
    from .report.sinks import get_sink
    from .report.progress import ProgressSink

    try:
        found = discover([str(p) for p in paths], glob)
    except BatchError as e:
        raise _fail(str(e))
    if not scheduler:  # the workers import the PDF libraries while the packs and waivers are checked
        from .batch.pool import prestart

        prestart(min(jobs or cpu_count(), len(found.files)))
    _load_packs(rules)  # bad rules end here, before any worker is given work
    options = BatchOptions(rules=rules or default_rules_dir(), jobs=jobs or cpu_count(),
                           timeout=timeout or None, password=password, max_pages=max_pages,
                           cache_dir=cache_dir, scheduler=scheduler, lang=lang, strict=strict,
                           waivers=waivers_file, families=families)
    try:  # a bad waiver file (--waivers, or any PDF's sidecar) ends here, before any worker starts
        waivers = prepare_waivers(found.files, options)
    except BatchError as e:
        raise _fail(str(e))
    with (_open_output(output) if output else nullcontext(sys.stdout)) as out:
        opts = {"fail_on": fail_on, "details": details, "color": False if output else color, "lang": lang}
        sink = get_sink(fmt, out, **(opts if fmt == "rich" else {}))
        try:
            stats = audit_batch(found.files, options, [sink, ProgressSink()], ignored=found.ignored,
                                waivers=waivers)
        except BatchError as e:
            raise _fail(str(e))
    for w in stats.stale_waivers:
        typer.echo(f"audit: {w['source']}:{w['line']}:{w['col']}: stale waiver: rule {w['rule']} "
                   f"{w['where']} matches no finding", err=True)
    return stats.exit_code(fail_on)


def exit_code(audits: Sequence[Audit], fail_on: str, waivers: Optional[Waivers] = None) -> int:
    """2 if a document failed; 1 if an unwaived finding is at or above ``fail_on``; else 0."""
    from .model import SEVERITY_RANK
    from .waivers import is_waived

    if any(a.error for a in audits):
        return 2
    if fail_on == "never":
        return 0
    floor = SEVERITY_RANK[fail_on]
    worst = max((SEVERITY_RANK[f.severity] for a in audits for i, f in enumerate(a.findings)
                 if not is_waived(waivers, a, i)), default=0)
    return 1 if worst >= floor else 0


@app.command("extract")
def extract(
    path: Path = typer.Argument(..., help="PDF file to read."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the JSON to FILE."),
    password: Optional[str] = typer.Option(None, "--password"),
    max_pages: int = typer.Option(2000, "--max-pages"),
    uncovered: bool = typer.Option(False, "--uncovered", help="Audit the PDF and list, instead of the dump, "
                                   "the figures (table cells and narrative amounts) that no evaluated "
                                   "relation covered, with the coverage counts."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Rule pack folder (with --uncovered)."),
) -> None:
    """Dump what was read from a PDF (tables with their roles, rows, figures, narrative) as JSON."""
    import json

    from .errors import InputError
    from .extract import load_document
    from .roles import assign as assign_roles

    if uncovered:
        text = json.dumps(_uncovered(path, _load_packs(rules), password, max_pages),
                          ensure_ascii=False, indent=2)
    else:
        try:
            doc = assign_roles(load_document(str(path), password=password, max_pages=max_pages))
        except InputError as e:
            raise _fail(f"{path}: {e.code}: {e.message}")
        text = json.dumps(doc.to_dict(), ensure_ascii=False, indent=2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        typer.echo(text)


def _uncovered(path: Path, packs, password: Optional[str], max_pages: int) -> dict:
    """The audit's coverage and the figures no evaluated relation judged (``extract --uncovered``)."""
    from . import coverage
    from .runner import audit_path

    a = audit_path(str(path), packs, password=password, max_pages=max_pages)
    if a.error:
        raise _fail(f"{path}: {a.error[0]}: {a.error[1]}")
    assert a.document is not None
    narrative = a.document.narrative
    figures = []
    for f in coverage.uncovered(a):
        d = f.to_dict()
        if f.span is not None and f.sentence is None:
            d["sentence"] = narrative.sentence_at(f.span[0])
        figures.append(d)
    cov = coverage.of(a)
    return {"path": a.path, "template": a.template,
            "coverage": cov.to_dict() if cov is not None else None, "uncovered": figures}


@app.command("rules")
def list_rules(
    rules: Optional[Path] = typer.Option(None, "--rules", help="Rule pack folder."),
    template: Optional[str] = typer.Option(None, "--template", help="Only this template's rules."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="zh or en (default: from the locale)."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only these rule families."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Leave out these rule families."),
) -> None:
    """List the rule families, then every rule with id, kind, family, severity and description."""
    from .messages import default_lang
    from .report.explain import rules_table

    families = _families(select, ignore)
    packs = _load_packs(rules, families)
    if template is not None and packs.pack(template) is None:
        raise _fail(f"no template {template!r}; templates: {', '.join(sorted(packs.templates))}")
    raise typer.Exit(rules_table(packs, sys.stdout, template=template,
                                 lang=lang.value if lang else default_lang(), families=families))


@app.command("explain")
def explain(
    rule_id: str = typer.Argument(..., help="A rule id, as `audit rules` lists them."),
    rules: Optional[Path] = typer.Option(None, "--rules", help="Rule pack folder."),
    on: Optional[Path] = typer.Option(None, "--on", help="Evaluate the rule on this PDF (default: the bundled "
                                      "sample, in a source checkout)."),
    lang: Optional[Lang] = typer.Option(None, "--lang", help="zh or en (default: from the locale)."),
) -> None:
    """What a rule checks: its kind's documentation, its YAML and a worked example."""
    from .messages import default_lang
    from .report.explain import explain as show

    packs = _load_packs(rules)
    raise typer.Exit(show(rule_id, packs, sys.stdout, lang=lang.value if lang else default_lang(),
                          on=str(on) if on else None))


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
