"""Run rules over a ``Document``: findings and per-rule counts.

``run(document, rules)`` evaluates every rule once per ``for:`` combination
and per match of its ``match`` pattern, collects the findings and counts
evaluated / passed / failed / skipped per rule.  Nothing is silently
dropped: a rule whose pattern matches nothing, whose tables are absent or
that yields no instance at all is counted as skipped with the reason; a bug
inside a check (an exception) skips that instance with ``internal error: …``
and the audit goes on.
"""

from __future__ import annotations

import re
import time
import traceback
from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from .checks import KINDS
from .checks.context import Ctx, Result, builtin_env
from .convention import apply as rates_convention
from .model import Audit, Document, Finding, Issue, RuleOutcome
from .packs import PackSet, Rule, Template
from .roles import assign as assign_roles


class _Tally:
    def __init__(self) -> None:
        self.passed = self.noted = self.failed = 0
        self.reasons: Counter[str] = Counter()
        self.printed: Counter[str] = Counter()  # stated rates: rounded / truncated / ...

    def add(self, r: Result) -> None:
        if r.printed:
            self.printed[r.printed] += 1
        if r.status == "pass":
            self.passed += 1
        elif r.status == "note":
            self.passed += 1
            self.noted += 1
        elif r.status == "fail":
            self.failed += 1
        else:
            self.reasons[r.reason or "skipped"] += 1

    def outcome(self, rule: Rule) -> RuleOutcome:
        reasons = tuple(r if n == 1 else f"{r} (×{n})" for r, n in self.reasons.items())
        return RuleOutcome(rule=rule.id, kind=rule.kind,
                           evaluated=self.passed + self.failed, passed=self.passed,
                           failed=self.failed, noted=self.noted,
                           skipped=sum(self.reasons.values()), skip_reasons=reasons,
                           rounded=self.printed["rounded"], truncated=self.printed["truncated"])


def _contexts(document: Document, rule: Rule, template: Template | None,
              tally: _Tally) -> Iterable[Ctx]:
    for env in rule.combinations():
        # {year} and {issuer} in a pattern are the document's own (left as written, so
        # matching nothing, when the document does not say them)
        pattern = rule.pattern({**builtin_env(document), **env})
        if pattern is None:
            yield Ctx(document, rule, None, env, template)
            continue
        matches = list(pattern.finditer(document.narrative.text))
        where = f" for {', '.join(f'{k}={v}' for k, v in env.items())}" if env else ""
        if not matches:
            tally.add(Result("skip", reason=f"match found nothing in the narrative{where}"))
            continue
        if len(matches) < rule.min_matches:
            tally.add(Result("skip", reason=(
                f"match found {len(matches)} of at least {rule.min_matches} expected{where}")))
        for m in matches:
            yield Ctx(document, rule, m, env, template)


# Kinds that judge the same relation of a sentence: a deferring rule (its pack says
# ``defers: true``) gives way to a rule of the same group on the same figure.
_KIND_GROUP = {"shares": "share"}
Claims = dict[tuple[str, tuple[int, int]], str]  # (kind group, narrative span) → rule id


def run_rule(document: Document, rule: Rule, template: Template | None = None,
             checked: set[tuple[int, int]] | None = None,
             cells: set[tuple[str, str, str]] | None = None,
             claims: Claims | None = None) -> tuple[list[Finding], RuleOutcome]:
    """One rule over the document; ``checked`` collects the narrative spans it judged,
    ``cells`` the table figures (table, row, column).  ``claims``: the narrative
    figures judged by the rules that do not defer — filled by those, read by a
    deferring rule, whose instance on a claimed figure is skipped in their favour."""
    tally = _Tally()
    results: list[tuple[Result, set[tuple[int, int]], set[tuple[str, str, str]]]] = []
    kind = KINDS[rule.kind]
    group = _KIND_GROUP.get(rule.kind, rule.kind)
    instances = 0
    for ctx in _contexts(document, rule, template, tally):
        try:
            for result in kind.check(rule, ctx):
                instances += 1
                spans = [f.span for f in result.figures if f.span is not None]
                if claims is not None and result.status != "skip":
                    if rule.defers:
                        by = next((claims[(group, sp)] for sp in spans if (group, sp) in claims), None)
                        if by is not None:
                            result = Result("skip", reason=f"the same sentence is judged by {by}")
                    else:
                        for sp in spans:
                            claims.setdefault((group, sp), rule.id)
                results.append((result, set(ctx.touched), set(ctx.touched_cells)))
        except Exception as e:  # a bug in a check must not end the audit
            instances += 1
            frame = traceback.extract_tb(e.__traceback__)[-1]
            where = f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"
            tally.add(Result("skip", reason=f"internal error: {type(e).__name__}: {e} ({where})"))
    misread = implausible([r for r, _, _ in results])
    findings: list[Finding] = []
    for result, touched, touched_cells in results:
        if result.at is not None and (result.at in misread or (result.at[0], None) in misread):
            m = misread.get(result.at) or misread[(result.at[0], None)]
            result = Result("skip", reason=m.reason)
        tally.add(result)
        if result.finding is not None:
            findings.append(result.finding)
        if result.status == "skip":
            continue
        if checked is not None:
            checked |= touched
            checked.update(f.span for f in result.figures if f.span is not None)
        if cells is not None:
            cells |= touched_cells
            cells.update((f.table, f.row, f.column) for f in result.figures
                         if f.span is None and f.table is not None and f.row is not None
                         and f.column is not None)
    if instances == 0 and not tally.reasons:
        tally.add(Result("skip", reason="nothing to check: no relation of this kind in the document"))
    issues = tuple(dict.fromkeys(m.issue(rule) for m in misread.values()))
    return findings, replace(tally.outcome(rule), issues=issues)


