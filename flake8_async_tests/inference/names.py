"""Names: qualified names of nodes, dotted names by scope lookup, modules by name."""

from __future__ import annotations

import sys

from astroid import nodes

from . import session
from .base import ERRORS, MANAGER, own


def is_stdlib(node: nodes.NodeNG) -> bool:
    try:
        top = node.root().name.split(".")[0]
    except ERRORS as exc:
        own(exc)
        return False
    return top in sys.stdlib_module_names or top == "builtins"


def qname(node: nodes.NodeNG) -> str | None:
    try:
        return node.qname()
    except ERRORS as exc:
        own(exc)
        return None


def dotted_name(expr: nodes.NodeNG, depth: int = 0) -> str | None:
    """The imported dotted name an expression spells, by scope lookup only (no inference).

    `pt.mark.asyncio` after `import pytest as pt` gives 'pytest.mark.asyncio'.
    """
    if depth > 20:
        return None
    if isinstance(expr, nodes.Attribute):
        base = dotted_name(expr.expr, depth + 1)
        return f"{base}.{expr.attrname}" if base else None
    if isinstance(expr, nodes.Call):
        return dotted_name(expr.func, depth + 1)
    if not isinstance(expr, nodes.Name):
        return None
    try:
        _, assignments = expr.lookup(expr.name)
    except ERRORS as exc:
        own(exc)
        return None
    if len(assignments) != 1:
        return None if assignments else expr.name
    target = assignments[0]
    if target.root().name == "builtins":
        return f"builtins.{expr.name}"
    if isinstance(target, nodes.Import):
        for name, alias in target.names:
            if (alias or name.split(".")[0]) == expr.name:
                return name if alias else name.split(".")[0]
        return None
    if isinstance(target, nodes.ImportFrom):
        for name, alias in target.names:
            if (alias or name) == expr.name and target.level in (None, 0):
                return f"{target.modname}.{name}"
        return None
    return None


def module_by_name(name: str) -> nodes.Module | None:
    """The astroid tree of an importable pure-Python module, by dotted name."""
    if not session.allows():
        return None
    try:
        module = MANAGER.ast_from_module_name(name)
    except ERRORS as exc:
        own(exc)
        return None
    if not isinstance(module, nodes.Module) or not str(module.file or "").endswith(".py"):
        return None
    return module


def module_file(name: str) -> str | None:
    """The .py file astroid would build for a module name, found without building it."""
    try:
        location = str(MANAGER.file_from_module_name(name, None).location or "")
    except ERRORS as exc:
        own(exc)
        return None
    return location if location.endswith(".py") else None


def module_opening(module: nodes.Module) -> str | None:
    """Why a module may have names its source does not show (lazy or star tricks), or None
    when all are visible in its own source."""
    if "__getattr__" in module.locals:
        return f"module {module.name} defines __getattr__"
    for node in module.nodes_of_class((nodes.ImportFrom, nodes.Name)):
        if isinstance(node, nodes.ImportFrom) and any(n == "*" for n, _ in node.names):
            return f"module {module.name} star-imports {node.modname}"
        if isinstance(node, nodes.Name) and node.name in ("globals", "vars", "setattr"):
            return f"module {module.name} calls {node.name}()"
    return None


def is_module(value: nodes.NodeNG | None) -> bool:
    return isinstance(value, nodes.Module)


def is_class(value: nodes.NodeNG | None) -> bool:
    return isinstance(value, nodes.ClassDef)
