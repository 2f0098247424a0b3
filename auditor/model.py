"""The data every stage passes on: ``Document`` in, ``Finding`` out.

Extraction builds a ``Document``; checks read it and yield ``Finding``s;
reporters render findings.  Nothing here imports a PDF library, so a
``Document`` can also be built from YAML or JSON (``Document.from_dict``)
and rule tests need no PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterator, Mapping

# part of the model, in a module of their own so that narrative.py, which makes them, needs no more
from .figures import BBox, Figure, Narrative
from .numbers import parse_number
from .text import squeeze

# what the checks find, in a module of its own (the other half of the model), re-exported here
from .findings import (SEVERITIES, SEVERITY_RANK, Audit, CellRef, Convention, Finding,
                       RuleOutcome)


# Labels of rows that total a table or a block of it.
TOTAL_LABELS = ("总计", "合计", "收入总计", "支出总计", "收支总计")


def normalise_label(text: str) -> str:
    """A printed label as a key: all white space (line wraps included) removed."""
    return squeeze(text)


@dataclass(frozen=True)
class Row:
    """A logical row: one block of a printed row (表1 prints 收入 and 支出 side by side)."""

    key: str  # subject code ("2080109", "30231") or normalised label ("总计")
    label: str  # name as printed, wraps joined ("社会保障和就业支出")
    code: str | None  # full subject code, or None for label rows
    page: int
    cells: Mapping[str, Figure]  # column path → figure (numeric columns only)
    texts: Mapping[str, str] = field(default_factory=dict)  # other text columns (项目名称)
    block: str | None = None  # block name for side-by-side tables ("收入", "支出")
    # numeric columns whose printed content could not be read as one figure (merged
    # cells, a figure not on the page): relations needing them are skipped, never 0
    unread: tuple[str, ...] = ()

    @property
    def level(self) -> int | None:
        """Depth in the subject hierarchy: 类 1, 款 2, 项 3 (None for label rows)."""
        if not self.code:
            return None
        n = len(self.code)
        return {3: 1, 5: 2, 7: 3}.get(n)


@dataclass(frozen=True)
class Table:
    id: str  # "表5", "公开01表", or a slug for untitled tables
    title: str  # as printed ("一般公共预算支出情况表")
    pages: tuple[int, ...]
    columns: tuple[str, ...]  # numeric column paths, in printed order
    rows: tuple[Row, ...]
    unit: str | None = None  # "万元" / "元"
    empty: bool = False  # printed empty (no figures at all)
    note: str | None = None  # the explanatory sentence printed under an empty table
    header: tuple[tuple[str, ...], ...] = ()  # header rows as printed, for display
    issuer: str | None = None  # 编制单位 printed with this table, when read
    # its national role (auditor/roles.py: "general-budget-expense" …), None when
    # unrecognised; given by the audit, whatever the table's number or wording
    role: str | None = None

    def renamed(self, new_id: str) -> Table:
        """The table under another id, every figure of it too."""
        rows = tuple(replace(r, cells={c: replace(f, table=new_id) for c, f in r.cells.items()})
                     for r in self.rows)
        return replace(self, id=new_id, rows=rows)

    def figures(self) -> Iterator[Figure]:
        for row in self.rows:
            yield from row.cells.values()

    def row(self, key: str) -> Row | None:
        for r in self.rows:
            if r.key == key:
                return r
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "pages": list(self.pages),
            "unit": self.unit,
            "empty": self.empty,
            "note": self.note,
            "role": self.role,
            **({"issuer": self.issuer} if self.issuer is not None else {}),
            "columns": list(self.columns),
            "header": [list(h) for h in self.header],
            "rows": [
                {
                    "key": r.key,
                    "label": r.label,
                    "code": r.code,
                    "page": r.page,
                    "block": r.block,
                    **({"unread": list(r.unread)} if r.unread else {}),
                    "texts": dict(r.texts),
                    "cells": {c: f.to_dict() for c, f in r.cells.items()},
                }
                for r in self.rows
            ],
        }


@dataclass(frozen=True)
class Issue:
    """A problem met while reading the document (not a rule finding)."""

    code: str  # "cell-merged", "page-unreadable", ...
    message: str
    page: int | None = None
    table: str | None = None
    severity: str = "warning"

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "page": self.page,
                "table": self.table, "severity": self.severity}


@dataclass(frozen=True)
class Document:
    path: str
    pages: int
    tables: tuple[Table, ...]
    narrative: Narrative = field(default_factory=Narrative)
    unit: str | None = None  # dominant amount unit of the tables
    title: str | None = None  # "2026年新疆维吾尔自治区社会保险中心单位预算公开"
    issuer: str | None = None  # 编制单位 / unit name
    year: int | None = None
    issues: tuple[Issue, ...] = ()
    page_kinds: Mapping[int, str] = field(default_factory=dict)  # page → "table"/"text"/"blank"
    # the files a disclosure printed in several parts was read from (narrative, tables);
    # empty for a single file (auditor/compose.py)
    parts: tuple[str, ...] = ()
    # last year's disclosure of the same issuer (``audit X --previous Y``): what
    # ``prev:`` references resolve against; not part of the dump
    previous: Document | None = field(default=None, compare=False, repr=False)

    def table(self, table_id: str) -> Table | None:
        for t in self.tables:
            if t.id == table_id:
                return t
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "pages": self.pages,
            "unit": self.unit,
            "title": self.title,
            "issuer": self.issuer,
            "year": self.year,
            "page_kinds": {str(k): v for k, v in sorted(self.page_kinds.items())},
            **({"parts": list(self.parts)} if self.parts else {}),
            "issues": [i.to_dict() for i in self.issues],
            "tables": [t.to_dict() for t in self.tables],
            "narrative": {
                "text": self.narrative.text,
                "page_starts": [list(p) for p in self.narrative.page_starts],
                "figures": [f.to_dict() for f in self.narrative.figures],
                "breaks": list(self.narrative.breaks),
            },
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Document:
        """Build from the JSON dump (``audit extract``) or the compact test form.

        Compact form, for rule tests written as data::

            tables:
              - id: 表5
                columns: [合计, 基本支出, 项目支出]
                rows:
                  - ["208", 社会保障和就业支出, "3,245.06", "1,924.66", "1,320.40"]
                  - [总计, "", "3,599.74", "2,279.34", "1,320.40"]
            narrative: "收支总预算3,599.74万元。"

        A row is ``[key-or-code, label, *cells]``; a key made of digits is a
        subject code.  The narrative is scanned for figures as extraction does.
        """
        tables = tuple(_table_from_dict(t) for t in d.get("tables", ()))
        narr = d.get("narrative") or ""
        if isinstance(narr, str):
            from .narrative import build_narrative

            narrative = build_narrative([(1, narr)])
        else:
            narrative = Narrative(
                text=narr.get("text", ""),
                page_starts=tuple(tuple(p) for p in narr.get("page_starts", ())),  # type: ignore[misc]
                figures=tuple(Figure.from_dict(f) for f in narr.get("figures", ())),
                breaks=tuple(narr.get("breaks", ())),
            )
        return cls(
            path=d.get("path", "<data>"),
            pages=int(d.get("pages", 1)),
            tables=tables,
            narrative=narrative,
            unit=d.get("unit", "万元"),
            title=d.get("title"),
            issuer=d.get("issuer"),
            year=d.get("year"),
            issues=tuple(Issue(**i) for i in d.get("issues", ())),
            page_kinds={int(k): v for k, v in (d.get("page_kinds") or {}).items()},
            parts=tuple(d.get("parts") or ()),
            previous=cls.from_dict(d["previous"]) if d.get("previous") else None,
        )


def _table_from_dict(t: Mapping[str, Any]) -> Table:
    tid = t["id"]
    page = int((t.get("pages") or [1])[0])
    columns = tuple(t.get("columns", ()))
    unit = t.get("unit", "万元")
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for r in t.get("rows", ()):
        if isinstance(r, Mapping):
            cells = {c: Figure.from_dict(f) for c, f in r.get("cells", {}).items()}
            rows.append(Row(key=r["key"], label=r.get("label", ""), code=r.get("code"),
                            page=int(r.get("page", page)), cells=cells,
                            texts=dict(r.get("texts", {})), block=r.get("block"),
                            unread=tuple(r.get("unread", ()))))
            continue
        head, label, *values = [("" if v is None else str(v)) for v in r]
        code = head if head.isdigit() else None
        key = code or normalise_label(head or label)
        n = seen.get(key, 0) + 1
        seen[key] = n
        if n > 1:
            key = f"{key}#{n}"
        cells = {}
        for col, text in zip(columns, values):
            p = parse_number(text)
            if p is None:
                raise ValueError(f"{tid} row {key!r} column {col!r}: not a number: {text!r}")
            cells[col] = Figure(text=text, value=p.value, decimals=p.decimals, page=page,
                                table=tid, row=key, column=col, unit=unit, blank=p.blank)
        rows.append(Row(key=key, label=label or head, code=code, page=page, cells=cells))
    return Table(
        id=tid,
        title=t.get("title", tid),
        pages=tuple(t.get("pages", (page,))),
        columns=columns,
        rows=tuple(rows),
        unit=unit,
        empty=bool(t.get("empty", False)),
        note=t.get("note"),
        header=tuple(tuple(h) for h in t.get("header", ())),
        issuer=t.get("issuer"),
        role=t.get("role"),
    )


__all__ = ["BBox", "Figure", "Narrative", "TOTAL_LABELS", "normalise_label", "Row", "Table", "Issue",
           "Document", "SEVERITIES", "SEVERITY_RANK", "Audit", "CellRef", "Convention", "Finding",
           "RuleOutcome"]
