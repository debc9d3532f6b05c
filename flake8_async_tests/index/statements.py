"""Statements as the index reads them: which a body holds (at the top level, in blocks, at
any depth), what each assigns to, and how a name bound twice is recorded."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from .defs import OTHER, spelled


def bind_kind(kinds: dict[str, str], name: str, kind: str) -> None:
    """A name bound twice in different ways is OTHER: which one wins is not known here."""
    if name in kinds and kinds[name] != kind:
        kind = OTHER
    kinds[name] = kind


def statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Statements of a body, those under top-level if/try/with included."""
    found: list[ast.stmt] = []
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, (ast.If, ast.Try, ast.With)) or type(node).__name__ == "TryStar":
            inner = [*node.body, *getattr(node, "orelse", []), *getattr(node, "finalbody", [])]
            for handler in getattr(node, "handlers", []):
                inner.extend(handler.body)
            stack.extend(reversed(inner))
    return found


def assigned_to(node: ast.stmt) -> list[ast.expr]:
    """What a statement assigns to (`x = ...`, `x += ...`, `for x in`, `with ... as x`)."""
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        return [node.target] if getattr(node, "value", None) is not None else []
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return [node.target]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [i.optional_vars for i in node.items if i.optional_vars is not None]
    return []


def bound_names(node: ast.stmt) -> list[str]:
    return [sub.id for target in assigned_to(node) for sub in ast.walk(target)
            if isinstance(sub, ast.Name)]


# Statements that hold statements.
COMPOUND = frozenset({
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor,
    ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match,
    *((ast.TryStar,) if hasattr(ast, "TryStar") else ())})


def all_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement at any depth (in functions, classes and blocks), expressions aside."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if type(node) in COMPOUND:
            stack.extend(reversed(blocks_of(node)))


def blocks_of(node: ast.stmt) -> list[ast.stmt]:
    """The statements a compound statement holds directly: its blocks, handlers, cases."""
    inner: list[ast.stmt] = []
    for name in ("body", "orelse", "finalbody"):
        value = getattr(node, name, None)
        if isinstance(value, list):
            inner.extend(value)
    for handler in getattr(node, "handlers", ()):
        inner.extend(handler.body)
    for case in getattr(node, "cases", ()):
        inner.extend(case.body)
    return inner


def run_on_import(body: list[ast.stmt]) -> list[ast.stmt]:
    """The statements a module's own code runs as it is imported: in any block (loops
    and `match` included), not in a def or a class."""
    found: list[ast.stmt] = []
    stack = list(body)
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for block in ("body", "orelse", "finalbody"):
            stack.extend(getattr(node, block, ()))
        for inner in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
            stack.extend(inner.body)
    return found


def one_target(stmt: ast.stmt) -> str | None:
    """The one plain name `name = value` or `name: T = value` assigns, or None."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        target = stmt.target
    else:
        return None
    return target.id if isinstance(target, ast.Name) else None


def call_name(value: ast.expr | None) -> str | None:
    """`pkg.Cls` for a call `pkg.Cls(...)` of a name or an attribute of one; None for
    anything else."""
    if not isinstance(value, ast.Call) or not isinstance(value.func, (ast.Name, ast.Attribute)):
        return None
    return spelled(value.func)
