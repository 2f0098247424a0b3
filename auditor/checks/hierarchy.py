"""hierarchy: a subject-code parent row equals the sum of its child rows.

In every table matched by ``tables`` (ids or globs, default all), within each
block, every row with a subject code that has children is checked in every
numeric column::

    208 = 20801 + 20805          (functional: 类 3 → 款 5 → 项 7 digits)
    301 = 30101 + 30102 + …      (economic: 类 3 → 款 5 digits)

A child extends its parent's code by one level; when a level is not printed
the nearest printed ancestor is the parent.  A code printed on several rows
(表7 ``2080109`` and ``2080109#2``, one per project) contributes all of them;
a parent code printed again (a table repeating a section: 302 … 302#2) takes
the children printed after it.
A relation among blank cells only is trivially true and not counted.

Example::

    - {id: generic.hierarchy, kind: hierarchy, tables: ["*"]}
"""

from __future__ import annotations

from typing import Iterator

from .base import TABLES, Ctx, Result, blocks, child_rows, row_sums, skip, with_copies

KIND = "hierarchy"
SCHEMA = {"properties": {"tables": TABLES}}


def check(rule, ctx: Ctx) -> Iterator[Result]:
    tables = ctx.tables(rule.params.get("tables"))
    if isinstance(tables, str):
        yield skip(tables)
        return
    for table in tables:
        for rows in blocks(table).values():
            for p, kid_idx in child_rows(rows).items():
                other = with_copies(kid_idx, rows)
                yield from row_sums(rule, ctx, table, rows[p], [rows[i] for i in kid_idx],
                                    [rows[i] for i in other] if other else None)
