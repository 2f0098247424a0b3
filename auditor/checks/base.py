"""What every check kind shares: the context it runs in, its results, judging.

A check is ``check(rule, ctx)`` yielding one ``Result`` per instance of the
relation it tests: ``pass``, ``note`` (holds within rounding: a note
finding), ``fail`` (broken beyond rounding: a finding of the rule's
severity) or ``skip`` (inputs not found: a reason).  Checks never print and
never raise on bad input; the engine turns an exception into a skip.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Sequence

from ..interval import Interval, Verdict, judge, quantize
from ..messages import Msg
from ..model import TOTAL_LABELS, CellRef, Document, Figure, Finding, Row, Table, normalise_label
from ..numbers import format_amount
from ..refs import BUILTIN_VARS, Value, figure_value, resolve, resolve_text

if TYPE_CHECKING:  # pragma: no cover
    from ..packs import Rule, Template

# JSON Schema of a reference: a string (table cell, $capture) or a number (a constant).
REF = {"type": ["string", "number"]}
TABLES = {"type": "array", "items": {"type": "string"}, "minItems": 1}

AMOUNT_FACTORS = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}


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


# ------------------------------------------------------------------ judging


def in_unit(v: Value, unit: str | None) -> Interval:
    """``v``'s interval in ``unit`` (元 ↔ 万元 ↔ 亿元); unchanged otherwise."""
    if unit in AMOUNT_FACTORS and v.unit in AMOUNT_FACTORS and unit != v.unit:
        k = AMOUNT_FACTORS[v.unit] / AMOUNT_FACTORS[unit]  # type: ignore[index]
        i = v.interval
        return Interval(i.lo * k, i.hi * k, i.point * k)
    return v.interval


def fmt(value: Decimal, decimals: int, unit: str | None = None) -> str:
    s = format_amount(value, max(decimals, 0))
    return s + "%" if unit == "%" else s


def fmt_value(v: Value) -> str:
    return fmt(v.point, v.decimals, v.unit)


def sum_phrase(values: Sequence[Value], table: str | None = None, limit: int = 12) -> Msg:
    """"sum of 208+210+221" as a message in either language."""
    blank = [v for v in values if v.figure is not None and v.figure.blank]
    shown = [v for v in values if not (v.figure is not None and v.figure.blank)] or list(values)
    extra: Msg | str = Msg("how.blank", {"n": len(blank)}) if blank and len(shown) < len(values) else ""
    if len(shown) > limit:
        return Msg("how.sum_many", {"n": len(shown), "blank": extra})
    labels = _labels(shown, table, limit=len(shown))
    return Msg("how.sum", {"parts": labels or Msg("how.nothing"), "blank": extra})


def _labels(values: Sequence[Value], table: str | None, limit: int) -> str:
    """``208+210+221`` (the table prefix dropped when it is the stated figure's)."""
    blank = [v for v in values if v.figure is not None and v.figure.blank]
    shown = [v for v in values if not (v.figure is not None and v.figure.blank)] or list(values)
    extra = f" ({len(blank)} blank)" if blank and len(shown) < len(values) else ""
    if len(shown) > limit:
        return f"{len(shown)} parts{extra}"
    out = ""
    for i, v in enumerate(shown):
        label = v.label
        if table and v.figure is not None and v.figure.table == table:
            neg = label.startswith("-")
            bare = label.lstrip("-")
            if bare.startswith(table + " "):
                label = ("-" if neg else "") + bare[len(table) + 1:]
        if i and not label.startswith("-"):
            out += "+"
        out += label
    return (out or "nothing") + extra


def _context(stated: Value, operands: Iterable[Value], ctx: Ctx | None) -> str | None:
    for v in (stated, *operands):
        if v.figure is not None and v.figure.table is None:
            return v.figure.sentence
    return ctx.sentence if ctx is not None else None


def cells(stated: Value | None, operands: Iterable[Value]) -> tuple[CellRef, ...]:
    out: list[CellRef] = []
    seen: set[int] = set()
    if stated is not None and stated.figure is not None:
        out.append(CellRef("actual", stated.figure))
        seen.add(id(stated.figure))
    for v in operands:
        if v.figure is not None and id(v.figure) not in seen:
            seen.add(id(v.figure))
            out.append(CellRef("operand", v.figure))
    return tuple(out)


