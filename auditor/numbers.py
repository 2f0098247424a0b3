"""Printed numbers → ``Decimal``.

Budget tables print amounts as ``3,599.74``; text layers may return them
spaced (``3, 245. 06``), full-width (``３，５９９．７４``), blank or ``-`` for
zero, and negatives as ``-12.00``, ``－12.00`` or ``(12.00)``.  Every parsed
figure keeps the number of decimals it was printed with: that is its
rounding precision (DOMAIN.md, "Rounding").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .text import FULLWIDTH_NUMBER as _FULLWIDTH

# A figure as printed: optional sign or parentheses, digits with optional
# thousands separators, optional decimals, optional percent sign.
_NUMBER = re.compile(
    r"""^(?P<open>\()?
        (?P<sign>[-+])?
        (?P<int>\d{1,3}(?:,\d{3})+|\d+)
        (?:\.(?P<frac>\d+))?
        (?P<close>\))?
        (?P<pct>%)?$""",
    re.VERBOSE,
)
_ZERO_MARKS = {"", "-", "--", "—", "——", "－", "/", "0"}
# Spaces that a text layer puts inside a number after a separator or between
# digits (``3, 245. 06``).
_INNER_SPACE = re.compile(r"(?<=[\d,.])\s+(?=[\d,.])")


@dataclass(frozen=True)
class Parsed:
    value: Decimal
    decimals: int
    percent: bool = False
    blank: bool = False


def normalise(text: str) -> str:
    """Full-width to ASCII, spaces inside numbers removed, trimmed."""
    t = text.translate(_FULLWIDTH).strip()
    return _INNER_SPACE.sub("", t)


def parse_number(text: str | None, *, blank_is_zero: bool = True) -> Parsed | None:
    """Parse one printed figure; ``None`` when the text is not a number.

    A blank cell or a dash stands for zero and is exact (decimals 2, the
    precision of the surrounding amounts, flagged ``blank``).
    """
    if text is None:
        return Parsed(Decimal(0), 2, blank=True) if blank_is_zero else None
    t = normalise(text)
    if t in _ZERO_MARKS and t != "0":
        return Parsed(Decimal(0), 2, blank=True) if blank_is_zero else None
    m = _NUMBER.match(t)
    if not m:
        return None
    if bool(m["open"]) != bool(m["close"]):
        return None
    digits = m["int"].replace(",", "")
    frac = m["frac"] or ""
    try:
        value = Decimal(f"{digits}.{frac}" if frac else digits)
    except InvalidOperation:  # pragma: no cover - regex guarantees digits
        return None
    if m["sign"] == "-" or m["open"]:
        value = -value
    return Parsed(value, len(frac), percent=bool(m["pct"]))


def format_amount(value: Decimal, decimals: int = 2) -> str:
    """``Decimal('3599.74')`` → ``'3,599.74'`` (for messages)."""
    q = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
    return f"{value.quantize(q):,}"
