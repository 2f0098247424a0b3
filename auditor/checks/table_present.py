"""table-present: the tables a template prints are all there (completeness).

Field: ``tables: [表1, …]``; omitted, the tables declared by the pack's
``template:`` section.  A table is present when the document has a table with
that id (or, failing that, one whose title is the declared title).  A missing
table is a finding of the rule's severity; a present table passes.

Example::

    - {id: xj.tables, kind: table-present, severity: warning}
"""

from __future__ import annotations

from typing import Iterator

from ..model import normalise_label
from ..messages import Msg
from .base import PASS, TABLES, Ctx, Result, failure, skip

KIND = "table-present"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ()
TABLE_FIELDS: tuple[str, ...] = ("tables",)

FAMILY = "completeness"
SCHEMA = {"properties": {"tables": TABLES}}


def check(rule, ctx: Ctx) -> Iterator[Result]:
    spec = ctx.template.tables if ctx.template is not None else {}
    wanted = rule.params.get("tables") or list(spec)
    if not wanted:
        yield skip("no tables listed and the pack declares no template tables")
        return
    titles = {normalise_label(t.title): t for t in ctx.document.tables}
    for tid in wanted:
        tid = ctx.interp(tid)
        title = spec[tid].title if tid in spec else None
        if ctx.document.table(tid) is not None:
            yield PASS
        elif title and normalise_label(title) in titles:
            yield PASS
        else:
            name = f"{tid} {title}" if title else tid
            yield failure(rule, Msg("finding.table_missing", {"name": name}), ctx=ctx)
