"""What a mock's spec is and what a patch replaces, for the function being checked: a
module, a class, or an instance the value model follows; None when unsure."""

from __future__ import annotations

import ast
import functools

from .. import inference, project
from ..mock_names import ALL_KINDS, MOCKER_NAMES
from ..syntax import assigned, child_nodes, parameters
from ..context import FileContext
from .bindings import from_parameter
from .fixtures import Unknown
from .mocks import ScopeMocks, mock_bindings, record_uses
from .tracked import Names, Tracked, from_constructor
from .values import Instance


class MockTargets:
    """Questions about one function's mocks and patch targets (answers kept per function)."""

    def __init__(self, ctx: FileContext, scope: ScopeMocks, names: Names) -> None:
        self.ctx = ctx
        self.scope = scope
        self.names = names
        self.mocks = scope.mocks
        self._spec_cache: dict[int, object] = {}
        self._bound_names: dict[int, str] | None = None
        self._configured: tuple[set[str], set[str]] | None = None

    def tracked(self, chain: tuple[str, list[str]]) -> tuple[Tracked, list[str]] | None:
        """The mock an attribute chain starts from and the rest of the chain: a name, an
        attribute path of a local object set once to a mock here, or `self.attr` set once
        to a mock by a setup method or autouse fixture of the class."""
        root, parts = chain
        if root in self.mocks:
            return self.mocks[root], parts
        for cut in range(len(parts), 0, -1):
            path = ".".join([root, *parts[:cut]])
            if path in self.scope.paths:
                return self.scope.paths[path], parts[cut:]
        if root != "self" or not parts or parts[0] == "return_value":
            return None
        t, _ = self._self_entry(parts[0])
        return (t, parts[1:]) if t is not None else None

    def why_self_unknown(self, attr: str) -> str | None:
        """Why `self.attr`, set to a mock by a setup method, is not followed (if so)."""
        return self._self_entry(attr)[1]

    def _self_entry(self, attr: str) -> tuple[Tracked | None, str | None]:
        cls = self.ctx.syntax.enclosing(self.scope.func)
        if not isinstance(cls, ast.ClassDef):
            return None, None
        return self_mock(self.ctx, cls, attr)

    def kind(self, t: Tracked) -> str | None:
        if t.kind in ALL_KINDS:
            return t.kind
        if t.kind != "patch":
            return None
        value = self.target_value(t)
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

    def target_owner(self, t: Tracked):
        """(the module or class whose attribute a patch replaces, whether the patch is of
        an instance of that class), or None when it cannot be told."""
        if t.target is None:
            return None
        owner_expr, _attr = t.target
        if owner_expr is None:
            if not t.target_dotted:
                return None
            owner = inference.resolve_dotted(t.target_dotted)
            return None if owner is None else (owner, False)
        found = self.owner(owner_expr)
        if found is None:
            held = self.held(owner_expr, "AT301")
            cls = inference.resolve_dotted(held.cls) if held is not None else None
            found = (cls, True) if inference.is_class(cls) else None
        if found is None:
            return None
        if found[1] and inference.instance_attribute(found[0], t.target[1]):
            return None  # set on instances: the class's method is not what gets replaced
        return found

    def owner(self, expr: ast.expr):
        """(module or class, is an instance) that `expr` of this file certainly is, or None.

        Values that come from a parameter of the function being checked (a fixture, an
        argument) are not inferred: astroid cannot know what pytest passes.
        """
        if self.from_parameter(expr):
            return None
        # A class the imports name, built from its own module. Not a module: `pkg.Name`
        # may be a submodule file and also what pkg/__init__.py binds over it (a class
        # named like its module, re-exported), which astroid reads as Python does.
        dotted = self.imported(expr)
        if dotted is not None:
            value = inference.resolve_dotted(dotted)
            if inference.is_class(value):
                return value, False
        node = self.ctx.astroid_node(expr)
        return inference.owner_of(node) if node is not None else None

    def target_value(self, t: Tracked):
        return self.target_member(t)[3]

    def target_member(self, t: Tracked):
        """(owner, on_instance, status, value) of a patch's target: its module or class
        (None when it cannot be told), whether the patch is of an instance of it,
        inference.member's status of the attribute ("" without an owner), and its value
        when present and certain."""
        found = self.target_owner(t)
        if found is None:
            return None, False, "", None
        owner, on_instance = found
        status, value = inference.member(owner, t.target[1],  # type: ignore[index]
                                         on_instance=on_instance)
        return owner, on_instance, status, value if status == "present" else None

    def dotted(self, expr: ast.expr) -> str:
        try:
            return ast.unparse(expr)
        except Exception:  # pragma: no cover - unparse of a parsed tree
            return "mock"

    def spec_class(self, t: Tracked):
        """The astroid class a mock is spec'd on, or None."""
        key = id(t)
        if key in self._spec_cache:
            return self._spec_cache[key]
        result = None
        if t.local or t.origin:
            if t.spec is not None:
                dotted = self.spec_dotted(t)
                if dotted is not None:
                    value = inference.resolve_dotted(dotted)
                else:
                    node = self.node(t, t.spec)
                    value = inference.safe_infer(node) if node is not None else None
                if inference.is_class(value):
                    result = value
            elif t.spec_unknown and t.target is not None:  # autospec=True / spec=True
                value = self.target_value(t)
                if inference.is_class(value):
                    result = value
        self._spec_cache[key] = result
        return result

    def spec_dotted(self, t: Tracked) -> str | None:
        """The dotted name a local mock's spec spells through an import, or None."""
        return self.imported(t.spec) if t.local and t.spec is not None else None

    def imported(self, expr: ast.expr) -> str | None:
        """The dotted name of an expression of this function spelled through an import
        (resolved without building this file for astroid), or None."""
        func = self.scope.func
        start = min([func.lineno, *(d.lineno for d in func.decorator_list)])
        if not start <= expr.lineno <= (func.end_lineno or func.lineno):
            return None  # from another function (a fixture): its own names may differ
        dotted = self.ctx.static_dotted(expr, self.bindings_at(expr))
        if dotted is None or dotted.startswith(self.ctx.modname + "."):
            return None
        return dotted

    def node(self, t: Tracked, expr: ast.expr):
        """The astroid node of an expression of this file or of the conftest it came from."""
        if t.local:
            return self.ctx.astroid_node(expr)
        if not t.origin:
            return None
        kind = "Name" if isinstance(expr, ast.Name) else type(expr).__name__
        return inference.node_in_file(t.origin, project.import_base(t.origin)[1],
                                      expr.lineno, expr.col_offset, kind)

    def spec_member(self, t: Tracked, attr: str):
        cls = self.spec_class(t)
        if cls is None:
            return None
        status, value = inference.member(cls, attr)
        return value if status == "present" else None

    # -- where an expression is evaluated ---------------------------------------------

    def in_decorators(self, expr: ast.AST) -> bool:
        """Is `expr` in one of the function's decorators? Those are evaluated where the
        function is defined, before it runs: its parameters and locals are not bound there
        (`@patch.object(info, ...)` names the module's `info`, whatever the body binds)."""
        at = (expr.lineno, expr.col_offset)  # type: ignore[attr-defined]
        end = (expr.end_lineno, expr.end_col_offset)  # type: ignore[attr-defined]
        return any((d.lineno, d.col_offset) <= at and end <= (d.end_lineno, d.end_col_offset)
                   for d in self.scope.func.decorator_list)

    def bindings_at(self, expr: ast.AST) -> dict[str, list[object]]:
        """The names bound where `expr` is evaluated, as ScopeMocks.bindings holds them:
        the function's own, or for its decorators those of the scope that defines it."""
        return self._outer[1] if self.in_decorators(expr) else self.scope.bindings

    @functools.cached_property
    def _outer(self) -> tuple[dict, dict[str, list[object]]]:
        """(bindings.py's bindings, as ScopeMocks.bindings) of the scope that defines the
        function: none for the module (its names are what static_dotted reads)."""
        enclosing = self.ctx.syntax.enclosing(self.scope.func)
        if enclosing is None or isinstance(enclosing, ast.Module):
            return {}, {}
        bound = self.ctx.scopes.by_node[id(enclosing)].bindings
        return bound, mock_bindings(bound)

    def held(self, expr: ast.expr, code: str | None) -> Instance | None:
        """The instance an argument, a local or `self.attr` of this function holds, when
        the value model can tell (the reason is recorded for `code` when it cannot). None
        in a decorator: what the function binds is not bound there."""
        if self.in_decorators(expr):
            return None
        func = self.scope.func
        enclosing = self.ctx.syntax.enclosing(func)
        cls = enclosing if isinstance(enclosing, ast.ClassDef) else None
        value: Instance | Unknown | None = None
        if isinstance(expr, ast.Name):
            value = self.ctx.values.name(func, cls, expr.id)
        elif (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name)
              and expr.value.id == "self" and cls is not None):
            value = self.ctx.values.attribute(cls, expr.attr)
        if isinstance(value, Unknown) and code is not None:
            self.ctx.silent(expr, code, f"value of {self.dotted(expr)} is unknown: "
                                        f"{value.reason}")
        return value if isinstance(value, Instance) else None

    def touched(self, label: str, patcher: ast.Call) -> bool:
        """Is `label` (an instance) given an attribute, or handed to code other than
        patchers, in this function?"""
        for node in self.scope.nodes:
            targets = assigned(node)
            if isinstance(node, ast.Call) and node is not patcher and (
                    self.names.patcher(node) is None):
                args = [*node.args, *(k.value for k in node.keywords)]
                if any(self.dotted(arg) == label for arg in args):
                    return True
            if any(self.dotted(t).startswith(label + ".") for t in targets):
                return True
        return False

    def from_parameter(self, expr: ast.expr) -> bool:
        """Made from a parameter of the function (with a default too: a caller may pass
        another value)."""
        bound = self._outer[0] if self.in_decorators(expr) else self.scope.bound
        return from_parameter(expr, bound.get, with_defaults=True)

    def static_class(self, expr: ast.expr) -> str | None:
        """The dotted name of the class `expr` is, or is an instance of (`Cls(...)`, or a
        local assigned from it), read from source alone."""
        bindings = self.bindings_at(expr)
        if isinstance(expr, ast.Name):
            values = bindings.get(expr.id, [])
            if len(values) == 1 and isinstance(values[0], ast.Call):
                expr = values[0]
        if isinstance(expr, ast.Call):
            expr = expr.func
        return self.ctx.static_dotted(expr, bindings)

    def bound_name(self, call: ast.Call) -> str | None:
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

    def active_at(self, patcher: ast.Call, at: ast.AST) -> bool:
        """Is the patch that `patcher` (a call of this function) makes active where `at`
        runs: one of the function's decorators, a `with` around `at`, or one started on
        an earlier line (`mocker.patch(...)`, `patch(...).start()`)?"""
        if self.in_decorators(patcher):
            return True
        block = self._entered.get(id(patcher))
        if block is None:
            return (patcher.lineno, patcher.col_offset) < (at.lineno,  # type: ignore
                                                           at.col_offset)  # type: ignore
        return block.body[0].lineno <= at.lineno <= (  # type: ignore[attr-defined]
            block.end_lineno or block.lineno)

    @functools.cached_property
    def _entered(self) -> dict[int, ast.With | ast.AsyncWith]:
        """id of what a `with` of this function enters -> that `with` (one walk)."""
        return {id(item.context_expr): node for node in self.scope.nodes
                if isinstance(node, (ast.With, ast.AsyncWith)) for item in node.items}

    def configured_text(self, text: str) -> bool:
        """Is `text` (like 'conn.method') configured or handed on anywhere in this function?"""
        if self._configured is None:  # one walk per function, not one per question
            below: set[str] = set()  # texts with an assignment or configure call below them
            handed: set[str] = set()  # names passed as arguments (texts are attributes)
            for node in self.scope.nodes:
                targets = assigned(node)
                if isinstance(node, ast.Call):
                    last = node.func.attr if isinstance(node.func, ast.Attribute) else ""
                    if last in ("configure_mock", "attach_mock", "mock_add_spec"):
                        targets = [node.func]
                    handed.update(self.dotted(arg)
                                  for arg in [*node.args, *(k.value for k in node.keywords)]
                                  if isinstance(arg, (ast.Name, ast.Attribute)))
                for target in targets:
                    dotted = self.dotted(target)
                    below.update(dotted[:i] for i, ch in enumerate(dotted) if ch == ".")
            self._configured = (below, handed)
        below, handed = self._configured
        return text in below or text in handed

    def reconfigured(self, name: str) -> bool:
        t = self.mocks[name]
        return bool(t.bulk or t.escaped or t.configured & {"return_value"})


