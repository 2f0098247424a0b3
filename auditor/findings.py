"""What the checks find: ``Finding`` (with its ``CellRef``s), ``RuleOutcome``,
``Convention`` and ``Audit``, the result for one document.

The other half of the model (``auditor.model`` re-exports all of it): the
document side is ``Document``, ``Table``, ``Row``, ``Figure``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Mapping

from .figures import Figure

if TYPE_CHECKING:  # pragma: no cover
    from .model import Document, Issue

SEVERITIES = ("error", "warning", "note")
SEVERITY_RANK = {"note": 1, "warning": 2, "error": 3}


@dataclass(frozen=True)
class CellRef:
    role: str  # "actual" (the stated figure) or "operand"
    figure: Figure

    def to_dict(self) -> dict[str, Any]:
        f = self.figure
        d = {"role": self.role, "table": f.table, "row": f.row, "column": f.column,
             "page": f.page, "text": f.text, "value": str(f.value)}
        if f.source is not None:
            d["file"] = f.source
        return d


@dataclass(frozen=True)
class Finding:
    rule: str
    kind: str
    severity: str  # error | warning | note
    message: str
    expected: Decimal | None = None
    actual: Decimal | None = None
    cells: tuple[CellRef, ...] = ()
    context: str | None = None  # the narrative sentence, when the finding is about text
    # the message as a catalogue key (auditor/messages.py) and its values, so a
    # report can print it in the reader's language; ``message`` is its English text
    message_key: str | None = field(default=None, compare=False)
    message_args: Mapping[str, Any] | None = field(default=None, compare=False)
    # a stated rate: printed rounded | truncated | both | neither (checks.judging.printed_as)
    printed: str | None = field(default=None, compare=False)

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected

    @property
    def stated(self) -> Figure | None:
        """The stated figure (the cell of role ``actual``), else the first cell's figure."""
        for c in self.cells:
            if c.role == "actual":
                return c.figure
        return self.cells[0].figure if self.cells else None

    @property
    def table(self) -> str | None:
        """The table the finding is about (that of its stated figure), None for text."""
        fig = self.stated
        return fig.table if fig is not None else None

    @property
    def page(self) -> int | None:
        fig = self.stated
        return fig.page if fig is not None else None

    def sort_key(self) -> tuple:
        return (-SEVERITY_RANK[self.severity], self.page or 0, self.table or "", self.rule,
                [(c.figure.page, c.figure.row or "", c.figure.column or "") for c in self.cells])

    def to_dict(self) -> dict[str, Any]:
        diff = self.difference
        return {
            "rule": self.rule,
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "expected": None if self.expected is None else str(self.expected),
            "actual": None if self.actual is None else str(self.actual),
            "difference": None if diff is None else str(diff),
            "cells": [c.to_dict() for c in self.cells],
        }


@dataclass(frozen=True)
class RuleOutcome:
    """How one rule fared: the counts behind "nothing is silently skipped"."""

    rule: str
    kind: str
    evaluated: int = 0
    passed: int = 0
    failed: int = 0  # instances with an error or warning finding
    noted: int = 0  # instances within rounding (counted as passed too)
    skipped: int = 0
    skip_reasons: tuple[str, ...] = ()
    # reading problems the rule's outcomes reveal (a table where it fails almost
    # everywhere: layout not understood); the audit adds them to the document's issues
    issues: tuple[Issue, ...] = ()
    # instances whose stated rate only rounding / only truncation gives (auditor/convention.py)
    rounded: int = 0
    truncated: int = 0


@dataclass(frozen=True)
class Convention:
    """How the document prints its rates, decided once every rule has run
    (``auditor/convention.py``): ``rates`` is ``rounded``, ``truncated`` (cut
    at the printed decimals) or ``mixed``; ``rounded`` / ``truncated`` count
    the relations whose stated rate only rounding / only truncation gives; ``noted`` the
    findings that were only truncation and are notes in a truncating document."""

    rates: str
    rounded: int
    truncated: int
    noted: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"rates": self.rates, "rounded": self.rounded, "truncated": self.truncated,
                "noted": self.noted}


@dataclass(frozen=True)
class Audit:
    """The result for one document: what reporters render."""

    path: str
    document: Document | None
    template: str | None
    findings: tuple[Finding, ...]
    outcomes: tuple[RuleOutcome, ...]
    error: tuple[str, str] | None = None  # (code, message) when the document failed
    seconds: float = 0.0
    # spans (Narrative offsets) of the narrative figures some relation judged
    narrative_checked: frozenset[tuple[int, int]] = frozenset()
    # (table, row, column) of the table figures some relation judged (auditor/coverage.py)
    table_checked: frozenset[tuple[str, str, str]] = frozenset()
    # the document's rounding convention for rates, when any judged rate tells
    convention: Convention | None = None

    @classmethod
    def failed(cls, path: str, code: str, message: str, *, seconds: float = 0.0,
               document: Document | None = None) -> Audit:
        """A document that could not be audited: no finding, no outcome, ``error`` (code, one line)."""
        return cls(path=path, document=document, template=None, findings=(), outcomes=(),
                   error=(code, message), seconds=seconds)

    @property
    def status(self) -> str:
        return "failed" if self.error else "ok"

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def checks(self) -> dict[str, int]:
        return {
            "evaluated": sum(o.evaluated for o in self.outcomes),
            "passed": sum(o.passed for o in self.outcomes),
            "failed": sum(o.failed for o in self.outcomes),
            "skipped": sum(o.skipped for o in self.outcomes),
        }
