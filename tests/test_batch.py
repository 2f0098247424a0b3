"""Batch audits: discovery, worker isolation, streaming reports, cache, Dask.

The scheduling machinery is tested with a fake per-document task (``fake_task``
below, run inside the real worker processes): it hangs, crashes, raises or
returns canned findings depending on the file name.  The end-to-end tests run
the real CLI on the real samples.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from auditor.batch import BatchOptions, audit_batch, discover, is_batch
from auditor.model import Audit, CellRef, Figure, Finding
from batch_helpers import Collect, empty_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"
INJECTED = ROOT / "samples" / "injected"
SCHEMA = json.loads((ROOT / "auditor" / "schema" / "report.schema.json").read_text(encoding="utf-8"))
FAKE = f"{__name__}:fake_task"
PDF_BYTES = b"%PDF-1.4\n% fake\n%%EOF\n"

needs_samples = pytest.mark.skipif(not SAMPLE.exists() or not list(INJECTED.glob("*.pdf")),
                                   reason="samples not generated")


# ------------------------------------------------------------------ the fake task


def fake_task(path: str, ctx) -> Audit:
    """Runs in a worker process: behaviour chosen by the file name."""
    name = os.path.basename(path)
    if name.startswith("hang"):
        Path(path + ".pid").write_text(str(os.getpid()))
        time.sleep(3600)
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("boom"):
        raise RuntimeError("kaboom")
    if name.startswith("slow"):
        start = time.time()
        time.sleep(0.4)
        Path(path + ".t").write_text(f"{start} {time.time()}")
    ctx.extractions += 1
    findings = ()
    if "err" in name:
        fig = Figure(text="10.00", value=Decimal("10.00"), decimals=2, page=3, table="表5",
                     row="总计", column="合计", unit="万元")
        findings = (Finding(rule="t.sum", kind="sum", severity="error", message="表5 总计 wrong",
                            expected=Decimal("9.99"), actual=Decimal("10.00"),
                            cells=(CellRef("actual", fig),)),)
    return Audit(path=path, document=None, template="fake", findings=findings, outcomes=())


def make(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        p = folder / n
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(PDF_BYTES)
    return folder


@pytest.fixture(scope="module")
def fake_rules(tmp_path_factory):
    return empty_rules(tmp_path_factory.mktemp("rules"))


def run_fake(files, rules, **kw):
    options = BatchOptions(rules=rules, task=FAKE, **{"jobs": 2, **kw})
    sink, ordered = Collect(), Collect(ordered=True)
    stats = audit_batch([str(f) for f in files], options, [sink, ordered])
    return stats, sink.results, ordered.results


# ------------------------------------------------------------------ discovery


def test_discover_recursive_sorted_and_filtered(tmp_path):
    make(tmp_path, ["b.pdf", "a.PDF", "sub/c.pdf", ".hidden/d.pdf", "notes.txt", "sub/e.pdf.bak"])
    found = discover([tmp_path])
    assert [Path(f).relative_to(tmp_path).as_posix() for f in found.files] == ["a.PDF", "b.pdf", "sub/c.pdf"]
    assert found.ignored == 2
    only = discover([tmp_path], "sub/*.pdf")
    assert [Path(f).name for f in only.files] == ["c.pdf"]
    # a file named twice (directly and inside its folder) is audited once
    assert len(discover([tmp_path, tmp_path / "b.pdf"]).files) == 3


def test_discover_keeps_bad_paths_as_entries(tmp_path):
    """A missing path, a folder without a PDF, a file that is not a PDF: each is
    kept as an entry of the batch (it fails with its own code), never dropped."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("x")
    (tmp_path / "notes.txt").write_text("hello")
    pdfs = make(tmp_path / "pdfs", ["a.pdf"])
    found = discover([tmp_path / "missing", tmp_path / "empty", pdfs, tmp_path / "notes.txt"])
    assert [Path(f).relative_to(tmp_path).as_posix() for f in found.files] == [
        "missing", "empty", "pdfs/a.pdf", "notes.txt"]
    assert found.ignored == 1


def test_is_batch(tmp_path):
    make(tmp_path, ["a.pdf"])
    assert not is_batch([tmp_path / "a.pdf"])
    assert is_batch([tmp_path])
    assert is_batch([tmp_path / "a.pdf", tmp_path / "a.pdf"])


# ------------------------------------------------------------------ isolation and scheduling


