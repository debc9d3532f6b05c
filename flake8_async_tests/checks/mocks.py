"""AT3xx: mocks that lie about being async, and mocks that drift from their spec.

Mocks are tracked per function (test, fixture or helper): names bound once to a
mock constructor, a patcher (`with patch(...) as m`, decorator arguments,
`mocker.patch(...)`), or a fixture parameter whose fixture (this module or a
conftest.py above it) returns or yields such a mock. A mock passed elsewhere,
rebound, or configured in bulk is not tracked any more for the rules that need
to know what it holds.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .. import inference, project
from ..index import resolver
from ..index.facts import ASYNC_DEF, DEF
from ..mock_names import (
    ALL_KINDS, FAKE_ASSERTS, FAKE_AWAIT_ASSERTS, MOCK, MOCK_API, MOCK_MODULE_NAMES, MOCKER_NAMES,
    REAL_ASSERTS,
)
from ..context import FileContext, FunctionNode, ImportTable
from ..model.fixtures import FIXTURE_DECORATORS, Unknown, fixture_decorator, fixture_name
from ..model.values import Instance
from ..rules import ONLY
from ..syntax import LITERALS, Syntax, of_tree
from . import Family, Finding

KEYWORD_CONFIG = frozenset({"return_value", "side_effect", "wraps"})
# Names patch() creates on a module by itself (unittest.mock's own rule).


@dataclass
class Tracked:
    """What is known about one mock name in one scope."""

    kind: str  # one of ALL_KINDS, or "patch" (MagicMock or AsyncMock after its target)
    label: str  # how to call it in messages
    spec: ast.expr | None = None  # spec class expression (in this file)
    spec_names: frozenset[str] | None = None  # spec=['a', 'b']
    spec_unknown: bool = False  # spec'd, but by something we cannot read
    spec_set: bool = False
    autospec: bool = False
    target: tuple[ast.expr | None, str] | None = None  # patch target: (owner expr | None, name)
    target_dotted: str | None = None  # patch('pkg.mod.name')
    configured: set[str] = field(default_factory=set)  # first components configured
    bulk: bool = False  # configured by something we cannot read
    escaped: bool = False  # handed to other code, which may configure it
    local: bool = True  # built in this file
    origin: str | None = None  # else the conftest.py it was built in
    set_attrs: dict[str, ast.AST] = field(default_factory=dict)
    literal_return: bool = False  # return_value= a literal (never awaitable), no side_effect

    @property
    def specced(self) -> bool:
        return (self.spec is not None or self.spec_names is not None or self.spec_unknown
                or self.autospec)


def _chain(expr: ast.expr) -> tuple[str, list[str]] | None:
    """('m', ['a', 'return_value', 'b']) for m.a().b; None if not rooted at a name."""
    parts: list[str] = []
    while True:
        if isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        elif isinstance(expr, ast.Call):
            parts.append("return_value")
            expr = expr.func
        elif isinstance(expr, ast.Name):
            return expr.id, list(reversed(parts))
        else:
            return None


def _norm(parts: list[str]) -> list[str]:
    return ["return_value" if p == "side_effect" else p for p in parts]


def _params(func: FunctionNode) -> list[str]:
    args = func.args
    return [a.arg for a in (*args.posonlyargs, *args.args)]


def _all_params(func: FunctionNode) -> set[str]:
    args = func.args
    names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    for extra in (args.vararg, args.kwarg):
        if extra is not None:
            names.add(extra.arg)
    return names


def _kw(call: ast.Call, name: str, position: int | None = None) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    if position is not None and len(call.args) > position and not any(
            isinstance(a, ast.Starred) for a in call.args[:position + 1]):
        return call.args[position]
    return None


def _truthy_const(expr: ast.expr | None) -> bool:
    return isinstance(expr, ast.Constant) and bool(expr.value)


class Names:
    """Resolves what a call creates: mocks, patchers, in one module's import table."""

    def __init__(self, imports: ImportTable, mockers: set[str]) -> None:
        self.imports = imports
        self.mockers = mockers

    def dotted(self, expr: ast.expr) -> str | None:
        chain = _chain(expr.func if isinstance(expr, ast.Call) else expr)
        if chain and chain[0] in self.mockers and not any(p == "return_value" for p in chain[1]):
            # pytest-mock: mocker.patch.object, mocker.MagicMock, ...
            return MOCK + ".".join(chain[1])
        return self.imports.resolve(expr)

    def mock_kind(self, expr: ast.expr) -> str | None:
        """'MagicMock' for `MagicMock(...)`, `mock.MagicMock(...)`, `mocker.MagicMock(...)`."""
        if not isinstance(expr, ast.Call):
            return None
        dotted = self.dotted(expr)
        if dotted and dotted.startswith(MOCK) and dotted[len(MOCK):] in ALL_KINDS:
            return dotted[len(MOCK):]
        return None

    def patcher(self, call: ast.Call) -> str | None:
        """'patch' or 'patch.object' for a patcher call."""
        dotted = self.dotted(call)
        if dotted in (MOCK + "patch", MOCK + "patch.object"):
            return dotted[len(MOCK):]
        return None

    def class_kind(self, expr: ast.expr | None) -> str | None:
        """'MagicMock' for new_callable=MagicMock."""
        if expr is None or isinstance(expr, ast.Call):
            return None
        dotted = self.dotted(expr)
        if dotted and dotted.startswith(MOCK) and dotted[len(MOCK):] in ALL_KINDS:
            return dotted[len(MOCK):]
        return None


def _from_constructor(kind: str, call: ast.Call, label: str) -> Tracked:
    t = Tracked(kind=kind, label=label)
    spec = _kw(call, "spec", 0)
    spec_set = _kw(call, "spec_set")
    if spec_set is not None:
        spec, t.spec_set = spec_set, True
    _set_spec(t, spec)
    for kw in call.keywords:
        if kw.arg is None:
            t.bulk = True
        elif kw.arg == "wraps":
            t.bulk = True
        elif kw.arg in ("return_value", "side_effect"):
            t.literal_return = kw.arg == "return_value" and "return_value" not in t.configured \
                and isinstance(kw.value, LITERALS)
            t.configured.add("return_value")
        elif kw.arg not in ("spec", "spec_set", "name", "unsafe", "parent", "_new_name",
                            "_new_parent", "_spec_as_instance", "_eat_self"):
            t.configured.add(kw.arg.split(".")[0])
    if len(call.args) > 1:
        t.bulk = True
    return t


