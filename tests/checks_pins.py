"""What a corpus pin holds (scripts/pin_checks.py writes them, the corpus tests read them)."""

from __future__ import annotations

from typing import Any, Iterable


def pins_of(checks: dict[str, int], outcomes: Iterable[Any]) -> dict[str, Any]:
    """Instances evaluated and skipped, and the rules never evaluated (sorted)."""
    return {"evaluated": checks["evaluated"], "skipped": checks["skipped"],
            "unevaluated": sorted(o.rule for o in outcomes if o.evaluated == 0)}
