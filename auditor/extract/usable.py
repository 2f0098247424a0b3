"""Whether a read ``Document`` can be audited at all (no rules involved).

A document with no table, or a blank template (every table figure 0.00 or
blank), would otherwise pass every rule that holds trivially: 0 = 0 + 0.  Both
are refused with an error code, never reported as a clean pass.
"""

from __future__ import annotations

import re

from ..model import Document

# What a budget table's title speaks of (收支总表, 一般公共预算支出表, “三公”经费…,
# 政府采购, 绩效目标); a plan's 建筑垃圾产生量汇总表 or a gazette's tables do not.
BUDGET_TITLE = re.compile(r"预算|决算|收支|收入|支出|拨款|经费|采购|资金|绩效|结转|结余|资产|科目")

def _named_otherwise(title: str | None) -> bool:
    """A title that names something other than a budget (a bare 表1 names nothing)."""
    words = re.sub(r"^(?:公开|预算|部门公开)?表\s*[\d一二三四五六七八九十]+|[\W\d_]", "", title or "")
    return bool(words) and BUDGET_TITLE.search(title or "") is None


# What a budget's 情况说明 says of its tables (收支总预算, 一般公共预算拨款, 基本支出 …).
BUDGET_NARRATIVE = re.compile(r"收支(?:总)?预算|预算收入|预算支出|收入预算|支出预算|财政拨款|基本支出|项目支出|决算")

# Placeholders a blank template prints instead of names and years.
UNFILLED = re.compile(r"(?:[XＸ×xｘ*＊]{2,}[\u4e00-\u9fff]{0,2}|某某|＿{2,}|_{3,})")


def unusable(doc: Document) -> tuple[str, str] | None:
    """``(code, message)`` when the document cannot be audited, else None."""
    if not doc.tables:
        hint = ""
        if len(doc.narrative.figures) >= 10 and BUDGET_NARRATIVE.search(doc.narrative.text):
            # a 情况说明 whose tables are another file (a gazette's figures are not one)
            hint = ("; if its tables are published in another file, audit both as one: "
                    "audit NARRATIVE.pdf --tables TABLES.pdf")
        return ("no-tables", f"{doc.path}: no budget table was recognised in its {doc.pages} page(s) "
                f"(a ruled grid under a title such as 表1 …){hint}")
    if all(_named_otherwise(t.title) for t in doc.tables):
        titles = "; ".join(t.title for t in doc.tables[:3]) + (" …" if len(doc.tables) > 3 else "")
        return ("no-tables", f"{doc.path}: tables found ({titles}) but none is a budget table "
                "(no title names 预算, 收支, 支出, 经费 …)")
    figures = [f for t in doc.tables for f in t.figures()]
    if any(not f.blank and f.value != 0 for f in figures):
        return None
    if not figures:  # titles, but every table printed empty or its grid unread
        ids = ", ".join(t.id for t in doc.tables[:4]) + (" …" if len(doc.tables) > 4 else "")
        return ("no-tables", f"{doc.path}: table titles found ({ids}) but no figure could be read in any")
    found = sorted({m.group(0) for text in (doc.title or "", doc.issuer or "", doc.narrative.text)
                    for m in UNFILLED.finditer(text)})
    marks = f"; placeholders such as {', '.join(found[:3])}" if found else ""
    return ("placeholder-template",
            f"{doc.path}: a blank template: all {len(figures)} figures of its {len(doc.tables)} tables "
            f"are 0.00 or blank{marks}; nothing to audit")
