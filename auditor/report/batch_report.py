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
from rich.cells import cell_len
from rich.console import Console, Group
from rich.table import Table as RichTable
from rich.text import Text

from ..messages import t
from .rich_report import STYLE


class SummarySink:
    """``--format rich`` for a batch."""

    def __init__(self, out: IO[str], *, fail_on: str = "error", details: str = "failing",
                 color: bool | None = None, width: int | None = None, lang: str = "en"):
        self.console = Console(file=out, force_terminal=color, no_color=color is False,
                               width=width, highlight=False, soft_wrap=False)
        self.fail_on = fail_on
        self.details = details
        self.lang = lang
        self.ordered = details != "none"
        self.spill: IO[str] | None = None

    def start(self, stats: Any) -> None:
        if self.details != "none":
            self.spill = tempfile.TemporaryFile("w+", encoding="utf-8")

    def add(self, result: Any) -> None:
        if self.spill is None:
            return
        if self.details == "all" or result.row.fails(self.fail_on):
            messages = [result.message(i) for i in range(len(result.document.get("findings") or ()))]
            self.spill.write(json.dumps({"document": result.document, "messages": messages},
                                        ensure_ascii=False) + "\n")

    def finish(self, stats: Any) -> None:
        lang = self.lang
        self.console.print(summary_table(stats, self.fail_on, lang))
        self.console.print()
        self.console.print(totals_line(stats, self.fail_on, lang))
        stale = stats.stale_waivers if getattr(stats, "waivers", False) else []
        if stale:
            self.console.print()
            self.console.print(Text(t("waivers.stale.title", lang), style="bold yellow"))
            for w in stale:
                self.console.print(Text("  ! " + t("waivers.stale.item", lang, source=f"{w['source']}:{w['line']}",
                                                   rule=w["rule"], where=w["where"]), style="yellow"))
        if self.spill is None:
            return
        self.spill.seek(0)
        for line in self.spill:
            entry = json.loads(line)
            self.console.print()
            self.console.print(document_details(entry["document"], lang, entry["messages"]))

    def close(self) -> None:
        if self.spill is not None:
            self.spill.close()
            self.spill = None


def status_text(row: Any, fail_on: str, lang: str = "en") -> Text:
    if row.status == "failed":
        return Text(row.error or t("batch.status.failed", lang), style="bold red")
    if row.fails(fail_on):
        return Text(t("batch.status.findings", lang), style="red")
    return Text(t("batch.status.ok", lang), style="green")


def _shown(path: str, base: str) -> str:
    """A path as the summary prints it: under the title's folder, each file of a
    two-file disclosure (A.pdf+B.pdf) on its own."""
    if not base:
        return path
    from ..compose import PART_SEPARATOR, split_parts

    parts = split_parts(path) or [path]
    return PART_SEPARATOR.join(os.path.relpath(p, base) for p in parts)


def _base(paths: list[str]) -> str:
    """The folder all paths share, shown once in the title instead of on every row."""
    from ..compose import split_parts

    files = [f for p in paths for f in (split_parts(p) or [p])]
    try:
        base = os.path.commonpath([os.path.dirname(f) for f in files]) if files else ""
    except ValueError:  # absolute and relative paths mixed
        return ""
    return base if base not in ("", ".", os.sep) else ""


def summary_table(stats: Any, fail_on: str, lang: str = "en") -> RichTable:
    rows = stats.sorted_rows()
    base = _base([r.path for r in rows])
    waivers = getattr(stats, "waivers", False)
    t_ = RichTable(box=box.SIMPLE_HEAD, title=t("batch.title_in", lang, base=base) if base else t("batch.title", lang),
                   title_justify="left", title_style="bold", pad_edge=False, show_footer=True,
                   padding=0, show_edge=False)
    status_words = [t(f"batch.status.{w}", lang) for w in ("ok", "findings", "failed")]
    t_.add_column(t("batch.col.file", lang), footer=t("batch.footer.documents", lang, n=stats.documents),
                  overflow="fold", min_width=12)
    t_.add_column(t("batch.col.template", lang), footer="", overflow="fold")
    t_.add_column(t("batch.col.tables", lang), justify="right", no_wrap=True,
                  footer=str(sum(r.tables for r in rows)))
    t_.add_column(t("batch.col.errors", lang), justify="right", no_wrap=True, footer=str(stats.errors))
    t_.add_column(t("batch.col.warnings", lang), justify="right", no_wrap=True, footer=str(stats.warnings))
    t_.add_column(t("batch.col.notes", lang), justify="right", no_wrap=True, footer=str(stats.notes))
    if waivers:
        t_.add_column(t("batch.col.waived", lang), justify="right", no_wrap=True, footer=str(stats.waived))
    t_.add_column(t("batch.col.seconds", lang), justify="right", no_wrap=True,
                  footer=f"{sum(r.seconds for r in rows):.1f}")
    t_.add_column(t("batch.col.status", lang), footer=t("batch.footer.failed", lang, n=stats.failed),
                  no_wrap=True,
                  min_width=max([cell_len(r.error or "") for r in rows] + [cell_len(w) for w in status_words]
                                + [8]))
    for r in rows:
        cells: list[Any] = [
            _shown(r.path, base), r.template or "—", str(r.tables),
            Text(str(r.errors), style=STYLE["error"] if r.errors else ""),
            Text(str(r.warnings), style=STYLE["warning"] if r.warnings else ""),
            Text(str(r.notes), style="blue" if r.notes else ""),
        ]
        if waivers:
            cells.append(Text(str(r.waived), style="dim"))
        cells += [f"{r.seconds:.2f}", status_text(r, fail_on, lang)]
        t_.add_row(*cells)
    return t_


