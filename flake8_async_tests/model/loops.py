"""Which event loop pytest-asyncio runs each async test and fixture on, and which loops
may be the current loop around sync code.

pytest-asyncio 1.x runs an async test on a loop of the `loop_scope` of its closest
`asyncio` mark (function, then class, then module; the deprecated `scope=` too), else of
`asyncio_default_test_loop_scope`, else one loop per test. It runs an async fixture on a
loop of its decorator's `loop_scope`, else of `asyncio_default_fixture_loop_scope`, where
unset and "fixture-scope" mean the fixture's own scope. Each loop belongs to an
`asyncio.Runner` that a fixture of that scope holds; the runner makes its loop the current
one when it starts and unsets it when its scope ends. So a loop wider than one test stays
current after the first test or fixture that uses it, and sync code of later tests in its
reach gets it from `asyncio.get_event_loop()`.

Only loops declared in the linted file and the conftest.py files above it are looked for
(and the configured defaults, in project.Settings): a loop that a test of another module
starts is current only when that module happens to run first, the order dependence AT202
reports.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..rules import SCOPES, explain
from ..syntax import FunctionNode
from .fixtures import ASYNC_FIXTURE_DECORATORS, fixture_decorator

MATCH_FIXTURE_SCOPE = "fixture-scope"  # asyncio_default_fixture_loop_scope's "own scope"
UNKNOWN = "unknown"  # a scope not written out as a literal


def runs_coroutines(func: FunctionNode, nodes: Iterable[ast.AST], resolve) -> bool:
    """Can code run from this function (`nodes`, its own) await a coroutine? An async
    def can; a sync one only where it starts a loop itself (`asyncio.run`, ...). A sync
    test that never does may use a sync mock on purpose, to record calls without one."""
    if isinstance(func, ast.AsyncFunctionDef):
        return True
    for node in nodes:
        if isinstance(node, ast.Call):
            dotted = resolve(node.func) or ""
            if dotted.endswith(("run_until_complete", "asyncio.run", "anyio.run",
                                "trio.run", "async_to_sync")):
                return True
    return False


def literal_keyword(call: ast.expr | None, name: str, default: str | None) -> str | None:
    """A keyword argument's literal string; `default` when absent; UNKNOWN when it is no
    literal (or `**kwargs` may hold it)."""
    for keyword in call.keywords if isinstance(call, ast.Call) else ():
        if keyword.arg == name:
            value = keyword.value
            return value.value if isinstance(value, ast.Constant) \
                and isinstance(value.value, str) else UNKNOWN
        if keyword.arg is None:
            return UNKNOWN
    return default


def fixture_scopes(decorator: ast.expr | None, default_loop_scope: str | None,
                   ) -> tuple[str, str]:
    """(the fixture's scope, the scope of the loop it runs on) for a pytest-asyncio
    fixture's decorator; either may be UNKNOWN."""
    scope = literal_keyword(decorator, "scope", "function")
    loop_scope = literal_keyword(decorator, "loop_scope", None)
    if loop_scope is None:
        loop_scope = (scope if default_loop_scope in (None, MATCH_FIXTURE_SCOPE)
                      else default_loop_scope)
    return _known(scope), _known(loop_scope)


def mark_loop_scope(mark: ast.expr) -> str | None:
    """The loop scope an `asyncio` mark gives (`loop_scope=`, or the deprecated `scope=`);
    None when it gives none."""
    for name in ("loop_scope", "scope"):
        given = literal_keyword(mark, name, None)
        if given is not None:
            return _known(given)
    return None


def _known(scope: str) -> str:
    return scope if scope in SCOPES else UNKNOWN


def wider(scope: str) -> bool:
    """A loop of this scope outlives one test (UNKNOWN may)."""
    return scope != "function"


@dataclass(frozen=True)
class WideLoop:
    """A loop wider than one test, and what it reaches: one class of the linted file
    (`cls`), or the whole file (None)."""

    scope: str  # one of SCOPES but "function", or UNKNOWN
    where: str  # "the asyncio mark at line 5", "fixture 'db' at tests/conftest.py:12"
    cls: ast.ClassDef | None = None

    def reason(self) -> str:
        if self.scope == UNKNOWN:
            return explain("loop-scope-unknown", where=self.where)
        return explain("wide-loop", scope=self.scope, where=self.where)


class Loops:
    """The loops wider than one test that the linted file and its conftest.py files
    declare (read on first use, once per file)."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self._found: list[WideLoop] | None = None

    def current_around(self, func: FunctionNode, cls: ast.ClassDef | None) -> str | None:
        """Why a loop wider than one test may be current when `func` (sync code of a test,
        fixture or hook, in class `cls` or at module level) runs; None when none may be."""
        if self._found is None:
            self._found = list(self._wide_loops())
        for loop in self._found:
            if loop.cls is None or loop.cls is cls:
                return loop.reason()
        return None

    def _wide_loops(self) -> Iterator[WideLoop]:
        ctx = self.ctx
        yield from self._marks(ctx.tree.body, None)
        yield from self._fixtures(ctx.tree, ctx.resolve, None, "line ")
        for path, tree in ctx.conftests:
            home = ctx.home_of(path, tree)
            yield from self._fixtures(tree, home.resolve, None, f"{home.label}:")

    def _marks(self, body: list[ast.stmt], cls: ast.ClassDef | None) -> Iterator[WideLoop]:
        """asyncio marks of the module, of its classes and of their functions with a
        `loop_scope` wider than one test. A class-scoped loop of a class reaches that
        class; any other, the file."""
        ctx = self.ctx
        marks = [*ctx.marks.pytestmarks(body), *(cls.decorator_list if cls is not None else ())]
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                marks.extend(stmt.decorator_list)
            elif isinstance(stmt, ast.ClassDef) and cls is None:
                yield from self._marks(stmt.body, stmt)  # its decorators too
        for mark in marks:
            if ctx.marks.name(mark) != "asyncio":
                continue
            scope = mark_loop_scope(mark)
            if scope is not None and wider(scope):
                reach = cls if scope == "class" and cls is not None else None
                yield WideLoop(scope, f"the asyncio mark at line {mark.lineno}", reach)

    def _fixtures(self, tree: ast.Module, resolve, cls: ast.ClassDef | None,
                  at: str) -> Iterator[WideLoop]:
        """Async fixtures pytest-asyncio runs (its own decorator; any fixture in auto
        mode) on a loop wider than one test, in a module or its classes."""
        ctx = self.ctx
        body = tree.body if cls is None else cls.body
        for stmt in body:
            if isinstance(stmt, ast.ClassDef) and cls is None:
                yield from self._fixtures(tree, resolve, stmt, at)
            if not isinstance(stmt, ast.AsyncFunctionDef):
                continue
            decorator = fixture_decorator(stmt, resolve)
            if decorator is None or (resolve(decorator) not in ASYNC_FIXTURE_DECORATORS
                                     and ctx.runner.mode != "auto"):
                continue
            _, loop_scope = fixture_scopes(decorator, ctx.settings.default_loop_scopes[0])
            if wider(loop_scope):
                reach = cls if loop_scope == "class" and tree is ctx.tree else None
                yield WideLoop(loop_scope, f"fixture {stmt.name!r} at {at}{stmt.lineno}",
                               reach)
