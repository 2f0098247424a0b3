"""The subject-code hierarchy of a table's rows (类 → 款 → 项, 总计 rows).

Which row is the parent of which (by the codes, and by the printed order when a
code is missing or out of place), the rows a total sums, the rows printed twice.
Part of the model's vocabulary: checks (hierarchy, total-row, column sums) and
reports read it; nothing here judges.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Sequence

from .model import TOTAL_LABELS, Row, Table, normalise_label


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
                and not rows[i].code.startswith(rows[tb].code):  # type: ignore[union-attr, arg-type]
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
