"""share: a stated percentage equals part / whole × 100.

Fields: ``pct: REF`` (the stated percentage, usually a capture such as
``占63.32%``), ``part: REF`` and ``whole: REF``.  The ratio is computed on
rounding intervals, so 2,279.34 / 3,599.74 = 63.3196…% passes as 63.32%.
A whole of zero skips the instance.

Example::

    - id: xj.n3.share
      kind: share
      match: "(?P<name>基本支出|项目支出)(?P<amt>{AMT})万元，占(?P<pct>{PCT})%"
      pct: $pct
      part: $amt
      whole: 表1[支出总计]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Mapping

from ..interval import Interval
from .base import REF, Ctx, Result, in_unit, relation, skip, validate_refs

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "share"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ("pct", "part", "whole")
TABLE_FIELDS: tuple[str, ...] = ()

SCHEMA = {"properties": {"pct": REF, "part": REF, "whole": REF},
          "required": ["pct", "part", "whole"]}


def validate(params: Mapping[str, Any], names: set[str]) -> Iterator[tuple[tuple, str]]:
    yield from validate_refs(params, ("pct", "part", "whole"), names)


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    got = ctx.resolve_all({f: rule.params[f] for f in ("pct", "part", "whole")})
    if isinstance(got, str):
        yield skip(got)
        return
    pct, part, whole = got["pct"], got["part"], got["whole"]
    try:
        computed = in_unit(part, whole.unit) / whole.interval * Interval.exact(100)
    except ZeroDivisionError:
        yield skip(f"the whole ({whole.where}) is zero: no share to check")
        return
    how = f"{part.label} / {whole.label} × 100"
    yield relation(rule, pct, computed, how, [part, whole], ctx)
