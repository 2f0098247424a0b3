"""column-sum: in every row, a total column equals the sum of its siblings.

The numeric columns of a table form a tree by their header paths
(``一般公共预算支出/合计``, ``一般公共预算支出/基本支出``, …).  A column whose
last segment is 合计, 小计 or 总计, or ends in 合计 or 小计
(``财政拨款（补助）小计``, ``项目支出合计``), totals its siblings: the other
children of the same header.  A sibling that is itself a group contributes
its own subtotal column, or the sum of its leaves when it has none::

    表5:  一般公共预算支出/合计 = …/基本支出 + …/项目支出
    表12: 合计 = 财政拨款/小计 + 非财政拨款/小计
          财政拨款/小计 = 财政拨款/基本支出/人员经费 + …/公用经费 + 财政拨款/项目支出

Checked in every row of the tables matched by ``tables`` (default all);
an absent cell reads as blank; a relation among blank cells only is trivially
true and not counted.

Example::

    - {id: generic.column-sum, kind: column-sum}
"""

from __future__ import annotations

from typing import Iterator

from .base import TABLES, Ctx, Result, cell_or_blank, skip, sum_relation

KIND = "column-sum"
SCHEMA = {"properties": {"tables": TABLES}}


def is_total_name(segment: str) -> bool:
    return segment in ("合计", "小计", "总计") or segment.endswith(("合计", "小计"))


class _Node:
    def __init__(self, path: str):
        self.path = path
        self.children: dict[str, _Node] = {}
        self.leaf = False

    def total_child(self) -> _Node | None:
        for name, child in self.children.items():
            if child.leaf and not child.children and is_total_name(name):
                return child
        return None


def column_tree(columns: list[str]) -> _Node:
    root = _Node("")
    for col in columns:
        node = root
        segs = col.split("/")
        for i, seg in enumerate(segs):
            node = node.children.setdefault(seg, _Node("/".join(segs[: i + 1])))
        node.leaf = True
    return root


def _contribution(node: _Node) -> list[str]:
    if node.leaf and not node.children:
        return [node.path]
    total = node.total_child()
    if total is not None:
        return [total.path]
    out: list[str] = []
    for child in node.children.values():
        out.extend(_contribution(child))
    return out


def relations(columns: list[str]) -> list[tuple[str, list[str], str]]:
    """Every (total column, columns it sums, their common header) of a header tree."""
    out: list[tuple[str, list[str], str]] = []

    def walk(node: _Node) -> None:
        for name, child in node.children.items():
            if child.leaf and not child.children and is_total_name(name):
                parts: list[str] = []
                for other_name, other in node.children.items():
                    if other is not child:
                        parts.extend(_contribution(other))
                if parts:
                    out.append((child.path, parts, node.path))
            walk(child)

    walk(column_tree(columns))
    return out


def check(rule, ctx: Ctx) -> Iterator[Result]:
    tables = ctx.tables(rule.params.get("tables"))
    if isinstance(tables, str):
        yield skip(tables)
        return
    for table in tables:
        cache: dict[tuple[str, ...], list[tuple[str, list[str], str]]] = {}
        for row in table.rows:
            cols = tuple(c for c in table.columns if c in row.cells) + tuple(
                c for c in row.cells if c not in table.columns)
            if cols not in cache:
                cache[cols] = relations(list(cols))
            for total, parts, parent in cache[cols]:
                figs = [cell_or_blank(row, p, table) for p in parts]
                labels = [p[len(parent) + 1:] if parent else p for p in parts]
                r = sum_relation(rule, row.cells[total], figs, ctx, labels)
                if r is not None:
                    yield r
