"""at-most: an of-which figure is not above its whole (beyond rounding).

Fields: ``value: REF`` (the of-which line, e.g. 其中：一般财力) and
``limit: REF``.  Passes when the value is at most the limit; a note when it
is above but the two rounding intervals meet; otherwise a finding.

Example::

    - id: xj.t1.general-fund
      kind: at-most
      value: 表1[其中：一般财力]
      limit: 表1[1.一般公共预算拨款]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Mapping

from ..interval import Verdict
from ..messages import Msg
from .base import PASS, REF, Ctx, Result, fmt_value, in_unit, relation, skip, validate_refs

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "at-most"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ("value", "limit")
TABLE_FIELDS: tuple[str, ...] = ()

SCHEMA = {"properties": {"value": REF, "limit": REF}, "required": ["value", "limit"]}


def validate(params: Mapping[str, Any], names: set[str]) -> Iterator[tuple[tuple, str]]:
    yield from validate_refs(params, ("value", "limit"), names)


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    got = ctx.resolve_all({f: rule.params[f] for f in ("value", "limit")})
    if isinstance(got, str):
        yield skip(got)
        return
    value, limit = got["value"], got["limit"]
    bound = in_unit(limit, value.unit)
    if value.point <= bound.point:
        yield PASS
        return
    verdict = Verdict.NOTE if value.interval.lo <= bound.hi else Verdict.FAIL
    how = (Msg("how.above_constant", {}) if limit.constant
           else Msg("how.above_limit", {"where": limit.where, "value": fmt_value(limit)}))
    yield relation(rule, value, bound, how, [limit], ctx, verdict=verdict)