# Plausibility before blame: a relation that fails on most of its instances in
# one table (or one column of it) says the table was misread, not that the
# publisher erred that many times.  At least this many failures, and more than
# half of the instances evaluated there, make a group implausible; a lone
# failing row among passing ones stays a finding.
MISREAD_MIN_FAILURES = 3


@dataclass(frozen=True)
class Misread:
    table: str
    column: str | None  # None: the whole table
    failed: int
    evaluated: int

    @property
    def reason(self) -> str:
        where = self.table if self.column is None else f"{self.table} column {self.column}"
        return (f"layout not understood: the relation fails on {self.failed} of {self.evaluated} "
                f"instances in {where}, so the table was probably misread")

    def issue(self, rule: Rule) -> Issue:
        where = self.table if self.column is None else f"{self.table} column {self.column}"
        return Issue(code="layout-not-understood", table=self.table, message=(
            f"{rule.id} fails on {self.failed} of {self.evaluated} instances in {where}: "
            f"layout not understood, the relation is skipped there"))


def implausible(results: Sequence[Result]) -> dict[tuple[str, str | None], Misread]:
    """The tables, and the columns of the others, where most instances of one
    relation fail: (table, column or None) → the counts."""
    counts: dict[tuple[str, str | None], list[int]] = {}
    for r in results:
        if r.at is None or r.status == "skip":
            continue
        for key in ((r.at[0], None), r.at):
            c = counts.setdefault(key, [0, 0])
            c[1] += 1
            c[0] += r.status == "fail"
    out: dict[tuple[str, str | None], Misread] = {}
    for (table, column), (failed, evaluated) in counts.items():
        if column is not None and (table, None) in out:
            continue  # the whole table is already set aside
        if failed >= MISREAD_MIN_FAILURES and failed * 2 > evaluated:
            out[(table, column)] = Misread(table, column, failed, evaluated)
    return out


# Problems met while reading that can make a table or its rows absent.
UNREAD = ("page-unreadable", "page-garbled", "table-not-found", "table-unreadable")
_ABSENT = re.compile(r"not in the document|no table matches")


def unread_reason(reason: str, document: Document) -> str:
    """A skip reason with what could not be read behind it, when that explains it.

    A reason naming a table gets that table's reading problems; a table that
    is absent altogether gets the problems of pages no table was read from.
    """
    issues = [i for i in document.issues if i.code in UNREAD]
    if not issues:
        return reason
    tables = {i.table for i in issues if i.table}
    why = [i for i in issues if i.table and re.search(rf"(?<!\w){re.escape(i.table)}(?![\w#])", reason)]
    if not why and _ABSENT.search(reason):
        why = [i for i in issues if not i.table or i.table not in tables]
    if not why:
        return reason
    pages = sorted({i.page for i in why if i.page})
    where = f" (page {', '.join(map(str, pages))})" if pages else ""
    return f"{reason}; unreadable{where}: {'; '.join(dict.fromkeys(i.message for i in why))}"


def run(document: Document, rules: Sequence[Rule], template: Template | None = None,
        checked: set[tuple[int, int]] | None = None,
        cells: set[tuple[str, str, str]] | None = None) -> tuple[list[Finding], list[RuleOutcome]]:
    """Every rule over the document: findings (sorted) and one outcome per rule.

    ``checked``, when given, collects the spans of the narrative figures that
    some relation judged (passed, noted or failed): the narrative's coverage;
    ``cells`` likewise the (table, row, column) of the table figures.
    """
    findings: list[Finding] = []
    done: dict[int, RuleOutcome] = {}
    claims: Claims = {}
    # the rules that defer run last, so that every claim is known (outcomes keep the rules' order)
    order = sorted(range(len(rules)), key=lambda i: rules[i].defers)
    for i in order:
        f, o = run_rule(document, rules[i], template, checked, cells, claims)
        if o.skip_reasons and document.issues:
            o = replace(o, skip_reasons=tuple(unread_reason(r, document) for r in o.skip_reasons))
        findings.extend(f)
        done[i] = o
    findings.sort(key=Finding.sort_key)
    return findings, [done[i] for i in range(len(rules))]


def audit(document: Document, packset: PackSet) -> Audit:
    """Select the document's template and run its rules (or the generic ones)."""
    from .extract.usable import unusable

    start = time.perf_counter()
    problem = unusable(document)
    if problem is not None:  # no table, a blank template: refused, never a clean pass
        return Audit.failed(document.path, *problem, seconds=time.perf_counter() - start, document=document)
    document = assign_roles(document)  # each table's national role, whatever its number
    name, rules = packset.select(document)
    document = packset.align(document, name)  # tables under the template's ids (titles, aliases)
    template = packset.templates.get(name) if name else None
    checked: set[tuple[int, int]] = set()
    cells: set[tuple[str, str, str]] = set()
    findings, outcomes = run(document, rules, template, checked, cells)
    found = tuple(i for o in outcomes for i in o.issues if i not in document.issues)
    if found:
        document = replace(document, issues=document.issues + tuple(dict.fromkeys(found)))
    findings, outcomes, convention = rates_convention(findings, outcomes)  # the document's rounding
    return Audit(path=document.path, document=document, template=name,
                 findings=tuple(findings), outcomes=tuple(outcomes),
                 seconds=time.perf_counter() - start, narrative_checked=frozenset(checked),
                 table_checked=frozenset(cells),
                 convention=convention)
