"""Every reference field of every check kind is checked against the template when packs load.

A kind declares ``REF_FIELDS`` (references: REF, a list or a mapping of them)
and ``TABLE_FIELDS`` (table ids: one, a list, or a mapping keyed by them);
the loader checks each against the template's tables.  For each kind and each
declared field, a rule that is valid but for one wrong table id in that field
gives ``file:line:col`` at that very value.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from auditor.checks import KINDS
from auditor.checks.base import REF
from auditor.errors import PackError
from auditor.packs import load_packs

WRONG = "表9"

# A valid rule of each kind over the template's tables 表1 and 表2, and, for each
# declared field, where in the rule the wrong table id goes (a path into the rule).
VALID: dict[str, dict[str, Any]] = {
    "at-most": {"value": "表1[a]", "limit": "表1[b]"},
    "change": {"match": r"(?P<d>增加|减少)", "current": "表1[a]", "direction": "$d", "delta": "表1[b]",
               "pct": "表1[c]", "line": "表1[d]", "previous": "prev:表1[e]"},
    "column-sum": {"tables": ["表1"]},
    "comparison": {"match": r"(?P<w>大于|小于)", "actual": "表1[a]", "budget": "表1[b]", "word": "$w",
                   "pct": "表1[c]"},
    "consistent-identity": {},
    "empty-table-note": {"tables": {"表1": None}},
    "equal": {"value": "表1[a]", "equals": "表1[b]"},
    "formula": {"value": "表1[a]", "expr": "x + y", "vars": {"x": "表1[b]", "y": "表2[c]"}},
    "hierarchy": {"tables": ["表1"]},
    "no-placeholders": {},
    "restate-table": {"table": "表1", "source": "表2", "columns": {"合计": "合计"}},
    "sections-present": {"sections": {"一": "一、"}},
    "share": {"pct": "表1[a]", "part": "表1[b]", "whole": "表1[c]"},
    "shares": {"match": r"(?P<items>.*)", "whole": "表1[c]",
               "items": {"findall": "items", "pattern": "(?P<a>{AMT})万元，占(?P<p>{PCT})%", "part": "a", "pct": "p"}},
    "sum": {"match": r"(?P<x>减少)", "total": "表1[a]", "parts": ["表1[b]", "-表2[c]", {"ref": "表1[d]", "negate_if": {"x": "减少"}}]},
    "table-present": {"tables": ["表1"]},
    "total-row": {"tables": ["表1"]},
    "amount-twice": {},
    "code-names": {"tables": ["表1"]},
    "document-words": {},
    "page-text": {},
    "punctuation": {},
    "sentence-slots": {},
    "year-labels": {},
}
# field → the places in the rule that field's wrong value is tried at (default: the field itself)
PLACES: dict[tuple[str, str], list[tuple[Any, ...]]] = {
    ("change", "previous"): [("previous",)],
    ("code-names", "tables"): [("tables", 0)],
    ("column-sum", "tables"): [("tables", 0)],
    ("empty-table-note", "tables"): [("tables", "#key")],
    ("formula", "vars"): [("vars", "x"), ("vars", "y")],
    ("hierarchy", "tables"): [("tables", 0)],
    ("sum", "parts"): [("parts", 0), ("parts", 1), ("parts", 2, "ref")],
    ("table-present", "tables"): [("tables", 0)],
    ("total-row", "tables"): [("tables", 0)],
}


def _declared() -> list[tuple[str, str]]:
    return [(kind, f) for kind, m in sorted(KINDS.items())
            for f in (*m.REF_FIELDS, *m.TABLE_FIELDS)]


def _wrong(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("表1", WRONG).replace("表2", WRONG)
    raise AssertionError(value)


def _put(rule: dict[str, Any], place: tuple[Any, ...]) -> None:
    *head, last = place
    node: Any = rule
    for p in head:
        node = node[p]
    if last == "#key":  # a mapping keyed by table ids: the first key
        key = next(iter(node))
        node[WRONG] = node.pop(key)
    else:
        node[last] = _wrong(node[last])


def _pack(tmp_path: Path, kind: str, rule: dict[str, Any]) -> Path:
    pack = {"pack": "t", "template": {"tables": {"表1": {"title": "收入表"}, "表2": {"title": "支出表"}}},
            "rules": [{"id": "t.r", "kind": kind, **rule}]}
    path = tmp_path / "t.yaml"
    path.write_text(yaml.safe_dump(pack, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _position(text: str, needle: str) -> tuple[int, int]:
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n, line.index(needle) + 1
    raise AssertionError(needle)


def test_every_kind_declares_its_reference_and_table_fields() -> None:
    for kind, m in KINDS.items():
        assert isinstance(m.REF_FIELDS, tuple) and isinstance(m.TABLE_FIELDS, tuple), kind
        props = m.SCHEMA.get("properties", {})
        for f in (*m.REF_FIELDS, *m.TABLE_FIELDS):
            assert f in props, f"{kind}: declared field {f!r} is not in its SCHEMA"
        for name, schema in props.items():  # a field written as a REF is declared a reference
            text = repr(schema)
            if schema == REF or repr(REF) in text and name not in m.TABLE_FIELDS:
                assert name in m.REF_FIELDS, f"{kind}: field {name!r} holds references, not in REF_FIELDS"


def test_every_kind_has_a_valid_example_here() -> None:
    assert set(VALID) == set(KINDS), "add a valid rule of the new kind to VALID"


@pytest.mark.parametrize("kind", sorted(VALID))
def test_the_valid_examples_load(tmp_path: Path, kind: str) -> None:
    load_packs(_pack(tmp_path, kind, VALID[kind]))


CASES = [(kind, field, place) for kind, field in _declared()
         for place in PLACES.get((kind, field), [(field,)])]


@pytest.mark.parametrize("kind,field,place", CASES, ids=[f"{k}.{'.'.join(map(str, p))}" for k, _, p in CASES])
def test_a_wrong_table_in_each_reference_field_is_an_error_at_its_position(
        tmp_path: Path, kind: str, field: str, place: tuple[Any, ...]) -> None:
    rule = copy.deepcopy(VALID[kind])
    _put(rule, place)
    path = _pack(tmp_path, kind, rule)
    with pytest.raises(PackError) as e:
        load_packs(path)
    errors = getattr(e.value, "errors", [str(e.value)])
    assert len(errors) == 1, errors
    text = path.read_text(encoding="utf-8")
    line, col = _position(text, WRONG)
    assert errors[0].startswith(f"{path}:{line}:")
    assert f"'{WRONG}'" in errors[0] and "is not in template 't'" in errors[0] or "matches no table" in errors[0]
    # the column is that of the value (or the key) holding the wrong id: only a quote,
    # a minus sign or prev: between them
    reported_col = int(errors[0].split(":")[2])
    before = text.splitlines()[line - 1][reported_col - 1:col - 1]
    assert before.strip("'\"") in ("", "-", "prev:"), (errors[0], col)


def test_a_pack_included_by_a_template_names_its_tables(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "pack: t\ninclude: [n.yaml]\ntemplate:\n  tables:\n    表1: {title: 收入表}\n", encoding="utf-8")
    (tmp_path / "n.yaml").write_text(
        "pack: n\nrules:\n  - id: n.a\n    kind: comparison\n    match: (?P<w>大于)\n"
        "    actual: 表1[a]\n    budget: 表3[b]\n    word: $w\n", encoding="utf-8")
    with pytest.raises(PackError) as e:
        load_packs(tmp_path)
    assert str(e.value).startswith(f"{tmp_path / 'n.yaml'}:7:13: table '表3' is not in template 't'")


def test_an_issuer_pack_names_the_tables_of_the_template_it_applies_to(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "pack: t\ntemplate:\n  tables:\n    表1: {title: 收入表}\n", encoding="utf-8")
    (tmp_path / "i.yaml").write_text(
        "pack: i\napplies_to: {template: t, signals: [某单位]}\nrules:\n  - id: i.a\n    kind: equal\n"
        "    value: 表1[a]\n    equals: 表4[b]\n", encoding="utf-8")
    with pytest.raises(PackError) as e:
        load_packs(tmp_path)
    assert str(e.value).startswith(f"{tmp_path / 'i.yaml'}:7:13: table '表4' is not in template 't'")


def test_packs_in_subfolders_load_and_include_across_folders(tmp_path: Path) -> None:
    (tmp_path / "base").mkdir()
    (tmp_path / "national").mkdir()
    (tmp_path / "base" / "generic.yaml").write_text(
        "pack: generic\nbase: true\nrules:\n  - {id: g.h, kind: hierarchy}\n", encoding="utf-8")
    (tmp_path / "national" / "t.yaml").write_text(
        "pack: t\ninclude: [../base/generic.yaml]\ntemplate:\n  tables:\n    表1: {title: 收入表}\n",
        encoding="utf-8")
    packs = load_packs(tmp_path)
    assert [p.name for p in packs.packs] == ["generic", "t"]
    assert packs.pack("t").includes == ("generic",)
    from auditor.batch.worker import rules_payload

    assert sorted(rules_payload(tmp_path)["files"]) == ["base/generic.yaml", "national/t.yaml"]
