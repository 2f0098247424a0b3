"""sections-present: the narrative has every section the template requires.

Field: ``sections: {NAME: REGEX, ...}``: each regular expression (over the
white-space-free narrative, ``{year}``/``{issuer}``, for-values and captures
filled in as text, escaped) must match
somewhere; a section that is not found is a finding naming it.  A document
without narrative text (a tables-only file audited alone) skips the rule.

Example::

    - id: xj.sections
      kind: sections-present
      severity: warning
      sections:
        收支总预算: 收支总预算(?:情况)?
        “三公”经费: “三公”经费
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from ..messages import Msg
from .base import PASS, Ctx, Result, expand_pattern, failure, skip

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule

KIND = "sections-present"
# Checked against the template's tables when the pack loads: the fields holding
# references (REF, or a list or mapping of them) and those holding table ids.
REF_FIELDS: tuple[str, ...] = ()
TABLE_FIELDS: tuple[str, ...] = ()

FAMILY = "completeness"
SCHEMA = {
    "properties": {
        "sections": {"type": "object", "minProperties": 1,
                     "additionalProperties": {"type": "string", "minLength": 1}},
    },
    "required": ["sections"],
}


def validate(params: Mapping[str, Any], names: set[str]) -> Iterator[tuple[tuple, str]]:
    for name, rx in (params.get("sections") or {}).items():
        try:
            re.compile(expand_pattern(str(rx)))
        except re.error as e:
            yield ("sections", name), f"bad regular expression: {e}"


def check(rule: Rule, ctx: Ctx) -> Iterator[Result]:
    text = ctx.document.narrative.text
    if not text:
        yield skip("the document has no narrative text")
        return
    for name, rx in rule.params["sections"].items():
        # {year}, {issuer}, for-values and captures filled in as text (escaped), as in a match
        pattern = re.compile(expand_pattern(str(rx), ctx.env))
        if pattern.search(text):
            yield PASS
        else:
            yield failure(rule, Msg("finding.section_missing", {"name": name, "pattern": rx}),
                          ctx=ctx)
