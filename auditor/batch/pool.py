"""Worker processes on this machine, one document at a time each.

A ``WorkerProcess`` is a child ``python -m auditor.batch`` (see
worker.py for the JSON-lines protocol).  ``run_local`` keeps N of them busy
and yields results in completion order.  A document that runs past the
timeout is stopped for real: its worker is killed and replaced; a worker
that dies (a crash in a PDF library) fails only its own document.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from collections import deque
from typing import Any, Iterator

from .worker import failed_document

INIT_TIMEOUT = 180.0  # seconds a worker may take to import and load the packs


class WorkerError(Exception):
    """A worker that cannot start: the batch cannot run (exit 2)."""


class WorkerProcess:
    """``init``: the first message, sent now; None for a worker started ahead of its
    batch (``prestart``), sent later with ``start``.  ``warm``: the worker imports the
    PDF libraries before it reads its first message (the real task needs them)."""

    def __init__(self, init: dict[str, Any] | None, *, warm: bool = False):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "auditor.batch", *(["--warm"] if warm else [])],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None,
            text=True, encoding="utf-8", bufsize=1,
        )
        self.started = time.monotonic()
        self.ready = False
        self.task: tuple[int, str] | None = None
        self.task_started = 0.0
        self.done = 0
        if init is not None:
            self.start(init)

    def start(self, init: dict[str, Any]) -> None:
        self.started = time.monotonic()
        self._write(init)

    @property
    def stdout(self) -> Any:
        return self.proc.stdout

    def _write(self, msg: dict[str, Any]) -> bool:
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps(msg, ensure_ascii=False) + "\n")
            self.proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError):
            return False

    def send(self, index: int, path: str) -> bool:
        self.task = (index, path)
        self.task_started = time.monotonic()
        return self._write({"id": index, "path": path})

    def read(self) -> dict[str, Any] | None:
        """The next message, or None when the worker is gone."""
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.endswith("\n"):
            return None
        try:
            return json.loads(line)
        except ValueError:
            return None

    def wait_ready(self, timeout: float = INIT_TIMEOUT) -> None:
        """Block until the worker has loaded the packs (used outside a pool)."""
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        try:
            if not sel.select(timeout):
                self.kill()
                raise WorkerError(f"a worker did not start within {timeout:g} s")
        finally:
            sel.close()
        self.on_hello(self.read())

    def on_hello(self, msg: dict[str, Any] | None) -> None:
        if msg is None or "fatal" in msg or not msg.get("ready"):
            detail = (msg or {}).get("fatal") or f"exit code {self.proc.poll()}"
            self.kill()
            raise WorkerError(f"a worker could not start: {detail}")
        self.ready = True

    def run(self, index: int, path: str, timeout: float | None) -> dict[str, Any] | None:
        """Audit one document; None if it ran past the timeout (the worker is then killed)."""
        if not self.send(index, path):
            self.task = None
            raise WorkerError("the worker is gone")
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        try:
            if not sel.select(timeout or None):
                self.kill()
                return None
        finally:
            sel.close()
        msg = self.read()
        self.task = None
        if msg is None:
            raise WorkerError(f"the worker died (exit code {self.exit_code()})")
        return msg

    def alive(self) -> bool:
        return self.proc.poll() is None

    def exit_code(self) -> int | None:
        try:
            return self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self._reap()

    def close(self) -> None:
        """Ask the worker to finish (end of input); kill it if it does not."""
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._reap()

    def _reap(self) -> None:
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for s in (self.proc.stdin, self.proc.stdout):
            try:
                if s:
                    s.close()
            except OSError:
                pass


def timeout_document(path: str, timeout: float) -> dict[str, Any]:
    return failed_document(path, "timeout",
                           f"no result after {timeout:g} s (--timeout); the document was stopped")


def died_document(path: str, code: int | None) -> dict[str, Any]:
    how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    return failed_document(path, "internal",
                           f"the worker process died while reading the document ({how})")


_prestarted: list[WorkerProcess] = []


def prestart(jobs: int) -> None:
    """Start ``jobs`` workers now, before the batch is ready to run: they import the
    PDF libraries (about a second) while this process finds the files and checks
    the rule packs and waivers; ``run_local`` then gives them their first message.
    For the real per-document task only (the workers import what it needs)."""
    global _prestarted
    stop_prestarted()
    try:
        _prestarted = [WorkerProcess(None, warm=True) for _ in range(max(0, jobs))]
    except OSError:  # pragma: no cover - no processes: run_local starts its own (and says why)
        stop_prestarted()
    if _prestarted:
        import atexit

        atexit.register(stop_prestarted)


def stop_prestarted() -> None:
    """End the workers ``prestart`` started that no batch took (a bad rule pack, say)."""
    global _prestarted
    for w in _prestarted:
        w.kill()
    _prestarted = []


def _take_prestarted(init: dict[str, Any]) -> WorkerProcess | None:
    from .worker import DEFAULT_TASK

    while _prestarted:
        w = _prestarted.pop(0)
        if (init.get("task") or DEFAULT_TASK) != DEFAULT_TASK or not w.alive():
            w.kill()
            continue
        w.start(init)
        return w
    return None


def run_local(files: list[str], init: dict[str, Any], *, jobs: int, timeout: float | None,
              max_tasks: int = 250) -> Iterator[dict[str, Any]]:
    """Audit ``files`` on ``jobs`` worker processes; yield each result as it finishes.

    A result is the worker's message plus ``index`` and ``path``.  Workers are
    replaced after ``max_tasks`` documents, so a slow leak in a PDF library
    cannot grow without bound.
    """
    pending = deque(enumerate(files))
    sel = selectors.DefaultSelector()
    workers: list[WorkerProcess] = []

    def spawn() -> None:
        w = _take_prestarted(init) or WorkerProcess(init)
        workers.append(w)
        sel.register(w.stdout, selectors.EVENT_READ, w)

    def retire(w: WorkerProcess, kill: bool) -> None:
        sel.unregister(w.stdout)
        workers.remove(w)
        w.kill() if kill else w.close()
        if pending and len(workers) < jobs:
            spawn()

    def result(w: WorkerProcess, document: dict[str, Any], **extra: Any) -> dict[str, Any]:
        assert w.task is not None
        index, path = w.task
        w.task = None
        return {"index": index, "path": path, "document": document, "seconds": 0.0,
                "extractions": 0, "cache": None, **extra}

    try:
        for _ in range(min(jobs, len(files))):
            spawn()
        stop_prestarted()  # more started than this batch needs
        while workers and (pending or any(w.task for w in workers)):
            for w in workers:
                if w.ready and w.task is None and pending:
                    index, path = pending.popleft()
                    w.send(index, path)  # a dead worker shows as end of file below
            now = time.monotonic()
            deadlines = [w.started + INIT_TIMEOUT for w in workers if not w.ready]
            if timeout:
                deadlines += [w.task_started + timeout for w in workers if w.task]
            wait = max(0.0, min(deadlines) - now) if deadlines else None
            for key, _ in sel.select(wait):
                w = key.data
                msg = w.read()
                if not w.ready:
                    try:
                        w.on_hello(msg)
                    except WorkerError:
                        sel.unregister(w.stdout)
                        workers.remove(w)
                        raise
                    continue
                if msg is None:  # died: a crash inside a library, or killed from outside
                    if w.task:
                        yield result(w, died_document(w.task[1], w.exit_code()))
                    retire(w, kill=True)
                    continue
                yield result(w, msg["document"],
                             **{k: v for k, v in msg.items() if k not in ("id", "document")})
                w.done += 1
                if w.done >= max_tasks:
                    retire(w, kill=False)
            now = time.monotonic()
            for w in list(workers):
                if not w.ready and now > w.started + INIT_TIMEOUT:
                    raise WorkerError(f"a worker did not start within {INIT_TIMEOUT:g} s")
                if timeout and w.task and now > w.task_started + timeout:
                    w.kill()
                    yield result(w, timeout_document(w.task[1], timeout),
                                 seconds=round(now - w.task_started, 3))
                    retire(w, kill=True)
    finally:
        for w in workers:
            w.kill() if w.task else w.close()
        sel.close()


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1
