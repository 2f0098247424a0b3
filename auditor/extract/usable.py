"""Whether a read ``Document`` can be audited at all (no rules involved).

A document with no table, or a blank template (every table figure 0.00 or
blank), would otherwise pass every rule that holds trivially: 0 = 0 + 0.  Both
are refused with an error code, never reported as a clean pass.
"""

from __future__ import annotations

import re

from ..model import Document

# Placeholders a blank template prints instead of names and years.
PLACEHOLDER = re.compile(r"(?:[XＸ×xｘ*＊]{2,}[\u4e00-\u9fff]{0,2}|某某|＿{2,}|_{3,})")


def unusable(doc: Document) -> tuple[str, str] | None:
    """``(code, message)`` when the document cannot be audited, else None."""
    if not doc.tables:
        hint = ""
        if len(doc.narrative.figures) >= 10:  # a 情况说明 whose tables are another file
            hint = ("; if its tables are published in another file, audit both as one: "
                    "audit NARRATIVE.pdf --tables TABLES.pdf")
        return ("no-tables", f"{doc.path}: no budget table was recognised in its {doc.pages} page(s) "
                f"(a ruled grid under a title such as 表1 …){hint}")
    figures = [f for t in doc.tables for f in t.figures()]
    if any(not f.blank and f.value != 0 for f in figures):
        return None
    if not figures:  # titles, but every table printed empty or its grid unread
        ids = ", ".join(t.id for t in doc.tables[:4]) + (" …" if len(doc.tables) > 4 else "")
        return ("no-tables", f"{doc.path}: table titles found ({ids}) but no figure could be read in any")
    found = sorted({m.group(0) for text in (doc.title or "", doc.issuer or "", doc.narrative.text)
                    for m in PLACEHOLDER.finditer(text)})
    marks = f"; placeholders such as {', '.join(found[:3])}" if found else ""
    return ("placeholder-template",
            f"{doc.path}: a blank template: all {len(figures)} figures of its {len(doc.tables)} tables "
            f"are 0.00 or blank{marks}; nothing to audit")
