"""equal: a stated figure equals another (a restatement, a balance).

Fields: ``value: REF`` (the stated figure, reported as the actual cell) and
``equals: REF``.  Amounts in 元 and 万元 are compared in the stated figure's
unit.

Example::

    - id: xj.t1.balance
      kind: equal
      value: 表1[收入总计]
      equals: 表1[支出总计]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Mapping

from ..messages import Msg
from .base import REF, Ctx, Result, in_unit, relation, skip, validate_refs

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "equal"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ("value", "equals")
TABLE_FIELDS: tuple[str, ...] = ()

SCHEMA = {"properties": {"value": REF, "equals": REF}, "required": ["value", "equals"]}


def validate(params: Mapping[str, Any], names: set[str]) -> Iterator[tuple[tuple, str]]:
    yield from validate_refs(params, ("value", "equals"), names)


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    got = ctx.resolve_all({f: rule.params[f] for f in ("value", "equals")})
    if isinstance(got, str):
        yield skip(got)
        return
    value, other = got["value"], got["equals"]
    how = Msg("how.constant", {}) if other.constant else other.where
    yield relation(rule, value, in_unit(other, value.unit), how, [other], ctx)
