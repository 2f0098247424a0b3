"""``--format junit``: JUnit XML for CI test dashboards.

One ``<testsuite>`` per document; one ``<testcase>`` per rule applied
(``classname`` = the template, ``name`` = the rule id), with one
``<failure>`` per error or warning finding of that rule (several failures in
one test case: junitparser, Jenkins and most dashboards list them all; the
strictest readers show the first).  A rule none of whose instances could be
evaluated is ``<skipped>`` with the reasons.  Notes (within rounding) and
waived findings are not failures: they are written to the test case's
``<system-out>``.  A document that could not be audited is one test case
with an ``<error>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import IO, Any, Iterable

from ..messages import default_lang, t
from ..model import Audit, Figure
from .common import Entry, Waivers, entries, location, message, stale, stale_line, values_line


def _detail(e: Entry, lang: str) -> str:
    f = e.finding
    lines = [f"{t('finding.rule', lang)}: {f.rule} ({f.kind})", f"{t('finding.location', lang)}: {location(f, lang)}",
             message(f, lang)]
    v = values_line(f, lang)
    if v:
        lines.append(v)
    if f.context:
        lines.append(f"{t('finding.context', lang)}: {f.context}")
    if f.cells:
        lines.append(f"{t('finding.cells', lang)}:")
        for c in f.cells[:50]:
            lines.append(f"  {t('role.' + c.role, lang)}  {location_of(c.figure, lang)}  {c.figure.text}")
    if e.waiver is not None:
        lines.append(t("finding.waived", lang, reason=e.waiver.reason) + f" ({e.waiver.origin})")
    return "\n".join(lines)


def location_of(fig: Figure, lang: str) -> str:
    from .common import where

    return where(fig, lang)


def suite(a: Audit, lang: str, waivers: Waivers | None) -> ET.Element:
    s = ET.Element("testsuite", name=t("junit.suite", lang, path=a.path))
    props = ET.SubElement(s, "properties")
    ET.SubElement(props, "property", name="path", value=a.path)
    ET.SubElement(props, "property", name="template", value=a.template or "")
    if a.document is not None:
        ET.SubElement(props, "property", name="pages", value=str(a.document.pages))
    for w in stale(a, waivers):
        ET.SubElement(props, "property", name="stale-waiver", value=stale_line(w, lang))
    tests = failures = errors = skipped = 0
    if a.error:
        case = ET.SubElement(s, "testcase", classname="budget-audit", name="audit", time=f"{a.seconds:.3f}")
        err = ET.SubElement(case, "error", message=f"{a.error[0]}: {a.error[1]}", type=a.error[0])
        err.text = t("head.failed", lang, code=a.error[0], message=a.error[1])
        tests, errors = 1, 1
    else:
        by_rule: dict[str, list[Entry]] = defaultdict(list)
        for e in entries(a, waivers):
            by_rule[e.finding.rule].append(e)
        rules = [(o.rule, o) for o in a.outcomes]
        known = {r for r, _ in rules}
        rules += [(r, None) for r in by_rule if r not in known]  # a finding of a rule with no outcome
        cls = f"budget-audit.{a.template or 'generic'}"
        for rid, o in rules:
            case = ET.SubElement(s, "testcase", classname=cls, name=rid, time="0")
            tests += 1
            if o is not None:
                case.set("assertions", str(o.evaluated))
            out_lines: list[str] = []
            failed_here = 0
            for e in by_rule.get(rid, ()):
                f = e.finding
                if e.waived or f.severity == "note":
                    tag = t("sev.waived.tag", lang) if e.waived else t("sev.note.tag", lang)
                    out_lines.append(f"[{tag}] {_detail(e, lang)}")
                    continue
                fail = ET.SubElement(case, "failure", type=f.severity,
                                     message=f"{location(f, lang)}: {message(f, lang)}")
                fail.text = _detail(e, lang)
                failed_here += 1
            if failed_here:
                failures += failed_here
            elif o is not None and o.evaluated == 0 and o.skipped:
                reasons = "; ".join(dict.fromkeys(o.skip_reasons)) or t("skipped.no_reason", lang)
                ET.SubElement(case, "skipped", message=t("junit.skipped", lang, reasons=reasons))
                skipped += 1
            elif o is not None and o.skipped:
                reasons = "; ".join(dict.fromkeys(o.skip_reasons)) or t("skipped.no_reason", lang)
                out_lines.append(t("junit.skipped", lang, reasons=f"{o.skipped}: {reasons}"))
            if out_lines:
                ET.SubElement(case, "system-out").text = "\n\n".join(out_lines)
    s.set("tests", str(tests))
    s.set("failures", str(failures))
    s.set("errors", str(errors))
    s.set("skipped", str(skipped))
    s.set("time", f"{a.seconds:.3f}")
    return s


def render(audits: Iterable[Audit], out: IO[str], *, lang: str | None = None,
           waivers: Waivers | None = None, **_: Any) -> None:
    lang = lang or default_lang()
    root = ET.Element("testsuites", name="budget-audit")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    seconds = 0.0
    for a in audits:
        s = suite(a, lang, waivers)
        root.append(s)
        for k in totals:
            totals[k] += int(s.get(k, "0"))
        seconds += a.seconds
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("time", f"{seconds:.3f}")
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
