"""One document, end to end: read it, pick its template, run the rules.

Every failure to read becomes ``Audit.error`` (a code and one line), never an
exception: in a batch, one bad file never stops the rest.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from .model import Audit


def audit_path(path: str, packs, *, password: str | None = None, max_pages: int = 2000) -> Audit:
    """One document (``A.pdf``, or ``N.pdf+T.pdf`` for a disclosure in two files)."""
    from .compose import audit_parts, split_parts

    return audit_parts(split_parts(path) or [path], packs, password=password, max_pages=max_pages)


class TimeLimit(BaseException):
    """Raised in the main thread when a document takes longer than --timeout.

    A ``BaseException``, so no ``except Exception`` on the way (a check, a
    library) can swallow it.
    """


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``TimeLimit`` after ``seconds`` (wall time); no limit when 0/None or
    off the main thread (batch workers have their own, in the parent)."""
    if not seconds or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum, frame):
        raise TimeLimit()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def audit_in_time(path: str, packs, *, timeout: float | None, **options) -> Audit:
    """``compose.audit_spec`` (one document: A.pdf, A.pdf+B.pdf, --previous, --strict)
    stopped after ``timeout`` seconds as a failed document with code ``timeout``."""
    from .compose import audit_spec

    start = time.perf_counter()
    try:
        with time_limit(timeout):
            return audit_spec(path, packs, **options)
    except TimeLimit:
        return Audit(path=path, document=None, template=None, findings=(), outcomes=(),
                     error=("timeout", f"stopped after {timeout:g} s (--timeout)"),
                     seconds=time.perf_counter() - start)
