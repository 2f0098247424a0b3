"""Judging a relation: a stated figure against the interval computed for it.

``relation`` turns (stated, computed) into a ``Result``: pass, note (holds
only within rounding) or fail with a ``Finding`` naming every cell;
``sum_relation`` / ``row_sums`` do it for table sums; the ``fmt`` helpers and
``sum_phrase`` write the figures into messages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Sequence

from ..interval import Interval, Verdict, judge, quantize
from ..messages import Msg
from ..model import CellRef, Figure, Finding, Row, Table
from ..numbers import format_amount
from ..refs import Value, figure_value
from .context import Ctx, Result, skip

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

AMOUNT_FACTORS = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}


def in_unit(v: Value, unit: str | None) -> Interval:
    """``v``'s interval in ``unit`` (元 ↔ 万元 ↔ 亿元); unchanged otherwise."""
    if unit in AMOUNT_FACTORS and v.unit in AMOUNT_FACTORS and unit != v.unit:
        k = AMOUNT_FACTORS[v.unit] / AMOUNT_FACTORS[unit]  # type: ignore[index]
        i = v.interval
        return Interval(i.lo * k, i.hi * k, i.point * k)
    return v.interval


def fmt(value: Decimal, decimals: int, unit: str | None = None) -> str:
    s = format_amount(value, max(decimals, 0))
    return s + "%" if unit == "%" else s


def fmt_value(v: Value) -> str:
    return fmt(v.point, v.decimals, v.unit)


def sum_phrase(values: Sequence[Value], table: str | None = None, limit: int = 12) -> Msg:
    """"sum of 208+210+221" as a message in either language."""
    blank = [v for v in values if v.figure is not None and v.figure.blank]
    shown = [v for v in values if not (v.figure is not None and v.figure.blank)] or list(values)
    extra: Msg | str = Msg("how.blank", {"n": len(blank)}) if blank and len(shown) < len(values) else ""
    if len(shown) > limit:
        return Msg("how.sum_many", {"n": len(shown), "blank": extra})
    labels = _labels(shown, table, limit=len(shown))
    return Msg("how.sum", {"parts": labels or Msg("how.nothing"), "blank": extra})


def _labels(values: Sequence[Value], table: str | None, limit: int) -> str:
    """``208+210+221`` (the table prefix dropped when it is the stated figure's)."""
    blank = [v for v in values if v.figure is not None and v.figure.blank]
    shown = [v for v in values if not (v.figure is not None and v.figure.blank)] or list(values)
    extra = f" ({len(blank)} blank)" if blank and len(shown) < len(values) else ""
    if len(shown) > limit:
        return f"{len(shown)} parts{extra}"
    out = ""
    for i, v in enumerate(shown):
        label = v.label
        if table and v.figure is not None and v.figure.table == table:
            neg = label.startswith("-")
            bare = label.lstrip("-")
            if bare.startswith(table + " "):
                label = ("-" if neg else "") + bare[len(table) + 1:]
        if i and not label.startswith("-"):
            out += "+"
        out += label
    return (out or "nothing") + extra


def _context(stated: Value, operands: Iterable[Value], ctx: Ctx | None) -> str | None:
    for v in (stated, *operands):
        if v.figure is not None and v.figure.table is None:
            return v.figure.sentence
    return ctx.sentence if ctx is not None else None


def cells(stated: Value | None, operands: Iterable[Value]) -> tuple[CellRef, ...]:
    out: list[CellRef] = []
    seen: set[int] = set()
    if stated is not None and stated.figure is not None:
        out.append(CellRef("actual", stated.figure))
        seen.add(id(stated.figure))
    for v in operands:
        if v.figure is not None and id(v.figure) not in seen:
            seen.add(id(v.figure))
            out.append(CellRef("operand", v.figure))
    return tuple(out)


