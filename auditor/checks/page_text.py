"""page-text: every page carries something, and its text can be read.

- ``blank``: a page with no text at all (``Document.page_kinds``: blank) — an
  empty page left in, or a page printed as an image without a text layer;
  the cover's back (page 2) and the last page are left alone when
  ``allow_blank`` names them (``[2, last]``, the default: print layouts add
  them), any other blank page is a finding with its number;
- ``unreadable``: a page whose text reads as glyph codes or could not be
  read (the reading problems ``page-garbled`` / ``page-unreadable``), or
  whose narrative holds characters that are no text (U+FFFD, private-use
  code points: glyphs without a Unicode map);
- ``empty-table``: a table of the document's template printed without a
  single figure or subject row (a blank grid, a 合计 row at most) and
  without a sentence saying why, that the template does
  not declare as possibly empty (``may_be_empty``); a document of no
  template skips this part.

Fields: ``checks: [blank, unreadable, empty-table]`` (optional; default all),
``allow_blank: [2, last]``.  Each finding names the page.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..messages import Msg
from .base import PASS, Ctx, Result, failure, skip
from .wording import text_finding

KIND = "page-text"
FAMILY = "pages"
CHECKS = ("blank", "unreadable", "empty-table")
SCHEMA = {"properties": {
    "checks": {"type": "array", "minItems": 1, "items": {"enum": list(CHECKS)}},
    "allow_blank": {"type": "array", "items": {"anyOf": [{"type": "integer", "minimum": 1},
                                                        {"enum": ["last"]}]}},
}}

NO_TEXT = re.compile(r"[\ufffd\ue000-\uf8ff]+|\(cid:\d+\)")


def check(rule, ctx: Ctx) -> Iterator[Result]:
    doc = ctx.document
    which = rule.params.get("checks") or CHECKS
    if "blank" in which:
        if not doc.page_kinds:
            yield skip("the pages' kinds were not read")
        else:
            allow = set()
            for a in rule.params.get("allow_blank", [2, "last"]):
                allow.add(doc.pages if a == "last" else int(a))
            for page, kind in sorted(doc.page_kinds.items()):
                if kind != "blank":
                    continue
                if page in allow:
                    yield PASS
                    continue
                yield failure(rule, Msg("finding.page.blank", {"page": page}))
            if not any(k == "blank" for k in doc.page_kinds.values()):
                yield PASS
    if "unreadable" in which:
        bad = [i for i in doc.issues if i.code in ("page-garbled", "page-unreadable")]
        for i in bad:
            yield failure(rule, Msg("finding.page.unreadable", {
                "page": i.page if i.page is not None else "?", "why": i.message}))
        seen_pages: set[int] = set()
        for m in NO_TEXT.finditer(doc.narrative.text):
            page = doc.narrative.page_at(m.start())
            if page in seen_pages:
                continue
            seen_pages.add(page)
            yield text_finding(rule, ctx, m.start(), m.end(), Msg("finding.page.glyphs", {
                "page": page, "text": m[0][:10]}))
        if not bad and not seen_pages:
            yield PASS
    if "empty-table" in which:
        if ctx.template is None:
            yield skip("empty tables: no template says which tables it prints with figures")
            return
        spec = ctx.template.tables
        for t in doc.tables:
            declared = spec.get(t.id)
            if not t.empty or declared is None:
                continue  # a table the template does not declare: what it calls for is unknown
            if any(r.code for r in t.rows) or any(i.table == t.id for i in doc.issues):
                continue  # subject rows without a figure read: a reading problem, not an empty table
            if declared.may_be_empty or (t.note or "").strip():
                yield PASS
                continue
            yield failure(rule, Msg("finding.page.empty_table", {
                "table": t.id, "title": t.title, "page": t.pages[0] if t.pages else "?"}))
