"""One audit, whoever asks for it: the only way from a path to an ``Audit``.

    read the parts → compose (merge two files, attach last year's) → run the
    rules (engine) → --strict

The command line (one document, ``A.pdf+B.pdf`` or ``--tables``,
``--previous``), a batch worker and a Dask cluster's workers (which run the
batch worker) all call ``audit``.  The command line applies waivers to what
it returns (``waivers.apply_all``), a worker to the ``documents[]`` entry it
sends back (``waivers.apply_to_document``).

- ``Options`` holds what applies to every file of a run: ``--password``,
  ``--max-pages``, ``--strict``, ``--timeout`` (wall time, enforced here with
  SIGALRM on the main thread; a batch's parent enforces it by killing the
  worker, so workers pass none).
- ``load`` reads one file into a ``Document`` (``InputError`` when it
  cannot): by default ``auditor.extract.load_document``; a batch worker with
  ``--cache-dir`` passes a reader that serves what it read before.
- A failure never raises: it is an ``Audit`` with ``error`` (``Audit.failed``,
  the one constructor of a failed audit): the reading error's code, ``timeout``
  or ``internal`` for a bug in extraction.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from .compose import PART_SEPARATOR, merge, split_parts, strict, with_previous
from .errors import InputError
from .model import Audit, Document

if TYPE_CHECKING:  # pragma: no cover
    from .packs import PackSet

# One file → its Document; raises InputError when the file cannot be read.
Loader = Callable[[str], Document]


@dataclass(frozen=True)
class Options:
    """The options of a run that apply to every document of it."""

    password: str | None = None
    max_pages: int = 2000
    strict: bool = False  # a skipped rule is an error finding
    timeout: float | None = None  # seconds of wall time, None or 0: no limit


def audit(spec: str, packs: PackSet, options: Options = Options(), *, previous: str | None = None,
          load: Loader | None = None) -> Audit:
    """One document as the command line names it (``A.pdf`` or ``A.pdf+B.pdf``), with last
    year's (``previous``, the same forms): read, composed, checked, within the time limit."""
    start = time.perf_counter()
    try:
        with time_limit(options.timeout):
            return _audit(spec, packs, options, previous, load)
    except TimeLimit:
        return Audit.failed(spec, "timeout", f"stopped after {options.timeout:g} s (--timeout)",
                            seconds=time.perf_counter() - start)


def _audit(spec: str, packs: PackSet, options: Options, previous: str | None,
           load: Loader | None) -> Audit:
    from .engine import audit as run_rules

    start = time.perf_counter()
    parts = split_parts(spec) or [spec]
    path = PART_SEPARATOR.join(parts)
    read = load or _reader(options)
    try:
        doc = load_parts(parts, read)
        if previous:
            prev_parts = split_parts(previous) or [previous]
            try:
                prev = load_parts(prev_parts, read)
            except InputError as e:
                raise InputError(e.code, f"--previous {PART_SEPARATOR.join(prev_parts)}: {e.message}") from e
            if hasattr(packs, "align"):  # last year's tables under its template's ids too
                prev = packs.align(prev, packs.select(prev)[0])
            doc = with_previous(doc, prev)
    except InputError as e:
        return Audit.failed(path, e.code, e.message, seconds=time.perf_counter() - start)
    except Exception as e:  # a bug in extraction must not end a batch
        return Audit.failed(path, "internal", f"{type(e).__name__}: {e}", seconds=time.perf_counter() - start)
    result = replace(run_rules(doc, packs), path=path, seconds=time.perf_counter() - start)
    return strict(result) if options.strict else result


def load_parts(paths: Sequence[str], load: Loader) -> Document:
    """Read each file and merge them (``InputError`` names the file that failed)."""
    docs = []
    for p in paths:
        try:
            docs.append(load(p))
        except InputError as e:
            if len(paths) > 1:
                raise InputError(e.code, f"{p}: {e.message}") from e
            raise
    return merge(docs)


def _reader(options: Options) -> Loader:
    from .extract import load_document

    return lambda p: load_document(p, password=options.password, max_pages=options.max_pages)


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

    def expired(signum: int, frame: object) -> None:
        raise TimeLimit()

    prior = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, prior)


__all__ = ["Options", "Loader", "audit", "load_parts", "time_limit", "TimeLimit"]
