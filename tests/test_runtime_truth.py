"""Runtime truth: each rule's bad example really misbehaves under pytest, its fixed twin passes.

tests/runtime_truth/<CODE>/ holds bad/ and good/ (each a tiny pytest project: test files,
optional pytest.ini; without one the harness writes a strict-mode pytest.ini) and
expect.txt, one regular expression per line that must be found in pytest's output for bad/:
    bad: (?i)coroutine .* was never awaited
    bad-outcome: passed          # optional: 'passed', 'failed', 'error' must appear in the summary
Good examples must pass with exit code 0 and no warnings at all. The plugin must report the
rule's code on bad/ and nothing on good/.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness import FIXTURES, lint

ROOT = Path(__file__).parent / "runtime_truth"
CODES = sorted(p.name for p in ROOT.iterdir() if p.is_dir() and p.name.startswith("AT"))
STRICT_INI = "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"


def _stage(case: Path, tmp: Path) -> Path:
    dest = tmp / case.name
    shutil.copytree(case, dest)
    if not (dest / "pytest.ini").exists():
        (dest / "pytest.ini").write_text(STRICT_INI, encoding="utf-8")
    return dest


def _pytest(project: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "-W", "default",
         "--color=no", "."],
        cwd=project, capture_output=True, text=True, env=env, timeout=300,
    )


def _expectations(case: Path) -> tuple[list[str], str | None]:
    patterns, outcome = [], None
    for line in (case / "expect.txt").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "bad":
            patterns.append(value.strip())
        elif key.strip() == "bad-outcome":
            outcome = value.strip()
    return patterns, outcome


def test_every_rule_has_a_runtime_case():
    from flake8_async_tests.rules import RULES

    missing = [r.code for r in RULES if r.code != "AT000" and r.code not in CODES]
    assert missing == []


@pytest.mark.parametrize("code", CODES)
def test_bad_misbehaves(code, tmp_path):
    case = ROOT / code
    project = _stage(case / "bad", tmp_path)
    proc = _pytest(project)
    output = proc.stdout + proc.stderr
    patterns, outcome = _expectations(case)
    assert patterns, "expect.txt needs at least one 'bad:' line"
    for pattern in patterns:
        assert re.search(pattern, output), f"{pattern!r} not in pytest output:\n{output}"
    if outcome:
        assert re.search(rf"\b\d+ {outcome}\b", output), output
    run = lint(project, [])
    assert run.returncode == 1, run.stderr
    assert code in {f.code for f in run.found}, run.found


@pytest.mark.parametrize("code", CODES)
def test_good_passes_cleanly(code, tmp_path):
    project = _stage(ROOT / code / "good", tmp_path)
    proc = _pytest(project)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert not re.search(r"\bwarnings? summary\b|\d+ warnings?\b", output), output
    summary = output.split("short test summary")[-1]
    assert not re.search(r"\b(failed|error|skipped|xfailed)\b", summary), output
    run = lint(project, [])
    assert run.found == [], run.found
    assert run.returncode == 0, run.stderr


def test_a_project_with_no_async_plugin_fails_its_async_tests(tmp_path):
    """AT100.no-plugin: the project declares pytest and no async plugin. Under pytest with
    none loaded (this environment's are switched off, as the project would not have them)
    its async tests fail; the message says so, and `--fix` leaves them, since a mark alone
    runs nothing. The good twin is AT100's: pytest-asyncio and the mark."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "projects" / "declared_no_plugin", project)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:asyncio",
         "-p", "no:anyio", "-rA", "--color=no", "."],
        cwd=project, capture_output=True, text=True, env=env, timeout=300)
    output = proc.stdout + proc.stderr
    assert "async def functions are not natively supported" in output, output
    assert re.search(r"\b2 failed\b", output), output
    run = lint(project, [])
    assert [(f.line, f.code, f.variant) for f in run.found] == [
        (6, "AT100", "no-plugin"), (11, "AT100", "no-plugin")], run.found
    before = (project / "test_no_plugin.py").read_bytes()
    fixed = subprocess.run([sys.executable, "-m", "flake8_async_tests", "--fix", "."],
                           cwd=project, capture_output=True, text=True, timeout=300)
    assert (project / "test_no_plugin.py").read_bytes() == before
    assert "(0 fixed, 2 remaining)" in fixed.stderr, fixed.stderr
