"""AT200: coroutines called and never awaited (dropped, only truth-tested, or stored and
only truth-tested), found on functions, methods of instances the value model follows, and
AsyncMocks."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator

from .. import inference
from ..index import resolver
from ..index.defs import ASYNC_DEF, GENERATOR
from ..mock_names import MOCK_API
from ..model.bindings import Bound, from_parameter
from ..model.call_sites import CallSites
from ..model.callees import Callees, function_made
from ..model.fixtures import Unknown
from ..model.opaque import Opaque, awaited, why_unknown
from ..model.receivers import Made, Receivers
from ..model.scopes import Scope, chain, label
from ..model.values import Instance, awaited_call
from ..signatures import Signature, call_binds
from ..syntax import LITERALS, FunctionNode
from . import Finding, ScopeFamily

# asyncio's public coroutine functions (Python 3.10-3.14), known without building asyncio.
ASYNCIO_COROUTINES = frozenset({
    "sleep", "wait", "wait_for", "to_thread", "open_connection", "start_server",
    "open_unix_connection", "start_unix_server", "create_subprocess_exec",
    "create_subprocess_shell",
})
# unittest.TestCase methods that are never coroutines.
TESTCASE_SYNC = frozenset({
    "fail", "skipTest", "addCleanup", "subTest", "enterContext", "doCleanups",
    "addTypeEqualityFunc", "addClassCleanup", "addAsyncCleanup", "enterAsyncContext",
})
# Importable modules whose functions are never coroutine functions.
SYNC_MODULES = frozenset(sys.stdlib_module_names) - {"asyncio"} | {"pytest", "_pytest"}
BUILTINS = resolver.BUILTIN_NAMES


class AwaitRules(ScopeFamily):
    name = "awaits"

    def check(self) -> Iterator[Finding]:
        self.start()
        self.callees = Callees(self.ctx, self.scopes)
        self.verdicts: dict[str, tuple[object, int | None]] = {}  # callee key -> callee
        self.opaque = Opaque(self.scopes, self.ctx.syntax, self.callees.static_name)
        self.receivers = Receivers(self.ctx, self.scopes, self.callees)
        self._receivers: dict[int, Made | Unknown | None] = {}  # id of a call's func -> it
        sites = CallSites(self.scopes, self.ctx.syntax)
        # Callees from this file first: they are cheap, and the inference budget is per file.
        order = sorted(sites.candidates.values(), key=lambda c: self._cost(c[0].func, c[2]))
        for call, how, scope in order:
            if how == "stored" and not sites.only_truth_tested(call, scope):
                continue
            if self._is_coroutine_call(call, scope):
                fields = {"name": label(call.func)}
                if how == "stored":
                    fields["target"] = sites.stored[id(call)]
                self.findings.append(Finding(call.lineno, call.col_offset, "AT200", how, fields))
        yield from self.findings

    def _is_coroutine_call(self, call: ast.Call, scope: Scope) -> bool:
        func = call.func
        if self.async_mocks.holds(func, scope):
            return True
        dotted = self.scopes.resolve(func, scope, prefix="asyncio.")
        if dotted and dotted.startswith("asyncio.") and self._imported(func):
            return dotted.rsplit(".", 1)[1] in ASYNCIO_COROUTINES and dotted.count(".") <= 2
        if not self._worth_inferring(func, scope) or self.opaque.closed_value(func, scope):
            return False
        # What source alone tells comes before the search of the modules in reach.
        local = self.callees.local_def(func, scope)
        if local is not None and local[0] is None:
            return False
        static = self.callees.static_target(func, scope) if local is None else (None, False)
        if static[1] and resolver.sync_stdlib_class(static[0].rpartition(".")[0]):
            return False  # a method of a standard-library class that makes no coroutine
        if static[1] and resolver.coroutine_signature(static[0].rpartition(".")[0],
                                                      False) is not None:
            return False  # a method of the coroutine a call of a coroutine function makes
        written = resolver.kinds_of(static[0]) if static[0] else None
        if written is not None and ASYNC_DEF not in written:
            return False  # the index is sure: no coroutine function of that name there
        if written is None and static[0] and not static[1] and resolver.names_class(static[0]):
            return False  # calling a class makes an instance
        if written is None and self._receiver_makes_none(func, scope):
            return False  # a plain def on every class the value may be an instance of
        if written is None and self._method_of_returned(func, scope):
            return False
        if static[0] is None and self._method_of_module_value(func, scope):
            return False
        if written is None and not self._maybe_async_name(
                func, scope, static[0] if static[1] else None):
            return False  # (when the index names an async def, no search is needed)
        key = self._cache_key(func, scope)
        callee = self.verdicts.get(key) if key is not None else None
        if callee is None:
            callee = local or self._coroutine_callee(call, scope, static)
            if key is not None:
                self.verdicts[key] = callee
        function, implicit = callee
        if function is None:
            return False
        text = label(call.func)
        if implicit is None:
            self.ctx.silent(call, "AT200", f"cannot tell whether {text} gets self or cls")
            return False
        # A call that does not fit the signature raises TypeError before any coroutine
        # exists; one that unpacks *args or **kwargs may not fit: both are left alone.
        signature = (function if isinstance(function, Signature)
                     else inference.signature_of(function))  # type: ignore[arg-type]
        binds = None if signature is None else call_binds(signature, call.args, call.keywords,
                                                          implicit)
        if binds is None:
            self.ctx.silent(call, "AT200", "*args or **kwargs may or may not fit the "
                                           f"signature of {text}")
        elif not binds:
            self.ctx.silent(call, "AT200", f"the arguments do not fit the signature of "
                                           f"{text}: it raises TypeError first")
        return binds is True

    def _coroutine_callee(self, call: ast.Call, scope: Scope,
                          static: tuple[str | None, bool]) -> tuple[object, int | None]:
        """(the async def a call calls, how many of its parameters the call fills by itself)
        or (None, None) when it is no coroutine function, as far as can be told. `static`
        is the callee as source names it (`Callees.static_target`)."""
        target, instance = static
        if target and self.ctx.readable(target):
            known = resolver.coroutine_signature(target, instance)
            if known is not None:
                return known  # the index is sure: no need to build anything for astroid
        if target and instance and resolver.decorated_class(target.rsplit(".", 1)[0]):
            self.ctx.silent(call, "AT200", f"class {target.rsplit('.', 1)[0]} has a class "
                                           "decorator of unknown effect")
            return None, None
        read_by = self.opaque.data(call.func, scope)
        if read_by is not None:
            held = label(call.func).rpartition(".")[0] or label(call.func)
            self.ctx.silent(call, "AT200", f"value of {held} is unknown: "
                                           f"{why_unknown(read_by)}")  # (unknown-value)
            return None, None
        found = self.opaque.set_from_parameter(call.func, scope)
        if found is not None:
            attr, line = found
            self.ctx.silent(call, "AT200", f"value of self.{attr} is unknown: set to a "
                                           f"parameter at line {line}")  # (unknown-value)
            return None, None
        if self._no_coroutine_on_receiver(call, scope):
            return None, None
        value = (self._imported_callee(target, instance)
                 if target and not function_made(target, instance) else None)
        on_instance: bool | None = instance if value is not None else None
        if value is None:
            node = self.ctx.astroid_node(call)
            value = inference.safe_infer(node.func) if node is not None else None
            if value is None:  # an async def of its name is in reach: say why not followed
                self.ctx.silent(call, "AT200", "the file's inference budget is used up"
                                if inference.budget_used_up() else
                                f"astroid finds no single value of {label(call.func)}")
        function, hidden_by = inference.coroutine_function(value)
        if function is None:
            if hidden_by is not None:
                self.ctx.silent(call, "AT200", f"not every ancestor of {hidden_by} can be "
                                               f"followed: one may override {label(call.func)}")
            return None, None
        return function, inference.implicit_first(value, on_instance)

    def _no_coroutine_on_receiver(self, call: ast.Call, scope: Scope) -> bool:
        """Does what the method is called on tell, through attributes the index follows
        (model/receivers.py), that the call makes no coroutine: a plain def of its class,
        or a value set to a parameter (unknown, and said so)? Never "a coroutine"."""
        owner = self._receiver(call.func, scope)
        if isinstance(owner, Unknown):
            held = label(call.func.value)  # type: ignore[attr-defined]
            self.ctx.silent(call, "AT200", f"value of {held} is unknown: "
                                           f"{owner.reason}")  # (unknown-value)
            return True
        return self._receiver_makes_none(call.func, scope)

    def _receiver_makes_none(self, func: ast.AST, scope: Scope) -> bool:
        """Is the method a plain def on every class its receiver may be an instance of?"""
        owner = self._receiver(func, scope)
        if not isinstance(owner, Made):
            return False
        for cls in owner.classes:
            written = resolver.kinds_of(f"{cls}.{func.attr}")  # type: ignore[attr-defined]
            if written is None or ASYNC_DEF in written:
                return False
        return True

    def _receiver(self, func: ast.AST, scope: Scope) -> Made | Unknown | None:
        """What the receiver of a method call holds (Receivers.of), asked once per call."""
        if not isinstance(func, ast.Attribute):
            return None
        key = id(func)
        if key not in self._receivers:
            self._receivers[key] = self.receivers.of(func.value, scope)
        return self._receivers[key]

    def _method_of_returned(self, func: ast.AST, scope: Scope) -> bool:
        """`x = obj.make(...)` then `x.meth()`: is `meth` surely no coroutine function,
        given what `make` returns by its source (a generator, or the class its return
        annotation names)? An annotation may be wrong, so this only ever says no."""
        root, attrs = chain(func)
        if not isinstance(root, ast.Name) or len(attrs) != 1:
            return False
        found = self.scopes.lookup(root.id, scope)
        if found is None or found[0] is self.scopes.module:
            return False
        maker = self.callees.one_maker(
            found[1], lambda func: self.callees.static_target(func, scope)[0])
        if maker is None or not self.ctx.readable(maker):
            return False
        made = resolver.returned_class(maker)
        if made is None:
            return False
        if made == GENERATOR:
            return True  # send(), throw(), close() of a generator: plain methods
        written = resolver.kinds_of(f"{made}.{attrs[0]}")
        return written is not None and ASYNC_DEF not in written

    def _method_of_module_value(self, func: ast.AST, scope: Scope) -> bool:
        """`logger.info(...)` where this file binds `logger` once, at the top level, to what
        a call makes (`logging.getLogger(__name__)`, see ModuleFacts.values): is `info`
        surely no coroutine function of that class? Only ever says no."""
        root, attrs = chain(func)
        if not isinstance(root, ast.Name) or len(attrs) != 1 \
                or root.id not in self.ctx.facts.values or not self.ctx.indexed_here:
            return False
        found = self.scopes.lookup(root.id, scope)
        if found is None or found[0] is not self.scopes.module:
            return False
        written = resolver.kinds_of(f"{self.ctx.modname}.{root.id}.{attrs[0]}")
        return written is not None and ASYNC_DEF not in written

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
        status, value = inference.member(owner, name, on_instance=True)
        return value if status == "present" else None

    def _worth_inferring(self, func: ast.AST, scope: Scope) -> bool:
        """Cheap syntactic reasons why a callee cannot be (known to be) a coroutine function."""
        root, attrs = chain(func)
        if not isinstance(root, ast.Name):
            # `obj().meth()`: infer only when a method name is given, and not on what an
            # argument (or a local made from one) returns: astroid cannot know that.
            # `(await make()).meth()`: when the index reads what awaiting make() gives.
            if isinstance(root, ast.Await):
                return self._awaited_made("assign", root, scope, func, label(root), attrs)
            if not attrs or not isinstance(root, ast.Call) or self._from_parameter(root, scope):
                return False
            return self._followable_base(root, scope)
        if attrs:
            last = attrs[-1]
            if last in MOCK_API or last in TESTCASE_SYNC:
                return False
            if last.startswith("assert") and last[6:7].isupper():
                return False  # unittest's assertEqual & co.
        found = self.scopes.lookup(root.id, scope)
        if found is None:
            return root.id not in BUILTINS
        owner, bound = found
        if owner is self.scopes.module:
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
            # what the argument holds first: most are fixtures of plugins (unknown), and
            # asking the index what is in reach costs a parse of every module imported
            held = self.callees.held(root.id, found, attrs)
            if isinstance(held, Unknown):
                self.ctx.silent(func, "AT200", f"value of {root.id} is unknown: {held.reason}")
            return isinstance(held, Instance)
        # Locals astroid can follow: assigned from a call, a name or an attribute (of a
        # local it can follow), a nested def or import. A fixture argument, a loop target,
        # `with ... as x` are beyond what it infers, and so is an awaited value, unless the
        # index reads what the coroutine function awaited gives (Callees.awaited).
        return all(kind in ("def", "import", "param-default") or (
            kind == "assign" and isinstance(value, (ast.Call, ast.Name, ast.Attribute))
            and not self._from_parameter(value, scope) and self._followable_base(value, scope)
            and not self._helper_of_parameter(value, scope)) or self._awaited_made(
                kind, value, scope, func, root.id, attrs)
            for kind, value in bound) or (len(attrs) == 1 and self.callees.entered_with(
                bound, scope) is not None)

    def _awaited_made(self, kind: str, value: ast.AST | None, scope: Scope, func: ast.AST,
                      name: str, attrs: list[str]) -> bool:
        """`x = await make(...)` then `x.meth()`, where the index reads the class of what
        awaiting a call of `make` gives (Callees.awaited): the index answers for `meth`
        (a longer chain, `x.attr.meth()`, would be astroid's, which infers no `await`).
        Where it cannot, the silence says so (without the search of the modules in reach,
        which the file may need for nothing else)."""
        ran = awaited_call(value, lambda func: self.callees.callee_name(func, scope)) \
            if kind == "assign" and len(attrs) == 1 else None
        if ran is None:
            return False
        if self.callees.awaited_of(ran, scope) is not None:
            return True
        what = self.callees.callee_name(ran.func, scope) or label(ran.func)
        why = self.callees.why_not_awaited(ran, scope) or \
            f"what awaiting {what}(...) gives cannot be read"
        self.ctx.silent(func, "AT200", f"value of {name} is unknown: {why}")
        return False

    def _helper_of_parameter(self, value: ast.AST, scope: Scope) -> bool:
        """`lock = self.get_lock(r, "k")` or `make(r)`: a helper of this file (a method of
        the class, or a module-level def) whose every `return` gives a chain of calls and
        attributes on one of its parameters, and the call passes something made from a
        parameter of this function (a fixture) there. astroid cannot know what pytest
        passes, so not what the helper makes of it either."""
        if not isinstance(value, ast.Call):
            return False
        helper = self._helper_def(value.func, scope)
        if helper is None:
            return False
        args = helper.args
        positional = [a.arg for a in (*args.posonlyargs, *args.args)]
        if isinstance(value.func, ast.Attribute):
            positional = positional[1:]  # self
        params = {*positional, *(a.arg for a in args.kwonlyargs)}
        returns = [node.value for node in self.ctx.syntax.scope_nodes(helper, headers=False)
                   if isinstance(node, ast.Return)]
        if not returns:
            return False
        for returned in returns:
            base = returned
            while isinstance(base, (ast.Call, ast.Attribute)):
                base = base.func if isinstance(base, ast.Call) else base.value
            if not isinstance(base, ast.Name) or base.id not in params:
                return False
            at = positional.index(base.id) if base.id in positional else len(value.args)
            given = value.args[at] if at < len(value.args) and not any(
                isinstance(arg, ast.Starred) for arg in value.args[:at + 1]) else next(
                (k.value for k in value.keywords if k.arg == base.id), None)
            if given is None or not self._from_parameter(given, scope):
                return False
        return True

    def _helper_def(self, func: ast.AST, scope: Scope) -> FunctionNode | None:
        """The def a call of `self.name` (a method of the enclosing class, defined once in
        it and undecorated) or of `name` (a module-level def bound once) calls."""
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id == "self":
            owner = self.scopes.class_scope(scope)
            if owner is None:
                return None
            found = [stmt for stmt in owner.node.body  # type: ignore[union-attr]
                     if getattr(stmt, "name", None) == func.attr]
            helper = found[0] if len(found) == 1 else None
        elif isinstance(func, ast.Name):
            bound = self.scopes.lookup(func.id, scope)
            if bound is None or bound[0] is not self.scopes.module or len(bound[1]) != 1:
                return None
            kind, helper = bound[1][0]
            if kind != "def":
                return None
        else:
            return None
        if not isinstance(helper, ast.FunctionDef) or helper.decorator_list:
            return None
        return helper

    def _followable_base(self, expr: ast.AST, scope: Scope) -> bool:
        """`x.get(k).execute()`, `x.meth`: is the local a chain of calls and attributes
        starts from one astroid can follow (not bound by `with ... as x`, a loop or an
        unpacking)?"""
        if awaited(expr):
            return False  # astroid infers no `await`
        base = expr
        while isinstance(base, (ast.Call, ast.Attribute)):
            base = base.func if isinstance(base, ast.Call) else chain(base)[0]
        if not isinstance(base, ast.Name) or base.id in ("self", "cls"):
            return True
        found = self.scopes.lookup(base.id, scope)
        if found is None or found[0] is self.scopes.module:
            return True
        if all(kind == "assign" and awaited(value) for kind, value in found[1]):
            return False  # astroid infers no `await` (every value of the local unknown)
        return all(kind in ("def", "import", "param", "param-default", "assign")
                   for kind, _ in found[1])

    def _from_parameter(self, expr: ast.AST, scope: Scope) -> bool:
        """Made from a parameter (a fixture, an argument): astroid cannot know its value."""
        def bound_of(name: str) -> Bound | None:
            found = self.scopes.lookup(name, scope)
            return None if found is None or found[0] is self.scopes.module else found[1]
        return from_parameter(expr, bound_of)

    def _maybe_async_name(self, func: ast.AST, scope: Scope, static: str | None) -> bool:
        """Can the callee's name be an `async def` anywhere astroid could find it? A local
        alias of an instance's method (`check = jar.match`) is known by the name of the
        method source says it holds (`static`, from Callees.static_target), as `jar.match()` is;
        an alias of a function is not (`fetch2 = fetch` may stand between)."""
        root, attrs = chain(func)
        if attrs and isinstance(root, ast.Name):
            found = self.scopes.lookup(root.id, scope)
            if found is not None and found[0] is not self.scopes.module and isinstance(
                    self.callees.held(root.id, found, attrs), Instance):
                return True  # the class is known: the index answers for its method
        if attrs:
            return self.ctx.may_define(attrs[-1], True)
        if not isinstance(root, ast.Name):
            return True
        found = self.scopes.lookup(root.id, scope)
        if found is None:
            return True
        if all(kind == "import" for kind, _ in found[1]):
            dotted = self.ctx.resolve(root)
            return self.ctx.may_define((dotted or root.id).rsplit(".", 1)[-1], True)
        if all(kind == "def" for kind, _ in found[1]):
            return self.ctx.may_define(root.id, True)
        if static is not None and all(kind == "assign" for kind, _ in found[1]):
            return self.ctx.may_define(static.rsplit(".", 1)[-1], True)
        return True

    def _imported(self, func: ast.AST) -> bool:
        root, _ = chain(func)
        return isinstance(root, ast.Name) and root.id in self.ctx.imports.names

    def _cost(self, func: ast.AST, scope: Scope, depth: int = 0) -> int:
        """0 for callees from this file, 1 for ones from imports (may build other modules)."""
        root, _ = chain(func)
        while isinstance(root, (ast.Call, ast.Subscript)):
            root, _ = chain(root.func if isinstance(root, ast.Call) else root.value)
        if not isinstance(root, ast.Name) or depth > 3:
            return 0
        found = self.scopes.lookup(root.id, scope)
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
        root, _ = chain(func)
        if not isinstance(root, ast.Name):
            return None
        found = self.scopes.lookup(root.id, scope)
        if found is None or found[0] is not self.scopes.module or len(found[1]) != 1:
            return None
        return label(func)
