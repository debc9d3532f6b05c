"""Values whose calls AT200 does not hand to astroid: ones source shows astroid cannot know
(what an `await` gives, `self.attr` where a method sets it to a parameter, what a
deserializer or an event loop's runner returns and its elements: astroid would answer
"unknown"), and ones whose whole API makes no coroutine whatever astroid would say (what a
`pathlib` path gives, resolver.CLOSED_APIS)."""

from __future__ import annotations

import ast
from collections.abc import Callable

from ..index import resolver
from ..syntax import Syntax
from .scopes import Scope, Scopes, chain
from .values import RUN_METHODS, RUNNERS

MAX_CLOSED_HOPS = 3  # `root = Path(...)`, `data = root / "x"`...: followed this far
# Standard-library functions whose value is whatever the data they read holds (typeshed
# annotates each `-> Any`); astroid infers none of them (a test checks it).
DATA_RETURNS = frozenset({"json.load", "json.loads", "pickle.load", "pickle.loads",
                          "marshal.load", "marshal.loads"})
# What runs a coroutine to its end and returns what it returns (values.RUNNERS,
# RUN_METHODS: `asyncio.run(main())`, `loop.run_until_complete(fetch())`): astroid infers
# no value of them either (a test checks it).
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def why_unknown(read_by: str) -> str:
    """Why what `read_by` (as `Opaque.data` names it) returned is unknown."""
    if read_by in DATA_RETURNS:
        return f"what {read_by} returns depends on the data it reads"
    return f"{read_by} returns what the coroutine it runs returns"


class Opaque:
    """Those questions for one file (its scopes, its walk, and how a name is spelled
    through its imports)."""

    def __init__(self, scopes: Scopes, syntax: Syntax,
                 static_name: Callable[[ast.AST, Scope], str | None]) -> None:
        self.scopes = scopes
        self.syntax = syntax
        self.static_name = static_name
        # (class node id, attr) -> where a method sets self.attr to a parameter, if it does
        self._set_to_parameter: dict[tuple[int, str], int | None] = {}

    def closed_value(self, expr: ast.AST, scope: Scope, depth: int = 0) -> bool:
        """Is `expr` reached from an instance of a class whose whole API makes no coroutine
        (resolver.CLOSED_APIS: pathlib's paths)? A call of one (`Path(__file__)`), an
        attribute, item or call of such a value, or such a value `/` a string or a path, or
        a local every binding of which is one (`root = Path(__file__).parent`, then
        `root.joinpath("x").is_dir()`)."""
        while isinstance(expr, (ast.Call, ast.Attribute, ast.Subscript, ast.BinOp)):
            if isinstance(expr, ast.Call):
                static = self.static_name(expr.func, scope)
                if static is not None and resolver.closed_api(static):
                    return True
                expr = expr.func
            elif isinstance(expr, ast.BinOp):
                # path / "x" is a path; another right operand may define __rtruediv__
                if not isinstance(expr.op, ast.Div) or not (
                        isinstance(expr.right, ast.JoinedStr)
                        or (isinstance(expr.right, ast.Constant)
                            and isinstance(expr.right.value, str))
                        or self.closed_value(expr.right, scope, depth + 1)):
                    return False
                expr = expr.left
            else:
                expr = expr.value
        if not isinstance(expr, ast.Name) or depth >= MAX_CLOSED_HOPS:
            return False
        found = self.scopes.lookup(expr.id, scope)
        return found is not None and all(
            kind == "assign" and value is not None
            and self.closed_value(value, found[0], depth + 1) for kind, value in found[1])

    def data(self, func: ast.AST, scope: Scope) -> str | None:
        """What a deserializer (DATA_RETURNS) or a runner of coroutines (RUNNERS,
        RUN_METHODS) returned, or an element of it, that `func` is called on:
        `pickle.loads(b).read`, `copied.read` with `copied = pickle.loads(b)`, `item.get`
        in `[... for item in json.load(f) if item.get(...)]`, `conn.close` with `conn =
        loop.run_until_complete(connect())`. The function (a runner method by its name),
        or None when it is no such value."""
        root = _links(func)[1]
        if not isinstance(root, ast.Name):
            return self._read_by(func, scope)
        element = self._comprehension_target(root, scope)
        if element is not None:
            return self._elements_read_by(element, scope, set())
        return self._read_by(func, scope)

    def _read_by(self, expr: ast.AST, scope: Scope, depth: int = 0) -> str | None:
        """The deserializer whose value `expr` is, or an attribute, item or call of."""
        calls, expr = _links(expr)
        for call in calls:
            if isinstance(call.func, ast.Attribute) and call.func.attr in RUN_METHODS:
                return call.func.attr
            static = self.static_name(call.func, scope)
            if static in DATA_RETURNS or static in RUNNERS:
                return static
        if not isinstance(expr, ast.Name) or depth >= MAX_CLOSED_HOPS:
            return None
        found = self.scopes.lookup(expr.id, scope)
        if found is None:
            return None
        each = {self._read_by(value, found[0], depth + 1) if kind == "assign" and value
                is not None else None for kind, value in found[1]}
        one = each.pop() if len(each) == 1 else None
        return one

    def _elements_read_by(self, iterable: ast.AST, scope: Scope, seen: set[str],
                          ) -> str | None:
        """The deserializer whose value's elements `iterable` yields: its value (or an
        attribute, item or call of it), a local every binding of which is one, or a
        comprehension that only filters one (`[x for x in data if ...]`)."""
        found_by = self._read_by(iterable, scope)
        if found_by is not None or not isinstance(iterable, ast.Name) or iterable.id in seen \
                or len(seen) >= MAX_CLOSED_HOPS:
            return found_by
        seen = {*seen, iterable.id}
        found = self.scopes.lookup(iterable.id, scope)
        if found is None:
            return None
        each: set[str | None] = set()
        for kind, value in found[1]:
            if kind == "assign" and isinstance(value, COMPREHENSIONS[:3]) \
                    and len(value.generators) == 1 and isinstance(value.elt, ast.Name) \
                    and isinstance(value.generators[0].target, ast.Name) \
                    and value.generators[0].target.id == value.elt.id:
                inner = value.generators[0].iter
                if isinstance(inner, ast.Name) and inner.id in seen:
                    continue  # `data = [x for x in data if ...]`: the same elements
                each.add(self._elements_read_by(inner, found[0], seen))
            else:
                each.add(self._read_by(value, found[0]) if kind == "assign" and value
                         is not None else None)
        one = each.pop() if len(each) == 1 else None
        return one

    def _comprehension_target(self, name: ast.Name, scope: Scope) -> ast.AST | None:
        """The iterable of the innermost comprehension around `name` whose target it is
        (`item` in `[... for item in items ...]`), None when it is no such target."""
        best: tuple[int, ast.AST] | None = None
        for node in self.syntax.scope_nodes(scope.node):
            if not isinstance(node, COMPREHENSIONS) or not _contains(node, name) \
                    or _contains(node.generators[0].iter, name):  # (evaluated outside)
                continue
            for generator in node.generators:
                if isinstance(generator.target, ast.Name) and generator.target.id == name.id:
                    size = _span(node)
                    if best is None or size < best[0]:
                        best = (size, generator.iter)
        return None if best is None else best[1]

    def set_from_parameter(self, func: ast.AST, scope: Scope) -> tuple[str, int] | None:
        """`self.attr.meth()` in a method: (attr, the line where a method of the same class
        sets `self.attr` to one of its parameters: `self.transp = transport`), if one does.
        astroid infers every value set on `self.attr` in the class and cannot know what a
        caller passes, so its answer would be unknown: it is not asked."""
        root, attrs = chain(func)
        if not isinstance(root, ast.Name) or root.id != "self" or len(attrs) < 2:
            return None
        found = self.scopes.lookup("self", scope)
        if found is None or not plain_method(found[0]):
            return None
        owner = found[0].parent
        assert owner is not None
        key = (id(owner.node), attrs[0])
        if key not in self._set_to_parameter:
            self._set_to_parameter[key] = self._parameter_set_line(owner, attrs[0])
        line = self._set_to_parameter[key]
        return None if line is None else (attrs[0], line)

    def _parameter_set_line(self, owner: Scope, attr: str) -> int | None:
        """The first line where a plain method of the class `owner` sets `self.attr` to
        one of its own parameters (not `*args`, `**kwargs` or `self`), bound nowhere else."""
        for node in owner.node.body:  # type: ignore[union-attr]
            method = self.scopes.by_node.get(id(node))
            if method is None or not plain_method(method):
                continue
            for stmt in self.syntax.scope_nodes(method.node, headers=False):
                if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                        and isinstance(stmt.value, ast.Name) and stmt.value.id != "self"):
                    continue
                target = stmt.targets[0]
                if not (isinstance(target, ast.Attribute) and target.attr == attr
                        and isinstance(target.value, ast.Name) and target.value.id == "self"):
                    continue
                bound = method.bindings.get(stmt.value.id, [])
                args = method.node.args  # type: ignore[union-attr]
                if len(bound) == 1 and bound[0][0] in ("param", "param-default") \
                        and bound[0][1] not in (args.vararg, args.kwarg):
                    return stmt.lineno
        return None


