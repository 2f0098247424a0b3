"""Check kinds: one module each, registered here by an explicit dict.

A kind module has a docstring (its user documentation, shown by
``audit explain``), ``KIND`` (its name in packs), ``SCHEMA`` (the JSON Schema
``properties``/``required`` of its own fields, merged with the fields every
rule may have), an optional ``validate(params, names)`` for what a schema
cannot say (reference syntax, regexes), and ``check(rule, ctx)`` yielding one
``Result`` per instance.
"""

from __future__ import annotations

from types import ModuleType

from . import (at_most, change, column_sum, equal, formula, hierarchy, restate_table, share,
               shares, sum, table_present, total_row)
from . import comparison, consistent_identity, empty_table_note, no_placeholders, sections_present
from . import amount_twice, code_names, document_words, page_text, punctuation, sentence_slots, year_labels
from .context import Ctx, Result

KINDS: dict[str, ModuleType] = {
    m.KIND: m
    for m in (hierarchy, total_row, column_sum, sum, equal, at_most, share, shares, change,
              restate_table, table_present, formula)
}
# completeness and wording (issue 4): registered apart so each addition stays one line
KINDS.update({m.KIND: m for m in (comparison, empty_table_note, sections_present,
                                  no_placeholders, consistent_identity)})
# the inspector's checklist (issue 14): codes, consistency, sentences, typography, pages
KINDS.update({m.KIND: m for m in (code_names, year_labels, amount_twice, document_words, sentence_slots,
                                  punctuation, page_text)})


def doc(kind: str) -> str:
    """A kind's user documentation (its module docstring)."""
    return (KINDS[kind].__doc__ or "").strip()


__all__ = ["KINDS", "Ctx", "Result", "doc"]
