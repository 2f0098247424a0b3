"""formula: a stated figure equals an arithmetic expression of other figures.

Fields: ``value: REF`` (the stated figure), ``expr`` (``+ - * /``, parentheses,
numbers and the names of ``vars``) and ``vars: {name: REF}``.  The expression
is evaluated by a safe evaluator (simpleeval, never ``eval``) on rounding
intervals, so ``0.06`` (元/条, ±0.005) × ``1000`` (万条, ±0.5) gives
[54.97, 65.03] 万元 and a stated ``60`` passes.  Numbers written in ``expr``
are exact.  Units are not converted: write the factor (``/ 10000``) yourself.

Example (a unit cost times a quantity restates an allocation)::

    - id: xj.perf.sms-cost
      kind: formula
      match: 动账提醒项目(?P<amount>{AMT})万元.*?短信条数≥(?P<count>{AMT})万条.*?动账成本<=(?P<rate>{AMT})元/条
      value: $amount
      expr: rate * count
      vars: {rate: $rate, count: $count}
"""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from ..interval import Interval
from .base import REF, Ctx, Result, relation, skip, validate_refs

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "formula"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ("value", "vars")
TABLE_FIELDS: tuple[str, ...] = ()

SCHEMA = {
    "properties": {
        "value": REF,
        "expr": {"type": "string", "minLength": 1},
        "vars": {"type": "object", "minProperties": 1, "additionalProperties": REF,
                 "propertyNames": {"pattern": r"^[A-Za-z_]\w*$"}},
    },
    "required": ["value", "expr", "vars"],
}

_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])")
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Div,
            ast.USub, ast.UAdd, ast.Name, ast.Load, ast.Constant)


def _constants(expr: str) -> tuple[str, dict[str, Interval]]:
    """Numbers in ``expr`` → names bound to exact Decimal intervals (never floats)."""
    consts: dict[str, Interval] = {}

    def sub(m: re.Match[str]) -> str:
        name = f"_c{len(consts)}"
        consts[name] = Interval.exact(Decimal(m[0]))
        return name

    return _NUMBER.sub(sub, expr), consts


def validate(params: Mapping[str, Any], names: set[str]) -> Iterator[tuple[tuple, str]]:
    yield from validate_refs(params, ("value",), names)
    for var, ref in (params.get("vars") or {}).items():
        yield from ((("vars", var) + p[1:], m) for p, m in validate_refs({var: ref}, (var,), names))
    expr = params.get("expr", "")
    text, _ = _constants(expr)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as e:
        yield ("expr",), f"bad expression {expr!r}: {e.msg}"
        return
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            yield ("expr",), f"bad expression {expr!r}: only + - * / ( ) numbers and names"
            return
        if isinstance(node, ast.Name) and not node.id.startswith("_c") and node.id not in (params.get("vars") or {}):
            yield ("expr",), f"unknown name {node.id!r} in expression (vars: {', '.join(params.get('vars') or {})})"
            return


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    from simpleeval import SimpleEval

    stated = ctx.resolve(rule.params["value"])
    values = ctx.resolve_all(rule.params["vars"])
    if isinstance(stated, str):
        yield skip(stated)
        return
    if isinstance(values, str):
        yield skip(values)
        return
    text, consts = _constants(rule.params["expr"])
    evaluator = SimpleEval(names={**{k: v.interval for k, v in values.items()}, **consts},
                           functions={})
    try:
        computed = evaluator.eval(text)
    except ZeroDivisionError:
        yield skip(f"{rule.params['expr']}: a divisor is zero within rounding")
        return
    how = rule.params["expr"]
    for name, v in values.items():
        how = re.sub(rf"\b{name}\b", v.label, how)
    yield relation(rule, stated, computed, how, list(values.values()), ctx)
