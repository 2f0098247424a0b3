"""camelot in a helper process started early, so that its import overlaps our own start.

Importing camelot (pandas, OpenCV, pdfminer…) costs 0.6–1 s, as much as
reading a document's tables.  A single-document ``audit`` starts this helper
first thing (``start``), then loads the rule packs and classifies the pages
while the helper imports camelot on the other core; the table pages are then
read there (``read``: any ``readers.TableReader``, rebuilt in the helper by its
name and engine) and the grids come back as JSON.  Batch workers keep
camelot imported for many documents and do not need this.

Anything going wrong with the helper (it died, a platform without ``fork``)
makes ``read`` answer None and the caller reads in-process as before.
"""

from __future__ import annotations

import atexit
import json
import sys
from typing import Any

from ..model import Issue
from .grid import GCell, Grid
from .readers import TableReader, reader_for

_worker: Any = None  # (process, connection) once started


def start() -> None:
    """Fork the helper, unless camelot is imported here already (tests, batches)."""
    global _worker
    if _worker is not None or "camelot" in sys.modules:
        return
    import multiprocessing

    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this platform
        return
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_serve, args=(child, parent), daemon=True, name="camelot-prefetch")
    proc.start()
    child.close()
    _worker = (proc, parent)
    atexit.register(stop)


def stop() -> None:
    global _worker
    if _worker is None:
        return
    proc, conn = _worker
    _worker = None
    conn.close()
    if proc.is_alive():
        proc.terminate()  # it holds nothing worth a clean exit; waiting costs the user time
    proc.join(timeout=1)


def read(reader: TableReader, path: str, pages: list[int],
         password: str | None) -> tuple[list[Grid], list[Issue]] | None:
    """The grids of ``pages`` read by ``reader`` in the helper; None when there is no helper."""
    if _worker is None:
        return None
    proc, conn = _worker
    request = {"reader": reader.name, "engine": reader.engine, "path": path, "pages": pages,
               "password": password}
    try:
        conn.send_bytes(json.dumps(request).encode())
        answer = json.loads(conn.recv_bytes())
    except (OSError, EOFError, ValueError):
        stop()
        return None
    except BaseException:  # a --timeout while waiting: the helper is busy, end it
        stop()
        raise
    grids = [_grid(g) for g in answer["grids"]]
    issues = [Issue(**i) for i in answer["issues"]]
    return grids, issues


def _serve(conn: Any, other: Any = None) -> None:  # pragma: no cover - runs in the helper process
    # The parent's end, inherited by the fork, closed here: when the parent dies
    # (killed by a --timeout of its caller, say) ``recv`` ends instead of waiting for ever.
    if other is not None:
        other.close()
    import camelot  # noqa: F401  (what the helper is for: this import, early)

    while True:
        try:
            request = json.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        issues: list[Issue] = []
        try:
            reader = reader_for(request["reader"], request["engine"])
            grids = reader.read(request["path"], request["pages"], request["password"], issues)
        except Exception as e:  # reported like an in-process failure
            grids = []
            issues.append(Issue("table-unreadable", f"camelot failed ({type(e).__name__}: {e})"[:300]))
        conn.send_bytes(json.dumps({"grids": [_grid_dict(g) for g in grids],
                                    "issues": [i.to_dict() for i in issues]}).encode())


def _grid_dict(g: Grid) -> dict[str, Any]:
    return {"page": g.page, "bbox": list(g.bbox), "source": g.source,
            "cells": [[[c.text, list(c.bbox), c.region] for c in row] for row in g.cells],
            "region_text": [[k, v] for k, v in g.region_text.items()]}


def _grid(d: dict[str, Any]) -> Grid:
    cells = [[GCell(text, tuple(bbox), region) for text, bbox, region in row] for row in d["cells"]]
    return Grid(page=d["page"], bbox=tuple(d["bbox"]), cells=cells,  # type: ignore[arg-type]
                region_text={int(k): v for k, v in d["region_text"]}, source=d["source"])
