"""AT3xx: mocks that lie about being async, and mocks that drift from their spec.

Which functions are checked, with the mocks in their scope, comes from model/mocked.py
(mocks tracked per function: model/mocks.py), what a spec or patch target is from
model/mock_targets.py, why a sync replacement may be on purpose from model/replaced.py.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from .. import inference
from ..context import FileContext
from ..index import modules, resolver
from ..index.defs import ASYNC_DEF, DEF
from ..mock_names import (
    FAKE_ASSERTS, FAKE_AWAIT_ASSERTS, MOCK_API, MOCK_MODULE_NAMES, REAL_ASSERTS, mentions_mocks,
)
from ..model.loops import runs_coroutines
from ..model.mock_targets import MockTargets
from ..model.mocked import mocked_scopes
from ..model.mocks import ScopeMocks, conftest_mocks
from ..model.replaced import asserted_not_called, scheduler_replaced
from ..model.tracked import (
    Names, Tracked, attr_chain, keyword, norm_parts, patch_result, patch_target,
    replacement_kind, truthy_const,
)
from ..rules import ONLY, explain
from . import Family, Finding


class MockRules(Family):
    name = "mocks"

    def wants(self) -> bool:
        if mentions_mocks(self.ctx.syntax):
            return True
        return any(v is not None for _, v in conftest_mocks(self.ctx.conftests, self._plugins()))

    def _plugins(self) -> tuple[tuple[str, ast.Module], ...]:
        return self.ctx.runner.plugin_modules[0]

    def check(self) -> Iterator[Finding]:
        yield from self._pytest_namespace()
        for scope, names in mocked_scopes(self.ctx, self._plugins()):
            yield from ScopeChecker(self, scope, names).run()
        yield from self._unreferenced_asserts()

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


class ScopeChecker:
    """The per-function checks: awaits, spec drift, fake assertions, replacements."""

    def __init__(self, family: MockRules, scope: ScopeMocks, names: Names) -> None:
        self.family = family
        self.ctx: FileContext = family.ctx
        self.scope = scope
        self.names = names
        self.mocks = scope.mocks
        self.targets = MockTargets(self.ctx, scope, names)

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
        chain = attr_chain(expr)
        if chain is None:
            return
        found = (self.mocks[chain[0]], chain[1]) if chain[0] in self.mocks else (
            self.targets.tracked(chain) if chain[0] == "self" else None)
        if found is None:
            self._unknown_value(chain[0], at)
            why = self.targets.why_self_unknown(chain[1][0]) if (
                chain[0] == "self" and chain[1]) else None
            if why is not None:
                self.ctx.silent(at, "AT300", why)
            return
        t, parts = found
        if t.escaped and chain[0] == "self":
            self.ctx.silent(at, "AT300", f"self.{chain[1][0]} is handed to other code, "
                                         "which may configure it")
        if t.bulk or t.escaped or any(p.startswith("__") for p in parts):
            return
        norm = norm_parts(parts)
        if norm and norm[0] in t.configured:
            return
        if not norm and how == "await" and t.configured & {"return_value"}:
            pass
        kind = self.targets.kind(t)
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
            value = self.targets.spec_member(t, attr)
            if value is None or attr in t.set_attrs:
                return
            func = inference.plain_function(value)
            if func is None or inference.is_async_def(func):
                return
            yield Finding(at.lineno, at.col_offset, "AT300", "spec-child",
                          {"name": self.targets.dotted(expr), "kind": kind, "attr": attr})
            return
        if not parts and kind.startswith("NonCallable") is False and how == "await":
            pass
        child = kind.replace("NonCallable", "") if parts else kind
        if how == "await":
            yield Finding(at.lineno, at.col_offset, "AT300", "await",
                          {"name": self.targets.dotted(expr), "kind": child})
        else:
            yield Finding(at.lineno, at.col_offset, "AT300", "async-protocol",
                          {"name": self.targets.dotted(expr), "kind": child, "statement": how})

    def _unknown_value(self, name: str, at: ast.AST) -> None:
        """Record why AT300 says nothing about a name the file binds to two things (or a
        local made from one): `try: from app import F` / `except ImportError: F = Mock`."""
        values = self.scope.bindings.get(name, [])
        if len(values) == 1 and isinstance(values[0], ast.Call):
            found = attr_chain(values[0].func)  # factory = Factory()
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
        spec = self.targets.spec_dotted(t)
        if spec is not None and resolver.attribute(spec, attr) == resolver.PRESENT:
            return  # the class binds it, as the index reads it: no need to build it
        cls = self.targets.spec_class(t)
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
        if truthy_const(keyword(call, "create", None)):
            return
        if any(kw.arg is None for kw in call.keywords):
            return
        target = patch_target(call, which)
        if target is None:
            return
        owner_expr, owner_name, attr = target
        if owner_expr is None:
            if not owner_name or not attr or resolver.attribute(
                    owner_name, attr) == resolver.PRESENT:
                return
            earlier = self._patched_before(call, owner_name)
            if earlier is not None:
                self.ctx.silent(call, "AT304", explain(
                    "owner-patched", owner=earlier[0], line=earlier[1]))
                return
            missing = resolver.missing_submodule(owner_name)
            if missing is not None:
                yield Finding(call.lineno, call.col_offset, "AT304", "missing-module",
                              {"owner": missing[0], "attr": missing[1]})
                return
            unparsed = resolver.unparsed_module(f"{owner_name}.{attr}")
            if unparsed is not None:
                self.ctx.silent(call, "AT304", explain("module-unparsed", module=unparsed))
                return
            owner = inference.resolve_dotted(owner_name)
            label = owner_name
        else:
            # Modules and classes spelled through an import or a top-level definition, and
            # instances the value model can follow (fixtures, `self` attributes, locals).
            dotted = self.ctx.static_dotted(owner_expr, self.targets.bindings_at(owner_expr))
            if dotted is None:
                yield from self._missing_on_instance(call, owner_expr, attr)
                return
            if resolver.attribute(dotted, attr) == resolver.PRESENT:
                return
            found = self.targets.owner(owner_expr)
            if found is None or found[1]:
                return
            owner = found[0]
            label = self.targets.dotted(owner_expr)
        if owner is None or (attr.startswith("__") and attr.endswith("__")):
            return
        if attr in resolver.BUILTIN_NAMES and inference.is_module(owner):
            return
        status, _ = inference.member(owner, attr, want_value=False)
        if status == "missing":
            yield Finding(call.lineno, call.col_offset, "AT304", "patch-target",
                          {"owner": label, "attr": attr})
        elif status == "unknown":
            self._open(call, "AT304", owner, label, attr)

    def _patched_before(self, call: ast.Call, owner: str) -> tuple[str, int] | None:
        """(the name, the line) of a patch of `owner`, or of a name it is under, that this
        function makes and is active at `call` (`patch("pkg.bot.Manager")`, then
        `patch("pkg.bot.Manager._init")`): the attribute is then looked up on what replaced
        it (a MagicMock has them all). A module does not count (`patch("pkg.mod")`: from
        Python 3.11 patch finds a module of its target by import, pkgutil.resolve_name)."""
        for node in [*self.scope.func.decorator_list, *self.scope.nodes]:
            which = self.names.patcher(node) if isinstance(node, ast.Call) else None
            target = patch_target(node, which) if which is not None else None  # type: ignore
            if target is None or node is call:
                continue
            owner_expr, owner_name, attr = target
            if owner_expr is not None:
                owner_name = self.ctx.static_dotted(owner_expr,
                                                    self.targets.bindings_at(owner_expr))
            patched = f"{owner_name}.{attr}" if owner_name else None
            if (patched is not None and (owner == patched or owner.startswith(patched + "."))
                    and modules.locate(patched) is None
                    and self.targets.active_at(node, call)):  # type: ignore[arg-type]
                return patched, node.lineno
        return None

    def _open(self, at: ast.AST, code: str, owner, label: str, attr: str,
              on_instance: bool = False) -> None:
        """Say why `code` cannot tell whether `owner` (a module or class, or an instance
        of that class) has `attr`."""
        why = inference.member_opening(owner, attr, on_instance)
        self.ctx.silent(at, code, explain("attributes-open", owner=label, attr=attr, why=why))

    def _missing_on_instance(self, call: ast.Call, owner_expr: ast.expr,
                             attr: str) -> Iterator[Finding]:
        """AT304 for `patch.object(obj, "name")` where obj is an instance of a class whose
        source (and whose ancestors') binds `name` nowhere, on the class or on self."""
        if attr.startswith("__") and attr.endswith("__"):
            return
        held = self.targets.held(owner_expr, "AT304")
        if held is None:
            return
        label = self.targets.dotted(owner_expr)
        ancestors = resolver.class_ancestors(held.cls)
        if ancestors is None or any(attr in facts.kinds or attr in facts.self_names
                                    or facts.dynamic_self for facts in ancestors.values()):
            return
        if self.targets.touched(label, call):
            self.ctx.silent(call, "AT304", f"{label} is assigned to or handed to other code "
                                           f"in this function, which may set {attr}")
            return
        cls = inference.resolve_dotted(held.cls)
        if not inference.is_class(cls) or inference.sets_attributes_dynamically(cls):
            return  # (the index reads such a class as one whose names may be rewritten)
        status, _ = inference.member(cls, attr, want_value=False, on_instance=True)
        if status == "missing" and not inference.instance_attribute(cls, attr):
            yield Finding(call.lineno, call.col_offset, "AT304", "instance-target",
                          {"owner": label, "cls": held.cls, "attr": attr})
        elif status == "unknown":
            self._open(call, "AT304", cls, label, attr, on_instance=True)

    # -- AT305 -----------------------------------------------------------------------

    def _fake_assert(self, call: ast.Call) -> Iterator[Finding]:
        if not isinstance(call.func, ast.Attribute):
            return
        attr = call.func.attr
        if attr not in FAKE_ASSERTS and attr not in FAKE_AWAIT_ASSERTS:
            return
        chain = attr_chain(call.func.value)
        found = self.targets.tracked(chain) if chain is not None else None
        if found is None:
            return
        t, rest = found
        if t.specced and not rest:
            return  # a spec'd mock raises AttributeError for names outside its spec
        if t.autospec:
            return
        if attr in t.configured and not rest:
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
        new = keyword(call, "new", new_pos)
        kind: str | None = None
        if new is not None:
            kind = replacement_kind(new, self.names, self.mocks)
        else:
            kind = self.names.class_kind(keyword(call, "new_callable", None))
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
            target = patch_target(call, which)
            if target is None:
                return
            owner_expr, owner_name, attr = target
            t.target_dotted, t.target = owner_name, (owner_expr, attr)
        if t.target is None:
            return
        package = t.target_dotted.split(".")[0] if t.target_dotted else None
        static = (self.ctx.static_dotted(t.target[0], self.targets.bindings_at(t.target[0]))
                  if t.target[0] is not None else None)  # a class or module, not a value
        owner = t.target_dotted or static
        if owner is None and t.target[0] is not None:
            held = self.targets.held(t.target[0], None)  # (its class: what is judged below)
            owner = held.cls if held is not None else None
        if not self._may_judge(kind, t.target[1], package,
                               dotted=f"{owner}.{t.target[1]}" if owner else None):
            return
        bound = self.targets.bound_name(call)
        if bound is not None and (bound not in self.mocks or self.targets.reconfigured(bound)):
            return  # the mock it hands out is configured (or handed on) afterwards
        label = (f"{t.target_dotted}.{t.target[1]}" if t.target_dotted  # type: ignore[index]
                 else f"{self.targets.dotted(t.target[0])}.{t.target[1]}")  # type: ignore[index]
        if (kind != "AsyncMock" and (t.target_dotted or static)  # (not a value's class)
                and self.ctx.readable(owner)
                and resolver.coroutine_signature(f"{owner}.{t.target[1]}", False)):
            # the index reads the class (or module) itself: an async def everywhere it is
            # defined, so the coroutine function astroid would find
            yield from self._sync_mock_of_coroutine(kind, call, label)
            return
        owner, on_instance, status, value = self.targets.target_member(t)
        if status == "unknown":
            self._open(call, "AT302" if kind == "AsyncMock" else "AT301", owner,
                       label.rpartition(".")[0], t.target[1], on_instance)
            return
        yield from self._judge(value, kind, call, label)

    def _may_judge(self, kind: str, attr: str, package: str | None = None,
                   dotted: str | None = None) -> bool:
        """Can replacing `attr` (of `dotted`, when known) by this kind of mock be AT301 or
        AT302 at all? From source alone: AT301 needs an async def, AT302 a def."""
        if kind not in ("Mock", "MagicMock", "AsyncMock"):
            return False
        needed = DEF if kind == "AsyncMock" else ASYNC_DEF
        written = resolver.kinds_of(dotted) if dotted and self.ctx.readable(dotted) else None
        if written is not None:  # how the index reads the target itself
            return needed in written
        return self.ctx.may_define(attr, kind != "AsyncMock", package)

    def _judge(self, value, kind: str, at: ast.AST, label: str) -> Iterator[Finding]:
        func = inference.plain_function(value)
        if func is None:
            return
        if kind in ("Mock", "MagicMock") and inference.is_coroutine_function(func):
            yield from self._sync_mock_of_coroutine(kind, at, label)
        elif kind == "AsyncMock" and not inference.is_async_def(func) \
                and inference.surely_not_awaitable(func):
            yield Finding(at.lineno, at.col_offset, "AT302", ONLY, {"target": label})

    def _sync_mock_of_coroutine(self, kind: str, at: ast.AST, label: str) -> Iterator[Finding]:
        """AT301 for a coroutine function replaced by a sync mock, where its test runs and
        may await it."""
        if not runs_coroutines(self.scope.func, self.scope.nodes, self.ctx.resolve):
            return
        why = scheduler_replaced(self.targets) or asserted_not_called(self.targets, at)
        if why is not None:
            self.ctx.silent(at, "AT301", why)
            return
        yield Finding(at.lineno, at.col_offset, "AT301", ONLY, {"target": label, "kind": kind})

    def _assigned(self, node: ast.Assign) -> Iterator[Finding]:
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Attribute):
            return
        target = node.targets[0]
        kind = replacement_kind(node.value, self.names, self.mocks)
        cls = self.targets.static_class(target.value)
        if kind is None or not self._may_judge(
                kind, target.attr, dotted=f"{cls}.{target.attr}" if cls else None):
            return
        if self.targets.configured_text(self.targets.dotted(target)):
            return
        chain = attr_chain(target.value)
        if chain is not None and chain[0] in self.mocks:
            t = self.mocks[chain[0]]
            if chain[1] or not t.specced or t.bulk or t.escaped:
                return
            value = self.targets.spec_member(t, target.attr)
            cls = self.targets.spec_class(t)
            label = f"{cls.name}.{target.attr}" if cls is not None else target.attr
        else:
            if chain is None:
                return
            found = self.targets.owner(target.value)
            if found is None:
                return
            owner, is_instance = found
            if (inference.qname(owner) or "").startswith("unittest.mock"):
                return
            if is_instance and inference.instance_attribute(owner, target.attr):
                return
            status, value = inference.member(owner, target.attr, on_instance=is_instance)
            if status != "present":
                return
            label = f"{self.targets.dotted(target.value)}.{target.attr}"
        yield from self._judge(value, kind, node, label)
