"""References: how a rule names a figure (RULES.md, "References").

======================================================  ==========================================
``表5[208][合计]``                                      row by subject code, column by path suffix
``表5[2080109][一般公共预算支出/基本支出]``             full column path
``表1[收入总计]``                                       the row's only numeric column
``表1[1.一般公共预算拨款]``                             a label row (white space removed)
``表5[社会保障和就业支出/人力资源和社会保障管理事务/行政运行][合计]``  a row by the names of its subject path
``$amount``                                             a named capture of the rule's ``match``
``100``                                                 a constant (exact)
``-REF``                                                the negated figure (``sum`` parts)
``prev:REF``                                            REF in last year's document (``--previous``)
``@role[ROW][COLUMN]``                                   the table of that national role (roles.py)
``T[收入总计|收入合计][合计|小计]``                      alternatives: the first one the table prints
``{name}`` inside any of the above                      a ``for:`` value or the text of a capture
======================================================  ==========================================

Parsing (``parse_ref``) raises ``RefError`` with a message for people; the
pack loader reports it at the reference's line and column.  Resolution
(``resolve``) never raises: a reference that cannot be resolved returns a
reason string, which becomes the skip reason of the instance.

Over 400 lines on purpose: parsing, the row and column selectors (codes, labels,
name paths, year-less headers) and resolution are one grammar; split, each part
would need the others' private rules to be read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Mapping

from .interval import Interval
from .model import Document, Figure, Row, Table, normalise_label
from .narrative import figure_from_span
from .numbers import parse_number

# ``{name}``: a for-variable or the text of a named capture.
PLACEHOLDER = re.compile(r"\{(\w+)\}")
_CAPTURE = re.compile(r"^\$(\w+)$")
_CELL = re.compile(r"^(?P<table>[^\[\]$\-][^\[\]]*?)\[(?P<row>[^\[\]]+)\](?:\[(?P<col>[^\[\]]+)\])?$")
_CONSTANT = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
# Markers a narrative prints after subject names: 社会保障和就业支出（类）.
_LEVEL_MARK = re.compile(r"[（(](?:类|款|项)[）)]$")
TOTAL_NAMES = ("合计", "小计", "总计")
# Placeholders every rule may use (filled from the Document): {issuer}, {year}.
BUILTIN_VARS = ("issuer", "year")
# ``prev:表5[208][合计]``: the figure in last year's document (``audit X --previous Y``).
PREVIOUS_PREFIX = "prev:"


class RefError(ValueError):
    """A reference that cannot be parsed."""


@dataclass(frozen=True)
class Ref:
    text: str  # as written, after interpolation
    kind: str  # "cell" | "capture" | "const"
    negate: bool = False
    table: str | None = None
    row: str | None = None
    column: str | None = None
    capture: str | None = None
    const: Decimal | None = None
    decimals: int = 0
    previous: bool = False  # ``prev:REF``: resolved against last year's document


@dataclass(frozen=True)
class Value:
    """A resolved reference: its interval, precision and the figure it reads."""

    interval: Interval
    decimals: int
    figure: Figure | None  # None for constants and absent rows
    label: str  # short, for messages: "208", "表6 总计", "3,599.74"
    where: str  # long, for the stated side: "表5 总计 一般公共预算支出/合计"
    unit: str | None = None
    constant: bool = False  # written in the rule (exact), not read from the document
    absent: bool = False  # a row or cell that is not printed, read as 0 (``missing: zero``)

    @property
    def point(self) -> Decimal:
        return self.interval.point

    def negated(self) -> Value:
        return Value(-self.interval, self.decimals, self.figure, f"-{self.label}",
                     self.where, self.unit, self.constant, self.absent)


def absent_value(label: str, where: str, unit: str | None) -> Value:
    """The 0 that stands for a row or cell the table does not print."""
    return Value(Interval.exact(0), 2, None, f"{label}(absent)", where, unit, absent=True)


def figure_interval(f: Figure) -> Interval:
    """A printed figure's rounding interval; a blank cell is an exact zero."""
    if f.blank:
        return Interval.exact(0)
    return Interval.rounded(f.value, f.decimals)


def figure_value(f: Figure, label: str | None = None) -> Value:
    if f.table is not None:
        where = " ".join(x for x in (f.table, f.row, f.column) if x)
        short = label or f.row or f.table
    else:
        where = f"text p.{f.page}"
        short = label or f.text
    if f.source is not None:  # a document of several files: say which one
        where = f"{f.source.rsplit('/', 1)[-1]}: {where}"
    return Value(figure_interval(f), f.decimals, f, short, where, f.unit)


