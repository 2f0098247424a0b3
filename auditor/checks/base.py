"""What every check kind shares, in one import: ``from .base import Ctx, relation, ...``.

The names live in their own modules, re-exported here so that a kind module
(and code written before the split) needs one import line:

- ``checks.context``: ``Ctx`` (one evaluation of a rule), ``Result``, ``PASS``, ``skip``;
- ``checks.judging``: ``relation``, ``failure``, ``sum_relation``, ``row_sums``, the
  message helpers (``fmt``, ``fmt_value``, ``sum_phrase``), ``in_unit``, ``signed``;
- ``checks.patterns``: ``{AMT}``/``{PCT}``/``{NAME}``, ``expand_pattern``, ``REF``,
  ``TABLES`` and the reference validators;
- ``auditor.codes``: the subject-code hierarchy of a table's rows (beside the model).
"""

from __future__ import annotations

from ..codes import (ancestors, blocks, child_rows, code_parents, is_part_row, is_total_row,
                     leaf_rows, misfit_rows, parent_rows, restated_rows, stray_codes,
                     total_segments, with_copies)
from ..refs import BUILTIN_VARS
from .context import PASS, Ctx, Result, builtin_env, skip
from .judging import (AMOUNT_FACTORS, cell_or_blank, cells, failure, fmt, fmt_value, in_unit,
                      printed_as, relation, row_sums, signed, sum_phrase, sum_relation,
                      table_cell, total_of)
from .patterns import (AMT, NAME, PCT, REF, TABLES, expand_pattern, validate_refs,
                       validate_text_refs)

__all__ = [
    "ancestors", "blocks", "child_rows", "code_parents", "is_part_row", "is_total_row", "leaf_rows",
    "misfit_rows", "parent_rows", "restated_rows", "stray_codes", "total_segments", "with_copies",
    "BUILTIN_VARS", "PASS", "Ctx", "Result", "builtin_env", "skip",
    "AMOUNT_FACTORS", "cell_or_blank", "cells", "failure", "fmt", "fmt_value", "in_unit", "printed_as",
    "relation", "row_sums", "signed", "sum_phrase", "sum_relation", "table_cell", "total_of",
    "AMT", "NAME", "PCT", "REF", "TABLES", "expand_pattern", "validate_refs", "validate_text_refs",
]
