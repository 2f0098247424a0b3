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
