"""``--format json``: the contract of REPORT-JSON.md (schema ``budget-audit/1``).

Output is deterministic: keys in a fixed order, documents in the order given,
findings in their sorted order, no timestamps.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import IO, Any, Iterable

from .. import __version__
from ..model import Audit

SCHEMA_ID = "budget-audit/1"


def decimal_text(d: Decimal | None) -> str | None:
    """A decimal as plain text: never an exponent, at most 6 decimals."""
    if d is None:
        return None
    if d.as_tuple().exponent < -6:  # type: ignore[operator]
        d = d.quantize(Decimal("0.000001"))
    return format(d, "f")


def document_dict(a: Audit) -> dict[str, Any]:
    doc = a.document
    findings = []
    for f in a.findings:
        d = f.to_dict()
        d["expected"] = decimal_text(f.expected)
        d["actual"] = decimal_text(f.actual)
        d["difference"] = decimal_text(f.difference)
        if f.context:
            d["context"] = f.context
        findings.append(d)
    return {
        "path": a.path,
        "status": a.status,
        "error": {"code": a.error[0], "message": a.error[1]} if a.error else None,
        "template": a.template,
        "unit": doc.unit if doc and doc.unit in ("万元", "元") else None,
        "pages": doc.pages if doc else 0,
        "tables": [
            {"id": t.id, "title": t.title, "pages": list(t.pages), "rows": len(t.rows),
             "columns": len(t.columns), "empty": t.empty}
            for t in (doc.tables if doc else ())
        ],
        "checks": a.checks(),
        "findings": findings,
    }


def report_dict(audits: Iterable[Audit]) -> dict[str, Any]:
    docs = [document_dict(a) for a in audits]
    return {
        "schema": SCHEMA_ID,
        "tool": {"name": "budget-audit", "version": __version__},
        "documents": docs,
        "summary": summary(docs),
    }


def summary(docs: list[dict[str, Any]]) -> dict[str, int]:
    def count(sev: str) -> int:
        return sum(1 for d in docs for f in d["findings"] if f["severity"] == sev)

    return {
        "documents": len(docs),
        "failed": sum(1 for d in docs if d["status"] == "failed"),
        "errors": count("error"),
        "warnings": count("warning"),
        "notes": count("note"),
    }


def render(audits: Iterable[Audit], out: IO[str], **_: Any) -> None:
    json.dump(report_dict(audits), out, ensure_ascii=False, indent=2)
    out.write("\n")
