"""What holds an AsyncMock in a file: a name or `self` attribute assigned one, or a child
of an unspecced one. Calling either makes a coroutine (AT200); its side effects run inside
the event loop (AT204)."""

from __future__ import annotations

import ast

from ..mock_names import FAKE_ASSERTS, FAKE_AWAIT_ASSERTS, MOCK, MOCK_API
from .scopes import Scope, Scopes, label

ASYNC_MOCK = MOCK + "AsyncMock"
# A mock's own API and the misspelt assertions AT305 reports: not child mocks here.
NOT_CHILDREN = MOCK_API | FAKE_ASSERTS | FAKE_AWAIT_ASSERTS


class AsyncMocks:
    """The AsyncMocks of one file (built on first use, per file)."""

    def __init__(self, scopes: Scopes) -> None:
        self.scopes = scopes
        self.ctx = scopes.ctx
        self.has_async_mocks = "AsyncMock" in self.ctx.source
        self._reconfigured_cache: tuple[set[str], set[str]] | None = None
        self._self_indexes: dict[int, dict[str, list[ast.AST | None]]] = {}

    def is_call(self, expr: ast.AST | None, scope: Scope) -> bool:
        if not isinstance(expr, ast.Call):
            return False
        if self.scopes.resolve(expr.func, scope, among=(ASYNC_MOCK,)) == ASYNC_MOCK:
            return True
        func = expr.func
        return (isinstance(func, ast.Attribute) and func.attr == "AsyncMock"
                and isinstance(func.value, ast.Name) and func.value.id == "mocker")

    def source(self, expr: ast.AST, scope: Scope) -> ast.Call | None:
        """The AsyncMock(...) call a name or `self.attr` certainly holds, if any."""
        if isinstance(expr, ast.Name):
            bound = self.scopes.single_value(expr.id, scope)
            if bound and bound[0] == "assign" and self.is_call(bound[1], scope):
                return bound[1]  # type: ignore[return-value]
            return None
        if (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name)
                and expr.value.id in ("self", "cls")):
            cls_scope = self.scopes.class_scope(scope)
            if cls_scope is None:
                return None
            values = [v for v in self.self_assignments(cls_scope.node, expr.attr)]
            if len(values) == 1 and self.is_call(values[0], cls_scope):
                return values[0]  # type: ignore[return-value]
        return None

    def self_assignments(self, cls: ast.ClassDef, attr: str) -> list[ast.AST | None]:
        # One walk per class, not one per question: a big test class asks thousands.
        index = self._self_indexes.get(id(cls))
        if index is None:
            index = self._self_indexes[id(cls)] = {}
            for sub in self.ctx.syntax.within(cls, ast.Assign, ast.AnnAssign, ast.AugAssign,
                                              ast.With, ast.AsyncWith, ast.For, ast.AsyncFor):
                targets: list[ast.AST] = []
                value: ast.AST | None = None
                if isinstance(sub, ast.Assign):
                    targets, value = sub.targets, sub.value
                elif isinstance(sub, (ast.AnnAssign, ast.AugAssign)):
                    targets, value = [sub.target], sub.value
                elif isinstance(sub, (ast.With, ast.AsyncWith)):
                    targets = [i.optional_vars for i in sub.items if i.optional_vars is not None]
                elif isinstance(sub, (ast.For, ast.AsyncFor)):
                    targets = [sub.target]
                for target in targets:
                    for part in ast.walk(target):
                        if isinstance(part, ast.Attribute) and isinstance(part.value, ast.Name):
                            index.setdefault(part.attr, []).append(
                                value if part is target else None)
        return index.get(attr, [])

    def holds(self, expr: ast.AST, scope: Scope) -> bool:
        """`expr` is certainly an AsyncMock, or a child of an unspecced one (also async)."""
        if not self.has_async_mocks:
            return False
        if self.source(expr, scope) is not None:
            return True
        rest: list[str] = []
        prefix = expr
        while isinstance(prefix, ast.Attribute):
            rest.insert(0, prefix.attr)
            prefix = prefix.value
            source = self.source(prefix, scope)
            if source is not None:
                break
        else:
            return False
        if source.args or any(k.arg in ("spec", "spec_set") or k.arg is None
                              for k in source.keywords):
            return False
        if any(a.startswith("_") or a in NOT_CHILDREN for a in rest):
            return False
        # `m.close = MagicMock()`, `m.configure_mock(...)`, `setattr(m, ...)`: not plain children.
        text = label(prefix)
        assigned, configured = self.reconfigured()
        if text in configured:
            return False
        for attr in rest:
            text = f"{text}.{attr}"
            if text in assigned or text in configured:
                return False
        return True

    def reconfigured(self) -> tuple[set[str], set[str]]:
        """(attribute targets assigned, mocks configured by call) anywhere in this file."""
        if self._reconfigured_cache is None:
            found: set[str] = set()
            configured: set[str] = set()
            for node in self.ctx.syntax.of_type(ast.Assign, ast.AnnAssign, ast.AugAssign,
                                                ast.Call):
                targets: list[ast.AST] = []
                if isinstance(node, ast.Assign):
                    targets = node.targets
                elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
                    targets = [node.target]
                elif isinstance(node, ast.Call):
                    func = node.func
                    if isinstance(func, ast.Attribute) and func.attr in (
                            "configure_mock", "attach_mock", "mock_add_spec"):
                        configured.add(label(func.value))
                    elif (isinstance(func, ast.Name) and func.id == "setattr" and node.args):
                        configured.add(label(node.args[0]))
                for target in targets:
                    if isinstance(target, ast.Attribute):
                        found.add(label(target))
            self._reconfigured_cache = (found, configured)
        return self._reconfigured_cache
