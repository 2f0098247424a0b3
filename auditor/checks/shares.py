"""shares: the items of one list state their shares of one whole.

A 情况说明 lists the parts of a total with their shares, often without
printing the total beside them (其中：一般公共预算拨款收入5,753.07万元，占97.9%；
其他收入123.61万元，占2.1%)::

    - id: nb.n.shares
      kind: shares
      match: "其中：(?P<items>(?:[^。；]*?{AMT}万元，占{PCT}%[；，]?){2,})"
      items: {findall: items, pattern: "(?P<part>{AMT})万元，占(?P<pct>{PCT})%",
              part: part, pct: pct}
      whole: $total          # optional: the total, when the sentence prints it

Every match of ``pattern`` inside the text of capture ``items`` is one item,
its figures read from the groups ``part`` (an amount) and ``pct`` (its share,
a percentage): figures of the narrative, printed with their unit (万元, 元, %);
a group holding a bare number skips the instance.  With ``whole``, each item is a share: ``pct`` = part / whole × 100 on rounding
intervals (as the ``share`` kind judges it).

Without ``whole`` (or when its capture is an optional group that matched
nothing: the sentence prints no total), the whole is what the items imply:
each item's part and share bound it (part / pct × 100, on the rounding
intervals of both), and one whole must lie within every bound.  When the
bounds meet, every item passes; when they do not, the list is one finding
naming the wholes its items imply — which item is wrong cannot be told
without the whole (a share printed to one decimal bounds it loosely).

Shares rounded so that the list adds to 100% (the largest-remainder habit:
62.3 + 33.3 + 1.4 + 0.3 + 2.7, where 1.4537…% rounds to 1.5) are a note, not
an error: when the printed shares add to 100% within their rounding and every
share is within one printed unit of its part's share of the whole.

An item of 0 万元 at 0% says nothing of the whole; a share of 0% bounds it
from below only (the part is less than half a unit of the printed share); a
part printed 0 with a share above 0 bounds it to almost nothing (half a unit
of the part over the share).

The premise is one whole.  ``of`` (optional) names a group of ``pattern``
that holds the words between 占 and the number (占“三公”经费的 / 占本年支出合计的):
items that name different wholes are judged as separate lists, and a list of
fewer than two items (without ``whole``) is skipped, having nothing to agree
with.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from ..interval import Interval, Verdict
from ..messages import Msg
from ..refs import Value, figure_value
from .base import REF, Ctx, Result, expand_pattern, failure, fmt, in_unit, relation, skip, validate_refs
from .patterns import validate_findall

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "shares"
REF_FIELDS: tuple[str, ...] = ("whole",)
TABLE_FIELDS: tuple[str, ...] = ()

ITEMS = {
    "type": "object",
    "properties": {
        "findall": {"type": "string"},
        "pattern": {"type": "string"},
        "part": {"type": "string"},
        "pct": {"type": "string"},
        "of": {"type": "string"},
    },
    "required": ["findall", "pattern", "part", "pct"],
    "additionalProperties": False,
}

SCHEMA = {"properties": {"items": ITEMS, "whole": REF}, "required": ["items"]}

HUNDRED = Interval.exact(100)


def validate(params: Mapping[str, Any], names: set[str]) -> Iterator[tuple[tuple, str]]:
    yield from validate_refs(params, ("whole",), names)
    yield from validate_findall(params["items"], ("items",), names, ("part", "pct", "of"))


def _items(spec: Mapping[str, Any], ctx: Ctx) -> list[tuple[str, Value, Value]] | str:
    """(whole named, part, pct) of every item in the capture; a reason when there is none."""
    name = str(spec["findall"]).lstrip("$")
    m = ctx.match
    assert m is not None  # validate: the capture is a group of the rule's match
    start = m.start(name)
    if start < 0:
        return f"${name} captured nothing"
    narrative = ctx.document.narrative
    out: list[tuple[str, Value, Value]] = []
    for hit in re.finditer(expand_pattern(spec["pattern"], ctx.env), m.group(name)):
        values = []
        for g in (spec["part"], spec["pct"]):
            fig = narrative.figure_at(hit.start(g) + start, hit.end(g) + start)
            if fig is None:  # a number the narrative does not print as an amount or a percentage
                return f"items: {hit.group(g)!r} is not a figure of the narrative (万元, 元 or %)"
            ctx.touch(fig)
            values.append(figure_value(fig))
        of = hit.group(spec["of"]) or "" if "of" in spec else ""
        out.append((of, values[0], values[1]))
    if not out:
        return f"items {spec['pattern']!r} found nothing in ${name}"
    return out


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    p = rule.params
    items = _items(p["items"], ctx)
    if isinstance(items, str):
        yield skip(items)
        return
    lists: dict[str, list[tuple[Value, Value]]] = {}
    for of, part, pct in items:
        lists.setdefault(of, []).append((part, pct))
    if "whole" in p and not ctx.unmatched(p["whole"]):
        whole = ctx.resolve(p["whole"])
        if isinstance(whole, str):
            yield skip(whole)
            return
        for group in lists.values():
            yield from _of_whole(rule, ctx, group, whole)
        return
    for group in lists.values():
        yield from _agree(rule, ctx, group)


def _of_whole(rule: Rule, ctx: Ctx, group: Sequence[tuple[Value, Value]], whole: Value) -> Iterator[Result]:
    """Each item's share of the printed whole; one unit off in a list that adds to 100% is a note."""
    adjusted = _adds_to_100([pct for _, pct in group])
    for part, pct in group:
        try:
            computed = in_unit(part, whole.unit) / whole.interval * HUNDRED
        except ZeroDivisionError:
            yield skip(f"the whole ({whole.where}) is zero: no share to check")
            continue
        how: str | Msg = f"{part.label} / {whole.label} × 100"
        unit = Decimal(1).scaleb(-pct.decimals)
        near = Interval(pct.interval.lo - unit, pct.interval.hi + unit, pct.point)
        if adjusted and not pct.interval.meets(computed) and near.meets(computed):
            how = Msg("how.shares_adjusted", {"how": how})
            yield relation(rule, pct, computed, how, [part, whole], ctx, verdict=Verdict.NOTE)
            continue
        yield relation(rule, pct, computed, how, [part, whole], ctx)


