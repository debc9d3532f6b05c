"""What a hook in a conftest.py (or a test module) may do to async tests: run them (a hook
that calls test functions and may await them), or give them a mark that makes them async.
A hook that only adds other marks (skip, slow, a project's own categories), reorders or
deselects items leaves async tests as they are.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable

from ..rules import explain
from ..syntax import assigned, parameters, source_words

# Hooks that call the test function, or make the items that do.
RUNNER_HOOKS = frozenset({"pytest_pyfunc_call", "pytest_pycollect_makeitem",
                          "pytest_runtest_call"})
# Hooks that may give collected items marks.
MARKING_HOOKS = frozenset({"pytest_collection_modifyitems", "pytest_itemcollected",
                           "pytest_generate_tests"})
HOOKS = RUNNER_HOOKS | MARKING_HOOKS
# Words in a runner hook that say it may deal with coroutines.
RUN_HINTS = ("iscoroutine", "asyncio", "anyio", "trio", "run_until_complete", "async",
             "await")
MARK_CALLS = frozenset({"add_marker", "applymarker"})
# Item attributes that hold marks: changing them directly is beyond this model.
MARK_HOLDERS = frozenset({"own_markers", "keywords", "pytestmark"})
BUILTIN_NAMES = frozenset(dir(builtins))
MAX_DEPTH = 2


def effect(func: ast.FunctionDef | ast.AsyncFunctionDef, tree: ast.Module,
           resolve: Callable[[ast.AST], str | None],
           async_marks: frozenset[str], where: str) -> str | None:
    """Why a hook (defined at `where`) may run async tests or make them async, as one of
    the registered silences; None when it cannot."""
    if func.name in RUNNER_HOOKS:
        if _wraps_only(func, resolve):
            return None
        if any(hint in source_words(func) for hint in RUN_HINTS):
            return explain("hook-runs-coroutines", hook=func.name, where=where)
        return None
    if func.name not in MARKING_HOOKS:
        return None
    defs = {stmt.name: stmt for stmt in tree.body
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))}
    found = _marks(func, defs, resolve, async_marks, 0, set())
    return explain(found[0], **found[1], where=where) if found is not None else None


def _marks(func: ast.FunctionDef | ast.AsyncFunctionDef, defs: dict, resolve,
           async_marks: frozenset[str], depth: int, seen: set[str],
           ) -> tuple[str, dict[str, str]] | None:
    """(the silence, its fields) for what a marking hook, or a function it hands items
    to, may do to the marks of items."""
    seen.add(func.name)
    params = set(parameters(func))
    local: dict[str, list[ast.expr | None]] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    local.setdefault(target.id, []).append(node.value)
        elif isinstance(node, (ast.For, ast.comprehension)) and isinstance(node.target, ast.Name):
            params.add(node.target.id)  # items and what is taken from them
    for node in ast.walk(func):
        changed = _changed_holder(node)
        if changed is not None:
            return "hook-changes-marks", {"hook": func.name, "holder": changed}
        if not isinstance(node, ast.Call):
            continue
        callee = node.func
        if isinstance(callee, ast.Attribute) and callee.attr in MARK_CALLS:
            mark = _mark_name(node.args[0] if node.args else None, local, resolve)
            if mark is None:
                return "hook-adds-computed-mark", {"hook": func.name}
            if mark in async_marks:
                return "hook-adds-async-mark", {"hook": func.name, "mark": mark}
            continue
        if isinstance(callee, ast.Name) and callee.id == "setattr":
            return "hook-sets-attributes", {"hook": func.name}
        handed = [a for a in [*node.args, *(k.value for k in node.keywords)]
                  if isinstance(a, ast.Name) and a.id in params]
        if not handed or isinstance(callee, ast.Attribute):
            continue  # nothing of the items handed on, or a method of an item or the config
        if not isinstance(callee, ast.Name):
            return "hook-hands-items-on", {"hook": func.name, "callee": "code it calls"}
        if callee.id in defs and callee.id not in seen and depth < MAX_DEPTH:
            found = _marks(defs[callee.id], defs, resolve, async_marks, depth + 1, seen)
            if found is not None:
                return found
        elif callee.id in defs and callee.id in seen:
            continue
        elif callee.id not in BUILTIN_NAMES or callee.id in defs:
            return "hook-hands-items-on", {"hook": func.name, "callee": callee.id}
    return None


# The item's test function, and what calls it: a hook wrapper that touches none of them
# only runs around the call another implementation makes.
TEST_FUNCTION = frozenset({"obj", "_obj", "function", "runtest", "funcargs"})


def _wraps_only(func: ast.FunctionDef | ast.AsyncFunctionDef,
                resolve: Callable[[ast.AST], str | None]) -> bool:
    """Is the hook a wrapper (`@pytest.hookimpl(hookwrapper=True)` or `wrapper=True`)
    whose code never touches the test function, so that it cannot run a coroutine?"""
    wrapper = any(
        isinstance(deco, ast.Call) and resolve(deco.func) in HOOKIMPL
        and any(k.arg in ("hookwrapper", "wrapper") and isinstance(k.value, ast.Constant)
                and k.value.value is True for k in deco.keywords)
        for deco in func.decorator_list)
    return wrapper and not any(isinstance(node, ast.Attribute) and node.attr in TEST_FUNCTION
                               for node in ast.walk(func))


HOOKIMPL = frozenset({"pytest.hookimpl", "_pytest.config.hookimpl"})
MUTATORS = frozenset({"append", "extend", "insert", "update", "setdefault", "__setitem__"})


def _changed_holder(node: ast.AST) -> str | None:
    """`item.own_markers.append(...)`, `item.keywords[k] = v`, `item.pytestmark = ...`."""
    targets = assigned(node)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in MUTATORS):
        targets = [node.func.value]
    for target in targets:
        for part in ast.walk(target):
            if isinstance(part, ast.Attribute) and part.attr in MARK_HOLDERS:
                return part.attr
    return None


def _mark_name(expr: ast.expr | None, local: dict[str, list[ast.expr | None]],
               resolve) -> str | None:
    """'skip' for `pytest.mark.skip(...)`, `pytest.mark.skip` or "skip"; None if unknown."""
    for _ in range(3):
        if isinstance(expr, ast.Name) and len(local.get(expr.id, ())) == 1:
            expr = local[expr.id][0]
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, ast.Call):
        expr = expr.func
    if expr is None:
        return None
    dotted = resolve(expr) or ""
    parts = dotted.split(".")
    if len(parts) == 3 and parts[:2] == ["pytest", "mark"]:
        return parts[2]
    return None
