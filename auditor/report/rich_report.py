"""The terminal report: a header, the tables found, findings grouped by table, a summary."""

from __future__ import annotations

from collections import defaultdict
from typing import IO, TYPE_CHECKING, Any, Iterable

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from ..messages import default_lang, t
from ..model import Audit, CellRef, Finding
from ..numbers import format_amount
from .common import (Waivers, convention_line, counts, coverage_line, entries, message, role_name, stale,
                     stale_line)
from .json_report import decimal_text

if TYPE_CHECKING:  # pragma: no cover
    from ..waivers import Waiver

STYLE = {"error": "bold red", "warning": "bold yellow", "note": "bold blue"}
LABEL = {"error": "ERROR", "warning": "WARN", "note": "NOTE"}  # the English tags (sev.*.tag)
NARRATIVE = "说明 (narrative)"


def render(audits: Iterable[Audit], out: IO[str], *, color: bool | None = None,
           width: int | None = None, lang: str | None = None,
           waivers: Waivers | None = None, **_: Any) -> None:
    console = Console(file=out, force_terminal=color, no_color=color is False,
                      width=width, highlight=False, soft_wrap=False)
    lang = lang or default_lang()
    for a in audits:
        render_one(console, a, lang=lang, waivers=waivers)


def render_one(console: Console, a: Audit, *, lang: str = "en", waivers: Waivers | None = None) -> None:
    doc = a.document
    if a.error:
        message = a.error[1].removeprefix(f"{a.path}: ")  # the line names the path once
        console.print(Text.assemble(("✗ ", "bold red"), (a.path, "bold"), f"  {a.error[0]}: {message}"))
        return
    assert doc is not None
    head = Text()
    head.append(doc.title or a.path, style="bold")
    head.append(f"\n{a.path}", style="dim")
    meta = [t("head.template", lang, name=a.template or t("head.no_template", lang)),
            t("head.unit", lang, unit=doc.unit or "?"), t("head.pages", lang, n=doc.pages)]
    if doc.issuer:
        meta.insert(0, t("head.issuer", lang, name=doc.issuer))
    head.append("\n" + "   ".join(meta))
    console.print(Panel(head, title="budget-audit", title_align="left", box=box.ROUNDED))

    tables = RichTable(box=box.SIMPLE_HEAD, title=t("tables.title", lang), title_justify="left",
                       title_style="bold", pad_edge=False)
    tables.add_column(t("col.id", lang), no_wrap=True)
    # long titles and roles wrap on a narrow terminal, never cut
    tables.add_column(t("col.title", lang), overflow="fold", min_width=14)
    tables.add_column(t("col.role", lang), overflow="fold", min_width=16)
    tables.add_column(t("col.pages", lang))
    tables.add_column(t("col.size", lang), no_wrap=True)
    tables.add_column("")
    for tb in doc.tables:
        role = Text(role_name(tb.role, lang), style="" if tb.role else "yellow")
        tables.add_row(tb.id, tb.title, role, ",".join(map(str, tb.pages)),
                       f"{len(tb.rows)} × {len(tb.columns)}", t("col.empty", lang) if tb.empty else "")
    console.print(tables)

    if doc.issues:
        console.print(Text(t("issues.title", lang), style="bold"))
        for i in doc.issues:
            where = " ".join(x for x in (i.table or "", f"p.{i.page}" if i.page else "") if x)
            console.print(Text.assemble(("  ! ", "yellow"), (where + "  " if where else ""), i.message))
        console.print()

    # errors and warnings in full, by table; then the notes (within rounding), a line each
    narrative = t("narrative", lang)
    groups: dict[str, list] = defaultdict(list)
    notes = []
    for e in entries(a, waivers):
        if e.finding.severity == "note":
            notes.append(e)
        else:
            groups[e.finding.table or narrative].append(e)
    order = [tb.id for tb in doc.tables if tb.id in groups] + sorted(
        g for g in groups if g not in {tb.id for tb in doc.tables})
    for g in order:
        title = g
        tb = doc.table(g)
        if tb:
            title = f"{tb.id} {tb.title}"
        console.rule(Text(title, style="bold"), align="left")
        for e in groups[g]:
            console.print(finding_view(e.finding, lang=lang, waiver=e.waiver))
        console.print()
    if not order:
        console.print(Text(t("findings.none_severe", lang), style="bold green"))
        console.print()
    if notes:
        console.rule(Text(t("notes.title", lang, n=len(notes)), style="bold blue"), align="left")
        for e in notes:
            console.print(note_view(e.finding, lang=lang, waiver=e.waiver))
        console.print()

    old = stale(a, waivers)
    if old:
        console.print(Text(t("waivers.stale.title", lang), style="bold yellow"))
        for w in old:
            console.print(Text("  ! " + stale_line(w, lang), style="yellow"))
        console.print()

    console.print(summary_view(a, lang=lang, waivers=waivers))


def _where(cell: CellRef, lang: str = "en") -> str:
    f = cell.figure
    if f.table is None:
        return t("where.narrative", lang, page=f.page)
    parts = [f.table, f.row or "", f.column or ""]
    return " · ".join(p for p in parts if p) + " · " + t("where.page", lang, page=f.page)


