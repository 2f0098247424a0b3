"""Every word the reports print, in Chinese and English: ``key → {zh, en}``.

``t(key, lang, **values)`` formats one message; ``default_lang()`` picks
``zh`` when the locale is Chinese (``LC_ALL``, ``LC_MESSAGES`` or ``LANG``
starting with ``zh``), else ``en``.  A key missing a language fails the test
suite (``tests/test_reports.py``), and so does a placeholder present in one
language and not the other.

Finding messages are written by the check kinds (in English).  The hook for
translating them: a catalogue key ``finding.<kind>.<name>`` and, on the
finding, ``message_key`` (that key) and ``message_args`` (its values);
``finding_message`` uses them when both are there and falls back to
``Finding.message`` otherwise.  Nothing else changes when the check kinds
start to set them.
"""

from __future__ import annotations

import os
import re
import string
from typing import Any, Mapping, NamedTuple


class Msg(NamedTuple):
    """A message to render later in the reader's language: a catalogue key and its values.

    Values may themselves be ``Msg`` (a phrase inside a message).
    """

    key: str
    args: Mapping[str, Any] = {}

    def render(self, lang: str = "en") -> str:
        return t(self.key, lang, **{k: _render(v, lang) for k, v in self.args.items()})

    def __str__(self) -> str:
        return self.render("en")


_NARRATIVE_WHERE = re.compile(r"\btext p\.(\d+)")


def _render(value: Any, lang: str) -> Any:
    if isinstance(value, Msg):
        return value.render(lang)
    if isinstance(value, str) and lang != "en":
        # a narrative figure's location, as the check kinds write it
        return _NARRATIVE_WHERE.sub(lambda m: t("where.narrative", lang, page=int(m[1])), value)
    return value

