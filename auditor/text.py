"""Normalising printed text, and the amount patterns: one place for each.

- ``squeeze``: all white space removed (line wraps, spaces inside a label or a
  figure): a printed label as a key, a cell's text as compared.
- ``FULLWIDTH_DIGITS``: full-width digits, point and percent to ASCII, as the
  narrative and the figure locator read prose; ``FULLWIDTH_NUMBER`` also maps
  the full-width comma, signs, parentheses and ideographic space, as a table
  cell's figure is parsed (``numbers.parse_number``).  The first leaves a
  full-width comma alone in prose, where ``，`` is punctuation, not a separator.
- ``AMT`` / ``PCT``: an amount and a percentage's number in a rule's ``match``
  (``{AMT}``, ``{PCT}``); ``NUMBER``: an amount or a percentage as the
  narrative's figure scanner finds it.  The two amount patterns differ in one
  thing: ``NUMBER`` refuses a figure followed by a comma (``1,234,56`` is no
  figure for the scanner), ``AMT`` accepts it (a pattern's context decides);
  merging them would change the figures found, so both stay, side by side.
"""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")

FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")
FULLWIDTH_NUMBER = str.maketrans("０１２３４５６７８９，．－＋（）％　", "0123456789,.-+()% ")

# Not preceded by a digit or a separator (so "2026年" inside "2026年1月" never yields "026").
AMT = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])"
PCT = r"(?<![\d.])\d+(?:\.\d+)?(?![\d])"
NUMBER = r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|(?<![\d.,])\d+(?:\.\d+)?(?![\d,])"
# A subject name as the narrative prints it: Chinese text, with bracketed parts
# that are not a level marker (党委办公厅（室）及相关机构事务, never …（款）).
# A pack writes it {NAME} (auditor.checks.patterns).
NAME = r"(?:[\u4e00-\u9fff、]|[（(](?![类款项][）)])[\u4e00-\u9fff]{1,6}[）)])+"


def squeeze(text: str | None) -> str:
    """``text`` with all white space removed ('' for None)."""
    return _WS.sub("", text or "")