# ------------------------------------------------------------------ parsing


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def parse_ref(text: str | int | Decimal) -> Ref:
    """Parse one reference (already interpolated); ``RefError`` when malformed."""
    if isinstance(text, bool):
        raise RefError(f"not a reference: {text!r}")
    if isinstance(text, (int, Decimal)):
        text = str(text)
    if not isinstance(text, str):
        raise RefError(f"not a reference: {text!r}")
    raw = text
    t = re.sub(r"\s+", "", text)
    if not t:
        raise RefError("empty reference")
    if t.startswith(PREVIOUS_PREFIX):
        inner = parse_ref(t[len(PREVIOUS_PREFIX):])
        if inner.previous:
            raise RefError(f"bad reference {raw!r}: prev: written twice")
        return Ref(**{**inner.__dict__, "text": raw, "previous": True})
    if _CONSTANT.match(t):
        d = Decimal(t)
        decimals = len(t.split(".")[1]) if "." in t else 0
        return Ref(raw, "const", const=d, decimals=decimals)
    negate = False
    if t.startswith("-"):
        negate, t = True, t[1:]
    m = _CAPTURE.match(t)
    if m:
        return Ref(raw, "capture", negate=negate, capture=m[1])
    if t.startswith("$"):
        raise RefError(f"bad capture reference {raw!r}: write $name with letters, digits or _")
    m = _CELL.match(t)
    if m:
        return Ref(raw, "cell", negate=negate, table=m["table"], row=m["row"], column=m["col"])
    if "[" in t or "]" in t:
        if t.count("[") != t.count("]"):
            raise RefError(f"bad reference {raw!r}: unbalanced brackets")
        raise RefError(f"bad reference {raw!r}: write TABLE[ROW] or TABLE[ROW][COLUMN]")
    raise RefError(f"bad reference {raw!r}: expected TABLE[ROW][COLUMN], $capture or a number")


def check_syntax(text: object, names: set[str] | None = None) -> str | None:
    """Why a reference as written in a pack is malformed, or None.

    ``{name}`` placeholders are checked against ``names`` (for-variables and
    capture groups) when given, then stand in for any text.
    """
    if isinstance(text, bool) or not isinstance(text, (str, int, Decimal)):
        return f"a reference must be a string or a number, not {type(text).__name__}"
    if isinstance(text, str):
        for name in placeholders(text):
            if names is not None and name not in names:
                known = ", ".join(sorted(names)) or "none"
                return f"unknown placeholder {{{name}}} (for-variables and captures: {known})"
        if PLACEHOLDER.fullmatch(text.strip()):
            return None
        text = PLACEHOLDER.sub("x", text)
    try:
        ref = parse_ref(text)
    except RefError as e:
        return str(e)
    if ref.kind == "capture" and names is not None and ref.capture not in names:
        known = ", ".join(sorted(names - set(BUILTIN_VARS))) or "none"
        return f"unknown capture ${ref.capture} (match groups: {known})"
    return None


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """Replace ``{name}``; ``KeyError(name)`` when a name has no value."""

    def sub(m: re.Match[str]) -> str:
        return env[m[1]]

    return PLACEHOLDER.sub(sub, text)


# ------------------------------------------------------------------ resolving


def find_row(table: Table, selector: str) -> Row | str | None:
    """The row a selector names; None when absent; a reason when ambiguous.

    In order: the row key; a unique printed label; ``COLUMN=TEXT`` (a text
    column such as 表7 项目名称); a subject name path ``类/款/项``.
    """
    sel = normalise_label(selector)
    if "|" in sel:  # alternatives, the first one the table prints: 收入总计|收入合计
        for alt in sel.split("|"):
            found = find_row(table, alt) if alt else None
            if found is not None:
                return found
        return None
    row = table.row(sel)
    if row is not None:
        return row
    if "=" in sel:
        column, _, want = sel.partition("=")
        hits = [r for r in table.rows
                if any(normalise_label(v) == want for c, v in r.texts.items()
                       if c == column or c.endswith("/" + column))]
        if len(hits) > 1:
            return f"{table.id}[{selector}] is ambiguous: rows {', '.join(r.key for r in hits)}"
        return hits[0] if hits else None
    if re.fullmatch(r"\d+(#\d+)?", sel):
        return None
    by_label = [r for r in table.rows if normalise_label(r.label) == sel]
    if len(by_label) == 1:
        return by_label[0]
    if len(by_label) > 1:
        keys = ", ".join(r.key for r in by_label)
        return f"{table.id}[{selector}] is ambiguous: rows {keys} carry that label"
    if "/" in sel:
        return _find_by_name_path(table, sel)
    return None


