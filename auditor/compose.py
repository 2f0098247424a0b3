"""Documents made of several files, last year's document, strict runs.

- **Two files, one disclosure.** Some issuers publish the narrative
  (预算情况说明) and the tables (预算公开表) as two PDFs.  ``merge`` makes one
  ``Document`` of them: the tables of both, the narrative of both (the
  narrative file first), the title, issuer and year of the narrative file
  (else of the tables file).  Pages are **not** renumbered: every figure keeps
  the page of its own file and gets ``Figure.source`` (the file's path), so a
  finding names the file and page of each cell; ``Document.parts`` lists the
  files.  On the command line: ``audit narrative.pdf --tables tables.pdf``
  or ``audit narrative.pdf+tables.pdf``; in a folder, ``X-narrative.pdf``
  and ``X-tables.pdf`` are paired (``pair_parts``) when nothing else claims
  either.
- **Last year.** ``with_previous(doc, prev)`` attaches last year's document:
  ``prev:REF`` references and the ``previous:`` field of ``change`` rules
  resolve against it (its figures carry their file as ``source``).
- **Strict.** ``strict(audit)`` turns every skipped rule into an error
  finding of kind ``skipped`` (``audit --strict``): a rule that could not be
  evaluated fails the run instead of passing silently.

No PDF library and no reading here: ``auditor.pipeline`` reads the files and
calls these.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Iterable, Sequence

from .messages import Msg
from .model import Audit, Document, Figure, Finding, Narrative, Table

# ``A.pdf+B.pdf``: one disclosure in two files (narrative first).
PART_SEPARATOR = "+"
_PART_NAME = re.compile(r"^(?P<stem>.+)-(?P<part>narrative|tables)$", re.IGNORECASE)


# ------------------------------------------------------------------ sources


def _fig(f: Figure, source: str) -> Figure:
    return dataclasses.replace(f, source=source)


def with_source(doc: Document, source: str | None = None) -> Document:
    """Every figure of ``doc`` tagged with the file it is printed in."""
    src = source or doc.path
    tables = tuple(
        dataclasses.replace(t, rows=tuple(
            dataclasses.replace(r, cells={c: _fig(f, src) for c, f in r.cells.items()})
            for r in t.rows))
        for t in doc.tables)
    narrative = dataclasses.replace(
        doc.narrative, figures=tuple(_fig(f, src) for f in doc.narrative.figures))
    return dataclasses.replace(doc, tables=tables, narrative=narrative)


# ------------------------------------------------------------------ two files


def split_parts(path: str) -> list[str] | None:
    """``a.pdf+b.pdf`` → ``[a.pdf, b.pdf]`` (None for one path).  A path that
    exists as written is never split, even with a ``+`` in its name."""
    if PART_SEPARATOR not in path or Path(path).exists():
        return None
    parts = [p for p in path.split(PART_SEPARATOR) if p]
    if len(parts) < 2:
        return None
    # rejoin pieces that do not end a file name (a '+' inside a folder name)
    out: list[str] = []
    for p in parts:
        if out and not out[-1].lower().endswith(".pdf"):
            out[-1] += PART_SEPARATOR + p
        else:
            out.append(p)
    return out if len(out) >= 2 else None


def merge(docs: Sequence[Document]) -> Document:
    """One disclosure printed in several files: the narrative file first."""
    if len(docs) == 1:
        return docs[0]
    tagged = [with_source(d) for d in docs]
    tables: list[Table] = []
    ids: set[str] = set()
    for d in tagged:
        for t in d.tables:
            tid, n = t.id, 1
            while tid in ids:  # the same id in two files: keep both, the second as id#2
                n += 1
                tid = f"{t.id}#{n}"
            ids.add(tid)
            tables.append(t if tid == t.id else t.renamed(tid))
    narrative = _join_narratives([d.narrative for d in tagged])
    first = lambda attr: next((getattr(d, attr) for d in docs if getattr(d, attr)), None)  # noqa: E731
    units = [d.unit for d in docs if d.tables and d.unit]
    page_kinds: dict[int, str] = {}
    for d in docs:  # page numbers are per file; the first file's kinds win
        for k, v in d.page_kinds.items():
            page_kinds.setdefault(k, v)
    return Document(
        path=PART_SEPARATOR.join(d.path for d in docs),
        pages=sum(d.pages for d in docs),
        tables=tuple(tables),
        narrative=narrative,
        unit=units[0] if units else first("unit"),
        title=first("title"),
        issuer=first("issuer"),
        year=first("year"),
        issues=tuple(dataclasses.replace(i, message=f"{Path(d.path).name}: {i.message}")
                     for d in docs for i in d.issues),
        page_kinds=page_kinds,
        parts=tuple(d.path for d in docs),
    )


def _join_narratives(parts: Iterable[Narrative]) -> Narrative:
    """Texts one after the other; figures and page starts shifted (pages kept)."""
    text, offset = "", 0
    starts: list[tuple[int, int]] = []
    figures: list[Figure] = []
    for n in parts:
        if not n.text:
            continue
        text += n.text
        starts.extend((o + offset, p) for o, p in n.page_starts)
        figures.extend(dataclasses.replace(f, span=(f.span[0] + offset, f.span[1] + offset))
                       if f.span else f for f in n.figures)
        offset += len(n.text)
    return Narrative(text=text, page_starts=tuple(starts), figures=tuple(figures))


def pair_parts(files: Sequence[str]) -> list[list[str]]:
    """Group the two files of one disclosure published apart, in the same folder.

    By the naming convention, ``X-narrative.pdf`` with ``X-tables.pdf``; by the
    names offices publish, a narrative and a tables file of one issuer and year
    (``江苏省政协办公厅2019年度部门预算.pdf`` with ``江苏省政协办公厅2019年预算公开表.pdf``,
    see ``_published_key``).  A pair is made only when it is unambiguous: exactly
    one narrative and one tables file share the key, and no other file has it.
    Everything else stays a document of its own.  Order is kept (a pair sits
    where its first file was).
    """
    groups: dict[tuple[str, ...], dict[str, list[str]]] = {}
    keys: dict[str, tuple[str, ...]] = {}
    for f in files:
        p = Path(f)
        m = _PART_NAME.match(p.stem) if p.suffix.lower() == ".pdf" else None
        key: tuple[str, ...]
        if m:
            key, part = (str(p.parent), "stem", m["stem"]), m["part"].lower()
        else:
            key, part = _published_key(p) or ((str(p.parent), "file", p.stem), "")
        keys[f] = key
        groups.setdefault(key, {}).setdefault(part, []).append(f)
    out: list[list[str]] = []
    done: set[str] = set()
    for f in files:
        if f in done:
            continue
        group = groups[keys[f]]
        if (set(group) == {"narrative", "tables"}
                and len(group["narrative"]) == 1 and len(group["tables"]) == 1):
            pair = [group["narrative"][0], group["tables"][0]]
            out.append(pair)
            done.update(pair)
        else:
            out.append([f])
            done.add(f)
    return out


# A published file name: issuer, year, what it is (…2019年度部门预算公开表格, 2017年度部门预算公开表).
_PUBLISHED = re.compile(r"^(?P<issuer>.*?)(?P<year>20\d\d)(?:年度?|度)?(?P<rest>.*)$")
_TABLES_NAME = re.compile(r"表格?$")


def _published_key(p: Path) -> tuple[tuple[str, ...], str] | None:
    """(folder, year, issuer) and narrative/tables for a name as offices publish it:
    the tables file's name ends in 表 or 表格, the narrative's does not.  A name
    without the issuer (``2017年度部门预算公开表``) takes the folder's name as it."""
    if p.suffix.lower() != ".pdf":
        return None
    m = _PUBLISHED.match(re.sub(r"[\s_\-—（(]*\d?[)）]?$", "", p.stem))
    if m is None or "预算" not in m["rest"] and "决算" not in m["rest"]:
        return None
    issuer = m["issuer"].strip(" _-—") or p.parent.name
    part = "tables" if _TABLES_NAME.search(m["rest"]) else "narrative"
    return (str(p.parent), "published", m["year"], issuer), part


# ------------------------------------------------------------------ last year


def with_previous(doc: Document, previous: Document | None) -> Document:
    """``doc`` with last year's document attached (its figures tagged with their file)."""
    if previous is None:
        return doc
    prev = previous if previous.parts else with_source(previous)
    return dataclasses.replace(doc, previous=prev)


# ------------------------------------------------------------------ strict


def strict(audit: Audit) -> Audit:
    """Every skipped rule becomes an error finding (kind ``skipped``)."""
    if audit.error or not audit.outcomes:
        return audit
    extra = []
    for o in audit.outcomes:
        if o.skipped:
            args = {"rule": o.rule, "n": o.skipped, "reasons": "; ".join(o.skip_reasons) or "skipped"}
            extra.append(Finding(
                rule=o.rule, kind="skipped", severity="error",
                message=Msg("finding.strict_skipped", args).render("en"),
                message_key="finding.strict_skipped", message_args=args))
    if not extra:
        return audit
    findings = sorted((*audit.findings, *extra), key=Finding.sort_key)
    return dataclasses.replace(audit, findings=tuple(findings))


__all__ = ["merge", "with_source", "split_parts", "pair_parts", "with_previous", "strict"]
