"""Rule packs: malformed packs are reported at file:line:col; valid ones load and select."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from auditor.errors import PackError
from auditor.model import Document
from auditor.packs import load_pack_text, load_packs

REPO_RULES = Path(__file__).resolve().parents[1] / "rules"


def write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return p


def error_of(target) -> PackError:
    with pytest.raises(PackError) as info:
        load_packs(target)
    return info.value


def test_yaml_syntax_error(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", """
        pack: a
        rules:
          - id: a.one
            kind: equal
            value: [unclosed
            equals: 1
        """)
    e = error_of(p)
    assert str(e).startswith(f"{p}:6:11: YAML syntax error:")
    assert (e.line, e.col) == (6, 11)


def test_unknown_key_suggests_the_closest(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", """
        pack: a
        rules:
          - id: a.restate
            kind: restate-table
            table: 表3
            source: 表5
            colums: {合计: 合计}
        """)
    e = error_of(p)
    assert str(e).startswith(f"{p}:7:5: unknown key 'colums' (did you mean 'columns'?)")


def test_unknown_top_level_key(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", """
        pack: a
        rule:
          - {id: a.h, kind: hierarchy}
        """)
    assert str(error_of(p)).startswith(f"{p}:2:1: unknown key 'rule' (did you mean 'rules'?)")


def test_wrong_type(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", """
        pack: a
        rules:
          - id: a.sum
            kind: sum
            total: 表5[总计][合计]
            parts: 表5[208][合计]
        """)
    assert str(error_of(p)).startswith(f"{p}:6:12: 'parts' must be a list, not a string")


def test_wrong_enum_and_missing_required(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", """
        pack: a
        rules:
          - id: a.eq
            kind: equal
            severity: fatal
            value: 表1[收入总计]
        """)
    e = error_of(p)
    assert str(e).startswith(f"{p}:3:5: missing required key 'equals'")
    assert f"{p}:5:15: 'severity' must be one of error, warning, note, not 'fatal'" in str(e)
    assert len(e.errors) == 2  # type: ignore[attr-defined]


def test_unknown_kind_lists_the_known_kinds(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", """
        pack: a
        rules:
          - id: a.s
            kind: sums
            total: 1
        """)
    msg = str(error_of(p))
    assert msg.startswith(f"{p}:4:11: unknown kind 'sums' (did you mean 'sum'? known kinds: amount-twice, at-most, change,")
    assert "table-present, total-row, year-labels)" in msg


def test_duplicate_rule_id_across_packs(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", """
        pack: a
        rules:
          - {id: same.id, kind: hierarchy}
        """)
    b = write(tmp_path, "b.yaml", """
        pack: b
        rules:
          - kind: total-row
            id: same.id
        """)
    msg = str(error_of(tmp_path))
    assert msg.startswith(f"{b}:4:9: duplicate rule id 'same.id' (first defined at {tmp_path / 'a.yaml'}:3:10)")


def test_duplicate_key_in_a_mapping(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", """
        pack: a
        rules:
          - id: a.h
            kind: hierarchy
            kind: total-row
        """)
    assert str(error_of(p)).startswith(f"{p}:5:5: duplicate key 'kind'")


def test_circular_include(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", """
        pack: a
        include: [b.yaml]
        """)
    b = write(tmp_path, "b.yaml", """
        pack: b
        description: includes a
        include:
          - a.yaml
        """)
    msg = str(error_of(a))
    assert msg.startswith(f"{b}:4:5: circular include: a.yaml → b.yaml → a.yaml")


def test_include_outside_the_folder(tmp_path: Path) -> None:
    write(tmp_path, "other.yaml", "pack: other\n")
    p = write(tmp_path, "rules/a.yaml", """
        pack: a
        include: [generic.yaml, ../other.yaml]
        """)
    write(tmp_path, "rules/generic.yaml", "pack: generic\n")
    msg = str(error_of(p))
    assert msg.startswith(f"{p}:2:25: include '../other.yaml' is outside the pack's folder")


def test_include_that_does_not_exist(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", "pack: a\ninclude: [nope.yaml]\n")
    assert str(error_of(p)).startswith(f"{p}:2:11: include 'nope.yaml': no such pack")


def test_bad_regex_in_match(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", """
        pack: a
        rules:
          - id: a.n
            kind: equal
            match: 收支总预算(?P<amount>{AMT}万元
            value: $amount
            equals: 表1[收入总计]
        """)
    msg = str(error_of(p))
    assert msg.startswith(f"{p}:5:12: bad regular expression in match: missing ), unterminated subpattern")


def test_bad_reference_syntax(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", """
        pack: a
        rules:
          - id: a.e
            kind: equal
            value: 表1[收入总计
            equals: 表1[支出总计]
        """)
    assert str(error_of(p)).startswith(f"{p}:5:12: bad reference '表1[收入总计': unbalanced brackets")


def test_unknown_capture_and_placeholder(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", """
        pack: a
        rules:
          - id: a.e
            kind: equal
            match: 收支总预算(?P<amount>{AMT})万元
            value: $amout
            equals: 表1[{nme}]
        """)
    e = error_of(p)
    assert str(e).startswith(f"{p}:6:12: unknown capture $amout (match groups: amount)")
    assert f"{p}:7:13: unknown placeholder {{nme}} (for-variables and captures: amount, issuer, year)" in str(e)


def test_a_capture_named_by_a_for_variable_is_checked_for_each_value(tmp_path: Path) -> None:
    good = """
        pack: a
        rules:
          - id: a.e
            kind: equal
            for: [{class: a}, {class: b}]
            match: 甲(?P<held_a>{AMT})乙(?P<held_b>{AMT})丙(?P<plan_a>{AMT})丁(?P<plan_b>{AMT})
            value: $plan_{class}
            equals: $held_{class}
        """
    rules = load_packs(write(tmp_path / "good", "a.yaml", good)).rules
    assert [r.id for r in rules] == ["a.e"]
    p = write(tmp_path / "bad", "a.yaml", good.replace("{class: b}", "{class: c}"))
    e = error_of(p)
    # only the assignment that names no capture is an error, once per field
    assert str(e).splitlines() == [
        f"{p}:7:12: unknown capture $plan_c (match groups: class, held_a, held_b, plan_a, plan_b)",
        f"{p}:8:13: unknown capture $held_c (match groups: class, held_a, held_b, plan_a, plan_b)",
    ]


def test_findall_groups_are_checked(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", """
        pack: a
        rules:
          - id: a.s
            kind: sum
            match: 规模(?P<total>{AMT})万元(?P<list>.*?)。
            total: $total
            parts:
              - {findall: list, pattern: "(?P<amount>{AMT})万元", value: amt}
        """)
    assert str(error_of(p)).startswith(f"{p}:8:64: no group 'amt' in pattern")


def test_findall_with_an_unknown_key(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", """
        pack: a
        rules:
          - id: a.s
            kind: sum
            match: 规模(?P<total>{AMT})万元(?P<list>.*?)。
            total: $total
            parts:
              - findall: list
                pattern: "(?P<amount>{AMT})万元"
                value: amount
                negate: {dir: 减少}
        """)
    assert str(error_of(p)).startswith(f"{p}:11:9: unknown key 'negate' (did you mean 'negate_if'?)")


def test_empty_pack_and_non_mapping(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", "# nothing\n")
    assert str(error_of(p)).startswith(f"{p}:1:1: empty pack")
    q = write(tmp_path, "b.yaml", "- just\n- a list\n")
    assert str(error_of(q)).startswith(f"{q}:1:1: a pack is a mapping")


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    p = write(tmp_path, "a.yaml", """
        pack: a
        description: !!python/object/apply:os.system ["echo hacked"]
        """)
    assert str(error_of(p)).startswith(
        f"{p}:2:14: YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed")


# ------------------------------------------------------------------ valid packs


def test_the_repository_packs_load() -> None:
    packs = load_packs(REPO_RULES)
    generic = packs.pack("generic")
    assert generic is not None and generic.template is None
    assert {r.kind for r in generic.rules} == {"hierarchy", "total-row", "column-sum"}
    assert len({r.id for r in packs.rules}) == len(packs.rules)


def _doc(titles: dict[str, str], narrative: str = "") -> Document:
    return Document.from_dict({
        "tables": [{"id": tid, "title": title, "columns": ["合计"], "rows": [["总计", "", "1.00"]]}
                   for tid, title in titles.items()],
        "narrative": narrative,
    })


def _template_folder(tmp_path: Path) -> Path:
    write(tmp_path, "generic.yaml", """
        pack: generic
        base: true
        rules:
          - {id: g.h, kind: hierarchy}
        """)
    write(tmp_path, "t-narrative.yaml", """
        pack: t-narrative
        rules:
          - {id: tn.total, kind: equal, match: "收支总预算(?P<x>{AMT})万元", value: $x, equals: "表1[总计]"}
        """)
    write(tmp_path, "t.yaml", """
        pack: t
        include: [generic.yaml, t-narrative.yaml]
        template:
          signals: [单位预算公开]
          tables:
            表1: {title: 单位收支总体情况表}
            表2: {title: 单位收入总体情况表}
            表3: {title: 单位支出总体情况表}
            表4: {title: 财政拨款收支预算总体情况表}
        rules:
          - {id: t.present, kind: table-present}
        """)
    return tmp_path


def test_select_the_template_with_half_its_tables(tmp_path: Path) -> None:
    packs = load_packs(_template_folder(tmp_path))
    doc = _doc({"表1": "单位收支总体情况表", "表3": "单位支出总体情况表"}, "2026年单位预算公开")
    name, rules = packs.select(doc)
    assert name == "t"
    assert [r.id for r in rules] == ["g.h", "tn.total", "t.present"]


def test_select_generic_when_no_template_matches(tmp_path: Path) -> None:
    packs = load_packs(_template_folder(tmp_path))
    too_few = _doc({"表1": "单位收支总体情况表"}, "单位预算公开")
    assert packs.select(too_few)[0] is None
    no_signal = _doc({"表1": "单位收支总体情况表", "表2": "单位收入总体情况表"}, "部门决算")
    name, rules = packs.select(no_signal)
    # the base pack only: the template's narrative pack does not speak for another document
    assert name is None and [r.id for r in rules] == ["g.h"]


def test_a_template_matches_only_with_the_tables_it_requires(tmp_path: Path) -> None:
    folder = _template_folder(tmp_path)
    text = (folder / "t.yaml").read_text(encoding="utf-8")
    (folder / "t.yaml").write_text(text.replace("signals: [单位预算公开]",
                                                "signals: [单位预算公开]\n  requires: [表4]"),
                                   encoding="utf-8")
    packs = load_packs(folder)
    three = {"表1": "单位收支总体情况表", "表2": "单位收入总体情况表", "表3": "单位支出总体情况表"}
    assert packs.select(_doc(three, "2026年单位预算公开"))[0] is None
    assert packs.select(_doc({**three, "表4": "财政拨款收支预算总体情况表"}, "2026年单位预算公开"))[0] == "t"


def test_requires_names_a_table_of_the_template(tmp_path: Path) -> None:
    p = write(tmp_path, "t.yaml", """
        pack: t
        template:
          requires: [表9]
          tables:
            表1: {title: 收支总表}
        rules: []
        """)
    e = error_of(tmp_path)
    assert f"{p}:3:14: '表9' is not a table of this template" in str(e)


def test_for_list_and_product(tmp_path: Path) -> None:
    packs = load_pack_text(textwrap.dedent("""
        pack: a
        rules:
          - id: a.prod
            kind: equal
            for: {t: [表3, 表5], c: [合计, 基本支出]}
            value: "{t}[总计][{c}]"
            equals: 1
          - id: a.list
            kind: equal
            for: [{econ: "30108", func: "2080505"}, {econ: 30109, func: 2080506}]
            value: 表6[{econ}]
            equals: 表5[{func}]
        """))
    prod, pairs = packs.rules
    assert len(prod.combinations()) == 4
    assert pairs.combinations() == [{"econ": "30108", "func": "2080505"},
                                    {"econ": "30109", "func": "2080506"}]
    assert pairs.source == "<string>:9:5"


def test_numbers_in_packs_are_never_floats() -> None:
    packs = load_pack_text("pack: a\nrules:\n  - {id: a.e, kind: equal, value: '表1[收入总计]', equals: 3599.70}\n")
    from decimal import Decimal

    assert packs.rules[0].params["equals"] == Decimal("3599.70")
    assert str(packs.rules[0].params["equals"]) == "3599.70"


def test_rules_for(tmp_path: Path) -> None:
    packs = load_packs(_template_folder(tmp_path))
    assert [r.id for r in packs.rules_for(None)] == ["g.h", "tn.total", "t.present"]
    assert [r.id for r in packs.rules_for("t")] == ["g.h", "tn.total", "t.present"]
    assert [r.id for r in packs.rules_for("generic")] == ["g.h"]
    assert packs.rules_for("nope") == []
    assert packs.rule("t.present").source == f"{tmp_path / 't.yaml'}:11:5"


def test_issuer_pack_applies_on_top_of_its_template_when_its_signals_appear(tmp_path: Path) -> None:
    folder = _template_folder(tmp_path)
    write(folder, "unit.yaml", """
        pack: unit
        applies_to: {template: t, signals: [某某中心]}
        rules:
          - {id: u.one, kind: table-present, tables: [表1]}
        """)
    packs = load_packs(folder)
    mine = _doc({"表1": "单位收支总体情况表", "表3": "单位支出总体情况表"}, "某某中心2026年单位预算公开")
    other = _doc({"表1": "单位收支总体情况表", "表3": "单位支出总体情况表"}, "别的单位2026年单位预算公开")
    assert [r.id for r in packs.select(mine)[1]] == ["g.h", "tn.total", "t.present", "u.one"]
    assert [r.id for r in packs.select(other)[1]] == ["g.h", "tn.total", "t.present"]
    # an issuer pack is never a generic pack
    nothing = _doc({"表9": "别的表"}, "某某中心")
    assert [r.id for r in packs.select(nothing)[1]] == ["g.h"]


def test_issuer_pack_naming_an_unknown_template(tmp_path: Path) -> None:
    folder = _template_folder(tmp_path)
    p = write(folder, "unit.yaml", """
        pack: unit
        applies_to:
          template: nosuch
          signals: [某某中心]
        rules: []
        """)
    e = error_of(folder)
    assert f"{p}:3:13: unknown template 'nosuch'" in str(e)


def test_align_renames_tables_to_the_template_ids_by_title_and_alias() -> None:
    """PackSet.align: unnumbered titles (2017 Jiangsu, Shanghai) and other wordings
    (aliases) get the template's ids; a table printed under a template id whose
    title is not that id's keeps a distinct id; issues follow their table."""
    packs = load_pack_text(textwrap.dedent("""
        pack: t
        template:
          tables:
            公开01表: {title: 收支预算总表}
            公开09表: {title: “三公”经费、会议费、培训费支出预算表, aliases: [经费、会议费、培训费支出预算表]}
            公开10表: {title: 政府性基金支出预算表, aliases: [政府性基金预算财政拨款支出预算表]}
        rules:
          - {id: t.eq, kind: equal, value: "公开10表[总计]", equals: "公开01表[总计]"}
        """))
    doc = Document.from_dict({
        "tables": [
            {"id": "收支预算总表", "title": "2017年度某部门收支预算总表", "columns": ["合计"],
             "rows": [["总计", "", "5.00"]]},
            {"id": "公开09表", "title": "一般公共预算“三公”经费、会议费、培训费支出预算表", "columns": ["合计"],
             "rows": [["总计", "", "2.00"]]},
            {"id": "公开01表", "title": "政府性基金预算财政拨款支出预算表", "columns": ["合计"],
             "rows": [["总计", "", "5.00"]]},
        ],
        "issues": [{"code": "cell-unreadable", "message": "x", "page": 1, "table": "公开01表"}],
    })
    name, rules = packs.select(doc)
    assert name == "t"
    aligned = packs.align(doc, name)
    assert [t.id for t in aligned.tables] == ["公开01表", "公开09表", "公开10表"]
    assert aligned.table("公开10表").title == "政府性基金预算财政拨款支出预算表"
    assert [i.table for i in aligned.issues] == ["公开10表"]
    assert packs.align(doc, None) is doc  # no template: unchanged


# Every reference field of every relation kind is checked when the pack loads: a
# capture the rule's pattern does not have is an error at that field's line and column.
_BASE = {
    "equal": {"value": "$ok", "equals": "表1[合计]"},
    "at-most": {"value": "$ok", "limit": "表1[合计]"},
    "share": {"pct": "$ok", "part": "$ok", "whole": "表1[合计]"},
    "change": {"current": "$ok", "delta": "$ok", "pct": "$ok", "direction": "增加", "rate_word": "增长",
               "line": "表1[合计]", "previous": "prev:表1[合计]"},
    "comparison": {"actual": "$ok", "budget": "表1[合计]", "word": "大于", "pct": "$ok"},
    "formula": {"value": "$ok", "expr": "a", "vars": {"a": "表1[合计]"}},
    "sum": {"total": "$ok", "parts": ["表1[合计]"]},
}
_FIELDS = [(kind, field) for kind, params in _BASE.items() for field in params
           if field not in ("expr", "parts", "vars")] + [("formula", "vars.a"), ("sum", "parts.0")]


@pytest.mark.parametrize("kind, field", _FIELDS, ids=[f"{k}.{f}" for k, f in _FIELDS])
def test_every_reference_field_is_checked(kind: str, field: str) -> None:
    params = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v)
              for k, v in _BASE[kind].items()}
    bad = "prev:$nope" if field == "previous" else "$nope"
    if field == "vars.a":
        params["vars"]["a"] = bad
    elif field == "parts.0":
        params["parts"][0] = bad
    else:
        params[field] = bad
    lines = ["pack: a", "rules:", "  - id: a.r", f"    kind: {kind}", "    match: 甲(?P<ok>{AMT})"]
    for k, v in params.items():
        if isinstance(v, dict):
            lines += [f"    {k}:"] + [f"      {kk}: {vv}" for kk, vv in v.items()]
        elif isinstance(v, list):
            lines += [f"    {k}:"] + [f"      - {vv}" for vv in v]
        else:
            lines.append(f"    {k}: {v}")
    text = "\n".join(lines) + "\n"
    line = next(i for i, ln in enumerate(lines, 1) if bad in ln)
    col = lines[line - 1].index(bad) + 1
    with pytest.raises(PackError) as info:
        load_pack_text(text, "p.yaml")
    assert str(info.value).startswith(f"p.yaml:{line}:{col}: unknown capture $nope (match groups: ok)"), str(info.value)


def test_previous_must_name_last_years_figure() -> None:
    text = textwrap.dedent("""
        pack: a
        rules:
          - id: a.r
            kind: change
            match: 甲(?P<ok>{AMT})
            current: $ok
            direction: 增加
            previous: 表1[合计]
        """).lstrip("\n")
    with pytest.raises(PackError) as info:
        load_pack_text(text, "p.yaml")
    assert str(info.value).startswith(
        "p.yaml:8:15: previous '表1[合计]' must name last year's figure: prev:REF"), str(info.value)


@pytest.mark.parametrize("where", ["total", "part"])
def test_a_signed_reference_is_checked_where_it_is_written(where: str) -> None:
    cases = [("{ref: $nope, negate_if: {dir: 减少}}", "$nope", "unknown capture $nope (match groups: d, dir)"),
             ("{ref: $d, negate_if: {zz: 减少}}", "减少}",
              "negate_if: no group 'zz' in match (groups: d, dir, issuer, year)")]
    for bad, token, message in cases:
        total, part = (bad, "$d") if where == "total" else ("$d", bad)
        text = textwrap.dedent(f"""
            pack: a
            rules:
              - id: a.r
                kind: sum
                match: (?P<dir>增加|减少)(?P<d>{{AMT}})
                total: {total}
                parts:
                  - {part}
            """).lstrip("\n")
        line = 6 if where == "total" else 8
        col = text.splitlines()[line - 1].index(token) + 1  # the loader points at the value
        with pytest.raises(PackError) as info:
            load_pack_text(text, "p.yaml")
        assert str(info.value).startswith(f"p.yaml:{line}:{col}: {message}"), str(info.value)


def test_a_text_reference_without_a_pattern_names_no_groups() -> None:
    text = textwrap.dedent("""
        pack: a
        rules:
          - id: a.r
            kind: change
            current: 表1[合计]
            delta: 表1[增减]
            direction: $dir
        """).lstrip("\n")
    with pytest.raises(PackError) as info:
        load_pack_text(text, "p.yaml")
    assert str(info.value).startswith("p.yaml:7:16: unknown capture $dir (match groups: none)"), str(info.value)


def _error_at(text: str, token: str, line_of: str | None = None) -> tuple[str, int, int]:
    """The first error of a pack, and the line and column of ``token`` (on the line holding
    ``line_of``, default the token's own)."""
    lines = text.splitlines()
    line = next(i for i, ln in enumerate(lines, 1) if (line_of or token) in ln)
    col = lines[line - 1].index(token) + 1
    with pytest.raises(PackError) as info:
        load_pack_text(text, "p.yaml")
    return str(info.value), line, col


@pytest.mark.parametrize("part, token, message", [
    ("{findall: $zz, pattern: '(?P<k>{AMT})', value: k}", "$zz", "unknown capture 'zz' (match groups: d, dir)"),
    ("{findall: d, pattern: '(?P<k>[', value: k}", "'(?P<k>['", "bad regular expression: "),
    ("{findall: d, pattern: '(?P<k>{AMT})', value: n}", "n}", "no group 'n' in pattern"),
    ("{findall: d, pattern: '(?P<k>{AMT})', value: k, negate_if: {w: 减少}}", "减少}", "no group 'w' in pattern"),
    ("$nope", "$nope", "unknown capture $nope (match groups: d, dir)"),
])
def test_sum_parts_are_checked_where_they_are_written(part: str, token: str, message: str) -> None:
    text = textwrap.dedent(f"""
        pack: a
        rules:
          - id: a.r
            kind: sum
            match: (?P<dir>增加|减少)(?P<d>{{AMT}})
            total: $d
            parts:
              - {part}
        """).lstrip("\n")
    error, line, col = _error_at(text, token, line_of="      - ")
    assert error.startswith(f"p.yaml:{line}:{col}: {message}"), error


def test_a_findall_without_groups_to_name_says_none() -> None:
    text = textwrap.dedent("""
        pack: a
        rules:
          - id: a.r
            kind: sum
            total: 1
            parts:
              - {findall: zz, pattern: '(?P<k>{AMT})', value: k}
        """).lstrip("\n")
    error, line, col = _error_at(text, "zz")
    assert error.startswith(f"p.yaml:{line}:{col}: unknown capture 'zz' (match groups: none)"), error


@pytest.mark.parametrize("expr, message", [
    ("a +", "bad expression 'a +': invalid syntax"),
    ("a ** 2", "bad expression 'a ** 2': only + - * / ( ) numbers and names"),
    ("a * b", "unknown name 'b' in expression (vars: a, c)"),
])
def test_a_formula_expression_is_checked(expr: str, message: str) -> None:
    text = textwrap.dedent(f"""
        pack: a
        rules:
          - id: a.r
            kind: formula
            value: 表1[合计]
            expr: "{expr}"
            vars: {{a: "表1[甲]", c: "表1[乙]"}}
        """).lstrip("\n")
    error, line, col = _error_at(text, f'"{expr}"')
    assert error.startswith(f"p.yaml:{line}:{col}: {message}"), error


@pytest.mark.parametrize("key", ["total", "covers"])
def test_column_sum_scopes_are_regular_expressions(key: str) -> None:
    scope = {"total": "三公", "covers": "出国"}
    scope[key] = "(["
    text = textwrap.dedent(f"""
        pack: a
        rules:
          - id: a.r
            kind: column-sum
            scopes:
              - {{total: "{scope['total']}", covers: "{scope['covers']}"}}
        """).lstrip("\n")
    error, line, col = _error_at(text, '"(["')
    assert error.startswith(f"p.yaml:{line}:{col}: bad regex '([': "), error


@pytest.mark.parametrize("items, token, message", [
    ("{findall: $zz, pattern: '(?P<a>{AMT})(?P<p>{PCT})', part: a, pct: p}", "$zz",
     "unknown capture 'zz' (match groups: items, t)"),
    ("{findall: $items, pattern: '(?P<a>[', part: a, pct: p}", "'(?P<a>['", "bad regular expression: "),
    ("{findall: items, pattern: '(?P<a>{AMT})(?P<p>{PCT})', part: n, pct: p}", "n,", "no group 'n' in pattern"),
    ("{findall: items, pattern: '(?P<a>{AMT})(?P<p>{PCT})', part: a, pct: q}", "q}", "no group 'q' in pattern"),
    ("{findall: items, pattern: '(?P<a>{AMT})(?P<p>{PCT})', part: a, pct: p, of: w}", "w}",
     "no group 'w' in pattern"),
])
def test_shares_items_are_checked_where_they_are_written(items: str, token: str, message: str) -> None:
    text = textwrap.dedent(f"""
        pack: a
        rules:
          - id: a.r
            kind: shares
            match: 合计(?P<t>{{AMT}})万元(?P<items>.*)
            whole: $t
            items: {items}
        """).lstrip("\n")
    error, line, col = _error_at(text, token, line_of="    items: ")
    assert error.startswith(f"p.yaml:{line}:{col}: {message}"), error


@pytest.mark.parametrize("whole, message", [
    ("$nope", "unknown capture $nope (match groups: items)"),
    ("表9[合计", "bad reference"),
])
def test_shares_whole_is_checked(whole: str, message: str) -> None:
    text = textwrap.dedent(f"""
        pack: a
        rules:
          - id: a.r
            kind: shares
            match: (?P<items>.*)
            whole: "{whole}"
            items: {{findall: items, pattern: '(?P<a>{{AMT}})(?P<p>{{PCT}})', part: a, pct: p}}
        """).lstrip("\n")
    error, line, col = _error_at(text, whole, line_of="    whole: ")
    assert error.startswith(f"p.yaml:{line}:{col - 1}: {message}"), error


def test_shares_without_groups_outside_issuer_and_year_names_none() -> None:
    text = textwrap.dedent("""
        pack: a
        rules:
          - id: a.r
            kind: shares
            match: "{year}年"
            items: {findall: items, pattern: '(?P<a>{AMT})(?P<p>{PCT})', part: a, pct: p}
        """).lstrip("\n")
    error, _, _ = _error_at(text, "items", line_of="    items: ")
    assert ": unknown capture 'items' (match groups: none)" in error, error


@pytest.mark.parametrize("field, value, token, message", [
    ("previous_key", "[name, nme]", "nme", "unknown capture 'nme' (match groups: cur, issuer, name, year)"),
    ("direction", "上涨", "上涨", "'上涨' is neither a capture ($name) nor a direction word (增加/增长/上升/提高/增/增幅/"
                                "减少/下降/降低/减/降幅/减幅/持平/不变/相同/一致)"),
    ("rate_word", "上涨", "上涨", "'上涨' is neither a capture ($name) nor a direction word"),
])
def test_change_keys_and_words_are_checked(field: str, value: str, token: str, message: str) -> None:
    params = {"direction": "增加", "previous": "prev:$cur", field: value}
    text = "\n".join(["pack: a", "rules:", "  - id: a.r", "    kind: change",
                      "    match: (?P<name>{NAME})(?P<cur>{AMT})", "    current: $cur",
                      *(f"    {k}: {v}" for k, v in params.items())]) + "\n"
    error, line, col = _error_at(text, token, line_of=f"    {field}: ")
    assert error.startswith(f"p.yaml:{line}:{col}: {message}"), error


def test_a_section_pattern_is_checked_where_it_is_written() -> None:
    text = textwrap.dedent("""
        pack: a
        rules:
          - id: a.s
            kind: sections-present
            sections:
              概况: 单位概况
              职责: "主要职责(["
        """).lstrip("\n")
    error, line, col = _error_at(text, '"主要职责(["')
    assert error.startswith(f"p.yaml:{line}:{col}: bad regular expression: unterminated character set"), error


def test_every_findall_part_is_checked_after_a_bad_pattern() -> None:
    text = textwrap.dedent("""
        pack: a
        rules:
          - id: a.r
            kind: sum
            match: (?P<d>.+)合计
            total: 1
            parts:
              - {findall: d, pattern: '(?P<k>[', value: k}
              - {findall: d, pattern: '(?P<k>{AMT})', value: n}
        """).lstrip("\\n")
    with pytest.raises(PackError) as info:
        load_pack_text(text, "p.yaml")
    assert "bad regular expression: " in str(info.value)
    assert "no group 'n' in pattern" in str(info.value)


def test_an_unknown_capture_in_a_text_reference_lists_the_groups() -> None:
    text = "\n".join(["pack: a", "rules:", "  - id: a.r", "    kind: change",
                      "    match: (?P<cur>{AMT})(?P<dir>增加)", "    current: $cur",
                      "    direction: $dri"]) + "\n"
    error, line, col = _error_at(text, "$dri")
    assert error.startswith(f"p.yaml:{line}:{col}: unknown capture $dri (match groups: cur, dir)"), error
