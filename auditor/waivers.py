"""Waivers: findings accepted on purpose, with a reason, kept in a sidecar file.

``report.pdf.waivers.yaml`` (next to the PDF, or any file given with
``--waivers``)::

    waivers:
      - rule: xj.t5.hierarchy          # the rule id (required)
        table: 表5                      # table cells: any of table / row / column
        row: "2080109"
        column: 合计                    # a full header path or its last segments
        reason: 更正公告已说明            # why it is accepted (required)
      - rule: xj.narr.total
        text: "3,599.74"                # narrative: the stated figure as printed ...
        sentence: 收支总预算             # ... and/or a substring of its sentence
        reason: ...

A waiver is keyed by rule and location, never by page (pages move when a
document is re-laid).  It matches a finding of that rule whose stated figure
(the cell with role ``actual``, else its first) agrees with every location
key it gives.  Waived findings stay in every report, marked as waived, and do
not count towards the exit code.  A waiver that matches nothing is *stale*:
reported, so that the file is kept honest.  The file is validated before
anything runs: an unknown key or a wrong type is ``FILE:LINE:COL: message``
and exit 2.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from .messages import t
from .model import Audit, CellRef, Figure, Finding
from .refs import column_matches
from .text import squeeze

LOCATION_KEYS = ("table", "row", "column", "text", "sentence")
KEYS = ("rule", "reason", *LOCATION_KEYS)
SUFFIX = ".waivers.yaml"


class WaiverError(Exception):
    """A waiver file that cannot be used: ``path:line:col: message``."""

    def __init__(self, path: str, line: int, col: int, message: str):
        self.path, self.line, self.col, self.message = path, line, col, message
        super().__init__(f"{path}:{line}:{col}: {message}")


@dataclass(frozen=True)
class Waiver:
    rule: str
    reason: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    text: str | None = None
    sentence: str | None = None
    source: str = ""  # the file
    line: int = 0  # 1-based, of the waiver's first key
    col: int = 0

    @property
    def where(self) -> str:
        """The location it names, for people: ``表5 · 2080109 · 合计`` or ``“3,599.74”``."""
        parts = [p for p in (self.table, self.row, self.column) if p]
        if self.text:
            parts.append(f"“{self.text}”")
        if self.sentence:
            parts.append(f"…{self.sentence}…")
        return " · ".join(parts)

    @property
    def origin(self) -> str:
        return f"{self.source}:{self.line}"

    def matches(self, finding: Finding) -> bool:
        if finding.rule != self.rule:
            return False
        stated = finding.stated
        if self.table is not None or self.row is not None or self.column is not None:
            if stated is None:
                return False
            if self.table is not None and stated.table != self.table:
                return False
            if self.row is not None and stated.row != self.row:
                return False
            if self.column is not None and (stated.column is None or not column_matches(
                    squeeze(stated.column), squeeze(self.column))):
                return False
        if self.text is not None:
            texts = {_bare(c.figure.text) for c in finding.cells
                     if c.role == "actual" or c.figure.table is None}
            if _bare(self.text) not in texts:
                return False
        if self.sentence is not None:
            if squeeze(self.sentence) not in squeeze(finding.context or ""):
                return False
        return True

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"rule": self.rule}
        for k in LOCATION_KEYS:
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        d["reason"] = self.reason
        d["source"] = self.origin
        return d


def _bare(text: str) -> str:
    return squeeze(text).rstrip("%％")


@dataclass(frozen=True)
class Applied:
    """The waivers of one document: which findings they waive, which waived nothing."""

    waived: Mapping[int, Waiver] = field(default_factory=dict)  # index in Audit.findings → waiver
    stale: tuple[Waiver, ...] = ()

    def waiver(self, index: int) -> Waiver | None:
        return self.waived.get(index)


@dataclass(frozen=True)
class WaiverSet:
    path: str
    waivers: tuple[Waiver, ...]

    def apply(self, audits: Sequence[Audit]) -> dict[str, Applied]:
        """Waive the findings of ``audits``; a waiver matching nothing in any of them is stale."""
        used: set[int] = set()
        out: dict[str, Applied] = {}
        for a in audits:
            waived: dict[int, Waiver] = {}
            for i, f in enumerate(a.findings):
                for k, w in enumerate(self.waivers):
                    if w.matches(f):
                        waived[i] = w
                        used.add(k)
                        break
            out[a.path] = Applied(waived=waived)
        stale = tuple(w for k, w in enumerate(self.waivers) if k not in used)
        if stale:
            for path in out:
                out[path] = Applied(waived=out[path].waived, stale=stale)
        return out


def sidecar(pdf_path: str) -> str:
    """``X.pdf.waivers.yaml`` next to the PDF; for a disclosure in two files
    (``X-narrative.pdf+X-tables.pdf``), the first file's."""
    from .compose import split_parts

    parts = split_parts(str(pdf_path))
    return (parts[0] if parts else str(pdf_path)) + SUFFIX


def read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as e:
        raise WaiverError(path, 0, 0, getattr(e, "strerror", None) or str(e)) from None


