"""The install users run: a wheel built from this tree, installed into a fresh
virtual environment, audits the bundled sample with the packs it ships
(package data ``auditor.rules``), from a folder outside the checkout."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"


@pytest.mark.slow
@pytest.mark.skipif(not SAMPLE.exists(), reason="sample PDF absent")
def test_wheel_in_a_fresh_venv_audits_the_sample(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    # built from a copy of the tree without build products: a stale build/ of the checkout
    # (files since moved or removed) would otherwise end up in the wheel
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", "build", "dist", "*.egg-info", "mutants", "__pycache__", ".*_cache", "bench"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(dist), str(src)], check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("budget_audit-*.whl"))
    env_dir = tmp_path / "venv"
    # the dependencies come from this interpreter's site-packages; the package itself from the wheel
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    py = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q",
                    "--disable-pip-version-check", str(wheel)], check=True, capture_output=True, timeout=600)
    where = subprocess.run([str(py), "-c", "import auditor, auditor.cli as c; "
                            "print(auditor.__file__); print(c.default_rules_dir())"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    assert where[0].startswith(str(env_dir)), where  # the wheel's copy, not the checkout
    rules = Path(where[1])
    assert rules.is_relative_to(env_dir) and (rules / "base" / "generic.yaml").is_file(), where
    assert sorted(p.parent.name for p in rules.rglob("*.yaml")) == sorted(
        p.parent.name for p in (ROOT / "rules").rglob("*.yaml")), "the wheel ships every pack, in its folder"
    report = tmp_path / "r.json"
    r = subprocess.run([str(env_dir / "bin" / "audit"), str(SAMPLE), "--format", "json", "-o", str(report)],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    doc = json.loads(report.read_text(encoding="utf-8"))["documents"][0]
    assert doc["template"] == "xinjiang-unit-budget"
    assert len(doc["tables"]) == 12
    assert [f for f in doc["findings"] if f["severity"] == "error"] == []
    assert doc["checks"]["evaluated"] > 400 and doc["checks"]["skipped"] == 0
