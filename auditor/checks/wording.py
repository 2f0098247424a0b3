"""What the checklist kinds share (not a kind): findings located at narrative text.

A wording or typography finding is about characters, not a figure: its
stated cell is the text as printed (``Figure.text``, value 0, unit ``text``)
with its page and span, so every report shows the page and the sentence and
``--annotate`` boxes the characters, as for a narrative figure.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Iterator, Mapping

from ..messages import Msg
from ..model import CellRef, Document, Figure, Finding
from .base import Ctx, Result, expand_pattern

TEXT_UNIT = "text"  # Figure.unit of a located piece of text (not an amount)


def text_figure(doc: Document, start: int, end: int) -> Figure:
    n = doc.narrative
    return Figure(text=n.text[start:end], value=Decimal(0), decimals=0, page=n.page_at(start),
                  unit=TEXT_UNIT, span=(start, end), sentence=n.sentence_at(start))


def text_finding(rule: Any, ctx: Ctx, start: int, end: int, message: Msg,
                 severity: str | None = None, others: tuple[Figure, ...] = ()) -> Result:
    """A finding at ``narrative.text[start:end]``: ``fail``, or ``note`` for a note."""
    fig = text_figure(ctx.document, start, end)
    sev = severity or rule.severity
    finding = Finding(rule=rule.id, kind=rule.kind, severity=sev, message=message.render("en"),
                      cells=(CellRef("actual", fig), *(CellRef("operand", o) for o in others)),
                      context=fig.sentence, message_key=message.key, message_args=dict(message.args))
    return Result("note" if sev == "note" else "fail", finding)


def doc_kind(doc: Document) -> tuple[str | None, str | None]:
    """(部门 | 单位 | None, 预算 | 决算 | None) from the document's title, else the
    first heading of its narrative that names both."""
    for text in (doc.title or "", doc.narrative.text[:400]):
        t = re.sub(r"\s+", "", text)
        m = re.search(r"(部门|单位)(?:年度)?(预算|决算)", t)
        if m:
            return m[1], m[2]
    return None, None


def compile_patterns(spec: Mapping[str, str] | None, default: Mapping[str, str]) -> dict[str, re.Pattern[str]]:
    return {name: re.compile(expand_pattern(str(rx))) for name, rx in (spec or default).items()}


def validate_patterns(params: Mapping[str, Any], field: str) -> Iterator[tuple[tuple, str]]:
    for name, rx in (params.get(field) or {}).items():
        try:
            re.compile(expand_pattern(str(rx)))
        except re.error as e:
            yield (field, name), f"bad regular expression: {e}"
