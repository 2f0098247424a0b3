"""Reporters: render ``Audit`` results; they never compute a relation.

Each format is a module with ``render(audits, out, **options)``.  Options
every reporter accepts (and ignores when they do not apply): ``color``,
``lang`` (``zh``/``en``, default from the locale), ``waivers`` (``Applied``
per document path, from ``auditor.waivers``) and ``packs`` (the ``PackSet``,
for rule descriptions).
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

MODULES = {
    "rich": "rich_report",
    "json": "json_report",
    "html": "html_report",
    "markdown": "markdown_report",
    "sarif": "sarif_report",
    "junit": "junit_report",
}
FORMATS = tuple(MODULES)


def get_reporter(fmt: str) -> Callable[..., Any]:
    if fmt not in MODULES:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return importlib.import_module(f".{MODULES[fmt]}", __name__).render
