"""Suite-wide set-up: under CI the real corpora are inputs, not options.

On a laptop without ``../shared/corpus`` the corpus tests skip; with ``CI``
set, a missing folder ends the run at once with a message naming it (a green
run that skipped every corpus test would say nothing).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
REQUIRED = ("real", "cities")


def missing_inputs(root: Path = SHARED_CORPUS) -> list[Path]:
    return [root / name for name in REQUIRED if not (root / name).is_dir()]


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("CI"):
        missing = missing_inputs()
        if missing:
            pytest.exit("CI: missing test input folder(s): " + ", ".join(map(str, missing))
                        + " (the corpus tests read them; they must be beside the clone)", returncode=3)