def printed_as(stated: Value, computed: Interval) -> str | None:
    """How a printed rate relates to the value computed for it, on intervals.

    ``rounded`` when only rounding the computed value to the printed decimals
    can give the printed figure, ``truncated`` when only cutting it there can
    (63.3196…% printed 63.31%), ``both`` when either can (the two agree, or the
    operands' rounding leaves both open), ``neither`` when none can.  None when
    the stated figure is not a printed rate (amounts, constants): the relations
    between printed figures never tell the two apart.
    """
    if stated.unit != "%" or stated.constant or stated.figure is None:
        return None
    s, unit = stated.point, Decimal(1).scaleb(-stated.decimals)
    rounded = stated.interval.meets(computed)
    # the values that cut at the printed decimals give s: [s, s+u) above 0, (s-u, s] below
    if s > 0:
        truncated = computed.lo < s + unit and computed.hi >= s
    elif s < 0:
        truncated = computed.hi > s - unit and computed.lo <= s
    else:
        truncated = computed.lo < unit and computed.hi > -unit
    if rounded and truncated:
        return "both"
    return "rounded" if rounded else "truncated" if truncated else "neither"


def relation(rule: Rule, stated: Value, computed: Interval, how: str | Msg,
             operands: Sequence[Value], ctx: Ctx | None = None,
             verdict: Verdict | None = None) -> Result:
    """Judge ``stated`` against ``computed`` (RULES.md, "How a relation is judged").

    A stated rate also says how it is printed (``Result.printed``): the
    document's convention is decided from all of them once every rule has
    run (``auditor/convention.py``), never by one check.  A relation judged
    by a ``verdict`` of its own (at-most: an inequality) tells nothing of it.
    """
    decimals = stated.decimals
    if stated.constant and operands:
        # a constant (100) is exact: judge at the precision of what it is compared with
        decimals = max([decimals, *(v.decimals for v in operands)])
        where = next((v.where for v in operands if v.figure is not None), stated.where)
        stated = Value(stated.interval, decimals, None, stated.label, where, stated.unit, True)
    printed = printed_as(stated, computed) if verdict is None else None
    if verdict is None:
        verdict = judge(stated.interval, decimals, computed)
    at = table_cell(stated)
    judged = _figures(stated, operands)
    if verdict is Verdict.PASS:
        return Result("pass", at=at, printed=printed, figures=judged)
    expected = quantize(computed.point, decimals)
    severity = "note" if verdict is Verdict.NOTE else rule.severity
    actual = stated.figure.value if stated.figure is not None else stated.point
    key = "finding.relation_note" if verdict is Verdict.NOTE else "finding.relation"
    args: dict[str, Any] = {"where": stated.where, "stated": fmt_value(stated), "how": how,
                            "expected": fmt(expected, stated.decimals, stated.unit)}
    if verdict is Verdict.FAIL:
        # a common slip: the rate cut at the printed decimals instead of rounded
        args["hint"] = Msg("hint.truncated") if printed == "truncated" else ""
    finding = Finding(rule=rule.id, kind=rule.kind, severity=severity,
                      message=Msg(key, args).render("en"), expected=expected, actual=actual,
                      cells=cells(stated, operands), context=_context(stated, operands, ctx),
                      message_key=key, message_args=args, printed=printed)
    return Result("note" if verdict is Verdict.NOTE else "fail", finding, at=at, printed=printed,
                  figures=judged)


def _figures(stated: Value | None, operands: Iterable[Value]) -> tuple[Figure, ...]:
    """The printed figures of a relation (constants have none)."""
    out = [v.figure for v in (stated, *operands) if v is not None and v.figure is not None]
    return tuple(out)


def table_cell(stated: Value | None) -> tuple[str, str] | None:
    """(table, column) of a stated table figure; None for the narrative or a constant."""
    f = stated.figure if stated is not None else None
    if f is None or f.table is None or f.column is None:
        return None
    return (f.table, f.column)


