"""code-names: subject codes and their names agree with the national code book.

The code book (``auditor/data/codebook.yaml``: 政府收支分类科目, 功能分类
类/款/项 and 部门预算支出经济分类 类/款, with the renames by year) gives each
code's name as of the document's year.  In the tables, every row keyed by a
code the book lists is compared with its printed name:

- the name of the code that year (white space, filler characters such as
  的/和/支出, order, a bracketed part, or a name cut short by its cell
  aside): a pass;
- a name the code had before the document's year (医疗卫生与计划生育支出 for
  210 in a 2026 budget; the national name is 卫生健康支出 since 2019): a
  finding, the old name is used;
- the name, that year, of exactly one other code: a finding, code and name
  disagree (one of them is misprinted);
- a code the book does not know, one digit (or two swapped digits) away from
  a code whose name is printed: a finding, a misprinted code.

Any other name (local wording the book cannot judge) is counted once as a
skip with the number of rows.  In the narrative, a former name of a 类
(renamed before the document's year) is a finding wherever it is printed,
and so is a name marked （款）/（项） that is a former name of a functional
款/项 (and no other subject's name that year).
A document whose year is unknown (a tables file printed apart) takes any
name a code has had as its name: no former name is reported, and a name is
another code's only when no other code ever had it.

Fields: ``tables`` (ids or globs, default all), ``narrative: true`` (default).

Example::

    - {id: checklist.code-names, kind: code-names, severity: warning}
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from .. import codebook
from ..messages import Msg
from ..model import CellRef, Figure, Finding
from .base import PASS, TABLES, Ctx, Result, skip
from .wording import text_finding

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "code-names"
FAMILY = "codes"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ()
TABLE_FIELDS: tuple[str, ...] = ("tables",)
SCHEMA = {"properties": {"tables": TABLES, "narrative": {"type": "boolean"}}}


def _row_finding(rule: Rule, row, msg: Msg) -> Result:
    fig = next(iter(row.cells.values()), None)
    cells: tuple[CellRef, ...] = ()
    if fig is not None:
        cells = (CellRef("actual", fig),)
    finding = Finding(rule=rule.id, kind=rule.kind, severity=rule.severity, message=msg.render("en"),
                      cells=cells, message_key=msg.key, message_args=dict(msg.args))
    return Result("fail", finding)


def _kind_of(code: str) -> bool:
    """A code the book can judge: functional (2xx…) of 3/5/7 digits, economic (3xx/5xx) of 3/5."""
    return (code[0] == "2" and len(code) in (3, 5, 7)) or (code[0] in "35" and len(code) in (3, 5))


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    book = codebook.load()
    doc = ctx.document
    year = doc.year
    tables = ctx.tables(rule.params.get("tables"))
    unjudged = 0
    if isinstance(tables, str):
        tables = []
    for t in tables:
        for r in t.rows:
            code = r.code
            if not code or not _kind_of(code) or "#" in r.key:
                continue
            label = codebook.clean_label(r.label)
            if len(label) < 2 or label.isdigit():
                continue
            where = f"{t.id} {code}"
            if book.knows(code):
                # a document of unknown year: any name the code has had is its name
                current = book.current(code, year) if year else [n.name for n in book.names[code]]
                if any(codebook.same_name(label, n) for n in current):
                    yield PASS
                    continue
                old = [n for n in book.former(code, year) if codebook.same_name(label, n.name)]
                if old and current:  # (between a former name and the next, the year is not judged)
                    yield _row_finding(rule, r, Msg("finding.code.renamed", {
                        "where": where, "code": code, "name": label, "until": old[0].until,
                        "year": year, "current": "／".join(current)}))
                    continue
                others = [c for c in (book.codes_named(label, year) if year else book.codes_ever_named(label))
                          if c != code and len(c) == len(code)]
                if len(others) == 1 and current:
                    yield _row_finding(rule, r, Msg("finding.code.other_code", {
                        "where": where, "code": code, "name": label, "other": others[0],
                        "current": "／".join(current)}))
                    continue
                unjudged += 1
                continue
            others = [c for c in (book.codes_named(label, year) if year else book.codes_ever_named(label))
                      if len(c) == len(code)]
            near = codebook.near_codes(code, others)
            if len(others) == 1 and near == others:
                # a document of unknown year: no name is judged by a year's edition
                yield _row_finding(rule, r, Msg("finding.code.unknown", {
                    "where": where, "code": code, "name": label, "year": year, "other": others[0]})
                    if year else Msg("finding.code.unknown_any_year", {
                        "where": where, "code": code, "name": label, "other": others[0]}))
                continue
            unjudged += 1
    if rule.params.get("narrative", True):
        yield from _narrative(rule, ctx, book)
    if unjudged:
        yield skip(f"{unjudged} code rows whose name the code book cannot judge (local wording "
                   "or a code it does not list)")


def _narrative(rule: Rule, ctx: Ctx, book: codebook.CodeBook) -> Iterator[Result]:
    doc = ctx.document
    text = doc.narrative.text
    year = doc.year
    if not text or year is None:
        return
    seen: set[int] = set()
    found = False
    level = {3: "类", 5: "款", 7: "项"}
    for code, names in book.names.items():
        if code[0] != "2" or len(code) not in level:
            continue  # prose names functional subjects; economic names are common words
        marked_only = len(code) != 3  # a 款/项's former name only when marked as one
        for n in book.former(code, year):
            current = book.current(code, year)
            if not current or any(normalise(n.name) == normalise(c) for c in current):
                continue
            if any(len(c) == len(code) for c in book.codes_named(n.name, year)):
                continue  # the name is another subject's today
            pat = re.escape(n.name) + (rf"[（(]{level[len(code)]}[)）]" if marked_only else "")
            for m in re.finditer(pat, text):
                if m.start() in seen:
                    continue
                seen.add(m.start())
                found = True
                yield text_finding(rule, ctx, m.start(), m.start() + len(n.name), Msg(
                    "finding.code.renamed", {"where": f"p.{doc.narrative.page_at(m.start())}",
                                             "code": code, "name": n.name, "until": n.until,
                                             "year": year, "current": "／".join(current)}))
    # a name printed with its code: 卫生健康支出（210类）, 行政运行（2080101）
    for m in CODED.finditer(text):
        code, printed = m["code"], codebook.clean_label(m["name"])
        if not book.knows(code) or m.start("name") in seen:
            continue
        current = book.current(code, year)
        # the name is the end of what precedes the bracket (主要用于住房公积金（2210201）)
        tails = [printed[k:] for k in range(len(printed) - 1)]
        if not current or any(codebook.same_name(x, n) for x in tails for n in current):
            found = True
            yield PASS
            continue
        if any(codebook.same_name(x, n.name) for x in tails for n in book.former(code, year)):
            continue  # reported above when it is a 类's former name
        name, others = printed, []
        for x in tails:
            named = [c for c in book.codes_named(x, year) if c != code and len(c) == len(code)]
            if named:
                name, others = x, named
                break
        if len(others) == 1:
            found = True
            yield text_finding(rule, ctx, m.start(), m.end(), Msg("finding.code.other_code", {
                "where": f"p.{doc.narrative.page_at(m.start())}", "code": code, "name": name,
                "other": others[0], "current": "／".join(current)}))
    if not found:
        yield PASS


# a subject name followed by its code in brackets, the level word optional
CODED = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,30}?)[（(](?P<code>2\d{2}(?:\d{2}){0,2})(?:类|款|项)?[)）]")


def normalise(s: str) -> str:
    return re.sub(r"\s+", "", s)
