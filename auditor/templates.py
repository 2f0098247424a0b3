"""Which template a document is, and its tables under the template's ids (engine side).

The rule packs declare templates (``packs.Template``: table ids with titles
and aliases, signals, the tables it ``requires``); this module matches a
``Document`` against them:

- ``title_match`` / ``assign``: which template table each document table is,
  by the longest declared title or alias its printed title contains;
- ``template_scores`` / ``select``: the document's template (at least half its
  tables found, its signals present, the tables it requires found) and the
  rules to apply (with issuer packs whose signals appear), or the generic
  packs when none matches;
- ``align``: the document with its tables renamed to the template's ids.

``PackSet.select`` / ``PackSet.align`` and ``Template.assign`` call these.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from .model import Document, normalise_label

if TYPE_CHECKING:  # pragma: no cover
    from .packs import PackSet, Rule, Template


def title_match(template: Template, title: str) -> tuple[int, str] | None:
    """(length of the longest declared title or alias contained in ``title``, table id)."""
    t = normalise_label(title)
    best: tuple[int, str] | None = None
    for tid, spec in template.tables.items():
        for n in spec.names():
            if n in t and (best is None or len(n) > best[0]):
                best = (len(n), tid)
    return best


def assign(template: Template, document: Document) -> dict[int, str]:
    """Index of each document table → the template table id it is (by title, then by id).

    A table printed with a template id whose title is one of that id's
    names keeps it; any other table takes the id whose title or alias is
    the longest one contained in its title; a table matching no title
    keeps a template id it is printed with.  Each template id is given once.
    """
    out: dict[int, str] = {}
    taken: set[str] = set()
    tables = document.tables
    for i, t in enumerate(tables):
        spec = template.tables.get(t.id)
        if spec is None or t.id in taken:
            continue
        title = normalise_label(t.title)
        own = max((len(n) for n in spec.names() if n in title), default=0)
        m = title_match(template, t.title)
        if own and m is not None and m[0] <= own:
            out[i] = t.id
            taken.add(t.id)
    for i, t in enumerate(tables):
        if i in out:
            continue
        m = title_match(template, t.title)
        if m is not None and m[1] not in taken:
            out[i] = m[1]
            taken.add(m[1])
    for i, t in enumerate(tables):
        if i not in out and t.id in template.tables and t.id not in taken:
            out[i] = t.id
            taken.add(t.id)
    return out


def template_scores(packs: PackSet, document: Document) -> list[tuple[str, int, int]]:
    """(template, tables found, tables declared) for every template whose signals
    appear and whose identifying tables (``requires``) are found."""
    text = normalise_label(" ".join([document.title or "", document.narrative.text,
                                     *(t.title for t in document.tables)]))
    out = []
    for name, tpl in packs.templates.items():
        if not all(normalise_label(s) in text for s in tpl.signals):
            continue
        found: set[str] = set()
        for i, tid in assign(tpl, document).items():
            t = document.tables[i]
            # a table counts when its title names it (a bare printed id is not evidence)
            if any(n in normalise_label(t.title) for n in tpl.tables[tid].names()) or (
                    t.title and normalise_label(t.title) in normalise_label(tpl.tables[tid].title)):
                found.add(tid)
        if not set(tpl.requires) <= found:
            continue
        out.append((name, len(found), len(tpl.tables)))
    return out


def align(packs: PackSet, document: Document, name: str | None) -> Document:
    """The document with its tables renamed to the ids of template ``name``
    (matched by title or alias, see ``Template.assign``); unchanged without one."""
    tpl = packs.templates.get(name) if name else None
    if tpl is None:
        return document
    assigned = assign(tpl, document)
    renames = {document.tables[i].id: tid for i, tid in assigned.items()
               if document.tables[i].id != tid}
    if not renames:
        return document
    # an unmatched table whose id a template table now takes keeps its place under a new id
    taken = set(assigned.values())
    for i, t in enumerate(document.tables):
        if i not in assigned and t.id in taken:
            renames[t.id] = f"{t.id}（{normalise_label(t.title) or '?'}）"
    tables = tuple(t.renamed(renames[t.id]) if t.id in renames else t for t in document.tables)
    issues = tuple(dataclasses.replace(x, table=renames.get(x.table, x.table)) if x.table else x
                   for x in document.issues)
    return dataclasses.replace(document, tables=tables, issues=issues)


def select(packs: PackSet, document: Document) -> tuple[str | None, list[Rule]]:
    """The document's template (at least half its tables found, best share wins)
    and the rules to apply; no template → the generic packs (those without one)."""
    best: tuple[Any, ...] | None = None
    for name, found, total in template_scores(packs, document):
        if total and found * 2 >= total:
            key = (found / total, found, name)
            if best is None or key[:2] > best[:2]:
                best = key
    if best is not None:
        rules = {r.id: r for r in packs.rules_of(best[2])}
        text = _document_text(document)
        for p in packs.packs:
            if p.applies_to and p.applies_to[0] == best[2] and all(
                    normalise_label(s) in text for s in p.applies_to[1]):
                for r in packs.rules_of(p.name):
                    rules.setdefault(r.id, r)
        # base packs apply to every document (RULES.md), whether a template includes
        # them (generic.yaml) or not (the checklist packs)
        for p in packs.packs:
            if p.base:
                for r in packs.rules_of(p.name):
                    rules.setdefault(r.id, r)
        return best[2], list(rules.values())
    # no template: the base packs, and packs of one's own that no other pack
    # includes (a template's narrative pack never speaks for another document)
    included = {i for p in packs.packs for i in p.includes}
    out: dict[str, Rule] = {}
    for p in packs.packs:
        if p.base or (p.template is None and p.applies_to is None and p.name not in included):
            for r in packs.rules_of(p.name):
                out.setdefault(r.id, r)
    return None, list(out.values())


def _document_text(document: Document) -> str:
    return normalise_label(" ".join([document.title or "", document.issuer or "",
                                     document.narrative.text,
                                     *(t.title for t in document.tables)]))
