"""Fuzz: seeded byte flips in the sample PDFs never crash or hang the auditor.

Each mutant is audited in-process (``audit_path``, as a batch worker does)
on a small process pool, under a per-document time limit: the result must be
an audit or a failure with a known error code (never ``internal``), and its
exit code one of 0, 1, 2.  A mutant that raises or runs past the limit fails
the test with its seed, so it can be reproduced.  A few mutants also go
through the CLI (one batch) to check stderr holds no traceback.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, TimeoutError as FutureTimeout
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"
MUTANTS = 200
PER_DOC = 30.0  # seconds: a mutant taking longer is a hang
SEED = 20260204

pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="sample PDF absent")


def seeds(folder: Path) -> list[Path]:
    """Small PDFs cut from the sample (a few table pages each, a narrative page), and one raw PDF."""
    import pypdfium2 as pdfium

    from bad_inputs.cases import raw_pdf, text_stream

    src = pdfium.PdfDocument(str(SAMPLE))
    out = []
    for name, pages in (("t123", [4, 5, 6]), ("t56n", [8, 9, 10, 18]), ("t8-11", [12, 13, 14, 15])):
        doc = pdfium.PdfDocument.new()
        doc.import_pages(src, pages)
        p = folder / f"seed-{name}.pdf"
        doc.save(str(p))
        doc.close()
        out.append(p)
    src.close()
    raw = folder / "seed-raw.pdf"
    raw.write_bytes(raw_pdf([text_stream(["Table 1 Budget", "Total 1,234.56", "Part 100.00"])]))
    return [*out, raw]


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    how = rng.random()
    if how < 0.6:  # flip 1..32 random bytes anywhere
        for _ in range(rng.randint(1, 32)):
            b[rng.randrange(len(b))] = rng.randrange(256)
    elif how < 0.8:  # flip bytes in the structure: the first or last 2 KB (header, xref, trailer)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(min(2048, len(b)))
            b[i if rng.random() < 0.5 else len(b) - 1 - i] = rng.randrange(256)
    elif how < 0.9:  # zero a run
        i = rng.randrange(len(b))
        n = rng.randint(1, 4096)
        b[i:i + n] = bytes(len(b[i:i + n]))
    else:  # drop a run (offsets shift: the xref no longer matches)
        i = rng.randrange(len(b))
        del b[i:i + rng.randint(1, 4096)]
    return bytes(b)


class Hang(BaseException):
    """Raised by the alarm: not an Exception, so no ``except Exception`` can hide it."""


def _alarm(signum, frame):  # pragma: no cover - only on a hang
    raise Hang()


def audit_one(path: str) -> tuple[str, str | None, int, float, str | None]:
    from auditor.cli import exit_code
    from auditor.errors import ERROR_CODES
    from auditor.packs import load_packs
    from auditor.runner import audit_path

    packs = audit_one.__dict__.setdefault("packs", load_packs(ROOT / "rules"))
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, PER_DOC)
    start = time.perf_counter()
    try:
        a = audit_path(path, packs)
        code = exit_code([a], "error")
        problem = None
        if a.error and (a.error[0] not in ERROR_CODES or a.error[0] == "internal"):
            problem = f"error {a.error}"
        elif any("internal error" in r for o in a.outcomes for r in o.skip_reasons):
            problem = "a check raised: " + next(r for o in a.outcomes for r in o.skip_reasons
                                                if "internal error" in r)
        return path, a.error[0] if a.error else None, code, time.perf_counter() - start, problem
    except Hang:
        return path, None, -1, time.perf_counter() - start, f"no answer within {PER_DOC} s"
    except BaseException:
        return path, None, -1, time.perf_counter() - start, traceback.format_exc()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def _warm() -> None:
    import auditor.engine  # noqa: F401
    from auditor.extract import warm_up

    warm_up()


def test_fuzzed_pdfs_audit_or_fail_cleanly(tmp_path):
    t0 = time.perf_counter()
    rng = random.Random(SEED)
    base = seeds(tmp_path)
    datas = [p.read_bytes() for p in base]
    mutants = []
    for i in range(MUTANTS):
        k = i % len(base)
        p = tmp_path / f"m{i:03d}-{base[k].stem}.pdf"
        p.write_bytes(mutate(datas[k], rng))
        mutants.append(p)
    codes: dict[str, int] = {}
    problems = []
    slowest = (0.0, "")
    with ProcessPoolExecutor(max_workers=2, initializer=_warm) as pool:
        futures = [pool.submit(audit_one, str(p)) for p in mutants]
        for f in futures:
            try:
                path, err, code, seconds, problem = f.result(timeout=PER_DOC * 3)
            except FutureTimeout:  # stuck in C code: the alarm could not fire
                for proc in list(getattr(pool, "_processes", {}).values()):
                    proc.kill()
                pytest.fail(f"a mutant hung (no answer in {PER_DOC * 3} s)")
            codes[err or f"exit {code}"] = codes.get(err or f"exit {code}", 0) + 1
            slowest = max(slowest, (seconds, Path(path).name))
            if problem or code not in (0, 1, 2):
                problems.append(f"{Path(path).name}: {problem}")
    elapsed = time.perf_counter() - t0
    print(f"\nfuzz: {MUTANTS} mutants in {elapsed:.1f} s (slowest {slowest[0]:.1f} s: {slowest[1]}); "
          f"outcomes {dict(sorted(codes.items()))}")
    assert not problems, "\n".join(problems[:5])
    assert elapsed < 180


def test_fuzzed_pdfs_through_the_cli_batch(tmp_path):
    """A handful of mutants through `audit DIR --format jsonl`: exit 0/1/2, no traceback."""
    rng = random.Random(SEED + 1)
    (tmp_path / "seeds").mkdir()
    base = seeds(tmp_path / "seeds")
    folder = tmp_path / "mutants"
    folder.mkdir()
    for i in range(12):
        src = base[i % len(base)]
        (folder / f"m{i:02d}.pdf").write_bytes(mutate(src.read_bytes(), rng))
    r = subprocess.run([sys.executable, "-m", "auditor", str(folder), "--format", "jsonl", "--jobs", "2",
                        "--timeout", "60"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode in (0, 1, 2)
    assert "Traceback" not in r.stderr, r.stderr
    docs = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    assert len(docs) == 12
    assert not [d for d in docs if d["error"] and d["error"]["code"] in ("internal", "timeout")]
