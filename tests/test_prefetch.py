"""camelot read in the prefetch helper gives exactly what an in-process read gives,
and a helper that died is replaced by an in-process read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from auditor.extract import load_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"

# runs in a fresh interpreter, where camelot is not imported yet (so the helper starts)
SCRIPT = """
import json, os, signal, sys
from auditor.extract import load_document, prefetch
prefetch.start()
assert prefetch._worker is not None, "no helper started"
if sys.argv[2] == "kill":
    os.kill(prefetch._worker[0].pid, signal.SIGKILL)
    prefetch._worker[0].join()
doc = load_document(sys.argv[1])
print(json.dumps({"tables": [t.to_dict() for t in doc.tables],
                  "helper": prefetch._worker is not None,
                  "camelot_here": "camelot" in sys.modules}, ensure_ascii=False))
"""


def read_in_subprocess(mode: str) -> dict:
    p = subprocess.run([sys.executable, "-c", SCRIPT, str(SAMPLE), mode], capture_output=True,
                       text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_the_helper_reads_what_an_in_process_read_gives():
    here = [t.to_dict() for t in load_document(str(SAMPLE)).tables]
    there = read_in_subprocess("keep")
    assert there["helper"] is True and there["camelot_here"] is False  # read by the helper
    assert there["tables"] == json.loads(json.dumps(here, ensure_ascii=False))


def test_a_dead_helper_falls_back_to_reading_here():
    here = [t.to_dict() for t in load_document(str(SAMPLE)).tables]
    there = read_in_subprocess("kill")
    assert there["helper"] is False and there["camelot_here"] is True
    assert there["tables"] == json.loads(json.dumps(here, ensure_ascii=False))