def _set_spec(t: Tracked, spec: ast.expr | None) -> None:
    if spec is None or (isinstance(spec, ast.Constant) and spec.value is None):
        return
    if isinstance(spec, (ast.List, ast.Tuple)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in spec.elts):
        t.spec_names = frozenset(e.value for e in spec.elts)  # type: ignore[misc]
    elif isinstance(spec, (ast.Name, ast.Attribute)):
        t.spec = spec
    else:
        t.spec_unknown = True


class ScopeMocks:
    """The tracked mocks of one function."""

    def __init__(self, func: FunctionNode, names: Names, inherited: dict[str, Tracked],
                 is_method: bool, syntax: Syntax) -> None:
        self.func = func
        self.names = names
        # The function's own nodes: not those of nested functions, classes and lambdas,
        # nor their decorators and defaults.
        self.nodes = syntax.scope_nodes(func, headers=False)
        self.mocks: dict[str, Tracked] = {}
        self._bind(func, inherited, is_method)
        if self.mocks:
            self._configure()

    # -- bindings ------------------------------------------------------------------

    def _bind(self, func: FunctionNode, inherited: dict[str, Tracked], is_method: bool) -> None:
        self.bindings: dict[str, list[object]] = {}
        bindings = self.bindings
        params = _params(func)
        for name in _all_params(func):
            bindings.setdefault(name, []).append("param")
        injected = self._decorator_args(func, params[1:] if is_method else params)
        for node in self.nodes:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._record(target, node.value, bindings)
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
                self._record(node.target, getattr(node, "value", None), bindings,
                             plain=not isinstance(node, ast.AugAssign))
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        self._record(item.optional_vars, ("with", item.context_expr), bindings)
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                self._record(node.target, None, bindings)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bindings.setdefault(node.name, []).append(None)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    bindings.setdefault((alias.asname or alias.name).split(".")[0], []).append(None)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                bindings.setdefault(node.name, []).append(None)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                for name in node.names:
                    bindings.setdefault(name, []).append(None)
            elif isinstance(node, ast.Delete):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        bindings.setdefault(target.id, []).append(None)
        for name, values in bindings.items():
            if len(values) != 1:
                continue
            value = values[0]
            tracked: Tracked | None = None
            if value == "param":
                tracked = injected.get(name) or inherited.get(name)
                if tracked is not None:
                    tracked = _copy(tracked)
            elif isinstance(value, tuple) and value[0] == "with":
                tracked = self._patch_mock(value[1], name)
            elif isinstance(value, ast.expr):
                tracked = self._created(value, name)
            if tracked is not None:
                self.mocks[name] = tracked

    def _record(self, target: ast.expr, value: object, bindings: dict[str, list[object]],
                plain: bool = True) -> None:
        if isinstance(target, ast.Name):
            bindings.setdefault(target.id, []).append(value if plain else None)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._record(elt, None, bindings)
        elif isinstance(target, ast.Starred):
            self._record(target.value, None, bindings)

    def _created(self, value: ast.expr, label: str) -> Tracked | None:
        names = self.names
        kind = names.mock_kind(value)
        if kind is not None:
            assert isinstance(value, ast.Call)
            return _from_constructor(kind, value, label)
        if isinstance(value, ast.Call):
            dotted = names.dotted(value)
            if dotted == MOCK + "create_autospec" and value.args:
                t = Tracked(kind="MagicMock", label=label, autospec=True)
                _set_spec(t, value.args[0])
                t.spec_set = _truthy_const(_kw(value, "spec_set", 1))
                for kw in value.keywords:
                    if kw.arg is None:
                        t.bulk = True
                    elif kw.arg not in ("spec", "spec_set", "instance", "unsafe"):
                        t.configured.add(kw.arg.split(".")[0])
                if len(value.args) > 3:
                    t.bulk = True
                return t
            chain = _chain(value.func)
            if names.patcher(value) and chain and chain[0] in names.mockers:
                return self._patch_mock(value, label)  # mocker.patch(...) returns the mock
            # patch(...).start()
            if (isinstance(value.func, ast.Attribute) and value.func.attr == "start"
                    and isinstance(value.func.value, ast.Call)
                    and names.patcher(value.func.value)):
                return self._patch_mock(value.func.value, label)
        return None

    def _patch_mock(self, call: ast.expr, label: str) -> Tracked | None:
        """The mock a patcher hands out (as `with ... as m` or start())."""
        if not isinstance(call, ast.Call):
            return None
        which = self.names.patcher(call)
        if which is None:
            return None
        return patch_result(call, which, label, self.names)

    def _decorator_args(self, func: FunctionNode, params: list[str]) -> dict[str, Tracked]:
        """Arguments injected by @patch decorators: bottom decorator first."""
        injected: dict[str, Tracked] = {}
        index = 0
        for deco in reversed(func.decorator_list):
            dotted = self.names.dotted(deco)
            if not isinstance(deco, ast.Call) or self.names.patcher(deco) is None:
                if dotted is None or not (dotted.startswith(("pytest.mark.", MOCK))
                                          or dotted in FIXTURE_DECORATORS
                                          or dotted in ("staticmethod", "classmethod")):
                    return {}  # a decorator of unknown effect may pass arguments too
            if not isinstance(deco, ast.Call):
                continue
            if dotted in (MOCK + "patch.dict",):
                continue
            if dotted == MOCK + "patch.multiple":
                return injected  # keyword arguments: stop mapping here
            which = self.names.patcher(deco)
            if which is None:
                continue
            new_pos = 1 if which == "patch" else 2
            if _kw(deco, "new", new_pos) is not None:
                continue
            if index >= len(params):
                return {}
            tracked = patch_result(deco, which, params[index], self.names)
            index += 1
            if tracked is not None:
                injected[params[index - 1]] = tracked
        return injected

    # -- configuration ---------------------------------------------------------------

    def _configure(self) -> None:
        parents: dict[int, ast.AST] = {}
        for node in self.nodes:
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
        for node in self.nodes:
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
                targets = (node.targets if isinstance(node, (ast.Assign, ast.Delete))
                           else [node.target])
                for target in targets:
                    self._configure_target(target)
            elif isinstance(node, ast.Call):
                chain = _chain(node.func)
                if chain and chain[0] in self.mocks and chain[1]:
                    t = self.mocks[chain[0]]
                    last = chain[1][-1]
                    if last in ("configure_mock", "attach_mock", "mock_add_spec", "reset_mock"):
                        if len(chain[1]) > 1:
                            t.configured.add(_norm(chain[1])[0])
                        elif last == "configure_mock" and all(k.arg for k in node.keywords):
                            for kw in node.keywords:
                                t.configured.add(_norm(str(kw.arg).split("."))[0])
                        else:
                            t.bulk = True
            elif isinstance(node, ast.Name) and node.id in self.mocks and isinstance(
                    node.ctx, ast.Load):
                if self._escapes(node, parents):
                    self.mocks[node.id].escaped = True

    def _configure_target(self, target: ast.expr) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._configure_target(elt)
            return
        if isinstance(target, ast.Subscript):
            target = target.value
        chain = _chain(target)
        if not chain or chain[0] not in self.mocks or not chain[1]:
            return
        t = self.mocks[chain[0]]
        parts = _norm(chain[1])
        t.configured.add(parts[0])
        if len(chain[1]) == 1 and isinstance(target, ast.Attribute):
            t.set_attrs.setdefault(chain[1][0], target)

    def _escapes(self, node: ast.Name, parents: dict[int, ast.AST]) -> bool:
        parent = parents.get(id(node))
        if isinstance(parent, ast.Attribute):
            return False
        if isinstance(parent, ast.Call) and parent.func is node:
            return False
        if isinstance(parent, (ast.Await, ast.Assert, ast.Expr, ast.Return, ast.Yield)):
            return False
        if isinstance(parent, (ast.withitem,)) and parent.context_expr is node:
            return False
        if isinstance(parent, (ast.AsyncFor, ast.For)) and parent.iter is node:
            return False
        if isinstance(parent, ast.Compare):
            return False
        if isinstance(parent, ast.Call) and self.names.patcher(parent):
            return False  # patch(..., new=m): what it holds is still what we know
        return True


