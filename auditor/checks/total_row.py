"""total-row: a 总计/合计 row equals the sum of the top-level code rows.

In every table matched by ``tables`` (default all), within each block, each
total row (a row without a code labelled 总计, 合计, 收入总计, 支出总计 or
收支总计) is checked in every numeric column against the sum of the rows
whose code has no printed ancestor (usually the 类 rows: 208 + 210 + 221; a
code whose prefix is printed in the block — ``327001`` under ``327`` — never
is, so a parent is never summed with its own children; rows labelled 其中, a
row restating the row above and a misread code are not top-level either).
A block without code rows (表1 收入) has nothing to check.  Several total
rows in one block (a table printing a second list under its own 合计) each
sum the top-level rows of their own section.  A relation among
blank cells only is trivially true and not counted.

Example::

    - {id: generic.total-row, kind: total-row}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from .base import TABLES, Ctx, Result, blocks, leaf_rows, row_sums, skip, total_segments, with_copies

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "total-row"
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
            for t, seg in total_segments(rows):
                if seg:
                    other = with_copies(seg, rows)
                    items = leaf_rows(seg, rows)
                    yield from row_sums(rule, ctx, table, rows[t], [rows[i] for i in seg],
                                        [rows[i] for i in other] if other else None,
                                        [rows[i] for i in items] if items else None)
