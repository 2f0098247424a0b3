"""Narrative text → ``Narrative``: lines joined, figures found.

Pure text processing (no PDF library), shared by extraction and by
``Document.from_dict``.  All white space is removed before matching: Chinese
prose breaks lines anywhere, and text layers put spaces between a number and
its unit (``3,599.74 万元``); rule patterns then never need to allow for
either.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Iterable, Sequence

from .figures import Figure, Narrative
from .numbers import parse_number
from .text import FULLWIDTH_DIGITS, NUMBER, squeeze


# An amount or percentage as prose prints it (auditor.text.NUMBER).
_FIGURE = re.compile(rf"(?P<num>{NUMBER})(?P<unit>亿元|万元|元(?!/)|%)")


def clean(text: str) -> str:
    return squeeze(text.translate(FULLWIDTH_DIGITS))


# A line that opens a section or a numbered item: 一、 （三） 1. 第三部分
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．](?!\d)|第[一二三四五六七八九十]+部分)")
_ENDS_SENTENCE = "。；;：:，,"


# A line laid out as table cells: runs of text side by side with a gap between
# them (培训出勤率 ≥90% 历史标准 90% 3 按照完成比例赋分 工作资料), and no
# punctuation of prose.  Such a line ends a row: the row is its own sentence.
_CELL_GAP = re.compile(r"[\u4e00-\u9fff）)%]\s+[\u4e00-\u9fff≥≤<>=＜＞（(]")
_PROSE_MARK = re.compile(r"[。，；、：,;:]")


def row_line(raw: str) -> bool:
    """Whether a raw text line (white space kept) reads as a row of table cells."""
    return bool(_CELL_GAP.search(raw)) and not _PROSE_MARK.search(raw)


def _width(line: str) -> int:
    """A line's printed width in half-width cells: Chinese and full-width forms
    take two, digits and Latin letters one (a line of figures is no longer than
    a line of prose that fills the same measure)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


_LEVEL = re.compile(r"[（(][类款项][）)]")


def _continues(line: str, tail: str) -> bool:
    """Whether ``tail`` goes on with the subject path that ``line`` began:
    …（款）行政运行 / （项）支出6106.99万元, or …行政运行（项） / 支出9370.12万元."""
    return bool(_LEVEL.match(tail)) or (bool(_LEVEL.search(line[-3:])) and tail.startswith("支出"))


def _breaks(lines: list[str], offset: int, rows: list[bool] | None = None) -> list[int]:
    """Offsets (in the joined text) where a heading or the paragraph after it begins.

    A heading line starts a new sentence; so does the line after a heading
    that ends without punctuation and is shorter than the page's full lines
    (a wrapped heading fills its line and goes on); so does the line after a
    table row (``rows[i]``: line i reads as table cells).
    """
    full = max((_width(x) for x in lines), default=0)
    out = []
    pos = offset
    def short_heading_end(line: str) -> bool:
        return line[-1] not in _ENDS_SENTENCE and _width(line) < full - 4

    for i, line in enumerate(lines):
        if rows and rows[i]:
            out.append(pos + len(line))
        if _HEADING.match(line):
            out.append(pos)
            end = pos + len(line)
            # a numbered paragraph (2．住房改革支出（款）…支出1959.99万元，与) is prose
            # that wraps: only a line without inner punctuation can be a heading
            if (i + 1 < len(lines) and line[-1] not in _ENDS_SENTENCE and not _PROSE_MARK.search(line)
                    and not _continues(line, lines[i + 1])):
                tail = lines[i + 1]
                if (len(tail) <= 6 or not short_heading_end(line)) and short_heading_end(tail):
                    out.append(end + len(tail))  # a heading wrapped onto a second line
                elif short_heading_end(line):
                    out.append(end)
        pos += len(line)
    return out


# A running head or foot: the same line at the top or bottom of many pages
# (无锡市交通运输局（本级）2026年度单位预算公开).  Joined into the prose it
# would split a sentence, or a list, that goes on over the page.
RUNNING_MIN_PAGES = 3
_EDGE = 2  # lines at the top and at the bottom of a page where a running line is printed


def running_lines(pages: Sequence[Sequence[str]]) -> set[str]:
    """The lines (cleaned) printed at the top or bottom of at least three pages and
    of a third of them: running heads and feet, not prose."""
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update(set(lines[:_EDGE]) | set(lines[-_EDGE:]))
    need = max(RUNNING_MIN_PAGES, len(pages) / 3)
    return {line for line, n in seen.items() if n >= need}


def _without_running(lines: list[tuple[str, str]], running: set[str]) -> list[tuple[str, str]]:
    """The page's lines without the running lines at its top and bottom."""
    lo, hi = 0, len(lines)
    while lo < min(_EDGE, hi) and lines[lo][0] in running:
        lo += 1
    while hi > max(lo, len(lines) - _EDGE) and lines[hi - 1][0] in running:
        hi -= 1
    return lines[lo:hi]


def build_narrative(pages: Iterable[tuple[int, str]]) -> Narrative:
    """Join page texts (page number, raw text) into one ``Narrative``, running
    heads and feet left out."""
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    breaks: list[int] = []
    offset = 0
    read = [(page, [(c, line) for c, line in ((clean(line), line) for line in raw.splitlines()) if c])
            for page, raw in pages]
    running = running_lines([[c for c, _ in kept] for _, kept in read])
    for page, kept in read:
        kept = _without_running(kept, running)
        lines = [c for c, _ in kept]
        t = "".join(lines)
        starts.append((offset, page))
        breaks.extend(sorted(set(_breaks(lines, offset, [row_line(r) for _, r in kept]))))
        parts.append(t)
        offset += len(t)
    text = "".join(parts)
    narrative = Narrative(text=text, page_starts=tuple(starts), breaks=tuple(breaks))
    figures = []
    for m in _FIGURE.finditer(text):
        figures.append(figure_from_span(narrative, m.start("num"), m.end("num"), m["unit"]))
    return Narrative(text=text, page_starts=tuple(starts), figures=tuple(figures),
                     breaks=tuple(breaks))


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
