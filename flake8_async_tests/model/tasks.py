"""Why a task created and dropped (AT203) is kept, or its end awaited, after all:

- its result reaches the caller through a future: `f = loop.create_future()`,
  `loop.create_task(settle(f))`, then `return f`, `await f` or `await
  asyncio.wait_for(f, ...)`, where `settle`, a coroutine function of the file, settles
  `f` (its argument, or a name of the function that defines it) in its last statement
  (`f.set_result(...)`, `f.set_exception(...)`, or, where `f` is a task, `f.cancel()`).
  Whoever awaits `f` resumes only once the task has ended;
- it runs a method of an object whose run the function ends later, by a method named so
  (`create_task(worker.run())`, then `await worker.shutdown()`): that may wait for it;
- the code that creates it is run by something else: a method of a class that carries a
  decorator of unknown effect or is handed to a call (`new_worker(client, Workflow)`), or a
  function with such a decorator. What runs it, and on which loop (one that keeps its
  tasks, as a workflow engine's does), is unknown.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from ..index.defs import PLAIN_DECORATOR_NAMES
from .fixtures import FIXTURE_DECORATORS
from .scopes import Scope, Scopes, label

FUTURE_CLASSES = frozenset({"asyncio.Future", "asyncio.futures.Future"})
FUTURE_MAKERS = FUTURE_CLASSES | frozenset({
    "asyncio.create_task", "asyncio.tasks.create_task", "asyncio.ensure_future",
    "asyncio.tasks.ensure_future"})
SETTLERS = frozenset({"set_result", "set_exception", "cancel"})
WAITS = frozenset({"asyncio.wait_for", "asyncio.tasks.wait_for"})


def settled_future(call: ast.Call, scope: Scope, scopes: Scopes) -> tuple[str, int] | None:
    """(the future's name, the line that returns or awaits it) when `call` (a task's
    creation) hands a coroutine a future of `scope` (as an argument, or as a name of
    `scope` that a coroutine function defined there reads) that it settles last."""
    coro = call.args[0] if call.args else None
    if not isinstance(coro, ast.Call) or not isinstance(coro.func, ast.Name):
        return None
    found = scopes.lookup(coro.func.id, scope)
    if found is None or len(found[1]) != 1 or found[1][0][0] != "def":
        return None
    settle = found[1][0][1]
    if not isinstance(settle, ast.AsyncFunctionDef):
        return None
    settled = _settled_name(settle)
    if settled is None:
        return None
    if settled in _bound_in(settle):
        handed = _argument_for(settle, coro, settled)
    else:  # a name of the function that defines the coroutine function (a closure)
        handed = settled if found[0] is scope else None
    if handed is None or not _is_future(handed, scope, scopes):
        return None
    line = _observed_at(scope, scopes, handed)
    return (handed, line) if line is not None else None


def _settled_name(func: ast.AsyncFunctionDef) -> str | None:
    """The name whose future the function's last statement settles, if it is a name."""
    last = func.body[-1]
    call = last.value if isinstance(last, ast.Expr) else None
    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and call.func.attr in SETTLERS and isinstance(call.func.value, ast.Name)):
        return call.func.value.id
    return None


