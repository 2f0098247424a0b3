"""punctuation: the narrative's sentence ends, brackets and quotation marks.

Three things a reviewer marks, each as its rule's severity (a warning or a
note: typography never contradicts a figure):

- ``doubled``: a sentence end or pause doubled or run into another
  (``。。``, ``，，``, ``，。``, ``。，``, ``；。``); an ellipsis (``……``) and a
  dash (``——``) are not doubles;
- ``unbalanced``: a bracket or quotation mark ``（）`` ``“”`` ``《》`` ``【】``
  without its partner within 300 characters (nesting respected; a half-width
  bracket pairs with a full-width one), each at the mark;
- ``unended``: a paragraph whose last sentence, a clause of prose (with a
  comma, at least 12 characters), runs into the next numbered heading
  (一、 （二） 3. 第四部分) without a sentence end (``。；：！？``).

Field: ``checks: [doubled, unbalanced, unended]`` (optional; default all).
Each finding is at the characters as printed with their page and sentence.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from ..messages import Msg
from .base import PASS, Ctx, Result, skip
from .wording import text_finding

KIND = "punctuation"
FAMILY = "typography"
CHECKS = ("doubled", "unbalanced", "unended")
SCHEMA = {"properties": {"checks": {"type": "array", "minItems": 1, "items": {"enum": list(CHECKS)}}}}

DOUBLED = re.compile(r"([。，；、！？])\1|[，、；：][。]|。[，、；]")
PAIRS = {"（": "）", "“": "”", "《": "》", "【": "】"}
CLOSERS = {v: k for k, v in PAIRS.items()}
# half-width brackets pair with full-width ones ((一）is a width slip, not a missing mark)
WIDTH = str.maketrans({"(": "（", ")": "）"})
SENTENCE_END = "。；：！？!?;:」』”）)》】…"
# how far a pair may reach: a bracket or a quotation spans a phrase, a title or a
# sentence; a page break, a running head or a table cell wrapped over two lines
# inside it are no reason to call it unbalanced
REACH = 300
HEADING = re.compile(r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|第[一二三四五六七八九十]+[部分章条])")
LIMIT = 30


def paragraphs(ctx: Ctx) -> list[tuple[int, int]]:
    """(start, end) of each stretch between two headings."""
    n = ctx.document.narrative
    cuts = sorted({0, len(n.text), *n.breaks})
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def unmatched(text: str) -> list[int]:
    """Offsets of the brackets and quotation marks in ``text`` without a partner
    within ``REACH`` characters (nesting respected; half- and full-width alike)."""
    t = text.translate(WIDTH)
    out: list[int] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(t):
        if ch in PAIRS:
            stack.append((ch, i))
        elif ch in CLOSERS:
            opener = CLOSERS[ch]
            depth = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == opener), None)
            if depth is None or i - stack[depth][1] > REACH:
                out.append(i)
                continue
            for _, j in stack[depth + 1:]:
                out.append(j)  # openers left open inside the pair
            del stack[depth:]
    out.extend(j for _, j in stack)
    return sorted(out)


def check(rule, ctx: Ctx) -> Iterator[Result]:
    text = ctx.document.narrative.text
    if not text:
        yield skip("the document has no narrative text")
        return
    which = rule.params.get("checks") or CHECKS
    heads = set(ctx.document.narrative.breaks)
    found = 0

    def report(start: int, end: int, msg: Msg) -> Iterator[Result]:
        nonlocal found
        found += 1
        if found <= LIMIT:
            yield text_finding(rule, ctx, start, end, msg)

    if "doubled" in which:
        for m in DOUBLED.finditer(text):
            yield from report(m.start(), m.end(), Msg("finding.punct.doubled", {"text": m[0]}))
    if "unbalanced" in which:
        for i in unmatched(text):
            ch = text[i].translate(WIDTH)
            yield from report(i, i + 1, Msg("finding.punct.unbalanced", {
                "mark": text[i], "pair": PAIRS.get(ch) or CLOSERS.get(ch, "")}))
    if "unended" in which:
        for a, b in paragraphs(ctx):
            seg = text[a:b]
            # the sentence left open: what follows the last sentence end of the paragraph,
            # a clause of prose (with a comma) ending in a character where a heading begins
            tail = re.split(r"[。；！？!?;：:]", seg)[-1]
            if b not in heads or len(tail) < 12 or "，" not in tail or tail[-1] in SENTENCE_END:
                continue
            if not HEADING.match(text, b):
                continue  # a break that is no numbered heading (a table row, a wrapped line)
            if tail == seg and HEADING.match(seg) and len(seg) < 40 and not re.search(r"\d", seg[2:]):
                continue  # a heading of two phrases (二、优化治理架构，健全管理体制机制)
            if not re.match(r"[\u4e00-\u9fff]", tail[-1]):
                continue
            yield from report(b - 1, b, Msg("finding.punct.unended", {"tail": seg[-12:]}))
    if not found:
        yield PASS
