"""Pin what was checked on the real corpora: tests/corpus_checks.yaml.

For every document of ../shared/corpus/real (and each two-file disclosure)
and of ../shared/corpus/cities: how many rule instances were evaluated and
skipped, and (real corpus) which rules were never evaluated; and, in
tests/corpus_coverage.yaml, how many of its figures were read and covered.  The corpus
tests compare against it, so a pattern that silently stops matching fails
the suite.  A change that checks more (or less, on purpose) reruns this
script and commits the new pins with the reason in its message:

    python scripts/pin_checks.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
OUT = ROOT / "tests" / "corpus_checks.yaml"
COVERAGE = ROOT / "tests" / "corpus_coverage.yaml"


def real_pins() -> tuple[dict[str, dict], dict[str, dict]]:
    from auditor.packs import load_packs
    from auditor.pipeline import audit as audit_path

    sys.path.insert(0, str(ROOT / "tests"))  # corpus_helpers
    from corpus_helpers import coverage_pin, pins_of  # the same reading as the tests

    from auditor import coverage

    files = yaml.safe_load((ROOT / "tests" / "corpus_expectations.yaml").read_text(encoding="utf-8"))["files"]
    packs = load_packs(ROOT / "rules")
    out, covered = {}, {}
    for name in sorted(files):
        a = audit_path("+".join(str(SHARED / "real" / p) for p in name.split("+")), packs)
        out[name] = pins_of(a.checks(), a.outcomes)
        cov = coverage.of(a)
        if cov is not None:
            covered[name] = coverage_pin(cov.to_dict())
    return out, covered


def cities_pins() -> tuple[dict[str, dict], dict[str, dict]]:
    sys.path.insert(0, str(ROOT / "tests"))
    from corpus_helpers import coverage_pin

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cities.jsonl"
        subprocess.run([sys.executable, "-m", "auditor", str(SHARED / "cities"), "-j", "2", "--timeout", "120",
                        "--format", "jsonl", "-o", str(out), "--rules", str(ROOT / "rules")],
                       capture_output=True, text=True, check=False)
        docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    ok = [d for d in sorted(docs, key=lambda d: d["path"]) if d["status"] == "ok"]
    return ({Path(d["path"]).name: {"evaluated": d["checks"]["evaluated"], "skipped": d["checks"]["skipped"]}
             for d in ok},
            {Path(d["path"]).name: coverage_pin(d["coverage"]) for d in ok})


def main() -> None:
    (real, real_cov), (cities, cities_cov) = real_pins(), cities_pins()
    pins = {"real": real, "cities": cities}
    head = ("# What was checked on each corpus document (scripts/pin_checks.py writes it;\n"
            "# rerun it when a change checks more, and say why in the commit).\n")
    OUT.write_text(head + yaml.safe_dump(pins, allow_unicode=True, sort_keys=True, width=120), encoding="utf-8")
    print(f"{OUT}: {len(pins['real'])} real, {len(pins['cities'])} cities documents")
    cov = {"real": real_cov, "cities": cities_cov}
    head = ("# The coverage of each corpus document (scripts/pin_checks.py writes it): [covered, figures]\n"
            "# of its table figures and of its narrative figures, covered = taking part in at least one\n"
            "# evaluated relation (auditor/coverage.py).  Rerun the script when a change covers more.\n")
    COVERAGE.write_text(head + yaml.safe_dump(cov, allow_unicode=True, sort_keys=True, width=120,
                                              default_flow_style=None), encoding="utf-8")
    print(f"{COVERAGE}: {len(real_cov)} real, {len(cities_cov)} cities documents")


if __name__ == "__main__":
    main()
