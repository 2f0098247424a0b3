"""``--format sarif``: SARIF 2.1.0 for code-scanning dashboards.

One run for all documents.  Each PDF is an artifact; each finding a result
whose physical location is the PDF and a region for the page of its stated
figure, and whose logical locations are table → row → cell (or the
narrative), declared once in ``run.logicalLocations`` with parent indexes.

A PDF has no text lines, but SARIF viewers place a result by
``region.startLine``: it holds the **page number**, and
``region.properties`` restates it (``page``) with the figure's rectangle
(``bbox``, PDF points, origin bottom-left) when known.  The other figures
of the finding are ``relatedLocations``.  Waived findings carry a
``suppressions`` entry (kind ``external``: the waiver file) with the reason.
Rules evaluated are in ``tool.driver.rules``, with their description and
default level.  ``partialFingerprints`` key a result by rule and cell (never
by page), as waivers are keyed.
"""

from __future__ import annotations

import hashlib
import json
from typing import IO, Any, Iterable
from urllib.parse import quote

from .. import __version__
from ..messages import default_lang, t
from ..model import Audit, Figure, Finding
from .common import Waivers, entries, message, stale, values_line
from .json_report import decimal_text

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "note": "note"}


def uri(path: str) -> str:
    return quote(path.replace("\\", "/"), safe="/:._-~")


def fqn(fig: Figure) -> tuple[str, ...]:
    """The logical path of a figure: (table, row, column) or ("说明",)."""
    if fig.table is None:
        return ("说明",)
    return tuple(p for p in (fig.table, fig.row, fig.column) if p)


def _fqn_text(parts: tuple[str, ...]) -> str:
    head, *rest = parts
    return head + "".join(f"[{p}]" for p in rest)


class _Logical:
    """run.logicalLocations, each path declared once with its parents."""

    KINDS = ("object", "element", "value")  # table, row, cell

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.index: dict[tuple[str, ...], int] = {}

    def add(self, parts: tuple[str, ...]) -> int:
        if parts in self.index:
            return self.index[parts]
        parent = self.add(parts[:-1]) if len(parts) > 1 else None
        if parts == ("说明",):
            kind = "text"
        else:
            kind = self.KINDS[min(len(parts), 3) - 1]
        item: dict[str, Any] = {"name": parts[-1], "fullyQualifiedName": _fqn_text(parts), "kind": kind}
        if parent is not None:
            item["parentIndex"] = parent
        self.items.append(item)
        self.index[parts] = len(self.items) - 1
        return self.index[parts]


def _location(fig: Figure, artifact: int, path: str, logical: _Logical, lang: str) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": fig.page, "properties": {"page": fig.page}}
    if fig.bbox is not None:
        region["properties"]["bbox"] = [round(v, 2) for v in fig.bbox]
    region["snippet"] = {"text": fig.text}
    parts = fqn(fig)
    return {
        "physicalLocation": {"artifactLocation": {"uri": uri(path), "index": artifact}, "region": region},
        "logicalLocations": [{"index": logical.add(parts), "fullyQualifiedName": _fqn_text(parts)}],
        "message": {"text": t("where.page", lang, page=fig.page) + " " + fig.text},
    }


def _fingerprint(f: Finding) -> str:
    cells = sorted("/".join(fqn(c.figure)) + "=" + c.role for c in f.cells)
    text = "\x1f".join([f.rule, *cells, (f.context or "")[:80] if not f.table else ""])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _rules(audits: list[Audit], packs: Any) -> tuple[list[dict[str, Any]], dict[str, int]]:
    from ..checks import KINDS

    seen: dict[str, str] = {}
    for a in audits:
        for o in a.outcomes:
            seen.setdefault(o.rule, o.kind)
        for f in a.findings:
            seen.setdefault(f.rule, f.kind)
    out: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for rid, kind in seen.items():
        rule = packs.rule(rid) if packs is not None and hasattr(packs, "rule") else None
        doc = (KINDS[kind].__doc__ or "").strip() if kind in KINDS else ""
        first = doc.split("\n\n")[0].replace("\n", " ") if doc else kind
        desc = getattr(rule, "description", "") or first
        item: dict[str, Any] = {
            "id": rid,
            "shortDescription": {"text": desc},
            "fullDescription": {"text": first},
            "defaultConfiguration": {"level": LEVEL.get(getattr(rule, "severity", "error"), "error")},
            "properties": {"kind": kind},
        }
        if rule is not None and getattr(rule, "source", ""):
            item["properties"]["source"] = rule.source
        if rule is not None and getattr(rule, "pack", ""):
            item["properties"]["pack"] = rule.pack
        index[rid] = len(out)
        out.append(item)
    return out, index


