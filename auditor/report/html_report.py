"""``--format html``: one self-contained page to read findings beside the page.

Everything is inline: the CSS, and each crop of a page as a ``data:`` PNG
(rendered by ``auditor.report.render``); a Content-Security-Policy forbids
the page any network access.  Each finding shows its rule, message, stated
and computed values, the sentence (narrative findings) and, beside it, the
part of the page around the figures involved with each figure boxed: the
stated one in the severity's colour, operands dashed.  The boxes are SVG over
the image, so they scale with it; hovering one names the figure.  The page
reflows to one column on a phone and prints without the navigation, each
finding kept on one page where it fits.
"""

from __future__ import annotations

import base64
import html
from collections import defaultdict
from dataclasses import dataclass
from typing import IO, Any, Iterable

from .. import __version__
from ..messages import default_lang, t
from ..model import Audit, BBox, Figure, Finding
from .common import (Entry, Waivers, counts, coverage_line, entries, location, message, role_name,
                     stale, stale_line, summary_line, where)
from .json_report import decimal_text

MAX_PAGES_PER_FINDING = 3
MARGIN = 46.0  # points of context above and below the figures
MIN_HEIGHT = 150.0
MAX_HEIGHT = 620.0


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


@dataclass
class _Shot:
    page: int
    uri: str  # data: URI
    width: int
    height: int
    rect: BBox  # the region shown, PDF points
    scale: float


class Pages:
    """Crops of one PDF, located and rendered on demand, identical crops shared."""

    def __init__(self, audit: Audit):
        self.audit = audit
        self.ok = False
        self._cache: dict[tuple, _Shot] = {}
        try:
            from .render import Renderer

            # one open PDF both locates the figures and renders the crops
            self.locator = self.renderer = Renderer(audit.path, audit.document)
            self.ok = True
        except Exception:  # no PDF (a Document from data), or unreadable: text only
            self.locator = self.renderer = None  # type: ignore[assignment]

    def close(self) -> None:
        if self.renderer is not None:
            self.renderer.close()

    def rects(self, fig: Figure) -> list[BBox]:
        if not self.ok:
            return []
        try:
            return self.locator.rects(fig)
        except Exception:
            return []

    def shot(self, page: int, rects: list[BBox]) -> _Shot | None:
        if not self.ok or not rects or not 1 <= page <= self.renderer.page_count:
            return None
        w, h = self.renderer.page_size(page)
        y0 = min(r[1] for r in rects)
        y1 = max(r[3] for r in rects)
        mid = (y0 + y1) / 2
        span = min(max(y1 - y0 + 2 * MARGIN, MIN_HEIGHT), max(MAX_HEIGHT, y1 - y0 + 20))
        lo, hi = max(0.0, mid - span / 2), min(h, mid + span / 2)
        region = (0.0, round(lo), w, round(hi))
        scale = round(min(2.0, 1100.0 / max(w, 1.0)), 2)
        key = (page, region, scale)
        if key not in self._cache:
            try:
                crop = self.renderer.crop(page, region, scale=scale)
            except Exception:
                return None
            uri = "data:image/png;base64," + base64.b64encode(crop.png).decode("ascii")
            self._cache[key] = _Shot(page, uri, crop.width, crop.height, crop.rect, scale)
        return self._cache[key]


# ------------------------------------------------------------------ pieces


def _svg_rect(shot: _Shot, rect: BBox, cls: str, title: str) -> str:
    x0, y0, x1, y1 = rect
    cx0, _, _, cy1 = shot.rect
    pad = 2.0
    x = (x0 - cx0 - pad) * shot.scale
    y = (cy1 - y1 - pad) * shot.scale
    w = (x1 - x0 + 2 * pad) * shot.scale
    h = (y1 - y0 + 2 * pad) * shot.scale
    return (f'<rect class="{cls}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}">'
            f"<title>{esc(title)}</title></rect>")