def failure(rule: Rule, message: Msg, *, stated: Value | None = None,
            operands: Sequence[Value] = (), expected: Decimal | None = None,
            actual: Decimal | None = None, ctx: Ctx | None = None,
            severity: str | None = None) -> Result:
    """A finding that is not a numeric comparison (contradicting words, a missing table);
    its message is a catalogue key with its values, so it reads in zh or en."""
    context = _context(stated, operands, ctx) if stated is not None else (
        ctx.sentence if ctx is not None else None)
    finding = Finding(rule=rule.id, kind=rule.kind, severity=severity or rule.severity,
                      message=message.render("en"), expected=expected, actual=actual,
                      cells=cells(stated, operands), context=context,
                      message_key=message.key, message_args=dict(message.args))
    return Result("fail", finding, at=table_cell(stated), figures=_figures(stated, operands))


def total_of(values: Iterable[Value], unit: str | None) -> Interval:
    acc = Interval.exact(0)
    for v in values:
        acc = acc + in_unit(v, unit)
    return acc


# ------------------------------------------------------------------ table structure


def blocks(table: Table) -> dict[str | None, list[Row]]:
    """The rows of a table by block (side-by-side lists), in print order."""
    out: dict[str | None, list[Row]] = {}
    for r in table.rows:
        out.setdefault(r.block, []).append(r)
    return out


def restated_rows(rows: Sequence[Row]) -> dict[int, int]:
    """Row index → index of the row it restates: a code row printed again right under
    itself with the same name, texts and figures.

    Some layouts print a 款 without 项s at both levels (``219`` / ``21999 其他支出`` /
    ``21999 其他支出``): the copy is the same subject, not a second item.  Rows of one
    code that differ (表7, one row per project, each with its own 项目名称 or figures)
    are separate items and are not restatements.
    """
    out: dict[int, int] = {}
    for i in range(1, len(rows)):
        a, b = rows[i - 1], rows[i]
        if (b.code and a.code == b.code and a.label == b.label and dict(a.texts) == dict(b.texts)
                and a.unread == b.unread and _same_figures(a, b)):
            out[i] = out.get(i - 1, i - 1)
    return out


def _same_figures(a: Row, b: Row) -> bool:
    cols = set(a.cells) | set(b.cells)
    for c in cols:
        fa, fb = a.cells.get(c), b.cells.get(c)
        va = Decimal(0) if fa is None or fa.blank else fa.value
        vb = Decimal(0) if fb is None or fb.blank else fb.value
        if va != vb:
            return False
    return any(not f.blank for f in a.cells.values())


def is_part_row(row: Row) -> bool:
    """A row labelled 其中 (of which): a part of the row above it, never an addend."""
    return normalise_label(row.label).startswith("其中")


def parent_rows(rows: Sequence[Row]) -> dict[int, int | None]:
    """For each code row (by index), the index of its parent row: the nearest row whose
    code is a prefix of its own (None for a top-level row).

    A child extends its parent by one level (3 → 5 → 7 digits); when a level is not
    printed, the nearest printed ancestor is the parent.  Whatever the lengths — local
    six-digit unit codes under a department (``302`` / ``302001``), economic codes — a
    code whose prefix is printed in the same block is never top-level, so a parent is
    never summed together with its own children.  A code printed on several rows as a
    parent (a table repeating a section, 302 … 302#2) heads the children printed after
    it and before its next row; a restated copy (``restated_rows``) has its original
    as parent; a row labelled 其中 is a part of the row above, not a child to sum.
    Economic items numbered locally under their class (``302`` then ``01`` … ``13``)
    are children of that class.
    """
    restated = restated_rows(rows)
    by_code: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r.code and i not in restated:
            by_code.setdefault(r.code, []).append(i)
    out: dict[int, int | None] = {}
    prev: int | None = None  # the code row printed before
    for i, r in enumerate(rows):
        if not r.code:
            continue
        last, prev = prev, i
        if i in restated:
            out[i] = restated[i]
            continue
        if len(r.code) < 3 and last is not None:
            # a number local to the class printed above it (302 · 01 · 02 … 13)
            lc = rows[last].code or ""
            if len(lc) == 3:
                out[i] = last
                continue
            if len(lc) < 3 and out.get(last) is not None:
                out[i] = out[last]
                continue
        anc = next((r.code[:n] for n in range(len(r.code) - 1, 2, -1) if r.code[:n] in by_code), None)
        if anc is None:
            out[i] = None
            continue
        cands = by_code[anc]
        before = [j for j in cands if j < i]
        out[i] = cands[0] if len(cands) == 1 or not before else before[-1]
    return out


