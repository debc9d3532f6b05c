"""AT2xx: coroutines never awaited, event loops started or fetched in the wrong place."""

from __future__ import annotations

import ast
import builtins
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from .. import inference
from ..context import FunctionNode
from ..mock_names import FAKE_ASSERTS, FAKE_AWAIT_ASSERTS, MOCK, MOCK_API
from . import Family, Finding

ScopeNode = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef

HOOKS = frozenset({
    "setup_method", "teardown_method", "setup_class", "teardown_class",
    "setup_function", "teardown_function", "setup_module", "teardown_module",
})
RUN_CALLS = frozenset({"asyncio.run", "asyncio.runners.run"})
RUNNER_CLASSES = frozenset({"asyncio.Runner", "asyncio.runners.Runner"})
GET_LOOP = frozenset({"asyncio.get_event_loop", "asyncio.events.get_event_loop"})
LOOP_FACTORIES = GET_LOOP | frozenset({
    "asyncio.get_running_loop", "asyncio.events.get_running_loop",
    "asyncio.new_event_loop", "asyncio.events.new_event_loop",
})
TASK_CALLS = frozenset({
    "asyncio.create_task", "asyncio.tasks.create_task",
    "asyncio.ensure_future", "asyncio.tasks.ensure_future",
})
SLEEP = frozenset({"time.sleep"})
# Fixtures that create a loop and make it the current one.
LOOP_FIXTURES = frozenset({"loop", "event_loop"})
# asyncio's public coroutine functions (Python 3.10-3.14), known without building asyncio.
ASYNCIO_COROUTINES = frozenset({
    "sleep", "wait", "wait_for", "to_thread", "open_connection", "start_server",
    "open_unix_connection", "start_unix_server", "create_subprocess_exec",
    "create_subprocess_shell",
})
ASYNC_MOCK = MOCK + "AsyncMock"
# A mock's own API and the misspelt assertions AT305 reports: not child mocks here.
NOT_CHILDREN = MOCK_API | FAKE_ASSERTS | FAKE_AWAIT_ASSERTS
# unittest.TestCase methods that are never coroutines.
TESTCASE_SYNC = frozenset({
    "fail", "skipTest", "addCleanup", "subTest", "enterContext", "doCleanups",
    "addTypeEqualityFunc", "addClassCleanup", "addAsyncCleanup", "enterAsyncContext",
})
# Importable modules whose functions are never coroutine functions.
SYNC_MODULES = frozenset(sys.stdlib_module_names) - {"asyncio"} | {"pytest", "_pytest"}
BUILTINS = frozenset(dir(builtins))
MAX_NAME = 60
# Scanning for `async def` names: more files than this in one tree and the filter is off.
MAX_SCAN_FILES = 5000
SKIP_DIRS = frozenset({".git", ".hg", ".tox", ".nox", ".venv", "venv", "node_modules",
                       "__pycache__", "site-packages", "build", "dist", ".mypy_cache"})
ASYNC_DEF = re.compile(rb"\basync\s+def\s+(\w+)")
IMPORTED = re.compile(rb"^[ \t]*(?:from|import)[ \t]+([A-Za-z_]\w*)", re.M)
# Standard-library packages whose classes have coroutine methods.
STDLIB_ASYNC = ("asyncio", "contextlib", "unittest")


@dataclass
class Scope:
    node: ScopeNode
    parent: Scope | None
    bindings: dict[str, list[tuple[str, ast.AST | None]]] = field(default_factory=dict)

    @property
    def is_function(self) -> bool:
        return isinstance(self.node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))

    @property
    def is_async(self) -> bool:
        return isinstance(self.node, ast.AsyncFunctionDef)

    @property
    def in_async(self) -> bool:
        """This scope or an enclosing one is an `async def`."""
        scope: Scope | None = self
        while scope is not None:
            if scope.is_async:
                return True
            scope = scope.parent
        return False

    @property
    def cls(self) -> ast.ClassDef | None:
        """The class this function is defined in directly, if any."""
        if self.parent is not None and isinstance(self.parent.node, ast.ClassDef):
            return self.parent.node
        return None


def _label(expr: ast.AST) -> str:
    try:
        text = ast.unparse(expr)
    except (ValueError, TypeError, AttributeError, RecursionError):
        return "?"
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 3] + "..."


