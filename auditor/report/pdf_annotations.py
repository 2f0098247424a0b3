"""``--annotate OUT.pdf``: the audited PDF with every figure of every finding boxed.

Each figure a finding involves (its stated figure and its operands, in the
tables and in the text) gets a box in the finding's colour (error red,
warning amber, note blue; waived grey) and a comment naming the rule, the
message, stated vs computed and the figure's role.  A figure involved in
several findings gets one box, in the colour of the most severe, whose
comment lists them all.  The PDF writing itself is ``auditor.report.annotate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..messages import default_lang, t
from ..model import SEVERITY_RANK, Audit
from .common import Waivers, entries, location, message, values_line


@dataclass
class _Box:
    page: int
    rect: tuple[float, float, float, float]
    severity: str = "note"
    waived_only: bool = True
    rules: list[str] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (rank, text)


def marks_for(audit: Audit, *, lang: str = "en", waivers: Waivers | None = None) -> list:
    """The ``Mark``s to draw for one audit (empty when it has no findings)."""
    from .annotate import Mark
    from .locate import Locator

    if audit.error or not audit.findings:
        return []
    boxes: dict[tuple, _Box] = {}
    with Locator(audit.path, audit.document) as loc:
        for e in entries(audit, waivers):
            f = e.finding
            head = t("annot.title", lang, severity=t(f"sev.{f.severity}", lang), rule=f.rule)
            body = [head + (f" [{t('sev.waived.tag', lang)}]" if e.waived else ""),
                    location(f, lang), message(f, lang)]
            values = values_line(f, lang)
            if values:
                body.append(values)
            if e.waiver is not None:
                body.append(t("finding.waived", lang, reason=e.waiver.reason))
            rank = SEVERITY_RANK[f.severity] + (0 if e.waived else 10)
            for c in f.cells:
                try:
                    rects = loc.rects(c.figure)
                except Exception:
                    rects = []
                role = t("annot.role", lang, role=t("role." + c.role, lang)) + f" {c.figure.text}"
                for r in rects:
                    key = (c.figure.page, tuple(round(v, 1) for v in r))
                    box = boxes.get(key)
                    if box is None:
                        box = boxes[key] = _Box(c.figure.page, r)
                    if not e.waived and (box.waived_only or SEVERITY_RANK[f.severity] > SEVERITY_RANK[box.severity]):
                        box.severity = f.severity
                        box.waived_only = False
                    elif e.waived and box.waived_only and SEVERITY_RANK[f.severity] >= SEVERITY_RANK[box.severity]:
                        box.severity = f.severity
                    if f.rule not in box.rules:
                        box.rules.append(f.rule)
                    box.notes.append((rank, "\n".join([*body, role])))
    marks = []
    for k, box in enumerate(boxes.values()):
        notes = [text for _, text in sorted(box.notes, key=lambda x: -x[0])]
        marks.append(Mark(page=box.page, rects=(box.rect,),
                          severity="waived" if box.waived_only else box.severity,
                          title=", ".join(box.rules), contents="\n\n".join(notes), name=f"budget-audit-{k}"))
    return marks


def write(audit: Audit, out_path: str, *, lang: str | None = None, waivers: Waivers | None = None,
          password: str | None = None) -> int:
    """Write the annotated copy of ``audit.path`` to ``out_path``; returns the boxes drawn."""
    from .annotate import write_annotated

    lang = lang or default_lang()
    return write_annotated(audit.path, out_path, marks_for(audit, lang=lang, waivers=waivers),
                           password=password)
