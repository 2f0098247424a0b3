"""Where a figure is printed: its rectangles on the page, for marking it.

A table figure carries its cell rectangle (``Figure.bbox``).  A narrative
figure carries only ``span``, offsets in ``Narrative.text`` (all white space
removed, pages joined): ``Locator`` maps the span back to characters of the
page's text layer and returns their boxes, one rectangle per printed line
(a figure wrapped over two lines gives two).  Coordinates are PDF points,
origin bottom-left, like every ``BBox`` of the model.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import BBox, Document, Figure
from ..text import FULLWIDTH_DIGITS

if TYPE_CHECKING:  # pragma: no cover
    import pypdfium2

class Locator:
    """Rectangles of figures in one PDF (opened once; use as a context manager)."""

    def __init__(self, path: str, document: Document | None = None, *, password: str | None = None):
        import pypdfium2 as pdfium

        self.path = path
        self.document = document
        self._pdf: pypdfium2.PdfDocument = pdfium.PdfDocument(path, password=password)
        self._pages: dict[int, tuple[object, object, str, list[int]]] = {}

    def __enter__(self) -> Locator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for page, tp, _, _ in self._pages.values():
            for o in (tp, page):
                try:
                    o.close()  # type: ignore[attr-defined]
                except Exception:  # pragma: no cover - defensive
                    pass
        self._pages.clear()
        try:
            self._pdf.close()
        except Exception:  # pragma: no cover - defensive
            pass

    @property
    def page_count(self) -> int:
        return len(self._pdf)

    def page_size(self, number: int) -> tuple[float, float]:
        w, h = self._pdf[number - 1].get_size()
        return float(w), float(h)

    # ------------------------------------------------------------------ text layer
    def _page(self, number: int) -> tuple[object, object, str, list[int]]:
        got = self._pages.get(number)
        if got is None:
            page = self._pdf[number - 1]
            tp = page.get_textpage()
            raw = tp.get_text_range()
            # clean(raw) keeps exactly the non-space characters (the fullwidth
            # translation is one to one): index k of the cleaned page text is
            # raw index keep[k].
            keep = [i for i, ch in enumerate(raw) if not ch.isspace()]
            got = (page, tp, raw, keep)
            self._pages[number] = got
        return got

    def _cleaned(self, number: int) -> str:
        _, _, raw, keep = self._page(number)
        return "".join(raw[i] for i in keep).translate(FULLWIDTH_DIGITS)

    def _char_rects(self, number: int, start: int, end: int) -> list[BBox]:
        """Boxes of cleaned-text characters ``[start, end)`` of a page, merged per line."""
        _, tp, _, keep = self._page(number)
        boxes: list[BBox] = []
        for k in range(max(start, 0), min(end, len(keep))):
            try:
                b = tp.get_charbox(keep[k], loose=True)  # type: ignore[attr-defined]
            except Exception:  # pragma: no cover - defensive
                continue
            if b[2] > b[0] and b[3] > b[1]:
                boxes.append(tuple(float(v) for v in b))  # type: ignore[arg-type]
        return merge_lines(boxes)

    # ------------------------------------------------------------------ figures
    def rects(self, figure: Figure) -> list[BBox]:
        """The rectangles that show ``figure`` on page ``figure.page`` (may be empty)."""
        if figure.bbox is not None:
            return [tuple(float(v) for v in figure.bbox)]  # type: ignore[list-item]
        if figure.table is not None or not figure.text:
            return []
        if not 1 <= figure.page <= self.page_count:
            return []
        needle = figure.text.translate(FULLWIDTH_DIGITS)
        needle = re.sub(r"\s+", "", needle)
        page_text = self._cleaned(figure.page)
        start = self._span_start(figure, page_text, needle)
        if start is None:
            return []
        return self._char_rects(figure.page, start, start + len(needle))

    def _span_start(self, figure: Figure, page_text: str, needle: str) -> int | None:
        """Offset of the figure in the page's cleaned text: from its span, else by search."""
        doc = self.document
        if figure.span is not None and doc is not None and doc.narrative.page_starts:
            base = None
            for offset, page in doc.narrative.page_starts:
                if page == figure.page:
                    base = offset
            if base is not None:
                local = figure.span[0] - base
                if page_text[local : local + len(needle)] == needle:
                    return local
        hits = [m.start() for m in re.finditer(re.escape(needle), page_text)
                if not _digit_around(page_text, m.start(), m.end())]
        if not hits:
            return None
        if len(hits) > 1 and figure.sentence:
            sentence = re.sub(r"\s+", "", figure.sentence)
            at = page_text.find(sentence[:40]) if sentence else -1
            if at >= 0:
                return min(hits, key=lambda h: abs(h - at))
        return hits[0]


def _digit_around(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return (before.isdigit() or before in ".,") or after.isdigit()


def merge_lines(boxes: list[BBox]) -> list[BBox]:
    """Character boxes in reading order → one rectangle per printed line."""
    out: list[list[float]] = []
    for x0, y0, x1, y1 in boxes:
        if out:
            cur = out[-1]
            mid = (y0 + y1) / 2
            if cur[1] <= mid <= cur[3] and x0 >= cur[0] - 1:
                cur[0], cur[1] = min(cur[0], x0), min(cur[1], y0)
                cur[2], cur[3] = max(cur[2], x1), max(cur[3], y1)
                continue
        out.append([x0, y0, x1, y1])
    return [tuple(r) for r in out]  # type: ignore[misc]


def union(rects: list[BBox]) -> BBox | None:
    if not rects:
        return None
    return (min(r[0] for r in rects), min(r[1] for r in rects),
            max(r[2] for r in rects), max(r[3] for r in rects))