def _chain(expr: ast.AST) -> tuple[ast.AST, list[str]]:
    """(root, attribute names) of `a.b.c`: (Name a, ['b', 'c'])."""
    attrs: list[str] = []
    while isinstance(expr, ast.Attribute):
        attrs.append(expr.attr)
        expr = expr.value
    return expr, list(reversed(attrs))


def _scope_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Nodes of one scope's body, not descending into nested functions and classes."""
    if isinstance(node, ast.Lambda):
        stack: list[ast.AST] = [node.body]
    else:
        stack = list(reversed(node.body))  # type: ignore[attr-defined]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            stack.extend(current.decorator_list)
            if not isinstance(current, ast.ClassDef):
                stack.extend(current.args.defaults)
                stack.extend(d for d in current.args.kw_defaults if d is not None)
            continue
        if isinstance(current, ast.Lambda):
            stack.extend(current.args.defaults)
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(current))))


def _bindings(node: ScopeNode) -> dict[str, list[tuple[str, ast.AST | None]]]:
    """Every way each name is bound in a scope: ('assign', value), ('with', expr), ('param', arg
    with or without default), ('def', node), ('import', None), ('other', None)."""
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
    for sub in _scope_nodes(node):
        if isinstance(sub, ast.Assign):
            for target in sub.targets:
                if isinstance(target, ast.Name):
                    add(target.id, "assign", sub.value, target)
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
                add((alias.asname or alias.name).split(".")[0], "import", None)
        elif isinstance(sub, (ast.Global, ast.Nonlocal)):
            for name in sub.names:
                add(name, "other", None)
        elif isinstance(sub, ast.ExceptHandler) and sub.name:
            add(sub.name, "other", None)
        elif isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del)):
            if id(sub) not in seen:
                add(sub.id, "other", None)
        elif isinstance(sub, (ast.MatchAs, ast.MatchStar)) and sub.name:
            add(sub.name, "other", None)
        elif isinstance(sub, ast.MatchMapping) and sub.rest:
            add(sub.rest, "other", None)
    return found


