"""hierarchy: a subject-code parent row equals the sum of its child rows.

In every table matched by ``tables`` (ids or globs, default all), within each
block, every row with a subject code that has children is checked in every
numeric column::

    208 = 20801 + 20805          (functional: 类 3 → 款 5 → 项 7 digits)
    301 = 30101 + 30102 + …      (economic: 类 3 → 款 5 digits)

A child extends its parent's code by one level; when a level is not printed
the nearest printed ancestor is the parent.  Whatever the code lengths, the
parent is the nearest row whose code is a prefix (local six-digit unit codes
``327001``, ``327002`` under the department ``327``), and items numbered
locally under their class (``302`` · ``01`` … ``13``) are its children.  A code printed on
several rows (表7 ``2080109`` and ``2080109#2``, one per project) contributes
all of them; a parent code printed again (a table repeating a section: 302 …
302#2) takes the children printed after it.  A row printed again right under
itself with the same name and figures (a 款 without 项s printed at both
levels: ``21999 其他支出`` twice) is one subject, not two addends — unless
only the other reading makes its parent add up.  A code row labelled 其中 is
a part of the row above, not an addend.  A code that does not fit the codes
around it (``7`` among the rows of ``210``) is one warning about that row (a
reading problem); it is no new class, and its possible parents hold when they
add up with or without it.
A relation among blank cells only is trivially true and not counted.

Example::

    - {id: generic.hierarchy, kind: hierarchy, tables: ["*"]}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..messages import Msg
from ..refs import figure_value
from .base import (TABLES, Ctx, Result, blocks, child_rows, failure, leaf_rows, misfit_rows, parent_rows,
                   row_sums, skip, with_copies)

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "hierarchy"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ()
TABLE_FIELDS: tuple[str, ...] = ("tables",)

SCHEMA = {"properties": {"tables": TABLES}}


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    tables = ctx.tables(rule.params.get("tables"))
    if isinstance(tables, str):
        yield skip(tables)
        return
    for table in tables:
        for rows in blocks(table).values():
            code_idx = list(parent_rows(rows))
            for m in misfit_rows(rows):
                k = code_idx.index(m)
                row = rows[m]
                fig = next((f for f in row.cells.values() if not f.blank), None) or next(
                    iter(row.cells.values()), None)
                where = f"{table.id} {row.key}"
                msg = Msg("finding.code_misfit", {"where": where, "code": row.code,
                                                  "before": rows[code_idx[k - 1]].code,
                                                  "after": rows[code_idx[k + 1]].code})
                yield failure(rule, msg, stated=figure_value(fig) if fig is not None else None,
                              ctx=ctx, severity="warning")
            for p, kid_idx in child_rows(rows).items():
                other = with_copies(kid_idx, rows, p)
                items = leaf_rows(kid_idx, rows)
                yield from row_sums(rule, ctx, table, rows[p], [rows[i] for i in kid_idx],
                                    [rows[i] for i in other] if other else None,
                                    [rows[i] for i in items] if items else None)
