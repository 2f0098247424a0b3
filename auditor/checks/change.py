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
- a line that falls to zero (current 0, 下降 100.00%) passes by the formula;
- an increase larger than the current figure (previous below zero) is a
  finding: the change is stated for a line that cannot have had it;
- ``pct`` is optional (比上年预算减少2,389.52万元 states no rate): without it
  the instance checks the rest (the words, last year's figure, previous ≥ 0);
  a ``$capture`` of ``delta``/``pct`` whose optional group matched nothing is
  read as not stated;
- ``direction`` may read 持平 (与上年预算持平, 不变): no change, so ``delta``
  may be left out (previous = current); a stated Δ or rate must then be 0;
- ``line: REF`` (optional): the table figure of the line the sentence speaks
  of; when it is zero or absent (``missing: zero`` reads an absent row as 0)
  while the sentence states a non-zero amount, that is a finding.

Last year (``audit X.pdf --previous Y.pdf``): ``previous: REF`` names the
figure last year's disclosure printed for the same line, and the implied
previous (current − Δ, or current + Δ) must agree with it on rounding
intervals.  Write it as ``prev:表5[{code}][合计]`` (a table cell of last
year's document) or ``prev:$cur`` (the same rule's pattern matched in last
year's narrative: the instance whose ``previous_key`` captures read the same,
its capture ``cur``).  Without ``--previous`` the field is not evaluated.

Example::

    - id: xj.n5.items
      kind: change
      match: "预算数为(?P<cur>{AMT})万元，比上年预算(?P<dir>增加|减少)(?P<delta>{AMT})万元，(?P<rate>增长|下降)(?P<pct>{PCT})%"
      current: $cur
      delta: $delta
      pct: $pct
      direction: $dir
      rate_word: $rate
      previous: prev:$cur           # last year's sentence for the same line
      previous_key: [name]          # (when the pattern matches several lines)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from ..interval import Interval
from ..model import normalise_label
from ..refs import PREVIOUS_PREFIX, Value, resolve
from ..messages import Msg
from ..sentences import words
from .base import (AMOUNT_FACTORS, PASS, REF, Ctx, Result, failure, fmt, fmt_value, in_unit, relation, skip,
                   validate_refs, validate_text_refs)

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "change"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ("current", "delta", "pct", "line", "previous")
TABLE_FIELDS: tuple[str, ...] = ()

SCHEMA = {
    "properties": {
        "current": REF,
        "delta": REF,
        "pct": REF,
        "direction": {"type": "string"},
        "rate_word": {"type": "string"},
        "line": REF,
        "previous": REF,
        "previous_key": {"type": "array", "items": {"type": "string", "pattern": r"^\w+$"}},
    },
    "required": ["current", "direction"],
}

# the change words, by direction: rules/vocabulary/sentences.yaml (words: up, down, flat)
UP = words("up")
DOWN = words("down")
FLAT = words("flat")


def word_sign(word: str | None) -> int | None:
    if word is None:
        return None
    w = word.strip()
    if w in UP:
        return 1
    if w in DOWN:
        return -1
    if w in FLAT:
        return 0
    return None


def validate(params: Mapping[str, Any], names: set[str]) -> Iterator[tuple[tuple, str]]:
    yield from validate_refs(params, ("current", "delta", "pct", "line"), names)
    prev = params.get("previous")
    if isinstance(prev, str) and not prev.strip().startswith(PREVIOUS_PREFIX):
        yield ("previous",), f"previous {prev!r} must name last year's figure: prev:REF"
    else:
        yield from validate_refs(params, ("previous",), names)
    for i, k in enumerate(params.get("previous_key") or ()):
        if k not in names:
            yield ("previous_key", i), f"unknown capture {k!r} (match groups: {', '.join(sorted(names))})"
    yield from validate_text_refs(params, ("direction", "rate_word"), names)
    for f in ("direction", "rate_word"):
        v = params.get(f)
        if isinstance(v, str) and not v.strip().startswith("$") and word_sign(v) is None:
            yield (f,), f"{v!r} is neither a capture ($name) nor a direction word ({'/'.join(UP + DOWN + FLAT)})"


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    p = rule.params
    vals: dict[str, Value | None] = {}
    for f in ("current", "delta", "pct"):
        if f not in p:
            vals[f] = None
            continue
        v = ctx.resolve(p[f])
        if isinstance(v, str):
            if f != "current" and ctx.unmatched(p[f]):
                vals[f] = None  # an optional group that matched nothing: not stated
                continue
            yield skip(v)
            return
        vals[f] = v
    current, delta, pct = vals["current"], vals["delta"], vals["pct"]
    assert current is not None
    direction = ctx.text(p["direction"])
    sign = word_sign(direction)
    if sign is None:
        yield skip(f"direction {direction!r} is not 增加/减少/持平" if direction else
                   f"direction {p['direction']} captured nothing")
        return
    if sign == 0:
        yield from _flat(rule, ctx, current, delta, pct, direction)
        return
    if delta is None:
        yield skip(f"{direction} states no amount (the rule has no delta)")
        return
    if "rate_word" in p:
        rate_word = ctx.text(p["rate_word"])
        rate_sign = word_sign(rate_word)
        if rate_word is not None and rate_sign is None:
            yield skip(f"rate word {rate_word!r} is not 增长/下降")
            return
        if rate_sign is not None and rate_sign != sign:
            msg = Msg("finding.change.words", {
                "where": delta.where, "direction": direction, "delta": fmt_value(delta),
                "rate_word": rate_word, "pct": " " + fmt_value(pct) if pct is not None else ""})
            yield failure(rule, msg, stated=delta,
                          operands=[v for v in (pct, current) if v is not None], ctx=ctx)
            return

    d = delta.interval
    if delta.point < 0:  # 增加 -5.00: a decrease of 5.00
        sign, d = -sign, -d
    cur = in_unit(current, delta.unit)
    previous = cur - d if sign > 0 else cur + d
    op = "−" if sign > 0 else "+"
    dtext = fmt(abs(delta.point), delta.decimals)
    # the current figure as printed when it is in Δ's unit (53,522.29, not 53,522.3), and
    # last year's at the finer of the two precisions
    cdec = max(current.decimals, delta.decimals) if current.unit == delta.unit else delta.decimals
    ctext = fmt(cur.point, cdec)
    operands = [current, delta]
    if "line" in p:
        line = ctx.resolve(p["line"])
        if isinstance(line, str):
            yield skip(line)
        elif line.point == 0 and current.point != 0 and delta.point != 0:
            what = Msg("word.absent" if line.figure is None else "word.zero")
            msg = Msg("finding.change.no_line", {
                "where": current.where, "direction": direction, "delta": fmt_value(delta),
                "what": what, "line": line.where})
            yield failure(rule, msg, stated=current, operands=[line, delta], ctx=ctx)
        else:
            yield PASS
    if "previous" in p and ctx.document.previous is not None:
        yield from _against_previous(rule, ctx, previous, current, delta, direction, op, dtext, ctext)
    if previous.hi < 0:
        msg = Msg("finding.change.negative_previous", {
            "where": delta.where, "direction": direction, "delta": fmt_value(delta),
            "current": fmt_value(current),
            "calc": f"{ctext} {op} {dtext} = {fmt(previous.point, cdec)}"})
        yield failure(rule, msg, stated=delta,
                      operands=[v for v in (current, pct) if v is not None], ctx=ctx)
        return
    if pct is None:  # no rate printed: last year's figure is at least not below zero
        yield PASS
        return
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


def _flat(rule: Rule, ctx: Ctx, current: Value, delta: Value | None, pct: Value | None,
          direction: str | None) -> Iterator[Result]:
    """持平: no change.  A stated Δ and rate are zero; last year printed the same figure."""
    zero = Interval.exact(0)
    judged = False
    for v in (delta, pct):
        if v is not None:
            judged = True
            yield relation(rule, v, zero, f"{direction}: no change", [current], ctx)
    if "previous" in rule.params and ctx.document.previous is not None:
        judged = True
        stated = _previous_value(rule, ctx)
        if isinstance(stated, str):
            yield skip(stated)
        elif stated.absent and current.point != 0:
            yield skip(f"last year's {stated.where}, while the sentence implies "
                       f"{fmt_value(current)} (renamed or recoded?)")
        else:
            how = f"last year's figure implied by {current.where} {fmt_value(current)} and {direction}"
            yield relation(rule, stated, in_unit(current, stated.unit), how, [current], ctx)
    if not judged:
        yield PASS  # the word alone: nothing else to judge without last year's document

def _against_previous(rule: Rule, ctx: Ctx, implied: Interval, current: Value, delta: Value,
                      direction: str | None, op: str, dtext: str, ctext: str) -> Iterator[Result]:
    """The implied previous figure against the one last year's document printed."""
    stated = _previous_value(rule, ctx)
    if isinstance(stated, str):
        yield skip(stated)
        return
    if stated.absent and not implied.lo <= 0 <= implied.hi:
        # a subject renamed or recoded between the years has no row of the
        # same name last year: that is no evidence that last year's figure was 0
        yield skip(f"last year's {stated.where}, while the sentence implies "
                   f"{fmt(implied.point, delta.decimals)} (renamed or recoded?)")
        return
    implied_in = implied
    if stated.unit in AMOUNT_FACTORS and delta.unit in AMOUNT_FACTORS and stated.unit != delta.unit:
        # judged in the unit of last year's figure (the stated one): 元 ↔ 万元
        k = AMOUNT_FACTORS[delta.unit] / AMOUNT_FACTORS[stated.unit]  # type: ignore[index]
        implied_in = Interval(implied.lo * k, implied.hi * k, implied.point * k)
    how = (f"last year's figure implied by {current.where} {fmt_value(current)} and "
           f"{direction} {fmt_value(delta)} ({ctext} {op} {dtext})")
    yield relation(rule, stated, implied_in, how, [current, delta], ctx)


def _previous_value(rule: Rule, ctx: Ctx) -> Value | str:
    ref = rule.params["previous"]
    prev_doc = ctx.document.previous
    assert prev_doc is not None
    text = str(ref).strip()
    inner = text[len(PREVIOUS_PREFIX):] if text.startswith(PREVIOUS_PREFIX) else text
    if not inner.startswith("$"):
        return ctx.resolve(ref)
    pattern = rule.pattern(ctx.vars)
    if pattern is None:
        return f"{text}: the rule has no match pattern"
    keys = rule.params.get("previous_key") or []
    want = {k: _key(ctx.match.group(k)) if ctx.match is not None else None for k in keys}
    hits = [m for m in pattern.finditer(prev_doc.narrative.text)
            if all(_key(m.group(k)) == v for k, v in want.items())]
    where = ", ".join(f"{k}={ctx.match.group(k)}" for k in keys) if ctx.match is not None else ""
    if not hits:
        return f"last year's narrative has no sentence matching this rule{' for ' + where if where else ''}"
    if len(hits) > 1 and len({_key(m.group(0)) for m in hits}) > 1:
        return (f"last year's narrative has {len(hits)} sentences matching this rule"
                f"{' for ' + where if where else ''}: add previous_key")
    from .base import builtin_env

    env = builtin_env(prev_doc)
    env.update(ctx.vars)
    env.update({k: v for k, v in hits[0].groupdict().items() if v is not None})
    return resolve(inner, prev_doc, match=hits[0], env=env, missing=rule.missing)


def _key(text: str | None) -> str | None:
    if text is None:
        return None
    return re.sub(r"[（(](?:类|款|项)[）)]", "", normalise_label(text))
