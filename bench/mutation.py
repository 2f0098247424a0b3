"""Mutation testing of the relation code: kill rate and survivors.

    python bench/mutation.py                 # every module in scope (MODULES below)
    python bench/mutation.py --fresh         # from scratch: mutants/ removed first
    python bench/mutation.py -m 'auditor.checks.change.*'   # one module (mutmut name patterns)
    python bench/mutation.py --report        # no run: the results of the last run

Runs mutmut (``pip install -e '.[test,mutation]'``; its configuration is
``[tool.mutmut]`` in pyproject.toml: the package is copied into ``mutants/``, the
files in scope are mutated there, and every mutant is run against the fast tests
that need no PDF and no corpus) over the check kinds (``auditor/checks/``), the
rounding intervals (``auditor/interval.py``), printed numbers
(``auditor/numbers.py``) and the narrative binding: ``auditor/narrative.py``
(figures found in the text, their page and sentence) and the functions of
``auditor/refs.py`` that bind a capture or a cell to a value (``resolve``,
``resolve_capture``, ``figure_value``, ``figure_interval``, ``absent_value``,
``Value.negated``).

It prints the mutants, how many the tests killed, the kill rate (killed /
mutants; a timeout counts as killed, a mutant no test reaches as a survivor),
the run time, and each survivor with its mutation (the original line and the
mutated one) and what ``bench/mutation-survivors.md`` says of it (matched by
module, function and mutation; by function and mutation alone when the function
has moved to another module): a mutant
listed there as equivalent has a reason; one listed as not yet killed is a
known gap in the tests; one listed as killed by a test must not survive (the
file is stale); one not listed is unexplained. Survivors are matched to
that file by module, function and the text of the mutation, never by line
number or mutant number, so the file holds when code moves.

Exit status: 0 when the kill rate is at least ``--min`` (default 90%) and
every survivor is listed in the notes (and none listed as killed survives); 1
otherwise.  Mutation runs are not
part of the pytest suite.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTES = Path(__file__).with_name("mutation-survivors.md")

# mutmut's mutant names: auditor.refs.x_figure_value__mutmut_3, auditor.refs.xǁValueǁnegated__mutmut_1
MODULES = [
    "auditor.checks.*",
    "auditor.interval.*",
    "auditor.numbers.*",
    "auditor.narrative.*",
    "auditor.refs.x_resolve__mutmut_*",
    "auditor.refs.x_resolve_capture__mutmut_*",
    "auditor.refs.x_figure_value__mutmut_*",
    "auditor.refs.x_figure_interval__mutmut_*",
    "auditor.refs.x_absent_value__mutmut_*",
    "auditor.refs.xǁValueǁnegated__mutmut_*",
]

KILLED = {1, 3}  # pytest failed (3: an internal error in pytest is a kill too)
TIMEOUT = {-24, 24, 36, 152, 255}
SURVIVED = {0}
NO_TESTS = {5, 33}


@dataclass
class Mutant:
    name: str  # auditor.checks.change.x_check__mutmut_17
    module: str  # auditor.checks.change
    function: str  # check, or Interval.__truediv__
    path: str  # auditor/checks/change.py
    exit_code: int | None

    @property
    def status(self) -> str:
        c = self.exit_code
        if c in KILLED:
            return "killed"
        if c in TIMEOUT:
            return "timeout"
        if c in SURVIVED:
            return "survived"
        if c in NO_TESTS:
            return "no tests"
        if c is None:
            return "not checked"
        return f"suspicious (exit {c})"


def parse_name(name: str) -> tuple[str, str]:
    """(module, function) of a mutant name."""
    head, _, _ = name.rpartition("__mutmut_")
    module, _, func = head.rpartition(".")
    if func.startswith("xǁ"):  # a method: xǁClassǁmethod
        _, cls, meth = func.split("ǁ", 2)
        return module, f"{cls}.{meth}"
    return module, func[2:] if func.startswith("x_") else func


def collect(patterns: list[str]) -> list[Mutant]:
    out = []
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        data = json.loads(meta.read_text("utf-8"))
        rel = meta.relative_to(ROOT / "mutants").as_posix()[: -len(".meta")]
        for name, code in data.get("exit_code_by_key", {}).items():
            if any(fnmatch.fnmatchcase(name, p) for p in patterns):
                module, func = parse_name(name)
                out.append(Mutant(name, module, func, rel, code))
    return sorted(out, key=lambda m: (m.module, m.function, _number(m.name)))


def _number(name: str) -> int:
    return int(name.rpartition("__mutmut_")[2] or 0)


def mutation_of(m: Mutant) -> tuple[str, str]:
    """The lines a mutant changes: (original, mutated), stripped, joined by ' / '."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(m.name, path=m.path)
    old = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    new = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    return " / ".join(old), " / ".join(new)


_HEAD = re.compile(r"^###\s+`?(?P<module>[\w.]+)`?\s*·\s*`?(?P<func>[\w.]+)`?\s*$")
_ITEM = re.compile(r"^-\s+`(?P<old>.*?)`\s*→\s*`(?P<new>.*?)`\s*[—-]+\s*(?P<verdict>.+)$")


