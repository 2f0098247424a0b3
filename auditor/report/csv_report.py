"""``--format csv``: one row per finding, for spreadsheets.

The location (table, row, column, page) is that of the finding's stated
figure (the cell with role ``actual``), else of its first cell.  A document
that could not be audited gets one row with its error code in ``error``.
``waived`` holds the reason of the waiver that accepts the finding (empty
when none does): a waived finding does not count towards the exit code.
"""

from __future__ import annotations

import csv
from typing import IO, Any, Iterable, Iterator

from ..model import Audit
from .json_report import document_dict

COLUMNS = ("path", "rule", "kind", "severity", "table", "row", "column", "page",
           "expected", "actual", "difference", "message", "error", "waived")


def rows(document: dict[str, Any]) -> Iterator[list[Any]]:
    path = document["path"]
    if document.get("error"):
        err = document["error"]
        yield [path, "", "", "", "", "", "", "", "", "", "", err["message"], err["code"], ""]
        return
    for f in document["findings"]:
        cells = f.get("cells") or []
        at = next((c for c in cells if c["role"] == "actual"), cells[0] if cells else {})
        yield [path, f["rule"], f["kind"], f["severity"], at.get("table") or "",
               at.get("row") or "", at.get("column") or "", at.get("page") or "",
               f["expected"] or "", f["actual"] or "", f["difference"] or "", f["message"], "",
               (f.get("waived") or {}).get("reason", "")]


def render(audits: Iterable[Audit], out: IO[str], *, waivers: Any = None, **_: Any) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for a in audits:
        w.writerows(rows(document_dict(a, waivers)))


class CsvSink:
    ordered = True

    def __init__(self, out: IO[str]):
        self.out = out
        self.writer = csv.writer(out, lineterminator="\n")

    def start(self, stats: Any) -> None:
        self.writer.writerow(COLUMNS)

    def add(self, result: Any) -> None:
        self.writer.writerows(rows(result.document))
        self.out.flush()

    def finish(self, stats: Any) -> None:
        self.out.flush()

    def close(self) -> None:
        pass
