"""A generated corpus: test modules that import a generated project package.

The same size always gives the same files: N test modules, each with fixtures, a few
async tests and mocks, 7 in 20 of them with one deliberate finding.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

# Bump when the generated text changes, so cached corpora are rebuilt.
GENERATOR_VERSION = "2"
PACKAGE = "synthproj"
PROJECT_MODULES = 40
MODULES_PER_DIR = 500

PYPROJECT = """\
[project]
name = "synthproj"
version = "0"

[tool.pytest.ini_options]
asyncio_mode = "strict"
testpaths = ["tests"]
"""

BASE_MODULE = '''\
"""Base classes of the synthetic project."""

import asyncio


class BaseClient:
    retries = 3

    async def connect(self):
        await asyncio.sleep(0)

    async def close(self):
        await asyncio.sleep(0)

    def configure(self, **options):
        self.options = options
        return self


class BaseRepo:
    table = "items"

    def get(self, key):
        return None

    def put(self, key, value):
        return value
'''

CONFTEST = '''\
import pytest
import pytest_asyncio

from synthproj.mod_00 import Client0, Repo0


@pytest_asyncio.fixture
async def client():
    client = Client0()
    await client.connect()
    yield client
    await client.close()


@pytest.fixture
def repo():
    return Repo0()
'''


def flat_module(index: int) -> str:
    """The dotted name of project module `index` in the flat 40-module project."""
    return f"{PACKAGE}.mod_{index:02d}"


def nested_module(index: int) -> str:
    """The dotted name of project module `index` in a nested project: the same index has
    the same name whatever the project's size."""
    return f"{PACKAGE}.area_{index // 400:03d}.part_{index // 20 % 20:02d}.mod_{index:05d}"


def render_project_module(index: int, dotted=flat_module) -> str:
    dep = index // 2  # imports go to lower indices: no cycles, depth log2(modules)
    # A chain of subclasses across modules, four deep at most, then the shared base.
    base, base_import = ("BaseClient", "") if index % 4 == 0 else (
        f"Client{index - 1}", f"from {dotted(index - 1)} import Client{index - 1}\n")
    dep_module, _, dep_name = dotted(dep).rpartition(".")
    return textwrap.dedent(f'''\
        """Synthetic project module {index}."""

        import asyncio

        from {dep_module} import {dep_name} as dep
        from {PACKAGE}.base import BaseClient, BaseRepo
        ''') + base_import + textwrap.dedent(f'''\


        class Client{index}({base}):
            timeout = {index}

            async def fetch(self, key):
                await asyncio.sleep(0)
                return key

            async def store(self, key, value):
                await asyncio.sleep(0)
                return value

            def encode(self, value):
                return str(value)

            @staticmethod
            async def ping():
                return True

            @classmethod
            def create(cls):
                return cls()


        class Repo{index}(BaseRepo):
            def count(self):
                return {index}


        async def process_{index}(client):
            return await client.fetch("key")


        def helper_{index}(value):
            return value * 2


        def linked():
            return dep.helper_{dep}(1) if {index} else 1
        ''')


def _finding(kind: int, b: int) -> str:
    """One test with a deliberate finding, or '' (kinds 7-19 have none)."""
    bodies = {
        0: f"""\
            async def test_unmarked():
                assert await Client{b}().fetch("k") == "k"
            """,  # AT100
        1: f"""\
            @pytest.mark.asyncio
            async def test_dropped_coroutine():
                Client{b}().fetch("k")
            """,  # AT200
        2: """\
            @pytest.mark.asyncio
            async def test_blocking_sleep():
                time.sleep(0.01)
            """,  # AT204
        3: f"""\
            @pytest.mark.asyncio
            async def test_sync_mock_for_async():
                with mock.patch.object(Client{b}, "fetch", new=mock.MagicMock()):
                    assert await Client{b}().fetch("k")
            """,  # AT301
        4: f"""\
            @pytest.mark.asyncio
            async def test_dangling_task():
                asyncio.create_task(Client{b}().fetch("k"))
            """,  # AT203
        5: """\
            @pytest.mark.asyncio
            def test_marked_sync():
                assert True
            """,  # AT102
        6: """\
            @pytest.mark.asyncio
            async def test_await_sync_mock():
                client = mock.MagicMock()
                await client.fetch()
            """,  # AT300
    }
    return textwrap.dedent(bodies.get(kind, ""))


