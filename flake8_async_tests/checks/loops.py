"""AT201-AT203: event loops started, fetched or left where they misbehave, and tasks
dropped or created with no loop running."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..model import tasks
from ..model.fixtures import FIXTURE_DECORATORS, Fixture, autouse, fixture_decorator
from ..model.scopes import Scope, label, sync_code
from ..rules import ONLY, explain
from ..syntax import parameters
from . import Finding, ScopeFamily

RUN_CALLS = frozenset({"asyncio.run", "asyncio.runners.run"})
RUNNER_CLASSES = frozenset({"asyncio.Runner", "asyncio.runners.Runner"})
FORKS = frozenset({"os.fork", "os.forkpty"})
GET_LOOP = frozenset({"asyncio.get_event_loop", "asyncio.events.get_event_loop"})
LOOP_FACTORIES = GET_LOOP | frozenset({
    "asyncio.get_running_loop", "asyncio.events.get_running_loop",
    "asyncio.new_event_loop", "asyncio.events.new_event_loop",
})
CREATE_TASK = frozenset({"asyncio.create_task", "asyncio.tasks.create_task"})
LOOP_CHECKS = frozenset({"is_running", "get_running_loop", "_get_running_loop"})
RUNTIME_ERRORS = frozenset({"RuntimeError", "builtins.RuntimeError", "Exception",
                            "BaseException"})
ENSURE_FUTURE = frozenset({"asyncio.ensure_future", "asyncio.tasks.ensure_future"})
TASK_CALLS = CREATE_TASK | ENSURE_FUTURE
CALLS_OF_INTEREST = GET_LOOP | RUN_CALLS | CREATE_TASK
# Fixtures that create a loop and make it the current one.
LOOP_FIXTURES = frozenset({"loop", "event_loop"})
MAX_FIXTURES_FOLLOWED = 50  # fixture requests followed from one function
# Base classes known to leave the current event loop alone.
PLAIN_BASES = frozenset({"object", "builtins.object", "unittest.TestCase",
                         "unittest.case.TestCase"})


class LoopRules(ScopeFamily):
    name = "loops"

    def check(self) -> Iterator[Finding]:
        self.start()
        self._pending_helpers: list[tuple[ast.Call, Scope]] = []
        self._sync_starters: list[tuple[ast.Call, str, Scope]] = []  # AT201 in sync helpers
        self._autouse_loop: bool | None = None
        self._sets_loop: dict[int, bool] = {}  # class or def id -> calls set_event_loop()
        syntax = self.ctx.syntax
        scopes = self.scopes.by_node
        for scope in scopes.values():
            for node in syntax.scope_nodes(scope.node):
                if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                    self._dropped_task(node.value, scope)
                elif isinstance(node, ast.Call):
                    self._call(node, scope)
        self._helpers_with_get_event_loop(scopes)
        self._sync_helpers_called_from_coroutines(scopes)
        yield from self.findings

    def _call(self, call: ast.Call, scope: Scope) -> None:
        dotted = self.scopes.resolve(call.func, scope, among=CALLS_OF_INTEREST)
        if dotted in CREATE_TASK:
            self._task_without_loop(call, scope)
        if dotted in GET_LOOP:
            self._get_event_loop(call, scope)
        starter = self._loop_starter(call, dotted, scope)
        if starter is not None:
            self._loop_started(call, starter, scope)

    def _loop_starter(self, call: ast.Call, dotted: str | None, scope: Scope) -> str | None:
        if dotted in RUN_CALLS:
            return "asyncio.run()"
        func = call.func
        if not isinstance(func, ast.Attribute):
            return None
        if func.attr == "run_until_complete" and call.args:
            return f"{label(func)}()"
        if func.attr == "run" and call.args:
            runner = func.value
            if isinstance(runner, ast.Call) and self.scopes.resolve(
                    runner.func, scope, among=RUNNER_CLASSES) in RUNNER_CLASSES:
                return "asyncio.Runner().run()"
            if isinstance(runner, ast.Name):
                bound = self.scopes.single_value(runner.id, scope)
                if (bound and bound[0] in ("with", "assign") and isinstance(bound[1], ast.Call)
                        and self.scopes.resolve(bound[1].func, scope,
                                                among=RUNNER_CLASSES) in RUNNER_CLASSES):
                    return f"{runner.id}.run()"
        return None

    def _loop_started(self, call: ast.Call, starter: str, scope: Scope) -> None:
        """AT201 where an event loop is running: in a coroutine, or in a module-level sync
        helper that a coroutine of this file calls (checked after the walk). Sync hooks and
        fixtures run between tests, with no loop running, even under pytest-asyncio."""
        if not scope.is_function or isinstance(scope.node, ast.Lambda):
            return
        if self._forks(scope):
            self.ctx.silent(call, "AT201", "the function forks: a forked child runs no loop "
                                           "of its parent's")
            return
        helper = scope.parent is self.scopes.module and self.scopes.role(scope) == "helper"
        expected = self.ctx.raises.expects_raise(call) if scope.is_async or helper else None
        if expected is not None:
            self.ctx.silent(call, "AT201", expected)
        elif scope.is_async:
            self.findings.append(Finding(call.lineno, call.col_offset, "AT201", "async-code", {
                "call": starter, **self.scopes.describe(scope)}))
        elif helper:
            self._sync_starters.append((call, starter, scope))

    def _forks(self, scope: Scope) -> bool:
        return any(isinstance(node, ast.Call) and self.scopes.resolve(node.func, scope, among=FORKS)
                   for node in self.ctx.syntax.scope_nodes(scope.node))

    def _sync_helpers_called_from_coroutines(self, scopes: dict[int, Scope]) -> None:
        """A sync helper that starts a loop, called by name from a coroutine of this file:
        the call raises RuntimeError there. The helper must be bound once, as a def."""
        if not self._sync_starters:
            return
        names = {scope.node.name for _, _, scope in self._sync_starters}  # type: ignore
        callers: dict[str, Scope] = {}
        for scope in sorted(scopes.values(), key=lambda s: getattr(s.node, "lineno", 0)):
            if not scope.is_async or not scope.is_function:
                continue
            for node in self.ctx.syntax.scope_nodes(scope.node):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in names and node.func.id not in callers):
                    found = self.scopes.lookup(node.func.id, scope)
                    if found is not None and found[0] is self.scopes.module \
                            and len(found[1]) == 1:
                        callers[node.func.id] = scope
        for call, starter, scope in self._sync_starters:
            caller = callers.get(scope.node.name)  # type: ignore[union-attr]
            if caller is None:
                continue
            described = self.scopes.describe(caller)
            self.findings.append(Finding(call.lineno, call.col_offset, "AT201", "sync-helper", {
                "call": starter, "function": scope.node.name,  # type: ignore[union-attr]
                "role": described["role"], "caller": described["function"]}))

    def _get_event_loop(self, call: ast.Call, scope: Scope) -> None:
        if not sync_code(scope):
            return
        if set(parameters(scope.node)) & LOOP_FIXTURES:  # type: ignore[arg-type]
            self.ctx.silent(call, "AT202", "a loop fixture argument sets the current loop")
            return
        found = self._loop_through_fixtures(scope)
        if found is not None:
            self.ctx.silent(call, "AT202", explain("fixture-sets-loop", fixture=found[0],
                                                   how=found[1]))
            return
        reason = self._sets_loop_first(scope, call.lineno)
        if reason is not None:
            self.ctx.silent(call, "AT202", reason)
            return
        reason = self._loop_may_be_set(scope)
        if reason is not None:
            self.ctx.silent(call, "AT202", reason)
            return
        role = self.scopes.role(scope)
        if role in ("test", "fixture", "hook"):
            self.findings.append(Finding(call.lineno, call.col_offset, "AT202", ONLY, {}))
        elif role == "helper" and scope.parent is self.scopes.module:
            self._pending_helpers.append((call, scope))

    def _sets_loop_first(self, scope: Scope, line: int) -> str | None:
        """Why the current loop is set before `line` by the function itself: it calls
        `set_event_loop()`, or a function or context manager of this module that does, on
        an earlier line (or on the line of a `with` around it)."""
        for node in self.ctx.syntax.scope_nodes(scope.node, headers=False):
            if not isinstance(node, ast.Call) or node.lineno > line:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "set_event_loop":
                return explain("sets-loop-first", how="the function", line=node.lineno)
            if isinstance(func, ast.Name) and self._module_def_sets_loop(func.id):
                return explain("sets-loop-first", how=f"{func.id}()", line=node.lineno)
        return None

    def _module_def_sets_loop(self, name: str) -> bool:
        """Is `name` bound once, at module level, to a def of this file that calls
        `set_event_loop()` (a helper or context manager that makes a loop current)?"""
        found = self.scopes.lookup(name, self.scopes.module)
        if found is None or len(found[1]) != 1 or found[1][0][0] != "def":
            return False
        node = found[1][0][1]
        if not any(stmt is node for stmt in self.ctx.tree.body):
            return False  # (a def in a block at module level may not be made)
        if id(node) not in self._sets_loop:
            self._sets_loop[id(node)] = _calls_set_event_loop(node)  # type: ignore[arg-type]
        return self._sets_loop[id(node)]

    def _loop_through_fixtures(self, scope: Scope) -> tuple[str, str] | None:
        """(a fixture the function requests, directly or through the fixtures those
        request, that sets the current loop, and how), or None. Fixtures are found as
        pytest finds them (the class, the module, its conftest.py files); one the model
        cannot read is not followed."""
        func = scope.node
        parent = scope.parent
        cls = parent.node if parent is not None and isinstance(parent.node, ast.ClassDef) \
            else None
        values = self.ctx.values
        todo = [(name, 0) for name in parameters(func)]  # type: ignore[arg-type]
        seen: set[tuple[str, int]] = set()
        while todo and len(seen) < MAX_FIXTURES_FOLLOWED:
            name, level = todo.pop()
            if (name, level) in seen:
                continue
            seen.add((name, level))
            fixture = values.fixture(name, cls, level)
            if not isinstance(fixture, Fixture):
                continue
            requests = parameters(fixture.func)
            for request in requests:
                if request in LOOP_FIXTURES:
                    return name, f"it requests the {request} fixture"
            if _calls_set_event_loop(fixture.func):
                return name, "it calls asyncio.set_event_loop()"
            if _keeps_runner_loop(fixture):
                return name, ("a sync fixture of pytest_asyncio.fixture: pytest-asyncio "
                              "sets its loop around it")
            if self._asyncio_runs(fixture):
                return name, ("an async fixture pytest-asyncio runs: its loop is the current "
                              "one from then on")
            todo.extend((request, fixture.level + (request == name)) for request in requests)
        return None

    def _asyncio_runs(self, fixture: Fixture) -> bool:
        """Is the fixture an async one that pytest-asyncio runs (decorated with
        pytest_asyncio.fixture, or any async fixture in auto mode)? It runs it on the
        test's loop, which it has made the current one."""
        func = fixture.func
        if not isinstance(func, ast.AsyncFunctionDef) or self.ctx.settings.asyncio_plugin_disabled:
            return False
        deco = fixture_decorator(func, fixture.home.resolve)  # type: ignore[attr-defined]
        return self.ctx.runner.mode == "auto" or (deco is not None and (
            fixture.home.resolve(deco) or "").startswith("pytest_asyncio."))  # type: ignore

    def _loop_may_be_set(self, scope: Scope) -> str | None:
        """Why something may set the current event loop before this code runs (then
        get_event_loop() returns it without a warning, whatever the test order): another
        plugin or hook, an autouse fixture, a decorator (tornado's @gen_test), a base class
        (IsolatedAsyncioTestCase, tornado's AsyncTestCase) or the class's own methods.
        None when nothing may."""
        ctx = self.ctx
        func = scope.node
        assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
        if ctx.settings.asyncio_plugin_disabled:
            return "pytest-asyncio is switched off: another plugin may set the loop"
        reason = ctx.runner.dynamic_reason()
        if reason is not None:
            return reason
        if ctx.settings.shared_default_loop:
            return "pytest-asyncio keeps its shared default loop (wider than a test) current"
        parent = scope.parent
        cls = parent.node if parent is not None and isinstance(parent.node, ast.ClassDef) \
            else None
        reason = ctx.loops.current_around(func, cls)
        if reason is not None:
            return reason
        if self._sets_up(func.decorator_list):
            return "a decorator or usefixtures mark may set the loop"
        if self._autouse_sets_loop():
            return "an autouse fixture sets or provides the loop"
        if self._uses_fixtures(ctx.tree.body):
            return "the module's pytestmark requests fixtures that may set the loop"
        if cls is None:
            return None
        assert parent is not None
        if parent.parent is not self.scopes.module or cls.keywords:
            return f"class {cls.name!r} is nested or has a metaclass"
        if self._sets_up(cls.decorator_list) or self._uses_fixtures(cls.body):
            return f"class {cls.name!r} has decorators or marks that may set the loop"
        if any(ctx.resolve(base) not in PLAIN_BASES for base in cls.bases):
            return f"a base class of {cls.name!r} may set the loop"
        found = self._sets_loop.get(id(cls))
        if found is None:  # one walk per class, not one per get_event_loop() in it
            found = self._sets_loop[id(cls)] = any(_calls_set_event_loop(s) for s in cls.body)
        return f"class {cls.name!r} calls asyncio.set_event_loop()" if found else None

    def _sets_up(self, decorators: list[ast.expr]) -> bool:
        """Decorators that may run the function on a loop or request fixtures that set one:
        any of unknown effect (fixture decorators aside), and usefixtures marks."""
        ctx = self.ctx
        others = [d for d in decorators if ctx.resolve(d) not in FIXTURE_DECORATORS]
        return ctx.marks.unknown_decorators(others) or any(
            ctx.marks.name(d) == "usefixtures" for d in others)

    def _uses_fixtures(self, body: list[ast.stmt]) -> bool:
        """A `pytestmark` of this body requests fixtures (usefixtures), or may: it cannot be
        read."""
        marks = self.ctx.marks
        return marks.pytestmark_opening(body) is not None or any(
            marks.name(mark) == "usefixtures" for mark in marks.pytestmarks(body))

    def _autouse_sets_loop(self) -> bool:
        """An autouse fixture of this file or a conftest.py sets or provides the loop."""
        if self._autouse_loop is None:
            self._autouse_loop = any(
                _autouse_loop_fixture(stmt)
                for tree in (self.ctx.tree, *(t for _, t in self.ctx.conftests))
                for stmt in tree.body)
        return self._autouse_loop

    def _helpers_with_get_event_loop(self, scopes: dict[int, Scope]) -> None:
        """A module-level helper counts as sync test code when only sync test code calls it:
        every reference to it is one of those calls, none is inside a coroutine."""
        if not self._pending_helpers:
            return
        names = {scope.node.name for _, scope in self._pending_helpers}  # type: ignore
        references: dict[str, int] = {}
        sync_calls: dict[str, int] = {}  # direct calls from sync tests, fixtures and hooks
        in_async: set[str] = set()
        for scope in scopes.values():
            sync_test_code: bool | None = None  # worked out on the first call here
            for node in self.ctx.syntax.scope_nodes(scope.node):
                if (isinstance(node, ast.Name) and node.id in names
                        and isinstance(node.ctx, ast.Load)):
                    references[node.id] = references.get(node.id, 0) + 1
                    if scope.in_async:
                        in_async.add(node.id)
                elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                      and node.func.id in names):
                    if sync_test_code is None:
                        sync_test_code = self.scopes.sync_test_code(scope)
                    if sync_test_code:
                        sync_calls[node.func.id] = sync_calls.get(node.func.id, 0) + 1
        for call, scope in self._pending_helpers:
            name = scope.node.name  # type: ignore[union-attr]
            if name in in_async or sync_calls.get(name, 0) == 0:
                continue
            if sync_calls[name] != references.get(name, 0):
                continue
            self.findings.append(Finding(call.lineno, call.col_offset, "AT202", ONLY, {}))

    def _dropped_task(self, call: ast.Call, scope: Scope) -> None:
        dotted = self.scopes.resolve(call.func, scope, among=TASK_CALLS)
        if dotted in TASK_CALLS:
            text = f"{dotted.replace('.tasks.', '.')}()"
        elif (isinstance(call.func, ast.Attribute) and call.func.attr == "create_task"
              and self._is_loop(call.func.value, scope)):
            text = f"{label(call.func)}()"
        else:
            return
        if dotted in CREATE_TASK and self.scopes.sync_test_code(scope):
            return  # it raises before any task exists: reported by _task_without_loop
        if isinstance(scope.node, ast.Module):
            self.ctx.silent(call, "AT203", explain("at-import"))
            return
        future = tasks.no_task(call, scope, self.scopes) if dotted in ENSURE_FUTURE else None
        if future is not None:
            self.ctx.silent(call, "AT203", explain("future-not-task", what=future))
            return
        expected = self.ctx.raises.expects_raise(call, anything=True) if sync_code(scope) else None
        if expected is not None:  # (the task, on a loop other code runs, may be the means)
            self.ctx.silent(call, "AT203", expected)
            return
        if self._loop_guarded(call, scope):
            self.ctx.silent(call, "AT203", "the code checks for a running loop or expects "
                                           "RuntimeError")
            return
        settled = tasks.settled_future(call, scope, self.scopes)
        if settled is not None:
            self.ctx.silent(call, "AT203", explain("task-settles-future", future=settled[0],
                                                   line=settled[1]))
            return
        joined = tasks.joined_by_owner(call, scope, self.ctx.raises.expects_cancel)
        if joined is not None:
            self.ctx.silent(call, "AT203", explain(
                "task-joined-by-owner" if joined[3] else "task-cancels-awaited",
                task=joined[0], other=joined[1], line=joined[2]))
            return
        elsewhere = tasks.run_elsewhere(scope, self.scopes)
        if elsewhere is not None:
            self.ctx.silent(call, "AT203", explain("task-run-elsewhere", what=elsewhere))
            return
        self.findings.append(Finding(call.lineno, call.col_offset, "AT203", "dropped",
                                     {"call": text}))

    def _task_without_loop(self, call: ast.Call, scope: Scope) -> None:
        """asyncio.create_task() in sync test code, where no loop is running: RuntimeError."""
        if not self.scopes.sync_test_code(scope):
            return
        if self._loop_guarded(call, scope):
            self.ctx.silent(call, "AT203", "the code checks for a running loop or expects "
                                           "RuntimeError")
            return
        func = scope.node
        self.findings.append(Finding(call.lineno, call.col_offset, "AT203", "no-running-loop", {
            "role": f"sync {self.scopes.role(scope)}", "function": func.name}))  # type: ignore

    def _loop_guarded(self, call: ast.Call, scope: Scope) -> bool:
        """The function checks for a running loop (`loop.is_running()` in a condition, or
        `get_running_loop()` in a `try` that catches RuntimeError), or the call itself sits
        in a `try` that catches RuntimeError or in `with pytest.raises(...)` that may."""
        syntax, node = self.ctx.syntax, scope.node
        module = isinstance(node, ast.Module)  # (a module has no lines: all of the file)
        if self.ctx.raises.expects_raise(call, within=None if module else node) is not None:
            return True
        line = call.lineno
        kinds = (ast.If, ast.While, ast.Try)
        for node in syntax.of_type(*kinds) if module else syntax.within(node, *kinds):
            if isinstance(node, (ast.If, ast.While)):
                if _names_in(node.test) & LOOP_CHECKS:
                    return True
            elif isinstance(node, ast.Try):
                caught = {self.ctx.resolve(n) for h in node.handlers if h.type is not None
                          for n in ast.walk(h.type)}
                if not (caught & RUNTIME_ERRORS or any(h.type is None for h in node.handlers)):
                    continue
                if _within(line, node.body) or any(_names_in(stmt) & LOOP_CHECKS
                                                   for stmt in node.body):
                    return True
        return False

    def _is_loop(self, expr: ast.AST, scope: Scope) -> bool:
        if isinstance(expr, ast.Call):
            return self.scopes.resolve(expr.func, scope, among=LOOP_FACTORIES) in LOOP_FACTORIES
        if isinstance(expr, ast.Attribute):
            return expr.attr.lower().endswith("loop")
        if not isinstance(expr, ast.Name):
            return False
        found = self.scopes.lookup(expr.id, scope)
        if found is not None and found[1]:
            kinds = {kind for kind, _ in found[1]}
            if kinds == {"assign"}:
                return all(self._is_loop(value, scope) if isinstance(value, ast.Call)
                           else False for _, value in found[1])
            if "with" in kinds or "def" in kinds or "import" in kinds:
                return False
        return expr.id.lower().endswith("loop")


