"""A task whose result reaches the caller through a future: `f = loop.create_future()`,
`loop.create_task(settle(f))`, then `return f` or `await f`, where `settle`, a coroutine
function of the file, settles `f` in its last statement (`f.set_result(...)` or
`f.set_exception(...)`). Whoever awaits `f` resumes only once the task has ended, so the
dropped task neither outlives that await nor runs unobserved (AT203 stays silent)."""

from __future__ import annotations

import ast

from .scopes import Scope, Scopes

FUTURE_CLASSES = frozenset({"asyncio.Future", "asyncio.futures.Future"})
SETTLERS = frozenset({"set_result", "set_exception"})


def settled_future(call: ast.Call, scope: Scope, scopes: Scopes) -> tuple[str, int] | None:
    """(the future's name, the line that returns or awaits it) when `call` (a task's
    creation) hands a coroutine a future of `scope` that the coroutine settles last."""
    coro = call.args[0] if call.args else None
    if not isinstance(coro, ast.Call) or not isinstance(coro.func, ast.Name):
        return None
    found = scopes.lookup(coro.func.id, scope)
    if found is None or len(found[1]) != 1 or found[1][0][0] != "def":
        return None
    settle = found[1][0][1]
    if not isinstance(settle, ast.AsyncFunctionDef):
        return None
    settled = _settled_parameter(settle)
    if settled is None:
        return None
    handed = _argument_for(settle, coro, settled)
    if handed is None or not _is_future(handed, scope, scopes):
        return None
    line = _observed_at(scope, handed)
    return (handed, line) if line is not None else None


def _settled_parameter(func: ast.AsyncFunctionDef) -> str | None:
    """The parameter the function's last statement settles, if it is one."""
    last = func.body[-1]
    call = last.value if isinstance(last, ast.Expr) else None
    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and call.func.attr in SETTLERS and isinstance(call.func.value, ast.Name)):
        return call.func.value.id
    return None


def _argument_for(func: ast.AsyncFunctionDef, call: ast.Call, param: str) -> str | None:
    """The name `call` passes as `param` of `func` (positionally or by keyword)."""
    positional = [arg.arg for arg in (*func.args.posonlyargs, *func.args.args)]
    values = dict(zip(positional, call.args))
    values.update((k.arg, k.value) for k in call.keywords if k.arg is not None)
    if any(isinstance(arg, ast.Starred) for arg in call.args) or any(
            k.arg is None for k in call.keywords):
        return None
    value = values.get(param)
    return value.id if isinstance(value, ast.Name) else None


def _is_future(name: str, scope: Scope, scopes: Scopes) -> bool:
    """Is `name` bound once in `scope`, to `<x>.create_future()` or `asyncio.Future()`?"""
    bound = scope.bindings.get(name)
    if not bound or len(bound) != 1 or bound[0][0] != "assign":
        return False
    value = bound[0][1]
    if not isinstance(value, ast.Call):
        return False
    if isinstance(value.func, ast.Attribute) and value.func.attr == "create_future":
        return True
    return scopes.resolve(value.func, scope, among=FUTURE_CLASSES) is not None


def _observed_at(scope: Scope, name: str) -> int | None:
    """The line of `return name` or `await name` in the scope's own code."""
    for node in scope.syntax.scope_nodes(scope.node):
        if isinstance(node, (ast.Return, ast.Await)) and isinstance(node.value, ast.Name) \
                and node.value.id == name:
            return node.lineno
    return None
