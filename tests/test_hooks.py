"""Which conftest hooks may run async tests or make them async (model/hooks.py)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from flake8_async_tests.imports import ImportTable
from flake8_async_tests.model import hooks

MARKS = frozenset({"asyncio", "anyio", "trio", "asyncio_cooperative"})


def effect(source: str) -> str | None:
    tree = ast.parse("import os\nimport pytest\n" + textwrap.dedent(source))
    hook = next(s for s in tree.body if isinstance(s, ast.FunctionDef) and s.name in hooks.HOOKS)
    found = hooks.effect(hook, tree, ImportTable(tree).resolve, MARKS, "conftest.py:3")
    assert found is None or found.endswith(" (conftest.py:3)")
    return found and found.removesuffix(" (conftest.py:3)")


@pytest.mark.parametrize("source", [
    # category and skip marks, by folder, keyword or environment
    """
    def pytest_collection_modifyitems(config, items):
        skip = pytest.mark.skip(reason="no key")
        for item in items:
            if "e2e" in str(item.fspath):
                item.add_marker(pytest.mark.e2e)
            if "redis" in item.keywords and not os.getenv("REDIS"):
                item.add_marker(skip)
            item.add_marker("slow")
            item.add_marker(pytest.mark.issue(int("42")))
    """,
    # deselecting and reordering
    """
    def pytest_collection_modifyitems(config, items):
        kept = [item for item in items if item.get_closest_marker("keep")]
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = sorted(kept, key=len)
    """,
    # module helpers that only read items
    """
    def _number(item):
        marker = item.get_closest_marker("issue")
        return marker.args[0] if marker else None

    def _mark(item):
        if _number(item):
            item.add_marker(pytest.mark.regression)

    def pytest_collection_modifyitems(config, items):
        for item in items:
            _mark(item)
    """,
    # a runner hook with nothing about coroutines
    """
    def pytest_runtest_call(item):
        print(item.name)
    """,
])
def test_hooks_that_leave_async_tests_alone(source):
    assert effect(source) is None


@pytest.mark.parametrize("source, reason", [
    ("""
    def pytest_collection_modifyitems(items):
        for item in items:
            item.add_marker(pytest.mark.asyncio)
    """, "pytest_collection_modifyitems adds the asyncio mark"),
    ("""
    def pytest_itemcollected(item):
        item.add_marker("asyncio_cooperative")
    """, "pytest_itemcollected adds the asyncio_cooperative mark"),
    ("""
    def pytest_collection_modifyitems(items):
        for item in items:
            item.add_marker(getattr(pytest.mark, item.name))
    """, "pytest_collection_modifyitems adds a mark it computes"),
    ("""
    def pytest_collection_modifyitems(items):
        for item in items:
            item.own_markers.append(pytest.mark.anyio.mark)
    """, "pytest_collection_modifyitems changes own_markers of items directly"),
    ("""
    def pytest_collection_modifyitems(items):
        for item in items:
            item.keywords["asyncio"] = True
    """, "pytest_collection_modifyitems changes keywords of items directly"),
    ("""
    def pytest_collection_modifyitems(items):
        for item in items:
            setattr(item.obj, "pytestmark", [])
    """, "pytest_collection_modifyitems sets attributes with setattr()"),
    ("""
    from helpers import classify

    def pytest_collection_modifyitems(items):
        for item in items:
            classify(item)
    """, "pytest_collection_modifyitems hands items to classify, which may mark them"),
    ("""
    def _mark(item):
        item.add_marker(pytest.mark.trio)

    def pytest_collection_modifyitems(items):
        for item in items:
            _mark(item)
    """, "_mark adds the trio mark"),
    ("""
    def pytest_pyfunc_call(pyfuncitem):
        if asyncio.iscoroutinefunction(pyfuncitem.obj):
            return True
    """, "pytest_pyfunc_call may run coroutines"),
])
def test_hooks_that_may_make_or_run_async_tests(source, reason):
    assert effect(source) == reason