def _contains(outer: ast.AST, inner: ast.AST) -> bool:
    start = (outer.lineno, outer.col_offset)  # type: ignore[attr-defined]
    end = (outer.end_lineno, outer.end_col_offset)  # type: ignore[attr-defined]
    return start <= (inner.lineno, inner.col_offset) and (  # type: ignore[attr-defined]
        inner.end_lineno, inner.end_col_offset) <= end  # type: ignore[attr-defined]


def _span(node: ast.AST) -> int:
    return ((node.end_lineno - node.lineno) * 10_000  # type: ignore[attr-defined, operator]
            + node.end_col_offset - node.col_offset)  # type: ignore[attr-defined, operator]


def _links(expr: ast.AST | None) -> tuple[list[ast.Call], ast.AST | None]:
    """The calls of a chain of calls, attributes and items (`a.b(x)[0].c()`), outermost
    first, and what it starts from (`a`)."""
    calls: list[ast.Call] = []
    while isinstance(expr, (ast.Call, ast.Attribute, ast.Subscript)):
        if isinstance(expr, ast.Call):
            calls.append(expr)
            expr = expr.func
        else:
            expr = expr.value
    return calls, expr


def awaited(value: ast.AST | None) -> bool:
    """Is a value `await x`, or an attribute, item or call of one (`(await x).y`)?"""
    return isinstance(_links(value)[1], ast.Await)


def plain_method(scope: Scope) -> bool:
    """An undecorated method whose first parameter is `self`, bound nowhere else in it:
    where astroid takes `self` for the instance (and registers `self.x = ...` on it)."""
    node = scope.node
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.decorator_list \
            or scope.parent is None or not isinstance(scope.parent.node, ast.ClassDef):
        return False
    positional = [*node.args.posonlyargs, *node.args.args]
    return bool(positional) and positional[0].arg == "self" \
        and len(scope.bindings.get("self", [])) == 1
