"""no-placeholders: no template placeholder is left in the document.

Field: ``patterns: [REGEX, ...]`` (optional; default: ``XX局``/``XX单位``
and the like, a bare ``XX``/``XXX`` (``XX万元``, ``X.XX%``), ``××``, a typed
``qq``, ``20XX年``, an empty 单位名称/编制单位).  ``**`` and ``＊＊`` are no
placeholders: tables print them as markers (栏次, figures not applicable).  Every pattern is
searched in the document title, the narrative, every table title, note, row
label and text column; each occurrence is a finding naming where it is and
the text around it (at most 20 per rule).  The rule counts one pass when
nothing is left.

Example::

    - {id: xj.placeholders, kind: no-placeholders}
"""

from __future__ import annotations

import re
from typing import Iterator

from ..model import normalise_label
from ..messages import Msg
from .base import PASS, Ctx, Result, failure

KIND = "no-placeholders"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ()
TABLE_FIELDS: tuple[str, ...] = ()

FAMILY = "sentences"
SCHEMA = {"properties": {"patterns": {"type": "array", "minItems": 1,
                                       "items": {"type": "string", "minLength": 1}}}}

DEFAULT_PATTERNS = (
    r"(?<![A-Za-z])(?:XX|xx|ＸＸ|某某)(?:局|单位|部门|办公室|委员会|中心|街道|厅|院|处|所|公司|学校|医院|镇|区|县|市)",
    # a bare XX standing for a figure or a name (XX万元, X.XX%, XX项目), not a unit's XX above
    r"(?<![A-Za-z0-9])(?:X+\.X+|X{2,}|Ｘ{2,})(?![A-Za-z0-9]|局|单位|部门|办公室|委员会|中心|街道|厅|院|处|所|公司|学校|医院|镇|区|县|市)",
    r"(?<![A-Za-z])qq(?![A-Za-z])",
    r"[×╳]{2,}",
    r"(?:单位名称|编制单位|部门名称)[:：](?=单位[:：]|金额单位|[，。；]|$)",
    r"20[Xx×]{2}年",
)
LIMIT = 20


def check(rule, ctx: Ctx) -> Iterator[Result]:
    patterns = [re.compile(p) for p in (rule.params.get("patterns") or DEFAULT_PATTERNS)]
    doc = ctx.document
    places: list[tuple[str, str]] = [("title", normalise_label(doc.title or "")),
                                     ("narrative", doc.narrative.text)]
    for t in doc.tables:
        places.append((f"{t.id} title", normalise_label(t.title)))
        if t.note:
            places.append((f"{t.id} note", normalise_label(t.note)))
        for r in t.rows:
            places.append((f"{t.id} row {r.key}", normalise_label(r.label)))
            for col, v in r.texts.items():
                places.append((f"{t.id} row {r.key} {col}", normalise_label(v)))
    found = 0
    for where, text in places:
        for p in patterns:
            for m in p.finditer(text):
                found += 1
                if found > LIMIT:
                    continue
                if where == "narrative":
                    page = doc.narrative.page_at(m.start())
                    where_text = Msg("where.narrative_text", {"page": page})
                    around = doc.narrative.sentence_at(m.start())
                else:
                    where_text, around = where, text
                yield failure(rule, Msg("finding.placeholder", {
                    "where": where_text, "text": m[0], "around": around[:80]}), ctx=ctx)
    if not found:
        yield PASS
