"""A pack that defers (``defers: true``, the national layer) gives way to the template's
own rules on the same sentence: a slip is reported once, under the template's rule, and
the layer's instance is skipped saying which rule judged it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from auditor.engine import run
from auditor.model import Document
from auditor.packs import load_packs

LAYER = """pack: layer
defers: true
rules:
  - id: layer.change
    kind: change
    match: (?P<cur>{AMT})万元，比上年(?P<dir>增加|减少)(?P<delta>{AMT})万元，(?P<rate>增长|下降)(?P<pct>{PCT})%
    current: $cur
    delta: $delta
    pct: $pct
    direction: $dir
    rate_word: $rate
  - id: layer.parts
    kind: sum
    match: (?P<t>{AMT})万元，其中：(?P<items>[^。]*)。
    total: $t
    partial: true
    parts: [{findall: items, pattern: "(?P<a>{AMT})万元", value: a}]
  - id: layer.share
    kind: shares
    match: (?P<items>(?:[^。；]*?{AMT}万元，占{PCT}%；?){2,})
    items: {findall: items, pattern: "(?P<a>{AMT})万元，占(?P<p>{PCT})%", part: a, pct: p}
"""

OVERLAY = """pack: overlay
include: [layer.yaml]
rules:
  - id: ov.parts
    kind: sum
    match: 项目(?P<t>{AMT})万元，其中：(?P<items>[^。]*)。
    total: $t
    partial: true
    parts: [{findall: items, pattern: "(?P<a>{AMT})万元", value: a}]
  - id: ov.share
    kind: share
    match: 甲(?P<a>{AMT})万元，占(?P<p>{PCT})%
    pct: $p
    part: $a
    whole: 100
  - id: ov.basic-change
    kind: change
    match: 基本支出(?P<cur>{AMT})万元，比上年(?P<dir>增加|减少)(?P<delta>{AMT})万元，(?P<rate>增长|下降)(?P<pct>{PCT})%
    current: $cur
    delta: $delta
    pct: $pct
    direction: $dir
    rate_word: $rate
"""

NARRATIVE = ("项目100.00万元，其中：A 60.00万元，B 30.00万元。"
             "基本支出2,279.34万元，比上年增加151.63万元，增长7.31%。"  # wrong: 7.13%
             "项目支出100.00万元，比上年增加10.00万元，增长12.0%。"  # wrong: 11.1%, the layer's alone
             "其中：甲50.00万元，占50.0%；乙50.00万元，占50.0%。"
             "其中：丙50.00万元，占50.0%；丁50.00万元，占50.0%。")


def _run(tmp_path: Path, *files: tuple[str, str]):
    for name, text in files:
        (tmp_path / name).write_text(text, encoding="utf-8")
    packs = load_packs(tmp_path)
    rules = [r for r in packs.rules if r.pack == "overlay"] + [r for r in packs.rules if r.pack == "layer"]
    return run(Document.from_dict({"narrative": NARRATIVE}), rules)


def test_the_layer_gives_way_to_the_template_rule_on_the_same_sentence(tmp_path):
    findings, outcomes = _run(tmp_path, ("layer.yaml", LAYER), ("overlay.yaml", OVERLAY))
    assert sorted((f.rule, f.actual) for f in findings if f.severity == "error") == [
        ("layer.change", Decimal("12.0")), ("ov.basic-change", Decimal("7.31"))]
    by = {o.rule: o for o in outcomes}
    assert (by["layer.change"].evaluated, by["layer.change"].skipped) == (1, 1)
    assert by["layer.change"].skip_reasons[0].startswith("the same sentence is judged by ov.basic-change")
    # an item of a list of shares whose figures the template's share judged gives way too (share
    # and shares are one group): 甲's; 乙 and the other list's two items are judged
    assert (by["layer.share"].evaluated, by["layer.share"].skipped) == (3, 1)
    assert by["layer.share"].skip_reasons[0].startswith("the same sentence is judged by ov.share")
    # a partial sum that passes claims its figures too: the layer's sum of the same line gives way
    assert (by["ov.parts"].evaluated, by["layer.parts"].evaluated, by["layer.parts"].skipped) == (1, 0, 1)
    assert by["layer.parts"].skip_reasons == ("the same sentence is judged by ov.parts",)
    # outcomes keep the rules' order although the deferring rules run last
    assert [o.rule for o in outcomes] == ["ov.parts", "ov.share", "ov.basic-change", "layer.change",
                                          "layer.parts", "layer.share"]


def test_without_defers_both_rules_report(tmp_path):
    findings, _ = _run(tmp_path, ("layer.yaml", LAYER.replace("defers: true\n", "")),
                       ("overlay.yaml", OVERLAY))
    assert sorted(f.rule for f in findings if f.severity == "error") == [
        "layer.change", "layer.change", "ov.basic-change"]