def _clean_name(name: str) -> str:
    return _LEVEL_MARK.sub("", normalise_label(name))


# Characters a narrative adds to or drops from a subject's official name without
# naming another subject: 其他人大事务(支出), 基本养老保险(缴)费(支出),
# 未归口管理(的)行政单位离退休(费).
_NAME_FILLER = frozenset("的和及与、支出缴费")


def same_subject_name(printed: str, official: str) -> bool:
    """Whether a name printed in prose names the subject of ``official``: the
    same characters, in any order (一般行政事务管理 / 一般行政管理事务), up to
    the filler characters above, sharing at least four others."""
    if printed == official:
        return True
    a, b = Counter(printed), Counter(official)
    extra = (a - b) + (b - a)
    common = sum((a & b).values())
    return common >= 4 and all(ch in _NAME_FILLER for ch in extra)


def _find_by_name_path(table: Table, sel: str) -> Row | str | None:
    """The row of a subject name path; names as printed first, then names that
    differ from the table's only as ``same_subject_name`` allows."""
    names = [_clean_name(s) for s in sel.split("/") if s]
    by_code: dict[str, Row] = {}
    for r in table.rows:
        if r.code and r.code not in by_code:
            by_code[r.code] = r

    def search(same: Callable[[str, str], bool]) -> list[Row]:
        found: list[Row] = []
        for r in table.rows:
            if not r.code or "#" in r.key or not same(names[-1], _clean_name(r.label)):
                continue
            code, ok = r.code, True
            for name in reversed(names[:-1]):
                parent = _parent_code(code, by_code)
                if parent is None or not same(name, _clean_name(by_code[parent].label)):
                    ok = False
                    break
                code = parent
            if ok:
                found.append(r)
        return found

    found = search(str.__eq__) or search(same_subject_name)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        return f"{table.id}[{sel}] is ambiguous: rows {', '.join(r.key for r in found)}"
    return None


def _parent_code(code: str, codes: Mapping[str, object]) -> str | None:
    n = len(code) - 2
    while n >= 3:
        if code[:n] in codes:
            return code[:n]
        n -= 2
    return None


def column_matches(path: str, selector: str) -> bool:
    """``selector`` is the path or its last segments."""
    if path == selector:
        return True
    segs, want = path.split("/"), selector.split("/")
    return len(want) < len(segs) and segs[-len(want):] == want


_HEADER_YEAR = re.compile(r"^\d{4}年度?(?=\S)")


def _yearless(path: str) -> str:
    """The path with a year printed ahead of a header segment dropped
    (``2024年机关运行经费预算数`` → ``机关运行经费预算数``)."""
    return "/".join(_HEADER_YEAR.sub("", s) for s in path.split("/"))


def find_column(columns: list[str] | tuple[str, ...], selector: str) -> str | list[str]:
    """The one column a selector names, or the list of candidates (0 or several).

    A selector without a year also names a column whose header prints the year
    ahead of the same words (``机关运行经费预算数`` names ``2024年机关运行经费预算数``),
    when no column matches it as printed.
    """
    sel = normalise_label(selector)
    if sel in columns:
        return sel
    hits = [c for c in columns if column_matches(c, sel)]
    if not hits and not _HEADER_YEAR.match(sel):
        hits = [c for c in columns if column_matches(_yearless(c), sel)]
    return hits[0] if len(hits) == 1 else hits


# ``@general-budget-expense[总计][合计]``: the table of that national role
# (auditor/roles.py), whatever its number or title, instead of a table id.
ROLE_PREFIX = "@"


def find_table(doc: Document, name: str) -> Table | str:
    """The table an id or ``@role`` names; a reason when there is none, or when a role
    names several tables (which one a relation means is doubtful: it skips)."""
    if name.startswith(ROLE_PREFIX):
        role = name[len(ROLE_PREFIX):]
        hits = [t for t in doc.tables if t.role == role]
        if not hits:
            return f"no table of role {role} in the document"
        if len(hits) > 1:
            return (f"role {role} names {len(hits)} tables ({', '.join(t.id for t in hits)}): "
                    "which one is meant is doubtful")
        return hits[0]
    table = doc.table(name)
    return table if table is not None else f"table {name} not in the document"


