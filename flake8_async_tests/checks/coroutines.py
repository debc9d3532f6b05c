"""AT2xx: coroutines never awaited, event loops started or fetched in the wrong place."""

from __future__ import annotations

import ast
import functools
import sys
from collections.abc import Container, Iterator
from dataclasses import dataclass

from .. import inference
from ..index import resolver
from ..index.facts import ASYNC_DEF
from ..context import FunctionNode
from ..model.fixtures import FIXTURE_DECORATORS
from ..model.bindings import bindings
from ..model.fixtures import Unknown
from ..model.values import Instance
from ..syntax import LITERALS, ScopeNode, Syntax
from ..mock_names import FAKE_ASSERTS, FAKE_AWAIT_ASSERTS, MOCK, MOCK_API
from ..rules import ONLY
from . import Family, Finding

HOOKS = frozenset({
    "setup_method", "teardown_method", "setup_class", "teardown_class",
    "setup_function", "teardown_function", "setup_module", "teardown_module",
})
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
TASK_CALLS = frozenset({
    "asyncio.create_task", "asyncio.tasks.create_task",
    "asyncio.ensure_future", "asyncio.tasks.ensure_future",
})
SLEEP = frozenset({"time.sleep"})
CALLS_OF_INTEREST = SLEEP | GET_LOOP | RUN_CALLS | CREATE_TASK
# Fixtures that create a loop and make it the current one.
LOOP_FIXTURES = frozenset({"loop", "event_loop"})
# Literal values: their methods are builtin, never coroutine functions.
# Base classes known to leave the current event loop alone.
PLAIN_BASES = frozenset({"object", "builtins.object", "unittest.TestCase",
                         "unittest.case.TestCase"})
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
BUILTINS = resolver.BUILTIN_NAMES
MAX_NAME = 60


@dataclass
class Scope:
    node: ScopeNode
    parent: Scope | None
    syntax: Syntax

    @functools.cached_property
    def bindings(self) -> dict[str, list[tuple[str, ast.AST | None]]]:
        # on first lookup only: most scopes never need it
        return bindings(self.node, self.syntax.scope_nodes(self.node))

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


