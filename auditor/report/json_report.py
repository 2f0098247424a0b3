"""``--format json``: the contract of REPORT-JSON.md (schema ``budget-audit/1``).

Output is deterministic: keys in a fixed order, documents in the order given,
findings in their sorted order, no timestamps.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import IO, Any, Iterable, Mapping

from .. import __version__, coverage
from ..model import Audit

SCHEMA_ID = "budget-audit/1"


def decimal_text(d: Decimal | None) -> str | None:
    """A decimal as plain text: never an exponent, at most 6 decimals."""
    if d is None:
        return None
    if d.as_tuple().exponent < -6:  # type: ignore[operator]
        d = d.quantize(Decimal("0.000001"))
    return format(d, "f")


def document_dict(a: Audit, waivers: Mapping[str, Any] | None = None) -> dict[str, Any]:
    doc = a.document
    applied = waivers.get(a.path) if waivers else None
    findings = []
    for f in a.findings:
        d = f.to_dict()
        d["expected"] = decimal_text(f.expected)
        d["actual"] = decimal_text(f.actual)
        d["difference"] = decimal_text(f.difference)
        if f.context:
            d["context"] = f.context
        findings.append(d)
    out = {
        "path": a.path,
        "status": a.status,
        "error": {"code": a.error[0], "message": a.error[1]} if a.error else None,
        "template": a.template,
        "unit": doc.unit if doc and doc.unit in ("万元", "元") else None,
        "pages": doc.pages if doc else 0,
        "tables": [
            {"id": t.id, "title": t.title, "role": t.role, "pages": list(t.pages), "rows": len(t.rows),
             "columns": len(t.columns), "empty": t.empty}
            for t in (doc.tables if doc else ())
        ],
        "checks": a.checks(),
        # why each skipped rule was skipped, and what could not be read: nothing silently
        "skipped": [{"rule": o.rule, "count": o.skipped, "reasons": list(o.skip_reasons)}
                    for o in a.outcomes if o.skipped],
        "issues": [i.to_dict() for i in (doc.issues if doc else ())],
        "findings": findings,
    }
    cov = coverage.of(a)
    if cov is not None:  # figures read, and those some evaluated relation judged
        out["coverage"] = cov.to_dict()
    if a.convention is not None:  # how the document prints its rates (auditor/convention.py)
        out["convention"] = a.convention.to_dict()
    if applied is not None:
        mark_waivers(out, applied)
    return out


def mark_waivers(document: dict[str, Any], applied: Any) -> dict[str, Any]:
    """Mark a ``documents[]`` entry with its waivers (``auditor.waivers.Applied``): each
    waived finding gets ``waived``, the document ``waivers: {applied, stale}``."""
    for i, d in enumerate(document["findings"]):
        w = applied.waiver(i)
        if w is not None:
            d["waived"] = {"reason": w.reason, "source": w.origin}
    document["waivers"] = {"applied": len(applied.waived),
                           "stale": [w.to_dict() for w in applied.stale]}
    return document


def report_dict(audits: Iterable[Audit], waivers: Mapping[str, Any] | None = None) -> dict[str, Any]:
    docs = [document_dict(a, waivers) for a in audits]
    return {
        "schema": SCHEMA_ID,
        "tool": {"name": "budget-audit", "version": __version__},
        "documents": docs,
        "summary": summary(docs, waivers is not None),
    }


def summary(docs: list[dict[str, Any]], with_waivers: bool = False) -> dict[str, int]:
    """Counts by severity.  ``errors`` etc. count every finding listed, waived or
    not (the meaning they had before waivers existed); with waivers in play,
    ``waived`` counts the waived ones and ``stale_waivers`` those that matched
    nothing, so unwaived errors are ``errors`` minus the waived errors."""

    def count(sev: str) -> int:
        return sum(1 for d in docs for f in d["findings"] if f["severity"] == sev)

    out = {
        "documents": len(docs),
        "failed": sum(1 for d in docs if d["status"] == "failed"),
        "errors": count("error"),
        "warnings": count("warning"),
        "notes": count("note"),
    }
    if with_waivers:
        out["waived"] = sum(1 for d in docs for f in d["findings"] if "waived" in f)
        stale = {(w["source"], w["rule"]) for d in docs for w in d.get("waivers", {}).get("stale", ())}
        out["stale_waivers"] = len(stale)
    return out


def render(audits: Iterable[Audit], out: IO[str], *, waivers: Mapping[str, Any] | None = None,
           **_: Any) -> None:
    json.dump(report_dict(audits, waivers), out, ensure_ascii=False, indent=2)
    out.write("\n")