class CoroutineRules(Family):
    name = "coroutines"
    codes = ("AT200", "AT201", "AT202", "AT203", "AT204")

    def wants(self) -> bool:
        return any(isinstance(node, ast.Call) for node in ast.walk(self.ctx.tree))

    def check(self) -> Iterator[Finding]:
        self.findings: list[Finding] = []
        self.candidates: dict[int, tuple[ast.Call, str, Scope]] = {}
        self.side_effects: set[int] = set()
        self.async_refs: set[str] = set()  # names loaded inside async functions
        self.sync_calls: dict[str, int] = {}  # helper name -> direct calls from sync test code
        self.all_refs: dict[str, int] = {}
        self.verdicts: dict[str, bool] = {}
        self._pending_helpers: list[tuple[ast.Call, Scope]] = []
        self._names: frozenset[str] | None | bool = False
        self._reconfigured_cache: tuple[set[str], set[str]] | None = None
        self._self_indexes: dict[int, dict[str, list[ast.AST | None]]] = {}
        module = Scope(self.ctx.tree, None, _bindings(self.ctx.tree))
        self.module_scope = module
        self._collect_side_effects(self.ctx.tree, module)
        self._visit_body(self.ctx.tree.body, module)
        # Callees from this file first: they are cheap, and the inference budget is per file.
        order = sorted(self.candidates.values(), key=lambda c: self._cost(c[0].func, c[2]))
        for call, how, scope in order:
            if self._is_coroutine_call(call, scope):
                self.findings.append(Finding(call.lineno, call.col_offset, "AT200", {
                    "name": _label(call.func), "how": how}))
        self._helpers_with_get_event_loop()
        yield from self.findings

    # -- the walk ----------------------------------------------------------------------

    def _visit_body(self, body: list[ast.stmt], scope: Scope) -> None:
        for stmt in body:
            self._visit(stmt, scope)

    def _visit(self, node: ast.AST, scope: Scope) -> None:
        # An explicit stack, not recursion: parsed trees can be ~2000 levels deep.
        stack: list[tuple[ast.AST, Scope]] = [(node, scope)]
        while stack:
            node, scope = stack.pop()
            stack.extend(reversed(self._visit_one(node, scope)))

    def _visit_one(self, node: ast.AST, scope: Scope) -> list[tuple[ast.AST, Scope]]:
        """Handle one node; returns its children to visit next, in order."""
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo: list[tuple[ast.AST, Scope]] = []
            if not isinstance(node, ast.Lambda):
                todo.extend((deco, scope) for deco in node.decorator_list)
            if not isinstance(node, ast.ClassDef):
                todo.extend((default, scope) for default in (*node.args.defaults,
                                                             *node.args.kw_defaults)
                            if default is not None)
            else:
                todo.extend((base, scope) for base in (*node.bases, *node.keywords))
            inner = Scope(node, scope, _bindings(node))
            if isinstance(node, ast.Lambda):
                todo.append((node.body, inner))
            else:
                todo.extend((stmt, inner) for stmt in node.body)
            return todo
        if isinstance(node, ast.Expr):
            self._mark(node.value, "called and dropped", scope)
            if isinstance(node.value, ast.Call):
                self._dropped_task(node.value, scope)
        elif isinstance(node, (ast.Assert, ast.If, ast.While, ast.IfExp)):
            self._mark(node.test, "used only as a truth value", scope)
        elif isinstance(node, ast.comprehension):
            for cond in node.ifs:
                self._mark(cond, "used only as a truth value", scope)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self._mark(node.operand, "used only as a truth value", scope)
        elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            # A coroutine is always true, so `and` never yields it unless it is last.
            for value in node.values[:-1]:
                self._mark(value, "used only as a truth value", scope)
        elif isinstance(node, ast.Call):
            self._call(node, scope)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            self._reference(node, scope)
        return [(child, scope) for child in ast.iter_child_nodes(node)]

    def _mark(self, expr: ast.AST, how: str, scope: Scope) -> None:
        """Record calls whose value is dropped or only truth-tested."""
        stack = [(expr, how)]
        while stack:
            expr, how = stack.pop()
            found: list[tuple[ast.AST, str]] = []
            if isinstance(expr, ast.Call):
                if self._is_bool_call(expr, scope):
                    found.append((expr.args[0], "used only as a truth value"))
                elif id(expr) not in self.candidates:
                    self.candidates[id(expr)] = (expr, how, scope)
            elif isinstance(expr, ast.BoolOp):
                # `a() or b`: the value of a() is the result, so it is only truth-tested here.
                values = expr.values if isinstance(expr.op, ast.Or) else expr.values[-1:]
                found.extend((value, how) for value in values)
            elif isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
                found.append((expr.operand, "used only as a truth value"))
            elif isinstance(expr, ast.IfExp) and how == "called and dropped":
                found.extend([(expr.body, how), (expr.orelse, how)])
            stack.extend(reversed(found))

    def _is_bool_call(self, call: ast.Call, scope: Scope) -> bool:
        return (isinstance(call.func, ast.Name) and call.func.id == "bool"
                and len(call.args) == 1 and not call.keywords
                and self._lookup(call.func.id, scope) is None)

    def _reference(self, name: ast.Name, scope: Scope) -> None:
        self.all_refs[name.id] = self.all_refs.get(name.id, 0) + 1
        if scope.in_async:
            self.async_refs.add(name.id)

    # -- names ---------------------------------------------------------------------------

    def _lookup(self, name: str, scope: Scope) -> tuple[Scope, list] | None:
        """Where `name` is bound as seen from `scope` (class bodies are not enclosing scopes)."""
        current: Scope | None = scope
        first = True
        while current is not None:
            if first or not isinstance(current.node, ast.ClassDef):
                bound = current.bindings.get(name)
                if bound:
                    return current, bound
            first = False
            current = current.parent
        return None

    def _single_value(self, name: str, scope: Scope) -> tuple[str, ast.AST | None] | None:
        found = self._lookup(name, scope)
        if found is None or len(found[1]) != 1:
            return None
        return found[1][0]

    def _resolve(self, expr: ast.AST, scope: Scope) -> str | None:
        """The imported dotted name of an expression, unless a local binding shadows it."""
        root, _ = _chain(expr.func if isinstance(expr, ast.Call) else expr)
        if not isinstance(root, ast.Name):
            return None
        found = self._lookup(root.id, scope)
        if found is not None and found[0] is not self.module_scope:
            return None
        return self.ctx.resolve(expr)

    # -- AsyncMock -----------------------------------------------------------------------

    def _is_async_mock_call(self, expr: ast.AST | None, scope: Scope) -> bool:
        if not isinstance(expr, ast.Call):
            return False
        if self._resolve(expr.func, scope) == ASYNC_MOCK:
            return True
        func = expr.func
        return (isinstance(func, ast.Attribute) and func.attr == "AsyncMock"
                and isinstance(func.value, ast.Name) and func.value.id == "mocker")

    def _async_mock_source(self, expr: ast.AST, scope: Scope) -> ast.Call | None:
        """The AsyncMock(...) call a name or `self.attr` certainly holds, if any."""
        if isinstance(expr, ast.Name):
            bound = self._single_value(expr.id, scope)
            if bound and bound[0] == "assign" and self._is_async_mock_call(bound[1], scope):
                return bound[1]  # type: ignore[return-value]
            return None
        if (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name)
                and expr.value.id in ("self", "cls")):
            cls_scope = self._class_scope(scope)
            if cls_scope is None:
                return None
            values = [v for v in self._self_assignments(cls_scope.node, expr.attr)]
            if len(values) == 1 and self._is_async_mock_call(values[0], cls_scope):
                return values[0]  # type: ignore[return-value]
        return None

    def _class_scope(self, scope: Scope) -> Scope | None:
        current: Scope | None = scope
        while current is not None and current.parent is not None:
            if isinstance(current.parent.node, ast.ClassDef) and current.is_function:
                return current.parent
            current = current.parent
        return None

    def _self_assignments(self, cls: ast.ClassDef, attr: str) -> list[ast.AST | None]:
        # One walk per class, not one per question: a big test class asks thousands.
        index = self._self_indexes.get(id(cls))
        if index is None:
            index = self._self_indexes[id(cls)] = {}
            for sub in ast.walk(cls):
                targets: list[ast.AST] = []
                value: ast.AST | None = None
                if isinstance(sub, ast.Assign):
                    targets, value = sub.targets, sub.value
                elif isinstance(sub, (ast.AnnAssign, ast.AugAssign)):
                    targets, value = [sub.target], sub.value
                elif isinstance(sub, (ast.With, ast.AsyncWith)):
                    targets = [i.optional_vars for i in sub.items if i.optional_vars is not None]
                elif isinstance(sub, (ast.For, ast.AsyncFor)):
                    targets = [sub.target]
                for target in targets:
                    for part in ast.walk(target):
                        if isinstance(part, ast.Attribute) and isinstance(part.value, ast.Name):
                            index.setdefault(part.attr, []).append(
                                value if part is target else None)
        return index.get(attr, [])

    def _async_mock_value(self, expr: ast.AST, scope: Scope) -> bool:
        """`expr` is certainly an AsyncMock, or a child of an unspecced one (also async)."""
        if self._async_mock_source(expr, scope) is not None:
            return True
        rest: list[str] = []
        prefix = expr
        while isinstance(prefix, ast.Attribute):
            rest.insert(0, prefix.attr)
            prefix = prefix.value
            source = self._async_mock_source(prefix, scope)
            if source is not None:
                break
        else:
            return False
        if source.args or any(k.arg in ("spec", "spec_set") or k.arg is None
                              for k in source.keywords):
            return False
        if any(a.startswith("_") or a in NOT_CHILDREN for a in rest):
            return False
        # `m.close = MagicMock()`, `m.configure_mock(...)`, `setattr(m, ...)`: not plain children.
        label = _label(prefix)
        assigned, configured = self._reconfigured()
        if label in configured:
            return False
        for attr in rest:
            label = f"{label}.{attr}"
            if label in assigned or label in configured:
                return False
        return True

    def _reconfigured(self) -> tuple[set[str], set[str]]:
        """(attribute targets assigned, mocks configured by call) anywhere in this file."""
        if self._reconfigured_cache is None:
            found: set[str] = set()
            configured: set[str] = set()
            for node in ast.walk(self.ctx.tree):
                targets: list[ast.AST] = []
                if isinstance(node, ast.Assign):
                    targets = node.targets
                elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
                    targets = [node.target]
                elif isinstance(node, ast.Call):
                    func = node.func
                    if isinstance(func, ast.Attribute) and func.attr in (
                            "configure_mock", "attach_mock", "mock_add_spec"):
                        configured.add(_label(func.value))
                    elif (isinstance(func, ast.Name) and func.id == "setattr" and node.args):
                        configured.add(_label(node.args[0]))
                for target in targets:
                    if isinstance(target, ast.Attribute):
                        found.add(_label(target))
            self._reconfigured_cache = (found, configured)
        return self._reconfigured_cache

    # -- AT200 -----------------------------------------------------------------------------

    def _is_coroutine_call(self, call: ast.Call, scope: Scope) -> bool:
        func = call.func
        if self._async_mock_value(func, scope):
            return True
        dotted = self._resolve(func, scope)
        if dotted and dotted.startswith("asyncio.") and self._imported(func):
            return dotted.rsplit(".", 1)[1] in ASYNCIO_COROUTINES and dotted.count(".") <= 2
        if not self._worth_inferring(func, scope) or not self._maybe_async_name(func, scope):
            return False
        key = self._cache_key(func, scope)
        if key is not None and key in self.verdicts:
            return self.verdicts[key]
        node = self.ctx.astroid_node(call)
        verdict = False
        if node is not None and hasattr(node, "func"):
            verdict = inference.coroutine_function(inference.safe_infer(node.func)) is not None
        if key is not None:
            self.verdicts[key] = verdict
        return verdict

    def _worth_inferring(self, func: ast.AST, scope: Scope) -> bool:
        """Cheap syntactic reasons why a callee cannot be (known to be) a coroutine function."""
        root, attrs = _chain(func)
        if not isinstance(root, ast.Name):
            # `obj().meth()`, `x[0]()`, ... infer only when a method name is given
            return bool(attrs) and isinstance(root, (ast.Call, ast.Subscript))
        if attrs:
            last = attrs[-1]
            if last in MOCK_API or last in TESTCASE_SYNC:
                return False
            if last.startswith("assert") and last[6:7].isupper():
                return False  # unittest's assertEqual & co.
        found = self._lookup(root.id, scope)
        if found is None:
            return root.id not in BUILTINS
        owner, bound = found
        if owner is self.module_scope:
            dotted = self.ctx.resolve(func)
            if dotted and root.id in self.ctx.imports.names:
                if dotted.split(".")[0] in SYNC_MODULES:
                    return False
            return True
        if root.id in ("self", "cls"):
            return True
        # A parameter with no default (a pytest fixture, an argument) cannot be inferred.
        return not all(kind == "param" for kind, _ in bound)

    def _maybe_async_name(self, func: ast.AST, scope: Scope) -> bool:
        """Can the callee's name be an `async def` anywhere astroid could find it?"""
        names = self._async_names()
        if names is None:
            return True
        root, attrs = _chain(func)
        if attrs:
            return attrs[-1] in names
        if not isinstance(root, ast.Name):
            return True
        found = self._lookup(root.id, scope)
        if found is None:
            return True
        if all(kind == "import" for kind, _ in found[1]):
            dotted = self.ctx.resolve(root)
            return (dotted or root.id).rsplit(".", 1)[-1] in names
        if all(kind == "def" for kind, _ in found[1]):
            return root.id in names
        return True

    def _async_names(self) -> frozenset[str] | None:
        """Names of every `async def` in this file, the project and the packages they import.

        A cheap regex scan, cached for the run; None when there is too much to scan.
        """
        if self._names is not False:
            return self._names  # type: ignore[return-value]
        own = {n.name for n in ast.walk(self.ctx.tree) if isinstance(n, ast.AsyncFunctionDef)}
        for _path, tree in self.ctx.conftests:
            own.update(n.name for n in ast.walk(tree) if isinstance(n, ast.AsyncFunctionDef))
        roots = list(inference_search_path(self.ctx))
        packages = {v.split(".")[0] for v in self.ctx.imports.names.values()}
        packages.update(STDLIB_ASYNC)
        total = set(own)
        for root in roots:
            found = _scan_tree(root)
            if found is None:
                self._names = None
                return None
            total |= found[0]
            packages |= found[1]
        for package in sorted(packages):
            found = _scan_package(package)
            if found is None:
                self._names = None
                return None
            total |= found
        self._names = frozenset(total)
        return self._names

    def _imported(self, func: ast.AST) -> bool:
        root, _ = _chain(func)
        return isinstance(root, ast.Name) and root.id in self.ctx.imports.names

    def _cost(self, func: ast.AST, scope: Scope, depth: int = 0) -> int:
        """0 for callees from this file, 1 for ones from imports (may build other modules)."""
        root, _ = _chain(func)
        while isinstance(root, (ast.Call, ast.Subscript)):
            root, _ = _chain(root.func if isinstance(root, ast.Call) else root.value)
        if not isinstance(root, ast.Name) or depth > 3:
            return 0
        found = self._lookup(root.id, scope)
        if found is None:
            return 0
        for kind, value in found[1]:
            if kind == "import":
                return 1
            if kind in ("assign", "with") and value is not None:
                if self._cost(value, scope, depth + 1):
                    return 1
        return 0

    def _cache_key(self, func: ast.AST, scope: Scope) -> str | None:
        """Callees spelled through a name bound once at module level infer alike everywhere."""
        root, _ = _chain(func)
        if not isinstance(root, ast.Name):
            return None
        found = self._lookup(root.id, scope)
        if found is None or found[0] is not self.module_scope or len(found[1]) != 1:
            return None
        return _label(func)

    # -- calls: AT201, AT202, AT204 ------------------------------------------------------

    def _call(self, call: ast.Call, scope: Scope) -> None:
        dotted = self._resolve(call.func, scope)
        if dotted in SLEEP:
            self._blocking_sleep(call, scope)
        elif dotted in GET_LOOP:
            self._get_event_loop(call, scope)
        starter = self._loop_starter(call, dotted, scope)
        if starter is not None:
            self._loop_started(call, starter, scope)
        if self._is_bool_call(call, scope):
            self._mark(call.args[0], "used only as a truth value", scope)
        if (isinstance(call.func, ast.Name) and scope.is_function and not scope.in_async
                and not isinstance(scope.node, ast.Lambda) and scope.parent is not None
                and not scope.parent.is_function
                and self._role(scope) in ("test", "fixture", "hook")):
            self.sync_calls[call.func.id] = self.sync_calls.get(call.func.id, 0) + 1

    def _loop_starter(self, call: ast.Call, dotted: str | None, scope: Scope) -> str | None:
        if dotted in RUN_CALLS:
            return "asyncio.run()"
        func = call.func
        if not isinstance(func, ast.Attribute):
            return None
        if func.attr == "run_until_complete" and call.args:
            return f"{_label(func)}()"
        if func.attr == "run" and call.args:
            runner = func.value
            if isinstance(runner, ast.Call) and self._resolve(runner.func, scope) in RUNNER_CLASSES:
                return "asyncio.Runner().run()"
            if isinstance(runner, ast.Name):
                bound = self._single_value(runner.id, scope)
                if (bound and bound[0] in ("with", "assign") and isinstance(bound[1], ast.Call)
                        and self._resolve(bound[1].func, scope) in RUNNER_CLASSES):
                    return f"{runner.id}.run()"
        return None

    def _loop_started(self, call: ast.Call, starter: str, scope: Scope) -> None:
        if not scope.is_function or isinstance(scope.node, ast.Lambda):
            return
        func = scope.node
        assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
        if scope.is_async:
            self.findings.append(Finding(call.lineno, call.col_offset, "AT201", {
                "call": starter, "where": self._describe(scope),
                "fix": "await the coroutine instead"}))
            return
        if scope.parent is None or scope.parent.is_function:
            return
        role = self._role(scope)
        if role not in ("fixture", "hook"):
            return
        if role == "hook" and func.name in HOOKS:
            tests = self._plugin_loop_tests(scope.parent)
            if not tests:
                return
            where = f"{func.name}() of a {'class' if scope.cls else 'module'} whose async tests"
            where += " run on pytest-asyncio's loop"
        else:
            tests = self._plugin_loop_tests(scope.parent)
            if not self._autouse(func):
                tests = [t for t in tests if func.name in _params(t)]
            if not tests:
                return
            where = f"sync fixture {func.name!r}, used by async tests on pytest-asyncio's loop"
        self.findings.append(Finding(call.lineno, call.col_offset, "AT201", {
            "call": starter, "where": where,
            "fix": "make it an async fixture (@pytest_asyncio.fixture) and await the coroutine"}))

    def _get_event_loop(self, call: ast.Call, scope: Scope) -> None:
        if not scope.is_function or isinstance(scope.node, ast.Lambda) or scope.in_async:
            return
        if scope.parent is None or scope.parent.is_function:
            return
        if _params(scope.node) & LOOP_FIXTURES:  # type: ignore[arg-type]
            return  # a loop fixture (aiohttp's `loop`, old `event_loop`) set the current loop
        role = self._role(scope)
        if role in ("test", "fixture", "hook"):
            self.findings.append(Finding(call.lineno, call.col_offset, "AT202", {}))
        elif role == "helper" and scope.parent is self.module_scope:
            self._pending_helpers.append((call, scope))

    def _helpers_with_get_event_loop(self) -> None:
        """A module-level helper counts as sync test code when only sync test code calls it."""
        for call, scope in self._pending_helpers:
            name = scope.node.name  # type: ignore[union-attr]
            if name in self.async_refs or self.sync_calls.get(name, 0) == 0:
                continue
            if self.sync_calls[name] != self.all_refs.get(name, 0):
                continue
            self.findings.append(Finding(call.lineno, call.col_offset, "AT202", {}))

    def _blocking_sleep(self, call: ast.Call, scope: Scope) -> None:
        if scope.is_async:
            self.findings.append(Finding(call.lineno, call.col_offset, "AT204", {
                "where": self._describe(scope)}))
        elif id(scope.node) in self.side_effects:
            self.findings.append(Finding(call.lineno, call.col_offset, "AT204", {
                "where": "a function used as an AsyncMock side_effect, which runs on the loop"}))

    # -- AT203 -------------------------------------------------------------------------------

    def _dropped_task(self, call: ast.Call, scope: Scope) -> None:
        dotted = self._resolve(call.func, scope)
        if dotted in TASK_CALLS:
            label = f"{dotted.replace('.tasks.', '.')}()"
        elif (isinstance(call.func, ast.Attribute) and call.func.attr == "create_task"
              and self._is_loop(call.func.value, scope)):
            label = f"{_label(call.func)}()"
        else:
            return
        self.findings.append(Finding(call.lineno, call.col_offset, "AT203", {"call": label}))

    def _is_loop(self, expr: ast.AST, scope: Scope) -> bool:
        if isinstance(expr, ast.Call):
            return self._resolve(expr.func, scope) in LOOP_FACTORIES
        if isinstance(expr, ast.Attribute):
            return expr.attr.lower().endswith("loop")
        if not isinstance(expr, ast.Name):
            return False
        found = self._lookup(expr.id, scope)
        if found is not None and found[1]:
            kinds = {kind for kind, _ in found[1]}
            if kinds == {"assign"}:
                return all(self._is_loop(value, scope) if isinstance(value, ast.Call)
                           else False for _, value in found[1])
            if "with" in kinds or "def" in kinds or "import" in kinds:
                return False
        return expr.id.lower().endswith("loop")

    # -- AT204 side effects ----------------------------------------------------------------

    def _collect_side_effects(self, tree: ast.Module, module: Scope) -> None:
        """Sync functions and lambdas that an AsyncMock calls on the loop as its side_effect."""
        stack = [(child, module) for child in reversed(list(ast.iter_child_nodes(tree)))]
        while stack:  # not recursive: parsed trees can be ~2000 levels deep
            child, scope = stack.pop()
            inner = scope
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                  ast.Lambda)):
                inner = Scope(child, scope, _bindings(child))
            self._side_effect_site(child, scope)
            stack.extend((sub, inner) for sub in reversed(list(ast.iter_child_nodes(child))))

    def _side_effect_site(self, node: ast.AST, scope: Scope) -> None:
        if isinstance(node, ast.Call):
            is_mock = self._is_async_mock_call(node, scope) or any(
                k.arg == "new_callable" and self._resolve(k.value, scope) == ASYNC_MOCK
                for k in node.keywords)
            if is_mock:
                for kw in node.keywords:
                    if kw.arg == "side_effect":
                        self._add_side_effect(kw.value, scope)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if (isinstance(target, ast.Attribute) and target.attr == "side_effect"
                        and self._async_mock_value(target.value, scope)):
                    self._add_side_effect(node.value, scope)

    def _add_side_effect(self, value: ast.AST, scope: Scope) -> None:
        if isinstance(value, ast.Lambda):
            self.side_effects.add(id(value))
        elif isinstance(value, ast.Name):
            bound = self._single_value(value.id, scope)
            if bound and bound[0] == "def" and isinstance(bound[1], ast.FunctionDef):
                self.side_effects.add(id(bound[1]))

    # -- roles ---------------------------------------------------------------------------

    def _role(self, scope: Scope) -> str:
        func = scope.node
        assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
        if self.ctx.is_fixture(func):
            return "fixture"
        parent = scope.parent
        if func.name in HOOKS or func.name in ("setUp", "tearDown", "setUpClass",
                                               "tearDownClass", "setUpModule", "tearDownModule"):
            return "hook"
        if parent is self.module_scope:
            return "test" if self.ctx.is_test_name(func.name) else "helper"
        if parent is not None and isinstance(parent.node, ast.ClassDef):
            if self._is_test_class(parent.node) and self.ctx.is_test_name(func.name):
                return "test"
            return "method"
        return "nested"

    def _is_test_class(self, cls: ast.ClassDef) -> bool:
        if self.ctx.is_test_class_name(cls.name):
            return True
        return any("TestCase" in (self.ctx.resolve(b) or "") for b in cls.bases)

    def _describe(self, scope: Scope) -> str:
        func = scope.node
        assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
        role = self._role(scope)
        if role in ("test", "fixture", "hook"):
            return f"async {role} {func.name!r}"
        return f"coroutine {func.name!r}"

    def _plugin_loop_tests(self, scope: Scope) -> list[FunctionNode]:
        """Async tests directly in a module or class that pytest-asyncio runs on its loop."""
        return self._loop_tests(scope.node, list(self.ctx.module_marks))

    def _loop_tests(self, node: ast.AST, marks: list) -> list[FunctionNode]:
        ctx = self.ctx
        if isinstance(node, ast.ClassDef):
            if not self._is_test_class(node):
                return []
            marks = marks + list(ctx.class_marks(node))
        tests: list[FunctionNode] = []
        for stmt in node.body:  # type: ignore[attr-defined]
            if isinstance(stmt, ast.ClassDef) and isinstance(node, ast.Module):
                tests.extend(self._loop_tests(stmt, marks))
            if not (isinstance(stmt, ast.AsyncFunctionDef) and ctx.is_test_name(stmt.name)):
                continue
            own = marks + list(ctx.function_marks(stmt))
            if ctx.mode == "auto" or any(m.name == "asyncio" for m in own):
                tests.append(stmt)
        return tests

    def _autouse(self, func: FunctionNode) -> bool:
        for deco in func.decorator_list:
            if isinstance(deco, ast.Call):
                for kw in deco.keywords:
                    if (kw.arg == "autouse" and isinstance(kw.value, ast.Constant)
                            and kw.value.value is True):
                        return True
        return False


