"""What the audit read and what it judged: the coverage of a document.

A figure is *covered* when it took part in at least one evaluated relation
(passed, within rounding or failed; a skipped instance covers nothing): the
stated figure or an operand, in a table or in the narrative.  Table figures
are the printed amounts of table cells (a blank cell is no figure); narrative
figures are every amount and percentage of the running text.  The engine
records what each relation judged (``Audit.table_checked``,
``Audit.narrative_checked``); this module counts and lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from .model import Audit, Figure


@dataclass(frozen=True)
class Coverage:
    table_figures: int
    table_covered: int
    narrative_figures: int
    narrative_covered: int

    @property
    def figures(self) -> int:
        return self.table_figures + self.narrative_figures

    @property
    def covered(self) -> int:
        return self.table_covered + self.narrative_covered

    def to_dict(self) -> dict[str, Any]:
        return {"table": {"figures": self.table_figures, "covered": self.table_covered},
                "narrative": {"figures": self.narrative_figures, "covered": self.narrative_covered}}


def table_figures(a: Audit) -> Iterator[tuple[Figure, bool]]:
    """Every printed table figure of the audited document, and whether a relation judged it."""
    if a.document is None:
        return
    for t in a.document.tables:
        for row in t.rows:
            for col, f in row.cells.items():
                if not f.blank:
                    yield f, (t.id, row.key, col) in a.table_checked


def narrative_figures(a: Audit) -> Iterator[tuple[Figure, bool]]:
    if a.document is None:
        return
    for f in a.document.narrative.figures:
        yield f, f.span in a.narrative_checked


def of(a: Audit) -> Coverage | None:
    """The document's coverage; None for a document that could not be audited."""
    if a.document is None or a.error:
        return None
    tables = [c for _, c in table_figures(a)]
    text = [c for _, c in narrative_figures(a)]
    return Coverage(len(tables), sum(tables), len(text), sum(text))


def uncovered(a: Audit) -> list[Figure]:
    """The figures no evaluated relation judged: table figures in print order, then the narrative's."""
    return [f for f, c in table_figures(a) if not c] + [f for f, c in narrative_figures(a) if not c]


def percent(covered: int, total: int) -> str:
    return f"{100 * covered / total:.0f}%" if total else "—"