class CoroutineRules(Family):
    name = "coroutines"

    def wants(self) -> bool:
        return bool(self.ctx.syntax.of_type(ast.Call))

    def check(self) -> Iterator[Finding]:
        self.findings: list[Finding] = []
        self.candidates: dict[int, tuple[ast.Call, str, Scope]] = {}
        self.side_effects: set[int] = set()
        self.verdicts: dict[str, tuple[object, int | None]] = {}  # callee key -> callee
        self._pending_helpers: list[tuple[ast.Call, Scope]] = []
        self._sync_starters: list[tuple[ast.Call, str, Scope]] = []  # AT201 in sync helpers
        self._reconfigured_cache: tuple[set[str], set[str]] | None = None
        self._autouse_loop: bool | None = None
        self._self_indexes: dict[int, dict[str, list[ast.AST | None]]] = {}
        self._held_values: dict[tuple[int, str, str], Instance | Unknown | None] = {}
        self._stored: dict[int, str] = {}  # id of a call -> the local its value is stored in
        self._uses: dict[int, dict[str, list[tuple[ast.AST, ast.AST]] | None]] = {}
        self._parents: dict[int, dict[int, ast.AST]] = {}
        self._sets_loop: dict[int, bool] = {}  # class id -> calls set_event_loop()
        syntax = self.ctx.syntax
        scopes: dict[int, Scope] = {}
        for node in syntax.scopes:  # each after the scope it is defined in
            enclosing = syntax.enclosing(node)
            parent = scopes[id(enclosing)] if enclosing is not None else None
            scopes[id(node)] = Scope(node, parent, syntax)
        self.module_scope = scopes[id(self.ctx.tree)]
        self.has_async_mocks = "AsyncMock" in self.ctx.source
        if self.has_async_mocks and "side_effect" in self.ctx.source:
            for scope in scopes.values():
                for node in syntax.scope_nodes(scope.node):
                    self._side_effect_site(node, scope)
        for scope in scopes.values():
            for node in syntax.scope_nodes(scope.node):
                self._visit(node, scope)
        # Callees from this file first: they are cheap, and the inference budget is per file.
        order = sorted(self.candidates.values(), key=lambda c: self._cost(c[0].func, c[2]))
        for call, how, scope in order:
            if how == "stored" and not self._only_truth_tested(call, scope):
                continue
            if self._is_coroutine_call(call, scope):
                fields = {"name": _label(call.func)}
                if how == "stored":
                    fields["target"] = self._stored[id(call)]
                self.findings.append(Finding(call.lineno, call.col_offset, "AT200", how, fields))
        self._helpers_with_get_event_loop(scopes)
        self._sync_helpers_called_from_coroutines(scopes)
        yield from self.findings

    # -- the walk ----------------------------------------------------------------------

    def _visit(self, node: ast.AST, scope: Scope) -> None:
        """One node of a scope (the index hands out each node once, with its scope)."""
        if isinstance(node, ast.Assign):
            self._stored_call(node, scope)
        elif isinstance(node, ast.Expr):
            self._mark(node.value, "dropped", scope)
            if isinstance(node.value, ast.Call):
                self._dropped_task(node.value, scope)
        elif isinstance(node, (ast.Assert, ast.If, ast.While, ast.IfExp)):
            self._mark(node.test, "truth-value", scope)
        elif isinstance(node, ast.comprehension):
            for cond in node.ifs:
                self._mark(cond, "truth-value", scope)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self._mark(node.operand, "truth-value", scope)
        elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            # A coroutine is always true, so `and` never yields it unless it is last.
            for value in node.values[:-1]:
                self._mark(value, "truth-value", scope)
        elif isinstance(node, ast.Call):
            self._call(node, scope)

    def _mark(self, expr: ast.AST, how: str, scope: Scope) -> None:
        """Record calls whose value is dropped or only truth-tested."""
        stack = [(expr, how)]
        while stack:
            expr, how = stack.pop()
            found: list[tuple[ast.AST, str]] = []
            if isinstance(expr, ast.Call):
                if self._is_bool_call(expr, scope):
                    found.append((expr.args[0], "truth-value"))
                elif id(expr) not in self.candidates:
                    self.candidates[id(expr)] = (expr, how, scope)
            elif isinstance(expr, ast.BoolOp):
                # `a() or b`: the value of a() is the result, so it is only truth-tested here.
                values = expr.values if isinstance(expr.op, ast.Or) else expr.values[-1:]
                found.extend((value, how) for value in values)
            elif isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.Not):
                found.append((expr.operand, "truth-value"))
            elif isinstance(expr, ast.IfExp) and how == "dropped":
                found.extend([(expr.body, how), (expr.orelse, how)])
            stack.extend(reversed(found))

    def _stored_call(self, node: ast.Assign, scope: Scope) -> None:
        """`result = coro()` in a function, `result` bound only there: a candidate, judged
        once every use of `result` is known to be a truth test (or there is none)."""
        target = node.targets[0]
        if (len(node.targets) != 1 or not isinstance(target, ast.Name)
                or not isinstance(node.value, ast.Call) or not scope.is_function
                or len(scope.bindings.get(target.id, ())) != 1):
            return
        self._stored[id(node.value)] = target.id
        self.candidates.setdefault(id(node.value), (node.value, "stored", scope))

    def _only_truth_tested(self, call: ast.Call, scope: Scope) -> bool:
        """Is the name a call is stored in only truth-tested or compared afterwards, in its
        own scope (a nested function that reads it may await it)?"""
        name = self._stored[id(call)]
        uses = self._name_uses(scope).get(name)
        if uses is None:
            return True  # never read again
        return all(_truth_position(use, parent, self._parents[id(scope.node)])
                   for use, parent in uses)

    def _name_uses(self, scope: Scope) -> dict[str, list[tuple[ast.AST, ast.AST]] | None]:
        """Name -> its loads in this function with their parents; None when a nested
        scope (or a `del`, `global`...) touches it too."""
        key = id(scope.node)
        if key not in self._uses:
            uses: dict[str, list[tuple[ast.AST, ast.AST]] | None] = {}
            parents: dict[int, ast.AST] = {}
            nested: set[str] = set()
            stack: list[tuple[ast.AST, bool]] = [(scope.node, False)]
            while stack:
                node, inner = stack.pop()
                for child in ast.iter_child_nodes(node):
                    parents[id(child)] = node
                    deeper = inner or isinstance(child, (
                        ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
                        ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
                    if isinstance(child, ast.Name):
                        if deeper:
                            nested.add(child.id)
                        elif isinstance(child.ctx, ast.Load):
                            found = uses.setdefault(child.id, [])
                            if found is not None:
                                found.append((child, node))
                        elif isinstance(child.ctx, ast.Del):
                            nested.add(child.id)
                    stack.append((child, deeper))
            for name in nested:
                uses[name] = None
            self._uses[key] = uses
            self._parents[key] = parents
        return self._uses[key]

    def _is_bool_call(self, call: ast.Call, scope: Scope) -> bool:
        return (isinstance(call.func, ast.Name) and call.func.id == "bool"
                and len(call.args) == 1 and not call.keywords
                and self._lookup(call.func.id, scope) is None)

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

    def _resolve(self, expr: ast.AST, scope: Scope, among: Container[str] = (),
                 prefix: str = "") -> str | None:
        """The imported dotted name of an expression, if it is one of `among` or starts with
        `prefix`, unless a local binding shadows it (looked up only for those)."""
        dotted = self.ctx.resolve(expr)
        if dotted is None or not (dotted in among or (prefix and dotted.startswith(prefix))):
            return None
        root, _ = _chain(expr.func if isinstance(expr, ast.Call) else expr)
        if not isinstance(root, ast.Name):
            return None
        found = self._lookup(root.id, scope)
        if found is not None and found[0] is not self.module_scope:
            return None
        return dotted

    # -- AsyncMock -----------------------------------------------------------------------

    def _is_async_mock_call(self, expr: ast.AST | None, scope: Scope) -> bool:
        if not isinstance(expr, ast.Call):
            return False
        if self._resolve(expr.func, scope, among=(ASYNC_MOCK,)) == ASYNC_MOCK:
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
            for sub in self.ctx.syntax.within(cls, ast.Assign, ast.AnnAssign, ast.AugAssign,
                                              ast.With, ast.AsyncWith, ast.For, ast.AsyncFor):
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
        if not self.has_async_mocks:
            return False
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
            for node in self.ctx.syntax.of_type(ast.Assign, ast.AnnAssign, ast.AugAssign,
                                                ast.Call):
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
        dotted = self._resolve(func, scope, prefix="asyncio.")
        if dotted and dotted.startswith("asyncio.") and self._imported(func):
            return dotted.rsplit(".", 1)[1] in ASYNCIO_COROUTINES and dotted.count(".") <= 2
        if not self._worth_inferring(func, scope) or not self._maybe_async_name(func, scope):
            return False
        key = self._cache_key(func, scope)
        callee = self.verdicts.get(key) if key is not None else None
        if callee is None:
            callee = self._coroutine_callee(call, scope)
            if key is not None:
                self.verdicts[key] = callee
        function, implicit = callee
        if function is None:
            return False
        label = _label(call.func)
        if implicit is None:
            self.ctx.silent(call, "AT200", f"cannot tell whether {label} gets self or cls")
            return False
        # A call that does not fit the signature raises TypeError before any coroutine
        # exists; one that unpacks *args or **kwargs may not fit: both are left alone.
        binds = inference.call_binds(function, call.args, call.keywords, implicit)
        if binds is None:
            self.ctx.silent(call, "AT200", "*args or **kwargs may or may not fit the "
                                           f"signature of {label}")
        elif not binds:
            self.ctx.silent(call, "AT200", f"the arguments do not fit the signature of "
                                           f"{label}: it raises TypeError first")
        return binds is True

    def _coroutine_callee(self, call: ast.Call, scope: Scope) -> tuple[object, int | None]:
        """(the async def a call calls, how many of its parameters the call fills by itself)
        or (None, None) when it is no coroutine function, as far as can be told."""
        target, instance = self._static_target(call.func, scope)
        written = resolver.kinds_of(target) if target else None
        if written is not None and ASYNC_DEF not in written:
            return None, None  # no coroutine function of that name there
        value = self._imported_callee(target, instance) if target else None
        on_instance: bool | None = instance if value is not None else None
        if value is None:
            node = self.ctx.astroid_node(call)
            value = inference.safe_infer(node.func) if node is not None else None
        function = inference.coroutine_function(value)
        if function is None:
            return None, None
        return function, inference.implicit_first(value, on_instance)

    def _static_target(self, func: ast.AST, scope: Scope) -> tuple[str | None, bool]:
        """(dotted name, called on an instance) of a callee read from source alone: an
        imported or top-level function (`pkg.mod.func`), or a method (`pkg.mod.Cls.meth`)
        of `Cls(...)`, of a local assigned from it, or of `self`. (None, False) when that
        is not enough."""
        root, attrs = _chain(func)
        if isinstance(root, ast.Call):
            cls = self._static_name(root.func, scope)
            return (f"{cls}.{attrs[0]}", True) if cls and len(attrs) == 1 else (None, False)
        if not isinstance(root, ast.Name):
            return None, False
        found = self._lookup(root.id, scope)
        if found is None or found[0] is self.module_scope:
            return self._static_name(func, scope), False
        held = self._held(root.id, found, attrs)
        if held is not None:
            return f"{held.cls}.{attrs[-1]}", True
        if len(attrs) != 1:
            return None, False
        cls = None
        if root.id == "self":
            owner = self._class_scope(scope)
            if owner is not None and owner.parent is self.module_scope:
                cls = f"{self.ctx.modname}.{owner.node.name}"  # type: ignore[union-attr]
        elif len(found[1]) == 1 and found[1][0][0] == "assign":
            value = found[1][0][1]
            if isinstance(value, ast.Call):
                cls = self._static_name(value.func, scope)
        return (f"{cls}.{attrs[0]}", True) if cls else (None, False)

    def _held(self, name: str, found: tuple[Scope, list], attrs: list[str]):
        """The instance (values.Instance) `name.meth` or `self.attr.meth` is called on,
        when the value model can tell: a fixture argument or a `self` attribute set up
        for the test; an Unknown with its reason, or None when neither applies."""
        where, bound = found
        func = where.node
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        cls = where.cls
        key = (id(func), name, attrs[0] if name == "self" else "")
        if key not in self._held_values:
            value = None
            if name == "self" and len(attrs) == 2 and cls is not None:
                value = self.ctx.values.self_attribute(cls, attrs[0])
            elif len(attrs) == 1 and len(bound) == 1 and bound[0][0] == "param" \
                    and name not in ("self", "cls"):
                value = self.ctx.values.parameter(func, cls, name)
            self._held_values[key] = value
        value = self._held_values[key]
        return value if isinstance(value, Instance) else None

    def _imported_callee(self, target: str, instance: bool):  # -> astroid node | None
        """What an imported callee is, found in its own module: no need to build this file
        for astroid. None when it is defined here, or set on instances (unknown then)."""
        if target.startswith(self.ctx.modname + "."):
            return None
        if not instance:
            return inference.resolve_dotted(target, any_value=True)
        prefix, _, name = target.rpartition(".")
        owner = inference.resolve_dotted(prefix)  # the class, resolved once
        if not inference.is_class(owner) or inference.instance_attribute(owner, name):
            return None
        status, value = inference.member(owner, name)
        return value if status == "present" else None

    def _static_name(self, expr: ast.AST, scope: Scope) -> str | None:
        root, _ = _chain(expr)
        if not isinstance(root, ast.Name):
            return None
        found = self._lookup(root.id, scope)
        if found is not None and found[0] is not self.module_scope:
            return None
        return self.ctx.static_dotted(expr)

    def _worth_inferring(self, func: ast.AST, scope: Scope) -> bool:
        """Cheap syntactic reasons why a callee cannot be (known to be) a coroutine function."""
        root, attrs = _chain(func)
        if not isinstance(root, ast.Name):
            # `obj().meth()`: infer only when a method name is given
            return bool(attrs) and isinstance(root, ast.Call)
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
            if all(kind == "assign" and isinstance(value, LITERALS) for kind, value in bound):
                return False  # a list, dict, str...: their methods are builtin
            dotted = self.ctx.resolve(func)
            if dotted and root.id in self.ctx.imports.names:
                if dotted.split(".")[0] in SYNC_MODULES:
                    return False
            return True
        if root.id in ("self", "cls"):
            return True
        if len(bound) == 1 and bound[0][0] == "param" and len(attrs) == 1:
            return self._held(root.id, found, attrs) is not None or self._unknown_argument(
                func, root.id, found, attrs)
        # Locals astroid can follow: assigned from a call, a name or an attribute, a nested
        # def or import. A fixture argument, a loop target, `with ... as x`, an awaited value
        # are beyond what it infers.
        return all(kind in ("def", "import", "param-default") or (
            kind == "assign" and isinstance(value, (ast.Call, ast.Name, ast.Attribute))
            and not self._from_parameter(value, scope))
            for kind, value in bound)

    def _unknown_argument(self, func: ast.AST, name: str, found: tuple[Scope, list],
                          attrs: list[str]) -> bool:
        """Record why a method of an argument is not judged, when it may be async."""
        value = self._held_values.get((id(found[0].node), name, ""))
        if isinstance(value, Unknown) and self.ctx.may_define(attrs[-1], True):
            self.ctx.silent(func, "AT200", f"value of {name} is unknown: {value.reason}")
        return False

    def _from_parameter(self, expr: ast.AST, scope: Scope, depth: int = 0) -> bool:
        """`arg.x`, `arg().y`, or a local assigned from one, for a parameter `arg` (a
        fixture, an argument): astroid cannot know what pytest passes."""
        while isinstance(expr, (ast.Attribute, ast.Call, ast.Subscript, ast.Await)):
            expr = expr.func if isinstance(expr, ast.Call) else expr.value
        if not isinstance(expr, ast.Name) or expr.id in ("self", "cls") or depth > 5:
            return False
        found = self._lookup(expr.id, scope)
        if found is None or found[0] is self.module_scope or len(found[1]) != 1:
            return False
        kind, value = found[1][0]
        if kind == "param":
            return True
        return kind == "assign" and value is not None and self._from_parameter(
            value, scope, depth + 1)

    def _maybe_async_name(self, func: ast.AST, scope: Scope) -> bool:
        """Can the callee's name be an `async def` anywhere astroid could find it?"""
        root, attrs = _chain(func)
        if attrs:
            return self.ctx.may_define(attrs[-1], True)
        if not isinstance(root, ast.Name):
            return True
        found = self._lookup(root.id, scope)
        if found is None:
            return True
        if all(kind == "import" for kind, _ in found[1]):
            dotted = self.ctx.resolve(root)
            return self.ctx.may_define((dotted or root.id).rsplit(".", 1)[-1], True)
        if all(kind == "def" for kind, _ in found[1]):
            return self.ctx.may_define(root.id, True)
        return True

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
        dotted = self._resolve(call.func, scope, among=CALLS_OF_INTEREST)
        if dotted in CREATE_TASK:
            self._task_without_loop(call, scope)
        if dotted in SLEEP:
            self._blocking_sleep(call, scope)
        elif dotted in GET_LOOP:
            self._get_event_loop(call, scope)
        starter = self._loop_starter(call, dotted, scope)
        if starter is not None:
            self._loop_started(call, starter, scope)
        if self._is_bool_call(call, scope):
            self._mark(call.args[0], "truth-value", scope)

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
            if isinstance(runner, ast.Call) and self._resolve(
                    runner.func, scope, among=RUNNER_CLASSES) in RUNNER_CLASSES:
                return "asyncio.Runner().run()"
            if isinstance(runner, ast.Name):
                bound = self._single_value(runner.id, scope)
                if (bound and bound[0] in ("with", "assign") and isinstance(bound[1], ast.Call)
                        and self._resolve(bound[1].func, scope,
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
        if scope.is_async:
            self.findings.append(Finding(call.lineno, call.col_offset, "AT201", "async-code", {
                "call": starter, **self._describe(scope)}))
        elif scope.parent is self.module_scope and self._role(scope) == "helper":
            self._sync_starters.append((call, starter, scope))

    def _forks(self, scope: Scope) -> bool:
        return any(isinstance(node, ast.Call) and self._resolve(node.func, scope, among=FORKS)
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
                    found = self._lookup(node.func.id, scope)
                    if found is not None and found[0] is self.module_scope \
                            and len(found[1]) == 1:
                        callers[node.func.id] = scope
        for call, starter, scope in self._sync_starters:
            caller = callers.get(scope.node.name)  # type: ignore[union-attr]
            if caller is None:
                continue
            described = self._describe(caller)
            self.findings.append(Finding(call.lineno, call.col_offset, "AT201", "sync-helper", {
                "call": starter, "function": scope.node.name,  # type: ignore[union-attr]
                "role": described["role"], "caller": described["function"]}))

    def _get_event_loop(self, call: ast.Call, scope: Scope) -> None:
        if not _sync_code(scope):
            return
        if _params(scope.node) & LOOP_FIXTURES:  # type: ignore[arg-type]
            self.ctx.silent(call, "AT202", "a loop fixture argument sets the current loop")
            return
        reason = self._loop_may_be_set(scope)
        if reason is not None:
            self.ctx.silent(call, "AT202", reason)
            return
        role = self._role(scope)
        if role in ("test", "fixture", "hook"):
            self.findings.append(Finding(call.lineno, call.col_offset, "AT202", ONLY, {}))
        elif role == "helper" and scope.parent is self.module_scope:
            self._pending_helpers.append((call, scope))

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
        reason = ctx.dynamic_reason()
        if reason is not None:
            return reason
        if ctx.settings.shared_default_loop:
            return "pytest-asyncio keeps its shared default loop (wider than a test) current"
        if self._sets_up(func.decorator_list):
            return "a decorator or usefixtures mark may set the loop"
        if self._autouse_sets_loop():
            return "an autouse fixture sets or provides the loop"
        if self._uses_fixtures(ctx.tree.body):
            return "the module's pytestmark requests fixtures that may set the loop"
        parent = scope.parent
        if parent is None or not isinstance(parent.node, ast.ClassDef):
            return None
        cls = parent.node
        if parent.parent is not self.module_scope or cls.keywords:
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
        return ctx.unknown_decorators(others) or any(
            ctx.mark_name(d) == "usefixtures" for d in others)

    def _uses_fixtures(self, body: list[ast.stmt]) -> bool:
        """A `pytestmark` of this body requests fixtures (usefixtures)."""
        for value in self.ctx.pytestmark_values(body):
            items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
            if any(self.ctx.mark_name(item) == "usefixtures" for item in items):
                return True
        return False

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
                        sync_test_code = self._sync_test_code(scope)
                    if sync_test_code:
                        sync_calls[node.func.id] = sync_calls.get(node.func.id, 0) + 1
        for call, scope in self._pending_helpers:
            name = scope.node.name  # type: ignore[union-attr]
            if name in in_async or sync_calls.get(name, 0) == 0:
                continue
            if sync_calls[name] != references.get(name, 0):
                continue
            self.findings.append(Finding(call.lineno, call.col_offset, "AT202", ONLY, {}))

    def _blocking_sleep(self, call: ast.Call, scope: Scope) -> None:
        if scope.is_async:
            self.findings.append(Finding(call.lineno, call.col_offset, "AT204", "async-code",
                                         self._describe(scope)))
        elif id(scope.node) in self.side_effects:
            self.findings.append(Finding(call.lineno, call.col_offset, "AT204", "side-effect",
                                         {}))

    # -- AT203 -------------------------------------------------------------------------------

    def _dropped_task(self, call: ast.Call, scope: Scope) -> None:
        dotted = self._resolve(call.func, scope, among=TASK_CALLS)
        if dotted in TASK_CALLS:
            label = f"{dotted.replace('.tasks.', '.')}()"
        elif (isinstance(call.func, ast.Attribute) and call.func.attr == "create_task"
              and self._is_loop(call.func.value, scope)):
            label = f"{_label(call.func)}()"
        else:
            return
        if dotted in CREATE_TASK and self._sync_test_code(scope):
            return  # it raises before any task exists: reported by _task_without_loop
        if self._loop_guarded(call, scope):
            self.ctx.silent(call, "AT203", "the code checks for a running loop or expects "
                                           "RuntimeError")
            return
        self.findings.append(Finding(call.lineno, call.col_offset, "AT203", "dropped",
                                     {"call": label}))

    def _task_without_loop(self, call: ast.Call, scope: Scope) -> None:
        """asyncio.create_task() in sync test code, where no loop is running: RuntimeError."""
        if not self._sync_test_code(scope):
            return
        if self._loop_guarded(call, scope):
            self.ctx.silent(call, "AT203", "the code checks for a running loop or expects "
                                           "RuntimeError")
            return
        func = scope.node
        self.findings.append(Finding(call.lineno, call.col_offset, "AT203", "no-running-loop", {
            "role": f"sync {self._role(scope)}", "function": func.name}))  # type: ignore

    def _sync_test_code(self, scope: Scope) -> bool:
        """A sync test, fixture or hook itself (not a helper, which async code may call)."""
        return _sync_code(scope) and self._role(scope) in ("test", "fixture", "hook")

    def _loop_guarded(self, call: ast.Call, scope: Scope) -> bool:
        """The function checks for a running loop (`loop.is_running()` in a condition, or
        `get_running_loop()` in a `try` that catches RuntimeError), or the call itself sits
        in a `try` that catches RuntimeError or in `with pytest.raises(...)`."""
        line = call.lineno
        for node in self.ctx.syntax.within(scope.node, ast.If, ast.While, ast.Try, ast.With,
                                           ast.AsyncWith):
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
            elif isinstance(node, (ast.With, ast.AsyncWith)) and _within(line, node.body):
                if any(isinstance(item.context_expr, ast.Call)
                       and self.ctx.resolve(item.context_expr.func) == "pytest.raises"
                       for item in node.items):
                    return True
        return False

    def _is_loop(self, expr: ast.AST, scope: Scope) -> bool:
        if isinstance(expr, ast.Call):
            return self._resolve(expr.func, scope, among=LOOP_FACTORIES) in LOOP_FACTORIES
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

    def _side_effect_site(self, node: ast.AST, scope: Scope) -> None:
        if isinstance(node, ast.Call):
            is_mock = self._is_async_mock_call(node, scope) or any(
                k.arg == "new_callable"
                and self._resolve(k.value, scope, among=(ASYNC_MOCK,)) == ASYNC_MOCK
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

    def _describe(self, scope: Scope) -> dict[str, object]:
        """The `role` and `function` fields that name an async function in a message."""
        func = scope.node
        assert isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
        role = self._role(scope)
        if role in ("test", "fixture", "hook"):
            return {"role": f"async {role}", "function": func.name}
        return {"role": "coroutine", "function": func.name}


def _truth_position(use: ast.AST, parent: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """Is a name read only for its truth value (or compared) here, so a coroutine in it
    is never run? `assert x`, `if x`, `not x`, `x is not None`, `x == y`, `bool(x)`."""
    while True:
        if isinstance(parent, (ast.Assert, ast.If, ast.While, ast.IfExp)):
            return parent.test is use
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
            use, parent = parent, parents.get(id(parent))  # type: ignore[assignment]
            continue
        if isinstance(parent, ast.BoolOp):
            use, parent = parent, parents.get(id(parent))  # type: ignore[assignment]
            continue
        if isinstance(parent, ast.Compare):
            return all(isinstance(op, (ast.Is, ast.IsNot, ast.Eq, ast.NotEq))
                       for op in parent.ops)
        if isinstance(parent, ast.Call):
            return (isinstance(parent.func, ast.Name) and parent.func.id == "bool"
                    and parent.args == [use])
        return False


def _sync_code(scope: Scope) -> bool:
    """A sync def (not a lambda) of a module or class, not nested in a function: code that
    pytest may call directly as a test, fixture or hook, or a helper of those."""
    return (scope.is_function and not scope.in_async and not isinstance(scope.node, ast.Lambda)
            and scope.parent is not None and not scope.parent.is_function)


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


def _autouse_loop_fixture(stmt: ast.stmt) -> bool:
    """An autouse fixture named like a loop fixture, or one that sets the current loop."""
    if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    for deco in stmt.decorator_list:
        if isinstance(deco, ast.Call) and any(
                k.arg == "autouse" and not (isinstance(k.value, ast.Constant)
                                            and not k.value.value) for k in deco.keywords):
            return stmt.name in LOOP_FIXTURES or _calls_set_event_loop(stmt)
    return False


def _params(func: FunctionNode) -> set[str]:
    args = func.args
    return {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
