"""The terminal report: a header, the tables found, findings grouped by table, a summary."""

from __future__ import annotations

from collections import defaultdict
from typing import IO, Any, Iterable

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table as RichTable
from rich.text import Text

from ..model import Audit, Finding
from ..numbers import format_amount
from .json_report import decimal_text

STYLE = {"error": "bold red", "warning": "bold yellow", "note": "bold blue"}
LABEL = {"error": "ERROR", "warning": "WARN", "note": "NOTE"}
NARRATIVE = "说明 (narrative)"


def render(audits: Iterable[Audit], out: IO[str], *, color: bool | None = None,
           width: int | None = None, **_: Any) -> None:
    console = Console(file=out, force_terminal=color, no_color=color is False,
                      width=width, highlight=False, soft_wrap=False)
    for a in audits:
        render_one(console, a)


def render_one(console: Console, a: Audit) -> None:
    doc = a.document
    if a.error:
        console.print(Text.assemble(("✗ ", "bold red"), (a.path, "bold"), f"  {a.error[0]}: {a.error[1]}"))
        return
    assert doc is not None
    head = Text()
    head.append(doc.title or a.path, style="bold")
    head.append(f"\n{a.path}", style="dim")
    meta = [f"template: {a.template or 'none recognised (generic rules only)'}",
            f"unit: {doc.unit or '?'}", f"pages: {doc.pages}"]
    if doc.issuer:
        meta.insert(0, f"编制单位: {doc.issuer}")
    head.append("\n" + "   ".join(meta))
    console.print(Panel(head, title="budget-audit", title_align="left", box=box.ROUNDED))

    tables = RichTable(box=box.SIMPLE_HEAD, title="Tables found", title_justify="left",
                       title_style="bold", pad_edge=False)
    for col in ("id", "title", "pages", "rows × cols", ""):
        tables.add_column(col)
    for t in doc.tables:
        tables.add_row(t.id, t.title, ",".join(map(str, t.pages)), f"{len(t.rows)} × {len(t.columns)}",
                       "empty" if t.empty else "")
    console.print(tables)

    if doc.issues:
        console.print(Text("Reading problems", style="bold"))
        for i in doc.issues:
            where = " ".join(x for x in (i.table or "", f"p.{i.page}" if i.page else "") if x)
            console.print(Text.assemble(("  ! ", "yellow"), (where + "  " if where else ""), i.message))
        console.print()

    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in a.findings:
        groups[f.table or NARRATIVE].append(f)
    order = [t.id for t in doc.tables if t.id in groups] + sorted(
        g for g in groups if g not in {t.id for t in doc.tables})
    for g in order:
        title = g
        t = doc.table(g)
        if t:
            title = f"{t.id} {t.title}"
        console.rule(Text(title, style="bold"), align="left")
        for f in groups[g]:
            console.print(finding_view(f))
        console.print()

    console.print(summary_view(a))


def _where(cell) -> str:
    f = cell.figure
    if f.table is None:
        return f"说明 p.{f.page}"
    parts = [f.table, f.row or "", f.column or ""]
    return " · ".join(p for p in parts if p) + f" · p.{f.page}"


def finding_view(f: Finding) -> Group:
    line = Text()
    line.append(f"{LABEL[f.severity]:<5} ", style=STYLE[f.severity])
    line.append(f.rule, style="cyan")
    line.append("  ")
    line.append(f.message)
    parts: list[Any] = [line]
    if f.expected is not None and f.actual is not None:
        diff = f.difference
        parts.append(Text.assemble(
            "      stated ", (decimal_text(f.actual) or "", "bold"),
            "   computed ", (decimal_text(f.expected) or "", "bold"),
            "   difference ", (decimal_text(diff) or "", STYLE[f.severity]),
        ))
    if f.context:
        parts.append(Text("      “") + highlight(f) + Text("”"))
    cells = RichTable(box=None, show_header=False, pad_edge=False, padding=(0, 1))
    cells.add_column(width=5)
    cells.add_column(style="dim")
    cells.add_column(justify="right")
    for c in f.cells[:24]:
        mark = "→" if c.role == "actual" else ""
        cells.add_row(mark, _where(c), Text(c.figure.text, style="bold" if c.role == "actual" else ""))
    if len(f.cells) > 24:
        cells.add_row("", f"… {len(f.cells) - 24} more operands", "")
    parts.append(cells)
    return Group(*parts)


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


def summary_view(a: Audit) -> Panel:
    checks = a.checks()
    errors, warnings, notes = a.count("error"), a.count("warning"), a.count("note")
    body = Text()
    body.append(f"{errors} errors", style=STYLE["error"] if errors else "green")
    body.append(f", {warnings} warnings", style=STYLE["warning"] if warnings else "")
    body.append(f", {notes} notes (within rounding)", style="blue" if notes else "")
    body.append(f"\nchecks: {checks['evaluated']} evaluated, {checks['passed']} passed, "
                f"{checks['failed']} failed, {checks['skipped']} skipped")
    body.append(f"   rules: {len(a.outcomes)}   tables: {len(a.document.tables) if a.document else 0}")
    skipped = [o for o in a.outcomes if o.skipped]
    if skipped:
        body.append("\nskipped:", style="bold")
        for o in skipped:
            reasons = "; ".join(dict.fromkeys(o.skip_reasons)) or "no reason recorded"
            body.append(f"\n  {o.rule} ({o.skipped}): {reasons}", style="yellow")
    if a.seconds:
        body.append(f"\n{a.seconds:.2f} s", style="dim")
    return Panel(body, title="Summary", title_align="left", box=box.ROUNDED)


__all__ = ["render", "format_amount"]
