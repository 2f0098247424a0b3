"""With CI set, a clone without ../shared/corpus fails at once, naming the folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _clone_tests(tmp_path: Path) -> Path:
    tests = tmp_path / "clone" / "tests"
    tests.mkdir(parents=True)
    shutil.copy(HERE / "conftest.py", tests / "conftest.py")
    (tests / "test_one.py").write_text("def test_one():\n    assert True\n", encoding="utf-8")
    return tests


def _pytest(tests: Path, ci: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci:
        env["CI"] = "true"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)],
                          cwd=tests.parent, env=env, capture_output=True, text=True, timeout=120)


def test_ci_without_the_shared_corpus_fails_naming_it(tmp_path: Path) -> None:
    tests = _clone_tests(tmp_path)
    r = _pytest(tests, ci=True)
    assert r.returncode == 3, r.stdout + r.stderr
    assert f"missing test input folder(s): {tmp_path / 'shared' / 'corpus' / 'real'}" in r.stdout + r.stderr


def test_without_ci_the_same_clone_runs(tmp_path: Path) -> None:
    r = _pytest(_clone_tests(tmp_path), ci=False)
    assert r.returncode == 0 and "1 passed" in r.stdout, r.stdout + r.stderr


def test_ci_with_the_corpus_beside_it_runs(tmp_path: Path) -> None:
    tests = _clone_tests(tmp_path)
    for name in ("real", "cities"):
        (tmp_path / "shared" / "corpus" / name).mkdir(parents=True)
    r = _pytest(tests, ci=True)
    assert r.returncode == 0 and "1 passed" in r.stdout, r.stdout + r.stderr
