"""Batch audits: a folder of disclosures, on this machine or a Dask cluster.

``discover`` turns the command line into a list of PDFs; ``audit_batch``
audits them in worker processes (``pool.py``) or on a cluster
(``cluster.py``) and hands each result, as soon as it is finished, to the
reporters ("sinks").  Only a small ``SummaryRow`` per document stays in
memory; documents and findings go to the sinks and are dropped, so memory
stays flat however large the folder.

The single-document options hold in a batch too: ``--strict`` and
``--lang`` travel to the workers, and so do the waivers: ``--waivers FILE``
as its text (one file for every document), else each PDF's sidecar
``X.pdf.waivers.yaml``, read by the worker next to the PDF.  Every waiver
file is validated here before any worker starts (``prepare_waivers``).

A sink has ``start(total)``, ``add(result)``, ``finish(stats)`` and
``close()``; one whose ``ordered`` attribute is true receives the results in
the order of the files (for deterministic reports), the others as they
finish (for streaming and progress).  Sinks get each result in the order
given and are finished in reverse order: put a progress display last, so a
document it reports is already written, and it is gone before reports print.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from ..compose import PART_SEPARATOR, pair_parts, split_parts
from ..model import SEVERITY_RANK
from ..waivers import SUFFIX as WAIVERS_SUFFIX
from .worker import DEFAULT_TASK

DEFAULT_TIMEOUT = 300.0


class BatchError(Exception):
    """Bad input or an unusable cluster: one line for the user, exit code 2."""


# ------------------------------------------------------------------ the files


@dataclass(frozen=True)
class Discovery:
    files: tuple[str, ...]
    ignored: int  # files in the folders that are not PDFs (or do not match --glob)


def is_batch(paths: Sequence[str | os.PathLike[str]]) -> bool:
    """One file keeps the single-document report; a folder or several paths make a batch."""
    return len(paths) != 1 or Path(paths[0]).is_dir()


def discover(paths: Sequence[str | os.PathLike[str]], pattern: str | None = None) -> Discovery:
    """The documents to audit, in a stable order: folders searched recursively.

    In a folder, ``X-narrative.pdf`` and ``X-tables.pdf`` are one disclosure,
    listed as ``X-narrative.pdf+X-tables.pdf`` (``auditor.compose.pair_parts``:
    only when exactly one of each shares the stem).

    In a folder, a file is taken when its name ends in ``.pdf`` (any case), or,
    with ``pattern``, when its path relative to the folder or its name matches
    the pattern.  Hidden folders are skipped.  A path named on the command
    line is always taken as it is: one that does not exist, a folder without
    a PDF, a file that is not a PDF becomes a failed entry of the batch with
    its own error code (``not-found``, ``no-pdfs``, ``not-pdf``, ...), and
    the rest go on.
    """
    out: list[str] = []
    seen: set[str] = set()
    ignored = 0
    for arg in paths:
        given = os.fspath(arg)
        found = [given]
        if os.path.isdir(given):
            pdfs, skipped = _walk(given, pattern)
            ignored += skipped
            if pdfs:
                # X-narrative.pdf + X-tables.pdf of one folder: one disclosure (when unambiguous)
                found = [PART_SEPARATOR.join(g) for g in pair_parts(pdfs)]
        for f in found:
            key = os.path.realpath(f)
            if key not in seen:
                seen.add(key)
                out.append(f)
    return Discovery(tuple(out), ignored)


def _walk(top: str, pattern: str | None) -> tuple[list[str], int]:
    """The PDFs under ``top``; none when the folder cannot be read (the folder then
    fails as a document of its own)."""
    found: list[str] = []
    ignored = 0
    for root, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        present = set(names)
        for name in sorted(names):
            if name.endswith(WAIVERS_SUFFIX) and name[:-len(WAIVERS_SUFFIX)] in present:
                continue  # a PDF's sidecar waiver file: read with it, not an "other file"
            full = os.path.join(root, name)
            rel = os.path.relpath(full, top).replace(os.sep, "/")
            if pattern:
                ok = fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(name, pattern)
            else:
                ok = name.lower().endswith(".pdf")
            if ok and not os.path.isdir(full):  # a FIFO or broken link named *.pdf fails as `unreadable`
                found.append(full)
            else:
                ignored += 1
    return found, ignored


# ------------------------------------------------------------------ options and results


@dataclass(frozen=True)
class BatchOptions:
    rules: Path
    jobs: int = 1
    timeout: float | None = DEFAULT_TIMEOUT  # seconds per document; None: no limit
    password: str | None = None
    max_pages: int = 2000
    cache_dir: Path | None = None
    scheduler: str | None = None  # tcp://host:port of a Dask scheduler
    task: str = DEFAULT_TASK  # "module:function" run per document (tests inject fakes)
    lang: str = "en"  # of the finding messages handed to the sinks (and of waiver errors)
    strict: bool = False  # --strict: a skipped rule is an error finding
    waivers: Path | None = None  # --waivers FILE for every document; None: each PDF's sidecar
    families: Any = None  # families.Selection of --select / --ignore / the config file; None: all


@dataclass(frozen=True)
class WaiverPlan:
    """The waivers of a batch, validated before any worker starts."""

    explicit: tuple[str, str] | None = None  # (path, text) of --waivers FILE
    in_play: bool = False  # a waiver file applies to some document


def prepare_waivers(files: Sequence[str], options: BatchOptions) -> WaiverPlan:
    """Read and validate ``--waivers FILE``, else every sidecar of ``files``; a bad
    one is a ``BatchError`` ``FILE:LINE:COL: message``, as for a single document."""
    from ..waivers import WaiverError, load, parse, read_text, sidecar

    try:
        if options.waivers is not None:
            path = os.fspath(options.waivers)
            text = read_text(path)
            parse(text, path, options.lang)
            return WaiverPlan(explicit=(path, text), in_play=True)
        in_play = False
        for f in files:
            side = sidecar(f)
            if os.path.isfile(side):
                load(side, options.lang)
                in_play = True
        return WaiverPlan(in_play=in_play)
    except WaiverError as e:
        raise BatchError(str(e)) from None


@dataclass(frozen=True)
class SummaryRow:
    """What the summary keeps of a document once its report has been written.

    ``errors``, ``warnings`` and ``notes`` count the findings that are not
    waived (what decides the exit code, as in the single-document rich
    report); ``waived`` counts the waived ones.  (The JSON report's
    ``summary.errors`` counts every finding listed, waived or not.)
    """

    index: int
    path: str
    status: str  # "ok" | "failed" (could not be audited)
    error: str | None  # the error code of a failed document
    template: str | None
    tables: int
    errors: int
    warnings: int
    notes: int
    seconds: float
    cache: str | None = None  # "result" / "document" / "miss" with --cache-dir
    waived: int = 0

    @property
    def worst(self) -> int:
        """The rank of the worst finding (3 error … 1 note, 0 none)."""
        for sev, n in (("error", self.errors), ("warning", self.warnings), ("note", self.notes)):
            if n:
                return SEVERITY_RANK[sev]
        return 0

    def fails(self, fail_on: str) -> bool:
        """Could not be audited, or has a finding at or above ``fail_on``."""
        if self.status == "failed":
            return True
        return fail_on != "never" and self.worst >= SEVERITY_RANK[fail_on]

    @classmethod
    def of(cls, index: int, document: dict[str, Any], seconds: float,
           cache: str | None = None) -> SummaryRow:
        count = {"error": 0, "warning": 0, "note": 0, "waived": 0}
        for f in document.get("findings", ()):
            key = "waived" if "waived" in f else f["severity"]
            count[key] = count.get(key, 0) + 1
        err = document.get("error")
        return cls(index=index, path=document["path"], status=document["status"],
                   error=err["code"] if err else None, template=document.get("template"),
                   tables=len(document.get("tables", ())), errors=count["error"],
                   warnings=count["warning"], notes=count["note"], seconds=float(seconds or 0),
                   cache=cache, waived=count["waived"])


@dataclass(frozen=True)
class DocResult:
    index: int
    document: dict[str, Any]  # a documents[] entry of the JSON report
    row: SummaryRow
    extractions: int = 0
    # the findings' messages in BatchOptions.lang, one per finding (None: use each `message`)
    messages: list[str] | None = None
    # {"file": the waiver file applied, "stale": [{source, line, col, rule, where}]} or None
    waivers: dict[str, Any] | None = None

    def message(self, i: int) -> str:
        if self.messages is not None and i < len(self.messages):
            return self.messages[i]
        return self.document["findings"][i]["message"]


@dataclass
class BatchStats:
    total: int = 0  # documents to audit
    workers: int = 0
    ignored: int = 0  # files in the folders that were not PDFs
    documents: int = 0  # documents finished
    failed: int = 0
    errors: int = 0
    warnings: int = 0
    notes: int = 0
    extractions: int = 0  # PDFs actually read; 0 on a re-run over an unchanged folder
    from_cache: int = 0  # documents served from --cache-dir
    seconds: float = 0.0  # wall time
    rows: list[SummaryRow] = field(default_factory=list)
    waivers: bool = False  # waiver files in play (the reports then say what was waived)
    waived: int = 0  # findings waived
    # a waiver is stale when it matched nothing in any document its file applied to
    _file_uses: dict[str, int] = field(default_factory=dict, repr=False)
    _stale_seen: dict[tuple[str, int, int], list[Any]] = field(default_factory=dict, repr=False)

    def add(self, r: DocResult) -> None:
        row = r.row
        self.documents += 1
        self.failed += row.status == "failed"
        self.errors += row.errors
        self.warnings += row.warnings
        self.notes += row.notes
        self.waived += row.waived
        self.extractions += r.extractions
        self.from_cache += row.cache in ("result", "document")
        self.rows.append(row)
        if r.waivers:
            self.waivers = True
            file = r.waivers["file"]
            self._file_uses[file] = self._file_uses.get(file, 0) + 1
            for w in r.waivers["stale"]:
                seen = self._stale_seen.setdefault((w["source"], w["line"], w["col"]), [w, 0])
                seen[1] += 1

    @property
    def stale_waivers(self) -> list[dict[str, Any]]:
        """The waivers that matched no finding: ``{source, line, col, rule, where}``, in file
        order.  ``--waivers FILE`` applies to every document: one of its waivers is stale
        when it matched in none of them (as in a single run over several documents)."""
        return [w for key, (w, n) in sorted(self._stale_seen.items())
                if n >= self._file_uses.get(w["source"], 0)]

    @property
    def per_minute(self) -> float:
        return 60.0 * self.documents / self.seconds if self.seconds > 0 else 0.0

    def exit_code(self, fail_on: str) -> int:
        """The worst over all documents: 2 if any failed, 1 if any has findings at ``fail_on``."""
        if self.failed:
            return 2
        return 1 if any(r.fails(fail_on) for r in self.rows) else 0

    def sorted_rows(self) -> list[SummaryRow]:
        return sorted(self.rows, key=lambda r: r.index)


# ------------------------------------------------------------------ running


def worker_init(options: BatchOptions, waivers: WaiverPlan | None = None) -> dict[str, Any]:
    """The first message to every worker: the task, the rule packs and ``--waivers FILE``
    as data, the options."""
    from .worker import packs_hash, rules_payload

    rules = rules_payload(options.rules, options.families)
    explicit = waivers.explicit if waivers else None
    init = {
        "task": options.task,
        "sys_path": [os.path.abspath(p) for p in sys.path if p],
        "rules": rules,
        "packs_hash": packs_hash(rules),
        "password": options.password,
        "max_pages": options.max_pages,
        "cache_dir": os.path.abspath(options.cache_dir) if options.cache_dir else None,
        "lang": options.lang,
        "strict": options.strict,
        "waivers": {"path": explicit[0], "text": explicit[1]} if explicit else None,
    }
    init["key"] = hashlib.sha256(json.dumps(init, sort_keys=True).encode()).hexdigest()[:16]
    return init


def _stream(files: Sequence[str], options: BatchOptions,
            waivers: WaiverPlan | None = None) -> Iterator[dict[str, Any]]:
    from .cluster import ClusterError, run_dask
    from .pool import WorkerError, run_local

    init = worker_init(options, waivers)
    try:
        if options.scheduler:
            absolute = [PART_SEPARATOR.join(os.path.abspath(p) for p in (split_parts(f) or [f]))
                        for f in files]
            for msg in run_dask(absolute, init, scheduler=options.scheduler,
                                timeout=options.timeout):
                yield _as_given(msg, absolute[msg["index"]], files[msg["index"]])
        else:
            yield from run_local(list(files), init, jobs=max(1, options.jobs),
                                 timeout=options.timeout)
    except (WorkerError, ClusterError) as e:
        raise BatchError(str(e)) from None


def _as_given(msg: dict[str, Any], sent: str, given: str) -> dict[str, Any]:
    """Report a document under the path found on the command line, not the one sent
    (its sidecar waiver file too)."""
    from ..waivers import sidecar

    doc = dict(msg["document"])
    doc["path"] = given
    if doc.get("error") and sent != given:
        doc["error"] = {**doc["error"], "message": doc["error"]["message"].replace(sent, given)}
    old, new = sidecar(sent), sidecar(given)
    if old == new:
        return {**msg, "document": doc}

    def fix(source: str) -> str:
        return new + source[len(old):] if source.startswith(old) else source

    doc["findings"] = [{**f, "waived": {**f["waived"], "source": fix(f["waived"]["source"])}}
                       if "waived" in f else f for f in doc.get("findings", ())]
    if doc.get("waivers"):
        doc["waivers"] = {**doc["waivers"], "stale": [{**w, "source": fix(w["source"])}
                                                      for w in doc["waivers"]["stale"]]}
    out = {**msg, "document": doc}
    if msg.get("waivers"):
        w = msg["waivers"]
        out["waivers"] = {"file": fix(w["file"]),
                          "stale": [{**x, "source": fix(x["source"])} for x in w["stale"]]}
    return out


def audit_batch(files: Sequence[str], options: BatchOptions, sinks: Iterable[Any], *,
                ignored: int = 0, waivers: WaiverPlan | None = None) -> BatchStats:
    """Audit ``files``; every result goes to the sinks as it finishes; the stats come back.

    ``waivers``: from ``prepare_waivers`` (called here when not given: a bad waiver
    file is a ``BatchError`` before any worker starts).
    """
    if waivers is None:
        waivers = prepare_waivers(files, options)
    sinks = list(sinks)
    ordered = [s for s in sinks if getattr(s, "ordered", False)]
    streaming = [s for s in sinks if not getattr(s, "ordered", False)]
    workers = max(1, min(options.jobs, len(files))) if not options.scheduler else 0
    stats = BatchStats(total=len(files), workers=workers, ignored=ignored, waivers=waivers.in_play)
    held: dict[int, DocResult] = {}  # finished out of order, waiting for an earlier file
    next_index = 0
    start = time.monotonic()
    try:
        for s in sinks:
            s.start(stats)
        for msg in _stream(files, options, waivers):
            index = msg["index"]
            doc = msg["document"]
            row = SummaryRow.of(index, doc, msg.get("seconds", 0.0), msg.get("cache"))
            result = DocResult(index=index, document=doc, row=row,
                               extractions=int(msg.get("extractions") or 0),
                               messages=msg.get("messages"), waivers=msg.get("waivers"))
            stats.add(result)
            stats.seconds = time.monotonic() - start
            for s in streaming:
                s.add(result)
            if ordered:
                held[index] = result
                while next_index in held:
                    r = held.pop(next_index)
                    for s in ordered:
                        s.add(r)
                    next_index += 1
        stats.seconds = time.monotonic() - start
        for s in reversed(sinks):  # a progress display, given last, is gone before reports print
            s.finish(stats)
    finally:
        for s in reversed(sinks):
            s.close()
    return stats
