"""comparison: words comparing two figures agree with the figures (决算 vs 预算).

Fields: ``actual: REF`` (决算数), ``budget: REF`` (预算数), ``word: REF`` (a
capture or a literal word: 大于/高于/超过/超出 → actual above budget; 小于/低于/
未达到 → below; 等于/持平/相等/一致 → equal) and optionally ``pct: REF``
(完成年初预算的 p%: p = actual / budget × 100, judged on rounding intervals;
a budget of zero skips the rate).

- the word is judged on the sign of actual − budget: 大于 with actual ≤
  budget, 小于 with actual ≥ budget, or 持平 with two figures that differ
  beyond rounding is a finding at the actual figure, with the sentence;
- the rate is judged like ``share``.

Example::

    - id: fa.n5.items-wording
      kind: comparison
      match: 年初预算为(?P<budget>{AMT})万元，支出决算为(?P<actual>{AMT})万元[，。]完成年初预算的(?P<pct>{PCT})%。决算数(?:同|与)?预算数(?P<word>大于|小于|持平)
      actual: $actual
      budget: $budget
      word: $word
      pct: $pct
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Mapping

from ..interval import Interval
from ..messages import Msg
from ..sentences import words
from .base import (REF, Ctx, Result, PASS, failure, fmt_value, in_unit, relation, skip,
                   validate_refs, validate_text_refs)

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "comparison"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ("actual", "budget", "pct")
TABLE_FIELDS: tuple[str, ...] = ()

SCHEMA = {
    "properties": {"actual": REF, "budget": REF, "word": {"type": "string"}, "pct": REF},
    "required": ["actual", "budget", "word"],
}

# the comparison words: rules/vocabulary/sentences.yaml (words: above, below, equal)
ABOVE = words("above")
BELOW = words("below")
EQUAL = words("equal")


def word_sign(word: str | None) -> int | None:
    w = (word or "").strip()
    if w in ABOVE:
        return 1
    if w in BELOW:
        return -1
    if w in EQUAL:
        return 0
    return None


def validate(params: Mapping[str, Any], names: set[str]) -> Iterator[tuple[tuple, str]]:
    yield from validate_refs(params, ("actual", "budget", "pct"), names)
    yield from validate_text_refs(params, ("word",), names)
    w = params.get("word")
    if isinstance(w, str) and not w.strip().startswith("$") and word_sign(w) is None:
        yield ("word",), f"{w!r} is neither a capture ($name) nor a comparison word"


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    p = rule.params
    actual = ctx.resolve(p["actual"])
    if isinstance(actual, str):
        yield skip(actual)
        return
    budget = ctx.resolve(p["budget"])
    if isinstance(budget, str):
        yield skip(budget)
        return
    word = ctx.text(p["word"])
    sign = word_sign(word)
    if sign is None:
        yield skip(f"word {word!r} is not 大于/小于/持平" if word else f"word {p['word']} captured nothing")
        return
    b = in_unit(budget, actual.unit)
    diff = actual.interval - b
    if diff.lo > 0:
        truth, says = 1, Msg("word.above")
    elif diff.hi < 0:
        truth, says = -1, Msg("word.below")
    else:
        truth, says = 0, Msg("word.equal_within_rounding")
    exact = actual.point - b.point
    ok = (truth == sign) or (truth == 0 and sign != 0 and (exact > 0) == (sign > 0) and exact != 0)
    if not ok:
        msg = Msg("finding.comparison.wording", {
            "where": actual.where, "word": word, "actual": fmt_value(actual), "says": says,
            "budget": fmt_value(budget), "budget_where": budget.where})
        yield failure(rule, msg, stated=actual, operands=[budget], ctx=ctx)
    else:
        yield PASS
    if "pct" in p:
        pct = ctx.resolve(p["pct"])
        if isinstance(pct, str):
            yield skip(pct)
            return
        if b.lo <= 0 <= b.hi:
            yield skip(f"{budget.where} is zero: the rate is undefined")
            return
        computed = actual.interval / b * Interval.exact(100)
        yield relation(rule, pct, computed, f"{fmt_value(actual)} / {fmt_value(budget)} × 100",
                       [actual, budget], ctx)
