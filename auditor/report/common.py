"""What every reporter shares: locations as text, waived or not, counts.

Pure presentation: nothing here judges a relation.  ``Entry`` pairs a finding
with its index and waiver; ``entries(audit, waivers)`` lists them in the
audit's (sorted) order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..messages import finding_message, t
from ..model import Audit, Figure, Finding
from ..waivers import Applied, Waiver
from .json_report import decimal_text

Waivers = Mapping[str, Applied]


@dataclass(frozen=True)
class Entry:
    index: int  # in Audit.findings
    finding: Finding
    waiver: Waiver | None

    @property
    def waived(self) -> bool:
        return self.waiver is not None


def applied(audit: Audit, waivers: Waivers | None) -> Applied:
    if not waivers:
        return Applied()
    return waivers.get(audit.path) or Applied()


def entries(audit: Audit, waivers: Waivers | None = None) -> list[Entry]:
    ap = applied(audit, waivers)
    return [Entry(i, f, ap.waiver(i)) for i, f in enumerate(audit.findings)]


def counts(audit: Audit, waivers: Waivers | None = None) -> dict[str, int]:
    """Findings by severity, not waived; ``waived`` counts the waived ones."""
    out = {"error": 0, "warning": 0, "note": 0, "waived": 0}
    for e in entries(audit, waivers):
        if e.waived:
            out["waived"] += 1
        else:
            out[e.finding.severity] += 1
    return out


def where(fig: Figure, lang: str = "en", *, page: bool = True) -> str:
    """``表5 · 2080109 · 一般公共预算支出/合计 · p.3`` or ``说明 p.2``."""
    # a document read from several files (narrative + tables): name the file
    file = f"{fig.source.rsplit('/', 1)[-1]} · " if fig.source else ""
    if fig.table is None:
        return file + t("where.narrative", lang, page=fig.page)
    parts = [p for p in (fig.table, fig.row or "", fig.column or "") if p]
    text = file + " · ".join(parts)
    if page:
        text += " · " + t("where.page", lang, page=fig.page)
    return text


def location(f: Finding, lang: str = "en", *, page: bool = True) -> str:
    fig = f.stated
    return where(fig, lang, page=page) if fig is not None else ""


def message(f: Finding, lang: str = "en") -> str:
    return finding_message(f, lang)


def values_line(f: Finding, lang: str = "en") -> str | None:
    """``stated 1,00, computed 101.00, difference -1.00`` (None when not a comparison)."""
    if f.expected is None or f.actual is None:
        return None
    return t("annot.values", lang, stated=decimal_text(f.actual), computed=decimal_text(f.expected),
             difference=decimal_text(f.difference))


def summary_line(c: Mapping[str, int], lang: str = "en") -> str:
    sep = t("summary.sep", lang)
    text = sep.join((t("summary.errors", lang, n=c["error"]), t("summary.warnings", lang, n=c["warning"]),
                     t("summary.notes", lang, n=c["note"])))
    if c.get("waived"):
        text += sep + t("summary.waived", lang, n=c["waived"])
    return text


def convention_line(audit: Audit, lang: str = "en") -> str | None:
    """The document's rounding convention in one line, when it is not plain rounding."""
    c = audit.convention
    if c is None or c.rates == "rounded":
        return None
    return t(f"convention.{c.rates}", lang, n=c.noted)


def stale(audit: Audit, waivers: Waivers | None) -> tuple[Waiver, ...]:
    return applied(audit, waivers).stale


def stale_line(w: Waiver, lang: str = "en") -> str:
    return t("waivers.stale.item", lang, source=w.origin, rule=w.rule, where=w.where)


def coverage_line(a: Audit, lang: str) -> str | None:
    """How many figures were read and how many some evaluated relation judged (auditor/coverage.py)."""
    from .. import coverage

    c = coverage.of(a)
    if c is None:
        return None
    return t("summary.coverage", lang, table_covered=c.table_covered, table_figures=c.table_figures,
             table_pct=coverage.percent(c.table_covered, c.table_figures),
             narrative_covered=c.narrative_covered, narrative_figures=c.narrative_figures,
             narrative_pct=coverage.percent(c.narrative_covered, c.narrative_figures))


def role_name(role: str | None, lang: str) -> str:
    """A table's role as the reports print it: its name, or that none was recognised."""
    return role if role else t("col.role_none", lang)
