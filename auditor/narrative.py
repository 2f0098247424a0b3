"""Narrative text → ``Narrative``: lines joined, figures found.

Pure text processing (no PDF library), shared by extraction and by
``Document.from_dict``.  All white space is removed before matching: Chinese
prose breaks lines anywhere, and text layers put spaces between a number and
its unit (``3,599.74 万元``); rule patterns then never need to allow for
either.
"""

from __future__ import annotations

import re
from typing import Iterable

from .model import Figure, Narrative
from .numbers import parse_number

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
_WS = re.compile(r"\s+")

# An amount or percentage as prose prints it.  Not preceded by a digit or a
# separator (so "2026年" inside "2026年1月" never yields "026").
NUMBER = r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|(?<![\d.,])\d+(?:\.\d+)?(?![\d,])"
_FIGURE = re.compile(rf"(?P<num>{NUMBER})(?P<unit>亿元|万元|元(?!/)|%)")


def clean(text: str) -> str:
    return _WS.sub("", text.translate(_FULLWIDTH))


def build_narrative(pages: Iterable[tuple[int, str]]) -> Narrative:
    """Join page texts (page number, raw text) into one ``Narrative``."""
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    offset = 0
    for page, raw in pages:
        t = clean(raw)
        starts.append((offset, page))
        parts.append(t)
        offset += len(t)
    text = "".join(parts)
    narrative = Narrative(text=text, page_starts=tuple(starts))
    figures = []
    for m in _FIGURE.finditer(text):
        figures.append(figure_from_span(narrative, m.start("num"), m.end("num"), m["unit"]))
    return Narrative(text=text, page_starts=tuple(starts), figures=tuple(figures))


def figure_from_span(narrative: Narrative, start: int, end: int, unit: str | None = None) -> Figure:
    """A narrative figure for ``text[start:end]`` (a number as printed)."""
    printed = narrative.text[start:end]
    parsed = parse_number(printed, blank_is_zero=False)
    if parsed is None:
        raise ValueError(f"not a number: {printed!r}")
    if unit is None:
        following = narrative.text[end : end + 2]
        unit = next((u for u in ("亿元", "万元", "元", "%") if following.startswith(u)), None)
    return Figure(
        text=printed + ("%" if unit == "%" else ""),
        value=parsed.value,
        decimals=parsed.decimals,
        page=narrative.page_at(start),
        unit=unit,
        span=(start, end),
        sentence=narrative.sentence_at(start),
    )
