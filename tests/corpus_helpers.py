"""Shared by the corpus tests (real and cities) and scripts/pin_checks.py."""

from __future__ import annotations

from typing import Any, Iterable


def pins_of(checks: dict[str, int], outcomes: Iterable[Any]) -> dict[str, Any]:
    """Instances evaluated and skipped, and the rules never evaluated (sorted)."""
    return {"evaluated": checks["evaluated"], "skipped": checks["skipped"],
            "unevaluated": sorted(o.rule for o in outcomes if o.evaluated == 0)}


def recorded(e: dict[str, Any]) -> tuple:
    """Where a confirmed finding of the expectations points: table/row/column, or the
    narrative page and figure as printed, or nowhere (a message)."""
    if e.get("table") is not None:
        return ("table", e["table"], e.get("row"), e.get("column"))
    if "page" in e:
        return ("text", e["page"], e.get("text"))
    return ("message",)


def coverage_pin(coverage: dict[str, Any] | None) -> dict[str, list[int]] | None:
    """A document's coverage as pinned: [covered, figures] for the tables and the narrative."""
    if coverage is None:
        return None
    return {part: [coverage[part]["covered"], coverage[part]["figures"]] for part in ("table", "narrative")}


def roles_of(tables: Iterable[Any]) -> list[list[Any]]:
    """[id, role] of every table, in print order (dicts of the JSON report or ``Table``s)."""
    out = []
    for t in tables:
        tid, role = (t["id"], t["role"]) if isinstance(t, dict) else (t.id, t.role)
        out.append([tid, role])
    return out
