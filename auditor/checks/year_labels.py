"""year-labels: the years of the narrative's comparisons fit the document's year.

A 2026 budget compares with last year: 比2025年预算, 与上年持平.  A label
naming the document's own year or a later one as the base of a comparison
(比2026年预算增加…, 与2026年预算持平, in a 2026 budget) is the template's year
not updated.  In a 决算 (final accounts) of year Y the base is the same year's
budget (与Y年年初预算相比) or an earlier year's 决算: a 决算 base of year Y or
later, a 年初预算 of another year, or any base after Y is a finding.

The document's year (``Document.year``) and kind (预算 / 决算, from its title)
must be known, else the rule is skipped.  Each label is a finding at the
year as printed, with its sentence.  No field.

Example::

    - {id: checklist.year-labels, kind: year-labels, severity: warning}
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from ..messages import Msg
from .base import PASS, Ctx, Result, skip
from .wording import doc_kind, text_finding

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "year-labels"
FAMILY = "consistency"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ()
TABLE_FIELDS: tuple[str, ...] = ()
SCHEMA: dict = {"properties": {}}

LABEL = re.compile(r"(?:比|较|与|同|相比|对比|相较于?|低于|高于|少于|多于)(?P<y>(?:19|20)\d{2})年(?:度)?"
                   r"(?P<what>(?:部门|单位|全年|同期)?(?:年初)?(?:预算|决算|执行数|执行|实际))")


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    doc = ctx.document
    _, what = doc_kind(doc)
    if not doc.year or what is None:
        yield skip("the document's year or kind (预算/决算) was not read")
        return
    found = False
    for m in LABEL.finditer(doc.narrative.text):
        found = True
        y, base = int(m["y"]), m["what"]
        if what == "预算":
            wrong = y >= doc.year
            expect = doc.year - 1
        else:
            if "年初" in base or base.endswith("预算") and "决算" not in base:
                wrong, expect = y != doc.year, doc.year
            else:
                wrong, expect = y >= doc.year if "决算" in base else y > doc.year, doc.year - 1
        if not wrong:
            yield PASS
            continue
        yield text_finding(rule, ctx, m.start("y"), m.end("y") + 1, Msg("finding.year_label", {
            "label": m[0], "doc_year": doc.year, "kind": what, "expected": expect}))
    if not found:
        yield PASS