def inference_search_path(ctx) -> tuple[str, ...]:
    """The project's own import roots (not sys.path's installed packages)."""
    from .. import project

    roots = [r for r in project.search_path(ctx.path, ctx.settings) if os.path.isdir(r)]
    if ctx.rootdir and ctx.rootdir not in roots:
        roots.append(ctx.rootdir)
    return tuple(roots)


_tree_scans: dict[str, tuple[frozenset[str], frozenset[str]] | None] = {}
_package_scans: dict[str, frozenset[str] | None] = {}
_scans_generation = 0


def _scan_file(path: str, names: set[str], imports: set[str] | None) -> None:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return
    names.update(m.decode("ascii", "replace") for m in ASYNC_DEF.findall(data))
    if imports is not None:
        imports.update(m.decode("ascii", "replace") for m in IMPORTED.findall(data))


def _python_files(root: str) -> list[str] | None:
    files: list[str] = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")]
        files.extend(os.path.join(directory, f) for f in filenames if f.endswith(".py"))
        if len(files) > MAX_SCAN_FILES:
            return None
    return files


def _scan_tree(root: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """(async def names, top-level names imported) of every .py file under a project root."""
    if root not in _tree_scans:
        files = _python_files(root)
        if files is None:
            _tree_scans[root] = None
        else:
            names: set[str] = set()
            imports: set[str] = set()
            for path in files:
                _scan_file(path, names, imports)
            _tree_scans[root] = (frozenset(names), frozenset(imports))
    return _tree_scans[root]


def _scan_package(package: str) -> frozenset[str] | None:
    """async def names of an importable package or module, found on sys.path, never imported."""
    global _scans_generation
    if _scans_generation != inference.generation:  # another project: other packages
        _package_scans.clear()
        _scans_generation = inference.generation
    if package in _package_scans:
        return _package_scans[package]
    result: frozenset[str] | None = frozenset()
    for entry in sys.path:
        base = os.path.join(entry or ".", package)
        if os.path.isdir(base):
            files = _python_files(base)
            if files is None:
                result = None
            else:
                names: set[str] = set()
                for path in files:
                    _scan_file(path, names, None)
                result = frozenset(names)
            break
        if os.path.isfile(base + ".py"):
            names = set()
            _scan_file(base + ".py", names, None)
            result = frozenset(names)
            break
    _package_scans[package] = result
    return result


def _params(func: FunctionNode) -> set[str]:
    args = func.args
    return {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
