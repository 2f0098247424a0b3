"""The terminal report of a batch: a summary table with totals, then the findings
of the documents that fail (``--details failing``), of all, or of none.

While the batch runs, the details of the documents to show go to a temporary
file (JSON lines), not to memory; they are printed, in file order, after the
summary.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import IO, Any

from rich import box
from rich.console import Console, Group
from rich.table import Table as RichTable
from rich.text import Text

from .rich_report import LABEL, STYLE


class SummarySink:
    """``--format rich`` for a batch."""

    def __init__(self, out: IO[str], *, fail_on: str = "error", details: str = "failing",
                 color: bool | None = None, width: int | None = None):
        self.console = Console(file=out, force_terminal=color, no_color=color is False,
                               width=width, highlight=False, soft_wrap=False)
        self.fail_on = fail_on
        self.details = details
        self.ordered = details != "none"
        self.spill: IO[str] | None = None

    def start(self, stats: Any) -> None:
        if self.details != "none":
            self.spill = tempfile.TemporaryFile("w+", encoding="utf-8")

    def add(self, result: Any) -> None:
        if self.spill is None:
            return
        if self.details == "all" or result.row.fails(self.fail_on):
            self.spill.write(json.dumps(result.document, ensure_ascii=False) + "\n")

    def finish(self, stats: Any) -> None:
        self.console.print(summary_table(stats, self.fail_on))
        self.console.print()
        self.console.print(totals_line(stats, self.fail_on))
        if self.spill is None:
            return
        self.spill.seek(0)
        for line in self.spill:
            self.console.print()
            self.console.print(document_details(json.loads(line)))

    def close(self) -> None:
        if self.spill is not None:
            self.spill.close()
            self.spill = None


def status_text(row: Any, fail_on: str) -> Text:
    if row.status == "failed":
        return Text(row.error or "failed", style="bold red")
    if row.fails(fail_on):
        return Text("findings", style="red")
    return Text("ok", style="green")


def _base(paths: list[str]) -> str:
    """The folder all paths share, shown once in the title instead of on every row."""
    try:
        base = os.path.commonpath([os.path.dirname(p) for p in paths]) if paths else ""
    except ValueError:  # absolute and relative paths mixed
        return ""
    return base if base not in ("", ".", os.sep) else ""


def summary_table(stats: Any, fail_on: str) -> RichTable:
    rows = stats.sorted_rows()
    base = _base([r.path for r in rows])
    t = RichTable(box=box.SIMPLE_HEAD, title=f"Batch summary: {base}" if base else "Batch summary",
                  title_justify="left", title_style="bold", pad_edge=False, show_footer=True,
                  padding=(0, 1, 0, 0), show_edge=False)
    t.add_column("file", footer=f"{stats.documents} documents", overflow="fold", min_width=16)
    t.add_column("template", footer="", no_wrap=True)
    t.add_column("tables", justify="right", no_wrap=True, footer=str(sum(r.tables for r in rows)))
    t.add_column("errors", justify="right", no_wrap=True, footer=str(stats.errors))
    t.add_column("warnings", justify="right", no_wrap=True, footer=str(stats.warnings))
    t.add_column("notes", justify="right", no_wrap=True, footer=str(stats.notes))
    t.add_column("seconds", justify="right", no_wrap=True, footer=f"{sum(r.seconds for r in rows):.1f}")
    t.add_column("status", footer=f"{stats.failed} failed", no_wrap=True,
                 min_width=max([len(r.error or "findings") for r in rows] + [8]))
    for r in rows:
        t.add_row(
            os.path.relpath(r.path, base) if base else r.path, r.template or "—", str(r.tables),
            Text(str(r.errors), style=STYLE["error"] if r.errors else ""),
            Text(str(r.warnings), style=STYLE["warning"] if r.warnings else ""),
            Text(str(r.notes), style="blue" if r.notes else ""),
            f"{r.seconds:.2f}", status_text(r, fail_on),
        )
    return t


def totals_line(stats: Any, fail_on: str) -> Text:
    with_findings = sum(1 for r in stats.rows if r.status == "ok" and r.fails(fail_on))
    line = Text()
    line.append(f"{stats.documents} documents", style="bold")
    line.append(f", {stats.failed} could not be audited", style="bold red" if stats.failed else "")
    line.append(f", {with_findings} with findings at or above {fail_on}")
    where = f"{stats.workers} workers" if stats.workers else "the Dask cluster"
    line.append(f"   {stats.seconds:.1f} s on {where} ({stats.per_minute:.1f} documents per minute)",
                style="dim")
    if stats.from_cache or stats.extractions != stats.documents:
        line.append(f"; {stats.extractions} extracted, {stats.from_cache} from the cache", style="dim")
    if stats.ignored:
        line.append(f"; {stats.ignored} other files ignored", style="dim")
    return line


def _where(c: dict[str, Any]) -> str:
    if c.get("table") is None:
        return f"说明 p.{c['page']}"
    parts = [c["table"], c.get("row") or "", c.get("column") or ""]
    return " · ".join(p for p in parts if p) + f" · p.{c['page']}"


def document_details(doc: dict[str, Any]) -> Group:
    head = Text()
    head.append(doc["path"], style="bold")
    if doc.get("error"):
        head.append(f"  {doc['error']['code']}: {doc['error']['message']}", style="red")
        return Group(Text("✗ ", style="bold red") + head)
    head.append(f"  template: {doc.get('template') or 'none'}", style="dim")
    parts: list[Any] = [Text("─ ", style="dim") + head]
    if not doc["findings"]:
        parts.append(Text("  no findings", style="green"))
    for f in doc["findings"]:
        line = Text("  ")
        line.append(f"{LABEL[f['severity']]:<5} ", style=STYLE[f["severity"]])
        line.append(f["rule"], style="cyan")
        line.append("  " + f["message"])
        parts.append(line)
        if f.get("expected") is not None and f.get("actual") is not None:
            parts.append(Text.assemble(
                "        stated ", (f["actual"], "bold"), "   computed ", (f["expected"], "bold"),
                "   difference ", (f["difference"] or "", STYLE[f["severity"]])))
        actual = next((c for c in f["cells"] if c["role"] == "actual"), None)
        if actual is not None:
            parts.append(Text(f"        → {_where(actual)}  {actual['text']}", style="dim"))
    return Group(*parts)
