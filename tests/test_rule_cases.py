"""Rule cases as data (the sqlfluff pattern): ``tests/rules/cases/*.yaml``.

Each case is a small document (the compact form of ``Document.from_dict``),
rules (validated as a pack is), the findings they must produce and the
counts.  A compact row may also be a mapping ``{row: [key, label, *cells],
block: 支出, texts: {项目名称: …}}`` for block tables and text columns.

Expected findings name the rule, severity and the actual cell (``table``,
``row``, ``column`` — a column path or its last segments — or ``page`` for
the narrative), ``expected`` and ``actual`` as decimals, optionally
``message`` (a substring) or ``message_is`` (the whole message), ``cells``:
every cell the finding names, in order (the actual one first), each
``TABLE ROW COLUMN`` or ``TEXT p.PAGE`` for a narrative figure, ``text`` (the
actual cell's text as printed: for a finding at narrative words, the
characters it points at) and ``operands`` (the printed texts of its other
cells, in order).  The findings produced must be exactly those.
``counts`` are totals over the case's rules; ``outcomes`` gives them per rule
(``skip_reasons`` there is the rule's exact list of reasons);
``skips`` are substrings that must each appear in some skip reason,
``skip_reasons`` the case's skip reasons exactly (in the order of its rules);
``issues`` the reading problems the outcomes reveal (code, table, message).

The findings are those of an audit: once the rules have run, the document's
rounding convention for rates is applied (``auditor/convention.py``) as
``engine.audit`` does; ``convention`` gives what it must be (its fields, or
null when no rate tells).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.convention import apply as rates_convention
from auditor.engine import run, run_rule
from auditor.model import Document, Figure, Finding, normalise_label
from auditor.numbers import parse_number
from auditor.packs import load_pack_text, load_packs
from auditor.roles import assign as assign_roles

CASES = Path(__file__).parent / "rules" / "cases"
RULES = Path(__file__).parents[1] / "rules"


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return out


def _table(t: dict[str, Any]) -> dict[str, Any]:
    """Expand mapping rows (blocks, texts) into the full row form of ``from_dict``."""
    if not any(isinstance(r, dict) for r in t.get("rows", ())):
        return t
    columns = t.get("columns", [])
    page = int((t.get("pages") or [1])[0])
    unit = t.get("unit", "万元")
    rows, seen = [], {}
    for r in t["rows"]:
        extra = r if isinstance(r, dict) else {}
        values = extra.get("row", r)
        head, label, *cells = [("" if v is None else str(v)) for v in values]
        code = head if head.isdigit() else None
        key = code or normalise_label(head or label)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}#{seen[key]}"
        cols = extra.get("columns", columns)
        unread = extra.get("unread", [])  # columns printed but not readable
        figs = {}
        for col, text in zip(cols, cells):
            if col in unread:
                continue
            p = parse_number(text)
            assert p is not None, text
            figs[col] = Figure(text=text, value=p.value, decimals=p.decimals, page=page,
                               table=t["id"], row=key, column=col, unit=unit,
                               blank=p.blank).to_dict()
        rows.append({"key": key, "label": label or head, "code": code, "page": page,
                     "block": extra.get("block"), "texts": extra.get("texts", {}),
                     "cells": figs, "unread": unread})
    return {**t, "rows": rows}


def document(case: dict[str, Any]) -> Document:
    """The case's document with its tables' roles, as the audit gives them (by title)."""
    d = dict(case.get("document") or {})
    d["tables"] = [_table(t) for t in d.get("tables", ())]
    return assign_roles(Document.from_dict(d))


def rules(case: dict[str, Any]):
    """The case's rules: its own (``rules``), or those a shipped pack declares
    (``shipped: {pack: national-budget.yaml, rules: [nb.n.change]}``), so that a
    case tests the very pattern users run, not a copy of it."""
    if "shipped" in case:
        spec = case["shipped"]
        shipped = load_packs(RULES / spec["pack"])
        chosen = tuple(r for r in shipped.rules if r.id in spec["rules"])
        assert {r.id for r in chosen} == set(spec["rules"]), f"no such rule in {spec['pack']}"
        return chosen, None
    pack = {"pack": "case", "rules": case["rules"]}
    if case.get("template"):
        pack["template"] = case["template"]
    text = yaml.safe_dump(pack, allow_unicode=True, sort_keys=False)
    packset = load_pack_text(text, "<case>")
    return packset.rules, packset.templates.get("case")


def _cell_name(fig: Figure) -> str:
    if fig.table is not None:
        return f"{fig.table} {fig.row} {fig.column}"
    return f"{fig.text} p.{fig.page}"


def _matches(f: Finding, e: dict[str, Any]) -> bool:
    if f.rule != e["rule"] or f.severity != e["severity"]:
        return False
    actual = next((c.figure for c in f.cells if c.role == "actual"), None)
    for k in ("table", "row", "page"):
        if k in e and (actual is None or str(getattr(actual, k)) != str(e[k])):
            return False
    if "column" in e:
        col = actual.column if actual else None
        if col is None or not (col == e["column"] or col.endswith("/" + e["column"])):
            return False
    if "expected" in e and f.expected != Decimal(str(e["expected"])):
        return False
    if "actual" in e and f.actual != Decimal(str(e["actual"])):
        return False
    if "message" in e and e["message"] not in f.message:
        return False
    if "message_is" in e and e["message_is"] != f.message:
        return False
    if "cells" in e and [_cell_name(c.figure) for c in f.cells] != e["cells"]:
        return False
    if "text" in e and (actual is None or actual.text != e["text"]):
        return False
    if "operands" in e and [c.figure.text for c in f.cells if c.role == "operand"] != e["operands"]:
        return False
    if "context" in e and e["context"] not in (f.context or ""):
        return False
    return True


def _show(fs: list[Finding]) -> str:
    return "\n".join(f"  {f.severity} {f.rule}: {f.message} (expected {f.expected}, actual {f.actual})"
                     for f in fs) or "  (none)"


@pytest.mark.parametrize("case", _cases())
def test_rule_case(case: dict[str, Any]) -> None:
    doc = document(case)
    rs, template = rules(case)
    findings, outcomes = run(doc, rs, template)
    findings, outcomes, convention = rates_convention(findings, outcomes)
    missing = [e for e in case.get("expect", []) if not any(_matches(f, e) for f in findings)]
    extra = [f for f in findings if not any(_matches(f, e) for e in case.get("expect", []))]
    assert not missing and not extra, (
        f"missing: {missing}\nextra:\n{_show(extra)}\nall findings:\n{_show(findings)}\n"
        f"skips: {[r for o in outcomes for r in o.skip_reasons]}")
    assert len(findings) == len(case.get("expect", []))
    reasons = [r for o in outcomes for r in o.skip_reasons]
    if "counts" in case:
        got = {k: sum(getattr(o, k) for o in outcomes) for k in case["counts"]}
        assert got == case["counts"], f"skip reasons: {reasons}"
    for rid, want in (case.get("outcomes") or {}).items():
        o = next(o for o in outcomes if o.rule == rid)
        got = {k: list(v) if isinstance(v := getattr(o, k), tuple) else v for k in want}
        assert got == want, o
    for s in case.get("skips", []):
        assert any(s in r for r in reasons), f"no skip reason contains {s!r}: {reasons}"
    if "skip_reasons" in case:
        assert reasons == case["skip_reasons"], reasons
    if "issues" in case:  # reading problems the outcomes reveal (layout not understood)
        got = [i for o in outcomes for i in o.issues]
        assert len(got) == len(case["issues"]), got
        for want, i in zip(case["issues"], got):
            assert (i.code, i.table) == (want["code"], want["table"]) and want["message"] in i.message, i
    if "convention" in case:
        want = case["convention"]
        got = convention.to_dict() if convention is not None else None
        assert (got if want is None else {k: got[k] for k in want} if got else None) == want, got


def test_findings_are_sorted_deterministically() -> None:
    case = next(c.values[0] for c in _cases() if c.values[0]["name"] == "hierarchy parent off by 1.00")
    doc = document(case)
    rs, _ = rules(case)
    first, _ = run(doc, rs)
    second, _ = run(doc, list(reversed(rs)))
    assert [f.to_dict() for f in first] == [f.to_dict() for f in second]
    assert first == sorted(first, key=Finding.sort_key)


def test_a_check_that_raises_is_an_internal_error_skip(monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.checks import KINDS

    def boom(rule, ctx):
        yield from ()
        raise RuntimeError("kaboom")

    doc = Document.from_dict({"tables": [{"id": "表1", "columns": ["合计"],
                                          "rows": [["收入总计", "", "1.00"]]}]})
    rs, _ = rules({"rules": [{"id": "t.e", "kind": "equal", "value": "表1[收入总计]",
                              "equals": "1.00"}]})
    monkeypatch.setattr(KINDS["equal"], "check", boom)
    findings, outcome = run_rule(doc, rs[0])
    assert findings == []
    assert outcome.skipped == 1 and outcome.evaluated == 0
    assert outcome.skip_reasons[0].startswith("internal error: RuntimeError: kaboom")