def printed_as(stated: Value, computed: Interval) -> str | None:
    """How a printed rate relates to the value computed for it, on intervals.

    ``rounded`` when only rounding the computed value to the printed decimals
    can give the printed figure, ``truncated`` when only cutting it there can
    (63.3196…% printed 63.31%), ``both`` when either can (the two agree, or the
    operands' rounding leaves both open), ``neither`` when none can.  None when
    the stated figure is not a printed rate (amounts, constants): the relations
    between printed figures never tell the two apart.
    """
    if stated.unit != "%" or stated.constant or stated.figure is None:
        return None
    s, unit = stated.point, Decimal(1).scaleb(-stated.decimals)
    rounded = stated.interval.meets(computed)
    # the values that cut at the printed decimals give s: [s, s+u) above 0, (s-u, s] below
    if s > 0:
        truncated = computed.lo < s + unit and computed.hi >= s
    elif s < 0:
        truncated = computed.hi > s - unit and computed.lo <= s
    else:
        truncated = computed.lo < unit and computed.hi > -unit
    if rounded and truncated:
        return "both"
    return "rounded" if rounded else "truncated" if truncated else "neither"


def relation(rule: Rule, stated: Value, computed: Interval, how: str | Msg,
             operands: Sequence[Value], ctx: Ctx | None = None,
             verdict: Verdict | None = None) -> Result:
    """Judge ``stated`` against ``computed`` (RULES.md, "How a relation is judged").

    A stated rate also says how it is printed (``Result.printed``): the
    document's convention is decided from all of them once every rule has
    run (``auditor/convention.py``), never by one check.  A relation judged
    by a ``verdict`` of its own (at-most: an inequality) tells nothing of it.
    """
    decimals = stated.decimals
    if stated.constant and operands:
        # a constant (100) is exact: judge at the precision of what it is compared with
        decimals = max([decimals, *(v.decimals for v in operands)])
        where = next((v.where for v in operands if v.figure is not None), stated.where)
        stated = Value(stated.interval, decimals, None, stated.label, where, stated.unit, True)
    printed = printed_as(stated, computed) if verdict is None else None
    if verdict is None:
        verdict = judge(stated.interval, decimals, computed)
    at = table_cell(stated)
    judged = _figures(stated, operands)
    if verdict is Verdict.PASS:
        return Result("pass", at=at, printed=printed, figures=judged)
    expected = quantize(computed.point, decimals)
    severity = "note" if verdict is Verdict.NOTE else rule.severity
    # the stated figure as printed (a negated one too); a side that sums several printed
    # rows (restate-table: 2080109 and 2080109#2) states their sum, not its first row
    actual = (stated.figure.value if stated.figure is not None
              and abs(stated.figure.value) == abs(stated.point) else stated.point)
    key = "finding.relation_note" if verdict is Verdict.NOTE else "finding.relation"
    args: dict[str, Any] = {"where": stated.where, "stated": fmt_value(stated), "how": how,
                            "expected": fmt(expected, stated.decimals, stated.unit)}
    if verdict is Verdict.FAIL:
        # a common slip: the rate cut at the printed decimals instead of rounded
        args["hint"] = Msg("hint.truncated") if printed == "truncated" else ""
    finding = Finding(rule=rule.id, kind=rule.kind, severity=severity,
                      message=Msg(key, args).render("en"), expected=expected, actual=actual,
                      cells=cells(stated, operands), context=_context(stated, operands, ctx),
                      message_key=key, message_args=args, printed=printed)
    return Result("note" if verdict is Verdict.NOTE else "fail", finding, at=at, printed=printed,
                  figures=judged)


def _figures(stated: Value | None, operands: Iterable[Value]) -> tuple[Figure, ...]:
    """The printed figures of a relation (constants have none): what it covers."""
    return tuple(v.figure for v in (stated, *operands) if v is not None and v.figure is not None)


def table_cell(stated: Value | None) -> tuple[str, str] | None:
    """(table, column) of a stated table figure; None for the narrative or a constant."""
    f = stated.figure if stated is not None else None
    if f is None or f.table is None or f.column is None:
        return None
    return (f.table, f.column)


