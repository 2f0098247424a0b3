"""A printed number (``Figure``) and the running text it is found in (``Narrative``).

Part of the model (``auditor.model`` re-exports both); a module of their own so
that ``auditor.narrative``, which finds the figures of a text, depends on them
alone and ``Document.from_dict`` can call it without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

BBox = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points, origin bottom-left


@dataclass(frozen=True)
class Figure:
    """One printed number: where it is, how it was printed and what it means."""

    text: str  # as printed (after joining a wrapped cell), e.g. "3,599.74", "63.32%"
    value: Decimal
    decimals: int  # printed precision: the rounding interval is ±½·10^-decimals
    page: int  # 1-based
    table: str | None = None  # table id ("表5"); None in the narrative
    row: str | None = None  # row key: subject code or normalised label
    column: str | None = None  # column header path, "一般公共预算支出/基本支出"
    unit: str | None = None  # "万元", "元", "%", ...
    blank: bool = False  # printed blank or '-' (value 0)
    bbox: BBox | None = None
    span: tuple[int, int] | None = None  # offsets in Narrative.text
    sentence: str | None = None  # the narrative sentence it stands in
    source: str | None = None  # the file it is printed in, when a document has several parts

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "text": self.text,
            "value": str(self.value),
            "decimals": self.decimals,
            "page": self.page,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "unit": self.unit,
        }
        if self.blank:
            d["blank"] = True
        if self.bbox is not None:
            d["bbox"] = [round(v, 2) for v in self.bbox]
        if self.span is not None:
            d["span"] = list(self.span)
        if self.sentence is not None:
            d["sentence"] = self.sentence
        if self.source is not None:
            d["source"] = self.source
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Figure:
        return cls(
            text=d["text"],
            value=Decimal(str(d["value"])),
            decimals=int(d["decimals"]),
            page=int(d["page"]),
            table=d.get("table"),
            row=d.get("row"),
            column=d.get("column"),
            unit=d.get("unit"),
            blank=bool(d.get("blank", False)),
            bbox=tuple(d["bbox"]) if d.get("bbox") else None,  # type: ignore[arg-type]
            span=tuple(d["span"]) if d.get("span") else None,  # type: ignore[arg-type]
            sentence=d.get("sentence"),
            source=d.get("source"),
        )


@dataclass(frozen=True)
class Narrative:
    """The running text: lines joined, all white space removed, with a page map.

    ``text`` is what narrative rule patterns match against; ``page_starts``
    gives the offset at which each page's text begins; ``figures`` are every
    amount and percentage found in it, in order.
    """

    text: str = ""
    page_starts: tuple[tuple[int, int], ...] = ()  # (offset, page)
    figures: tuple[Figure, ...] = ()
    # offsets where a heading line or the paragraph after one begins: a sentence
    # never reaches back over them (the text itself has no line breaks left)
    breaks: tuple[int, ...] = ()

    def page_at(self, offset: int) -> int:
        page = self.page_starts[0][1] if self.page_starts else 1
        for start, p in self.page_starts:
            if start > offset:
                break
            page = p
        return page

    def figure_at(self, start: int, end: int) -> Figure | None:
        """The recorded figure printed exactly at ``text[start:end]``."""
        for f in self.figures:
            if f.span == (start, end):
                return f
        return None

    def sentence_at(self, offset: int) -> str:
        """The sentence around an offset, ended by 。；or a page change."""
        t = self.text
        stops = "。；;"
        floor = max((b for b in self.breaks if b <= offset), default=0)
        ceiling = min((b for b in self.breaks if b > offset), default=len(t))
        s = offset
        while s > floor and t[s - 1] not in stops and offset - s < 200:
            s -= 1
        e = offset
        while e < ceiling and t[e] not in stops and e - offset < 200:
            e += 1
        return t[s : e + 1 if e < ceiling else e]
