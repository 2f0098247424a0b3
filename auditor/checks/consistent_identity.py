"""consistent-identity: one issuer and one year throughout the document.

Fields (all optional):

- ``years: true`` (default): every year printed in the document title and
  in the table titles (``2026年``, ``2026年度``) is the document's year;
- ``issuer: true`` (default): every table whose 编制单位 was read
  (``Table.issuer``) names the document's issuer (one name containing the
  other is the same unit: 江苏省委办公厅 / 中共江苏省委办公厅);
- ``headings: REGEX``: a pattern over the narrative whose named groups
  ``year`` and/or ``issuer`` must agree with the document's, at every match
  (``(?P<year>\\d{4})年(?:度)?部门预算``).

A year or issuer that differs is a finding naming where it is printed.  A
document whose year (or issuer) was not read skips that part.

Example::

    - id: xj.identity
      kind: consistent-identity
      headings: (?P<year>\\d{4})年(?:度)?(?:单位|部门)预算(?:公开|情况说明)
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from ..model import normalise_label
from ..messages import Msg
from .base import PASS, Ctx, Result, expand_pattern, failure, skip

KIND = "consistent-identity"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ()
TABLE_FIELDS: tuple[str, ...] = ()

FAMILY = "consistency"
SCHEMA = {"properties": {"years": {"type": "boolean"}, "issuer": {"type": "boolean"},
                         "headings": {"type": "string", "minLength": 1}}}

YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")


def validate(params: Mapping[str, Any], names: set[str]) -> Iterator[tuple[tuple, str]]:
    if "headings" in params:
        try:
            re.compile(expand_pattern(str(params["headings"])))
        except re.error as e:
            yield ("headings",), f"bad regular expression: {e}"


def same_unit(a: str, b: str) -> bool:
    a, b = normalise_label(a), normalise_label(b)
    return bool(a) and bool(b) and (a in b or b in a)


def check(rule, ctx: Ctx) -> Iterator[Result]:
    p = rule.params
    doc = ctx.document
    if p.get("years", True):
        if not doc.year:
            yield skip("the document's year was not read")
        else:
            titles = [("document title", doc.title or "")]
            titles += [(f"{t.id} title", t.title) for t in doc.tables]
            for where, title in titles:
                for m in YEAR.finditer(normalise_label(title)):
                    if int(m[1]) == doc.year:
                        yield PASS
                    else:
                        yield failure(rule, Msg("finding.identity.title_year", {
                            "where": where, "title": title, "year": m[1], "doc_year": doc.year}),
                            ctx=ctx)
    if p.get("issuer", True) and doc.issuer:
        for t in doc.tables:
            if not t.issuer:
                continue
            if same_unit(t.issuer, doc.issuer):
                yield PASS
            else:
                yield failure(rule, Msg("finding.identity.table_issuer", {
                    "table": t.id, "issuer": t.issuer, "doc_issuer": doc.issuer}), ctx=ctx)
    if "headings" in p:
        text = doc.narrative.text
        pattern = re.compile(expand_pattern(str(p["headings"])))
        for m in pattern.finditer(text):
            groups = m.groupdict()
            page = doc.narrative.page_at(m.start())
            if groups.get("year") and doc.year:
                if int(groups["year"]) == doc.year:
                    yield PASS
                else:
                    yield failure(rule, Msg("finding.identity.heading_year", {
                        "page": page, "heading": m[0], "year": groups["year"], "doc_year": doc.year}),
                        ctx=ctx)
            if groups.get("issuer") and doc.issuer:
                if same_unit(groups["issuer"], doc.issuer):
                    yield PASS
                else:
                    yield failure(rule, Msg("finding.identity.heading_issuer", {
                        "page": page, "heading": m[0], "issuer": groups["issuer"],
                        "doc_issuer": doc.issuer}), ctx=ctx)
