"""A document that matches no template: audited with the generic rules only,
and the report says so (rich: "none recognised (generic rules only)"; JSON:
``template: null``).

The document is the bundled Xinjiang sample, audited with a rule folder that
holds no Xinjiang template (generic + the Jiangsu packs): a real PDF whose
tables match none of the templates given.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"


def _rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    for name in ("base/generic.yaml", "national/national-sentences.yaml", "overlays/jiangsu-dept-budget.yaml",
                 "overlays/narrative-jiangsu.yaml"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "rules" / name, folder / name)
    return folder


def _audit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "auditor", str(SAMPLE), *args], capture_output=True,
                          text=True, timeout=300, cwd=ROOT, stdin=subprocess.DEVNULL,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "COLUMNS": "200"})


def test_no_template_is_said_in_rich_and_json(tmp_path):
    rules = _rules(tmp_path)
    out = tmp_path / "r.json"
    r = _audit("--rules", str(rules), "--format", "json", "-o", str(out))
    assert r.returncode in (0, 1), r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))["documents"][0]
    assert doc["template"] is None
    assert doc.get("error") is None
    assert doc["findings"] and all(f["rule"].startswith("generic.") for f in doc["findings"])  # generic only

    r = _audit("--rules", str(rules), "--lang", "en", "--no-color")
    assert r.returncode in (0, 1), r.stderr
    assert "none recognised (generic rules only)" in r.stdout
