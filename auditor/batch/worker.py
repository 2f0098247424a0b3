"""The worker process of a batch: ``python -m auditor.batch``.

It speaks JSON lines (never pickle) on its standard input and output:

    parent → worker   {"task": "module:function", "rules": {...}, "lang": "zh", "strict": false,
                       "waivers": {"path": "w.yaml", "text": "..."} or null, ...}   (once)
    worker → parent   {"ready": true}              or {"fatal": "one line"}
    parent → worker   {"id": 7, "path": "a/b.pdf"}
    worker → parent   {"id": 7, "document": {...}, "messages": ["...", ...],
                       "waivers": {"file": "a/b.pdf.waivers.yaml", "stale": [...]} or null,
                       "seconds": 1.2, "extractions": 1, "cache": null}

The rule packs are loaded once, at start.  ``document`` is a ``documents[]``
entry of the JSON report (auditor/schema/report.schema.json): ``--strict``
applied, and the waivers (``--waivers FILE``, sent as text, else the sidecar
``X.pdf.waivers.yaml`` next to the PDF) marked as in a single-document
report.  ``messages`` are its findings' messages in the language of the
report, one per finding (the document keeps the English ``message``, as the
JSON contract has it).  ``waivers`` names the waiver file applied and its
waivers that matched no finding here, with line and column.  Anything the
libraries print goes to /dev/null, never into the protocol.  The worker exits on end of input
(its parent is gone or done), and after ``idle_exit`` seconds without work.
The parent stops a document that runs too long by killing the worker.
"""

from __future__ import annotations

import importlib
import json
import os
import select
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

DEFAULT_TASK = "auditor.batch.worker:audit_task"


@dataclass
class WorkerContext:
    """What a task needs: the rule packs (loaded once) and the options."""

    packs: Any
    packs_hash: str
    password: str | None = None
    max_pages: int = 2000
    strict: bool = False  # --strict: a skipped rule is an error finding
    cache: Any = None  # auditor.cache.Cache
    extractions: int = 0  # PDFs actually read (not served from the cache)
    cache_state: str | None = None  # "result" / "document" / "miss" for the last task


def failed_document(path: str, code: str, message: str) -> dict[str, Any]:
    from ..model import Audit
    from ..report.json_report import document_dict

    return document_dict(Audit.failed(path, code, message))


def result_entry(a: Any) -> dict[str, Any]:
    """What a worker (and the result cache) keeps of an ``Audit``: its ``documents[]``
    entry, and its findings' messages in every language (the entry keeps English)."""
    from ..messages import LANGS, finding_message
    from ..report.json_report import document_dict

    return {"document": document_dict(a),
            "messages": {lang: [finding_message(f, lang) for f in a.findings] for lang in LANGS}}


def audit_task(path: str, ctx: WorkerContext) -> Any:
    """The real per-document work: ``pipeline.audit`` (``--strict`` applied), its
    ``result_entry`` back; with ``--cache-dir``, what was read or found before is reused."""
    from .. import pipeline
    from ..compose import split_parts

    options = pipeline.Options(password=ctx.password, max_pages=ctx.max_pages, strict=ctx.strict)
    if split_parts(path) or ctx.cache is None:  # narrative.pdf+tables.pdf: read without the cache
        ctx.extractions += 1
        return result_entry(pipeline.audit(path, ctx.packs, options))
    return _audit_cached(path, ctx, options)


def _prepare(ctx: WorkerContext) -> None:
    """Import the heavy libraries before the first document, so its clock is fair."""
    import auditor.engine  # noqa: F401
    from ..extract import warm_up

    warm_up()


audit_task.prepare = _prepare  # type: ignore[attr-defined]


