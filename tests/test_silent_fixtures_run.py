"""Runtime truth for fixtures that must stay silent: under real pytest and pytest-asyncio,
with warnings as errors, their tests pass (or are skipped, as written), so a finding there
would be false."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from harness import FIXTURES, expected, stage_file

SILENT = {"AT202_shared_loop.py": "2 passed", "AT202_wide_loop.py": "2 passed",
          "AT100_fixture_params_run.py": "4 passed", "AT200_refused_with_run.py": "1 passed",
          "AT203_settles_future_run.py": "4 passed",
          "AT202_async_fixture_loop_run.py": "3 passed", "AT204_deliberate_run.py": "2 passed",
          "AT203_owner_and_framework_run.py": "1 passed", "AT204_constant_field_run.py": "1 passed",
          "AT100_skipped_run.py": "4 skipped", "AT204_skipped_test_run.py": "4 skipped",
          "AT200_unittest_skip_run.py": "5 skipped",
          "AT100_module_skip.py": "1 skipped",
          "AT100_module_stops_run.py": "1 skipped", "AT304_owner_patched_run.py": "3 passed",
          "AT203_future_and_owner_run.py": "3 passed"}
# pytest's exit status where it is not 0: a module skipped whole leaves no test collected
EXIT = {"AT100_module_stops_run.py": 5}


@pytest.mark.parametrize("name, outcome", sorted(SILENT.items()))
def test_silent_fixture_passes_under_pytest(name, outcome, tmp_path):
    fixture = FIXTURES / name
    root, _, test_name = stage_file(fixture, tmp_path)
    assert expected(root / test_name, root) == []
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           "-W", "error", test_name], cwd=root, capture_output=True,
                          text=True, timeout=300, env=env)
    assert proc.returncode == EXIT.get(name, 0) and outcome in proc.stdout, \
        proc.stdout + proc.stderr
