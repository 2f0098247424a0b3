"""--timeout in a batch ends a document that never finishes, whatever its worker is doing.

The folder holds the real sample (audited by the real per-document task, in
the real worker processes) and a document whose reading never returns: its
worker is stuck inside C code holding the GIL (libc ``pause()`` called through
``ctypes.PyDLL``, which keeps the GIL, and with SIGINT ignored as the workers
have it nothing wakes it up), as a PDF library looping on a bad file would be.
No Python code can run in that worker any more (no alarm, no signal handler,
no thread): only the parent can end it.  The batch must stop it after
``--timeout``, report it failed with code ``timeout``, audit the sample and
finish.  If the timeout did not work, the batch would never end: the test
waits for it in a thread, bounded, and fails.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from auditor.batch import BatchOptions, audit_batch, discover
from auditor.batch.worker import audit_task
from batch_helpers import Collect

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"
TIMEOUT = 4.0  # seconds per document: the sample takes well under a second in a warm worker


def stuck_or_audited(path: str, ctx):
    """The real task, except for ``stuck*.pdf``: stuck for ever in C, GIL held."""
    if os.path.basename(path).startswith("stuck"):
        Path(path + ".pid").write_text(str(os.getpid()))
        ctypes.PyDLL(None).pause()  # never returns: SIGINT is ignored in a worker
    return audit_task(path, ctx)


stuck_or_audited.prepare = audit_task.prepare  # type: ignore[attr-defined]  # warm up as the real one


@pytest.mark.skipif(not SAMPLE.exists(), reason="sample PDF absent")
def test_timeout_stops_a_worker_stuck_in_c_and_the_batch_finishes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "good.pdf")
    shutil.copy(SAMPLE, folder / "stuck.pdf")
    files = list(discover([folder]).files)
    options = BatchOptions(rules=ROOT / "rules", jobs=2, timeout=TIMEOUT,
                           task=f"{__name__}:stuck_or_audited")
    sink = Collect()
    done: dict = {}

    def run() -> None:
        try:
            done["stats"] = audit_batch(files, options, [sink])
        except BaseException as e:  # pragma: no cover - reported below
            done["error"] = e

    t0 = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(TIMEOUT + 40)  # worker start-up on a loaded machine, then the timeout
    elapsed = time.monotonic() - t0
    pid_file = folder / "stuck.pdf.pid"
    if thread.is_alive():  # the timeout did not fire: clean up, then fail
        if pid_file.exists():
            os.kill(int(pid_file.read_text()), 9)
        pytest.fail(f"the batch did not finish in {elapsed:.0f} s: --timeout {TIMEOUT:g} did not stop the stuck document")
    assert "error" not in done, done.get("error")
    by_name = {Path(r.row.path).name: r for r in sink.results}
    assert sorted(by_name) == ["good.pdf", "stuck.pdf"]
    stuck = by_name["stuck.pdf"].document
    assert stuck["status"] == "failed" and stuck["error"]["code"] == "timeout", stuck["error"]
    good = by_name["good.pdf"].document
    assert good["status"] == "ok" and good["template"] == "xinjiang-unit-budget"
    assert len(good["tables"]) == 12 and good["checks"]["evaluated"] > 100
    stats = done["stats"]
    assert stats.documents == 2 and stats.failed == 1
    # stopped at its timeout, not at the end of some longer wait
    assert TIMEOUT <= by_name["stuck.pdf"].row.seconds < TIMEOUT + 5
    # and the stuck worker is really gone
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