def _audit_cached(path: str, ctx: WorkerContext, options: Any) -> dict[str, Any]:
    """A ``result_entry`` from the cache, or made and stored (waivers are applied later,
    never stored).  What was read (a ``Document``, or why it could not be) is cached
    apart, so changed packs re-run the rules without reading the PDF again; a bug in
    extraction is never cached."""
    from .. import pipeline
    from ..cache import file_sha256
    from ..errors import InputError
    from ..extract import load_document
    from ..model import Document

    cache = ctx.cache
    try:
        sha = file_sha256(path)
    except OSError:  # missing or unreadable: the pipeline gives the right error code
        ctx.extractions += 1
        ctx.cache_state = "miss"
        return result_entry(pipeline.audit(path, ctx.packs, options))
    dkey = cache.document_key(sha, password=ctx.password, max_pages=ctx.max_pages)
    rkey = cache.result_key(dkey, ctx.packs_hash, strict=ctx.strict)

    hit = cache.get("results", rkey)
    if isinstance(hit, dict) and "document" in hit and isinstance(hit.get("messages"), dict):
        ctx.cache_state = "result"
        return {"document": _moved(hit["document"], hit.get("path"), path), "messages": hit["messages"]}

    def load(p: str) -> Document:
        entry = cache.get("documents", dkey)
        if isinstance(entry, dict) and ("document" in entry or "error" in entry):
            ctx.cache_state = "document"
        else:
            ctx.cache_state = "miss"
            ctx.extractions += 1
            try:
                doc = load_document(p, password=ctx.password, max_pages=ctx.max_pages)
            except InputError as e:
                entry = {"path": p, "error": {"code": e.code, "message": e.message}}
            else:  # any other exception (a bug in extraction) is reported, never cached
                entry = {"path": p, "document": doc.to_dict()}
            cache.put("documents", dkey, entry)
        if "error" in entry:
            err = entry["error"]
            raise InputError(err["code"], str(err["message"]).replace(str(entry.get("path") or p), p))
        return replace(Document.from_dict(entry["document"]), path=p)

    a = pipeline.audit(path, ctx.packs, options, load=load)
    if a.error and a.error[0] == "internal":  # a bug in extraction: reported, never cached
        return result_entry(a)
    entry = result_entry(a)
    cache.put("results", rkey, {"path": path, **entry})
    return entry


def _moved(d: dict[str, Any], old: str | None, new: str) -> dict[str, Any]:
    """A cached entry for the same bytes found under another path."""
    d = dict(d)
    d["path"] = new
    if d.get("error") and old and old != new:
        d["error"] = {**d["error"], "message": d["error"]["message"].replace(old, new)}
    return d


# ------------------------------------------------------------------ set-up


def rules_payload(rules: Path, families: Any = None) -> dict[str, Any]:
    """The rule packs as data (path in the folder → text), so that a worker on another
    machine needs no copy of them and all workers use what the parent validated;
    with the families selected (``families.Selection``), when a selection is made."""
    rules = Path(rules)
    folder = rules if rules.is_dir() else rules.parent
    glob = folder.rglob if rules.is_dir() else folder.glob  # a folder's subfolders; a file's neighbours
    files = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
             for p in sorted([*glob("*.yaml"), *glob("*.yml")]) if p.is_file()}
    if rules.is_file():
        files.setdefault(rules.name, rules.read_text(encoding="utf-8"))
    out = {"files": files, "entry": None if rules.is_dir() else rules.name}
    if families is not None and families.active:
        out["families"] = families.to_dict()
    return out


def packs_hash(payload: dict[str, Any]) -> str:
    from ..cache import text_hash

    parts = [f"entry={payload.get('entry')}"]
    if payload.get("families"):
        parts.append(f"families={payload['families']}")
    for name, text in sorted(payload["files"].items()):
        parts += [name, text]
    return text_hash(*parts)


def resolve(spec: str) -> Callable[..., Any]:
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