def render_test_module(index: int, modules: int = PROJECT_MODULES, dotted=flat_module) -> str:
    a = index % modules
    b = (index * 7 + 3) % modules
    head = textwrap.dedent(f'''\
        """Synthetic test module {index}."""

        import asyncio
        import time
        from unittest import mock

        import pytest
        import pytest_asyncio

        import {dotted(a)} as mod_a
        from {dotted(b)} import Client{b}, Repo{b}, helper_{b}


        @pytest_asyncio.fixture
        async def client_a():
            client = mod_a.Client{a}()
            await client.connect()
            yield client
            await client.close()


        @pytest.fixture
        def repo_b():
            return Repo{b}()


        @pytest.mark.asyncio
        async def test_fetch(client_a):
            assert await client_a.fetch("x") == "x"


        @pytest.mark.asyncio
        async def test_patched_fetch():
            with mock.patch.object(Client{b}, "fetch", new_callable=mock.AsyncMock) as fetch:
                fetch.return_value = 1
                assert await Client{b}().fetch("k") == 1
            fetch.assert_awaited_once_with("k")


        @pytest.mark.asyncio
        async def test_process():
            client = mock.AsyncMock(spec=Client{b})
            client.fetch.return_value = "v"
            assert await mod_a.process_{a}(client) == "v"
            await asyncio.sleep(0)


        def test_sync_repo(repo_b):
            with mock.patch.object(Repo{b}, "get", return_value=3):
                assert repo_b.get("k") == 3
            assert helper_{b}(2) == 4
            assert time.monotonic()


        class TestClient{index}:
            @pytest.mark.asyncio
            async def test_store(self, client):
                other = Client{b}.create()
                assert await other.store("k", 1) == 1
                assert other.encode(1) == "1"

            @pytest.mark.asyncio
            async def test_ping(self):
                assert await Client{b}.ping()
        ''')
    finding = _finding(index % 20, b)
    return head + ("\n\n" + finding if finding else "")


def expected_findings(modules: int) -> dict[str, int]:
    """The deliberate findings of a corpus of this size, per code."""
    codes = ("AT100", "AT200", "AT204", "AT301", "AT203", "AT102", "AT300")
    counts: dict[str, int] = {}
    for index in range(modules):
        kind = index % 20
        if kind < len(codes):
            counts[codes[kind]] = counts.get(codes[kind], 0) + 1
    return counts


def _write_base(root: Path) -> Path:
    """pyproject.toml, the package's __init__ and its base module; returns the package."""
    package = root / PACKAGE
    package.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (package / "__init__.py").write_text('"""Synthetic project."""\n', encoding="utf-8")
    (package / "base.py").write_text(BASE_MODULE, encoding="utf-8")
    return package


def generate(root: str | os.PathLike[str], modules: int) -> list[Path]:
    """Write the project and `modules` test modules under root; return the test modules."""
    root = Path(root)
    package = _write_base(root)
    for index in range(PROJECT_MODULES):
        (package / f"mod_{index:02d}.py").write_text(render_project_module(index), encoding="utf-8")
    tests = root / "tests"
    tests.mkdir(exist_ok=True)
    (tests / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    written = []
    for index in range(modules):
        folder = tests / f"group_{index // MODULES_PER_DIR:03d}"
        folder.mkdir(exist_ok=True)
        path = folder / f"test_mod_{index:05d}.py"
        path.write_text(render_test_module(index), encoding="utf-8")
        written.append(path)
    return written


PROJECT_TEST_MODULES = 1000
TESTS_PER_DIR = 20


def generate_project(root: str | os.PathLike[str], modules: int,
                     tests: int = PROJECT_TEST_MODULES) -> list[Path]:
    """A project of `modules` production modules in nested packages (subclasses and
    imports across modules, packages that re-export a class) and the same `tests` test
    modules, TESTS_PER_DIR to a folder, whatever `modules` is (they use the first
    `tests` modules only). Returns the test modules."""
    if modules < tests:
        raise ValueError("the project needs at least as many modules as there are tests")
    root = Path(root)
    _write_base(root)
    for index in range(modules):
        path = root / (nested_module(index).replace(".", "/") + ".py")
        if not path.parent.is_dir():
            path.parent.mkdir(parents=True)
            for parent in (path.parent, path.parent.parent):
                init = parent / "__init__.py"
                if not init.exists():
                    # Each area re-exports its first client class.
                    first = index if parent == path.parent.parent else None
                    text = f'"""Synthetic package {parent.name}."""\n'
                    if first is not None:
                        text += f"from {nested_module(first)} import Client{first}\n"
                    init.write_text(text, encoding="utf-8")
        path.write_text(render_project_module(index, nested_module), encoding="utf-8")
    folder = root / "tests"
    folder.mkdir(exist_ok=True)
    (folder / "conftest.py").write_text(
        CONFTEST.replace("from synthproj.mod_00 import Client0, Repo0",
                         f"from {nested_module(0)} import Client0, Repo0"), encoding="utf-8")
    written = []
    for index in range(tests):
        sub = folder / f"group_{index // TESTS_PER_DIR:03d}"
        sub.mkdir(exist_ok=True)
        path = sub / f"test_mod_{index:05d}.py"
        path.write_text(render_test_module(index, tests, nested_module), encoding="utf-8")
        written.append(path)
    return written
