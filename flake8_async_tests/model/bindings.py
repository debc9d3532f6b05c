"""How a scope binds each name: the one binding model every rule family reads."""

from __future__ import annotations

import ast
from collections.abc import Callable

from ..syntax import ScopeNode

Bound = list[tuple[str, ast.AST | None]]
# Node types that bind names (ast.Name aside): the only ones `bindings` looks at.
_BINDERS = frozenset({
    ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.With, ast.AsyncWith, ast.FunctionDef,
    ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal,
    ast.ExceptHandler, ast.MatchAs, ast.MatchStar, ast.MatchMapping,
})


def bindings(node: ScopeNode,
             nodes: list[ast.AST]) -> dict[str, list[tuple[str, ast.AST | None]]]:
    """Every way each name is bound in a scope: ('assign', value), ('unpack', the value
    unpacked), ('with', expr), ('param', arg with or without default), ('def', node),
    ('import', the statement), ('other', None)."""
    found: dict[str, list[tuple[str, ast.AST | None]]] = {}
    seen: set[int] = set()

    def add(name: str, kind: str, value: ast.AST | None, target: ast.AST | None = None) -> None:
        found.setdefault(name, []).append((kind, value))
        if target is not None:
            seen.add(id(target))

    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        for arg, default in zip(positional, defaults):
            add(arg.arg, "param" if default is None else "param-default", arg)
        for arg, default in zip(args.kwonlyargs, args.kw_defaults):
            add(arg.arg, "param" if default is None else "param-default", arg)
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                add(arg.arg, "param", arg)
    for sub in nodes:
        kind = type(sub)
        if kind is ast.Name:  # the most common node: a store not seen as a target above
            if sub.ctx.__class__ is not ast.Load and id(sub) not in seen:  # type: ignore
                add(sub.id, "other", None)  # type: ignore[attr-defined]
            continue
        if kind not in _BINDERS:
            continue
        if isinstance(sub, ast.Assign):
            for target in sub.targets:
                if isinstance(target, ast.Name):
                    add(target.id, "assign", sub.value, target)
                elif isinstance(target, (ast.Tuple, ast.List)):
                    for element in target.elts:  # `a, b = value`: a part of the value
                        if isinstance(element, ast.Name):
                            add(element.id, "unpack", sub.value, element)
        elif isinstance(sub, (ast.AnnAssign, ast.NamedExpr)) and isinstance(sub.target, ast.Name):
            if sub.value is not None:
                add(sub.target.id, "assign", sub.value, sub.target)
            else:
                seen.add(id(sub.target))  # `x: int` binds nothing
        elif isinstance(sub, (ast.With, ast.AsyncWith)):
            for item in sub.items:
                if isinstance(item.optional_vars, ast.Name):
                    add(item.optional_vars.id, "with", item.context_expr, item.optional_vars)
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if sub is not node:
                add(sub.name, "def", sub)
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            for alias in sub.names:
                add((alias.asname or alias.name).split(".")[0], "import", sub)
        elif isinstance(sub, (ast.Global, ast.Nonlocal)):
            for name in sub.names:
                add(name, "other", None)
        elif isinstance(sub, ast.ExceptHandler) and sub.name:
            add(sub.name, "other", None)
        elif isinstance(sub, (ast.MatchAs, ast.MatchStar)) and sub.name:
            add(sub.name, "other", None)
        elif isinstance(sub, ast.MatchMapping) and sub.rest:
            add(sub.rest, "other", None)
    return found


def from_parameter(expr: ast.AST, bound_of: Callable[[str], Bound | None],
                   with_defaults: bool = False, depth: int = 0) -> bool:
    """Is `expr` `arg.x`, `arg().y`, `arg / "name"`, or a local assigned (or unpacked) once
    from one, for a parameter `arg` of the function (`bound_of` gives a name's bindings
    there, None when it is not the function's own)? What pytest or a caller passes is
    beyond inference, and so is what an operator makes of it. A parameter with a default
    counts only `with_defaults` (a caller may pass another value)."""
    while isinstance(expr, (ast.Attribute, ast.Call, ast.Subscript, ast.Await, ast.BinOp)):
        if isinstance(expr, ast.BinOp):
            if from_parameter(expr.right, bound_of, with_defaults, depth + 1):
                return True
            expr = expr.left
        else:
            expr = expr.func if isinstance(expr, ast.Call) else expr.value
    if not isinstance(expr, ast.Name) or expr.id in ("self", "cls") or depth > 5:
        return False
    found = bound_of(expr.id)
    if found is None or len(found) != 1:
        return False
    kind, value = found[0]
    if kind == "param" or (with_defaults and kind == "param-default"):
        return True
    return kind in ("assign", "unpack") and value is not None and from_parameter(
        value, bound_of, with_defaults, depth + 1)