def _level(fail_on: str, lang: str) -> str:
    return t(f"sev.{fail_on}", lang) if fail_on in ("error", "warning", "note") else fail_on


def totals_line(stats: Any, fail_on: str, lang: str = "en") -> Text:
    with_findings = sum(1 for r in stats.rows if r.status == "ok" and r.fails(fail_on))
    line = Text()
    line.append(t("batch.totals.documents", lang, n=stats.documents), style="bold")
    line.append(t("batch.totals.failed", lang, n=stats.failed), style="bold red" if stats.failed else "")
    if fail_on != "never":
        line.append(t("batch.totals.findings", lang, n=with_findings, level=_level(fail_on, lang)))
    if getattr(stats, "waivers", False):
        line.append(t("batch.totals.waived", lang, n=stats.waived))
        stale = len(stats.stale_waivers)
        line.append(t("batch.totals.stale", lang, n=stale), style="yellow" if stale else "")
    where = (t("batch.where.workers", lang, n=stats.workers) if stats.workers
             else t("batch.where.dask", lang))
    line.append(t("batch.totals.time", lang, seconds=f"{stats.seconds:.1f}", where=where,
                  rate=f"{stats.per_minute:.1f}"), style="dim")
    if stats.from_cache or stats.extractions != stats.documents:
        line.append(t("batch.totals.cache", lang, extracted=stats.extractions, cached=stats.from_cache),
                    style="dim")
    if stats.ignored:
        line.append(t("batch.totals.ignored", lang, n=stats.ignored), style="dim")
    return line


def _where(c: dict[str, Any], lang: str = "en") -> str:
    if c.get("table") is None:
        return t("where.narrative", lang, page=c["page"])
    parts = [c["table"], c.get("row") or "", c.get("column") or ""]
    return " · ".join(p for p in parts if p) + " · " + t("where.page", lang, page=c["page"])


def document_details(doc: dict[str, Any], lang: str = "en", messages: list[str] | None = None) -> Group:
    head = Text()
    head.append(doc["path"], style="bold")
    if doc.get("error"):
        message = doc["error"]["message"].removeprefix(f"{doc['path']}: ")  # the path is the head
        head.append(f"  {doc['error']['code']}: {message}", style="red")
        return Group(Text("✗ ", style="bold red") + head)
    head.append("  " + t("head.template", lang, name=doc.get("template") or t("head.no_template", lang)),
                style="dim")
    parts: list[Any] = [Text("─ ", style="dim") + head]
    if not doc["findings"]:
        parts.append(Text("  " + t("batch.no_findings", lang), style="green"))
    for i, f in enumerate(doc["findings"]):
        waived = f.get("waived")
        sev = f["severity"]
        line = Text("  ")
        if waived:
            line.append(f"{t('sev.waived.tag', lang)} ", style="dim")
        line.append(f"{t(f'sev.{sev}.tag', lang):<5} ", style="dim" if waived else STYLE[sev])
        line.append(f["rule"], style="cyan")
        line.append("  " + (messages[i] if messages is not None and i < len(messages) else f["message"]))
        parts.append(line)
        if waived:
            parts.append(Text("        " + t("finding.waived", lang, reason=waived["reason"])
                              + f"  ({waived['source']})", style="dim"))
        if f.get("expected") is not None and f.get("actual") is not None:
            parts.append(Text.assemble(
                f"        {t('finding.stated', lang)} ", (f["actual"], "bold"),
                f"   {t('finding.computed', lang)} ", (f["expected"], "bold"),
                f"   {t('finding.difference', lang)} ", (f["difference"] or "", STYLE[sev])))
        actual = next((c for c in f["cells"] if c["role"] == "actual"), None)
        if actual is not None:
            parts.append(Text(f"        → {_where(actual, lang)}  {actual['text']}", style="dim"))
    return Group(*parts)
