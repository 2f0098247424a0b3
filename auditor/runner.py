"""One document, end to end: read it, pick its template, run the rules.

Every failure to read becomes ``Audit.error`` (a code and one line), never an
exception: in a batch, one bad file never stops the rest.
"""

from __future__ import annotations

import dataclasses
import time

from .errors import InputError
from .model import Audit


def audit_path(path: str, packs, *, password: str | None = None, max_pages: int = 2000) -> Audit:
    from .engine import audit as run_audit
    from .extract import load_document

    from .compose import audit_parts, split_parts

    parts = split_parts(path)  # narrative.pdf+tables.pdf: one disclosure in two files
    if parts:
        return audit_parts(parts, packs, password=password, max_pages=max_pages)
    start = time.perf_counter()
    try:
        doc = load_document(path, password=password, max_pages=max_pages)
    except InputError as e:
        return Audit(path=path, document=None, template=None, findings=(), outcomes=(),
                     error=(e.code, e.message), seconds=time.perf_counter() - start)
    except Exception as e:  # a bug in extraction must not end a batch
        return Audit(path=path, document=None, template=None, findings=(), outcomes=(),
                     error=("internal", f"{type(e).__name__}: {e}"),
                     seconds=time.perf_counter() - start)
    result = run_audit(doc, packs)
    return dataclasses.replace(result, path=path, seconds=time.perf_counter() - start)