def _agree(rule: Rule, ctx: Ctx, group: Sequence[tuple[Value, Value]]) -> Iterator[Result]:
    """The wholes the items imply meet: one whole for the list."""
    if len(group) < 2:
        yield skip("one item: no other share to agree with")
        return
    unit = group[0][0].unit
    bounds = [(part, pct, _bound(part, pct, unit)) for part, pct in group]
    if _meet([b for _, _, b in bounds if b is not None]):
        for part, pct in group:
            yield Result("pass", figures=tuple(f for f in (part.figure, pct.figure) if f is not None))
        return
    wholes = "; ".join(f"{pct.label} of {part.label}: {_range(b, max(part.decimals, 2))}"
                       for part, pct, b in bounds if b is not None)
    (first_part, first_pct), rest = group[0], group[1:]
    operands = [v for part, pct in rest for v in (part, pct)] + [first_part]
    widened = [_bound(part, pct, unit, widen=True) for part, pct in group]
    if _adds_to_100([pct for _, pct in group]) and _meet([b for b in widened if b is not None]):
        msg = Msg("finding.shares.adjusted", {"where": first_pct.where, "n": len(group), "wholes": wholes})
        yield failure(rule, msg, stated=first_pct, operands=operands, ctx=ctx, severity="note",
                      actual=first_pct.point)
        return
    msg = Msg("finding.shares.disagree", {"where": first_pct.where, "n": len(group), "wholes": wholes})
    yield failure(rule, msg, stated=first_pct, operands=operands, ctx=ctx, actual=first_pct.point)


def _bound(part: Value, pct: Value, unit: str | None, widen: bool = False) -> Interval | None:
    """The wholes an item allows (``hi`` infinite: unbounded above); None when it says
    nothing (0 万元 at 0%).  ``widen``: the share one printed unit either way as well
    (a list rounded so that it adds to 100%)."""
    a = in_unit(part, unit)
    lo_a, hi_a = max(a.lo, Decimal(0)), max(a.hi, Decimal(0))
    extra = Decimal(1).scaleb(-pct.decimals) if widen else Decimal(0)
    lo_p, hi_p = max(pct.interval.lo - extra, Decimal(0)), pct.interval.hi + extra
    if lo_a == 0 and lo_p == 0:
        return None
    hi = Decimal("Infinity") if lo_p == 0 else hi_a * 100 / lo_p
    lo = lo_a * 100 / hi_p
    return Interval(lo, hi, lo)


def _meet(bounds: Sequence[Interval]) -> bool:
    return not bounds or max(b.lo for b in bounds) <= min(b.hi for b in bounds)


def _adds_to_100(pcts: Sequence[Value]) -> bool:
    """The printed shares add up to 100% within their rounding (a whole list)."""
    total = sum((p.point for p in pcts), Decimal(0))
    slack = sum((p.interval.hi - p.point for p in pcts), Decimal(0))
    return abs(total - 100) <= slack


def _range(b: Interval, decimals: int) -> str:
    hi = "∞" if b.hi.is_infinite() else fmt(b.hi, decimals)
    return f"{fmt(b.lo, decimals)}–{hi}"