def crops(pages: Pages, f: Finding, lang: str) -> str:
    by_page: dict[int, list[tuple[str, Figure, list[BBox]]]] = defaultdict(list)
    order: list[int] = []
    for c in f.cells:
        rects = pages.rects(c.figure)
        if not rects:
            continue
        if c.figure.page not in by_page:
            order.append(c.figure.page)
        by_page[c.figure.page].append((c.role, c.figure, rects))
    out = []
    for page in order[:MAX_PAGES_PER_FINDING]:
        items = by_page[page]
        shot = pages.shot(page, [r for _, _, rs in items for r in rs])
        if shot is None:
            continue
        marks = []
        # Operands first, so the stated figure's box is drawn on top.
        for role, fig, rects in sorted(items, key=lambda x: x[0] == "actual"):
            cls = f"mark {'stated' if role == 'actual' else 'operand'}"
            label = f"{t('role.' + role, lang)}: {where(fig, lang)} {fig.text}"
            marks += [_svg_rect(shot, r, cls, label) for r in rects]
        alt = t("html.crop_alt", lang, page=page)
        out.append(
            f'<figure class="crop"><div class="frame">'
            f'<img src="{shot.uri}" width="{shot.width}" height="{shot.height}" alt="{esc(alt)}" loading="lazy">'
            f'<svg viewBox="0 0 {shot.width} {shot.height}" preserveAspectRatio="none" aria-hidden="true">'
            + "".join(marks) +
            f'</svg></div><figcaption>{esc(t("where.page", lang, page=page))}</figcaption></figure>')
    if len(order) > MAX_PAGES_PER_FINDING:
        rest = ", ".join(t("where.page", lang, page=p) for p in order[MAX_PAGES_PER_FINDING:])
        out.append(f'<p class="muted">+ {esc(rest)}</p>')
    return "".join(out)


def highlighted_context(f: Finding) -> str:
    """The sentence, escaped, with the finding's narrative figures marked."""
    text = f.context or ""
    spans: list[tuple[int, int, str]] = []
    for c in f.cells:
        if c.figure.table is not None or not c.figure.text:
            continue
        needle = c.figure.text
        start = text.find(needle)
        if start < 0:
            needle = needle.rstrip("%")
            start = text.find(needle)
        if start >= 0 and not any(s < start + len(needle) and start < e for s, e, _ in spans):
            spans.append((start, start + len(needle), "stated" if c.role == "actual" else "operand"))
    out, pos = [], 0
    for s, e, cls in sorted(spans):
        out.append(esc(text[pos:s]))
        out.append(f'<mark class="{cls}">{esc(text[s:e])}</mark>')
        pos = e
    out.append(esc(text[pos:]))
    return "".join(out)


def finding_html(e: Entry, n: int, pages: Pages, lang: str) -> str:
    f = e.finding
    sev = f.severity
    classes = f"finding sev-{sev}" + (" waived" if e.waived else "")
    badge = f'<span class="badge {sev}">{esc(t("sev." + sev, lang))}</span>'
    if e.waived:
        badge += f' <span class="badge waived">{esc(t("sev.waived.tag", lang))}</span>'
    parts = [
        f'<article class="{classes}" id="f{n}">',
        '<div class="text">',
        f'<header>{badge} <code class="rule">{esc(f.rule)}</code> <span class="kind">{esc(f.kind)}</span></header>',
        f'<p class="where">{esc(location(f, lang))}</p>',
        f'<p class="message">{esc(message(f, lang))}</p>',
    ]
    if e.waiver is not None:
        parts.append(f'<p class="waiver">{esc(t("finding.waived", lang, reason=e.waiver.reason))} '
                     f'<span class="muted">({esc(e.waiver.origin)})</span></p>')
    if f.expected is not None and f.actual is not None:
        parts.append(
            '<dl class="values">'
            f'<div><dt>{esc(t("finding.stated", lang))}</dt><dd>{esc(decimal_text(f.actual))}</dd></div>'
            f'<div><dt>{esc(t("finding.computed", lang))}</dt><dd>{esc(decimal_text(f.expected))}</dd></div>'
            f'<div class="diff"><dt>{esc(t("finding.difference", lang))}</dt><dd>{esc(decimal_text(f.difference))}</dd></div>'
            '</dl>')
    if f.context:
        parts.append(f'<blockquote>{highlighted_context(f)}</blockquote>')
    if f.cells:
        rows = "".join(
            f'<tr class="{"stated" if c.role == "actual" else ""}"><td>{esc(t("role." + c.role, lang))}</td>'
            f'<td>{esc(where(c.figure, lang))}</td><td class="num">{esc(c.figure.text)}</td></tr>'
            for c in f.cells[:40])
        more = (f'<tr><td colspan="3" class="muted">{esc(t("finding.more_operands", lang, n=len(f.cells) - 40))}</td></tr>'
                if len(f.cells) > 40 else "")
        parts.append(f'<details class="cells"{" open" if len(f.cells) <= 6 else ""}>'
                     f'<summary>{esc(t("finding.cells", lang))} ({len(f.cells)})</summary>'
                     f'<div class="scroll"><table>{rows}{more}</table></div></details>')
    parts.append("</div>")
    shots = crops(pages, f, lang)
    parts.append(f'<div class="pages">{shots or "<p class=muted>" + esc(t("finding.no_crop", lang)) + "</p>"}</div>')
    parts.append("</article>")
    return "".join(parts)


