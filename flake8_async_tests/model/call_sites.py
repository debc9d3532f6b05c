"""Where a call's value goes, for AT200: dropped (a statement of its own), only tested for
truth (`assert`, `if`, `not`, all but the last value of `and`, `bool()`), or stored in a
local of a function that is then only tested for truth or compared."""

from __future__ import annotations

import ast

from .scopes import Scope, Scopes
from ..syntax import Syntax, child_nodes, header

# The node types `visit` acts on (the others, most of a tree, are skipped before the call).
_VISITED = frozenset({ast.Assign, ast.Expr, ast.Assert, ast.If, ast.While, ast.IfExp,
                      ast.comprehension, ast.UnaryOp, ast.BoolOp, ast.Call})


class CallSites:
    """The calls of a file whose value is dropped or only truth-tested (`candidates`: id ->
    (call, "dropped" / "truth-value" / "stored", scope)), read in one pass over its scopes."""

    def __init__(self, scopes: Scopes, syntax: Syntax) -> None:
        self.scopes = scopes
        self.syntax = syntax
        self.candidates: dict[int, tuple[ast.Call, str, Scope]] = {}
        self.stored: dict[int, str] = {}  # id of a call -> the local its value is stored in
        self._uses: dict[int, dict[str, list[tuple[ast.AST, ast.AST]] | None]] = {}
        self._parents: dict[int, dict[int, ast.AST]] = {}
        for scope in scopes.all():
            for node in syntax.scope_nodes(scope.node):
                if type(node) in _VISITED:
                    self.visit(node, scope)

    def visit(self, node: ast.AST, scope: Scope) -> None:
        """One node of a scope (the index hands out each node once, with its scope)."""
        if isinstance(node, ast.Assign):
            self._stored_call(node, scope)
        elif isinstance(node, ast.Expr):
            self._mark(node.value, "dropped", scope)
        elif isinstance(node, (ast.Assert, ast.If, ast.While, ast.IfExp)):
            self._mark(node.test, "truth-value", scope)
        elif isinstance(node, ast.comprehension):
            for cond in node.ifs:
                self._mark(cond, "truth-value", scope)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self._mark(node.operand, "truth-value", scope)
        elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            # A coroutine is always true, so `and` never yields it unless it is last.
            for value in node.values[:-1]:
                self._mark(value, "truth-value", scope)
        elif isinstance(node, ast.Call) and self._is_bool_call(node, scope):
            self._mark(node.args[0], "truth-value", scope)

    def _mark(self, expr: ast.AST, how: str, scope: Scope) -> None:
        """Record calls whose value is dropped or only truth-tested."""
        stack = [(expr, how)]
        while stack:
            expr, how = stack.pop()
            found: list[tuple[ast.AST, str]] = []
            if isinstance(expr, ast.Call):
                if self._is_bool_call(expr, scope):
                    found.append((expr.args[0], "truth-value"))
                elif id(expr) not in self.candidates:
                    self.candidates[id(expr)] = (expr, how, scope)
            elif isinstance(expr, ast.BoolOp):
                # `a() or b`: the value of a() is the result, so it is only truth-tested here.
                values = expr.values if isinstance(expr.op, ast.Or) else expr.values[-1:]
                found.extend((value, how) for value in values)
            elif isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
                found.append((expr.operand, "truth-value"))
            elif isinstance(expr, ast.IfExp) and how == "dropped":
                found.extend([(expr.body, how), (expr.orelse, how)])
            stack.extend(reversed(found))

    def _stored_call(self, node: ast.Assign, scope: Scope) -> None:
        """`result = coro()` in a function, `result` bound only there: a candidate, judged
        once every use of `result` is known to be a truth test (or there is none)."""
        target = node.targets[0]
        if (len(node.targets) != 1 or not isinstance(target, ast.Name)
                or not isinstance(node.value, ast.Call) or not scope.is_function
                or len(scope.bindings.get(target.id, ())) != 1):
            return
        self.stored[id(node.value)] = target.id
        self.candidates.setdefault(id(node.value), (node.value, "stored", scope))

    def only_truth_tested(self, call: ast.Call, scope: Scope) -> bool:
        """Is the name a call is stored in only truth-tested or compared afterwards, in its
        own scope (a nested function that reads it may await it)?"""
        name = self.stored[id(call)]
        found = self._name_uses(scope)
        if name not in found:
            return True  # never read again
        uses = found[name]
        if uses is None:
            return False  # a nested scope (a comprehension, a function) reads it too
        return all(_truth_position(use, parent, self._parents[id(scope.node)])
                   for use, parent in uses)

    def _name_uses(self, scope: Scope) -> dict[str, list[tuple[ast.AST, ast.AST]] | None]:
        """Name -> its loads in this function with their parents; None when a nested
        scope (a def, lambda, class or comprehension, or a `del`) touches it too. Read from
        the file's one walk (Syntax): the function's nodes come parent first."""
        key = id(scope.node)
        if key not in self._uses:
            uses: dict[str, list[tuple[ast.AST, ast.AST]] | None] = {}
            parents: dict[int, ast.AST] = {}
            nested: set[str] = set()
            # the function's own header (decorators, defaults, annotations) is read too
            _walk_uses(header(scope.node), scope.node, uses, parents, nested)
            syntax = self.syntax
            inside: set[int] = set()  # nodes of comprehensions and of nested headers
            for node in syntax.scope_nodes(scope.node):
                kind = type(node)
                if id(node) in inside:
                    if kind is ast.Name:
                        nested.add(node.id)  # type: ignore[attr-defined]
                    continue
                if kind in _COMPREHENSIONS or syntax.in_header(node):
                    for sub in ast.walk(node):
                        inside.add(id(sub))
                        if type(sub) is ast.Name:
                            nested.add(sub.id)  # type: ignore[attr-defined]
                    continue
                if kind is ast.Name:
                    ctx = type(node.ctx)  # type: ignore[attr-defined]
                    if ctx is ast.Load:
                        found = uses.setdefault(node.id, [])  # type: ignore[attr-defined]
                        if found is not None:
                            found.append((node, parents.get(id(node), _OTHER)))
                    elif ctx is ast.Del:
                        nested.add(node.id)  # type: ignore[attr-defined]
                elif kind in _PARENTS:
                    for child in child_nodes(node):
                        parents[id(child)] = node
            for inner in syntax.nested(scope.node):
                nested.update(node.id for node in syntax.scope_nodes(inner)  # type: ignore
                              if type(node) is ast.Name)
            for name in nested:
                uses[name] = None
            self._uses[key] = uses
            self._parents[key] = parents
        return self._uses[key]

    def _is_bool_call(self, call: ast.Call, scope: Scope) -> bool:
        return (isinstance(call.func, ast.Name) and call.func.id == "bool"
                and len(call.args) == 1 and not call.keywords
                and self.scopes.lookup(call.func.id, scope) is None)


