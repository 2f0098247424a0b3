"""sentence-slots: no sentence of the narrative is left unfinished.

A template's sentences have slots the unit fills in: the reason of a change,
what money is used for, the items of a 其中 list, the amount.  Each default
pattern finds a slot left as the template had it:

- ``empty-reason``: a reason or purpose with nothing after it
  (``主要原因是。``, ``主要用于：。``, ``原因为；``);
- ``alternatives``: the template's alternatives left in (``增加（减少）``,
  ``增长（下降）``, ``增加/减少``, ``高于（低于）``);
- ``empty-list``: a 其中 / 包括 list that names nothing (``其中：。``);
- ``blank-amount``: an amount or rate left out, the clause ending right after
  its unit (``比上年增加万元，增长%``, ``政府性基金支出预算支出万元。``).

Field: ``patterns: {NAME: REGEX, ...}`` (optional; replaces the defaults),
over the white-space-free narrative.  Each match is a finding at the text as
printed, with its page and sentence; the rule counts one pass when nothing
is found.  A document without narrative text skips the rule.

Example::

    - {id: checklist.sentences, kind: sentence-slots, severity: warning}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Mapping

from ..messages import Msg
from .base import PASS, Ctx, Result, skip
from .wording import compile_patterns, text_finding, validate_patterns

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "sentence-slots"
FAMILY = "sentences"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ()
TABLE_FIELDS: tuple[str, ...] = ()
SCHEMA = {"properties": {"patterns": {"type": "object", "minProperties": 1,
                                      "additionalProperties": {"type": "string", "minLength": 1}}}}

# the words of change and comparison: rules/vocabulary/sentences.yaml
_WORD = "{vocab:alternative-word}"
DEFAULT_PATTERNS: dict[str, str] = {
    "empty-reason": r"(?:原因|用于|用途)(?:(?:主要)?(?:是|为|包括|有)[:：]?|[:：])(?=[。；;])|用于(?=[。；;])",
    "alternatives": (rf"{_WORD}(?:[（(]{_WORD}(?:[/、或]{_WORD})*[)）]|/{_WORD})"),
    "empty-list": r"(?:其中|包括)[:：，,](?=[。；;])",
    # an amount or rate left out: the unit right after the verb, and the clause ends there
    "blank-amount": (r"(?<![\d.])(?:{vocab:change}|{vocab:rate}|安排|共计|合计为|预算为|预算数为|预算支出|支出为|收入为)"
                     r"(?:万元|亿元|%)(?=[。，；,;])"),
}
LIMIT = 30


def validate(params: Mapping[str, Any], names: set[str]) -> Iterator[tuple[tuple, str]]:
    yield from validate_patterns(params, "patterns")


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    text = ctx.document.narrative.text
    if not text:
        yield skip("the document has no narrative text")
        return
    found = 0
    for name, pattern in compile_patterns(rule.params.get("patterns"), DEFAULT_PATTERNS).items():
        for m in pattern.finditer(text):
            found += 1
            if found <= LIMIT:
                start, end = m.start(), max(m.end(), m.start() + 1)
                yield text_finding(rule, ctx, start, end, Msg(f"finding.slot.{name}", {"text": m[0]})
                                   if f"finding.slot.{name}" in _KEYS else
                                   Msg("finding.slot.other", {"name": name, "text": m[0]}))
    if not found:
        yield PASS


_KEYS = {f"finding.slot.{n}" for n in DEFAULT_PATTERNS}
