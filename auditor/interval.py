"""Rounding intervals (DOMAIN.md, "Rounding"; XBRL Calculations 1.1).

A figure printed with ``d`` decimals stands for ``[v − ½·10^−d, v + ½·10^−d]``.
Relations are computed on intervals; a relation is broken only when the
stated figure's interval and the computed one do not meet.  A relation that
holds within rounding but not exactly is a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import Enum

HALF = Decimal("0.5")


@dataclass(frozen=True)
class Interval:
    """A closed interval ``[lo, hi]`` with the point value it was computed from."""

    lo: Decimal
    hi: Decimal
    point: Decimal

    @classmethod
    def exact(cls, value: Decimal | int | str) -> Interval:
        v = Decimal(value)
        return cls(v, v, v)

    @classmethod
    def rounded(cls, value: Decimal, decimals: int) -> Interval:
        h = HALF * Decimal(1).scaleb(-decimals)
        return cls(value - h, value + h, value)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi, self.point + other.point)

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo, -self.point)

    def __sub__(self, other: Interval) -> Interval:
        return self + (-other)

    def __mul__(self, other: Interval) -> Interval:
        products = [a * b for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Interval(min(products), max(products), self.point * other.point)

    def __truediv__(self, other: Interval) -> Interval:
        """Division; ``ZeroDivisionError`` when the divisor's interval holds 0."""
        if other.lo <= 0 <= other.hi:
            raise ZeroDivisionError("divisor interval contains zero")
        with localcontext() as ctx:
            ctx.prec = 34
            quotients = [a / b for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
            point = self.point / other.point
        return Interval(min(quotients), max(quotients), point)

    def meets(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    @property
    def is_exact(self) -> bool:
        return self.lo == self.hi


class Verdict(str, Enum):
    PASS = "pass"
    NOTE = "note"  # consistent within rounding, not exact
    FAIL = "fail"  # broken beyond rounding


def quantize(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def judge(stated: Interval, stated_decimals: int, computed: Interval) -> Verdict:
    """Compare a stated figure with the value computed from other figures.

    Exact when the computed point value, rounded to the stated figure's
    precision, is the stated value; a note when the two intervals meet;
    otherwise the relation is broken.
    """
    if quantize(computed.point, stated_decimals) == stated.point:
        return Verdict.PASS
    if stated.meets(computed):
        return Verdict.NOTE
    return Verdict.FAIL
