"""AT204: a blocking `time.sleep()` in code the event loop runs: async code, and the sync
functions an AsyncMock runs as its side effect."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator

from ..model.async_mocks import ASYNC_MOCK
from ..model.scopes import Scope, label
from ..rules import explain
from . import Finding, ScopeFamily

SLEEP = frozenset({"time.sleep"})


class SleepRules(ScopeFamily):
    name = "sleeps"

    def wants(self) -> bool:
        return "sleep" in self.ctx.source and super().wants()

    def check(self) -> Iterator[Finding]:
        self.start()
        self.side_effects: set[int] = set()  # functions an AsyncMock runs as its side effect
        syntax = self.ctx.syntax
        scopes = self.scopes.by_node
        if self.async_mocks.has_async_mocks and "side_effect" in self.ctx.source:
            for scope in scopes.values():
                for node in syntax.scope_nodes(scope.node):
                    self._side_effect_site(node, scope)
        for scope in scopes.values():
            for node in syntax.scope_nodes(scope.node):
                if isinstance(node, ast.Call) and self.scopes.resolve(
                        node.func, scope, among=SLEEP) in SLEEP:
                    self._blocking_sleep(node, scope)
        yield from self.findings

    def _blocking_sleep(self, call: ast.Call, scope: Scope) -> None:
        if not scope.is_async and id(scope.node) not in self.side_effects:
            return  # (sync code: it blocks no loop)
        if call.args and isinstance(call.args[0], ast.Constant) \
                and type(call.args[0].value) in (int, float) and call.args[0].value == 0 \
                and not self._in_loop(call, scope):
            self.ctx.silent(call, "AT204", explain("zero-sleep"))
            return
        expected = self.ctx.raises.ends_raises_block(call)
        if expected is not None:
            self.ctx.silent(call, "AT204", expected)
            return
        if scope.is_async:
            threaded = self._run_in_thread(scope.node)  # type: ignore[arg-type]
            if threaded is not None:
                self.ctx.silent(call, "AT204", explain(
                    "runs-in-thread", function=scope.node.name, how=threaded))  # type: ignore
                return
            self.findings.append(Finding(call.lineno, call.col_offset, "AT204", "async-code",
                                         {**self.scopes.describe(scope), "sleep": self._sleep}))
        elif id(scope.node) in self.side_effects:
            self.findings.append(Finding(call.lineno, call.col_offset, "AT204", "side-effect",
                                         {"sleep": self._sleep}))

    def _in_loop(self, call: ast.Call, scope: Scope) -> bool:
        """Is the call inside a `for` or `while` of its function (where time.sleep(0) is a
        busy wait that never lets the event loop run)?"""
        return any(node.lineno <= call.lineno <= (node.end_lineno or node.lineno)
                   for node in self.ctx.syntax.within(scope.node, ast.For, ast.While,
                                                      ast.AsyncFor))

    def _run_in_thread(self, func: ast.AsyncFunctionDef) -> str | None:
        """How a coroutine function is run on a loop of its own in a worker thread, where a
        blocking sleep blocks no other code: decorated with `...(thread=True)` (textual's
        `@work(thread=True)`), or handed to a call with `thread=True` (`run_worker(fn,
        thread=True)`). None when neither is written."""
        for decorator in func.decorator_list:
            if isinstance(decorator, ast.Call) and _thread_true(decorator):
                return f"decorated with {label(decorator.func)}(thread=True)"
        return self._handed_to_threads.get(func.name)

    @functools.cached_property
    def _handed_to_threads(self) -> dict[str, str]:
        """Names (`fn`, `self.fn`) handed to a call with `thread=True` in this file."""
        found: dict[str, str] = {}
        if "thread" not in self.ctx.source:
            return found
        for node in self.ctx.syntax.of_type(ast.Call):
            if _thread_true(node):  # type: ignore[arg-type]
                for value in (*node.args, *(k.value for k in node.keywords)):  # type: ignore
                    name = (value.id if isinstance(value, ast.Name) else value.attr
                            if isinstance(value, ast.Attribute) else None)
                    if name is not None:
                        found.setdefault(name, f"handed to {label(node.func)}(thread=True)")
        return found

    @functools.cached_property
    def _sleep(self) -> str:
        """The sleep to await instead, from the async library the file imports (or is part
        of, as trio's own tests are): asyncio's where it imports asyncio (or pytest-asyncio,
        or none of them), else trio's or anyio's."""
        tops = self.ctx.runner.imported_tops | {self.ctx.modname.split(".")[0]}
        if tops & {"asyncio", "pytest_asyncio"}:
            return "asyncio.sleep"
        return next((f"{top}.sleep" for top in ("trio", "anyio") if top in tops),
                    "asyncio.sleep")

    def _side_effect_site(self, node: ast.AST, scope: Scope) -> None:
        if isinstance(node, ast.Call):
            is_mock = self.async_mocks.is_call(node, scope) or any(
                k.arg == "new_callable"
                and self.scopes.resolve(k.value, scope, among=(ASYNC_MOCK,)) == ASYNC_MOCK
                for k in node.keywords)
            if is_mock:
                for kw in node.keywords:
                    if kw.arg == "side_effect":
                        self._add_side_effect(kw.value, scope)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if (isinstance(target, ast.Attribute) and target.attr == "side_effect"
                        and self.async_mocks.holds(target.value, scope)):
                    self._add_side_effect(node.value, scope)

    def _add_side_effect(self, value: ast.AST, scope: Scope) -> None:
        if isinstance(value, ast.Lambda):
            self.side_effects.add(id(value))
        elif isinstance(value, ast.Name):
            bound = self.scopes.single_value(value.id, scope)
            if bound and bound[0] == "def" and isinstance(bound[1], ast.FunctionDef):
                self.side_effects.add(id(bound[1]))


def _thread_true(call: ast.Call) -> bool:
    return any(k.arg == "thread" and isinstance(k.value, ast.Constant) and k.value.value is True
               for k in call.keywords)