LANGS = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ finding messages (check kinds)
    "finding.relation": {"zh": "{where}：列示 {stated}，{how}为 {expected}{hint}",
                         "en": "{where}: stated {stated}, {how} is {expected}{hint}"},
    "hint.truncated": {"zh": "（列示数是截尾而非四舍五入的结果）",
                       "en": " (the stated figure is truncated, not rounded)"},
    "finding.relation_truncated": {
        "zh": "{where}：列示 {stated}，{how}为 {expected}（截尾所得：本文档的比率按截尾列示，而非四舍五入）",
        "en": "{where}: stated {stated}, {how} is {expected} (cut at the printed decimals: "
              "the document truncates its rates)"},
    "finding.relation_note": {"zh": "{where}：列示 {stated}，{how}为 {expected}（在舍入误差范围内）",
                              "en": "{where}: stated {stated}, {how} is {expected} (within rounding)"},
    "finding.code_misfit": {
        "zh": "{where}：科目编码“{code}”与上下行（{before} … {after}）不相符，应为读取问题，不作为新的类级科目",
        "en": "{where}: the code {code} does not fit the codes around it ({before} … {after}): "
              "a reading problem, not a new class row"},
    "how.sum": {"zh": "{parts} 之和{blank}", "en": "sum of {parts}{blank}"},
    "how.sum_many": {"zh": "{n} 项之和{blank}", "en": "sum of {n} parts{blank}"},
    "how.partial_sum": {"zh": "其中所列{parts}（不应超过总数）", "en": "{parts} (其中: at most the total)"},
    "how.blank": {"zh": "（另有 {n} 个空白）", "en": " ({n} blank)"},
    "how.nothing": {"zh": "（无）", "en": "nothing"},
    "finding.change.words": {
        "zh": "{where}：用词自相矛盾：{direction} {delta}，却称{rate_word}{pct}",
        "en": "{where}: the words contradict each other: {direction} {delta} but {rate_word}{pct}"},
    "finding.change.no_line": {
        "zh": "{where}：列示了变动（{direction} {delta}），但该项在 {line} 中为{what}",
        "en": "{where}: a change ({direction} {delta}) is stated for a line whose figure is {what} in {line}"},
    "finding.change.negative_previous": {
        "zh": "{where}：本年 {current}，{direction} {delta}，推算的上年数小于零（{calc}）",
        "en": "{where}: {direction} {delta} from a current figure of {current} puts last year's "
              "figure below zero ({calc})"},
    "finding.shares.disagree": {
        "zh": "{where}：同一列举中的 {n} 个占比推算不出同一个总数（{wholes}）",
        "en": "{where}: the {n} shares of one list imply no common whole ({wholes})"},
    "finding.shares.adjusted": {
        "zh": "{where}：同一列举中的 {n} 个占比合计为 100%，其中有占比与金额相差一个末位单位（为使合计为 100% 而调整）（{wholes}）",
        "en": "{where}: the {n} shares of one list add up to 100% with a share one printed unit off its "
              "amount (adjusted so that the list adds to 100%) ({wholes})"},
    "how.shares_adjusted": {"zh": "{how}（该列举合计为 100%，差一个末位单位视为调整）",
                            "en": "{how} (one unit off in a list that adds to 100%: adjusted)"},
    "finding.comparison.wording": {
        "zh": "{where}：文中称“{word}”，但 {actual} {says} {budget}（{budget_where}）",
        "en": "{where}: the text says {word} but {actual} is {says} {budget} ({budget_where})"},
    "finding.identity.title_year": {
        "zh": "{where}“{title}”印的年份为 {year}，文档年份为 {doc_year}",
        "en": "{where} “{title}” prints the year {year}, the document's year is {doc_year}"},
    "finding.identity.table_issuer": {
        "zh": "{table} 编制单位“{issuer}”与文档的编制单位“{doc_issuer}”不一致",
        "en": "{table} 编制单位 “{issuer}” is not the document's issuer “{doc_issuer}”"},
    "finding.identity.heading_year": {
        "zh": "说明 第{page}页：标题“{heading}”印的年份为 {year}，文档年份为 {doc_year}",
        "en": "narrative p.{page}: heading “{heading}” prints the year {year}, the document's year is {doc_year}"},
    "finding.identity.heading_issuer": {
        "zh": "说明 第{page}页：标题“{heading}”所列单位为“{issuer}”，文档的编制单位为“{doc_issuer}”",
        "en": "narrative p.{page}: heading “{heading}” names “{issuer}”, the document's issuer is “{doc_issuer}”"},
    "finding.empty_note.missing": {"zh": "{name} 为空表，但没有说明原因的文字{why}",
                                   "en": "{name} is printed empty without the sentence saying why{why}"},
    "finding.empty_note.expected": {"zh": "（应说明为何无{word}支出）", "en": " (expected a note naming {word})"},
    "finding.empty_note.other_fund": {"zh": "{name} 为空表，其说明写的是{other}而不是{word}：“{note}”",
                                      "en": "{name} is empty and its note names {other} instead of {word}: “{note}”"},
    "finding.empty_note.no_fund": {"zh": "{name} 为空表，其说明未提及{word}：“{note}”",
                                   "en": "{name} is empty and its note does not name {word}: “{note}”"},
    "finding.placeholder": {"zh": "{where}：残留占位符“{text}”：{around}",
                            "en": "{where}: placeholder “{text}” left in the text: {around}"},
    "finding.section_missing": {"zh": "说明中未找到“{name}”一节（模式 {pattern}）",
                                "en": "narrative section “{name}” not found (pattern {pattern})"},
    "finding.table_missing": {"zh": "{name}：文档中未找到该表", "en": "{name}: table not found in the document"},
    "finding.strict_skipped": {"zh": "--strict：规则 {rule} 被跳过 {n} 次，按失败计：{reasons}",
                               "en": "--strict: rule {rule} was skipped {n} time(s) and counts as a failure: {reasons}"},
    "word.absent": {"zh": "空缺", "en": "absent"},
    "word.zero": {"zh": "零", "en": "zero"},
    "word.above": {"zh": "大于", "en": "above"},
    "word.below": {"zh": "小于", "en": "below"},
    "word.equal_within_rounding": {"zh": "在舍入误差内等于", "en": "equal within rounding to"},
    "where.narrative_text": {"zh": "说明 第{page}页", "en": "narrative p.{page}"},
    "how.above_limit": {"zh": "超过其上限 {where}（{value}）；上限", "en": "above its limit {where} ({value}); the limit"},
    "how.above_constant": {"zh": "超过上限；上限", "en": "above the limit; the limit"},
    "how.constant": {"zh": "规则给定值", "en": "the value the rule declares"},
    # ------------------------------------------------------------ severities
    "sev.error": {"zh": "错误", "en": "error"},
    "sev.warning": {"zh": "警告", "en": "warning"},
    "sev.note": {"zh": "提示", "en": "note"},
    "sev.error.tag": {"zh": "错误", "en": "ERROR"},
    "sev.warning.tag": {"zh": "警告", "en": "WARN"},
    "sev.note.tag": {"zh": "提示", "en": "NOTE"},
    "sev.waived.tag": {"zh": "豁免", "en": "WAIVED"},
    # ------------------------------------------------------------ document header
    "head.template": {"zh": "模板：{name}", "en": "template: {name}"},
    "head.no_template": {"zh": "未识别出模板（仅用通用规则）", "en": "none recognised (generic rules only)"},
    "head.unit": {"zh": "单位：{unit}", "en": "unit: {unit}"},
    "head.pages": {"zh": "页数：{n}", "en": "pages: {n}"},
    "head.issuer": {"zh": "编制单位：{name}", "en": "编制单位: {name}"},
    "head.failed": {"zh": "无法审核：{code}：{message}", "en": "could not be audited: {code}: {message}"},
    "status.ok": {"zh": "已审核", "en": "audited"},
    "status.failed": {"zh": "失败", "en": "failed"},
    # ------------------------------------------------------------ tables found
    "tables.title": {"zh": "识别出的表格", "en": "Tables found"},
    "tables.none": {"zh": "未识别出表格", "en": "no table recognised"},
    "col.id": {"zh": "编号", "en": "id"},
    "col.title": {"zh": "标题", "en": "title"},
    "col.pages": {"zh": "页码", "en": "pages"},
    "col.size": {"zh": "行 × 列", "en": "rows × cols"},
    "col.empty": {"zh": "空表", "en": "empty"},
    "col.role": {"zh": "表格类别", "en": "role"},
    "col.role_none": {"zh": "未识别", "en": "unrecognised"},
    "issues.title": {"zh": "读取问题", "en": "Reading problems"},
    # ------------------------------------------------------------ findings
    "findings.title": {"zh": "发现的问题", "en": "Findings"},
    "findings.none": {"zh": "未发现问题：所有已评估的关系均成立。",
                      "en": "No findings: every relation evaluated holds."},
    "narrative": {"zh": "说明文字", "en": "说明 (narrative)"},
    "notes.title": {"zh": "舍入误差内的差异：{n} 个提示（不是错误）",
                    "en": "Within rounding: {n} note{s} (not errors)"},
    "findings.none_severe": {"zh": "没有错误或警告。", "en": "No errors or warnings."},
    "finding.stated": {"zh": "陈述值", "en": "stated"},
    "finding.computed": {"zh": "计算值", "en": "computed"},
    "finding.difference": {"zh": "差额", "en": "difference"},
    "finding.rule": {"zh": "规则", "en": "rule"},
    "finding.kind": {"zh": "检查类型", "en": "kind"},
    "finding.location": {"zh": "位置", "en": "location"},
    "finding.message": {"zh": "说明", "en": "message"},
    "finding.severity": {"zh": "级别", "en": "severity"},
    "finding.cells": {"zh": "涉及的数字", "en": "figures involved"},
    "finding.context": {"zh": "原文", "en": "text"},
    "finding.more_operands": {"zh": "… 另有 {n} 个运算数", "en": "… {n} more operands"},
    "finding.blank_operands": {"zh": "… 另有 {n} 个空白单元格（按 0 计）", "en": "… and {n} blank cells (counted as 0)"},
    "finding.waived": {"zh": "已豁免：{reason}", "en": "waived: {reason}"},
    "finding.waived_by": {"zh": "豁免依据 {source}", "en": "waiver {source}"},
    "finding.no_crop": {"zh": "（无法显示页面图像）", "en": "(no page image)"},
    "role.actual": {"zh": "陈述", "en": "stated"},
    "role.operand": {"zh": "运算数", "en": "operand"},
    "where.page": {"zh": "第{page}页", "en": "p.{page}"},
    "where.narrative": {"zh": "说明 第{page}页", "en": "说明 p.{page}"},
    # ------------------------------------------------------------ summary and coverage
    "summary.title": {"zh": "汇总", "en": "Summary"},
    "summary.errors": {"zh": "{n} 个错误", "en": "{n} error{s}"},
    "summary.warnings": {"zh": "{n} 个警告", "en": "{n} warning{s}"},
    "summary.notes": {"zh": "{n} 个提示（舍入误差内）", "en": "{n} note{s} (within rounding)"},
    "summary.sep": {"zh": "，", "en": ", "},
    "summary.waived": {"zh": "{n} 项已豁免（不计入退出码）", "en": "{n} waived (not counted in the exit code)"},
    "summary.checks": {"zh": "检查：评估 {evaluated}，通过 {passed}，未通过 {failed}，跳过 {skipped}",
                       "en": "checks: {evaluated} evaluated, {passed} passed, {failed} failed, {skipped} skipped"},
    "summary.coverage": {
        "zh": "覆盖：表格数字 {table_covered}/{table_figures}（{table_pct}）、说明文字数字 "
              "{narrative_covered}/{narrative_figures}（{narrative_pct}）参与了至少一项已评估的关系",
        "en": "coverage: {table_covered} of {table_figures} table figures ({table_pct}) and "
              "{narrative_covered} of {narrative_figures} narrative figures ({narrative_pct}) took "
              "part in an evaluated relation"},
    "summary.rules_tables": {"zh": "规则 {rules} 条   表格 {tables} 张", "en": "rules: {rules}   tables: {tables}"},
    "convention.truncated": {
        "zh": "舍入惯例：本文档的比率按截尾列示（凡截尾与四舍五入结果不同之处均为截尾，无一处四舍五入）；"
              "仅因截尾而不同的比率列为提示，不作错误（{n} 处）",
        "en": "Rounding convention: the document truncates its rates (every one where truncating and "
              "rounding differ is cut at the printed decimals, none is rounded): a rate that is only "
              "truncated is a note, not an error ({n} note{s})"},
    "convention.mixed": {
        "zh": "舍入惯例不一：本文档的比率有的四舍五入、有的截尾；截尾的仍列为错误",
        "en": "Mixed rounding: the document rounds some of its rates and cuts others at the printed "
              "decimals; the cut ones stay errors"},
    "summary.seconds": {"zh": "用时 {seconds} 秒", "en": "{seconds} s"},
    "summary.documents": {"zh": "文件 {n} 份，失败 {failed} 份", "en": "{n} document{s}, {failed} failed"},
    "skipped.title": {"zh": "跳过：", "en": "skipped:"},
    "skipped.no_reason": {"zh": "未记录原因", "en": "no reason recorded"},
    "coverage.title": {"zh": "覆盖情况", "en": "Coverage"},
    "coverage.rules": {"zh": "规则", "en": "Rules"},
    "col.rule": {"zh": "规则", "en": "rule"},
    "col.kind": {"zh": "类型", "en": "kind"},
    "col.evaluated": {"zh": "评估", "en": "evaluated"},
    "col.passed": {"zh": "通过", "en": "passed"},
    "col.failed": {"zh": "未通过", "en": "failed"},
    "col.noted": {"zh": "舍入内", "en": "within rounding"},
    "col.skipped": {"zh": "跳过", "en": "skipped"},
    "col.reasons": {"zh": "跳过原因", "en": "skip reasons"},
    "col.severity": {"zh": "级别", "en": "severity"},
    "col.pack": {"zh": "规则包", "en": "pack"},
    "col.description": {"zh": "说明", "en": "description"},
    # ------------------------------------------------------------ batch summary
    "batch.title": {"zh": "批量审核汇总", "en": "Batch summary"},
    "batch.title_in": {"zh": "批量审核汇总：{base}", "en": "Batch summary: {base}"},
    "batch.col.file": {"zh": "文件", "en": "file"},
    "batch.col.template": {"zh": "模板", "en": "template"},
    "batch.col.tables": {"zh": "表格", "en": "tables"},
    "batch.col.errors": {"zh": "错误", "en": "errors"},
    "batch.col.warnings": {"zh": "警告", "en": "warnings"},
    "batch.col.notes": {"zh": "提示", "en": "notes"},
    "batch.col.waived": {"zh": "已豁免", "en": "waived"},
    "batch.col.seconds": {"zh": "秒", "en": "seconds"},
    "batch.col.status": {"zh": "状态", "en": "status"},
    "batch.footer.documents": {"zh": "{n} 份文件", "en": "{n} document{s}"},
    "batch.footer.failed": {"zh": "失败 {n} 份", "en": "{n} failed"},
    "batch.status.ok": {"zh": "通过", "en": "ok"},
    "batch.status.findings": {"zh": "有问题", "en": "findings"},
    "batch.status.failed": {"zh": "失败", "en": "failed"},
    "batch.totals.documents": {"zh": "共 {n} 份文件", "en": "{n} document{s}"},
    "batch.totals.failed": {"zh": "，{n} 份无法审核", "en": ", {n} could not be audited"},
    "batch.totals.findings": {"zh": "，{n} 份有{level}及以上级别的问题",
                              "en": ", {n} with findings at or above {level}"},
    "batch.totals.waived": {"zh": "，{n} 项已豁免", "en": ", {n} finding{s} waived"},
    "batch.totals.stale": {"zh": "，{n} 条过期豁免", "en": ", {n} stale waivers"},
    "batch.totals.time": {"zh": "   用时 {seconds} 秒，{where}，每分钟 {rate} 份",
                          "en": "   {seconds} s on {where} ({rate} documents per minute)"},
    "batch.where.workers": {"zh": "{n} 个工作进程", "en": "{n} worker{s}"},
    "batch.where.dask": {"zh": "Dask 集群", "en": "the Dask cluster"},
    "batch.totals.cache": {"zh": "；读取 {extracted} 份，取自缓存 {cached} 份",
                           "en": "; {extracted} extracted, {cached} from the cache"},
    "batch.totals.ignored": {"zh": "；忽略其他文件 {n} 个", "en": "; {n} other files ignored"},
    "batch.no_findings": {"zh": "未发现问题", "en": "no findings"},
    # ------------------------------------------------------------ waivers
    "waivers.stale.title": {"zh": "过期豁免（未匹配任何发现）", "en": "Stale waivers (match no finding)"},
    "waivers.stale.item": {"zh": "{source}：规则 {rule} {where}：未匹配任何发现",
                           "en": "{source}: rule {rule} {where}: matches no finding"},
    "waivers.error.yaml": {"zh": "YAML 语法错误：{detail}", "en": "YAML syntax error: {detail}"},
    "waivers.error.top": {"zh": "顶层应为含 waivers 列表的映射", "en": "expected a mapping with a 'waivers' list"},
    "waivers.error.unknown_key": {"zh": "未知的键 {key!r}（可用：{allowed}）",
                                  "en": "unknown key {key!r} (allowed: {allowed})"},
    "waivers.error.not_list": {"zh": "waivers 应为列表", "en": "'waivers' must be a list"},
    "waivers.error.not_mapping": {"zh": "每条豁免应为映射", "en": "each waiver must be a mapping"},
    "waivers.error.missing": {"zh": "缺少必填键 {key!r}", "en": "missing required key {key!r}"},
    "waivers.error.not_string": {"zh": "{key!r} 应为非空字符串", "en": "{key!r} must be a non-empty string"},
    "waivers.error.no_location": {"zh": "需要位置：table/row/column 或 text 或 sentence（不能用页码）",
                                  "en": "needs a location: table/row/column, text or sentence (never a page)"},
    "waivers.error.page": {"zh": "不能按页码豁免（页码会变），请用 table/row/column、text 或 sentence",
                           "en": "waivers are never keyed by page (pages move): use table/row/column, text or sentence"},
    # ------------------------------------------------------------ HTML
    "html.title": {"zh": "预算公开一致性审核报告", "en": "Budget disclosure audit report"},
    "html.generated_by": {"zh": "由 budget-audit {version} 生成", "en": "Generated by budget-audit {version}"},
    "html.crop_alt": {"zh": "第{page}页局部，标出了涉及的数字", "en": "Page {page}, detail, the figures involved marked"},
    "html.show_all": {"zh": "全部", "en": "all"},
    "html.documents": {"zh": "文件", "en": "Documents"},
    # ------------------------------------------------------------ Markdown
    "md.title": {"zh": "预算公开审核：{name}", "en": "Budget audit: {name}"},
    "md.col.where": {"zh": "位置", "en": "where"},
    "md.more": {"zh": "另有 {n} 项未列出", "en": "{n} more not listed"},
    # ------------------------------------------------------------ JUnit / SARIF
    "junit.suite": {"zh": "预算公开审核 {path}", "en": "budget audit {path}"},
    "junit.skipped": {"zh": "已跳过：{reasons}", "en": "skipped: {reasons}"},
    "junit.not_evaluated": {"zh": "未评估任何实例", "en": "no instance evaluated"},
    "sarif.failed": {"zh": "无法审核 {path}：{code}：{message}", "en": "cannot audit {path}: {code}: {message}"},
    # ------------------------------------------------------------ PDF comments
    "annot.title": {"zh": "{severity} · 规则 {rule}", "en": "{severity} · rule {rule}"},
    "annot.values": {"zh": "陈述值 {stated}，计算值 {computed}，差额 {difference}",
                     "en": "stated {stated}, computed {computed}, difference {difference}"},
    "annot.role": {"zh": "本数字：{role}", "en": "this figure: {role}"},
    # ------------------------------------------------------------ audit rules / explain
    "explain.kind": {"zh": "检查类型 {kind}", "en": "Check kind {kind}"},
    "explain.yaml": {"zh": "规则定义（{source}）", "en": "The rule ({source})"},
    "explain.example": {"zh": "示例", "en": "Worked example"},
    "explain.example_doc": {"zh": "在 {path} 上评估：", "en": "Evaluated on {path}:"},
    "explain.example_result": {"zh": "评估 {evaluated}，通过 {passed}，未通过 {failed}，跳过 {skipped}",
                               "en": "{evaluated} evaluated, {passed} passed, {failed} failed, {skipped} skipped"},
    "explain.unknown": {"zh": "没有规则 {rule!r}", "en": "no rule {rule!r}"},
    "explain.no_example": {"zh": "（没有可用的示例文件）", "en": "(no sample document to evaluate it on)"},
}

from .messages_checklist import CHECKLIST_MESSAGES  # noqa: E402  (the checklist families' entries)

MESSAGES.update(CHECKLIST_MESSAGES)


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """``zh`` when the locale is Chinese, else ``en`` (POSIX order: LC_ALL, LC_MESSAGES, LANG)."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def t(key: str, lang: str = "en", /, **values: Any) -> str:
    """The message ``key`` in ``lang`` (English when that language lacks it), formatted."""
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["en"]
    if "{s}" in text and "s" not in values and "n" in values:
        values = {**values, "s": "" if values["n"] == 1 else "s"}  # 1 document, 2 documents
    return text.format(**values) if values else text


def placeholders(text: str) -> set[str]:
    """The values a message takes (``{s}``, the English plural ending, is derived from ``{n}``)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name and name != "s"}


def finding_message(finding: Any, lang: str = "en") -> str:
    """A finding's message in ``lang``: the catalogue's when the finding names a key."""
    key = getattr(finding, "message_key", None)
    args = getattr(finding, "message_args", None)
    if key and key in MESSAGES and args is not None:
        try:
            return Msg(key, dict(args)).render(lang)
        except (KeyError, IndexError, ValueError):
            pass
    return finding.message
