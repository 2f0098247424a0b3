"""The document's own rounding convention for rates, decided once every rule has run.

Every relation whose stated figure is a printed rate says how the printed
figure stands to the value computed for it (``checks.judging.printed_as``): only
rounding gives it, only truncation (cut at the printed decimals: 63.3196…%
printed 63.31%), both, or neither.  A check judges one figure and never
decides for the document; this step does, from all of them:

- at least one rate where the two differ is printed truncated and none where
  they differ is printed rounded: the document **truncates**.  A finding that
  is only truncation is then the document's convention, not a slip: it
  becomes a note saying so, and the audit carries one ``Convention`` line;
- a document that prints both (some rates truncated, others rounded) is
  **mixed**: its truncated rates stay errors, each saying it was cut instead
  of rounded;
- a document whose rates are only rounded is **rounded**: nothing changes.

A figure that is both (the two agree, or the operands' rounding leaves both
open) or neither (a wrong rate, a rate forced so that a split adds to 100%)
tells nothing of the convention, and its finding is untouched.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Sequence

from .messages import Msg
from .model import Convention, Finding, RuleOutcome

NOTE_KEY = "finding.relation_truncated"


def decide(outcomes: Sequence[RuleOutcome]) -> Convention | None:
    """The convention the judged rates show; None when no rate tells."""
    rounded = sum(o.rounded for o in outcomes)
    truncated = sum(o.truncated for o in outcomes)
    if not rounded and not truncated:
        return None
    rates = "mixed" if rounded and truncated else "truncated" if truncated else "rounded"
    return Convention(rates=rates, rounded=rounded, truncated=truncated)


def apply(findings: Sequence[Finding], outcomes: Sequence[RuleOutcome]
          ) -> tuple[list[Finding], list[RuleOutcome], Convention | None]:
    """Findings and outcomes under the document's convention, and that convention.

    In a truncating document each finding that is only truncation is a note
    (its rule's outcome counts it passed within rounding, as any note); the
    findings stay sorted.  Otherwise everything is returned unchanged.
    """
    convention = decide(outcomes)
    if convention is None or convention.rates != "truncated":
        return list(findings), list(outcomes), convention
    out: list[Finding] = []
    moved: Counter[str] = Counter()
    for f in findings:
        if f.printed == "truncated" and f.severity != "note" and f.message_args is not None:
            args = {k: v for k, v in f.message_args.items() if k != "hint"}
            out.append(replace(f, severity="note", message=Msg(NOTE_KEY, args).render("en"),
                               message_key=NOTE_KEY, message_args=args))
            moved[f.rule] += 1
        else:
            out.append(f)
    out.sort(key=Finding.sort_key)
    new_outcomes = [replace(o, failed=o.failed - moved[o.rule], passed=o.passed + moved[o.rule],
                            noted=o.noted + moved[o.rule]) if moved[o.rule] else o
                    for o in outcomes]
    return out, new_outcomes, replace(convention, noted=sum(moved.values()))
