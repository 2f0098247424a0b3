"""empty-table-note: an empty table says why, and names the right fund.

Field: ``tables: {TABLE: WORD, ...}``: a table id (or a glob of ids, for
templates whose tables carry no number) and the fund its explanatory
sentence must name (表8 ↔ 政府性基金, 表9 ↔ 国有资本经营); ``null`` when any
sentence will do (a template whose note is 注：本部门无相关收支项目 under the
fund's own title).  For each table found:

- printed with figures: nothing to explain (a pass);
- printed empty without a sentence (``Table.note``): a finding;
- printed empty with a sentence that does not name its fund, or names the
  fund of another table of the list instead: a finding quoting the sentence.

A table that is absent is skipped (``table-present`` reports it).

Example::

    - id: xj.empty-notes
      kind: empty-table-note
      tables: {表8: 政府性基金, 表9: 国有资本经营}
"""

from __future__ import annotations

from typing import Iterator

from ..model import normalise_label
from ..messages import Msg
from .base import PASS, Ctx, Result, failure, skip

KIND = "empty-table-note"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ()
TABLE_FIELDS: tuple[str, ...] = ("tables",)

FAMILY = "completeness"
SCHEMA = {
    "properties": {
        "tables": {"type": "object", "minProperties": 1,
                   "additionalProperties": {"type": ["string", "null"], "minLength": 1}},
    },
    "required": ["tables"],
}


def check(rule, ctx: Ctx) -> Iterator[Result]:
    spec = {ctx.interp(k): normalise_label(v) if v else None for k, v in rule.params["tables"].items()}
    for pattern, word in spec.items():
        found = ctx.tables([pattern])
        if isinstance(found, str):
            yield skip(f"{pattern}: table not in the document")
            continue
        for t in found:
            if not t.empty:
                yield PASS
                continue
            name = f"{t.id} {t.title}" if t.title and t.title != t.id else t.id
            note = normalise_label(t.note or "")
            if not note:
                why = Msg("finding.empty_note.expected", {"word": word}) if word else ""
                yield failure(rule, Msg("finding.empty_note.missing", {"name": name, "why": why}),
                              ctx=ctx)
                continue
            if word is None or word in note:
                yield PASS
                continue
            others = [w for p, w in spec.items() if p != pattern and w and w in note]
            if others:
                msg = Msg("finding.empty_note.other_fund", {
                    "name": name, "other": others[0], "word": word, "note": t.note})
            else:
                msg = Msg("finding.empty_note.no_fund", {"name": name, "word": word, "note": t.note})
            yield failure(rule, msg, ctx=ctx)
