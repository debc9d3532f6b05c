"""Which functions of a file the mock rules look at, each with the mocks in its scope
(model/mocks.py): the fixtures of conftest.py files, the module and its classes that
give mocks (parametrized ones aside), and a function taking a mocker or such a fixture,
naming anything mock-like, reading a `self` attribute its class sets to a mock, or
awaiting a name the module binds two ways (its AT300 silence says why)."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator

from ..index.text import Text
from ..mock_names import MOCK_WORD, MOCKER_NAMES
from ..syntax import FunctionNode
from .mock_targets import self_mock
from .mocks import ScopeMocks, conftest_mocks, fixture_mocks, without_parametrized
from .tracked import Names, Tracked, all_params


def mocked_scopes(ctx, plugins: tuple[tuple[str, ast.Module], ...],
                  ) -> Iterator[tuple[ScopeMocks, Names]]:
    """Each function worth checking, in the file's order (a function before the ones it
    defines), with its mocks and the names that make them. `ctx`: a FileContext;
    `plugins`: the project's plugin modules, whose fixtures count as a conftest's."""
    return _Walk(ctx).scopes(plugins)


class _Walk:
    def __init__(self, ctx) -> None:
        self.ctx = ctx

    def scopes(self, plugins: tuple[tuple[str, ast.Module], ...],
               ) -> Iterator[tuple[ScopeMocks, Names]]:
        ctx = self.ctx
        shared = conftest_mocks(ctx.conftests, plugins)
        inherited: dict[str, Tracked] = {k: v for k, v in shared if v is not None}
        module_fixtures = fixture_mocks(ctx.tree.body, ctx.imports, True, inherited, ctx.syntax)
        for name, value in module_fixtures.items():
            if value is None:
                inherited.pop(name, None)
            else:
                inherited[name] = value
        inherited = without_parametrized(inherited, ctx.marks.pytestmarks(ctx.tree.body),
                                         ctx.resolve, ctx.marks.pytestmark_opening(ctx.tree.body))
        defined = set(module_fixtures) | {k for k, _ in shared}
        mocker_fixtures = {n for n in defined if n in MOCKER_NAMES}  # a project's own 'mocker'
        yield from self._walk(ctx.tree.body, inherited, mocker_fixtures, in_class=False)

    def _walk(self, body: list[ast.stmt], inherited: dict[str, Tracked], overridden: set[str],
              in_class: bool) -> Iterator[tuple[ScopeMocks, Names]]:
        for stmt in body:
            if isinstance(stmt, ast.ClassDef):
                fixtures = fixture_mocks(stmt.body, self.ctx.imports, True, inherited,
                                         self.ctx.syntax)
                scoped = without_parametrized(
                    dict(inherited), stmt.decorator_list + self.ctx.marks.pytestmarks(stmt.body),
                    self.ctx.resolve, self.ctx.marks.pytestmark_opening(stmt.body))
                for name, value in fixtures.items():
                    if value is None:
                        scoped.pop(name, None)
                    else:
                        scoped[name] = value
                yield from self._walk(stmt.body, scoped, overridden, in_class=True)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from self._function(stmt, inherited, overridden, in_class)

    def _function(self, func: FunctionNode, inherited: dict[str, Tracked], overridden: set[str],
                  in_class: bool) -> Iterator[tuple[ScopeMocks, Names]]:
        ctx = self.ctx
        params = all_params(func)
        given = without_parametrized(dict(inherited), func.decorator_list, ctx.resolve)
        if ctx.is_fixture(func) and func.name in given:
            given.pop(func.name)  # a fixture asking for the one it overrides
        mockers = {p for p in params if p in MOCKER_NAMES and p not in overridden}
        nodes = ctx.syntax.scope_nodes(func, headers=False)
        if mockers or params & given.keys() or self._mentions_mocks(func) or (
                in_class and self._reads_self_mock(func, nodes)) or self._awaits_ambiguous(nodes):
            names = Names(ctx.imports, mockers)
            static = any(ctx.resolve(d) == "staticmethod" for d in func.decorator_list)
            is_method = in_class and not static
            scope = ScopeMocks(func, names, given, is_method, ctx.syntax)
            yield scope, names
        for node in ctx.syntax.children(func):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from self._function(node, {}, overridden, in_class=False)
            elif isinstance(node, ast.ClassDef):
                yield from self._walk(node.body, {}, overridden, in_class=True)

    def _awaits_ambiguous(self, nodes: list[ast.AST]) -> bool:
        """Does a function await something and name a module-level name bound two ways
        (`try: from app import Factory` / `except ImportError: Factory = MagicMock`)? Its
        AT300 silence then says why (_unknown_value)."""
        ambiguous = self.ctx.imports.ambiguous
        return bool(ambiguous) and any(
            isinstance(node, (ast.Await, ast.AsyncWith, ast.AsyncFor)) for node in nodes) \
            and any(isinstance(node, ast.Name) and node.id in ambiguous for node in nodes)

    def _reads_self_mock(self, func: FunctionNode, nodes: list[ast.AST]) -> bool:
        """Does a method that names nothing mock-like itself read `self.attr` where its
        class (whose text does) sets `self.attr` to a mock for its tests, or leaves it
        unfollowed for a reason to record? Its only mocks would be those."""
        cls = self.ctx.syntax.enclosing(func)
        if not isinstance(cls, ast.ClassDef) or not self._mentions_mocks(cls):
            return False
        read = {node.attr for node in nodes if isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name) and node.value.id == "self"}
        return any(self_mock(self.ctx, cls, attr) != (None, None) for attr in sorted(read))

    @functools.cached_property
    def _text(self) -> Text:
        return Text(self.ctx.source)

    def _mentions_mocks(self, node: FunctionNode | ast.ClassDef | None) -> bool:
        """Does the function's (or class's) text, decorators included, name anything
        mock-like?"""
        if node is None:
            return False
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        return self._text.within(first, node.end_lineno or node.lineno, MOCK_WORD)
