"""The sentence vocabulary (auditor/sentences.py, rules/vocabulary/sentences.yaml):
every fragment matches its examples and none of its counter-examples, packs name
fragments as {vocab:NAME} (an unknown name is refused where it is written), and
the change words are written once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.checks import change, comparison
from auditor.checks.patterns import expand_pattern
from auditor.sentences import VocabularyError, load_sentences, sentences, words

ROOT = Path(__file__).resolve().parents[1]
VOCAB = sentences()

WORDS = """\
words: {up: [增加, 增长], down: [减少, 下降], flat: [持平], above: [大于], below: [小于], equal: [等于]}
"""


@pytest.mark.parametrize("name", sorted(VOCAB.fragments))
def test_a_fragment_matches_its_examples_and_none_of_its_counter_examples(name):
    frag = VOCAB.fragments[name]
    rx = VOCAB.regex(name)
    assert frag.examples
    for e in frag.examples:
        assert rx.fullmatch(e), f"{name}: example {e!r} does not match {rx.pattern}"
    for e in frag.counter_examples:
        assert not rx.fullmatch(e), f"{name}: counter-example {e!r} matches {rx.pattern}"


def test_the_shipped_vocabulary_has_no_problem_and_a_wrong_example_is_one():
    assert VOCAB.problems() == []
    bad = load_sentences(WORDS + """\
fragments:
  change:
    description: d
    words: [增加, 减少]
    examples: [增加, 增长]
    counter_examples: [下降, 减少]
