"""What the audit read and what it judged: the coverage of a document.

A figure is *covered* when it took part in at least one evaluated relation
(passed, within rounding or failed; a skipped instance covers nothing): the
stated figure or an operand, in a table or in the narrative.  Table figures
are the printed amounts of table cells (a blank cell is no figure); narrative
figures are every amount and percentage of the running text, except a target
or a threshold no relation judged (绩效目标 指标值 ≥90%, 项目验收合格率为100%,
单价100万元以上的设备, 力争规模达200亿元): a bound is not a figure of the budget, and no relation
could cover it.  Those are counted apart (``targets``).  The engine
records what each relation judged (``Audit.table_checked``,
``Audit.narrative_checked``); this module counts and lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from .model import Audit, Figure


@dataclass(frozen=True)
class Coverage:
    table_figures: int
    table_covered: int
    narrative_figures: int
    narrative_covered: int
    narrative_targets: int = 0  # targets and thresholds, not counted in narrative_figures

    @property
    def figures(self) -> int:
        return self.table_figures + self.narrative_figures

    @property
    def covered(self) -> int:
        return self.table_covered + self.narrative_covered

    def to_dict(self) -> dict[str, Any]:
        return {"table": {"figures": self.table_figures, "covered": self.table_covered},
                "narrative": {"figures": self.narrative_figures, "covered": self.narrative_covered,
                              "targets": self.narrative_targets}}


def table_figures(a: Audit) -> Iterator[tuple[Figure, bool]]:
    """Every printed table figure of the audited document, and whether a relation judged it."""
    if a.document is None:
        return
    for t in a.document.tables:
        for row in t.rows:
            for col, f in row.cells.items():
                if not f.blank:
                    yield f, (t.id, row.key, col) in a.table_checked


# A bound, not an amount: the words or signs before a figure, or after its unit.
_BOUND_BEFORE = re.compile(r"(?:[≥≤＞＜><=＝]|不低于|不少于|不高于|不超过|不大于|不小于|低于|高于|大于|小于|达到|达|超过"
                           r"|提升至|提高至|降至|降低至|控制在|保持在)$")
_BOUND_AFTER = re.compile(r"(?:亿元|万元|元|%)?(?:左右|以上|以下|以内|及以上|[（(]含[)）])")
# an indicator's rate (项目验收合格率为100%, 满意度达95%): a percentage after 率 / 度, not a
# share or a change of the budget (增长率 and 下降率 are)
_INDICATOR = re.compile(r"(?<!增长)(?<!下降)(?<!增减)(?<!变动)[率度](?:为|达|达到)?$")


def is_target(text: str, figure: Figure) -> bool:
    """Whether a narrative figure states a target or a threshold (≥90%, 100万元以上)."""
    if figure.span is None:
        return False
    start, end = figure.span
    return bool(_BOUND_BEFORE.search(text, max(0, start - 4), start)
                or _BOUND_AFTER.match(text, end)
                or figure.unit == "%" and _INDICATOR.search(text, max(0, start - 6), start))


def narrative_figures(a: Audit) -> Iterator[tuple[Figure, bool]]:
    """Every narrative figure but the targets no relation judged, and whether one did."""
    if a.document is None:
        return
    for f, covered, target in _narrative(a):
        if not target:
            yield f, covered


def _narrative(a: Audit) -> Iterator[tuple[Figure, bool, bool]]:
    assert a.document is not None
    text = a.document.narrative.text
    for f in a.document.narrative.figures:
        covered = f.span in a.narrative_checked
        yield f, covered, not covered and is_target(text, f)


def of(a: Audit) -> Coverage | None:
    """The document's coverage; None for a document that could not be audited."""
    if a.document is None or a.error:
        return None
    tables = [c for _, c in table_figures(a)]
    text = [c for _, c in narrative_figures(a)]
    targets = sum(t for _, _, t in _narrative(a))
    return Coverage(len(tables), sum(tables), len(text), sum(text), targets)


def uncovered(a: Audit) -> list[Figure]:
    """The figures no evaluated relation judged: table figures in print order, then the narrative's."""
    return [f for f, c in table_figures(a) if not c] + [f for f, c in narrative_figures(a) if not c]


def percent(covered: int, total: int) -> str:
    return f"{100 * covered / total:.0f}%" if total else "—"
