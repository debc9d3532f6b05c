"""What a name holds when it is a mock, per function (test, fixture or helper): names bound
once to a mock constructor, a patcher (`with patch(...) as m`, decorator arguments,
`mocker.patch(...)`), or a fixture parameter whose fixture (this module or a conftest.py
above it) returns or yields such a mock. A mock passed elsewhere, rebound, or configured in
bulk is not tracked any more for the rules that need to know what it holds.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterable, Iterator

from ..context import FunctionNode
from ..imports import ImportTable
from ..mock_names import MOCK, MOCKER_NAMES
from ..syntax import Syntax, child_nodes, of_tree
from .bindings import bindings
from .fixtures import FIXTURE_DECORATORS, fixture_decorator, fixture_name
from .tracked import (
    Names, Tracked, all_params, attr_chain, copy_tracked, from_constructor, keyword,
    norm_parts, patch_result, positional_params, set_spec, truthy_const,
)


class ScopeMocks:
    """The tracked mocks of one function."""

    def __init__(self, func: FunctionNode, names: Names, inherited: dict[str, Tracked],
                 is_method: bool, syntax: Syntax) -> None:
        self.func = func
        self.names = names
        # The function's own nodes: not those of nested functions, classes and lambdas,
        # nor their decorators and defaults.
        self.nodes = syntax.scope_nodes(func, headers=False)
        self._syntax = syntax
        self.mocks: dict[str, Tracked] = {}
        self._bind(func, inherited, is_method)
        if self.mocks:
            self._configure()

    # -- bindings ------------------------------------------------------------------

    def _bind(self, func: FunctionNode, inherited: dict[str, Tracked], is_method: bool) -> None:
        # name -> each way it is bound, read by the one binding reader: "param", ("with",
        # expr), the value assigned, or None for any other binding
        self.bound = bindings(func, self.nodes)
        self.bindings = mock_bindings(self.bound)
        params = positional_params(func)
        injected = self._decorator_args(func, params[1:] if is_method else params)
        self.paths = self._attribute_mocks()
        for name, values in self.bindings.items():
            if len(values) != 1:
                continue
            value = values[0]
            tracked: Tracked | None = None
            if value == "param":
                tracked = injected.get(name) or inherited.get(name)
                if tracked is not None:
                    tracked = copy_tracked(tracked)
            elif isinstance(value, tuple) and value[0] == "with":
                tracked = self._patch_mock(value[1], name)
            elif isinstance(value, ast.expr):
                tracked = self._created(value, name)
            if tracked is not None:
                self.mocks[name] = tracked

    def _attribute_mocks(self) -> dict[str, Tracked]:
        """Mocks set once on an attribute of a local object (`conn.queue = AsyncMock()`),
        by dotted path; a path set twice, or below `self`, is not one of them."""
        found: dict[str, list[ast.expr | None]] = {}
        for node in self.nodes:
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.Delete)):
                targets = node.targets if isinstance(node, ast.Delete) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute):
                    path = attr_chain(target)
                    if path is not None and path[0] != "self" and "return_value" not in path[1]:
                        dotted = ".".join([path[0], *path[1]])
                        found.setdefault(dotted, []).append(value if len(targets) == 1 else None)
        tracked: dict[str, Tracked] = {}
        for dotted, values in found.items():
            root = dotted.split(".")[0]
            if len(values) != 1 or values[0] is None or root in self.mocks:
                continue
            made = self._created(values[0], dotted)
            if made is not None:
                tracked[dotted] = made
        return tracked

    def _created(self, value: ast.expr, label: str) -> Tracked | None:
        names = self.names
        kind = names.mock_kind(value)
        if kind is not None:
            assert isinstance(value, ast.Call)
            return from_constructor(kind, value, label)
        if isinstance(value, ast.Call):
            dotted = names.dotted(value)
            if dotted == MOCK + "create_autospec" and value.args:
                t = Tracked(kind="MagicMock", label=label, autospec=True)
                set_spec(t, value.args[0])
                t.spec_set = truthy_const(keyword(value, "spec_set", 1))
                for kw in value.keywords:
                    if kw.arg is None:
                        t.bulk = True
                    elif kw.arg not in ("spec", "spec_set", "instance", "unsafe"):
                        t.configured.add(kw.arg.split(".")[0])
                if len(value.args) > 3:
                    t.bulk = True
                return t
            chain = attr_chain(value.func)
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
            if keyword(deco, "new", new_pos) is not None:
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
        record_uses({(name, ): t for name, t in self.mocks.items()}, self.nodes,
                    _parents(self.nodes), self.names)
        for nodes, shadowed in self._closures():
            for name in shadowed & self.mocks.keys():
                if any(isinstance(n, ast.Nonlocal) and name in n.names for n in nodes):
                    self.mocks[name].escaped = True  # rebound from inside: not followed
            tracked = {(name, ): t for name, t in self.mocks.items() if name not in shadowed}
            if tracked:
                record_uses(tracked, nodes, _parents(nodes), self.names)

    def _closures(self) -> Iterator[tuple[list[ast.AST], set[str]]]:
        """The nodes of each function or lambda defined in this one, at any depth, and the
        names bound there or in a scope between (which hide this function's): a closure
        sees the mocks this function binds, and what it does to one counts (pyatv's
        fixture yields a helper that sets `obj.pairing` to a real handler)."""
        syntax = self._syntax
        bound: dict[int, set[str]] = {}
        for scope in syntax.nested(self.func):
            if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            nodes = syntax.scope_nodes(scope, headers=False)
            names = set(bindings(scope, nodes))
            outer = syntax.enclosing(scope)
            while outer is not None and outer is not self.func:
                names |= bound.get(id(outer), set())
                outer = syntax.enclosing(outer)
            bound[id(scope)] = names
            yield nodes, names


def patch_object_effect(call: ast.Call, names: Names,
                        ) -> tuple[tuple[str, list[str]], str | None] | None:
    """`patch.object(m, "fetch", AsyncMock())` configures `m.fetch` while it is active:
    (the owner's attribute chain, the name it sets, None when that cannot be read). None
    for other calls, and for a patch with only a target and a name (it puts a MagicMock
    where a mock's MagicMock child was: nothing changes)."""
    if names.patcher(call) != "patch.object":
        return None
    owner = keyword(call, "target", 0)
    chain = attr_chain(owner) if owner is not None else None
    if not chain:
        return None
    attr = keyword(call, "attribute", 1)
    if not isinstance(attr, ast.Constant) or not isinstance(attr.value, str):
        return chain, None
    if len(call.args) > 2 or any(k.arg not in ("target", "attribute") for k in call.keywords):
        return chain, attr.value
    return None


def configure_patched(t: Tracked, parts: list[str], name: str | None) -> None:
    """Record a patch.object on the mock `t` (at `parts` below it) that sets `name`."""
    if parts:
        t.configured.add(norm_parts(parts)[0])
    elif name is None:
        t.bulk = True
    else:
        t.configured.add(name)


CONFIGURERS = frozenset({"configure_mock", "attach_mock", "mock_add_spec", "reset_mock"})


def record_uses(tracked: dict[tuple[str, ...], Tracked], nodes: Iterable[ast.AST],
                parents: dict[int, ast.AST], names: Names) -> None:
    """What `nodes` do to tracked mocks besides making them: the attributes they set or
    delete on one, patch.object on it, configure_mock and its kin (`configured`, `bulk`),
    and whether they hand one to other code (`escaped`). A mock is tracked by the path
    that holds it: ("m",) for a name, ("self", "client") for an attribute of a name. A mock
    held on self and returned or yielded goes to the method's caller, out of the class's
    sight; a local one returned goes where the value model follows it (a fixture's)."""
    by_root: dict[str, list[tuple[tuple[str, ...], Tracked]]] = {}
    for key, t in tracked.items():
        by_root.setdefault(key[0], []).append((key, t))

    def below(path: tuple[str, ...]) -> tuple[Tracked, list[str]] | None:
        for key, t in by_root.get(path[0], ()):
            if path[:len(key)] == key:
                return t, list(path[len(key):])
        return None

    def configure_target(target: ast.expr) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                configure_target(elt)
            return
        if isinstance(target, ast.Subscript):
            target = target.value
        chain = attr_chain(target)
        found = below((chain[0], *chain[1])) if chain else None
        if found is None or not found[1]:
            return
        t, rest = found
        t.configured.add(norm_parts(rest)[0])
        if len(rest) == 1 and isinstance(target, ast.Attribute):
            t.set_attrs.setdefault(rest[0], target)

    def configure_call(call: ast.Call) -> None:
        effect = patch_object_effect(call, names)
        found = below((effect[0][0], *effect[0][1])) if effect is not None else None
        if found is not None:
            configure_patched(found[0], found[1], effect[1])  # type: ignore[index]
        chain = attr_chain(call.func)
        found = below((chain[0], *chain[1])) if chain else None
        if found is None or not found[1] or found[1][-1] not in CONFIGURERS:
            return
        t, rest = found
        if len(rest) > 1:
            t.configured.add(norm_parts(rest)[0])
        elif rest[0] == "configure_mock" and all(k.arg for k in call.keywords):
            for kw in call.keywords:
                t.configured.add(norm_parts(str(kw.arg).split("."))[0])
        else:
            t.bulk = True

    for node in nodes:
        key: tuple[str, ...]
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            for target in (node.targets if isinstance(node, (ast.Assign, ast.Delete))
                           else [node.target]):
                configure_target(target)
            continue
        if isinstance(node, ast.Call):
            configure_call(node)
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            key = (node.id, )
        elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load)
              and isinstance(node.value, ast.Name) and node.value.id in by_root):
            key = (node.value.id, node.attr)
        else:
            continue
        t = tracked.get(key)
        if t is not None and (escapes(node, parents, names) or (len(key) > 1 and isinstance(
                parents.get(id(node)), (ast.Return, ast.Yield)))):
            t.escaped = True


def escapes(node: ast.expr, parents: dict[int, ast.AST], names: Names) -> bool:
    """Is a mock (a name, or `self.attr`) handed to other code here, which may configure
    it? Reading its attributes, calling or awaiting it, comparing it does not."""
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
    if isinstance(parent, ast.Call) and names.patcher(parent):
        return False  # patch(..., new=m): what it holds is still what we know
    return True


def _parents(nodes: list[ast.AST]) -> dict[int, ast.AST]:
    parents: dict[int, ast.AST] = {}
    for node in nodes:
        for child in child_nodes(node):
            parents[id(child)] = node
    return parents


def mock_bindings(bound: dict[str, list[tuple[str, ast.AST | None]]]) -> dict[str, list[object]]:
    """Bindings (bindings.py) as ScopeMocks.bindings holds them: name -> each binding's
    value (`binding_value`)."""
    return {name: [binding_value(kind, value) for kind, value in found]
            for name, found in bound.items()}


def binding_value(kind: str, value: ast.AST | None) -> object:
    """A binding (bindings.py) as ScopeMocks.bindings holds it: "param", ("with", expr),
    the value assigned, or None."""
    if kind in ("param", "param-default"):
        return "param"
    if kind == "with":
        return ("with", value)
    return value if kind == "assign" else None


# -- fixtures that hand out mocks ------------------------------------------------------


def without_parametrized(given: dict[str, Tracked], decorators: list[ast.expr],
                         resolve, unread: str | None = None) -> dict[str, Tracked]:
    """`given` without the fixtures a parametrize mark (or a mark that cannot be read)
    among `decorators` overrides by name; none of them where a `pytestmark` cannot be read
    (`unread`: why)."""
    if unread is not None:
        return {}
    for deco in decorators:
        if isinstance(deco, ast.Call) and (resolve(deco) or "").endswith(".parametrize"):
            for name in list(given):
                if not deco.args or name in ast.dump(deco.args[0]):
                    given.pop(name)
    return given


def single_fixture_name(func: FunctionNode, imports: ImportTable) -> str | None:
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
        name = single_fixture_name(stmt, imports)
        if name is None:
            continue
        mockers = {p for p in all_params(stmt) if p in MOCKER_NAMES}
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
            result = copy_tracked(result)
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
def conftest_mocks(
        chain: tuple[tuple[str, ast.Module], ...],
        plugins: tuple[tuple[str, ast.Module], ...] = (),
) -> tuple[tuple[str, Tracked | None], ...]:
    """Fixture name -> the mock it hands out (None: no mock, or not known), from the
    project's plugin modules (below every conftest.py; a name two of them define is not
    known) and the conftest.py files above a test file."""
    known: dict[str, Tracked | None] = {}
    for path, tree in plugins:
        found = fixture_mocks(tree.body, ImportTable(tree), False, {}, of_tree(tree), origin=path)
        for name, value in found.items():
            known[name] = None if name in known else value
    for path, tree in chain:  # farthest first: nearer conftests override
        imports = ImportTable(tree)
        ok = {k: v for k, v in known.items() if v is not None}
        known.update(fixture_mocks(tree.body, imports, False, ok, of_tree(tree), origin=path))
    return tuple(known.items())