def test_every_document_accounted_for_despite_hang_crash_and_bug(tmp_path, fake_rules):
    folder = make(tmp_path / "in", ["ok1.pdf", "err1.pdf", "hang.pdf", "crash.pdf", "boom.pdf",
                                    "slow1.pdf", "slow2.pdf", "ok2.pdf"])
    files = discover([folder]).files
    t0 = time.monotonic()
    stats, streamed, ordered = run_fake(files, fake_rules, timeout=1.5)
    assert time.monotonic() - t0 < 20
    by_name = {Path(r.row.path).name: r for r in streamed}
    assert sorted(by_name) == sorted(Path(f).name for f in files)
    assert by_name["hang.pdf"].document["error"]["code"] == "timeout"
    assert by_name["crash.pdf"].document["error"]["code"] == "internal"
    assert "died" in by_name["crash.pdf"].document["error"]["message"]
    assert by_name["boom.pdf"].document["error"] == {"code": "internal", "message": "RuntimeError: kaboom"}
    assert by_name["err1.pdf"].row.errors == 1 and by_name["ok1.pdf"].row.status == "ok"
    assert stats.failed == 3 and stats.documents == 8 and stats.exit_code("error") == 2
    # the hung worker was really stopped, not left running
    pid = int((folder / "hang.pdf.pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    # ordered sinks see the files' order, whatever the completion order
    assert [r.row.path for r in ordered] == list(files)


def test_workers_run_in_parallel_and_exit_codes_follow_fail_on(tmp_path, fake_rules):
    files = discover([make(tmp_path, ["slow1.pdf", "slow2.pdf", "slow3-err.pdf", "slow4.pdf"])]).files
    stats, streamed, _ = run_fake(files, fake_rules, jobs=2)
    assert stats.documents == 4 and stats.workers == 2
    assert min(r.row.seconds for r in streamed) >= 0.4
    spans = sorted(tuple(map(float, Path(f + ".t").read_text().split())) for f in files)
    # both workers were busy at the same time
    assert any(b[0] < a[1] for a, b in zip(spans, spans[1:]))
    assert stats.exit_code("error") == 1 and stats.exit_code("note") == 1
    assert stats.exit_code("never") == 0
    clean = [r.row for r in streamed if "err" not in r.row.path]
    assert not any(r.fails("note") for r in clean)


def test_batch_reporters_on_fake_results(tmp_path, fake_rules):
    from auditor.report.sinks import get_sink

    files = discover([make(tmp_path, ["err.pdf", "boom.pdf", "ok.pdf"])]).files
    outs = {fmt: io.StringIO() for fmt in ("json", "jsonl", "csv", "rich")}
    sinks = [get_sink(f, o, **({"details": "failing", "color": False} if f == "rich" else {}))
             for f, o in outs.items()]
    options = BatchOptions(rules=fake_rules, task=FAKE, jobs=2)
    stats = audit_batch(list(files), options, sinks)

    report = json.loads(outs["json"].getvalue())
    jsonschema.validate(report, SCHEMA)
    assert [d["path"] for d in report["documents"]] == list(files)
    assert report["summary"] == {"documents": 3, "failed": 1, "errors": 1, "warnings": 0, "notes": 0}

    lines = outs["jsonl"].getvalue().splitlines()
    docs = [json.loads(x) for x in lines]
    for d in docs:
        jsonschema.validate(d, SCHEMA["$defs"]["document"] | {"$defs": SCHEMA["$defs"]})
    assert sorted(d["path"] for d in docs) == sorted(files)

    rows = list(csv.DictReader(io.StringIO(outs["csv"].getvalue())))
    assert [(Path(r["path"]).name, r["rule"], r["table"], r["row"], r["column"], r["page"],
             r["expected"], r["actual"], r["difference"], r["error"]) for r in rows] == [
        ("boom.pdf", "", "", "", "", "", "", "", "", "internal"),
        ("err.pdf", "t.sum", "表5", "总计", "合计", "3", "9.99", "10.00", "0.01", ""),
    ]

    text = outs["rich"].getvalue()
    assert "Batch summary" in text and "3 documents" in text
    assert "boom.pdf" in text and "internal" in text and "t.sum" in text
    assert stats.exit_code("error") == 2


def test_memory_stays_flat_as_the_folder_grows(tmp_path, fake_rules):
    """The batch keeps a summary row per document, not its report: every result
    handed to the sinks is freed once they are done with it."""
    import gc
    import weakref

    from auditor.report.sinks import get_sink

    refs: list = []
    alive: list[int] = []

    class Watch(Collect):
        def add(self, result):
            gc.collect()
            alive.append(sum(r() is not None for r in refs))
            refs.append(weakref.ref(result))

    files = discover([make(tmp_path, [f"doc{i:03d}-err.pdf" for i in range(40)])]).files
    with open(os.devnull, "w") as null:
        sinks = [get_sink("json", null), get_sink("csv", null), get_sink("jsonl", null),
                 get_sink("rich", null, details="failing", color=False), Watch()]
        # one worker: results come in file order, so none waits for an earlier one and
        # the bound below does not depend on timing (with two, a slow document holds
        # back the ones after it until it is written)
        stats = audit_batch(list(files), BatchOptions(rules=fake_rules, task=FAKE, jobs=1), sinks)
    gc.collect()
    assert stats.documents == 40 and len(stats.rows) == 40
    assert max(alive) <= 1  # the one just written, until the next replaces it
    assert sum(r() is not None for r in refs) == 0


# ------------------------------------------------------------------ the real CLI on the samples


def audit_cli(*args, timeout=120, **kw):
    return subprocess.run([sys.executable, "-m", "auditor", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT, **kw)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """Good sample, injected-error samples, a truncated PDF, an HTML page named .pdf, a .txt."""
    folder = tmp_path_factory.mktemp("mixed")
    shutil.copy(SAMPLE, folder / "clean.pdf")
    (folder / "errors").mkdir()
    for name in ("total-changed.pdf", "share-wrong.pdf"):
        shutil.copy(INJECTED / name, folder / "errors" / name)
    (folder / "truncated.pdf").write_bytes(SAMPLE.read_bytes()[:20000])
    (folder / "page.pdf").write_text("<!DOCTYPE html><html><body>404</body></html>")
    (folder / "readme.txt").write_text("not a disclosure")
    return folder


def fingerprints() -> tuple[str, str]:
    from auditor.cache import code_fingerprint

    return code_fingerprint.__wrapped__("extraction"), code_fingerprint.__wrapped__("all")


def same_code_since(before: tuple[str, str], part: int) -> None:
    """Skip a comparison between two runs when the auditor's source changed in
    between (a shared working tree under edit): the cache is then right to miss,
    and findings may legitimately differ."""
    if fingerprints()[part] != before[part]:
        pytest.skip("the auditor's source changed during the test")


@pytest.fixture(scope="module")
def mixed_json(mixed, tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    out = mixed.parent / "report.json"
    code = fingerprints()
    p = audit_cli(mixed, "--format", "json", "-o", out, "-j", "2", "--cache-dir", cache)
    return p, json.loads(out.read_text(encoding="utf-8")), cache, code


@needs_samples
def test_mixed_folder_json(mixed, mixed_json):
    p, report, _, _ = mixed_json
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr
    jsonschema.validate(report, SCHEMA)
    docs = {Path(d["path"]).relative_to(mixed).as_posix(): d for d in report["documents"]}
    assert sorted(docs) == ["clean.pdf", "errors/share-wrong.pdf", "errors/total-changed.pdf",
                            "page.pdf", "truncated.pdf"]
    assert docs["truncated.pdf"]["error"]["code"] == "corrupt-pdf"
    assert docs["page.pdf"]["error"]["code"] == "not-pdf"
    assert docs["clean.pdf"]["status"] == "ok"
    assert not [f for f in docs["clean.pdf"]["findings"] if f["severity"] == "error"]
    for name in ("errors/share-wrong.pdf", "errors/total-changed.pdf"):
        assert docs[name]["template"] == "xinjiang-unit-budget"
        assert [f for f in docs[name]["findings"] if f["severity"] == "error"], name
    assert report["summary"]["documents"] == 5 and report["summary"]["failed"] == 2
    assert "5 extracted, 0 from the cache; 1 other files ignored" in p.stderr


@needs_samples
def test_rerun_with_cache_extracts_nothing_and_streams_jsonl(mixed, mixed_json, tmp_path):
    _, report, cache, code = mixed_json
    out = tmp_path / "report.jsonl"
    p = audit_cli(mixed, "--format", "jsonl", "-o", out, "-j", "2", "--cache-dir", cache)
    assert p.returncode == 2, p.stderr
    same_code_since(code, 1)
    assert "0 extracted, 5 from the cache" in p.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    streamed = {d["path"]: d for d in map(json.loads, lines)}
    assert streamed == {d["path"]: d for d in report["documents"]}
    # the cache holds JSON, nothing else
    entries = [f for f in cache.rglob("*") if f.is_file()]
    assert entries and all(f.suffix == ".json" for f in entries)
    for f in entries:
        json.loads(f.read_text(encoding="utf-8"))


@needs_samples
def test_changed_rules_rerun_checks_from_cached_documents(mixed, mixed_json, tmp_path):
    _, report, cache, code = mixed_json
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    pack = next(rules.rglob("xinjiang*.yaml"))
    pack.write_text(pack.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    options = BatchOptions(rules=rules, jobs=2, cache_dir=cache)
    sink = Collect()
    stats = audit_batch(list(discover([mixed]).files), options, [sink])
    same_code_since(code, 1)
    assert stats.extractions == 0
    assert {r.row.cache for r in sink.results} == {"document"}
    assert {r.document["path"]: r.document for r in sink.results} == {
        d["path"]: d for d in report["documents"]}


@needs_samples
def test_interrupted_jsonl_keeps_every_finished_document(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(8):
        shutil.copy(SAMPLE, folder / f"doc{i}.pdf")
    out = tmp_path / "stream.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "auditor", str(folder), "--format", "jsonl",
                             "-o", str(out), "-j", "1"],
                            cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True)
    reported: list[str] = []
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 60
        while len(reported) < 2 and time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line:
                break
            if line.startswith("audit: [") and ": ok," in line:
                reported.append(line.split("] ", 1)[1].split(": ok,")[0])
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its workers, mid-batch
        proc.wait()
    assert len(reported) == 2
    lines = out.read_text(encoding="utf-8").splitlines()
    docs = [json.loads(x) for x in lines]  # every line is whole, valid JSON
    assert set(reported) <= {d["path"] for d in docs}
    assert len(docs) < 8


@needs_samples
def test_dask_gives_the_same_findings_as_local(mixed, mixed_json):
    distributed = pytest.importorskip("distributed")
    _, report, _, code = mixed_json
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        options = BatchOptions(rules=RULES, scheduler=cluster.scheduler_address)
        sink = Collect(ordered=True)
        stats = audit_batch(list(discover([mixed]).files), options, [sink])
    assert stats.documents == 5 and stats.failed == 2
    same_code_since(code, 1)
    assert [r.document for r in sink.results] == report["documents"]


def test_dask_timeout_stops_the_document(tmp_path, fake_rules):
    distributed = pytest.importorskip("distributed")
    files = discover([make(tmp_path, ["hang.pdf", "ok.pdf", "err.pdf"])]).files
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        options = BatchOptions(rules=fake_rules, task=FAKE, timeout=2,
                               scheduler=cluster.scheduler_address)
        sink = Collect()
        stats = audit_batch(list(files), options, [sink])
    codes = {Path(r.row.path).name: r.row.error for r in sink.results}
    assert codes == {"hang.pdf": "timeout", "ok.pdf": None, "err.pdf": None}
    assert stats.exit_code("error") == 2
    pid = int((tmp_path / "hang.pdf.pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_scheduler_unreachable_is_one_line(tmp_path):
    pytest.importorskip("distributed")
    make(tmp_path, ["a.pdf"])
    p = audit_cli(tmp_path, "--scheduler", "tcp://127.0.0.1:9")
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    assert "cannot connect to the Dask scheduler" in p.stderr


def test_cli_bad_paths_are_failed_entries_and_the_rest_go_on(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("hello")
    pdfs = make(tmp_path / "pdfs", ["a.pdf"])
    p = audit_cli(pdfs, tmp_path / "missing-folder", tmp_path / "empty", tmp_path / "notes.txt",
                  "--format", "json")
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    report = json.loads(p.stdout)
    jsonschema.validate(report, SCHEMA)
    got = {Path(d["path"]).name: (d["status"], d["error"]["code"] if d["error"] else None)
           for d in report["documents"]}
    assert got["missing-folder"] == ("failed", "not-found")
    assert got["empty"] == ("failed", "no-pdfs")
    assert got["notes.txt"] == ("failed", "not-pdf")
    assert report["summary"]["documents"] == 4 and report["summary"]["failed"] >= 3


def test_cli_bad_usage_is_one_line(tmp_path):
    make(tmp_path / "pdfs", ["a.pdf"])
    p = audit_cli(tmp_path / "pdfs", "--jobs", "0")
    assert p.returncode == 2
    assert "Invalid value for '--jobs'" in p.stderr
    assert "Traceback" not in p.stderr and p.stdout == ""


def test_help_stays_instant():
    t0 = time.perf_counter()
    p = audit_cli("check", "--help")
    assert p.returncode == 0 and "--scheduler" in p.stdout
    assert time.perf_counter() - t0 < 2.0
    code = "import sys, auditor.cli; print(sorted(m for m in sys.modules if m.startswith(('dask', 'distributed', 'camelot'))))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"
