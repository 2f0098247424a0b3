"""restate-table: one table restates another, row by row.

Fields: ``table`` (the restating table), ``source`` (the table it restates),
``columns: {COLUMN: SOURCE_COLUMN, ...}`` (a column of ``table`` ← a column of
``source``, each an exact path or a unique suffix) and ``rows``: ``codes``
(default: every subject-code row) or ``all`` (label rows too, 总计 included).
``levels: [1, 2, 3]`` keeps only code rows of those levels (类 1, 款 2,
项 3).  Every row present in either table is compared in every listed
column; a row or cell absent from one table counts as blank (zero).  A key
printed on several rows (表7 ``2080109``, ``2080109#2``: one per project)
is compared as the sum of its rows.  When every listed cell of both tables is
blank (an empty 表8 against a blank column of 表2) the tables agree: one
pass.  Relations among
blank cells only are trivially true and not counted.

Example::

    - id: xj.t3-t5
      kind: restate-table
      table: 表3
      source: 表5
      columns: {合计: 合计, 基本支出: 基本支出, 项目支出: 项目支出}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..interval import Interval
from ..model import Table
from ..refs import Value, absent_value, figure_value, find_column, find_table
from .base import PASS, Ctx, Result, in_unit, relation, skip

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "restate-table"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ()
TABLE_FIELDS: tuple[str, ...] = ("table", "source")

SCHEMA = {
    "properties": {
        "table": {"type": "string"},
        "source": {"type": "string"},
        "columns": {"type": "object", "additionalProperties": {"type": "string"},
                    "minProperties": 1},
        "rows": {"enum": ["codes", "all"]},
        "levels": {"type": "array", "minItems": 1,
                   "items": {"enum": [1, 2, 3]}},
    },
    "required": ["table", "source", "columns"],
}


def _columns(table: Table) -> list[str]:
    return list(dict.fromkeys([*table.columns, *(c for r in table.rows for c in r.cells)]))


def _absent(table: Table, key: str, column: str) -> Value:
    return absent_value(f"{table.id} {key}", f"{table.id} {key} {column} (absent)", table.unit)


def _base_key(key: str) -> str:
    return key.split("#", 1)[0]


def _side(table: Table, rows: list, col: str, key: str) -> Value | None:
    """The figures of the rows printed under one key (2080109, 2080109#2) as one value."""
    figs = [r.cells[col] for r in rows if col in r.cells]
    if not figs:
        return None
    if len(figs) == 1:
        return figure_value(figs[0])
    total = Interval.exact(0)
    for f in figs:
        total = total + figure_value(f).interval
    first = figs[0]
    where = f"{table.id} {key} {col} (sum of {len(figs)} rows)"
    return Value(total, max(f.decimals for f in figs), first,
                 f"{table.id} {key}(×{len(figs)})", where, first.unit)


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    p = rule.params
    tid, sid = ctx.interp(p["table"]), ctx.interp(p["source"])
    table, source = find_table(ctx.document, tid), find_table(ctx.document, sid)
    for t in (table, source):
        if isinstance(t, str):
            yield skip(t)
            return
    assert not isinstance(table, str) and not isinstance(source, str)
    pairs: list[tuple[str, str]] = []
    for mine, theirs in p["columns"].items():
        ca, cb = find_column(_columns(table), mine), find_column(_columns(source), theirs)
        for t, sel, hit in ((table, mine, ca), (source, theirs, cb)):
            if isinstance(hit, list):
                what = "is ambiguous: " + ", ".join(hit) if hit else "matches no column"
                yield skip(f"{t.id} column {sel!r} {what}")
                return
        pairs.append((ca, cb))  # type: ignore[arg-type]
    want_codes = p.get("rows", "codes") == "codes" or "levels" in p
    levels = set(p.get("levels") or ())

    def grouped(t: Table) -> dict[str, list]:
        out: dict[str, list] = {}
        for r in t.rows:
            if want_codes and not r.code:
                continue
            if levels and r.level not in levels:
                continue
            out.setdefault(_base_key(r.key), []).append(r)
        return out

    mine_rows, their_rows = grouped(table), grouped(source)
    compared = 0
    for key in dict.fromkeys([*mine_rows, *their_rows]):
        for col, scol in pairs:
            a = _side(table, mine_rows.get(key, []), col, key)
            b = _side(source, their_rows.get(key, []), scol, key)
            if (a is None or a.figure is None or a.figure.blank and a.interval.is_exact) and (
                    b is None or b.figure is None or b.figure.blank and b.interval.is_exact):
                continue
            stated = a if a is not None else _absent(table, key, col)
            other = b if b is not None else _absent(source, key, scol)
            if a is None or ("(sum of" in stated.where and "(sum of" not in other.where):
                stated, other = other, stated  # the single printed figure is the stated one
            compared += 1
            yield relation(rule, stated, in_unit(other, stated.unit), other.where, [other], ctx)
    if not compared:
        yield PASS  # both sides blank in every listed column: they agree there is nothing
