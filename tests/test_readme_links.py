"""README and docs/ link only to files that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
PATH = re.compile(r"`((?:docs|rules|auditor|tests|bench|scripts|samples)/[\w./-]+\.(?:md|py|yaml|json|pdf))`")


def test_every_link_and_named_file_exists() -> None:
    dead = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for target in LINK.findall(text):
            if "://" in target:
                continue
            if not (doc.parent / target).exists():
                dead.append(f"{doc.name}: ({target})")
        for target in PATH.findall(text):
            if "*" not in target and not (ROOT / target).exists():
                dead.append(f"{doc.name}: `{target}`")
    assert not dead, dead