def _bound_in(func: ast.AsyncFunctionDef) -> set[str]:
    """The names the function binds: its parameters, and any name it stores or declares."""
    args = func.args
    found = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs,
                             *(a for a in (args.vararg, args.kwarg) if a is not None))}
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            found.add(node.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            found.update(node.names)
    return found


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
    """Is `name` bound once in `scope`, to a future or a task: `<x>.create_future()`,
    `asyncio.Future()`, `<x>.create_task(...)`, `asyncio.ensure_future(...)`?"""
    value = _assigned_once(name, scope)
    if not isinstance(value, ast.Call):
        return False
    if isinstance(value.func, ast.Attribute) and value.func.attr in ("create_future",
                                                                     "create_task"):
        return True
    return scopes.resolve(value.func, scope, among=FUTURE_MAKERS) is not None


def _assigned_once(name: str, scope: Scope) -> ast.AST | None:
    """The value of `name = value` where that is the one way `scope` binds `name`."""
    bound = scope.bindings.get(name)
    return bound[0][1] if bound and len(bound) == 1 and bound[0][0] == "assign" else None


def _observed_at(scope: Scope, scopes: Scopes, name: str) -> int | None:
    """The first line of `return name`, `await name` or `await asyncio.wait_for(name, ...)`
    in the scope's own code."""
    lines = []
    for node in scope.syntax.scope_nodes(scope.node):
        value = node.value if isinstance(node, (ast.Return, ast.Await)) else None
        if isinstance(node, ast.Await) and isinstance(value, ast.Call) and value.args \
                and scopes.resolve(value.func, scope, among=WAITS) is not None:
            value = value.args[0]
        if isinstance(value, ast.Name) and value.id == name:
            lines.append(node.lineno)
    return min(lines, default=None)


# Methods that end an object's run and, by their name, may wait for it to end (or cancel
# it: a task its owner cancels does not outlive the test either).
JOINING = frozenset({"shutdown", "stop", "join", "wait_closed", "wait_stopped", "close",
                     "aclose", "disconnect"})
# Methods of an event loop that give a future, not a coroutine: `ensure_future` hands such
# a future back, and makes no task.
LOOP_FUTURES = frozenset({"run_in_executor", "create_future"})
FUTURE_GIVERS = FUTURE_CLASSES | frozenset({"asyncio.wrap_future", "asyncio.futures.wrap_future",
                                            "asyncio.gather", "asyncio.tasks.gather"})


def no_task(call: ast.Call, scope: Scope, scopes: Scopes) -> str | None:
    """What `asyncio.ensure_future(arg)` is handed when `arg` is a future, not a coroutine
    (`loop.run_in_executor(...)`, `loop.create_future()`, `asyncio.gather(...)`, or a name
    bound once to one): it returns that future and makes no task. None otherwise."""
    arg = call.args[0] if len(call.args) == 1 and not call.keywords else None
    if isinstance(arg, ast.Name):
        arg = _assigned_once(arg.id, scope)
    if not isinstance(arg, ast.Call):
        return None
    if isinstance(arg.func, ast.Attribute) and arg.func.attr in LOOP_FUTURES:
        return f"{label(arg.func)}()"
    dotted = scopes.resolve(arg.func, scope, among=FUTURE_GIVERS)
    return f"{dotted}()" if dotted in FUTURE_GIVERS else None


def joined_by_owner(call: ast.Call, scope: Scope, cancelled: Callable[[ast.AST], bool],
                    ) -> tuple[str, str, int, bool] | None:
    """(the task's method, the method awaited later, its line, whether that is one of
    JOINING) when `call` hands a task `owner.meth(...)` and the function awaits
    `owner.stop(...)` (JOINING) on a later line, or awaits any method of `owner` where it
    expects that to be cancelled (`cancelled`: in `pytest.raises(asyncio.CancelledError)`,
    which only another task can do there)."""
    coro = call.args[0] if call.args else None
    if not isinstance(coro, ast.Call) or not isinstance(coro.func, ast.Attribute):
        return None
    owner = coro.func.value
    root = owner
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name):
        return None
    spelled = ast.dump(owner)
    later = [node for node in scope.syntax.scope_nodes(scope.node)
             if isinstance(node, ast.Await) and node.lineno > (call.end_lineno or call.lineno)
             and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Attribute)
             and (node.value.func.attr in JOINING or cancelled(node))
             and ast.dump(node.value.func.value) == spelled]
    if not later:
        return None
    first = min(later, key=lambda node: node.lineno)
    name = label(owner)
    return (f"{name}.{coro.func.attr}()", f"{name}.{first.value.func.attr}()",  # type: ignore
            first.lineno, first.value.func.attr in JOINING)  # type: ignore[attr-defined]


# Decorators that leave a function or class run as written (fixtures and marks aside).
KEPT_AS_WRITTEN = PLAIN_DECORATOR_NAMES | frozenset({
    "staticmethod", "classmethod", "property", "functools.cache", "functools.lru_cache",
    "functools.cached_property", "contextlib.contextmanager", "contextlib.asynccontextmanager",
    "dataclasses.dataclass", "typing.final",
})


def run_elsewhere(scope: Scope, scopes: Scopes) -> str | None:
    """What runs a helper function or method in a way the file does not show: its decorator
    of unknown effect, or its class's, or the call its class is handed to."""
    func = scope.node
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    role = scopes.role(scope)
    if role not in ("helper", "method"):
        return None
    ctx = scopes.ctx
    unknown = _unknown_decorator(func.decorator_list, ctx.resolve)
    if unknown is not None:
        return f"{func.name} is decorated with {unknown}"
    if role != "method":
        return None
    cls = scope.parent.node  # type: ignore[union-attr]
    assert isinstance(cls, ast.ClassDef)
    unknown = _unknown_decorator(cls.decorator_list, ctx.resolve)
    if unknown is not None:
        return f"class {cls.name} is decorated with {unknown}"
    for node in ctx.syntax.of_type(ast.Call):
        values = (*node.args, *(k.value for k in node.keywords))  # type: ignore[attr-defined]
        if any(isinstance(v, ast.Name) and v.id == cls.name for v in values):
            return (f"class {cls.name} is handed to {label(node.func)}() "  # type: ignore
                    f"at line {node.lineno}")
    return None


def _unknown_decorator(decorators: list[ast.expr], resolve) -> str | None:  # type: ignore
    for deco in decorators:
        dotted = resolve(deco)
        if dotted is None or not (dotted in KEPT_AS_WRITTEN or dotted in FIXTURE_DECORATORS
                                  or dotted.startswith("pytest.mark.")):
            return f"@{label(deco.func if isinstance(deco, ast.Call) else deco)}"
    return None
