"""Reporters: render ``Audit`` results; they never compute a relation.

Each format is a module with ``render(audits, out, **options)``.
"""

from __future__ import annotations

FORMATS = ("rich", "json")


def get_reporter(fmt: str):
    if fmt == "json":
        from . import json_report

        return json_report.render
    if fmt == "rich":
        from . import rich_report

        return rich_report.render
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
