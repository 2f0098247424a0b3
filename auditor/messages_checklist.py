"""The catalogue entries of the checklist families (codes, consistency, sentences,
typography, pages) and of ``audit rules``' family table; merged into
``messages.MESSAGES``."""

CHECKLIST_MESSAGES: dict[str, dict[str, str]] = {
    "col.family": {"zh": "规则族", "en": "family"},
    "col.families": {"zh": "规则族（--select / --ignore）", "en": "Rule families (--select / --ignore)"},
    "col.rules": {"zh": "规则数", "en": "rules"},
    "families.off": {"zh": "未选用", "en": "off"},
    # sentences
    "finding.slot.empty-reason": {"zh": "原因或用途未填写：“{text}”后没有内容",
                                  "en": "a reason or purpose left empty: nothing follows “{text}”"},
    "finding.slot.alternatives": {"zh": "模板选项未删除：“{text}”",
                                  "en": "the template's alternatives left in: “{text}”"},
    "finding.slot.empty-list": {"zh": "“{text}”后未列明任何内容",
                                "en": "a list that names nothing: “{text}”"},
    "finding.slot.blank-amount": {"zh": "金额或比率未填写：“{text}”",
                                  "en": "an amount or rate left out: “{text}”"},
    "finding.slot.other": {"zh": "语句未完成（{name}）：“{text}”",
                           "en": "an unfinished sentence ({name}): “{text}”"},
    # typography
    "finding.punct.doubled": {"zh": "标点重复：“{text}”", "en": "doubled punctuation: “{text}”"},
    "finding.punct.unbalanced": {"zh": "“{mark}”没有对应的“{pair}”",
                                 "en": "“{mark}” without its “{pair}”"},
    "finding.punct.unended": {"zh": "段落末尾缺少句末标点：“…{tail}”",
                              "en": "a paragraph ends without a sentence end: “…{tail}”"},
    # pages
    "finding.page.blank": {"zh": "第 {page} 页为空白页（无任何文字：空页，或图片页而无文字层）",
                           "en": "page {page} is blank (no text at all: an empty page, or an image "
                                 "without a text layer)"},
    "finding.page.unreadable": {"zh": "第 {page} 页文字无法读取：{why}",
                                "en": "page {page}: its text cannot be read: {why}"},
    "finding.page.glyphs": {"zh": "第 {page} 页有无法显示的字符（缺字形）：“{text}”",
                            "en": "page {page} holds characters that do not display (missing glyphs): “{text}”"},
    "finding.page.empty_table": {"zh": "{table}（{title}，第 {page} 页）为空表且未说明原因",
                                 "en": "{table} ({title}, page {page}) is printed empty without a sentence "
                                       "saying why"},
    # consistency
    "finding.year_label": {"zh": "比较基期年度有误：{doc_year}年{kind}写作“{label}”（应为 {expected} 年）",
                           "en": "the year of a comparison does not fit a {doc_year} {kind}: “{label}” "
                                 "(the base is {expected})"},
    "finding.document_words": {"zh": "文档类型用语不符：{kind}中写作“{text}”（{words}）",
                               "en": "the other document kind's words in a {kind}: “{text}” ({words})"},
    "finding.amount_twice": {"zh": "同一事项金额前后不一致：“{item}”先列 {first}万元，后列 {second}万元",
                             "en": "one item states two amounts: “{item}” {first} then {second} (万元)"},
    # codes
    "finding.code.renamed": {
        "zh": "{where}：科目 {code} 的名称“{name}”为 {until} 年及以前的旧名称，{year} 年应为“{current}”",
        "en": "{where}: “{name}” is the name of subject {code} until {until}; in {year} it is “{current}”"},
    "finding.code.other_code": {
        "zh": "{where}：科目编码 {code} 与名称“{name}”不符（该名称为科目 {other} 的名称；{code} 为“{current}”）",
        "en": "{where}: code {code} and name “{name}” disagree (the name is subject {other}'s; "
              "{code} is “{current}”)"},
    "finding.code.unknown": {
        "zh": "{where}：编码 {code}（“{name}”）不是 {year} 年政府收支分类科目的编码，疑为编码印错（名称对应科目 {other}）",
        "en": "{where}: {code} (“{name}”) is no subject code of {year}: a misprinted code? (the name is "
              "subject {other}'s)"},
    "finding.code.unknown_any_year": {
        "zh": "{where}：编码 {code}（“{name}”）不是任何年度政府收支分类科目的编码，疑为编码印错（名称对应科目 {other}）",
        "en": "{where}: {code} (“{name}”) is no subject code of any year: a misprinted code? (the name is "
              "subject {other}'s)"},
}
