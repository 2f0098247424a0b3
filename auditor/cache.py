"""A content-addressed cache of audit results, as JSON files (never pickle).

Two levels, so that a change of rules re-runs only the (cheap) checks:

- ``documents/``: what extraction read from a PDF (``Document.to_dict()``), or
  the ``InputError`` it raised, keyed by the PDF's sha256, the tool version
  and a hash of the extraction code, and the extraction options
  (``--max-pages``, a hash of ``--password``);
- ``results/``: the finished ``documents[]`` entry of the JSON report (with its
  findings' messages in every language), keyed by the document key plus a hash
  of the rule packs' content and of the whole package's code (checks, engine,
  report shape) and ``--strict``.  Waivers are applied after the cache, never
  stored in it: an edited waiver file takes effect on the next run.

Entries are written to a temporary file and renamed, so concurrent workers
(or a run killed mid-write) never leave a half-written entry; an unreadable
entry counts as a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__

FORMAT = 1  # bump when the layout of an entry changes


def file_sha256(path: str) -> str:
    """The sha256 of a regular file (OSError for anything else: a FIFO would block)."""
    if not os.path.isfile(path):
        raise OSError(f"{path}: not a regular file")
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# What extraction is made of: a change here must re-read the PDFs; a change
# anywhere else in the package (checks, engine, reports) only re-runs the rules.
EXTRACTION_CODE = ("extract", "model.py", "narrative.py", "numbers.py", "errors.py")


@lru_cache(maxsize=2)
def code_fingerprint(part: str = "all") -> str:
    """The tool version plus a hash of the auditor's own source (``part``:
    ``"extraction"`` or ``"all"``).

    The version alone is not enough while the code changes between releases;
    hashing the package's ``.py`` files (a few hundred kB) once per process
    costs milliseconds.
    """
    h = hashlib.sha256(f"budget-audit {__version__} cache {FORMAT}".encode())
    root = Path(__file__).resolve().parent
    # the code book (data/*.yaml) decides findings as the code does
    for p in sorted([*root.rglob("*.py"), *root.glob("data/*.yaml")]):
        rel = p.relative_to(root)
        if part == "extraction" and rel.parts[0] not in EXTRACTION_CODE:
            continue
        h.update(str(rel).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def text_hash(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode())
        h.update(b"\0")
    return h.hexdigest()


class Cache:
    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    def document_key(self, pdf_sha256: str, *, password: str | None, max_pages: int) -> str:
        pw = "" if password is None else hashlib.sha256(password.encode()).hexdigest()
        return text_hash("document", pdf_sha256, code_fingerprint("extraction"),
                         f"max_pages={max_pages}", f"password={pw}")

    @staticmethod
    def result_key(document_key: str, packs_hash: str, *, strict: bool = False) -> str:
        return text_hash("result", document_key, packs_hash, code_fingerprint("all"),
                         f"strict={bool(strict)}")

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / f"{key}.json"

    def get(self, kind: str, key: str) -> Any | None:
        try:
            with open(self._path(kind, key), encoding="utf-8") as fh:
                return json.load(fh)
        except (OSError, ValueError):
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store an entry; a cache that cannot be written is no reason to fail an audit."""
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(value, fh, ensure_ascii=False, separators=(",", ":"))
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError:
            pass
