"""The data files shipped under rules/ (package ``auditor.rules``): read from a
source checkout's ``rules/`` when this module runs from one (so an edit there is
seen without reinstalling), else from the installed package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def shipped_text(name: str) -> str:
    """The text of ``rules/NAME`` (``vocabulary/roles.yaml`` …)."""
    top = Path(__file__).resolve().parent.parent
    own = top / "rules" / name
    if (top / "pyproject.toml").is_file() and own.is_file():
        return own.read_text(encoding="utf-8")
    return resources.files("auditor.rules").joinpath(name).read_text(encoding="utf-8")
