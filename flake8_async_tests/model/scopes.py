"""The scopes of a file, how a name resolves from each (class bodies do not enclose, as
in Python), and the role pytest gives each function: test, fixture, hook, helper."""

from __future__ import annotations

import ast
import functools
from collections.abc import Container
from dataclasses import dataclass

from ..syntax import ScopeNode, Syntax
from .bindings import bindings

# The xunit-style hooks pytest and unittest call around tests.
PYTEST_CLASS_HOOKS = ("setup_method", "teardown_method", "setup_class", "teardown_class")
MODULE_HOOKS = ("setup_module", "teardown_module", "setup_function", "teardown_function",
                "setUpModule", "tearDownModule")
UNITTEST_HOOKS = ("setUp", "tearDown", "setUpClass", "tearDownClass")
HOOKS = frozenset(PYTEST_CLASS_HOOKS + MODULE_HOOKS + UNITTEST_HOOKS)
MAX_NAME = 60


@dataclass
class Scope:
    node: ScopeNode
    parent: Scope | None
    syntax: Syntax

    @functools.cached_property
    def bindings(self) -> dict[str, list[tuple[str, ast.AST | None]]]:
        # on first lookup only: most scopes never need it
        return bindings(self.node, self.syntax.scope_nodes(self.node))

    @property
    def is_function(self) -> bool:
        return isinstance(self.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))

    @property
    def is_async(self) -> bool:
        return isinstance(self.node, ast.AsyncFunctionDef)

    @property
    def in_async(self) -> bool:
        """This scope or an enclosing one is an `async def`."""
        scope: Scope | None = self
        while scope is not None:
            if scope.is_async:
                return True
            scope = scope.parent
        return False

    @property
    def cls(self) -> ast.ClassDef | None:
        """The class this function is defined in directly, if any."""
        if self.parent is not None and isinstance(self.parent.node, ast.ClassDef):
            return self.parent.node
        return None


class Scopes:
    """Every scope of one file, each after the scope it is defined in."""

    def __init__(self, ctx) -> None:  # ctx: FileContext (not imported: it imports this)
        self.ctx = ctx
        syntax = ctx.syntax
        self.by_node: dict[int, Scope] = {}
        for node in syntax.scopes:
            enclosing = syntax.enclosing(node)
            parent = self.by_node[id(enclosing)] if enclosing is not None else None
            self.by_node[id(node)] = Scope(node, parent, syntax)
        self.module = self.by_node[id(ctx.tree)]

    def all(self):
        return self.by_node.values()

    def lookup(self, name: str, scope: Scope) -> tuple[Scope, list] | None:
        """Where `name` is bound as seen from `scope` (class bodies are not enclosing scopes)."""
        current: Scope | None = scope
        first = True
        while current is not None:
            if first or not isinstance(current.node, ast.ClassDef):
                bound = current.bindings.get(name)
                if bound:
                    return current, bound
            first = False
            current = current.parent
        return None

    def single_value(self, name: str, scope: Scope) -> tuple[str, ast.AST | None] | None:
        found = self.lookup(name, scope)
        if found is None or len(found[1]) != 1:
            return None
        return found[1][0]

    def resolve(self, expr: ast.AST, scope: Scope, among: Container[str] = (),
                prefix: str = "") -> str | None:
        """The imported dotted name of an expression, if it is one of `among` or starts with
        `prefix`, unless a local binding shadows it (looked up only for those)."""
        target = expr.func if isinstance(expr, ast.Call) else expr
        if (not prefix and isinstance(target, ast.Attribute) and isinstance(among, frozenset)
                and target.attr not in _last_names(among)):
            return None  # (`x.attr` names `...attr`: none of `among`, whatever x is)
        dotted = self.ctx.resolve(expr)
        if dotted is None or not (dotted in among or (prefix and dotted.startswith(prefix))):
            return None
        root, _ = chain(expr.func if isinstance(expr, ast.Call) else expr)
        if not isinstance(root, ast.Name):
            return None
        found = self.lookup(root.id, scope)
        if found is not None and found[0] is not self.module:
            return None
        return dotted

    def class_scope(self, scope: Scope) -> Scope | None:
        current: Scope | None = scope
        while current is not None and current.parent is not None:
            if isinstance(current.parent.node, ast.ClassDef) and current.is_function:
                return current.parent
            current = current.parent
        return None

    def role(self, scope: Scope) -> str:
        func = scope.node
        assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
        if self.ctx.is_fixture(func):
            return "fixture"
        parent = scope.parent
        if func.name in HOOKS:
            return "hook"
        if parent is self.module:
            return "test" if self.ctx.is_test_name(func.name) else "helper"
        if parent is not None and isinstance(parent.node, ast.ClassDef):
            if self.is_test_class(parent.node) and self.ctx.is_test_name(func.name):
                return "test"
            return "method"
        return "nested"

    def is_test_class(self, cls: ast.ClassDef) -> bool:
        if self.ctx.is_test_class_name(cls.name):
            return True
        return any("TestCase" in (self.ctx.resolve(b) or "") for b in cls.bases)

    def describe(self, scope: Scope) -> dict[str, object]:
        """The `role` and `function` fields that name an async function in a message."""
        func = scope.node
        assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
        role = self.role(scope)
        if role in ("test", "fixture", "hook"):
            return {"role": f"async {role}", "function": func.name}
        if self.ctx.syntax.is_async_generator(func):
            return {"role": "async generator", "function": func.name}
        return {"role": "coroutine", "function": func.name}

    def sync_test_code(self, scope: Scope) -> bool:
        """A sync test, fixture or hook itself (not a helper, which async code may call)."""
        return sync_code(scope) and self.role(scope) in ("test", "fixture", "hook")


def label(expr: ast.AST, width: int = MAX_NAME) -> str:
    """An expression's source, cut to `width` characters."""
    try:
        text = ast.unparse(expr)
    except (ValueError, TypeError, AttributeError, RecursionError):
        return "?"
    return text if len(text) <= width else text[: width - 3] + "..."


def chain(expr: ast.AST) -> tuple[ast.AST, list[str]]:
    """(root, attribute names) of `a.b.c`: (Name a, ['b', 'c'])."""
    attrs: list[str] = []
    while isinstance(expr, ast.Attribute):
        attrs.append(expr.attr)
        expr = expr.value
    return expr, list(reversed(attrs))


def sync_code(scope: Scope) -> bool:
    """A sync def (not a lambda) of a module or class, not nested in a function: code that
    pytest may call directly as a test, fixture or hook, or a helper of those."""
    return (scope.is_function and not scope.in_async and not isinstance(scope.node, ast.Lambda)
            and scope.parent is not None and not scope.parent.is_function)


@functools.lru_cache(maxsize=64)
def _last_names(dotted: frozenset[str]) -> frozenset[str]:
    """The last part of each dotted name (`sleep` of `time.sleep`)."""
    return frozenset(name.rpartition(".")[2] for name in dotted)
