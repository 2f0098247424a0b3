"""Snapshot what ``audit`` writes, to compare a refactoring's before and after byte for byte.

    python scripts/snapshot.py OUT [--jobs 2] [--only REGEX]   # write OUT/<case>.out and OUT/<case>.meta
    python scripts/snapshot.py --compare BEFORE AFTER          # exit 1 and list the cases that differ
    python scripts/snapshot.py OUT --root ../base-checkout     # snapshot another checkout (a worktree of main)

Each case runs the command line as a user does (``python -m auditor ...`` in a
subprocess, from the repository root, LANG=C, a fixed terminal width, no
colour): the bundled sample in every report format, ``--strict`` and
``--annotate``; the injected samples; the real corpus (one-file documents,
two-file disclosures, ``--previous`` pairs); a handful of the cities corpus; a
batch (json and jsonl, with a cold and a warm ``--cache-dir``); and the
commands that need no PDF (``rules``, ``explain``, ``extract``).  ``.out`` is
the report as written, ``.meta`` the exit code and the standard error.

Only what varies from run to run is normalised: seconds and rates printed on
standard error (progress lines, in ``.meta``) and a batch entry's ``seconds``
when the snapshot is written; when comparing (``normalise``), a PDF's random
/ID, JUnit's times, the seconds in terminal reports and the order of a
streamed jsonl batch.  The JSON reports of single documents are
byte-identical between runs (tests/test_determinism.py) and compared as written.
Corpus files that are absent are skipped (and listed), so a laptop can run it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = "../shared/corpus/real"
CITIES = "../shared/corpus/cities"
SAMPLE = "samples/xinjiang-2026-unit-budget.pdf"
CITIES_FEW = ["baotou-04b088ea80.pdf", "guangzhou-1a56049230.pdf", "guangzhou-015554f21f.pdf",
              "hangzhou-*.pdf", "shenzhen-*.pdf", "wuxi-*.pdf", "quanzhou-*.pdf", "suzhou-*.pdf"]


def cases() -> list[tuple[str, list[str], str]]:
    """(name, arguments after ``python -m auditor``, output suffix or '' for standard output)."""
    out: list[tuple[str, list[str], str]] = []
    for fmt, ext in [("json", "json"), ("markdown", "md"), ("sarif", "sarif"), ("junit", "xml"),
                     ("csv", "csv"), ("html", "html"), ("jsonl", "jsonl")]:
        out.append((f"sample.{fmt}", [SAMPLE, "--format", fmt, "-o", "{out}"], ext))
    out.append(("sample.rich", [SAMPLE, "--no-color"], ""))
    out.append(("sample.rich-zh", [SAMPLE, "--no-color", "--lang", "zh"], ""))
    out.append(("sample.strict", [SAMPLE, "--strict", "--format", "json", "-o", "{out}"], "json"))
    out.append(("sample.annotate", [SAMPLE, "--annotate", "{out}", "--format", "json", "-o", os.devnull],
                "pdf"))
    out.append(("sample.extract", ["extract", SAMPLE, "-o", "{out}"], "json"))
    out.append(("rules", ["rules", "--lang", "en"], ""))
    out.append(("explain", ["explain", "xj.t1.balance", "--lang", "en"], ""))
    out.append(("missing", ["no-such.pdf", "--format", "json", "-o", "{out}"], "json"))
    for p in sorted((ROOT / "samples" / "injected").glob("*.pdf")):
        out.append((f"injected.{p.stem}", [str(p.relative_to(ROOT)), "--format", "json", "-o", "{out}"], "json"))
    real = ROOT / REAL
    if real.is_dir():
        for p in sorted(real.rglob("*.pdf")):
            rel = f"{REAL}/{p.relative_to(real)}"
            out.append((f"real.{p.stem}", [rel, "--format", "json", "-o", "{out}"], "json"))
        for narrative in sorted(real.rglob("*-narrative.pdf")):
            tables = narrative.with_name(narrative.name.replace("-narrative", "-tables"))
            if tables.exists():
                n, t = (f"{REAL}/{x.relative_to(real)}" for x in (narrative, tables))
                out.append((f"real2.{narrative.stem}", [n, "--tables", t, "--format", "json", "-o", "{out}"],
                            "json"))
        out += _previous_cases()
    cities = ROOT / CITIES
    if cities.is_dir():
        seen: list[Path] = []
        for pattern in CITIES_FEW:
            found = sorted(cities.glob(pattern))
            seen += found[:1]
        for p in seen:
            out.append((f"cities.{p.stem}", [f"{CITIES}/{p.name}", "--format", "json", "-o", "{out}"], "json"))
    out.append(("batch.json", ["samples/injected", SAMPLE, "-j", "2", "--format", "json", "-o", "{out}"],
                "json"))
    out.append(("batch.jsonl-cold", ["samples/injected", "-j", "2", "--format", "jsonl", "-o", "{out}",
                                      "--cache-dir", "{cache}"], "jsonl"))
    out.append(("batch.jsonl-warm", ["samples/injected", "-j", "2", "--format", "jsonl", "-o", "{out}",
                                      "--cache-dir", "{cache}"], "jsonl"))
    if real.is_dir():  # pairs the two files of a disclosure (pair_parts) in the workers
        out.append(("batch.real", [REAL, "-j", "2", "--format", "json", "-o", "{out}"], "json"))
    out.append(("batch.rich", ["samples/injected", "-j", "2", "--no-color", "--details", "all"], ""))
    return out


def _previous_cases() -> list[tuple[str, list[str], str]]:
    import yaml

    spec = yaml.safe_load((ROOT / "tests" / "corpus_previous_expectations.yaml").read_text(encoding="utf-8"))
    items = spec if isinstance(spec, list) else next(v for v in spec.values() if isinstance(v, list))
    out = []
    for item in items:
        cur, prev = item["current"], item.get("previous")
        if not prev:
            continue
        name = Path(cur.split("+")[0]).stem
        args = ["+".join(f"{REAL}/{p}" for p in cur.split("+")), "--previous",
                "+".join(f"{REAL}/{p}" for p in prev.split("+")), "--format", "json", "-o", "{out}"]
        out.append((f"previous.{name}", args, "json"))
    return out


_SECONDS_ERR = re.compile(r"\d+(?:\.\d+)? ?(s\b|per minute)")
_SECONDS_JSON = re.compile(r'"seconds": ?[0-9.e-]+')


def run_case(name: str, args: list[str], ext: str, target: Path, cache: Path) -> None:
    out = target / f"{name}.out"
    args = [a.replace("{out}", str(out)).replace("{cache}", str(cache)) for a in args]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LANG": "C", "LC_ALL": "C", "COLUMNS": "120",
           "NO_COLOR": "1", "TERM": "dumb"}
    env.pop("BUDGET_AUDIT_RULES", None)
    r = subprocess.run([sys.executable, "-m", "auditor", *args], cwd=ROOT, env=env,
                       capture_output=True, timeout=1800)
    if not ext:
        out.write_bytes(r.stdout)
    elif out.exists() and name.startswith("batch."):
        out.write_text(_SECONDS_JSON.sub('"seconds": 0', out.read_text(encoding="utf-8")), encoding="utf-8")
    err = _SECONDS_ERR.sub(r"# \1", r.stderr.decode("utf-8", "replace"))
    if name.startswith("batch."):  # the order workers finish in varies
        err = "\n".join(sorted(re.sub(r"\[\d+/\d+\]", "[#]", err).splitlines()))
    (target / f"{name}.meta").write_text(f"exit {r.returncode}\n{err}", encoding="utf-8")


def snapshot(target: Path, jobs: int, only: str | None) -> int:
    target.mkdir(parents=True, exist_ok=True)
    todo = [c for c in cases() if not only or re.search(only, c[0])]
    cache = Path(tempfile.mkdtemp(prefix="snapshot-cache-"))
    try:
        serial = [c for c in todo if c[0].startswith("batch.")]  # cold before warm; they use 2 workers
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(lambda c: run_case(*c, target, cache), [c for c in todo if c not in serial]))
        for c in serial:
            run_case(*c, target, cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"{len(todo)} cases written to {target}")
    return 0


_CHECKOUT = re.compile(rb"/[^\s\"'()<>]+?/(?=(?:rules|samples)/)")
_PDF_ID = re.compile(rb"/ID\s*\[<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\]")
_JUNIT_TIME = re.compile(rb'time="[0-9.]+"')
_RICH_SECONDS = re.compile(r"\d+(?:\.\d+)? ?(s|秒)(?![A-Za-z])")
_RICH_RATE = re.compile(r"\d+(?:\.\d+)? (documents per minute|份/分钟)")
_RICH_ROW = re.compile(r"^(?:\S+\.pdf|\d+ documents) ")


def normalise(name: str, data: bytes) -> bytes:
    """What varies from run to run taken out of a written file, as ``compare`` reads it:
    a PDF's random second /ID, JUnit's ``time=``, the seconds and rates in terminal
    reports (their padding and line wrapping too: the text is compared word by word),
    the order a batch streams its jsonl lines in; the checkout's own folder, printed
    where a rule's source is (``explain``, SARIF), when two checkouts are compared."""
    if name.endswith(".out") and data.startswith(b"%PDF"):
        return _PDF_ID.sub(b"/ID[#]", data)
    data = _CHECKOUT.sub(b"<checkout>/", data)
    if name == "sample.junit.out":
        return _JUNIT_TIME.sub(b'time="#"', data)
    if name.startswith("batch.") and name.endswith(".out") and "jsonl" in name:
        return b"\n".join(sorted(data.splitlines()))
    if name in ("sample.rich.out", "sample.rich-zh.out", "batch.rich.out", "explain.out"):
        lines = []
        for line in data.decode("utf-8").splitlines():
            line = re.sub("─{2,}", "─", _RICH_SECONDS.sub(r"# \1", line))  # rules drawn to the width
            if _RICH_ROW.match(line):  # a batch summary row: its seconds column
                line = re.sub(r"\d+\.\d+", "#", line)
            lines.append(line)
        return _RICH_RATE.sub(r"# \1", " ".join(" ".join(lines).split())).encode("utf-8")
    return data


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    differ = [n for n in names
              if not (before / n).exists() or not (after / n).exists()
              or normalise(n, (before / n).read_bytes()) != normalise(n, (after / n).read_bytes())]
    for n in differ:
        print(f"differs: {n}")
    print(f"{len(names) - len(differ)} of {len(names)} files identical")
    return 1 if differ else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", nargs="?", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", help="only the cases whose name matches this regular expression")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    ap.add_argument("--list", action="store_true", help="print the cases and exit")
    ap.add_argument("--root", type=Path, help="the checkout to run (default: this one); a sibling of this "
                                           "one, so that ../shared resolves the same")
    a = ap.parse_args()
    if a.root:
        global ROOT
        ROOT = a.root.resolve()
    if a.list:
        for name, args, _ in cases():
            print(name, " ".join(args))
        return 0
    if a.compare:
        return compare(*a.compare)
    if a.out is None:
        ap.error("OUT or --compare BEFORE AFTER")
    return snapshot(a.out, a.jobs, a.only)


if __name__ == "__main__":
    sys.exit(main())