def coverage_html(a: Audit, lang: str) -> str:
    doc = a.document
    assert doc is not None
    rows = "".join(
        f'<tr><td>{esc(tb.id)}</td><td>{esc(tb.title)}</td>'
        f'<td class="{"role" if tb.role else "role none"}">{esc(role_name(tb.role, lang))}</td>'
        f'<td>{esc(",".join(map(str, tb.pages)))}</td>'
        f'<td class="num">{len(tb.rows)} × {len(tb.columns)}</td><td>{esc(t("col.empty", lang)) if tb.empty else ""}</td></tr>'
        for tb in doc.tables)
    tables = (f'<h3>{esc(t("tables.title", lang))} ({len(doc.tables)})</h3>'
              f'<div class="scroll"><table class="grid"><thead><tr><th>{esc(t("col.id", lang))}</th>'
              f'<th>{esc(t("col.title", lang))}</th><th>{esc(t("col.role", lang))}</th>'
              f'<th>{esc(t("col.pages", lang))}</th>'
              f'<th>{esc(t("col.size", lang))}</th><th></th></tr></thead><tbody>{rows}</tbody></table></div>')
    if not doc.tables:
        tables = f'<h3>{esc(t("tables.title", lang))}</h3><p>{esc(t("tables.none", lang))}</p>'
    issues = ""
    if doc.issues:
        items = "".join(f'<li>{esc(" ".join(x for x in (i.table or "", t("where.page", lang, page=i.page) if i.page else "") if x))} '
                        f'{esc(i.message)}</li>' for i in doc.issues)
        issues = f'<h3>{esc(t("issues.title", lang))}</h3><ul>{items}</ul>'
    rules = "".join(
        f'<tr class="{"failed" if o.failed else ("skipped" if o.skipped and not o.evaluated else "")}">'
        f'<td><code>{esc(o.rule)}</code></td><td>{esc(o.kind)}</td><td class="num">{o.evaluated}</td>'
        f'<td class="num">{o.passed}</td><td class="num">{o.failed}</td><td class="num">{o.noted}</td>'
        f'<td class="num">{o.skipped}</td><td>{esc("; ".join(dict.fromkeys(o.skip_reasons)))}</td></tr>'
        for o in a.outcomes)
    heads = "".join(f"<th>{esc(t(k, lang))}</th>" for k in (
        "col.rule", "col.kind", "col.evaluated", "col.passed", "col.failed", "col.noted", "col.skipped",
        "col.reasons"))
    return (f'<section class="coverage"><h2>{esc(t("coverage.title", lang))}</h2>{tables}{issues}'
            f'<h3>{esc(t("coverage.rules", lang))} ({len(a.outcomes)})</h3>'
            f'<p>{esc(t("summary.checks", lang, **a.checks()))}</p>'
            f'<div class="scroll"><table class="grid rules"><thead><tr>{heads}</tr></thead>'
            f'<tbody>{rules}</tbody></table></div></section>')


