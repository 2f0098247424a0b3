"""Batch reporters ("sinks"): fed one finished document at a time by
``auditor.batch.audit_batch``, so that reports stream and memory stays flat.

A sink has ``start(stats)``, ``add(result)``, ``finish(stats)`` and
``close()``; with ``ordered = True`` it gets the documents in file order.
"""

from __future__ import annotations

import json
from typing import IO, Any, Callable

from .. import __version__
from .json_report import SCHEMA_ID, summary

BATCH_FORMATS = ("rich", "json", "jsonl", "csv")


def get_sink(fmt: str, out: IO[str], **options: Any) -> Any:
    """The batch reporter of a format; rich takes ``fail_on``, ``details``, ``color``, ``lang``."""
    if fmt == "json":
        return JsonSink(out)
    if fmt == "jsonl":
        from .jsonl_report import JsonlSink

        return JsonlSink(out)
    if fmt == "csv":
        from .csv_report import CsvSink

        return CsvSink(out)
    if fmt == "rich":
        from .batch_report import SummarySink

        return SummarySink(out, **options)
    raise ValueError(f"unknown batch format {fmt!r}; choose one of {', '.join(BATCH_FORMATS)}")


def get_renderer(fmt: str) -> Callable[..., Any]:
    """``render(audits, out, **options)`` of a format, the batch-born ones included."""
    if fmt in ("jsonl", "csv"):
        import importlib

        return importlib.import_module(f".{fmt}_report", __package__).render
    from . import get_reporter

    return get_reporter(fmt)


class JsonSink:
    """The same report for a batch, written as the documents finish (in file order).

    Only the running totals stay in memory; ``summary`` comes last, as the
    contract's key order has it anyway.  With waivers in play it gains
    ``waived`` and ``stale_waivers``, as a single document's report.  The
    findings keep their English ``message`` whatever ``--lang`` (the contract).
    """

    ordered = True

    def __init__(self, out: IO[str]):
        self.out = out
        self.first = True
        self.totals = {"documents": 0, "failed": 0, "errors": 0, "warnings": 0, "notes": 0, "waived": 0}

    def start(self, stats: Any) -> None:
        head = json.dumps({"schema": SCHEMA_ID, "tool": {"name": "budget-audit", "version": __version__}},
                          ensure_ascii=False, indent=2)
        self.out.write(head[:-2] + ',\n  "documents": [')

    def add(self, result: Any) -> None:
        doc = result.document
        text = json.dumps(doc, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        self.out.write(("\n    " if self.first else ",\n    ") + text)
        self.first = False
        part = summary([doc], with_waivers=True)
        for k in self.totals:
            self.totals[k] += part[k]

    def finish(self, stats: Any) -> None:
        totals = dict(self.totals)
        if getattr(stats, "waivers", False):
            totals["stale_waivers"] = len(stats.stale_waivers)
        else:
            del totals["waived"]
        tail = json.dumps(totals, indent=2).replace("\n", "\n  ")
        self.out.write(("]" if self.first else "\n  ]") + ',\n  "summary": ' + tail + "\n}\n")
        self.out.flush()

    def close(self) -> None:
        pass
