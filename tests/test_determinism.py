"""The same input and packs give byte-identical JSON (no timestamps, stable order)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample PDF absent")
def test_clean_sample_twice_is_byte_identical(tmp_path):
    outs = []
    for i in range(2):
        out = tmp_path / f"run{i}.json"
        r = subprocess.run([sys.executable, "-m", "auditor", str(SAMPLE), "--format", "json", "-o", str(out)],
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert b'"seconds"' not in outs[0] and b"T00:" not in outs[0]