def document_html(a: Audit, k: int, lang: str, waivers: Waivers | None) -> str:
    doc = a.document
    title = (doc.title if doc and doc.title else None) or a.path
    head = [f'<section class="document" id="d{k}"><header class="dochead"><h1>{esc(title)}</h1>',
            f'<p class="path"><code>{esc(a.path)}</code></p>']
    if a.error:
        head.append(f'<p class="failed">{esc(t("head.failed", lang, code=a.error[0], message=a.error[1]))}</p>'
                    "</header></section>")
        return "".join(head)
    assert doc is not None
    meta = [t("head.template", lang, name=a.template or t("head.no_template", lang)),
            t("head.unit", lang, unit=doc.unit or "?"), t("head.pages", lang, n=doc.pages)]
    if doc.issuer:
        meta.insert(0, t("head.issuer", lang, name=doc.issuer))
    head.append('<p class="meta">' + " · ".join(esc(m) for m in meta) + "</p></header>")
    c = counts(a, waivers)
    covered = coverage_line(a, lang)
    cards = "".join(
        f'<div class="card {key}"><span class="n">{c[key]}</span><span>{esc(t("sev." + key, lang) if key != "waived" else t("sev.waived.tag", lang))}</span></div>'
        for key in ("error", "warning", "note", "waived") if key != "waived" or c["waived"])
    body = [f'<section class="summary"><h2>{esc(t("summary.title", lang))}</h2>'
            f'<div class="cards">{cards}</div><p>{esc(summary_line(c, lang))}</p>'
            f'<p>{esc(t("summary.checks", lang, **a.checks()))}</p>'
            + (f'<p class="figures">{esc(covered)}</p>' if covered else "") + '</section>']
    old = stale(a, waivers)
    if old:
        body.append(f'<section class="stale"><h2>{esc(t("waivers.stale.title", lang))}</h2><ul>'
                    + "".join(f"<li>{esc(stale_line(w, lang))}</li>" for w in old) + "</ul></section>")
    items = entries(a, waivers)
    body.append(f'<section class="findings"><h2>{esc(t("findings.title", lang))} ({len(items)})</h2>')
    if not items:
        body.append(f'<p class="ok">{esc(t("findings.none", lang))}</p>')
    pages = Pages(a)
    try:
        for n, e in enumerate(items, 1):
            body.append(finding_html(e, k * 10000 + n, pages, lang))
    finally:
        pages.close()
    body.append("</section>")
    body.append(coverage_html(a, lang))
    body.append("</section>")
    return "".join(head) + "".join(body)