def read_notes(path: Path = NOTES) -> dict[tuple[str, str, str, str], str]:
    """(module, function, original, mutated) → what the notes say (equivalent because … /
    killed by …)."""
    notes: dict[tuple[str, str, str, str], str] = {}
    if not path.is_file():
        return notes
    module = func = None
    for line in path.read_text("utf-8").splitlines():
        h = _HEAD.match(line.strip())
        if h:
            module, func = h["module"], h["func"]
            continue
        i = _ITEM.match(line.strip())
        if i and module:
            notes[(module, func, _norm(i["old"]), _norm(i["new"]))] = i["verdict"].strip()
    return notes


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("``", "`")).strip()


def run(patterns: list[str], jobs: int, fresh: bool) -> float:
    if fresh and (ROOT / "mutants").exists():
        shutil.rmtree(ROOT / "mutants")
    log = ROOT / "mutants.log"
    cmd = [sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs), *patterns]
    print("$", " ".join(cmd[1:]), f"(output in {log.name})", flush=True)
    start = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        rc = subprocess.call(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    elapsed = time.monotonic() - start
    if rc != 0:
        tail = log.read_text("utf-8", errors="replace")[-3000:]
        sys.exit(f"mutmut failed (exit {rc}):\n{tail}")
    return elapsed


def report(patterns: list[str], elapsed: float | None, minimum: float, draft: bool = False) -> int:
    mutants = collect(patterns)
    if not mutants:
        print("no mutants: run without --report first")
        return 1
    by: dict[str, list[Mutant]] = {}
    for m in mutants:
        by.setdefault(m.status, []).append(m)
    killed = len(by.get("killed", [])) + len(by.get("timeout", []))
    survivors = [m for m in mutants if m.status not in ("killed", "timeout")]
    rate = killed / len(mutants)

    print()
    print("module                          mutants  killed  survived  rate")
    modules: dict[str, list[Mutant]] = {}
    for m in mutants:
        modules.setdefault(m.module, []).append(m)
    for mod, ms in modules.items():
        k = sum(1 for m in ms if m.status in ("killed", "timeout"))
        print(f"{mod:<32}{len(ms):>7}{k:>8}{len(ms) - k:>10}  {k / len(ms):6.1%}")

    notes = read_notes()
    unexplained, stale, equivalent, gaps = [], [], [], []
    if survivors:
        print()
        print("survivors:")
    for m in survivors:
        old, new = mutation_of(m)
        verdict = notes.get((m.module, m.function, _norm(old), _norm(new)))
        if verdict is None:  # the function moved to another module (base.py split): match without it
            verdict = next((v for (_, f, o, n), v in notes.items()
                            if (f, o, n) == (m.function, _norm(old), _norm(new))), None)
        if verdict is None:
            tag = "UNEXPLAINED"
            unexplained.append(m)
        elif verdict.lower().startswith("equivalent"):
            tag = verdict
            equivalent.append(m)
        elif verdict.lower().startswith("not yet killed"):
            tag = verdict
            gaps.append(m)
        else:  # "killed by …": the test named no longer kills it
            tag = f"STALE NOTE (it survived): {verdict}"
            stale.append(m)
        print(f"  {m.module} · {m.function} [{m.status}] ({m.name})")
        print(f"      `{old}` → `{new}`")
        print(f"      {tag}")

    print()
    print(f"mutants {len(mutants)}, killed {len(by.get('killed', []))}, "
          f"timeouts {len(by.get('timeout', []))}, survivors {len(survivors)} "
          f"(equivalent {len(equivalent)}, listed as not yet killed {len(gaps)}, "
          f"unexplained {len(unexplained)}, stale notes {len(stale)})")
    print(f"kill rate {rate:.1%} (killed / mutants)"
          + (f"; {killed / (len(mutants) - len(equivalent)):.1%} of the non-equivalent mutants"
             if equivalent else ""))
    if elapsed is not None:
        print(f"run time {elapsed / 60:.1f} min")
    if draft and unexplained:
        print()
        print(f"<!-- draft entries for {NOTES.name}: write the verdict of each -->")
        module = func = None
        for m in unexplained:
            if (m.module, m.function) != (module, func):
                module, func = m.module, m.function
                print(f"\n### {module} · {func}\n")
            old, new = mutation_of(m)
            print(f"- `{old}` → `{new}` — ")
    ok = rate >= minimum and not unexplained and not stale
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-m", "--modules", nargs="+", default=MODULES,
                    help="mutmut mutant-name patterns (default: every module in scope)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="mutants run in parallel (default 2)")
    ap.add_argument("--fresh", action="store_true", help="remove mutants/ first (a clean run)")
    ap.add_argument("--report", action="store_true", help="no run: report the last run's results")
    ap.add_argument("--min", type=float, default=0.90, help="kill rate required (default 0.90)")
    ap.add_argument("--draft", action="store_true",
                    help=f"also print a {NOTES.name} entry for each unexplained survivor")
    args = ap.parse_args(argv)
    try:
        import mutmut  # noqa: F401
    except ImportError:
        sys.exit("mutmut is not installed: pip install -e '.[test,mutation]'")
    elapsed = None if args.report else run(args.modules, args.jobs, args.fresh)
    return report(args.modules, elapsed, args.min, args.draft)


if __name__ == "__main__":
    sys.exit(main())
