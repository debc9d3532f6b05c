"""Why a sync mock that replaces a coroutine function may be on purpose (AT301 silences):
the test also replaces a function that takes coroutines (`asyncio.create_task`...), or
asserts the replacement is never called."""

from __future__ import annotations

import ast

from ..rules import explain
from .mock_targets import MockTargets
from .tracked import patch_target

# Functions that take a coroutine and may run it as a task, or never: a test that replaces
# one may replace a coroutine function handed to it by a sync mock on purpose.
COROUTINE_TAKERS = frozenset(f"asyncio.{name}" for name in (
    "create_task", "ensure_future", "gather", "wait", "wait_for", "shield", "as_completed",
    "run_coroutine_threadsafe", "tasks.create_task", "tasks.ensure_future", "tasks.gather"))


def scheduler_replaced(targets: MockTargets) -> str | None:
    """Why the code under test may hand the replaced coroutine function's result to a
    mock instead of awaiting it: the test also replaces `asyncio.create_task` (or
    another function that takes a coroutine), so a sync mock may be on purpose."""
    calls = [n for n in targets.scope.nodes if isinstance(n, ast.Call)]
    calls += [d for d in targets.scope.func.decorator_list if isinstance(d, ast.Call)]
    for call in calls:
        dotted = patched_dotted(targets, call)
        if dotted in COROUTINE_TAKERS:
            return explain("scheduler-replaced", scheduler=dotted, line=call.lineno)
    return None


def asserted_not_called(targets: MockTargets, at: ast.AST) -> str | None:
    """Why the replacement is never awaited here: the test asserts it is never called
    (`m.assert_not_called()`, `m` bound to the patch or to what a context stack enters,
    or the patched attribute itself: `mod.check.assert_not_called()`)."""
    if not isinstance(at, ast.Call):
        return None
    names = {targets.bound_name(at)}
    names.update(node.targets[0].id for node in targets.scope.nodes
                 if isinstance(node, ast.Assign) and len(node.targets) == 1
                 and isinstance(node.targets[0], ast.Name)
                 and isinstance(node.value, ast.Call) and node.value.args
                 and node.value.args[0] is at)
    patched = patched_dotted(targets, at)
    for node in targets.scope.nodes:
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "assert_not_called"):
            continue
        mock = node.func.value
        if (isinstance(mock, ast.Name) and mock.id in names) or (
                patched is not None
                and targets.ctx.static_dotted(mock, targets.bindings_at(mock)) == patched):
            return explain("replacement-not-called", mock=targets.dotted(mock),
                           line=node.lineno)
    return None


def patched_dotted(targets: MockTargets, call: ast.Call) -> str | None:
    """The dotted name a patcher replaces, as this file's imports spell it, or None."""
    which = targets.names.patcher(call)
    target = patch_target(call, which) if which is not None else None
    if target is None:
        return None
    owner_expr, owner, attr = target
    if owner is None and owner_expr is not None:
        owner = targets.ctx.static_dotted(owner_expr, targets.bindings_at(owner_expr))
    return f"{owner}.{attr}" if owner else None
