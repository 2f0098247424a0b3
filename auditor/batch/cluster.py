"""The same batch on an existing Dask distributed cluster (``--scheduler``).

The client submits one task per document (a bounded window of them, so a
folder of any size costs the scheduler little) and yields the results in
completion order (``distributed.as_completed``).  On the cluster, each worker
thread audits through its own ``auditor.batch.worker`` child process, exactly
as a local batch does: the timeout really stops a document (the child is
killed), and a crash in a PDF library never takes the Dask worker down.

The documents' paths (and ``--cache-dir``) must be readable by the workers,
e.g. on a shared file system; the rule packs travel with the tasks.
Dask is imported only here, when ``--scheduler`` is given.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any, Iterator

from .pool import WorkerError, WorkerProcess, died_document, timeout_document
from .worker import failed_document

IDLE_EXIT = 300.0  # an idle child process on a Dask worker exits after this many seconds

_helpers: dict[int, tuple[str, WorkerProcess]] = {}  # thread id → (init key, process)
_lock = threading.Lock()


class ClusterError(Exception):
    """The cluster cannot be used: one line for the user, exit code 2."""


def dask_task(index: int, path: str, init: dict[str, Any], timeout: float | None) -> dict[str, Any]:
    """Runs on a Dask worker: audit one document in this thread's child process."""
    tid = threading.get_ident()
    with _lock:
        held = _helpers.pop(tid, None)
    helper = held[1] if held and held[0] == init["key"] else None
    if held and helper is None:
        held[1].close()
    for attempt in (1, 2):
        if helper is None or not helper.alive():
            helper = WorkerProcess({**init, "idle_exit": IDLE_EXIT})
            try:
                helper.wait_ready()
            except WorkerError as e:
                return _message(failed_document(path, "internal", str(e)))
        try:
            msg = helper.run(index, path, timeout)
        except WorkerError:
            code = helper.exit_code()
            helper.kill()
            if helper.task is None and attempt == 1:  # it had just exited idle: start afresh
                helper = None
                continue
            return _message(died_document(path, code))
        if msg is None:  # timed out: the child was killed
            return _message(timeout_document(path, timeout or 0), seconds=timeout or 0)
        with _lock:
            _helpers[tid] = (init["key"], helper)
        return {k: v for k, v in msg.items() if k != "id"}
    raise AssertionError("unreachable")


def _message(document: dict[str, Any], seconds: float = 0.0) -> dict[str, Any]:
    return {"document": document, "seconds": seconds, "extractions": 0, "cache": None}


def _reachable(scheduler: str) -> None:
    """Fail fast on a refused connection (Dask itself retries until its timeout)."""
    import socket
    from urllib.parse import urlsplit

    if "://" not in scheduler:
        return
    u = urlsplit(scheduler)
    if u.scheme not in ("tcp", "tls") or not u.hostname or not u.port:
        return
    try:
        socket.create_connection((u.hostname, u.port), timeout=10).close()
    except OSError as e:
        raise ClusterError(f"cannot connect to the Dask scheduler at {scheduler}: "
                           f"{e.strerror or e}") from None


def run_dask(files: list[str], init: dict[str, Any], *, scheduler: str,
             timeout: float | None) -> Iterator[dict[str, Any]]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ClusterError("--scheduler needs Dask: pip install 'budget-audit[dask]'") from None
    _reachable(scheduler)
    try:
        client = Client(scheduler, timeout="15s", set_as_default=False)
    except Exception as e:  # OSError, TimeoutError, ValueError for a bad address...
        raise ClusterError(f"cannot connect to the Dask scheduler at {scheduler}: "
                           f"{type(e).__name__}: {e}".splitlines()[0]) from None
    try:
        try:
            client.wait_for_workers(1, timeout=60)
        except Exception:
            raise ClusterError(f"the Dask cluster at {scheduler} has no workers") from None
        threads = sum(client.nthreads().values()) or 1
        window = max(2 * threads, 4)
        shared = client.scatter(init, broadcast=True, hash=False)
        token = uuid.uuid4().hex[:8]
        todo = iter(enumerate(files))
        where: dict[str, tuple[int, str]] = {}
        ac = as_completed(loop=client.loop)

        def submit_next() -> None:
            item = next(todo, None)
            if item is None:
                return
            index, path = item
            key = f"budget-audit-{token}-{index}"
            where[key] = item
            ac.add(client.submit(dask_task, index, path, shared, timeout, key=key, pure=False,
                                 retries=0))

        for _ in range(min(window, len(files))):
            submit_next()
        for future in ac:
            index, path = where.pop(future.key)
            try:
                msg = future.result()
            except Exception as e:  # KilledWorker, a lost worker, a serialisation error...
                msg = _message(failed_document(
                    path, "internal", f"the Dask task failed: {type(e).__name__}: {e}"[:400]))
            future.release()
            yield {"index": index, "path": path, **msg}
            submit_next()
    finally:
        client.close()
