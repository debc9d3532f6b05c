"""A generated corpus: test modules that import a generated project package.

The same size always gives the same files: N test modules, each with fixtures, a few
async tests and mocks, 7 in 20 of them with one deliberate finding.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

# Bump when the generated text changes, so cached corpora are rebuilt.
GENERATOR_VERSION = "1"
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


def render_project_module(index: int) -> str:
    dep = (index + 1) % PROJECT_MODULES
    return textwrap.dedent(f'''\
        """Synthetic project module {index}."""

        import asyncio

        from . import mod_{dep:02d} as dep
        from .base import BaseClient, BaseRepo


        class Client{index}(BaseClient):
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
            return dep.helper_{dep}(1)
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
                time.sleep(0)
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


def render_test_module(index: int) -> str:
    a = index % PROJECT_MODULES
    b = (index * 7 + 3) % PROJECT_MODULES
    head = textwrap.dedent(f'''\
        """Synthetic test module {index}."""

        import asyncio
        import time
        from unittest import mock

        import pytest
        import pytest_asyncio

        from synthproj import mod_{a:02d}
        from synthproj.mod_{b:02d} import Client{b}, Repo{b}, helper_{b}


        @pytest_asyncio.fixture
        async def client_a():
            client = mod_{a:02d}.Client{a}()
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
            assert await mod_{a:02d}.process_{a}(client) == "v"
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


def generate(root: str | os.PathLike[str], modules: int) -> list[Path]:
    """Write the project and `modules` test modules under root; return the test modules."""
    root = Path(root)
    package = root / PACKAGE
    package.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (package / "__init__.py").write_text('"""Synthetic project."""\n', encoding="utf-8")
    (package / "base.py").write_text(BASE_MODULE, encoding="utf-8")
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