def _copy(t: Tracked) -> Tracked:
    return Tracked(kind=t.kind, label=t.label, spec=t.spec, spec_names=t.spec_names,
                   spec_unknown=t.spec_unknown, spec_set=t.spec_set, autospec=t.autospec,
                   target=t.target, target_dotted=t.target_dotted,
                   configured=set(t.configured), bulk=t.bulk, escaped=t.escaped,
                   local=t.local, origin=t.origin,
                   set_attrs=dict(t.set_attrs))


def patch_result(call: ast.Call, which: str, label: str, names: Names) -> Tracked | None:
    """The mock a patch()/patch.object() call creates, when it creates one."""
    new_pos = 1 if which == "patch" else 2
    new = _kw(call, "new", new_pos)
    if new is not None:
        kind = names.mock_kind(new)
        if kind is None:
            return None
        assert isinstance(new, ast.Call)
        return _from_constructor(kind, new, label)
    new_callable = _kw(call, "new_callable", None)
    if new_callable is not None:
        kind = names.class_kind(new_callable)
        if kind is None:
            return None
        t = Tracked(kind=kind, label=label)
    else:
        t = Tracked(kind="patch", label=label)
    if which == "patch":
        target = _kw(call, "target", 0)
        if isinstance(target, ast.Constant) and isinstance(target.value, str) and \
                "." in target.value:
            owner, _, attr = target.value.rpartition(".")
            t.target_dotted = owner
            t.target = (None, attr)
        elif new_callable is None:
            return None
    else:
        owner_expr = _kw(call, "target", 0)
        attr = _kw(call, "attribute", 1)
        if owner_expr is not None and isinstance(attr, ast.Constant) and isinstance(
                attr.value, str):
            t.target = (owner_expr, attr.value)
        elif new_callable is None:
            return None
    spec = _kw(call, "spec", None)
    spec_set = _kw(call, "spec_set", None)
    autospec = _kw(call, "autospec", None)
    for value, is_set in ((spec, False), (spec_set, True)):
        if value is None or (isinstance(value, ast.Constant) and value.value is None):
            continue
        t.spec_set = t.spec_set or is_set
        if isinstance(value, ast.Constant) and value.value is True:
            t.autospec = False
            t.spec_unknown = True  # spec=True: the target itself (resolved on demand)
            t.kind = "MagicMock" if t.kind == "patch" else t.kind
        else:
            _set_spec(t, value)
    if autospec is not None and not (isinstance(autospec, ast.Constant) and not autospec.value):
        t.autospec = True
        t.spec_unknown = True
    for kw in call.keywords:
        if kw.arg is None:
            t.bulk = True
        elif kw.arg not in ("target", "attribute", "new", "spec", "create", "spec_set",
                            "autospec", "new_callable"):
            if kw.arg in ("return_value", "side_effect"):
                t.configured.add("return_value")
            else:
                t.configured.add(kw.arg.split(".")[0])
    return t


# -- fixtures that hand out mocks ------------------------------------------------------


def _fixture_name(func: FunctionNode, imports: ImportTable) -> str | None:
    """The name of a fixture with one value (not parametrized), else None."""
    deco = fixture_decorator(func, imports.resolve)
    if deco is None or (isinstance(deco, ast.Call) and any(
            k.arg == "params" for k in deco.keywords)):
        return None
    return fixture_name(func, deco)


def fixture_mocks(body: list[ast.stmt], imports: ImportTable, local: bool,
                  known: dict[str, Tracked], syntax: Syntax, origin: str | None = None,
                  ) -> dict[str, Tracked | None]:
    """Fixture name -> the mock it returns or yields (None: a fixture that hands out no mock)."""
    found: dict[str, Tracked | None] = {}
    for stmt in body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        name = _fixture_name(stmt, imports)
        if name is None:
            continue
        mockers = {p for p in _all_params(stmt) if p in MOCKER_NAMES}
        scope = ScopeMocks(stmt, Names(imports, mockers), known, False, syntax)
        outputs: list[ast.expr | None] = []
        for node in scope.nodes:
            if isinstance(node, (ast.Return, ast.Yield)):
                outputs.append(node.value)
            elif isinstance(node, ast.YieldFrom):
                outputs.append(None)
        result: Tracked | None = None
        if len(outputs) == 1 and outputs[0] is not None:
            out = outputs[0]
            if isinstance(out, ast.Name) and out.id in scope.mocks:
                result = scope.mocks[out.id]
            else:
                result = scope._created(out, name)
        if result is not None:
            result = _copy(result)
            result.label = name
            result.local = local
            if not local:
                result.origin = result.origin or origin
                if result.target is not None and result.target[0] is not None:
                    result.target = None  # patch.object(X, ...) in a conftest: X unknown here
                    result.spec_unknown = result.spec_unknown or result.autospec
                    if result.kind == "patch":
                        result.kind = "unknown"
        found[name] = result
    return found


