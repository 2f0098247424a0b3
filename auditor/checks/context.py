"""The context a check runs in, and what it yields.

A check is ``check(rule, ctx)`` yielding one ``Result`` per instance of the
relation it tests: ``pass``, ``note`` (holds within rounding: a note
finding), ``fail`` (broken beyond rounding: a finding of the rule's
severity) or ``skip`` (inputs not found: a reason).  ``Ctx`` is one
evaluation of a rule: the document, a match of its pattern, the for-values,
and the references resolved against them.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping, Sequence

from ..model import Document, Figure, Finding, Table
from ..refs import Value, resolve, resolve_text

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule, Template


@dataclass(frozen=True)
class Result:
    status: str  # pass | note | fail | skip
    finding: Finding | None = None
    reason: str | None = None
    # the table cell stated (table id, column) when it is one: the engine's
    # plausibility step counts a relation's outcomes per table and column
    at: tuple[str, str] | None = None
    # how a stated rate is printed against the value computed for it (``printed_as``):
    # rounded | truncated | both | neither; None when the relation does not tell
    printed: str | None = None
    # every figure the relation judged (the stated one and its operands): the coverage
    figures: tuple[Figure, ...] = field(default=(), compare=False)


PASS = Result("pass")


def skip(reason: str) -> Result:
    return Result("skip", reason=reason)


@dataclass
class Ctx:
    """One evaluation of a rule: the document, a match of its pattern, for-values."""

    document: Document
    rule: Rule
    match: re.Match[str] | None = None
    vars: Mapping[str, str] = field(default_factory=dict)
    template: Template | None = None
    # narrative figures (their spans) this instance read: the coverage of the narrative
    touched: set[tuple[int, int]] = field(default_factory=set)
    # table figures (table, row, column) this instance read: the coverage of the tables
    touched_cells: set[tuple[str, str, str]] = field(default_factory=set)

    def touch(self, figure: Figure | None) -> None:
        if figure is None:
            return
        if figure.span is not None:
            self.touched.add(figure.span)
        elif figure.table is not None and figure.row is not None and figure.column is not None:
            self.touched_cells.add((figure.table, figure.row, figure.column))

    @property
    def env(self) -> dict[str, str]:
        env = builtin_env(self.document)
        env.update(self.vars)
        if self.match is not None:
            # an optional group that matched nothing reads as empty text (表5[{kuan}/{xiang}]
            # with no 款 printed names the 项 alone)
            env.update({k: v if v is not None else env.get(k, "")
                        for k, v in self.match.groupdict().items()})
        return env

    @property
    def missing(self) -> str:
        return self.rule.missing

    def resolve(self, ref: object, missing: str | None = None) -> Value | str:
        value = resolve(ref, self.document, match=self.match, env=self.env,
                        missing=missing or self.rule.missing)
        if not isinstance(value, str):
            self.touch(value.figure)
        return value

    def resolve_all(self, refs: Mapping[str, object]) -> dict[str, Value] | str:
        """Every reference resolved, by name; the first reason when one cannot be."""
        out: dict[str, Value] = {}
        for name, ref in refs.items():
            v = self.resolve(ref)
            if isinstance(v, str):
                return v
            out[name] = v
        return out

    def unmatched(self, ref: object) -> bool:
        """``$name`` whose optional group took no part in the match (``(?:(?P<delta>…)万元)?``):
        the sentence does not state it."""
        t = str(ref).strip()
        if not t.startswith("$") or self.match is None:
            return False
        try:
            return self.match.group(t[1:]) is None
        except IndexError:
            return False

    def interp(self, text: str) -> str:
        """``{name}`` replaced by a for-value or capture text (left as is when unknown)."""
        env = self.env
        return re.sub(r"\{(\w+)\}", lambda m: env.get(m[1], m[0]), text)

    def text(self, ref: object) -> str | None:
        return resolve_text(ref, match=self.match, env=self.env)

    @property
    def sentence(self) -> str | None:
        if self.match is None:
            return None
        return self.document.narrative.sentence_at(self.match.start())

    def tables(self, patterns: Sequence[str] | None) -> list[Table] | str:
        """The tables named by ids, globs or ``@role``s; a reason when none is found."""
        patterns = list(patterns or ["*"])
        found: list[Table] = []
        for t in self.document.tables:
            if any(fnmatch.fnmatchcase(t.id, p) or (p.startswith("@") and t.role == p[1:])
                   for p in patterns) and t not in found:
                found.append(t)
        if not found:
            return f"no table matches {', '.join(patterns)}"
        return found




def builtin_env(doc: Document) -> dict[str, str]:
    """Placeholders every rule may use: ``{issuer}`` (编制单位), ``{year}``."""
    env = {}
    if doc.issuer:
        env["issuer"] = doc.issuer
    if doc.year:
        env["year"] = str(doc.year)
    return env