def resolve_cell(doc: Document, ref: Ref, missing: str = "skip") -> Value | str:
    table = find_table(doc, ref.table or "")
    if isinstance(table, str):
        return table
    sel_col = normalise_label(ref.column) if ref.column else None
    if sel_col is not None and "|" in sel_col:  # alternatives: the first the table prints
        all_cols = list(dict.fromkeys([*table.columns, *(c for r in table.rows for c in r.cells)]))
        alts = [a for a in sel_col.split("|") if a]
        chosen = next((a for a in alts if isinstance(find_column(all_cols, a), str)), None)
        if chosen is None:
            return f"{table.id} has none of the columns {', '.join(alts)} (columns: {', '.join(all_cols) or 'none'})"
        sel_col = chosen
    if sel_col is not None:
        all_cols = list(dict.fromkeys([*table.columns, *(c for r in table.rows for c in r.cells)]))
        if not find_column(all_cols, sel_col) and sel_col not in all_cols:
            return f"{table.id} has no column {sel_col!r} (columns: {', '.join(all_cols) or 'none'})"
    row = find_row(table, ref.row or "")
    if isinstance(row, str):
        return row
    if row is None:
        if missing == "zero":
            label = normalise_label(ref.row or "")
            where = f"{table.id} {label} (no row)"
            return absent_value(label, where, table.unit)
        return f"{table.id} has no row {normalise_label(ref.row or '')!r}"
    cols = list(row.cells)
    if sel_col is None:
        if len(cols) == 1:
            col_name = cols[0]
        elif not cols:
            return f"{table.id} row {row.key} has no figures"
        else:
            return f"{table.id} row {row.key} has {len(cols)} numeric columns; name one ({', '.join(cols)})"
    else:
        hit = find_column(cols, sel_col)
        if isinstance(hit, list):
            if not hit:
                if missing == "zero":
                    where = f"{table.id} {row.key} {sel_col} (no cell)"
                    return absent_value(row.key, where, table.unit)
                return f"{table.id} row {row.key} has no column {sel_col!r}"
            return f"{table.id} row {row.key}: column {sel_col!r} is ambiguous: {', '.join(hit)}"
        col_name = hit
    fig = row.cells[col_name]
    return figure_value(fig, f"{table.id} {row.key}")


def resolve_capture(doc: Document, match: re.Match[str] | None, name: str) -> Value | str:
    if match is None:
        return f"${name}: the rule has no match pattern"
    try:
        start, end = match.span(name)
    except IndexError:
        return f"${name}: no such group in the match pattern"
    if start < 0:
        return f"${name} captured nothing"
    narrative = doc.narrative
    fig = narrative.figure_at(start, end)
    if fig is None:
        text = narrative.text[start:end]
        parsed = parse_number(text, blank_is_zero=False)
        if parsed is None:
            return f"${name} is not a number: {text!r}"
        fig = figure_from_span(narrative, start, end)
    return figure_value(fig)


def resolve(ref_text: object, doc: Document, *, match: re.Match[str] | None = None,
            env: Mapping[str, str] | None = None, missing: str = "skip") -> Value | str:
    """Resolve a reference as written in a rule; a reason string when it cannot be."""
    if isinstance(ref_text, str) and "{" in ref_text:
        try:
            ref_text = interpolate(ref_text, env or {})
        except KeyError as e:
            return f"{{{e.args[0]}}} has no value"
    try:
        ref = parse_ref(ref_text)  # type: ignore[arg-type]
    except RefError as e:
        return str(e)
    if ref.previous:
        if doc.previous is None:
            return f"{str(ref_text).strip()}: no previous year's document (audit X --previous Y)"
        if ref.kind == "capture":
            return f"{str(ref_text).strip()}: a capture of last year's text is bound by the rule's kind"
        doc = doc.previous
    if ref.kind == "const":
        assert ref.const is not None
        return Value(Interval.exact(ref.const), ref.decimals, None, str(ref.text).strip(),
                     str(ref.text).strip(), constant=True)
    if ref.kind == "capture":
        v = resolve_capture(doc, match, ref.capture or "")
    else:
        v = resolve_cell(doc, ref, missing)
    if isinstance(v, str) and ref.previous:
        return f"last year's document: {v}"
    if isinstance(v, Value) and ref.negate:
        v = v.negated()
    return v


def resolve_text(ref_text: object, *, match: re.Match[str] | None = None,
                 env: Mapping[str, str] | None = None) -> str | None:
    """A text reference (``$dir`` or a literal word): its text, None when it captured nothing."""
    if not isinstance(ref_text, str):
        return str(ref_text)
    t = ref_text.strip()
    m = _CAPTURE.match(t)
    if m:
        if match is None:
            return None
        try:
            return match.group(m[1])
        except IndexError:
            return None
    try:
        return interpolate(t, env or {})
    except KeyError:
        return None
