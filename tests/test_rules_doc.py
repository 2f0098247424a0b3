"""docs/RULES.md documents every check kind, generated from the kind modules' docstrings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from auditor.checks import KINDS

ROOT = Path(__file__).resolve().parents[1]


def test_the_kinds_section_of_rules_md_is_up_to_date() -> None:
    r = subprocess.run([sys.executable, "scripts/rules_doc.py", "--check"], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_every_kind_is_documented() -> None:
    text = (ROOT / "docs" / "RULES.md").read_text(encoding="utf-8")
    for kind, module in KINDS.items():
        assert f"### `{kind}`" in text, kind
        assert (module.__doc__ or "").startswith(f"{kind}: "), kind