def _names_in(node: ast.AST) -> set[str]:
    return {n.attr if isinstance(n, ast.Attribute) else n.id for n in ast.walk(node)
            if isinstance(n, (ast.Attribute, ast.Name))}


def _within(line: int, where: ast.AST | list[ast.stmt]) -> bool:
    """Is `line` inside a node, or inside a block of statements?"""
    if isinstance(where, list):
        return bool(where) and where[0].lineno <= line <= (where[-1].end_lineno or line)
    return where.lineno <= line <= (where.end_lineno or line)  # type: ignore[attr-defined]


def _calls_set_event_loop(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "set_event_loop":
                return True
    return False


def _keeps_runner_loop(fixture: Fixture) -> bool:
    """Is the fixture a sync one decorated with `pytest_asyncio.fixture`? pytest-asyncio
    sets its loop as the current one around it (a generator's, from setup to teardown), and
    leaves the current one in place after it (one it had to make, if none was): the tests
    that use it find a current loop."""
    func = fixture.func
    home = fixture.home
    deco = fixture_decorator(func, home.resolve)  # type: ignore[attr-defined]
    return not isinstance(func, ast.AsyncFunctionDef) and deco is not None and (
        home.resolve(deco) or "").startswith("pytest_asyncio.")  # type: ignore[attr-defined]


def _autouse_loop_fixture(stmt: ast.stmt) -> bool:
    """An autouse fixture named like a loop fixture, or one that sets the current loop."""
    if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    for deco in stmt.decorator_list:
        if autouse(deco) is not False:  # autouse=True, or a value that may be true
            return stmt.name in LOOP_FIXTURES or _calls_set_event_loop(stmt)
    return False