def sarif_log(audits: Iterable[Audit], *, lang: str = "en", waivers: Waivers | None = None,
              packs: Any = None) -> dict[str, Any]:
    audits = list(audits)
    rules, rule_index = _rules(audits, packs)
    logical = _Logical()
    artifacts: list[dict[str, Any]] = []
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for a in audits:
        art = len(artifacts)
        artifact: dict[str, Any] = {"location": {"uri": uri(a.path)}, "mimeType": "application/pdf",
                                    "roles": ["analysisTarget"]}
        if a.document is not None:
            artifact["properties"] = {"pages": a.document.pages, "template": a.template}
        artifacts.append(artifact)
        if a.error:
            notifications.append({
                "level": "error",
                "message": {"text": t("sarif.failed", lang, path=a.path, code=a.error[0], message=a.error[1])},
                "descriptor": {"id": a.error[0]},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(a.path), "index": art}}}],
            })
            continue
        for e in entries(a, waivers):
            f = e.finding
            text = message(f, lang)
            values = values_line(f, lang)
            if values:
                text += f" ({values})"
            res: dict[str, Any] = {
                "ruleId": f.rule,
                "level": LEVEL[f.severity],
                "kind": "fail",
                "message": {"text": text},
                "partialFingerprints": {"budgetAudit/v1": _fingerprint(f)},
                "properties": {
                    "kind": f.kind,
                    "expected": decimal_text(f.expected),
                    "actual": decimal_text(f.actual),
                    "difference": decimal_text(f.difference),
                },
            }
            if f.rule in rule_index:
                res["ruleIndex"] = rule_index[f.rule]
            if f.context:
                res["properties"]["context"] = f.context
            stated = [c for c in f.cells if c.role == "actual"] or list(f.cells[:1])
            others = [c for c in f.cells if c not in stated]
            if stated:
                res["locations"] = [_location(stated[0].figure, art, a.path, logical, lang)]
            else:
                res["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": uri(a.path), "index": art}}}]
            if others:
                res["relatedLocations"] = [
                    {"id": k + 1, **_location(c.figure, art, a.path, logical, lang)}
                    for k, c in enumerate(others[:100])
                ]
            if e.waiver is not None:
                w = e.waiver
                res["suppressions"] = [{
                    "kind": "external",
                    "status": "accepted",
                    "justification": w.reason,
                    "location": {"physicalLocation": {
                        "artifactLocation": {"uri": uri(w.source)},
                        "region": {"startLine": max(w.line, 1), "startColumn": max(w.col, 1)},
                    }},
                }]
            results.append(res)
        for w in stale(a, waivers):
            notifications.append({
                "level": "warning",
                "message": {"text": t("waivers.stale.item", lang, source=w.origin, rule=w.rule, where=w.where)},
                "descriptor": {"id": "stale-waiver"},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri(w.source)},
                    "region": {"startLine": max(w.line, 1), "startColumn": max(w.col, 1)},
                }}],
            })
    # The same stale waiver is listed once even when it applies to several documents.
    unique: list[dict[str, Any]] = []
    for n in notifications:
        if n not in unique:
            unique.append(n)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "budget-audit",
            "version": __version__,
            "semanticVersion": __version__,
            "language": "zh-CN" if lang == "zh" else "en-US",
            "rules": rules,
        }},
        "invocations": [{
            "executionSuccessful": not any(a.error for a in audits),
            "toolExecutionNotifications": unique,
        }],
        "artifacts": artifacts,
        "logicalLocations": logical.items,
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(audits: Iterable[Audit], out: IO[str], *, lang: str | None = None,
           waivers: Waivers | None = None, packs: Any = None, **_: Any) -> None:
    log = sarif_log(audits, lang=lang or default_lang(), waivers=waivers, packs=packs)
    json.dump(log, out, ensure_ascii=False, indent=2)
    out.write("\n")
