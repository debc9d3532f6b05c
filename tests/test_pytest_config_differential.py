"""The plugin reads pytest's configuration as pytest does: for each layout, the real pytest
(with pytest-asyncio) runs a project with one unmarked async test and says which asyncio
mode it used; the plugin must report AT100 exactly when that mode is strict.

pytest's answer can depend on how it is invoked (the rootdir and config file come from the
arguments and the current directory); both run here from the project root on the same file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from harness import lint

TEST = "async def test_a():\n    pass\n"
LAYOUTS = {
    "ini": {"pytest.ini": "[pytest]\nasyncio_mode = auto\n"},
    "ini-strict": {"pytest.ini": "[pytest]\nasyncio_mode = strict\n"},
    "key-case": {"pytest.ini": "[pytest]\nAsyncio_Mode = auto\n"},
    "addopts-o": {"pytest.ini": "[pytest]\naddopts = -o asyncio_mode=auto\n"},
    "addopts-o-glued": {"tox.ini": "[pytest]\naddopts = -oasyncio_mode=auto\n"},
    "addopts-override-ini": {
        "pytest.ini": "[pytest]\naddopts = --override-ini=asyncio_mode=auto\n"},
    "addopts-option-wins": {"pytest.ini": "[pytest]\nasyncio_mode = strict\n"
                                          "addopts = --asyncio-mode=auto\n"},
    "addopts-multiline": {"pytest.ini": "[pytest]\naddopts =\n    -ra\n    -o asyncio_mode=auto\n"},
    "setup-cfg": {"setup.cfg": "[tool:pytest]\nasyncio_mode = auto\n"},
    "setup-cfg-wrong-section": {"setup.cfg": "[pytest]\nasyncio_mode = auto\n"},
    "pyproject": {"pyproject.toml": "[tool.pytest.ini_options]\nasyncio_mode = 'auto'\n"},
    "ini-before-pyproject": {
        "pytest.ini": "[pytest]\n",
        "pyproject.toml": "[tool.pytest.ini_options]\nasyncio_mode = 'auto'\n"},
    "pyproject-without-table": {"pyproject.toml": "[project]\nname = 'x'\nversion = '1'\n",
                                "tox.ini": "[pytest]\nasyncio_mode = auto\n"},
}


def pytest_mode(root) -> str:
    """'strict' or 'auto' as pytest-asyncio reports it, or 'refused' when pytest does not
    start because of the configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                           "-o", "asyncio_default_fixture_loop_scope=function",
                           "test_a.py"], cwd=root, capture_output=True, text=True,
                          timeout=300, env=env)
    match = re.search(r"asyncio: mode=Mode\.(\w+)", proc.stdout)
    if match is None and "no longer supported" in proc.stderr:
        return "refused"
    assert match, proc.stdout + proc.stderr
    return match.group(1).lower()


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_plugin_agrees_with_pytest(layout, tmp_path):
    for name, text in LAYOUTS[layout].items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "test_a.py").write_text(TEST, encoding="utf-8")
    mode = pytest_mode(tmp_path)
    run = lint(tmp_path, [], ["test_a.py"])
    reported = [f.code for f in run.found]
    if mode == "refused":  # the plugin says which file it could not use, and goes on
        assert "cannot parse the pytest configuration" in run.stderr, run.stderr
        mode = "strict"
    assert reported == (["AT100"] if mode == "strict" else []), (layout, mode, reported)