_COMPREHENSIONS = frozenset({ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp})
_NESTED = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
                     *_COMPREHENSIONS})
# The parents `_truth_position` looks at (any other parent reads a name some other way).
_PARENTS = frozenset({ast.Assert, ast.If, ast.While, ast.IfExp, ast.UnaryOp, ast.BoolOp,
                      ast.Compare, ast.Call})
_OTHER = ast.AST()  # the parent of a name read in any other way
# Nodes with no child nodes that matter here (contexts, operators, constants).
_LEAVES = frozenset({ast.Load, ast.Store, ast.Del, ast.Constant, *(
    kind for base in (ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
    for kind in base.__subclasses__())})


def _walk_uses(roots: list[ast.AST], parent: ast.AST,
               uses: dict[str, list[tuple[ast.AST, ast.AST]] | None],
               parents: dict[int, ast.AST], nested: set[str]) -> None:
    """Loads of names under `roots` (children of `parent`), as `_name_uses` keeps them."""
    stack: list[tuple[ast.AST, ast.AST, bool]] = [(root, parent, False) for root in roots]
    while stack:
        node, above, inner = stack.pop()
        kind = type(node)
        if type(above) in _PARENTS:
            parents[id(node)] = above
        deeper = inner or kind in _NESTED
        if kind is ast.Name:
            if deeper:
                nested.add(node.id)  # type: ignore[attr-defined]
            elif type(node.ctx) is ast.Load:  # type: ignore[attr-defined]
                found = uses.setdefault(node.id, [])  # type: ignore[attr-defined]
                if found is not None:
                    found.append((node, above if type(above) in _PARENTS else _OTHER))
            elif type(node.ctx) is ast.Del:  # type: ignore[attr-defined]
                nested.add(node.id)  # type: ignore[attr-defined]
        elif kind not in _LEAVES:
            stack.extend((child, node, deeper) for child in child_nodes(node))


def _truth_position(use: ast.AST, parent: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """Is a name read only for its truth value (or compared) here, so a coroutine in it
    is never run? `assert x`, `if x`, `not x`, `x is not None`, `x == y`, `bool(x)`."""
    while True:
        if isinstance(parent, (ast.Assert, ast.If, ast.While, ast.IfExp)):
            return parent.test is use
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
            use, parent = parent, parents.get(id(parent))  # type: ignore[assignment]
            continue
        if isinstance(parent, ast.BoolOp):
            use, parent = parent, parents.get(id(parent))  # type: ignore[assignment]
            continue
        if isinstance(parent, ast.Compare):
            return all(isinstance(op, (ast.Is, ast.IsNot, ast.Eq, ast.NotEq))
                       for op in parent.ops)
        if isinstance(parent, ast.Call):
            return (isinstance(parent.func, ast.Name) and parent.func.id == "bool"
                    and parent.args == [use])
        return False