def misfit_rows(rows: Sequence[Row]) -> dict[int, int]:
    """Code rows whose code does not fit the codes around them → the index of the
    code row printed before them.

    A top-level code (no printed prefix) printed between two rows of another
    class's list (``210`` … ``21001`` · ``7`` · ``21011`` …) is a misread code, not a
    new class: a reading issue about that cell.  A parent printed again to open a
    repeated section (302 … 302#2) is not a misfit.
    """
    parents = parent_rows(rows)
    code_idx = [i for i in parents]
    out: dict[int, int] = {}

    def top(i: int) -> int:
        seen = set()
        while parents.get(i) is not None and i not in seen:
            seen.add(i)
            i = parents[i]  # type: ignore[assignment]
        return i

    for k, i in enumerate(code_idx):
        if parents[i] is not None or k == 0 or k + 1 == len(code_idx):
            continue
        before, after = code_idx[k - 1], code_idx[k + 1]
        tb, ta = top(before), top(after)
        if tb == ta and ta != after and rows[tb].code != rows[i].code \
                and not rows[i].code.startswith(rows[tb].code):  # type: ignore[union-attr]
            out[i] = before
    return out


def stray_codes(rows: Sequence[Row]) -> set[int]:
    """Code rows that are no subject rows: a code with no printed parent and no child,
    in a block whose rows are mostly named rather than coded (a procurement list whose
    item “12345 政府公共服务热线运行经费” is named after a hotline number)."""
    parents = parent_rows(rows)
    heads = {p for p in parents.values() if p is not None}
    lonely = {i for i, p in parents.items() if p is None and i not in heads}
    named = sum(1 for r in rows if not r.code and not is_total_row(r) and not is_part_row(r)
                and any(not f.blank for f in r.cells.values()))
    return lonely if lonely and named > len(parents) else set()


def ancestors(i: int, rows: Sequence[Row]) -> list[int]:
    """Row ``i`` and the rows above it in the code hierarchy, nearest first."""
    parents = parent_rows(rows)
    out = [i]
    while parents.get(out[-1]) is not None and parents[out[-1]] not in out:
        out.append(parents[out[-1]])  # type: ignore[arg-type]
    return out


def code_parents(rows: Sequence[Row]) -> dict[int, str | None]:
    """For each code row (by index), the code of its parent row (``parent_rows``)."""
    return {i: (rows[p].code if p is not None else None) for i, p in parent_rows(rows).items()}


def child_rows(rows: Sequence[Row]) -> dict[int, list[int]]:
    """Parent row index → indices of the child rows it sums (``parent_rows``).

    A restated copy and a row labelled 其中 are never summed.
    """
    restated = restated_rows(rows)
    out: dict[int, list[int]] = {}
    for i, p in parent_rows(rows).items():
        if p is None or i in restated or is_part_row(rows[i]):
            continue
        out.setdefault(p, []).append(i)
    return out


def with_copies(parts: Sequence[int], rows: Sequence[Row], parent: int | None = None
                ) -> list[int] | None:
    """The other reading of ``parts``: plus the restated copies of them (a code printed
    twice alike may be two items that happen to agree) and, for a ``parent`` row, the
    misread codes printed under it (``misfit_rows``: they may be its children); None
    when there is no other reading."""
    extra = [i for i, o in restated_rows(rows).items() if o in parts]
    if parent is not None:
        extra += [m for m, before in misfit_rows(rows).items() if parent in ancestors(before, rows)]
    return sorted({*parts, *extra}) if extra else None