def finding_view(f: Finding, *, lang: str = "en", waiver: Waiver | None = None) -> Group:
    line = Text()
    tag = t(f"sev.{f.severity}.tag", lang)
    if waiver is not None:
        line.append(f"{t('sev.waived.tag', lang)} ", style="dim")
    line.append(f"{tag:<5} ", style="dim" if waiver is not None else STYLE[f.severity])
    line.append(f.rule, style="cyan")
    line.append("  ")
    line.append(message(f, lang))
    parts: list[Any] = [line]
    if waiver is not None:
        parts.append(Text("      " + t("finding.waived", lang, reason=waiver.reason)
                          + f"  ({waiver.origin})", style="dim"))
    if f.expected is not None and f.actual is not None:
        diff = f.difference
        parts.append(Text.assemble(
            f"      {t('finding.stated', lang)} ", (decimal_text(f.actual) or "", "bold"),
            f"   {t('finding.computed', lang)} ", (decimal_text(f.expected) or "", "bold"),
            f"   {t('finding.difference', lang)} ", (decimal_text(diff) or "", STYLE[f.severity]),
        ))
    if f.context:
        parts.append(Text("      “") + highlight(f) + Text("”"))
    cells = RichTable(box=None, show_header=False, pad_edge=False, padding=(0, 1))
    cells.add_column(width=5)
    cells.add_column(style="dim")
    cells.add_column(justify="right")
    # blank operands (a 0 that was printed as nothing) only say how many there were
    shown = [c for c in f.cells if c.role == "actual" or not c.figure.blank]
    blank = len(f.cells) - len(shown)
    limit = 24 if f.severity != "note" else 12
    for c in shown[:limit]:
        mark = "→" if c.role == "actual" else ""
        cells.add_row(mark, _where(c, lang), Text(c.figure.text, style="bold" if c.role == "actual" else ""))
    if len(shown) > limit:
        cells.add_row("", t("finding.more_operands", lang, n=len(shown) - limit), "")
    if blank:
        cells.add_row("", t("finding.blank_operands", lang, n=blank), "")
    parts.append(cells)
    return Group(*parts)


def note_view(f: Finding, *, lang: str = "en", waiver: Waiver | None = None) -> Text:
    """A note in one line and where it is: rounding, nothing to act on
    (the operands are in --format json/html and ``audit explain``)."""
    line = Text()
    if waiver is not None:
        line.append(f"{t('sev.waived.tag', lang)} ", style="dim")
    line.append(f"{t('sev.note.tag', lang):<5} ", style="dim" if waiver is not None else STYLE["note"])
    line.append(f.rule, style="cyan")
    line.append("  " + message(f, lang))
    actual = next((c for c in f.cells if c.role == "actual"), None)
    if actual is not None and actual.figure.table is not None:  # a text note names its page
        line.append("  " + t("where.page", lang, page=actual.figure.page), style="dim")
    return line


def highlight(f: Finding) -> Text:
    """The sentence with the finding's narrative figures in bold colour."""
    text = Text(f.context or "")
    for c in f.cells:
        if c.figure.table is None and c.figure.text:
            needle = c.figure.text.rstrip("%")
            start = (f.context or "").find(needle)
            if start >= 0:
                style = STYLE[f.severity] if c.role == "actual" else "bold"
                text.stylize(style, start, start + len(needle))
    return text


def summary_view(a: Audit, *, lang: str = "en", waivers: Waivers | None = None) -> Panel:
    c = counts(a, waivers)
    errors, warnings, notes = c["error"], c["warning"], c["note"]
    sep = t("summary.sep", lang)
    body = Text()
    body.append(t("summary.errors", lang, n=errors), style=STYLE["error"] if errors else "green")
    body.append(sep + t("summary.warnings", lang, n=warnings), style=STYLE["warning"] if warnings else "")
    body.append(sep + t("summary.notes", lang, n=notes), style="blue" if notes else "")
    if c["waived"]:
        body.append(sep + t("summary.waived", lang, n=c["waived"]), style="dim")
    body.append("\n" + t("summary.checks", lang, **a.checks()))
    body.append("   " + t("summary.rules_tables", lang, rules=len(a.outcomes),
                          tables=len(a.document.tables) if a.document else 0))
    covered = coverage_line(a, lang)
    if covered:
        body.append("\n" + covered)
    convention = convention_line(a, lang)
    if convention:
        body.append("\n" + convention, style="blue" if a.convention and a.convention.rates == "truncated" else "yellow")
    skipped = [o for o in a.outcomes if o.skipped]
    if skipped:
        body.append("\n" + t("skipped.title", lang), style="bold")
        for o in skipped:
            reasons = "; ".join(dict.fromkeys(o.skip_reasons)) or t("skipped.no_reason", lang)
            body.append(f"\n  {o.rule} ({o.skipped}): {reasons}", style="yellow")
    if a.seconds:
        body.append("\n" + t("summary.seconds", lang, seconds=f"{a.seconds:.2f}"), style="dim")
    return Panel(body, title=t("summary.title", lang), title_align="left", box=box.ROUNDED)


__all__ = ["render", "format_amount"]