CSS = """
:root{--error:#c62828;--warning:#b26a00;--note:#1f6fd0;--waived:#6b7280;--ink:#1f2328;--muted:#656d76;
--line:#d0d7de;--bg:#f6f8fa;color-scheme:light}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB",
"Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;color:var(--ink);background:#fff}
main{max-width:1280px;margin:0 auto;padding:16px}
h1{font-size:1.45rem;margin:.2em 0}h2{font-size:1.2rem;margin:1.4em 0 .6em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1.05rem;margin:1.2em 0 .4em}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
.path,.meta,.muted{color:var(--muted)}.path{margin:0;word-break:break-all}
td.role{font-family:ui-monospace,monospace;font-size:.9em}td.role.none{color:var(--warning)}
.failed{color:var(--error);font-weight:600}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:96px;background:var(--bg)}
.card .n{display:block;font-size:1.6rem;font-weight:700;line-height:1.2}
.card.error .n{color:var(--error)}.card.warning .n{color:var(--warning)}.card.note .n{color:var(--note)}.card.waived .n{color:var(--waived)}
.finding{display:grid;grid-template-columns:minmax(0,1fr);gap:12px;border:1px solid var(--line);
border-left:6px solid var(--note);border-radius:8px;padding:12px 14px;margin:14px 0;break-inside:avoid;page-break-inside:avoid}
.finding.sev-error{border-left-color:var(--error)}.finding.sev-warning{border-left-color:var(--warning)}
.finding.waived{border-left-color:var(--waived);background:#fafafa}
.finding header{display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.badge{display:inline-block;border-radius:999px;padding:1px 9px;font-size:.8rem;font-weight:700;color:#fff;background:var(--note)}
.badge.error{background:var(--error)}.badge.warning{background:var(--warning)}.badge.waived{background:var(--waived)}
.rule{font-weight:600;word-break:break-all}.kind{color:var(--muted);font-size:.85rem}
.where{margin:.3em 0;color:var(--muted)}.message{margin:.3em 0;font-weight:500;overflow-wrap:anywhere}
.waiver{color:var(--waived);font-style:italic}
.values{display:flex;flex-wrap:wrap;gap:6px 18px;margin:.4em 0}.values div{display:flex;gap:6px}
.values dt{color:var(--muted)}.values dd{margin:0;font-weight:700;font-variant-numeric:tabular-nums}
.sev-error .diff dd{color:var(--error)}.sev-warning .diff dd{color:var(--warning)}.sev-note .diff dd{color:var(--note)}
blockquote{margin:.5em 0;padding:.4em .8em;border-left:3px solid var(--line);background:var(--bg);overflow-wrap:anywhere}
mark{background:#fff3c4;padding:0 2px;border-radius:3px}
.sev-error mark.stated{background:#fde2e1;outline:2px solid var(--error)}
.sev-warning mark.stated{background:#fff0d6;outline:2px solid var(--warning)}
.sev-note mark.stated{background:#e1edfc;outline:2px solid var(--note)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;font-size:.88rem}td,th{padding:3px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.stated td{font-weight:700}
details.cells td:first-child{white-space:nowrap}
table.grid{width:100%}table.grid th{background:var(--bg)}
table.rules tr.failed td:first-child{border-left:3px solid var(--error)}
table.rules tr.skipped{color:var(--muted)}
details.cells summary{cursor:pointer;color:var(--muted)}
.crop{margin:0 0 10px}.frame{position:relative;border:1px solid var(--line);border-radius:4px;overflow:hidden;background:#fff}
.frame img{display:block;width:100%;height:auto}
.frame svg{position:absolute;inset:0;width:100%;height:100%;pointer-events:none}
.frame svg rect{fill:none;pointer-events:all}
.mark.operand{stroke:#57606a;stroke-width:2.5;stroke-dasharray:7 4;fill:rgba(87,96,106,.06)}
.mark.stated{stroke-width:4.5}
.sev-error .mark.stated{stroke:var(--error);fill:rgba(198,40,40,.12)}
.sev-warning .mark.stated{stroke:var(--warning);fill:rgba(178,106,0,.12)}
.sev-note .mark.stated{stroke:var(--note);fill:rgba(31,111,208,.12)}
.waived .mark.stated{stroke:var(--waived)}
figcaption{font-size:.8rem;color:var(--muted);text-align:right}
.ok{color:#1a7f37;font-weight:600}
.stale li{color:var(--warning)}
footer{color:var(--muted);font-size:.8rem;margin:2em 0 1em;text-align:center}
@media (min-width:900px){.finding{grid-template-columns:minmax(0,1fr) minmax(0,1.25fr)}}
@media (max-width:600px){main{padding:10px}body{font-size:14px}.card{min-width:72px;padding:6px 10px}}
@media print{
@page{margin:12mm}
body{font-size:10pt}main{max-width:none;padding:0}
.finding{grid-template-columns:minmax(0,1fr) minmax(0,1.2fr);border-left-width:4px}
details.cells>*{display:block}
.frame img{max-height:120mm;object-fit:contain}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.document+.document{break-before:page}
footer{display:none}
}
"""


def render(audits: Iterable[Audit], out: IO[str], *, lang: str | None = None,
           waivers: Waivers | None = None, **_: Any) -> None:
    lang = lang or default_lang()
    audits = list(audits)
    docs = "".join(document_html(a, k, lang, waivers) for k, a in enumerate(audits, 1))
    if len(audits) == 1 and audits[0].document is not None and audits[0].document.title:
        page_title = f"{audits[0].document.title} · {t('html.title', lang)}"
    else:
        page_title = t("html.title", lang)
    csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    out.write(
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="budget-audit {esc(__version__)}">'
        f"<title>{esc(page_title)}</title><style>{CSS}</style></head>"
        f"<body><main>{docs}"
        f'<footer>{esc(t("html.generated_by", lang, version=__version__))}</footer>'
        "</main></body></html>\n")
