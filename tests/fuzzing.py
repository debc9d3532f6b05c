"""Random test modules for fuzzing the plugin: hypothesmith programs mixed with async tests,
mocks and fixtures that use the names and expressions of those programs.

Used by tests/test_fuzz.py (a short run) and scripts/fuzz.py (a long one).
"""

from __future__ import annotations

import ast
import functools
import textwrap
import warnings

import hypothesmith
import libcst
from hypothesis import strategies as st

HEADER = """\
import asyncio
import time
import unittest
from unittest import mock
from unittest.mock import AsyncMock, MagicMock, Mock, patch

import pytest
import pytest_asyncio

import {helpers}
from {helpers} import *
"""

# Each template is one top-level piece of a test module. {a} and {b} are expressions,
# {name} a name and {attr} an attribute name, mostly taken from the generated programs.
TEMPLATES = (
    "async def test_{i}():\n    {a}()\n    await {b}()\n",
    "@pytest.mark.asyncio\nasync def test_{i}(mocker):\n"
    "    m = mocker.patch.object({a}, '{attr}', new=AsyncMock())\n"
    "    await m()\n    m.assert_awaited_once()\n",
    "def test_{i}():\n    m = Mock(spec={a})\n    m.{attr}()\n    m.assert_called_once()\n"
    "    asyncio.get_event_loop().run_until_complete({b}())\n",
    "@pytest.fixture\nasync def fx_{i}():\n    yield {a}\n",
    "@pytest_asyncio.fixture\nasync def afx_{i}(fx_{i}):\n    return await {a}(fx_{i})\n",
    "class Test{i}(unittest.TestCase):\n    async def test_m(self):\n        self.{attr}()\n"
    "        time.sleep({a})\n",
    "class Test{i}({a}):\n    async def setUp(self):\n        pass\n\n"
    "    async def test_m(self):\n        await self.{attr}()\n",
    "@patch('{helpers}.{name}', new_callable=AsyncMock)\n@pytest.mark.asyncio\n"
    "async def test_{i}(p):\n    p.assert_called_once_with({a})\n    {b}\n",
    "@patch.object({helpers}, '{name}')\ndef test_{i}(p):\n    {a}\n    p.{attr}.assert_called()\n",
    "pytestmark = [pytest.mark.asyncio, {a}]\n",
    "async def test_{i}():\n    asyncio.create_task({a}())\n    asyncio.ensure_future({b})\n"
    "    if {a}():\n        pass\n",
    "{name} = AsyncMock(spec={a}, side_effect=lambda *a: time.sleep(1))\n",
    "def test_{i}(event_loop):\n    event_loop.run_until_complete({a}())\n",
    "class Test{i}(unittest.IsolatedAsyncioTestCase):\n    def setUp(self):\n"
    "        self.m = MagicMock({a})\n\n    async def test_m(self):\n"
    "        await self.m.{attr}()\n        self.m.{attr}.assert_awaited()\n",
    "async def test_{i}():\n    with patch.object({a}, '{attr}') as m:\n        await m({b})\n"
    "        m.called_once_with()\n",
    "async def test_{i}():\n    async with {a} as {name}:\n        {name}.{attr}()\n",
    "def setup_module():\n    asyncio.run({a}())\n",
    "@pytest.mark.asyncio\ndef test_{i}():\n    assert not {a}()\n",
    "class TestMock{i}:\n    @pytest.fixture(autouse=True)\n    def fx(self):\n"
    "        asyncio.run({b}())\n\n    @pytest.mark.asyncio\n    async def test_x(self, fx):\n"
    "        {a}()\n        mock.{attr}\n",
)
POOL = ("obj", "helper", "Client", "run", "fetch", "Client.run", "obj.fetch")
# Always in the helper module, so that the names in POOL mean something.
KNOWN = """
async def helper(*args):
    pass


class Client:
    async def run(self):
        pass

    def fetch(self):
        pass


obj = Client()
"""


@functools.lru_cache(maxsize=None)
def _sources() -> tuple[st.SearchStrategy[str], ...]:
    """(programs, helper programs, expressions). Building hypothesmith's strategies takes
    about a second each: once per process, and only when needed. Only one of them may steer
    generation with hypothesis.target(), and expressions are drawn many times per example."""
    return (hypothesmith.from_grammar(),
            hypothesmith.from_grammar(auto_target=False),
            st.one_of(hypothesmith.from_node(libcst.Call, auto_target=False),
                      hypothesmith.from_node(libcst.Attribute, auto_target=False)))


def _names(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.append(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.append(node.name)
        elif isinstance(node, ast.Attribute):
            found.append(node.attr)
    return sorted(set(found))


def _expressions(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.expr) and not isinstance(node, ast.Starred):
            try:
                text = ast.unparse(node)
            except (ValueError, TypeError, RecursionError):
                continue
            if "\n" not in text and len(text) < 200:
                found.append(text)
    return sorted(set(found))


def _compiles(source: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(source, "<fuzz>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


@st.composite
def projects(draw, helpers: str = "helpers") -> dict[str, str]:
    """{module name: source}: a test module and the helper module it imports."""
    programs, helpers_programs, expressions = _sources()
    program = draw(programs)
    helper_program = draw(helpers_programs)
    trees = []
    for text in (program, helper_program):
        try:
            trees.append(ast.parse(text))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            pass
    names = sorted(set(POOL).union(*(_names(t) for t in trees)))
    found = set(names).union(*(_expressions(t) for t in trees))
    found.update(e.strip() for e in draw(st.lists(expressions, max_size=2)))
    exprs = st.sampled_from(sorted(found))
    helper_source = helper_program + "\n\n" + KNOWN
    if not _compiles(helper_source):
        helper_source = KNOWN

    parts = [HEADER.format(helpers=helpers)]
    if _compiles(program):
        parts.append(program)
    for i in range(draw(st.integers(1, 8))):
        template = draw(st.sampled_from(TEMPLATES))
        fields = {
            "i": i, "helpers": helpers,
            "a": draw(exprs), "b": draw(exprs),
            "name": draw(st.sampled_from(names)), "attr": draw(st.sampled_from(names)),
        }
        piece = template.format(**fields)
        if not _compiles(piece):  # an expression that does not fit there: use names
            fields["a"], fields["b"] = fields["name"], fields["attr"]
            piece = template.format(**fields)
        if _compiles(piece):
            parts.append(piece)
    if draw(st.booleans()):
        body = "async def test_body(mocker):\n" + textwrap.indent(program or "pass", "    ")
        if _compiles(body + "\n    pass\n"):
            parts.append(body + "\n    pass\n")
    source = "\n\n".join(parts)
    if not _compiles(source):
        source = HEADER.format(helpers=helpers) + "\n\nasync def test_x():\n    helper()\n"
    return {"test_fuzz": source, helpers: helper_source}
