"""Each fix, proven under real pytest (with pytest-asyncio), like runtime truth itself.

Every runtime-truth bad example of a fixable code (tests/runtime_truth/<CODE>/bad/) is fixed
with `flake8-async-tests --fix --unsafe-fixes`; then no finding of the code is left (except
in the files named in KEPT: variants without a fix) and pytest runs the fixed files as
OUTCOMES says: cleanly, like the good twin (exit 0, no warning, nothing failed), or, where
the fix makes a test run or assert for the first time, with the failure the bad example was
hiding. tests/autofix_files/runtime/<CODE>/ adds cases for the fixes the runtime-truth
example does not reach: they misbehave before the fix and pass cleanly after it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from flake8_async_tests.fix import FIXES
from harness import lint
from test_autofix import command
from test_runtime_truth import ROOT, STRICT_INI, _pytest, _stage

EXTRA = Path(__file__).parent / "autofix_files" / "runtime"
CLEAN = "clean"
# What pytest shows once the bad example is fixed, when it is not a clean pass.
OUTCOMES = {
    # The tests run now, and meet the wrong assertion they were hiding.
    "AT100": [r"\b3 failed\b", r"assert 1 == 2"],
    # The fake assertion is real now, and fails: the code under test is wrong.
    "AT305": [r"\b3 failed\b", r"AssertionError: expected call not found",
              r"Expected: set_rate\(20\)"],
}
# Files whose finding has no fix (AT105.class-hook, AT106.event-loop-fixture, AT200 in a
# sync test): they stay byte for byte.
KEPT = {"AT105": {"test_hooks.py"}, "AT106": {"test_loop.py"},
        "AT200": {"test_ping.py", "test_fixture_value.py", "test_plugin_value.py",
                  "test_star_package.py", "test_factory.py", "test_made.py",
                  "test_alias.py", "test_ran.py"}}


def _clean(output: str, returncode: int) -> None:
    assert returncode == 0, output
    assert not re.search(r"\bwarnings? summary\b|\d+ warnings?\b", output), output
    summary = output.split("short test summary")[-1]
    assert not re.search(r"\b(failed|error|skipped|xfailed)\b", summary), output


def _fix(project: Path) -> str:
    code, stdout, stderr = command(project, ["--fix", "--unsafe-fixes", "."])
    assert "Traceback" not in stderr, stderr
    return stdout


@pytest.mark.parametrize("code", sorted(FIXES))
def test_fixed_bad_example_runs(code, tmp_path):
    case = ROOT / code / "bad"
    project = _stage(case, tmp_path)
    reported = {f.path for f in lint(project, []).found if f.code == code}
    _fix(project)
    files = sorted(p.name for p in case.glob("*.py"))
    kept = KEPT.get(code, set())
    for name in files:  # each file with a finding of the code is fixed, unless kept
        same = (project / name).read_bytes() == (case / name).read_bytes()
        assert same == (name in kept or name not in reported), name
    found = {f.path for f in lint(project, []).found if f.code == code}
    assert found == kept
    fixed = [name for name in files if name in reported and name not in kept]
    if not fixed:
        return
    for name in kept:
        (project / name).unlink()
    proc = _pytest(project)
    output = proc.stdout + proc.stderr
    if code in OUTCOMES:
        for pattern in OUTCOMES[code]:
            assert re.search(pattern, output), f"{pattern!r} not in:\n{output}"
        assert not re.search(r"\bwarnings? summary\b", output), output
    else:
        _clean(output, proc.returncode)


@pytest.mark.parametrize("code", sorted(p.name for p in EXTRA.iterdir()))
def test_fix_of_an_extra_case_passes_cleanly(code, tmp_path):
    project = tmp_path / code
    shutil.copytree(EXTRA / code, project)
    (project / "pytest.ini").write_text(STRICT_INI, encoding="utf-8")
    before = _pytest(project)
    assert before.returncode != 0 or re.search(r"\d+ warnings?\b", before.stdout), \
        before.stdout
    assert code in {f.code for f in lint(project, []).found}
    _fix(project)
    assert lint(project, []).found == []
    after = _pytest(project)
    _clean(after.stdout + after.stderr, after.returncode)