def is_total_row(row: Row) -> bool:
    """总计/合计/收入总计/支出总计/收支总计, printed once or again (合计#2)."""
    return row.code is None and row.key.split("#", 1)[0] in TOTAL_LABELS


def total_segments(rows: Sequence[Row]) -> list[tuple[int, list[int]]]:
    """(total row index, indices of the top-level code rows it sums).

    One total row sums every top-level row of the block.  Several total rows
    split it into sections (a table that prints a second list under its own
    合计): leading totals head the rows after them, trailing totals end the
    rows before them.  A section without code rows has nothing to sum, except
    a total printed last (合计 on top, 总计 at the bottom), which sums them all.
    """
    skip = set(misfit_rows(rows)) | stray_codes(rows)
    top = [i for i, p in parent_rows(rows).items()
           if p is None and not is_part_row(rows[i]) and i not in skip]
    totals = [i for i, r in enumerate(rows) if is_total_row(r)]
    if len(totals) <= 1 or not top:
        return [(t, top) for t in totals]
    leading = totals[0] < min(top)
    out = []
    for k, t in enumerate(totals):
        if leading:
            lo, hi = t, totals[k + 1] if k + 1 < len(totals) else len(rows)
        else:
            lo, hi = totals[k - 1] if k else -1, t
        seg = [i for i in top if lo < i < hi]
        if not seg and t == len(rows) - 1:
            seg = top  # 合计 heading the list and 总计 closing it: the closing one sums all
        out.append((t, seg))
    return out


def all_blank(figs: Iterable[Figure]) -> bool:
    return all(f.blank for f in figs)


def cell_or_blank(row: Row, column: str, table: Table) -> Figure | None:
    """A row's figure in ``column``; an absent cell reads as a blank (zero), a cell
    whose print could not be read (``Row.unread``) as None: no relation can use it."""
    f = row.cells.get(column)
    if f is not None:
        return f
    if column in row.unread:
        return None
    return Figure(text="", value=Decimal(0), decimals=2, page=row.page, table=table.id,
                  row=row.key, column=column, unit=table.unit, blank=True)


def sum_relation(rule: Rule, stated: Figure, parts: Sequence[Figure | None], ctx: Ctx,
                 part_labels: Sequence[str] | None = None,
                 verdict: Verdict | None = None) -> Result | None:
    """``stated`` = Σ ``parts`` for table figures; None when every figure is blank.

    A part that could not be read (None) skips the relation.
    """
    for i, p in enumerate(parts):
        if p is None:
            part = part_labels[i] if part_labels else f"part {i + 1}"
            return skip(f"{stated.table} {stated.row} {stated.column}: {part} could not be read "
                        f"(p.{stated.page}, a reading problem)")
    if stated.blank and all(p.blank for p in parts):
        return None
    sv = figure_value(stated)
    pv = [figure_value(p, part_labels[i] if part_labels else None) for i, p in enumerate(parts)]
    computed = total_of(pv, sv.unit)
    return relation(rule, sv, computed, sum_phrase(pv), pv, ctx, verdict=verdict)


def leaf_rows(parts: Sequence[int], rows: Sequence[Row]) -> list[int] | None:
    """The items under ``parts``: each part replaced by its descendants that have no
    children of their own (a part without children stays); None when no part has any."""
    kids = child_rows(rows)
    if not any(i in kids for i in parts):
        return None
    out: list[int] = []
    stack = list(reversed(parts))
    seen: set[int] = set()
    while stack:
        i = stack.pop()
        if i in seen:
            continue
        seen.add(i)
        if i in kids:
            stack.extend(reversed(kids[i]))
        else:
            out.append(i)
    return out


