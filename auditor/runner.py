"""The names of one document's audit before ``auditor.pipeline``; kept so that code
written against them still runs.  New code calls ``auditor.pipeline.audit``."""

from __future__ import annotations

from typing import Any

from .model import Audit
from .pipeline import Options, TimeLimit, audit, time_limit


def audit_path(path: str, packs: Any, *, password: str | None = None, max_pages: int = 2000) -> Audit:
    """One document (``A.pdf``, or ``N.pdf+T.pdf``): ``pipeline.audit`` without a time limit."""
    return audit(path, packs, Options(password=password, max_pages=max_pages))


def audit_in_time(path: str, packs: Any, *, timeout: float | None, previous: str | None = None,
                  strict_mode: bool = False, password: str | None = None, max_pages: int = 2000) -> Audit:
    """``pipeline.audit`` with ``--timeout``, ``--previous`` and ``--strict``."""
    return audit(path, packs, Options(password=password, max_pages=max_pages, strict=strict_mode,
                                      timeout=timeout), previous=previous)


__all__ = ["audit_path", "audit_in_time", "time_limit", "TimeLimit"]
