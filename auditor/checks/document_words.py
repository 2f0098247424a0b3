"""document-words: the document calls itself what it is, everywhere.

A 单位预算 speaks of 单位预算, a 部门决算 of 部门决算: the kind of document
(部门 or 单位, 预算 or 决算) is read from its title, and every place the
narrative names a document of its own year (``2026年部门预算``,
``2026年度单位决算``) must name that kind.  A 单位预算 whose text says 2026年部门预算
(the wording of the other document kind: the template of the department's
budget reused) is a finding at the words as printed.  Only names carrying
the document's year are judged: a 单位 budget may well speak of the
department's budget in general.

Field: ``words: [who, what]`` (optional; default both): which half of the
name to judge, 部门/单位 (``who``) and 预算/决算 (``what``).  A document
whose kind or year was not read skips the rule.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..messages import Msg
from .base import PASS, Ctx, Result, skip
from .wording import doc_kind, text_finding

KIND = "document-words"
FAMILY = "consistency"
SCHEMA = {"properties": {"words": {"type": "array", "minItems": 1, "items": {"enum": ["who", "what"]}}}}

NAME = re.compile(r"(?P<y>(?:19|20)\d{2})年(?:度)?(?P<who>部门|单位)(?P<what>预算|决算)")


def check(rule, ctx: Ctx) -> Iterator[Result]:
    doc = ctx.document
    who, what = doc_kind(doc)
    if not doc.year or who is None:
        yield skip("the document's year or kind (部门/单位, 预算/决算) was not read")
        return
    words = rule.params.get("words") or ["who", "what"]
    found = False
    for m in NAME.finditer(doc.narrative.text):
        if int(m["y"]) != doc.year:
            continue
        found = True
        bad = []
        if "who" in words and m["who"] != who:
            bad.append((m.start("who"), m.end("who"), m["who"], who))
        if "what" in words and m["what"] != what:
            bad.append((m.start("what"), m.end("what"), m["what"], what))
        if not bad:
            yield PASS
            continue
        yield text_finding(rule, ctx, m.start(), m.end(), Msg("finding.document_words", {
            "text": m[0], "words": "、".join(b[2] for b in bad), "kind": f"{who}{what}"}))
    if not found:
        yield PASS
