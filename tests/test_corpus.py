"""The real disclosures of ../shared/corpus/real (skipped when absent).

Each PDF (and each two-file disclosure ``N.pdf+T.pdf``) is audited once per
session, in-process (``audit_path``): no crash, the template named, every
standard table recognised under its template id, and the error and warning
findings, tables and narrative alike, exactly the confirmed ones of
``tests/corpus_expectations.yaml`` (a false alarm fails here, and so does a
confirmed error the auditor stops seeing); the reading problems
(``Document.issues``) are the recorded ones too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from corpus_helpers import recorded

from auditor.packs import load_packs
from auditor.runner import audit_path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
EXPECT = yaml.safe_load((ROOT / "tests" / "corpus_expectations.yaml").read_text(encoding="utf-8"))
FILES = sorted(EXPECT["files"])

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="real corpus absent")

_CACHE: dict[str, object] = {}


@pytest.fixture(scope="module")
def packs():
    return load_packs(ROOT / "rules")


def _audit(name: str, packs):
    if name not in _CACHE:
        _CACHE[name] = audit_path("+".join(str(CORPUS / part) for part in name.split("+")), packs)
    return _CACHE[name]


def test_every_pdf_is_listed():
    found = sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.pdf"))
    assert found == [f for f in FILES if "+" not in f]
    for pair in (f for f in FILES if "+" in f):
        assert all((CORPUS / part).is_file() for part in pair.split("+")), pair


@pytest.mark.parametrize("name", FILES)
def test_template_and_tables(name, packs):
    a = _audit(name, packs)
    exp = EXPECT["files"][name]
    if a.document is None:  # a narrative-only file may have nothing to audit
        assert exp["template"] is None and not exp["tables"], a.error
        return
    assert a.error is None or a.error[0] == "no-tables", a.error
    assert a.template == exp["template"]
    ids = {t.id for t in a.document.tables}
    assert set(exp["tables"]) <= ids, sorted(set(exp["tables"]) - ids)
    for tid in exp.get("missing", []):
        assert tid not in ids


def _location(f) -> tuple:
    """Where a finding points: table/row/column, or the narrative page and figure."""
    actual = next((c.figure for c in f.cells if c.role == "actual"), None)
    if actual is not None and actual.table is not None:
        return ("table", actual.table, actual.row, actual.column)
    if actual is not None:
        return ("text", actual.page, actual.text)
    if f.cells:  # a constant stated (shares add up to 100%): the page of its parts
        return ("text", f.cells[0].figure.page, None)
    return ("message",)


def _found(a, severity: str) -> list[tuple]:
    return [(f.rule, *_location(f), None if f.actual is None else str(f.actual),
             None if f.expected is None else str(f.expected), f.message)
            for f in a.findings if f.severity == severity]


def _matches(got: list[tuple], want: list[dict]) -> tuple[list, list]:
    """Pair every recorded finding with one found; what is left over on either side."""
    left = list(got)
    missing = []
    for e in want:
        key = (e["rule"], *recorded(e))
        for g in left:
            n = len(key)
            if g[:n] != key:
                continue
            if "stated" in e and (g[n], g[n + 1]) != (str(e["stated"]), str(e["computed"])):
                continue
            if "message" in e and e["message"] not in g[-1]:
                continue
            left.remove(g)
            break
        else:
            missing.append(e)
    return left, missing


@pytest.mark.parametrize("name", FILES)
def test_errors_are_the_confirmed_ones(name, packs):
    a = _audit(name, packs)
    unexpected, gone = _matches(_found(a, "error"), [e for e in EXPECT["errors"] if e["file"] == name])
    assert not unexpected, f"unconfirmed errors (false alarms?): {unexpected}"
    assert not gone, f"confirmed errors not reported: {gone}"


@pytest.mark.parametrize("name", FILES)
def test_warnings_are_the_confirmed_ones(name, packs):
    a = _audit(name, packs)
    unexpected, gone = _matches(_found(a, "warning"), [e for e in EXPECT["warnings"] if e["file"] == name])
    assert not unexpected, f"unconfirmed warnings: {unexpected}"
    assert not gone, f"confirmed warnings not reported: {gone}"


@pytest.mark.parametrize("name", FILES)
def test_rounding_convention_is_the_recorded_one(name, packs):
    """A document listed under ``conventions`` prints its rates so (mixed: its truncated
    rates stay errors); any other is neither mixed nor truncating."""
    a = _audit(name, packs)
    got = a.convention.rates if a.convention is not None else None
    want = (EXPECT.get("conventions") or {}).get(name, {}).get("rates")
    if want is not None:
        assert got == want, a.convention
    else:
        assert got in (None, "rounded"), a.convention


@pytest.mark.parametrize("name", FILES)
def test_reading_problems_are_the_recorded_ones(name, packs):
    a = _audit(name, packs)
    got = sorted((i.code, i.table or "") for i in (a.document.issues if a.document else ()))
    want = sorted((e["code"], e.get("table") or "") for e in EXPECT["issues"] if e["file"] == name)
    assert got == want


def test_every_recorded_finding_has_its_evidence():
    for e in EXPECT["errors"] + EXPECT["warnings"]:
        assert e["file"] in EXPECT["files"] and e.get("evidence"), e
    for name, e in (EXPECT.get("conventions") or {}).items():
        assert name in EXPECT["files"] and e.get("evidence"), name


PINS_FILE = ROOT / "tests" / "corpus_checks.yaml"
PINS = (yaml.safe_load(PINS_FILE.read_text(encoding="utf-8")) or {}).get("real", {}) if PINS_FILE.exists() else {}


@pytest.mark.parametrize("name", FILES)
def test_what_was_checked_is_pinned(name, packs):
    """A narrative pattern that stops matching, a table no longer read: fewer rules evaluated.
    A change that checks more reruns scripts/pin_checks.py on purpose."""
    from corpus_helpers import pins_of

    a = _audit(name, packs)
    assert name in PINS, "no pin: run python scripts/pin_checks.py"
    got = pins_of(a.checks(), a.outcomes)
    want = PINS[name]
    assert sorted(set(got["unevaluated"]) - set(want["unevaluated"])) == [], "rules no longer evaluated"
    assert got == want


ROLES = yaml.safe_load((ROOT / "tests" / "table_roles.yaml").read_text(encoding="utf-8"))["real"]


@pytest.mark.parametrize("name", FILES)
def test_every_table_has_the_role_read_on_its_page(name, packs):
    """The role of every table, against the list made by hand from the rendered pages
    (tests/table_roles.yaml)."""
    from corpus_helpers import roles_of

    a = _audit(name, packs)
    tables = a.document.tables if a.document is not None and not a.error else ()
    assert roles_of(tables) == [[tid, role] for tid, role in (ROLES.get(name) or {}).items()]


COVERAGE = (yaml.safe_load((ROOT / "tests" / "corpus_coverage.yaml").read_text(encoding="utf-8"))
            or {}).get("real", {})


@pytest.mark.parametrize("name", FILES)
def test_coverage_is_pinned(name, packs):
    """Figures read and figures some evaluated relation judged (auditor/coverage.py): no
    lower than pinned, and a change that covers more reruns scripts/pin_checks.py."""
    from corpus_helpers import coverage_pin

    from auditor import coverage

    a = _audit(name, packs)
    cov = coverage.of(a)
    assert coverage_pin(cov.to_dict() if cov else None) == COVERAGE.get(name)
