"""The rule packs as data: ``Rule``, ``Pack``, ``PackSet``, ``Template`` and ``TableSpec``.

Matching a document against a template and renaming its tables is the
engine's (``auditor.templates``); the methods of the same names here call it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from ..checks.patterns import expand_pattern
from ..families import DEFAULT_FAMILY
from ..model import normalise_label

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Document


@dataclass(frozen=True)
class TableSpec:
    title: str
    may_be_empty: bool = False
    aliases: tuple[str, ...] = ()  # other titles the same table is printed under

    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (normalise_label(x) for x in (self.title, *self.aliases)) if n)


@dataclass(frozen=True)
class Template:
    name: str
    tables: Mapping[str, TableSpec]
    signals: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()  # table ids that identify the template

    def title_match(self, title: str) -> tuple[int, str] | None:
        """(length of the longest declared title or alias contained in ``title``, table id)."""
        from ..templates import title_match

        return title_match(self, title)

    def assign(self, document: Document) -> dict[int, str]:
        """Index of each document table → the template table id it is (``templates.assign``)."""
        from ..templates import assign

        return assign(self, document)


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    params: Mapping[str, Any]  # the kind's own fields
    severity: str = "error"
    description: str = ""
    # every assignment of the for-variables: a mapping of lists gives every
    # combination, a list of mappings gives exactly those
    for_: tuple[Mapping[str, str], ...] = ()
    match: str | None = None  # as written
    min_matches: int = 1
    missing: str = "skip"
    pack: str = ""
    source: str = ""  # "rules/x.yaml:12:5"
    family: str = DEFAULT_FAMILY  # what --select / --ignore name (families.py)
    defers: bool = False  # its pack is a layer under the templates' own rules (``defers: true``)

    def pattern(self, env: Mapping[str, str] | None = None) -> re.Pattern[str] | None:
        """The compiled ``match`` ({AMT}, {PCT} and for-values expanded)."""
        if self.match is None:
            return None
        return _compile(expand_pattern(self.match, env or {}))

    def combinations(self) -> list[dict[str, str]]:
        """Every assignment of the ``for:`` variables (one empty one without ``for``)."""
        return [dict(c) for c in self.for_] or [{}]


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compile(pattern: str) -> re.Pattern[str]:
    if pattern not in _PATTERNS:
        _PATTERNS[pattern] = re.compile(pattern)
    return _PATTERNS[pattern]


@dataclass(frozen=True)
class Pack:
    name: str
    path: str
    description: str = ""
    includes: tuple[str, ...] = ()  # pack names
    template: Template | None = None
    rules: tuple[Rule, ...] = ()
    # an issuer pack: added to a template's rules when its signals appear
    applies_to: tuple[str, tuple[str, ...]] | None = None
    base: bool = False  # applied to every document (generic.yaml)


@dataclass(frozen=True)
class PackSet:
    packs: tuple[Pack, ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for p in self.packs for r in p.rules)

    @property
    def templates(self) -> dict[str, Template]:
        return {p.name: p.template for p in self.packs if p.template is not None}

    def pack(self, name: str) -> Pack | None:
        return next((p for p in self.packs if p.name == name), None)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def rules_of(self, name: str) -> list[Rule]:
        """A pack's rules with those of its includes (included packs first)."""
        out: dict[str, Rule] = {}
        seen: set[str] = set()

        def walk(n: str) -> None:
            if n in seen:
                return
            seen.add(n)
            pack = self.pack(n)
            if pack is None:
                return
            for inc in pack.includes:
                walk(inc)
            for r in pack.rules:
                out.setdefault(r.id, r)

        walk(name)
        return list(out.values())

    def rules_for(self, name: str | None = None) -> list[Rule]:
        """Every rule (``None``) or those a template's pack applies (with its includes)."""
        if name is None:
            return list(self.rules)
        if self.pack(name) is None:
            return []
        return self.rules_of(name)

    def template_scores(self, document: Document) -> list[tuple[str, int, int]]:
        """(template, tables found, tables declared): ``templates.template_scores``."""
        from ..templates import template_scores

        return template_scores(self, document)

    def align(self, document: Document, name: str | None) -> Document:
        """The document's tables under template ``name``'s ids: ``templates.align``."""
        from ..templates import align

        return align(self, document, name)

    def select(self, document: Document) -> tuple[str | None, list[Rule]]:
        """The document's template and the rules to apply: ``templates.select``."""
        from ..templates import select

        return select(self, document)
