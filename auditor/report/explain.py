"""``audit explain RULE_ID`` and ``audit rules``: what a rule checks, as people read it.

``explain`` prints the check kind's documentation (its module docstring),
the rule as written in its pack (the YAML lines it spans, with the file and
line), and a worked example: the rule evaluated on a document (by default
the bundled sample, when the source tree is there), with its counts and the
findings it gives there.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO, Any

from ..messages import t

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "xinjiang-2026-unit-budget.pdf"


def rule_yaml(rule: Any, base: Path | None = None) -> tuple[str, str] | None:
    """(``file:line``, the YAML lines of the rule) from ``rule.source`` (``file:line:col``)."""
    m = re.match(r"^(.*):(\d+):(\d+)$", getattr(rule, "source", "") or "")
    if not m:
        return None
    path, line = Path(m[1]), int(m[2])
    candidates = [path]
    if not path.is_absolute():
        candidates += [(base or Path.cwd()) / path, Path(__file__).resolve().parents[2] / path]
    for p in candidates:
        if p.is_file():
            lines = p.read_text(encoding="utf-8").splitlines()
            break
    else:
        return None
    start = line - 1
    # The rule is a list item: start at its "- " line, stop at the next item or a dedent.
    while start > 0 and not lines[start].lstrip().startswith("- "):
        start -= 1
    first = lines[start]
    indent = len(first) - len(first.lstrip())
    end = start + 1
    while end < len(lines):
        text = lines[end]
        stripped = text.strip()
        if stripped and not stripped.startswith("#"):
            ind = len(text) - len(text.lstrip())
            if ind < indent or (ind == indent and stripped.startswith("- ")) or (ind == indent and not stripped.startswith("- ")):
                break
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    text = "\n".join(lines[start:end])
    # An alias (match: *n3) means little without its anchor: show where it is defined.
    for name in dict.fromkeys(re.findall(r"\*([\w-]+)", text)):
        for k, other in enumerate(lines):
            if re.search(rf"&{re.escape(name)}\b", other):
                text = f"# line {k + 1}: {other.strip()}\n" + text
                break
    return f"{m[1]}:{start + 1}", text


def explain(rule_id: str, packs: Any, out: IO[str], *, lang: str = "en", on: str | None = None,
            color: bool | None = None) -> int:
    """Print the explanation; returns the exit code (2 for an unknown rule)."""
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.rule import Rule as Line
    from rich.syntax import Syntax
    from rich.text import Text

    from ..checks import doc

    console = Console(file=out, force_terminal=color, no_color=color is False, highlight=False)
    rule = packs.rule(rule_id)
    if rule is None:
        known = [r.id for r in packs.rules]
        import difflib

        near = difflib.get_close_matches(rule_id, known, n=3)
        msg = t("explain.unknown", lang, rule=rule_id)
        if near:
            msg += " (" + ", ".join(near) + "?)"
        console.print(Text(msg, style="red"))
        return 2
    head = Text()
    head.append(rule.id, style="bold cyan")
    head.append(f"  {rule.kind} · {t('sev.' + rule.severity, lang)} · {rule.pack}")
    if rule.description:
        head.append("\n" + rule.description)
    console.print(head)
    console.print(Line(Text(t("explain.kind", lang, kind=rule.kind), style="bold"), align="left"))
    console.print(Markdown(_docstring_as_markdown(doc(rule.kind))))
    src = rule_yaml(rule)
    if src is not None:
        where, text = src
        console.print(Line(Text(t("explain.yaml", lang, source=where), style="bold"), align="left"))
        console.print(Syntax(text, "yaml", theme="ansi_dark", background_color="default"))
    console.print(Line(Text(t("explain.example", lang), style="bold"), align="left"))
    target = on or (str(SAMPLE) if SAMPLE.is_file() else None)
    if target is None:
        console.print(t("explain.no_example", lang))
        return 0
    from ..engine import run_rule
    from ..extract import load_document
    from ..roles import assign as assign_roles
    from .rich_report import finding_view

    try:
        document = assign_roles(load_document(target))  # as the audit reads it: @role references
    except Exception as e:  # an unreadable example is not the rule's fault
        console.print(Text(f"{target}: {e}", style="yellow"))
        return 0
    name, _ = packs.select(document)
    template = packs.templates.get(name) if name else None
    findings, outcome = run_rule(document, rule, template)
    console.print(t("explain.example_doc", lang, path=target))
    console.print("  " + t("explain.example_result", lang, evaluated=outcome.evaluated, passed=outcome.passed,
                           failed=outcome.failed, skipped=outcome.skipped))
    for reason in outcome.skip_reasons[:3]:
        console.print(Text(f"  {t('skipped.title', lang)} {reason}", style="yellow"))
    for f in findings[:3]:
        console.print(finding_view(f, lang=lang))
    return 0


def _docstring_as_markdown(text: str) -> str:
    """reST-ish docstrings (``literal``, ``Example::`` blocks) as Markdown for rich."""
    out: list[str] = []
    in_block = False
    for line in text.splitlines():
        if in_block:
            if line.strip() and not line.startswith((" ", "\t")):
                out.append("```")
                in_block = False
            else:
                out.append(line[4:] if line.startswith("    ") else line)
                continue
        if line.rstrip().endswith("::"):
            out.append(line.rstrip()[:-1])
            out.append("")
            out.append("```yaml")
            in_block = True
            continue
        out.append(line.replace("``", "`"))
    if in_block:
        out.append("```")
    return "\n".join(out)


def rules_table(packs: Any, out: IO[str], *, template: str | None = None, lang: str = "en",
                color: bool | None = None, families: Any = None) -> int:
    """``audit rules``: the rule families (how many rules each, selected or not), then
    every rule (or a template's) with id, kind, family, severity, pack, description."""
    from ..families import FAMILIES
    from rich import box
    from rich.console import Console
    from rich.table import Table

    rules = packs.rules_for(template)
    if template is not None and not rules:
        out.write(f"no template {template!r}; templates: {', '.join(sorted(packs.templates))}\n")
        return 2
    from rich.text import Text

    console = Console(file=out, force_terminal=color, no_color=color is False, highlight=False)
    fams = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=t("col.families", lang), title_justify="left")
    fams.add_column(t("col.family", lang), no_wrap=True, style="cyan")
    fams.add_column(t("col.rules", lang), justify="right")
    fams.add_column(t("col.description", lang), overflow="fold")
    counts: dict[str, int] = {}
    for r in rules:
        counts[r.family] = counts.get(r.family, 0) + 1
    for name, (en, zh) in FAMILIES.items():
        off = families is not None and not families.keeps(name)
        fams.add_row(name, t("families.off", lang) if off else str(counts.get(name, 0)),
                     zh if lang == "zh" else en)
    console.print(fams)
    # Ids and kinds are never cut (people copy them); descriptions wrap.  One table per pack.
    id_width = max(len(r.id) for r in rules) if rules else 4
    kind_width = max(len(r.kind) for r in rules) if rules else 4
    sev_width = max(len(t("sev." + s, lang)) for s in ("error", "warning", "note"))
    packs_in_order = list(dict.fromkeys(r.pack for r in rules))
    for pack in packs_in_order:
        console.print(Text(f"{t('col.pack', lang)}: {pack}", style="bold"))
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column(t("col.rule", lang), min_width=id_width, no_wrap=True, style="cyan")
        table.add_column(t("col.kind", lang), min_width=kind_width, no_wrap=True)
        table.add_column(t("col.family", lang), no_wrap=True)
        table.add_column(t("col.severity", lang), min_width=sev_width, no_wrap=True)
        table.add_column(t("col.description", lang), overflow="fold")
        for r in rules:
            if r.pack == pack:
                table.add_row(r.id, r.kind, r.family, t("sev." + r.severity, lang), r.description or "")
        console.print(table)
    return 0