class Worker:
    """The state of one worker: the task function and its context."""

    def __init__(self, init: dict[str, Any]):
        from ..cache import Cache
        from ..packs import load_packs
        from ..waivers import parse

        for p in reversed(init.get("sys_path") or []):
            if p not in sys.path:
                sys.path.insert(0, p)
        self.task = resolve(init.get("task") or DEFAULT_TASK)
        rules = init["rules"]
        self._rules_dir = tempfile.TemporaryDirectory(prefix="budget-audit-rules-")
        for name, text in rules["files"].items():  # a name may have folders: national/x.yaml
            target = Path(self._rules_dir.name, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        target = Path(self._rules_dir.name)
        if rules.get("entry"):
            target = target / rules["entry"]
        from ..families import Selection, apply

        fam = rules.get("families")
        selected = Selection(tuple(fam["select"]) if fam.get("select") is not None else None,
                             tuple(fam.get("ignore") or ())) if fam else None
        self.ctx = WorkerContext(
            packs=apply(load_packs(target), selected),
            packs_hash=init.get("packs_hash") or packs_hash(rules),
            password=init.get("password"),
            max_pages=int(init.get("max_pages", 2000)),
            cache=Cache(init["cache_dir"]) if init.get("cache_dir") else None,
            strict=bool(init.get("strict")),
        )
        self.lang = init.get("lang") or "en"
        explicit = init.get("waivers")  # --waivers FILE, validated by the parent
        self.waivers = parse(explicit["text"], explicit["path"], self.lang) if explicit else None
        prepare = getattr(self.task, "prepare", None)
        if prepare is not None:
            prepare(self.ctx)

    def run(self, path: str) -> dict[str, Any]:
        from ..waivers import WaiverError

        ctx = self.ctx
        before = ctx.extractions
        ctx.cache_state = None
        start = time.perf_counter()
        try:
            entry = self._entry(self.task(path, ctx))
        except Exception as e:  # one document's bug never ends the batch
            entry = {"document": failed_document(path, "internal", f"{type(e).__name__}: {e}"[:400])}
        document = entry["document"]
        messages = (entry.get("messages") or {}).get(self.lang)
        if messages is not None and len(messages) != len(document.get("findings") or ()):
            messages = None
        try:
            waivers = self._waive(path, document)
        except WaiverError as e:  # a sidecar edited into an invalid one since the batch began
            document, messages, waivers = failed_document(path, "bad-waivers", str(e)), None, None
        return {"document": document, "messages": messages, "waivers": waivers,
                "seconds": round(time.perf_counter() - start, 3),
                "extractions": ctx.extractions - before, "cache": ctx.cache_state}

    def _entry(self, out: Any) -> dict[str, Any]:
        from ..compose import strict
        from ..model import Audit

        if isinstance(out, Audit):
            return result_entry(strict(out) if self.ctx.strict else out)
        if isinstance(out, dict) and "document" in out:
            return out
        return {"document": out}  # a task that returns a bare documents[] entry

    def _waive(self, path: str, document: dict[str, Any]) -> dict[str, Any] | None:
        """Mark the document with its waivers (``--waivers FILE``, else its sidecar)."""
        from ..report.json_report import mark_waivers
        from ..waivers import apply_to_document, load, sidecar

        if document.get("status") != "ok":  # no findings: its waivers are not stale
            return None
        ws = self.waivers
        if ws is None:
            side = sidecar(path)
            if not os.path.isfile(side):
                return None
            ws = load(side, self.lang)
        applied = apply_to_document(ws, document)
        mark_waivers(document, applied)
        return {"file": ws.path, "stale": [{"source": w.source, "line": w.line, "col": w.col,
                                            "rule": w.rule, "where": w.where} for w in applied.stale]}


def _quiet() -> Any:
    """Keep the protocol channel to ourselves; silence library chatter."""
    import logging
    import warnings

    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdout = open(os.devnull, "w")
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    return proto


def _readline(stream: Any, idle_exit: float | None) -> str:
    if idle_exit:
        ready, _, _ = select.select([stream], [], [], idle_exit)
        if not ready:
            return ""
    return stream.readline()


def _warm() -> None:
    """What the real task imports, before the first message (``--warm``: a worker
    started ahead of its batch imports them while the parent gets the batch ready)."""
    try:
        import auditor.engine  # noqa: F401
        import auditor.packs  # noqa: F401
        from ..extract import warm_up

        warm_up()
    except Exception:  # pragma: no cover - reported when the task needs them
        pass


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    proto = _quiet()
    stdin = sys.stdin
    if "--warm" in sys.argv[1:]:
        _warm()

    def send(msg: dict[str, Any]) -> None:
        try:
            proto.write(json.dumps(msg, ensure_ascii=False) + "\n")
            proto.flush()
        except (BrokenPipeError, OSError):
            os._exit(0)  # the parent is gone

    line = stdin.readline()
    if not line:
        return
    init = json.loads(line)
    try:
        worker = Worker(init)
    except Exception as e:
        send({"fatal": f"{type(e).__name__}: {e}"[:400]})
        return
    send({"ready": True, "pid": os.getpid()})
    idle_exit = init.get("idle_exit")
    while True:
        line = _readline(stdin, idle_exit)
        if not line:
            return
        msg = json.loads(line)
        send({"id": msg["id"], **worker.run(msg["path"])})
