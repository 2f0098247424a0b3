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

A column marked 其中 (of which) is a part of its neighbour, never an addend
(小计 | 其中：预留给中小企业 | 其中：预留给小型、微型企业), unless the marker opens
the list of the total's parts (小计 | 其中：基本支出 | 项目支出, or one 其中 over
several columns).  A total named for what it covers sums only the siblings a
declared ``scopes`` entry gives it: ``{total: 三公, covers: 出国|公务用车|接待}``
(regexes searched in the total's name and in each sibling's name) makes
“三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费 whatever
else (会议费, 培训费) is printed beside it.

Checked in every row of the tables matched by ``tables`` (default all);
an absent cell reads as blank; a relation among blank cells only is trivially
true and not counted.

Example::

    - id: generic.column-sum
      kind: column-sum
      scopes: [{total: 三公, covers: 出国|公务用车|接待}]
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from .base import TABLES, Ctx, Result, cell_or_blank, skip, sum_relation

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "column-sum"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ()
TABLE_FIELDS: tuple[str, ...] = ("tables",)

SCHEMA = {"properties": {
    "tables": TABLES,
    "scopes": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["total", "covers"],
        "properties": {"total": {"type": "string", "minLength": 1},
                       "covers": {"type": "string", "minLength": 1}}}},
}}


def validate(params: Mapping[str, Any], names: set[str]) -> Iterator[tuple[tuple, str]]:
    for i, scope in enumerate(params.get("scopes") or ()):
        for k in ("total", "covers"):
            try:
                re.compile(str(scope.get(k, "")))
            except re.error as e:
                yield ("scopes", i, k), f"bad regex {scope.get(k)!r}: {e}"


def is_total_name(segment: str) -> bool:
    return segment in ("合计", "小计", "总计") or segment.endswith(("合计", "小计"))


def is_part_name(segment: str) -> bool:
    """A header marked 其中 (of which)."""
    return segment.lstrip().startswith("其中")


def _addends(siblings: list[tuple[str, _Node]]) -> list[_Node]:
    """The siblings (in print order, the total left out) a total sums.

    A column marked 其中 is a part of its neighbour, never an addend (小计 | 其中：预留给
    中小企业 | 其中：预留给小型、微型企业; 合计 | 基本支出 | 其中：人员经费 | 项目支出) —
    unless the marker opens the list of the total's parts: a 其中 group over several
    columns (小计 | 其中：基本支出, 项目支出 under one 其中), or a first sibling marked
    其中 followed by unmarked ones (小计 | 其中：基本支出 | 项目支出).
    """
    out = []
    for k, (name, node) in enumerate(siblings):
        if is_part_name(name):
            opens_list = (len(node.children) >= 2 if node.children else
                          k == 0 and len(siblings) > 1 and not is_part_name(siblings[1][0]))
            if not opens_list:
                continue
        out.append(node)
    return out


class _Node:
    def __init__(self, path: str):
        self.path = path
        self.children: dict[str, _Node] = {}
        self.leaf = False

    def total_child(self) -> _Node | None:
        for name, child in self.children.items():
            if child.leaf and not child.children and is_total_name(name) and not is_part_name(name):
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
    for child in _addends(list(node.children.items())):
        out.extend(_contribution(child))
    return out


def _covers(total: str, sibling: str, scopes: Sequence[Mapping[str, str]]) -> bool:
    """Whether a total column named ``total`` covers its sibling ``sibling``: always,
    unless a declared scope names the total and not the sibling."""
    for scope in scopes:
        if re.search(scope["total"], total):
            return bool(re.search(scope["covers"], sibling))
    return True


def relations(columns: list[str], scopes: Sequence[Mapping[str, str]] = ()
              ) -> list[tuple[str, list[str], str]]:
    """Every (total column, columns it sums, their common header) of a header tree."""
    out: list[tuple[str, list[str], str]] = []

    def walk(node: _Node) -> None:
        for name, child in node.children.items():
            if child.leaf and not child.children and is_total_name(name) and not is_part_name(name):
                parts: list[str] = []
                siblings = [(n, o) for n, o in node.children.items()
                            if o is not child and _covers(name, n, scopes)]
                for other in _addends(siblings):
                    parts.extend(_contribution(other))
                if parts:
                    out.append((child.path, parts, node.path))
            walk(child)

    walk(column_tree(columns))
    return out


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    tables = ctx.tables(rule.params.get("tables"))
    if isinstance(tables, str):
        yield skip(tables)
        return
    scopes = rule.params.get("scopes") or ()
    for table in tables:
        cache: dict[tuple[str, ...], list[tuple[str, list[str], str]]] = {}
        for row in table.rows:
            cols = tuple(c for c in table.columns if c in row.cells) + tuple(
                c for c in row.cells if c not in table.columns)
            if cols not in cache:
                cache[cols] = relations(list(cols), scopes)
            for total, parts, parent in cache[cols]:
                figs = [cell_or_blank(row, p, table) for p in parts]
                labels = [p[len(parent) + 1:] if parent else p for p in parts]
                r = sum_relation(rule, row.cells[total], figs, ctx, labels)
                if r is not None:
                    yield r
