"""Progress of a batch on standard error: a rich progress bar on a terminal
(documents done, rate, time left), one plain line per document otherwise,
and a closing line with the totals and the cache counters."""

from __future__ import annotations

import sys
from typing import IO, Any

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn,
                           TextColumn, TimeElapsedColumn, TimeRemainingColumn)
from rich.text import Text


class RateColumn(ProgressColumn):
    def render(self, task: Any) -> Text:
        speed = task.finished_speed or task.speed
        return Text("—/min" if speed is None else f"{speed * 60:.1f}/min", style="progress.data.speed")


class ProgressSink:
    ordered = False

    def __init__(self, err: IO[str] | None = None, *, live: bool | None = None):
        err = err or sys.stderr
        self.live = err.isatty() if live is None else live
        self.console = Console(file=err, highlight=False, soft_wrap=True,
                               force_terminal=self.live or None, no_color=not self.live)
        self.progress: Progress | None = None
        self.task: Any = None
        self.total = 0
        self.done = 0
        self.failed = 0

    def start(self, stats: Any) -> None:
        self.total = stats.total
        where = f"{stats.workers} workers" if stats.workers else "a Dask cluster"
        if self.live:
            self.progress = Progress(
                TextColumn("[bold]auditing"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                TextColumn("{task.description}"),
                console=self.console, transient=True)
            self.progress.start()
            self.task = self.progress.add_task("", total=stats.total)
        else:
            self.console.print(f"audit: {stats.total} documents on {where}")

    def add(self, result: Any) -> None:
        row = result.row
        self.done += 1
        if row.status == "failed":
            self.failed += 1
        if self.progress is not None:
            if row.status == "failed":
                self.progress.console.print(Text.assemble(
                    ("✗ ", "bold red"), row.path, f"  {row.error}: ",
                    (result.document["error"]["message"].removeprefix(f"{row.path}: "), "dim")))
            desc = f"[red]{self.failed} failed" if self.failed else ""
            self.progress.update(self.task, advance=1, description=desc)
            return
        if row.status == "failed":
            what = f"failed: {row.error}: {result.document['error']['message'].removeprefix(row.path + ': ')}"
        else:
            what = f"ok, {row.errors} errors, {row.warnings} warnings, {row.notes} notes"
            if row.waived:
                what += f", {row.waived} waived"
        self.console.print(f"audit: [{self.done}/{self.total}] {row.path}: {what} "
                           f"({row.seconds:.2f} s)", markup=False)

    def finish(self, stats: Any) -> None:
        self.close()
        where = f"{stats.workers} workers" if stats.workers else "the Dask cluster"
        line = (f"audit: {stats.documents} documents in {stats.seconds:.1f} s on {where} "
                f"({stats.per_minute:.1f} per minute), {stats.failed} failed; "
                f"{stats.extractions} extracted, {stats.from_cache} from the cache")
        if stats.ignored:
            line += f"; {stats.ignored} other files ignored"
        self.console.print(line, markup=False, style="dim" if self.live else None)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