""")
    assert bad.problems() == ["change: example '增长' does not match", "change: counter-example '减少' matches"]


def test_every_word_a_change_fragment_captures_is_one_the_change_kind_reads():
    for name in ("change", "change-or-flat", "rate", "rate-variants"):
        for w in re.findall(r"[\u4e00-\u9fff]+", VOCAB.fragments[name].source):
            assert change.word_sign(w) is not None, (name, w)
    assert [change.word_sign(w) for w in ("增加", "减少", "持平", "增长", "下降", "增幅", "降幅")] == [1, -1, 0, 1, -1, 1, -1]
    for w in re.findall(r"[\u4e00-\u9fff]+", VOCAB.fragments["compare"].source):
        assert comparison.word_sign(w) is not None, w
    assert [comparison.word_sign(w) for w in ("大于", "小于", "持平", "等于")] == [1, -1, 0, 0]


def test_the_kinds_read_their_words_from_the_vocabulary():
    assert (change.UP, change.DOWN, change.FLAT) == (words("up"), words("down"), words("flat"))
    assert (comparison.ABOVE, comparison.BELOW, comparison.EQUAL) == (words("above"), words("below"), words("equal"))
    assert "增幅" in change.UP and "降幅" in change.DOWN and "未达到" in comparison.BELOW


def test_a_name_expands_to_a_group_of_its_words_and_fragments_nest():
    assert expand_pattern("(?P<dir>{vocab:change})") == "(?P<dir>(?:增加|减少))"
    assert expand_pattern("(?P<rate>{vocab:rate}|减少)") == "(?P<rate>(?:增长|下降)|减少)"
    rx = re.compile(expand_pattern("比上年(?P<dir>{vocab:change}){AMT}万元，(?P<rate>{vocab:rate-variants}){PCT}%"))
    m = rx.fullmatch("比上年减少134万元，降幅0.66%")
    assert m and (m["dir"], m["rate"]) == ("减少", "降幅")
    assert rx.fullmatch("比上年增长134万元，降幅0.66%") is None
    clause = expand_pattern("{vocab:change-clause}")
    assert "{vocab:" not in clause and "{AMT}" not in clause
    assert re.fullmatch(clause, "与上年相比增加21.8万元，增长0.06%")


def test_an_unknown_name_raises_naming_the_known_ones():
    with pytest.raises(VocabularyError, match=r"unknown sentence vocabulary name \{vocab:chnage\} "
                                              r"\(did you mean \{vocab:change\}\?\)"):
        expand_pattern("(?P<dir>{vocab:chnage})")


def test_a_pack_naming_an_unknown_fragment_is_refused_where_it_is_written():
    from auditor.errors import PackError
    from auditor.packs import load_pack_text

    text = ("rules:\n"
            "  - id: t.a\n"
            "    kind: change\n"
            "    match: 比上年(?P<dir>{vocab:change})(?P<delta>{AMT})万元\n"
            "    current: 1\n"
            "    delta: $delta\n"
            "    direction: $dir\n"
            "  - id: t.b\n"
            "    kind: change\n"
            "    match: 比上年(?P<dir>{vocab:chnage})(?P<delta>{AMT})万元\n"
            "    current: 1\n"
            "    delta: $delta\n"
            "    direction: $dir\n")
    with pytest.raises(PackError) as e:
        load_pack_text(text, "p.yaml")
    errors = e.value.errors
    assert len(errors) == 1
    assert errors[0].startswith("p.yaml:10:") and "{vocab:chnage}" in errors[0] and "{vocab:change}?" in errors[0]
    assert len(load_pack_text(text.replace("chnage", "change"), "p.yaml").rules) == 2


def test_an_unknown_fragment_in_a_findall_pattern_is_refused_where_it_is_written():
    from auditor.errors import PackError
    from auditor.packs import load_pack_text

    text = ("rules:\n"
            "  - id: t.s\n"
            "    kind: sum\n"
            "    match: 合计(?P<total>{AMT})万元，其中(?P<list>[^。]*)\n"
            "    total: $total\n"
            "    parts:\n"
            "      - {findall: list, pattern: '(?P<dir>{vocab:chang})(?P<amt>{AMT})万元', value: amt}\n")
    with pytest.raises(PackError) as e:
        load_pack_text(text, "p.yaml")
    assert len(e.value.errors) == 1
    assert e.value.errors[0].startswith("p.yaml:7:") and "{vocab:chang}" in e.value.errors[0]
    assert load_pack_text(text.replace("chang}", "change}"), "p.yaml").rules


@pytest.mark.parametrize("text, message", [
    (WORDS + "fragments:\n  x: {description: d, words: [增加, 涨], examples: [增加]}\n",
     "fragments/x/words: 涨 in no group of words"),
    (WORDS + "fragments:\n  x: {description: d, pattern: '(?P<dir>增加)', examples: [增加]}\n",
     "fragments/x: a fragment has no named group"),
    (WORDS + "fragments:\n  x: {description: d, pattern: 'a{vocab:x}', examples: [a]}\n",
     "refers to itself"),
    (WORDS + "fragments:\n  x: {description: d, pattern: '{AMOUNT}万元', examples: [1万元]}\n",
     "fragments/x/pattern: unknown placeholder {AMOUNT}"),
    (WORDS + "fragments:\n  x: {description: d, pattern: '(', examples: [a]}\n",
     "fragments/x: bad regular expression"),
    (WORDS + "fragments:\n  x: {description: d, pattern: a, words: [增加], examples: [a]}\n",
     "fragments/x"),
    ("words: {up: [增加]}\nfragments:\n  x: {description: d, words: [增加], examples: [增加]}\n",
     "words: 'down' is a required property"),
])
def test_a_vocabulary_error_names_the_fragment(text, message):
    with pytest.raises(ValueError) as e:
        load_sentences(text, "s.yaml")
    assert str(e.value).startswith("s.yaml: ") and message in str(e.value)


PACK_FILES = [p for p in (ROOT / "rules").rglob("*.yaml") if "vocabulary" not in p.parts]


def test_the_change_words_are_written_once():
    """No pack spells out an alternation of change words the vocabulary names."""
    spelled = re.compile(r"\(\?(?:P<\w+>|:)(?:增加\|减少|增长\|下降|大于\|小于)")
    hits = [f"{p.name}:{i}" for p in sorted(PACK_FILES)
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if spelled.search(line)]
    assert hits == []
    used = {m for p in PACK_FILES
            for m in re.findall(r"\{vocab:([\w-]+)\}", p.read_text(encoding="utf-8"))}
    assert used == {"change", "change-or-flat", "rate", "rate-variants", "compare", "since-last-year",
                    "change-clause"}


def test_the_checklist_finds_alternatives_and_blank_amounts_with_the_vocabulary_words():
    from auditor.checks import sentence_slots
    from auditor.checks.wording import compile_patterns

    rx = compile_patterns(None, sentence_slots.DEFAULT_PATTERNS)
    assert [m[0] for m in rx["alternatives"].finditer("增加（减少）0万元，增长（减少）0%，下降（增长）27.78%，高于（低于）")] \
        == ["增加（减少）", "增长（减少）", "下降（增长）", "高于（低于）"]
    assert rx["alternatives"].search("增幅（降幅）") is None  # not offered as alternatives by any template
    assert [m[0] for m in rx["blank-amount"].finditer("比上年增加万元，增长%。安排万元；减少10万元，")] == ["增加万元", "增长%", "安排万元"]
