"""amount-twice: an item that states its amount twice states the same amount.

A narrative item opens with its name and amount (``3.住房公积金208.80万元，…``)
and may restate the year's amount further on, in a clause of its own
(``…，2026年预算安排201.50万元``).  Both are the same figure: two different
amounts for one item are a contradiction (one of them is a slip).

An item is a stretch of the narrative between two headings or numbered
paragraphs (``Narrative.breaks``) that opens with a name and an amount; a
restatement is a clause (after ``，`` ``；`` ``。``) that begins with the
document's year and 预算安排 / 预算数为 / 安排, or with the item's own name
followed by its amount.  A clause naming anything else first (其中：A项目
预算安排30万元) is a part, not the item, and is left alone.  Amounts are
compared on their rounding intervals: 208.8 and 208.80 are the same.

No field.  Each restatement is one instance; a document whose year was not
read judges only the clauses opening with the item's name.

Example::

    - {id: checklist.amount-twice, kind: amount-twice}
"""

from __future__ import annotations

import re
from typing import Iterator

from ..interval import Interval
from ..messages import Msg
from ..numbers import parse_number
from .base import PASS, Ctx, Result
from .wording import text_figure, text_finding

KIND = "amount-twice"
FAMILY = "consistency"
SCHEMA: dict = {"properties": {}}

_AMT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
HEAD = re.compile(rf"(?:\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)?"
                  rf"(?P<name>[\u4e00-\u9fff“”]{{2,24}}?)(?:（[^）]{{1,20}}）)?[:：]?(?P<amt>{_AMT})万元")


def _interval(text: str) -> Interval | None:
    p = parse_number(text, blank_is_zero=False)
    return None if p is None else Interval.rounded(p.value, p.decimals)


def check(rule, ctx: Ctx) -> Iterator[Result]:
    doc = ctx.document
    n = doc.narrative
    text = n.text
    cuts = sorted({0, len(text), *n.breaks})
    year = doc.year
    found = False
    for a, b in zip(cuts, cuts[1:]):
        m = HEAD.match(text, a, b)
        if not m:
            continue
        name = m["name"]
        first = _interval(m["amt"])
        if first is None:
            continue
        opens = [re.escape(name) + r"(?:预算)?(?:安排|为|数为)?"]
        if year:
            opens.append(rf"{year}年(?:度)?(?:预算安排|预算数为|预算为|安排)")
        again = re.compile(rf"(?<=[，；。,;])(?:{'|'.join(opens)})(?P<amt>{_AMT})万元")
        for m2 in again.finditer(text, m.end(), b):
            second = _interval(m2["amt"])
            if second is None:
                continue
            found = True
            if first.meets(second):
                yield PASS
                continue
            yield text_finding(rule, ctx, m2.start("amt"), m2.end("amt"), Msg("finding.amount_twice", {
                "item": name, "first": m["amt"], "second": m2["amt"]}),
                others=(text_figure(doc, m.start("amt"), m.end("amt")),))
    if not found:
        yield PASS