def self_mock(ctx: FileContext, cls: ast.ClassDef,
              attr: str) -> tuple[Tracked | None, str | None]:
    """The mock a setup method or autouse fixture of `cls` sets `self.attr` to, for any of
    its tests, or why it is not followed (found once per class and attribute)."""
    key = (id(cls), attr)
    if key not in ctx.self_mocks:
        ctx.self_mocks[key] = _self_mock(ctx, cls, attr)
    return ctx.self_mocks[key]  # type: ignore[return-value]


def _self_mock(ctx: FileContext, cls: ast.ClassDef,
               attr: str) -> tuple[Tracked | None, str | None]:
    found = ctx.values.self_assigned(cls, attr)
    if not isinstance(found, tuple):
        return None, None
    value, method = found
    params = set(parameters(method))
    names = Names(ctx.imports, params & MOCKER_NAMES)
    kind = names.mock_kind(value)
    if kind is None:
        return None, None
    if any(node.attr in ("configure_mock", "attach_mock", "mock_add_spec")
           for node in ctx.syntax.within(cls, ast.Attribute)):
        return None, f"{cls.name} configures mocks in bulk (configure_mock)"
    if any(isinstance(other, ast.ClassDef) and any(
            isinstance(base, ast.Name) and base.id == cls.name for base in other.bases)
           for other in ctx.syntax.of_type(ast.ClassDef)):
        # a subclass may set it up its own way for the same tests
        return None, f"a subclass of {cls.name} may set self.{attr} otherwise"
    t = from_constructor(kind, value, f"self.{attr}")  # type: ignore[arg-type]
    _used_in_class(ctx, t, cls, attr, names)
    return t, None


def _used_in_class(ctx: FileContext, t: Tracked, cls: ast.ClassDef, attr: str,
                   names: Names) -> None:
    """What any method of the class does to `self.attr` besides setting it, read as a
    function's own mocks are (mocks.record_uses)."""
    parents: dict[int, ast.AST] = {}
    stack: list[ast.AST] = [cls]
    while stack:
        node = stack.pop()
        for child in child_nodes(node):
            parents[id(child)] = node
            stack.append(child)
    nodes = ctx.syntax.within(cls, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete,
                              ast.Call, ast.Attribute)
    record_uses({("self", attr): t}, nodes, parents, names)
