"""What a file's imports and aliases make of a name: one dotted name, or none when the name
may be bound to two different things."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from flake8_async_tests.imports import ImportTable
from harness import FIXTURES


@pytest.mark.parametrize("source, name, dotted, lines", [
    ("from app import F\nF = Other", "F", None, [1, 2]),
    ("try:\n    from app import F\nexcept ImportError:\n    F = MagicMock\n", "F", None, [2, 4]),
    ("if X:\n    from a import F\nelse:\n    from b import F\n", "F", None, [2, 4]),
    ("if X:\n    from a import F\nelse:\n    F = None\n", "F", None, [2, 4]),
    ("from a import F\ndef F():\n    pass\n", "F", None, [1, 2]),
    ("try:\n    from unittest import mock\nexcept ImportError:\n    import mock\n", "mock",
     "unittest.mock", None),
    ("import pytest\nmark = pytest.mark\n", "mark", "pytest.mark", None),
    ("from a import F\nx = F\n", "F", "a.F", None),
])
def test_a_name_bound_to_two_things_has_no_value(source, name, dotted, lines):
    table = ImportTable(ast.parse(textwrap.dedent(source)))
    assert table.names.get(name) == dotted
    assert table.ambiguous.get(name) == lines


def test_runtime_truth_of_the_import_fallback_fixture(tmp_path):
    """Where app imports, Factory is the real class and awaiting its method works (the
    four silent tests pass); the always-mocked twin raises TypeError, as its AT300 says."""
    proc = _pytest_on_copy("import_fallback", tmp_path,
                           "-o", "asyncio_default_fixture_loop_scope=function")
    assert "1 failed, 4 passed" in proc.stdout, proc.stdout
    assert "test_always_a_mock - TypeError" in proc.stdout, proc.stdout


def test_relative_imports_are_marked_and_followed_once():
    table = ImportTable(ast.parse(textwrap.dedent('''\
        from . import helpers
        from .helpers import Client
        from .a import Twice
        from .b import Twice
        from app import Absolute
        ''')))
    assert table.relative == {"helpers", "Client", "Twice"}
    assert table.names == {"Absolute": "app.Absolute"}


def test_runtime_truth_of_the_relative_imports_fixture(tmp_path):
    """Each call the fixture reports makes a coroutine that is never awaited: the tests
    pass while their bodies never run. The name bound two ways (silent: which module it
    comes from depends on the install) is the async class here too."""
    proc = _pytest_on_copy("relative_imports", tmp_path, "-W", "always::RuntimeWarning")
    assert "3 passed" in proc.stdout, proc.stdout
    never = sorted(int(line.split(":")[1]) for line in proc.stdout.splitlines()
                   if "was never awaited" in line and "test_relative.py:" in line)
    assert never == [12, 14, 15, 19, 24], proc.stdout


def _pytest_on_copy(project: str, tmp_path, *args: str) -> subprocess.CompletedProcess:
    """Real pytest on a copy of a fixture project."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "projects" / project, root)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           *args, "."],
                          cwd=root, capture_output=True, text=True, timeout=300, env=env)