@functools.lru_cache(maxsize=64)
def _conftest_mocks(
        chain: tuple[tuple[str, ast.Module], ...]) -> tuple[tuple[str, Tracked | None], ...]:
    known: dict[str, Tracked | None] = {}
    for path, tree in chain:  # farthest first: nearer conftests override
        imports = ImportTable(tree)
        ok = {k: v for k, v in known.items() if v is not None}
        known.update(fixture_mocks(tree.body, imports, False, ok, of_tree(tree), origin=path))
    return tuple(known.items())


_MOCK_WORDS = (MOCK_MODULE_NAMES | REAL_ASSERTS | FAKE_ASSERTS | FAKE_AWAIT_ASSERTS | MOCKER_NAMES
               | {"mock", "create_autospec", "spec", "spec_set", "autospec"})


_MOCK_WORD = re.compile(r"\b(?:%s)\b" % "|".join(sorted(_MOCK_WORDS)))


def _mentions_mocks(syntax: Syntax) -> bool:
    return (any(n.id in _MOCK_WORDS for n in syntax.of_type(ast.Name))  # type: ignore
            or any(n.attr in _MOCK_WORDS for n in syntax.of_type(ast.Attribute))  # type: ignore
            or any(n.name.split(".")[-1] in _MOCK_WORDS  # type: ignore
                   for n in syntax.of_type(ast.alias))
            or any(n.arg in MOCKER_NAMES for n in syntax.of_type(ast.arg)))  # type: ignore


class MockRules(Family):
    name = "mocks"

    def wants(self) -> bool:
        if _mentions_mocks(self.ctx.syntax):
            return True
        return any(v is not None for _, v in _conftest_mocks(self.ctx.conftests))

    def check(self) -> Iterator[Finding]:
        ctx = self.ctx
        yield from self._pytest_namespace()
        inherited: dict[str, Tracked] = {
            k: v for k, v in _conftest_mocks(ctx.conftests) if v is not None}
        module_fixtures = fixture_mocks(ctx.tree.body, ctx.imports, True, inherited, ctx.syntax)
        for name, value in module_fixtures.items():
            if value is None:
                inherited.pop(name, None)
            else:
                inherited[name] = value
        inherited = _without_parametrized(inherited, _pytestmarks(ctx, ctx.tree.body), ctx)
        defined = set(module_fixtures) | {k for k, _ in _conftest_mocks(ctx.conftests)}
        mocker_fixtures = {n for n in defined if n in MOCKER_NAMES}  # a project's own 'mocker'

        yield from self._walk(ctx.tree.body, inherited, mocker_fixtures, in_class=False)
        yield from self._unreferenced_asserts()

    def _walk(self, body: list[ast.stmt], inherited: dict[str, Tracked], overridden: set[str],
              in_class: bool) -> Iterator[Finding]:
        for stmt in body:
            if isinstance(stmt, ast.ClassDef):
                fixtures = fixture_mocks(stmt.body, self.ctx.imports, True, inherited,
                                         self.ctx.syntax)
                scoped = _without_parametrized(
                    dict(inherited), stmt.decorator_list + _pytestmarks(self.ctx, stmt.body),
                    self.ctx)
                for name, value in fixtures.items():
                    if value is None:
                        scoped.pop(name, None)
                    else:
                        scoped[name] = value
                yield from self._walk(stmt.body, scoped, overridden, in_class=True)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from self._function(stmt, inherited, overridden, in_class)

    def _function(self, func: FunctionNode, inherited: dict[str, Tracked], overridden: set[str],
                  in_class: bool) -> Iterator[Finding]:
        ctx = self.ctx
        params = _all_params(func)
        given = _without_parametrized(dict(inherited), func.decorator_list, ctx)
        if ctx.is_fixture(func) and func.name in given:
            given.pop(func.name)  # a fixture asking for the one it overrides
        mockers = {p for p in params if p in MOCKER_NAMES and p not in overridden}
        nodes = ctx.syntax.scope_nodes(func, headers=False)
        if mockers or params & given.keys() or self._mentions_mocks(func):
            names = Names(ctx.imports, mockers)
            static = any(ctx.resolve(d) == "staticmethod" for d in func.decorator_list)
            is_method = in_class and not static
            scope = ScopeMocks(func, names, given, is_method, ctx.syntax)
            checker = ScopeChecker(self, scope, names)
            yield from checker.run()
        for node in nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from self._function(node, {}, overridden, in_class=False)
            elif isinstance(node, ast.ClassDef):
                yield from self._walk(node.body, {}, overridden, in_class=True)

    def _mentions_mocks(self, func: FunctionNode) -> bool:
        """Does the function's text (decorators included) name anything mock-like?"""
        first = min([func.lineno, *(d.lineno for d in func.decorator_list)])
        text = "".join(self.ctx.lines[first - 1:func.end_lineno or func.lineno])
        return _MOCK_WORD.search(text) is not None

    # -- AT303 -----------------------------------------------------------------------

    def _pytest_namespace(self) -> Iterator[Finding]:
        for node in self.ctx.syntax.of_type(ast.Attribute, ast.ImportFrom):
            if isinstance(node, ast.Attribute) and node.attr in MOCK_MODULE_NAMES:
                if self.ctx.resolve(node.value) == "pytest":
                    yield Finding(node.lineno, node.col_offset, "AT303", "attribute",
                                  {"name": node.attr})
            elif isinstance(node, ast.ImportFrom) and node.module == "pytest" and not node.level:
                for alias in node.names:
                    if alias.name in MOCK_MODULE_NAMES:
                        yield Finding(node.lineno, node.col_offset, "AT303", "import",
                                      {"name": alias.name})

    # -- AT305: assertion methods referenced, not called ------------------------------

    def _unreferenced_asserts(self) -> Iterator[Finding]:
        for node in self.ctx.syntax.of_type(ast.Expr, ast.Assert):
            expr = None
            if isinstance(node, ast.Expr):
                expr = node.value
            elif isinstance(node, ast.Assert):
                expr = node.test
            if isinstance(expr, ast.Attribute) and expr.attr in REAL_ASSERTS:
                yield Finding(expr.lineno, expr.col_offset, "AT305", "not-called",
                              {"attr": expr.attr})


