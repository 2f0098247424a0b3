"""change: a year-over-year change agrees with itself.

Fields: ``current: REF`` (this year's amount), ``delta: REF`` (the change, as
printed: a magnitude), ``pct: REF`` (the rate, a magnitude), ``direction: REF``
(a capture reading 增加 or 减少) and optionally ``rate_word: REF`` (增长 or
下降).  Text references are captures (``$dir``) or literal words.

- the words agree: 增加 goes with 增长, 减少 with 下降; a contradiction
  (减少 … 增长) is a finding at the Δ figure;
- previous = current − Δ (增加) or current + Δ (减少), and
  pct = Δ / previous × 100 on rounding intervals
  (基本支出 2,279.34, 增加 151.63, 增长 7.13%: previous 2,127.71);
- a change of zero states 0.00%;
- a line new this year (previous 0) that states 增长 100.00% is accepted as
  the convention it is (a pass, not a note); any other rate is a finding;
- a line that falls to zero (current 0, 下降 100.00%) passes by the formula.

Example::

    - id: xj.n5.items
      kind: change
      match: "预算数为(?P<cur>{AMT})万元，比上年预算(?P<dir>增加|减少)(?P<delta>{AMT})万元，(?P<rate>增长|下降)(?P<pct>{PCT})%"
      current: $cur
      delta: $delta
      pct: $pct
      direction: $dir
      rate_word: $rate
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..interval import Interval
from .base import (PASS, REF, Ctx, Result, failure, fmt, fmt_value, in_unit, relation, skip,
                   validate_refs, validate_text_refs)

KIND = "change"
SCHEMA = {
    "properties": {
        "current": REF,
        "delta": REF,
        "pct": REF,
        "direction": {"type": "string"},
        "rate_word": {"type": "string"},
    },
    "required": ["current", "delta", "pct", "direction"],
}

UP = ("增加", "增长", "上升", "提高", "增")
DOWN = ("减少", "下降", "降低", "减")


def word_sign(word: str | None) -> int | None:
    if word is None:
        return None
    w = word.strip()
    if w in UP:
        return 1
    if w in DOWN:
        return -1
    return None


def validate(params: Mapping[str, Any], names: set[str]) -> Iterator[tuple[tuple, str]]:
    yield from validate_refs(params, ("current", "delta", "pct"), names)
    yield from validate_text_refs(params, ("direction", "rate_word"), names)
    for f in ("direction", "rate_word"):
        v = params.get(f)
        if isinstance(v, str) and not v.strip().startswith("$") and word_sign(v) is None:
            yield (f,), f"{v!r} is neither a capture ($name) nor a direction word ({'/'.join(UP + DOWN)})"


def check(rule, ctx: Ctx) -> Iterator[Result]:
    p = rule.params
    vals = {}
    for f in ("current", "delta", "pct"):
        v = ctx.resolve(p[f])
        if isinstance(v, str):
            yield skip(v)
            return
        vals[f] = v
    current, delta, pct = vals["current"], vals["delta"], vals["pct"]
    direction = ctx.text(p["direction"])
    sign = word_sign(direction)
    if sign is None:
        yield skip(f"direction {direction!r} is not 增加/减少" if direction else
                   f"direction {p['direction']} captured nothing")
        return
    if "rate_word" in p:
        rate_word = ctx.text(p["rate_word"])
        rate_sign = word_sign(rate_word)
        if rate_word is not None and rate_sign is None:
            yield skip(f"rate word {rate_word!r} is not 增长/下降")
            return
        if rate_sign is not None and rate_sign != sign:
            msg = (f"{delta.where}: the words contradict each other: "
                   f"{direction} {fmt_value(delta)} but {rate_word} {fmt_value(pct)}")
            yield failure(rule, msg, stated=delta, operands=[pct, current], ctx=ctx)
            return

    d = delta.interval
    if delta.point < 0:  # 增加 -5.00: a decrease of 5.00
        sign, d = -sign, -d
    cur = in_unit(current, delta.unit)
    previous = cur - d if sign > 0 else cur + d
    op = "−" if sign > 0 else "+"
    dtext = fmt(abs(delta.point), delta.decimals)
    ctext = fmt(cur.point, delta.decimals)
    operands = [current, delta]
    if previous.lo <= 0 <= previous.hi:
        if delta.point == 0:
            yield relation(rule, pct, Interval.exact(0), "a change of zero", operands, ctx)
            return
        if sign > 0 and previous.point == 0:
            if pct.point == 100:
                yield PASS  # a line new this year: 增长 100.00% by convention
                return
            how = "a line new this year (previous 0): by convention the rate"
            yield relation(rule, pct, Interval.exact(100), how, operands, ctx)
            return
        yield skip(f"previous year ({ctext} {op} {dtext}) is zero within rounding: "
                   "the rate is undefined")
        return
    computed = d / previous * Interval.exact(100)
    how = f"{dtext} / ({ctext} {op} {dtext}) × 100"
    yield relation(rule, pct, computed, how, operands, ctx)