def load(path: str, lang: str = "en") -> WaiverSet:
    """Read and validate a waiver file (raises ``WaiverError`` with file:line:col)."""
    return parse(read_text(path), path, lang)


def parse(text: str, path: str, lang: str = "en") -> WaiverSet:
    """Validate the text of a waiver file read from ``path`` (named in the errors and as
    each waiver's source): a batch sends the text of ``--waivers FILE`` to its workers."""
    import yaml

    # libyaml's C parser when present, the same safe loader either way
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        detail = getattr(e, "problem", None) or str(e)
        raise WaiverError(path, mark.line + 1 if mark else 0, mark.column + 1 if mark else 0,
                          t("waivers.error.yaml", lang, detail=detail)) from None
    if root is None:
        return WaiverSet(path, ())

    def err(node: yaml.Node, message_key: str, **kw: object) -> WaiverError:
        m = node.start_mark
        return WaiverError(path, m.line + 1, m.column + 1, t(message_key, lang, **kw))

    if not isinstance(root, yaml.MappingNode):
        raise err(root, "waivers.error.top")
    items = None
    for k, v in root.value:
        name = _scalar(k)
        if name != "waivers":
            raise err(k, "waivers.error.unknown_key", key=name, allowed="waivers")
        items = v
    if items is None:
        raise err(root, "waivers.error.top")
    if isinstance(items, yaml.ScalarNode) and items.tag.endswith(":null"):
        return WaiverSet(path, ())
    if not isinstance(items, yaml.SequenceNode):
        raise err(items, "waivers.error.not_list")
    waivers = []
    for node in items.value:
        if not isinstance(node, yaml.MappingNode):
            raise err(node, "waivers.error.not_mapping")
        values: dict[str, str] = {}
        for k, v in node.value:
            name = _scalar(k)
            if name == "page":
                raise err(k, "waivers.error.page")
            if name not in KEYS:
                raise err(k, "waivers.error.unknown_key", key=name, allowed=", ".join(KEYS))
            if not isinstance(v, yaml.ScalarNode) or v.tag.endswith(":null") or not str(v.value).strip():
                raise err(v, "waivers.error.not_string", key=name)
            values[name] = str(v.value).strip()
        for required in ("rule", "reason"):
            if required not in values:
                raise err(node, "waivers.error.missing", key=required)
        if not any(k in values for k in LOCATION_KEYS):
            raise err(node, "waivers.error.no_location")
        m = node.start_mark
        waivers.append(Waiver(source=path, line=m.line + 1, col=m.column + 1, **values))
    return WaiverSet(path, tuple(waivers))


def _scalar(node: object) -> str:
    return str(getattr(node, "value", node))


def for_documents(paths: Iterable[str], explicit: str | None = None,
                  lang: str = "en") -> list[tuple[WaiverSet, list[str]]]:
    """The waiver sets to apply: ``explicit`` for every document, else each PDF's sidecar."""
    paths = list(paths)
    if explicit:
        return [(load(explicit, lang), paths)]
    out = []
    for p in paths:
        side = sidecar(p)
        if os.path.isfile(side):
            out.append((load(side, lang), [p]))
    return out


def apply_all(audits: Sequence[Audit], sets: Iterable[tuple[WaiverSet, list[str]]]) -> dict[str, Applied]:
    """Apply each set to the audits of its documents; keyed by ``Audit.path``."""
    out: dict[str, Applied] = {}
    by_path = {a.path: a for a in audits}
    for ws, paths in sets:
        # A document that could not be audited has no findings: its waivers are not stale.
        mine = [by_path[p] for p in paths if p in by_path and not by_path[p].error]
        if mine:
            out.update(ws.apply(mine))
    return out


def finding_of(d: Mapping[str, object]) -> Finding:
    """Enough of a finding, from its ``documents[].findings[]`` entry, to match waivers
    against: rule, the cells' role, location and printed text, the sentence."""
    from decimal import Decimal

    cells = tuple(
        CellRef(c["role"], Figure(text=c.get("text") or "", value=Decimal(str(c.get("value") or 0)),
                                  decimals=0, page=int(c.get("page") or 0), table=c.get("table"),
                                  row=c.get("row"), column=c.get("column")))
        for c in d.get("cells") or ())  # type: ignore[union-attr, attr-defined]
    return Finding(rule=str(d["rule"]), kind=str(d.get("kind") or ""), severity=str(d["severity"]),
                   message=str(d.get("message") or ""), cells=cells,
                   context=d.get("context"))  # type: ignore[arg-type]


def apply_to_document(ws: WaiverSet, document: Mapping[str, object]) -> Applied:
    """``ws`` applied to one ``documents[]`` entry of the JSON report, as to its Audit
    (a batch applies waivers after the result cache, to what it holds)."""
    findings = tuple(finding_of(f) for f in document.get("findings") or ())  # type: ignore[union-attr, attr-defined]
    a = Audit(path=str(document["path"]), document=None, template=None, findings=findings, outcomes=())
    return ws.apply([a])[a.path]


def is_waived(applied: Mapping[str, Applied] | None, audit: Audit, index: int) -> bool:
    if not applied:
        return False
    a = applied.get(audit.path)
    return a is not None and index in a.waived