def _pytestmarks(ctx: FileContext, body: list[ast.stmt]) -> list[ast.expr]:
    marks: list[ast.expr] = []
    for value in ctx.pytestmark_values(body):
        marks.extend(value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value])
    return marks


def _without_parametrized(given: dict[str, Tracked], decorators: list[ast.expr],
                          ctx: FileContext) -> dict[str, Tracked]:
    """parametrize (or a mark we cannot read) overrides fixtures of the same name."""
    for deco in decorators:
        if isinstance(deco, ast.Call) and (ctx.resolve(deco) or "").endswith(".parametrize"):
            for name in list(given):
                if not deco.args or name in ast.dump(deco.args[0]):
                    given.pop(name)
    return given


class ScopeChecker:
    """The per-function checks: awaits, spec drift, fake assertions, replacements."""

    def __init__(self, family: MockRules, scope: ScopeMocks, names: Names) -> None:
        self.family = family
        self.ctx: FileContext = family.ctx
        self.scope = scope
        self.names = names
        self.mocks = scope.mocks
        self._spec_cache: dict[int, object] = {}
        self._bound_names: dict[int, str] | None = None
        self._configured: tuple[set[str], set[str]] | None = None

    def run(self) -> Iterator[Finding]:
        asserted: set[int] = set()
        for node in self.scope.nodes:
            if isinstance(node, ast.Await):
                yield from self._await(node.value, node, "await")
            elif isinstance(node, ast.AsyncWith):
                for item in node.items:
                    yield from self._await(item.context_expr, item.context_expr, "async with")
            elif isinstance(node, ast.AsyncFor):
                yield from self._await(node.iter, node.iter, "async for")
            elif isinstance(node, ast.Assert) and isinstance(node.test, ast.Call):
                asserted.add(id(node.test))
            if isinstance(node, ast.Call):
                yield from self._fake_assert(node)
                yield from self._replacement(node)
            elif isinstance(node, ast.Assign):
                yield from self._assigned(node)
            if isinstance(node, ast.Attribute):
                yield from self._spec_drift(node)
        for deco in self.scope.func.decorator_list:
            if isinstance(deco, ast.Call):
                yield from self._replacement(deco)

    # -- AT300 -----------------------------------------------------------------------

    def _await(self, expr: ast.expr, at: ast.AST, how: str) -> Iterator[Finding]:
        chain = _chain(expr)
        if chain is not None and chain[0] not in self.mocks:
            self._unknown_value(chain[0], at)
        if chain is None or chain[0] not in self.mocks:
            return
        t = self.mocks[chain[0]]
        parts = chain[1]
        if t.bulk or t.escaped or any(p.startswith("__") for p in parts):
            return
        norm = _norm(parts)
        if norm and norm[0] in t.configured:
            return
        if not norm and how == "await" and t.configured & {"return_value"}:
            pass
        kind = self._kind(t)
        if kind is None:
            return
        if how != "await" and kind not in ("Mock", "NonCallableMock"):
            return  # MagicMock supports async with / async for
        if kind == "AsyncMock":
            return
        if t.specced:
            if how != "await" or len(parts) != 2 or parts[1] != "return_value":
                return
            attr = parts[0]
            value = self._spec_member(t, attr)
            if value is None or attr in t.set_attrs:
                return
            func = inference.plain_function(value)
            if func is None or inference.is_async_def(func):
                return
            yield Finding(at.lineno, at.col_offset, "AT300", "spec-child",
                          {"name": self._dotted(expr), "kind": kind, "attr": attr})
            return
        if not parts and kind.startswith("NonCallable") is False and how == "await":
            pass
        child = kind.replace("NonCallable", "") if parts else kind
        if how == "await":
            yield Finding(at.lineno, at.col_offset, "AT300", "await",
                          {"name": self._dotted(expr), "kind": child})
        else:
            yield Finding(at.lineno, at.col_offset, "AT300", "async-protocol",
                          {"name": self._dotted(expr), "kind": child, "statement": how})

    def _unknown_value(self, name: str, at: ast.AST) -> None:
        """Record why AT300 says nothing about a name the file binds to two things (or a
        local made from one): `try: from app import F` / `except ImportError: F = Mock`."""
        values = self.scope.bindings.get(name, [])
        if len(values) == 1 and isinstance(values[0], ast.Call):
            found = _chain(values[0].func)  # factory = Factory()
            if found is None:
                return
            name = found[0]
        elif values:
            return  # a local or a parameter: not the module's name
        lines = self.ctx.imports.ambiguous.get(name)
        if lines:
            where = ", ".join(map(str, lines))
            self.ctx.silent(at, "AT300", f"value of {name} is unknown: bound differently at "
                                         f"lines {where}")

    def _kind(self, t: Tracked) -> str | None:
        if t.kind in ALL_KINDS:
            return t.kind
        if t.kind != "patch":
            return None
        value = self._target_value(t)
        if value is None:
            return None
        if inference.is_class(value):
            return "MagicMock" if inference.class_is_closed(value) is not None else None
        func = inference.plain_function(value)
        if func is None:
            return None
        if inference.is_async_def(func):
            return "AsyncMock" if inference.is_coroutine_function(func) else None
        return "MagicMock"

    def _target_owner(self, t: Tracked):
        if t.target is None:
            return None
        owner_expr, _attr = t.target
        if owner_expr is None:
            if not t.target_dotted:
                return None
            return inference.resolve_dotted(t.target_dotted)
        found = self._owner(owner_expr)
        if found is None:
            held = self._held(owner_expr, "AT301")
            cls = inference.resolve_dotted(held.cls) if held is not None else None
            found = (cls, True) if inference.is_class(cls) else None
        if found is None:
            return None
        if found[1] and inference.instance_attribute(found[0], t.target[1]):
            return None  # set on instances: the class's method is not what gets replaced
        return found[0]

    def _owner(self, expr: ast.expr):
        """(module or class, is an instance) that `expr` of this file certainly is, or None.

        Values that come from a parameter of the function being checked (a fixture, an
        argument) are not inferred: astroid cannot know what pytest passes.
        """
        if self._from_parameter(expr):
            return None
        node = self.ctx.astroid_node(expr)
        return inference.owner_of(node) if node is not None else None

    def _target_value(self, t: Tracked):
        owner = self._target_owner(t)
        if owner is None:
            return None
        status, value = inference.member(owner, t.target[1])  # type: ignore[index]
        return value if status == "present" else None

    def _dotted(self, expr: ast.expr) -> str:
        try:
            return ast.unparse(expr)
        except Exception:  # pragma: no cover - unparse of a parsed tree
            return "mock"

    # -- spec lookups ------------------------------------------------------------------

    def _spec_class(self, t: Tracked):
        """The astroid class a mock is spec'd on, or None."""
        key = id(t)
        if key in self._spec_cache:
            return self._spec_cache[key]
        result = None
        if t.local or t.origin:
            if t.spec is not None:
                dotted = self._imported(t.spec) if t.local else None
                if dotted is not None:
                    value = inference.resolve_dotted(dotted)
                else:
                    node = self._node(t, t.spec)
                    value = inference.safe_infer(node) if node is not None else None
                if inference.is_class(value):
                    result = value
            elif t.spec_unknown and t.target is not None:  # autospec=True / spec=True
                value = self._target_value(t)
                if inference.is_class(value):
                    result = value
        self._spec_cache[key] = result
        return result

    def _imported(self, expr: ast.expr) -> str | None:
        """The dotted name of an expression of this function spelled through an import
        (resolved without building this file for astroid), or None."""
        func = self.scope.func
        if not func.lineno <= expr.lineno <= (func.end_lineno or func.lineno):
            return None  # from another function (a fixture): its own names may differ
        dotted = self.ctx.static_dotted(expr, self.scope.bindings)
        if dotted is None or dotted.startswith(self.ctx.modname + "."):
            return None
        return dotted

    def _node(self, t: Tracked, expr: ast.expr):
        """The astroid node of an expression of this file or of the conftest it came from."""
        if t.local:
            return self.ctx.astroid_node(expr)
        if not t.origin:
            return None
        kind = "Name" if isinstance(expr, ast.Name) else type(expr).__name__
        return inference.node_in_file(t.origin, project.import_base(t.origin)[1],
                                      expr.lineno, expr.col_offset, kind)

    def _spec_member(self, t: Tracked, attr: str):
        cls = self._spec_class(t)
        if cls is None:
            return None
        status, value = inference.member(cls, attr)
        return value if status == "present" else None

    # -- AT304 -----------------------------------------------------------------------

    def _spec_drift(self, node: ast.Attribute) -> Iterator[Finding]:
        if not isinstance(node.value, ast.Name) or node.value.id not in self.mocks:
            return
        t = self.mocks[node.value.id]
        attr = node.attr
        if not t.specced or t.bulk or attr.startswith("_") or attr in MOCK_API:
            return
        if attr.startswith(("assert", "assret", "asert", "aseert", "assrt")):
            return  # mock raises its own AttributeError for these
        if isinstance(node.ctx, ast.Store):
            if not t.spec_set:
                return
        elif not t.spec_set and (attr in t.configured or t.escaped):
            return  # set here, or perhaps by the code it was handed to
        fields: dict[str, object] = {
            "attr": attr, "mock": node.value.id,
            "access": "setting" if isinstance(node.ctx, ast.Store) else "reading"}
        if t.spec_names is not None:
            if attr not in t.spec_names:
                yield Finding(node.lineno, node.col_offset, "AT304", "spec-list", fields)
            return
        cls = self._spec_class(t)
        if cls is None:
            return
        names = inference.class_attribute_names(cls)
        if names is None or attr in inference.annotated_names(cls) or attr in names:
            return
        variant = ("spec-instance-only" if inference.instance_attribute(cls, attr)
                   else "spec-class")
        yield Finding(node.lineno, node.col_offset, "AT304", variant, {**fields, "cls": cls.name})

    def _missing_target(self, call: ast.Call, which: str) -> Iterator[Finding]:
        """AT304: the patch target does not exist. Dunder names are left alone (modules and
        classes get __file__, __name__, ... from Python, not from their source), and so are
        builtin names patched on a module: mock creates those by itself."""
        if _truthy_const(_kw(call, "create", None)):
            return
        if any(kw.arg is None for kw in call.keywords):
            return
        if which == "patch":
            target = _kw(call, "target", 0)
            if not (isinstance(target, ast.Constant) and isinstance(target.value, str)):
                return
            owner_name, _, attr = target.value.rpartition(".")
            if not owner_name or not attr or resolver.attribute(
                    owner_name, attr) == resolver.PRESENT:
                return
            owner = inference.resolve_dotted(owner_name)
            label = owner_name
        else:
            owner_expr = _kw(call, "target", 0)
            attr_node = _kw(call, "attribute", 1)
            if owner_expr is None or not (isinstance(attr_node, ast.Constant)
                                          and isinstance(attr_node.value, str)):
                return
            attr = attr_node.value
            # Modules and classes spelled through an import or a top-level definition, and
            # instances the value model can follow (fixtures, `self` attributes, locals).
            dotted = self.ctx.static_dotted(owner_expr, self.scope.bindings)
            if dotted is None:
                yield from self._missing_on_instance(call, owner_expr, attr)
                return
            if resolver.attribute(dotted, attr) == resolver.PRESENT:
                return
            found = self._owner(owner_expr)
            if found is None or found[1]:
                return
            owner = found[0]
            label = self._dotted(owner_expr)
        if owner is None or (attr.startswith("__") and attr.endswith("__")):
            return
        if attr in resolver.BUILTIN_NAMES and inference.is_module(owner):
            return
        status, _ = inference.member(owner, attr, want_value=False)
        if status == "missing":
            yield Finding(call.lineno, call.col_offset, "AT304", "patch-target",
                          {"owner": label, "attr": attr})

    def _missing_on_instance(self, call: ast.Call, owner_expr: ast.expr,
                             attr: str) -> Iterator[Finding]:
        """AT304 for `patch.object(obj, "name")` where obj is an instance of a class whose
        source (and whose ancestors') binds `name` nowhere, on the class or on self."""
        if attr.startswith("__") and attr.endswith("__"):
            return
        held = self._held(owner_expr, "AT304")
        if held is None:
            return
        label = self._dotted(owner_expr)
        ancestors = resolver.class_ancestors(held.cls)
        if ancestors is None or any(attr in facts.kinds or attr in facts.self_names
                                    for facts in ancestors.values()):
            return
        if self._touched(label, call):
            self.ctx.silent(call, "AT304", f"{label} is assigned to or handed to other code "
                                           f"in this function, which may set {attr}")
            return
        cls = inference.resolve_dotted(held.cls)
        if not inference.is_class(cls) or inference.sets_attributes_dynamically(cls):
            return
        status, _ = inference.member(cls, attr, want_value=False)
        if status == "missing" and not inference.instance_attribute(cls, attr):
            yield Finding(call.lineno, call.col_offset, "AT304", "instance-target",
                          {"owner": label, "cls": held.cls, "attr": attr})

    def _touched(self, label: str, patcher: ast.Call) -> bool:
        """Is `label` (an instance) given an attribute, or handed to code other than
        patchers, in this function?"""
        for node in self.scope.nodes:
            targets: list[ast.expr] = []
            if isinstance(node, (ast.Assign, ast.Delete)):
                targets = list(node.targets)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            elif isinstance(node, ast.Call) and node is not patcher and (
                    self.names.patcher(node) is None):
                args = [*node.args, *(k.value for k in node.keywords)]
                if any(self._dotted(arg) == label for arg in args):
                    return True
            if any(self._dotted(t).startswith(label + ".") for t in targets):
                return True
        return False

    def _held(self, expr: ast.expr, code: str) -> Instance | None:
        """The instance an argument, a local or `self.attr` of this function holds, when
        the value model can tell (the reason is recorded when it cannot)."""
        func = self.scope.func
        enclosing = self.ctx.syntax.enclosing(func)
        cls = enclosing if isinstance(enclosing, ast.ClassDef) else None
        values = self.ctx.values
        value: Instance | Unknown | None = None
        if isinstance(expr, ast.Name):
            bound = self.scope.bindings.get(expr.id, [])
            if bound == ["param"]:
                value = values.parameter(func, cls, expr.id)
            elif len(bound) == 1 and isinstance(bound[0], ast.Call):
                value = values.local(func, expr.id)
        elif (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name)
              and expr.value.id == "self" and cls is not None):
            value = values.self_attribute(cls, expr.attr)
        if isinstance(value, Unknown):
            self.ctx.silent(expr, code, f"value of {self._dotted(expr)} is unknown: "
                                        f"{value.reason}")
        return value if isinstance(value, Instance) else None

    # -- AT305 -----------------------------------------------------------------------

    def _fake_assert(self, call: ast.Call) -> Iterator[Finding]:
        if not isinstance(call.func, ast.Attribute):
            return
        attr = call.func.attr
        if attr not in FAKE_ASSERTS and attr not in FAKE_AWAIT_ASSERTS:
            return
        chain = _chain(call.func.value)
        if chain is None or chain[0] not in self.mocks:
            return
        t = self.mocks[chain[0]]
        if t.specced and not chain[1]:
            return  # a spec'd mock raises AttributeError for names outside its spec
        if t.autospec:
            return
        if attr in t.configured and not chain[1]:
            return
        variant = "fake-await-assert" if attr in FAKE_AWAIT_ASSERTS else "fake-assert"
        yield Finding(call.lineno, call.col_offset, "AT305", variant, {"attr": attr})

    # -- AT301 / AT302 -----------------------------------------------------------------

    def _replacement(self, call: ast.Call) -> Iterator[Finding]:
        which = self.names.patcher(call)
        if which is None:
            return
        yield from self._missing_target(call, which)
        new_pos = 1 if which == "patch" else 2
        new = _kw(call, "new", new_pos)
        kind: str | None = None
        if new is not None:
            kind = self._replacement_kind(new)
        else:
            kind = self.names.class_kind(_kw(call, "new_callable", None))
            if kind is not None and any(k.arg in ("return_value", "side_effect", "spec",
                                                  "spec_set", "autospec", "wraps")
                                        or k.arg is None for k in call.keywords):
                kind = None
        if kind is None:
            return
        t = patch_result(call, which, "target", self.names) if new is None else Tracked(
            kind=kind, label="target")
        if t is None:
            return
        if new is not None:
            if which == "patch":
                target = _kw(call, "target", 0)
                if not (isinstance(target, ast.Constant) and isinstance(target.value, str)):
                    return
                owner, _, attr = target.value.rpartition(".")
                t.target_dotted, t.target = owner, (None, attr)
            else:
                owner_expr, attr_node = _kw(call, "target", 0), _kw(call, "attribute", 1)
                if owner_expr is None or not (isinstance(attr_node, ast.Constant)
                                              and isinstance(attr_node.value, str)):
                    return
                t.target = (owner_expr, attr_node.value)
        if t.target is None:
            return
        package = t.target_dotted.split(".")[0] if t.target_dotted else None
        owner = t.target_dotted or (self.ctx.static_dotted(t.target[0], self.scope.bindings)
                                    if t.target[0] is not None else None)
        if not self._may_judge(kind, t.target[1], package,
                               dotted=f"{owner}.{t.target[1]}" if owner else None):
            return
        bound = self._bound_name(call)
        if bound is not None and (bound not in self.mocks or self._reconfigured(bound)):
            return  # the mock it hands out is configured (or handed on) afterwards
        value = self._target_value(t)
        label = (f"{t.target_dotted}.{t.target[1]}" if t.target_dotted  # type: ignore[index]
                 else f"{self._dotted(t.target[0])}.{t.target[1]}")  # type: ignore[index]
        yield from self._judge(value, kind, call, label)

    def _bound_name(self, call: ast.Call) -> str | None:
        """The name a patcher's mock is bound to (`with ... as m`, `m = mocker.patch(...)`)."""
        if self._bound_names is None:  # one walk per function, not one per patcher
            self._bound_names = {}
            for node in self.scope.nodes:
                if isinstance(node, (ast.With, ast.AsyncWith)):
                    for item in node.items:
                        if item.optional_vars is not None:
                            var = item.optional_vars
                            self._bound_names.setdefault(
                                id(item.context_expr), var.id if isinstance(var, ast.Name) else "?")
                elif isinstance(node, ast.Assign):
                    target = node.targets[0]
                    self._bound_names.setdefault(
                        id(node.value), target.id if isinstance(target, ast.Name) else "?")
        return self._bound_names.get(id(call))

    def _reconfigured(self, name: str) -> bool:
        t = self.mocks[name]
        return bool(t.bulk or t.escaped or t.configured & {"return_value"})

    def _configured_text(self, text: str) -> bool:
        """Is `text` (like 'conn.method') configured or handed on anywhere in this function?"""
        if self._configured is None:  # one walk per function, not one per question
            below: set[str] = set()  # texts with an assignment or configure call below them
            handed: set[str] = set()  # names passed as arguments (texts are attributes)
            for node in self.scope.nodes:
                targets: list[ast.expr] = []
                if isinstance(node, (ast.Assign, ast.Delete)):
                    targets = list(node.targets)
                elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                    targets = [node.target]
                elif isinstance(node, ast.Call):
                    last = node.func.attr if isinstance(node.func, ast.Attribute) else ""
                    if last in ("configure_mock", "attach_mock", "mock_add_spec"):
                        targets = [node.func]
                    handed.update(self._dotted(arg)
                                  for arg in [*node.args, *(k.value for k in node.keywords)]
                                  if isinstance(arg, (ast.Name, ast.Attribute)))
                for target in targets:
                    dotted = self._dotted(target)
                    below.update(dotted[:i] for i, ch in enumerate(dotted) if ch == ".")
            self._configured = (below, handed)
        below, handed = self._configured
        return text in below or text in handed

    def _replacement_kind(self, new: ast.expr) -> str | None:
        """The kind of an unconfigured mock given as a replacement."""
        if isinstance(new, ast.Call):
            kind = self.names.mock_kind(new)
            if kind is None:
                return None
            t = _from_constructor(kind, new, "new")
        elif isinstance(new, ast.Name) and new.id in self.mocks:
            t = self.mocks[new.id]
            kind = t.kind
        else:
            return None
        configured = t.configured & {"return_value"} and not (
            t.literal_return and kind in ("Mock", "MagicMock"))  # `await True` fails too
        if t.bulk or t.escaped or configured or t.specced or kind not in ALL_KINDS:
            return None
        return kind

    def _from_parameter(self, expr: ast.expr, depth: int = 0) -> bool:
        """`arg.x`, `arg().y`, or a local assigned from one, for a parameter `arg`."""
        while isinstance(expr, (ast.Attribute, ast.Call, ast.Subscript, ast.Await)):
            expr = expr.func if isinstance(expr, ast.Call) else expr.value
        if not isinstance(expr, ast.Name) or expr.id in ("self", "cls") or depth > 5:
            return False
        values = self.scope.bindings.get(expr.id, [])
        if len(values) != 1:
            return False
        if values[0] == "param":
            return True
        return isinstance(values[0], ast.expr) and self._from_parameter(values[0], depth + 1)

    def _may_judge(self, kind: str, attr: str, package: str | None = None,
                   dotted: str | None = None) -> bool:
        """Can replacing `attr` (of `dotted`, when known) by this kind of mock be AT301 or
        AT302 at all? From source alone: AT301 needs an async def, AT302 a def."""
        if kind not in ("Mock", "MagicMock", "AsyncMock"):
            return False
        if not self.ctx.may_define(attr, kind != "AsyncMock", package):
            return False
        written = resolver.kinds_of(dotted) if dotted else None
        needed = DEF if kind == "AsyncMock" else ASYNC_DEF
        return written is None or needed in written

    def _static_class(self, expr: ast.expr) -> str | None:
        """The dotted name of the class `expr` is, or is an instance of (`Cls(...)`, or a
        local assigned from it), read from source alone."""
        if isinstance(expr, ast.Name):
            values = self.scope.bindings.get(expr.id, [])
            if len(values) == 1 and isinstance(values[0], ast.Call):
                expr = values[0]
        if isinstance(expr, ast.Call):
            expr = expr.func
        return self.ctx.static_dotted(expr, self.scope.bindings)

    def _judge(self, value, kind: str, at: ast.AST, label: str) -> Iterator[Finding]:
        func = inference.plain_function(value)
        if func is None:
            return
        if (kind in ("Mock", "MagicMock") and inference.is_coroutine_function(func)
                and self._runs_coroutines()):
            yield Finding(at.lineno, at.col_offset, "AT301", ONLY, {"target": label, "kind": kind})
        elif kind == "AsyncMock" and not inference.is_async_def(func) \
                and inference.surely_not_awaitable(func):
            yield Finding(at.lineno, at.col_offset, "AT302", ONLY, {"target": label})

    def _runs_coroutines(self) -> bool:
        """Can code run from this function await the replacement? A sync test that never
        starts a loop may use a sync mock on purpose, to record calls without a coroutine."""
        func = self.scope.func
        if isinstance(func, ast.AsyncFunctionDef):
            return True
        for node in self.scope.nodes:
            if isinstance(node, ast.Call):
                dotted = self.ctx.resolve(node.func) or ""
                if dotted.endswith(("run_until_complete", "asyncio.run", "anyio.run",
                                    "trio.run", "async_to_sync")):
                    return True
        return False

    def _assigned(self, node: ast.Assign) -> Iterator[Finding]:
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Attribute):
            return
        target = node.targets[0]
        kind = self._replacement_kind(node.value)
        cls = self._static_class(target.value)
        if kind is None or not self._may_judge(
                kind, target.attr, dotted=f"{cls}.{target.attr}" if cls else None):
            return
        if self._configured_text(self._dotted(target)):
            return
        chain = _chain(target.value)
        if chain is not None and chain[0] in self.mocks:
            t = self.mocks[chain[0]]
            if chain[1] or not t.specced or t.bulk or t.escaped:
                return
            value = self._spec_member(t, target.attr)
            cls = self._spec_class(t)
            label = f"{cls.name}.{target.attr}" if cls is not None else target.attr
        else:
            if chain is None:
                return
            found = self._owner(target.value)
            if found is None:
                return
            owner, is_instance = found
            if (inference.qname(owner) or "").startswith("unittest.mock"):
                return
            if is_instance and inference.instance_attribute(owner, target.attr):
                return
            status, value = inference.member(owner, target.attr)
            if status != "present":
                return
            label = f"{self._dotted(target.value)}.{target.attr}"
        yield from self._judge(value, kind, node, label)