def row_sums(rule: Rule, ctx: Ctx, table: Table, total: Row, parts: Sequence[Row],
             other: Sequence[Row] | None = None, items: Sequence[Row] | None = None
             ) -> Iterator[Result]:
    """``total`` = Σ ``parts`` (rows of ``table``) in every numeric column of ``total``.

    ``other`` is a second reading of the parts (``with_copies``): a column that fails
    with ``parts`` but holds with ``other`` holds — a doubtful reading never makes an error.
    ``items`` are the rows under the parts that have no children (``leaf_rows``): a
    total that fails against its rounded subtotals but holds against the items they
    round (合计 25,530.51 = Σ items exactly, while 301 23,647.92 rounds its items'
    23,647.94) holds within rounding: a note, never an error.
    """
    for col in total.cells:
        r = _row_sum(rule, ctx, table, total, col, parts)
        if r is not None and r.status == "fail" and other is not None:
            r2 = _row_sum(rule, ctx, table, total, col, other)
            if r2 is None or r2.status != "fail":
                r = r2
        if r is not None and r.status == "fail" and items is not None:
            r3 = _row_sum(rule, ctx, table, total, col, items)
            if r3 is not None and r3.status != "fail":
                r = _row_sum(rule, ctx, table, total, col, items, verdict=Verdict.NOTE)
        if r is not None:
            yield r


def _row_sum(rule: Rule, ctx: Ctx, table: Table, total: Row, col: str,
             parts: Sequence[Row], verdict: Verdict | None = None) -> Result | None:
    figs = [cell_or_blank(k, col, table) for k in parts]
    return sum_relation(rule, total.cells[col], figs, ctx, [k.key for k in parts], verdict)


def params(rule: Rule) -> Mapping[str, Any]:
    return rule.params


# ------------------------------------------------------------------ patterns and validation

# An amount as the narrative prints it (white space removed): 3,599.74 / 480 / 74.6.
AMT = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])"
# A percentage number, without its % sign.
PCT = r"(?<![\d.])\d+(?:\.\d+)?(?![\d])"
# A subject name as the narrative prints it: Chinese text, with bracketed parts
# that are not a level marker (党委办公厅（室）及相关机构事务, never …（款）).
NAME = r"(?:[\u4e00-\u9fff、]|[（(](?![类款项][）)])[\u4e00-\u9fff]{1,6}[）)])+"
_PATTERN_VAR = re.compile(r"\{(\w+)\}")


def expand_pattern(pattern: str, env: Mapping[str, str] | None = None) -> str:
    """``{AMT}``, ``{PCT}``, ``{NAME}`` and ``{var}`` (for-values, escaped) in a regex.

    Other braces (``\\d{1,3}``) are regex syntax and stay.
    """
    env = env or {}

    def sub(m: re.Match[str]) -> str:
        name = m[1]
        if name == "AMT":
            return AMT
        if name == "PCT":
            return PCT
        if name == "NAME":
            return NAME
        if name in env:
            return re.escape(env[name])
        return m[0]

    return _PATTERN_VAR.sub(sub, pattern)


def group_names(pattern: str | None) -> set[str]:
    if not pattern:
        return set()
    try:
        return set(re.compile(expand_pattern(pattern)).groupindex)
    except re.error:
        return set()


def validate_refs(params: Mapping[str, Any], fields: Sequence[str],
                  names: set[str]) -> Iterator[tuple[tuple, str]]:
    """Syntax of the reference fields a kind declares: ``(path, message)`` per error."""
    from ..refs import check_syntax

    for f in fields:
        if f in params:
            msg = check_syntax(params[f], names)
            if msg:
                yield (f,), msg


def validate_text_refs(params: Mapping[str, Any], fields: Sequence[str],
                       names: set[str]) -> Iterator[tuple[tuple, str]]:
    """Text references (``$dir``) must name a capture of ``match``."""
    for f in fields:
        v = params.get(f)
        if isinstance(v, str) and v.strip().startswith("$"):
            name = v.strip()[1:]
            if not re.fullmatch(r"\w+", name):
                yield (f,), f"bad capture reference {v!r}"
            elif name not in names:
                known = ", ".join(sorted(names - set(BUILTIN_VARS))) or "none"
                yield (f,), f"unknown capture ${name} (match groups: {known})"


def signed(value: Value, negate_if: Mapping[str, str] | None, ctx: Ctx) -> Value:
    """``value`` negated when a capture of the rule's match reads the given word."""
    if negate_if and ctx.match is not None:
        groups = ctx.match.groupdict()
        if any(groups.get(g) == word for g, word in negate_if.items()):
            return value.negated()
    return value