def failure(rule: Rule, message: Msg, *, stated: Value | None = None,
            operands: Sequence[Value] = (), expected: Decimal | None = None,
            actual: Decimal | None = None, ctx: Ctx | None = None,
            severity: str | None = None) -> Result:
    """A finding that is not a numeric comparison (contradicting words, a missing table);
    its message is a catalogue key with its values, so it reads in zh or en."""
    context = _context(stated, operands, ctx) if stated is not None else (
        ctx.sentence if ctx is not None else None)
    finding = Finding(rule=rule.id, kind=rule.kind, severity=severity or rule.severity,
                      message=message.render("en"), expected=expected, actual=actual,
                      cells=cells(stated, operands), context=context,
                      message_key=message.key, message_args=dict(message.args))
    # a rule of severity note (typography) reports without failing: passed and noted
    return Result("note" if finding.severity == "note" else "fail", finding, at=table_cell(stated),
                  figures=_figures(stated, operands))


def total_of(values: Iterable[Value], unit: str | None) -> Interval:
    acc = Interval.exact(0)
    for v in values:
        acc = acc + in_unit(v, unit)
    return acc


def cell_or_blank(row: Row, column: str, table: Table) -> Figure | None:
    """A row's figure in ``column``; an absent cell reads as a blank (zero), a cell
    whose print could not be read (``Row.unread``) as None: no relation can use it."""
    f = row.cells.get(column)
    if f is not None:
        return f
    if column in row.unread:
        return None
    return Figure(text="", value=Decimal(0), decimals=2, page=row.page, table=table.id,
                  row=row.key, column=column, unit=table.unit, blank=True)


def sum_relation(rule: Rule, stated: Figure, parts: Sequence[Figure | None], ctx: Ctx,
                 part_labels: Sequence[str] | None = None,
                 verdict: Verdict | None = None) -> Result | None:
    """``stated`` = Σ ``parts`` for table figures; None when every figure is blank.

    A part that could not be read (None) skips the relation.
    """
    for i, p in enumerate(parts):
        if p is None:
            part = part_labels[i] if part_labels else f"part {i + 1}"
            return skip(f"{stated.table} {stated.row} {stated.column}: {part} could not be read "
                        f"(p.{stated.page}, a reading problem)")
    if stated.blank and all(p.blank for p in parts):
        return None
    sv = figure_value(stated)
    pv = [figure_value(p, part_labels[i] if part_labels else None) for i, p in enumerate(parts)]
    computed = total_of(pv, sv.unit)
    return relation(rule, sv, computed, sum_phrase(pv), pv, ctx, verdict=verdict)


def row_sums(rule: Rule, ctx: Ctx, table: Table, total: Row, parts: Sequence[Row],
             other: Sequence[Row] | None = None, items: Sequence[Row] | None = None
             ) -> Iterator[Result]:
    """``total`` = Σ ``parts`` (rows of ``table``) in every numeric column of ``total``.

    ``other`` is a second reading of the parts (``with_copies``): a column that fails
    with ``parts`` but holds with ``other`` holds — a doubtful reading never makes an error.
    ``items`` are the rows under the parts that have no children (``leaf_rows``): a
    total that fails against its rounded subtotals but holds against the items they
    round (合计 25,530.51 = Σ items exactly, while 301 23,647.92 rounds its items'
    23,647.94) holds within rounding: a note, never an error.
    """
    for col in total.cells:
        r = _row_sum(rule, ctx, table, total, col, parts)
        if r is not None and r.status == "fail" and other is not None:
            r2 = _row_sum(rule, ctx, table, total, col, other)
            if r2 is None or r2.status != "fail":
                r = r2
        if r is not None and r.status == "fail" and items is not None:
            r3 = _row_sum(rule, ctx, table, total, col, items)
            if r3 is not None and r3.status != "fail":
                r = _row_sum(rule, ctx, table, total, col, items, verdict=Verdict.NOTE)
        if r is not None:
            yield r


def _row_sum(rule: Rule, ctx: Ctx, table: Table, total: Row, col: str,
             parts: Sequence[Row], verdict: Verdict | None = None) -> Result | None:
    figs = [cell_or_blank(k, col, table) for k in parts]
    return sum_relation(rule, total.cells[col], figs, ctx, [k.key for k in parts], verdict)


def signed(value: Value, negate_if: Mapping[str, str] | None, ctx: Ctx) -> Value:
    """``value`` negated when a capture of the rule's match reads the given word."""
    if negate_if and ctx.match is not None:
        groups = ctx.match.groupdict()
        if any(groups.get(g) == word for g, word in negate_if.items()):
            return value.negated()
    return value
