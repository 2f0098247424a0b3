"""sum: a stated total equals the sum of its parts.

Fields: ``total: REF`` (the stated figure) and ``parts: [PART, ...]``.  A
part is a reference; written ``-REF`` it is subtracted.  A part may also
collect figures from the text of a capture::

    {findall: items, pattern: "(?P<dir>增加|减少)(?P<amt>{AMT})万元",
     value: amt, negate_if: {dir: 减少}}

Every match of ``pattern`` inside the text of capture ``items`` contributes
the figure of its group ``value``, negated where group ``dir`` reads 减少.
That covers enumerations (信息化项目 999.00 = 480 + 50 + 150 + …) and change
roll-ups (the item changes add up to the overall change).  A findall that
finds nothing skips the instance.

The total or a part may also be written ``{ref: REF, negate_if: {dir: 减少}}``:
the figure, negated where the rule's own capture ``dir`` reads 减少 (a
change stated as 减少 9.03 is −9.03 in a roll-up).  A constant total
(``total: 100`` for shares that must add to 100%) is exact and judged at the
precision of the parts.

``partial: true``: the parts are some of the total, not all of it (a 其中 that
may name only some: 其中，A 万元，B 万元): their sum must not exceed the total.
It passes at or below it, is a note above it within rounding, else a finding.

Example::

    - id: xj.t5.total
      kind: sum
      total: 表5[总计][合计]
      parts: [表5[208][合计], 表5[210][合计], 表5[221][合计]]
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from ..interval import Verdict
from ..messages import Msg
from ..narrative import figure_from_span
from ..refs import Value, check_syntax, figure_value
from .base import (REF, Ctx, Result, expand_pattern, relation, signed, skip, sum_phrase,
                   total_of)
from .patterns import validate_findall

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "sum"
FINDALL = {
    "type": "object",
    "properties": {
        "findall": {"type": "string"},
        "pattern": {"type": "string"},
        "value": {"type": "string"},
        "negate_if": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "required": ["findall", "pattern", "value"],
    "additionalProperties": False,
}
SIGNED = {
    "type": "object",
    "properties": {
        "ref": REF,
        "negate_if": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "required": ["ref"],
    "additionalProperties": False,
}
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ("total", "parts")
TABLE_FIELDS: tuple[str, ...] = ()

SCHEMA = {
    "properties": {
        "total": {"anyOf": [REF, SIGNED]},
        "parts": {"type": "array", "items": {"anyOf": [REF, FINDALL, SIGNED]}, "minItems": 1},
        "partial": {"type": "boolean"},
    },
    "required": ["total", "parts"],
}


def _validate_signed(item: Mapping[str, Any], at: tuple, names: set[str]) -> Iterator[tuple[tuple, str]]:
    msg = check_syntax(item["ref"], names)
    if msg:
        yield at + ("ref",), msg
    for g in item.get("negate_if") or {}:
        if g not in names:
            known = ", ".join(sorted(names)) or "none"
            yield at + ("negate_if", g), f"negate_if: no group {g!r} in match (groups: {known})"


def validate(params: Mapping[str, Any], names: set[str]) -> Iterator[tuple[tuple, str]]:
    total = params.get("total")
    if isinstance(total, dict):
        yield from _validate_signed(total, ("total",), names)
    elif total is not None:
        msg = check_syntax(total, names)
        if msg:
            yield ("total",), msg
    for i, part in enumerate(params.get("parts") or ()):
        if isinstance(part, dict) and "ref" in part:
            yield from _validate_signed(part, ("parts", i), names)
        elif isinstance(part, dict):
            yield from validate_findall(part, ("parts", i), names, ("value",))
        else:
            msg = check_syntax(part, names)
            if msg:
                yield ("parts", i), msg


def findall(part: Mapping[str, Any], ctx: Ctx) -> list[Value] | str:
    name = str(part["findall"]).lstrip("$")
    m = ctx.match
    if m is None:
        return "findall needs the rule's match"
    try:
        start = m.start(name)
    except IndexError:
        return f"${name}: no such group"
    if start < 0:
        return f"${name} captured nothing"
    text = m.group(name)
    narrative = ctx.document.narrative
    negate_if = part.get("negate_if") or {}
    out: list[Value] = []
    for hit in re.finditer(expand_pattern(part["pattern"], ctx.env), text):
        s, e = hit.span(part["value"])
        if s < 0:
            continue
        s, e = s + start, e + start
        fig = narrative.figure_at(s, e)
        if fig is None:
            try:
                fig = figure_from_span(narrative, s, e)
            except ValueError:
                return f"findall: {narrative.text[s:e]!r} is not a number"
        ctx.touch(fig)
        v = figure_value(fig)
        if any(hit.group(g) == word for g, word in negate_if.items()):
            v = v.negated()
        out.append(v)
    if not out:
        return f"findall {part['pattern']!r} found nothing in ${name}"
    return out


def _resolve(item: Any, ctx: Ctx) -> Value | str:
    if isinstance(item, dict):
        v = ctx.resolve(item["ref"])
        return v if isinstance(v, str) else signed(v, item.get("negate_if"), ctx)
    return ctx.resolve(item)


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    p = rule.params
    total = _resolve(p["total"], ctx)
    if isinstance(total, str):
        yield skip(total)
        return
    parts: list[Value] = []
    for part in p["parts"]:
        if isinstance(part, dict) and "findall" in part:
            got = findall(part, ctx)
            if isinstance(got, str):
                yield skip(got)
                return
            parts.extend(got)
        else:
            v = _resolve(part, ctx)
            if isinstance(v, str):
                yield skip(v)
                return
            parts.append(v)
    computed = total_of(parts, total.unit)
    phrase = sum_phrase(parts, _table(total))
    if p.get("partial"):
        if computed.point <= total.point:
            yield Result("pass", figures=tuple(v.figure for v in (total, *parts) if v.figure is not None))
            return
        verdict = Verdict.NOTE if computed.lo <= total.interval.hi else Verdict.FAIL
        how = Msg("how.partial_sum", {"parts": phrase})
        yield relation(rule, total, computed, how, parts, ctx, verdict=verdict)
        return
    yield relation(rule, total, computed, phrase, parts, ctx)


def _table(v: Value) -> str | None:
    return v.figure.table if v.figure is not None else None
