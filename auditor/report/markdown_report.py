"""``--format markdown``: a merge-request comment (GitHub / GitLab flavoured).

A heading and the summary line per document, the errors and warnings as one
table, the notes (within rounding) folded in a ``<details>`` block, then
stale waivers and skipped rules.  Every cell is escaped (``|``, new lines,
HTML) so a message can never break the table.
"""

from __future__ import annotations

from typing import IO, Any, Iterable

from ..messages import default_lang, t
from ..model import Audit
from .common import Entry, Waivers, counts, entries, location, message, stale, stale_line, summary_line
from .json_report import decimal_text

ICON = {"error": "❌", "warning": "⚠️", "note": "ℹ️"}
MAX_ROWS = 200  # a comment has a size limit; the rest is counted, not listed


def cell(text: object) -> str:
    s = "" if text is None else str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = s.replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")
    return s.strip()


def _table(rows: list[Entry], lang: str) -> list[str]:
    head = [t("finding.severity", lang), t("finding.rule", lang), t("md.col.where", lang),
            t("finding.message", lang), t("finding.stated", lang), t("finding.computed", lang),
            t("finding.difference", lang)]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for e in rows[:MAX_ROWS]:
        f = e.finding
        sev = f"{ICON[f.severity]} {t('sev.' + f.severity, lang)}"
        msg = cell(message(f, lang))
        if e.waiver is not None:
            sev = f"✅ ~~{t('sev.' + f.severity, lang)}~~ {t('sev.waived.tag', lang)}"
            msg += "<br>*" + cell(t("finding.waived", lang, reason=e.waiver.reason)) + "*"
        out.append("| " + " | ".join([
            sev, f"`{cell(f.rule)}`", cell(location(f, lang)), msg,
            cell(decimal_text(f.actual)), cell(decimal_text(f.expected)),
            cell(decimal_text(f.difference)),
        ]) + " |")
    if len(rows) > MAX_ROWS:
        out.append("")
        out.append(t("md.more", lang, n=len(rows) - MAX_ROWS))
    return out


def render_one(a: Audit, lang: str, waivers: Waivers | None) -> list[str]:
    name = (a.document.title if a.document and a.document.title else None) or a.path
    lines = [f"### {t('md.title', lang, name=cell(name))}", ""]
    if a.error:
        lines += [f"❌ `{cell(a.path)}`: " + cell(t("head.failed", lang, code=a.error[0], message=a.error[1])), ""]
        return lines
    c = counts(a, waivers)
    meta = [f"`{cell(a.path)}`", t("head.template", lang, name=a.template or t("head.no_template", lang))]
    lines += [" · ".join(meta), "", f"**{summary_line(c, lang)}** · {t('summary.checks', lang, **a.checks())}", ""]
    items = entries(a, waivers)
    main = [e for e in items if e.finding.severity != "note" or e.waived]
    notes = [e for e in items if e.finding.severity == "note" and not e.waived]
    if not items:
        lines += [t("findings.none", lang), ""]
    if main:
        lines += _table(main, lang) + [""]
    if notes:
        lines += [f"<details><summary>{ICON['note']} {cell(t('summary.notes', lang, n=len(notes)))}</summary>", ""]
        lines += _table(notes, lang) + ["", "</details>", ""]
    old = stale(a, waivers)
    if old:
        lines += [f"**{t('waivers.stale.title', lang)}**", ""]
        lines += [f"- {cell(stale_line(w, lang))}" for w in old] + [""]
    skipped = [o for o in a.outcomes if o.skipped]
    if skipped:
        lines += [f"<details><summary>{cell(t('skipped.title', lang))} {len(skipped)}</summary>", ""]
        for o in skipped:
            reasons = "; ".join(dict.fromkeys(o.skip_reasons)) or t("skipped.no_reason", lang)
            lines.append(f"- `{cell(o.rule)}` ({o.skipped}): {cell(reasons)}")
        lines += ["", "</details>", ""]
    return lines


def render(audits: Iterable[Audit], out: IO[str], *, lang: str | None = None,
           waivers: Waivers | None = None, **_: Any) -> None:
    lang = lang or default_lang()
    lines: list[str] = []
    for a in audits:
        lines += render_one(a, lang, waivers)
    out.write("\n".join(lines).rstrip() + "\n")
