"""What a call's callee is, read from source alone, for AT200: the dotted name of an
imported or top-level function, the class a method is looked up on (`Cls(...)`, a local
made by a call, `self`, a fixture argument or `self` attribute the value model follows),
local aliases and defs nested in a function. astroid is asked only when this says nothing
sure (checks/awaits.py); model/receivers.py follows attributes from what this reads."""

from __future__ import annotations

import ast
from collections.abc import Callable

from ..imports import imported
from ..index import resolver
from ..index.defs import ASYNC_DEF, DEF, def_kind, makes_coroutine
from .bindings import Bound
from .fixtures import Unknown
from .scopes import Scope, Scopes, chain
from .values import CASTS, Instance, awaited_call, entered, nested_awaited
from ..signatures import Signature

FUNCTION_KINDS = (frozenset({DEF}), frozenset({ASYNC_DEF}))  # a maker that is no class
MAX_ALIASES = 3  # `a = b.meth`, `c = a`...: followed this far


def function_made(target: str, instance: bool) -> bool:
    """Is `target` (`static_target`) a method looked up on what a Python function makes
    (`made` names the function when the index cannot tell the class)? astroid would
    only resolve the function and find no such attribute on it."""
    kinds = resolver.kinds_of(target.rpartition(".")[0]) if instance else None
    # (kinds_of hands out NATIVE itself for what a C module defines, classes included)
    return kinds in FUNCTION_KINDS and kinds is not resolver.NATIVE


class Callees:
    """Those readings for one file."""

    def __init__(self, ctx, scopes: Scopes) -> None:  # ctx: FileContext
        self.ctx = ctx
        self.scopes = scopes
        # what awaiting a call gives, and what a with-bound local holds, by node: AT200
        # asks once to decide whether a call is worth reading, once to read it
        self._awaited: dict[tuple[int, int, int], str | Unknown | None] = {}
        self._entered: dict[tuple[int, int], str | None] = {}

    def local_def(self, func: ast.AST, scope: Scope) -> tuple[object, int] | None:
        """(signature, 0) for a def nested in a function that makes a coroutine, (None, 0)
        for one that does not (a def, an async generator): read from the def itself.
        None when the callee is no such def (or its decorators may change it)."""
        if not isinstance(func, ast.Name):
            return None
        found = self.scopes.lookup(func.id, scope)
        if found is None or found[0] is self.scopes.module or len(found[1]) != 1:
            return None
        kind, node = found[1][0]
        if kind != "def" or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        written = def_kind(node)
        if written == DEF:
            return None, 0
        if written != ASYNC_DEF:
            return None  # decorated: what it makes is not read here
        return (Signature.of(node.args), 0) if makes_coroutine(node) else (None, 0)

    def static_target(self, func: ast.AST, scope: Scope,
                      depth: int = 0) -> tuple[str | None, bool]:
        """(dotted name, called on an instance) of a callee read from source alone: an
        imported or top-level function (`pkg.mod.func`), or a method (`pkg.mod.Cls.meth`)
        of `Cls(...)`, of a local assigned from it, or of `self`; a local alias of one
        (`check = Cls.meth`, `check = jar.meth`). (None, False) when that is not enough."""
        root, attrs = chain(func)
        if isinstance(root, (ast.Call, ast.Await)):
            ran = awaited_call(root, lambda func: self.callee_name(func, scope))
            cls = self.awaited_of(ran, scope, depth) if ran is not None else None
            if cls is None and isinstance(root, ast.Call):
                cls = self.made(self.callee_name(root.func, scope))
            return (f"{cls}.{attrs[0]}", True) if cls and len(attrs) == 1 else (None, False)
        if not isinstance(root, ast.Name):
            return None, False
        found = self.scopes.lookup(root.id, scope)
        if found is None or found[0] is self.scopes.module \
                or all(kind == "import" for kind, _ in found[1]):
            return self.static_name(func, scope), False
        held = self.held(root.id, found, attrs)
        if isinstance(held, Instance):
            return f"{held.cls}.{attrs[-1]}", True
        if not attrs:  # a local alias: `check = Jar.match` or `jar.match`, then `check()`
            aliased = {self.static_target(held, scope, depth + 1)
                       if kind == "assign" and depth < MAX_ALIASES
                       and (held := self.aliased(value, scope)) is not None
                       else (None, False) for kind, value in found[1]}
            return aliased.pop() if len(aliased) == 1 else (None, False)
        if len(attrs) != 1:
            return None, False
        if root.id == "self":
            cls = self.own_class(scope)
        else:
            def name_of(func: ast.AST) -> str | None:
                return self.callee_name(func, scope)
            cls = (self.awaited_binding(found[1], scope, depth)
                   or self.made(self.one_maker(found[1], name_of))
                   or self.entered_with(found[1], scope))
        return (f"{cls}.{attrs[0]}", True) if cls else (None, False)

    def callee_name(self, func: ast.AST, scope: Scope) -> str | None:
        """The dotted name a call's callee has, as `static_name` reads it; `Cls[T](...)`
        calls `Cls` (the generic alias makes a `Cls`) when the index reads `Cls` as a class
        and nothing in it defines `__class_getitem__`."""
        if isinstance(func, ast.Subscript):
            name = self.static_name(func.value, scope)
            return name if name is not None and resolver.generic_class(name) else None
        root, attrs = chain(func)
        if isinstance(root, ast.Name) and root.id == "self" and len(attrs) == 1:
            return self.own_method(scope, attrs[0])
        return self.static_name(func, scope)

    def own_method(self, scope: Scope, name: str) -> str | None:
        """`pkg.mod.Cls.name` for `self.name` in a method of a top-level class of this file
        (as the index reads it), unless a class of the file that names Cls as a base
        binds `name` too (then `self` may be one of those)."""
        owner = self.own_class(scope)
        if owner is None or not self.ctx.indexed_here:
            return None
        cls = owner.rpartition(".")[2]
        if any(name in facts.kinds and any(base and base.rsplit(".", 1)[-1] == cls
                                           for base in facts.bases)
               for facts in self.ctx.facts.classes.values()):
            return None
        return f"{owner}.{name}"

    def own_class(self, scope: Scope) -> str | None:
        """`pkg.mod.Cls` for a method of a top-level class `Cls` of this file."""
        owner = self.scopes.class_scope(scope)
        if owner is None or owner.parent is not self.scopes.module:
            return None
        return f"{self.ctx.modname}.{owner.node.name}"  # type: ignore[union-attr]

    def aliased(self, value: ast.AST, scope: Scope) -> ast.AST | None:
        """What a local alias holds: `check = jar.match`, or `check = cast(T, jar.match)`
        (typing.cast returns its second argument)."""
        if isinstance(value, ast.Call) and len(value.args) == 2 and not value.keywords \
                and self.static_name(value.func, scope) in CASTS:
            value = value.args[1]
        return value if isinstance(value, (ast.Name, ast.Attribute)) else None

    @staticmethod
    def made(maker: str | None) -> str | None:
        """The class a call of `maker` makes an instance of, as source spells it: the
        class called, the class a factory classmethod called on it (`cls(...)`) or a def
        whose returns call one makes, or the class whose API the value of a function of
        the standard library has (an event loop: resolver.API_RETURNS)."""
        if not maker or maker in CASTS:
            return None  # `cast(T, x)` makes nothing: it is x
        if resolver.sync_stdlib_class(maker):
            return maker  # (a class of the standard library is known without reading it)
        return resolver.api_return(maker) or resolver.factory_class(maker) or maker

    @staticmethod
    def awaited(maker: str | None) -> str | None:
        """The class awaiting a call of `maker` gives an instance of, as the index reads
        the coroutine function's body (resolver.awaited_class); None when unknown."""
        return resolver.awaited_class(maker) if maker and maker not in CASTS else None

    def awaited_of(self, call: ast.Call, scope: Scope, depth: int = 0) -> str | None:
        """The class awaiting `call` gives an instance of: a coroutine function or method
        named through imports and top-level names, a method of what source says the value
        is (`static_target`: `conn = Conn(); await conn.start()`), or a coroutine function
        defined in this function or one around it (`values.nested_awaited`)."""
        found = self._awaited_or_why(call, scope, depth)
        return None if isinstance(found, Unknown) else found

    def why_not_awaited(self, call: ast.Call, scope: Scope) -> str | None:
        """Why what awaiting `call` gives is unknown, where the value model says."""
        found = self._awaited_or_why(call, scope, 0)
        return found.reason if isinstance(found, Unknown) else None

    def _awaited_or_why(self, call: ast.Call, scope: Scope, depth: int) -> str | Unknown | None:
        key = (id(call), id(scope), depth)
        if key not in self._awaited:
            self._awaited[key] = self._awaited_of(call, scope, depth)
        return self._awaited[key]

    def _awaited_of(self, call: ast.Call, scope: Scope, depth: int) -> str | Unknown | None:
        maker = self.callee_name(call.func, scope)
        if maker is None and depth < MAX_ALIASES:
            maker = self.static_target(call.func, scope, depth + 1)[0]
        if maker is not None:
            made = self.awaited(maker)
            why = resolver.unmade(maker, awaited=True) if made is None and \
                maker not in CASTS else None
            return Unknown(f"what awaiting {maker}(...) gives cannot be read: {why}") \
                if why else made
        if not isinstance(call.func, ast.Name):
            return None
        found = self.scopes.lookup(call.func.id, scope)
        if found is None or found[0] is self.scopes.module or len(found[1]) != 1:
            return None
        where, ((kind, node),) = found
        if kind == "param" and isinstance(where.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # `server = await aiohttp_server(app)`: what the fixture hands out, awaited
            values = self.ctx.values
            return values.awaited_from_fixture(values.requested(where.node, where.cls,
                                                                call.func.id))
        if kind != "def":
            return None
        inner = self.scopes.by_node.get(id(node))
        return nested_awaited(node, lambda expr: self.static_name(expr, inner)) \
            if inner is not None else None

    def awaited_binding(self, bound: Bound, scope: Scope, depth: int = 0) -> str | None:
        """The class a local every binding of which awaits a call (`x = await make()`,
        or runs it to its end: `awaited_call`) holds an instance of, all agreeing."""
        if not bound:
            return None
        made: set[str | None] = set()
        for kind, value in bound:
            ran = awaited_call(value, lambda func: self.callee_name(func, scope)) \
                if kind == "assign" else None
            made.add(self.awaited_of(ran, scope, depth) if ran is not None else None)
        return made.pop() if len(made) == 1 else None

    def entered_with(self, bound: Bound, scope: Scope) -> str | None:
        """The class a local bound only by `with make(...) as x` (or `async with`), the
        same callee each time, holds an instance of (values.entered)."""
        if not bound or any(kind != "with" or not isinstance(value, ast.Call)
                            for kind, value in bound):
            return None
        key = (id(bound[0][1]), id(scope))
        if key not in self._entered:
            makers = {self.callee_name(value.func, scope)  # type: ignore[union-attr]
                      for _, value in bound}
            maker = makers.pop() if len(makers) == 1 else None
            self._entered[key] = (entered(self.made(maker))
                                  if maker is not None and maker not in CASTS else None)
        return self._entered[key]

    @staticmethod
    def one_maker(bound: Bound, name_of: Callable[[ast.AST], str | None]) -> str | None:
        """The callee, as `name_of` names it, that every binding of a local calls:
        `x = make(...)`, maybe again later (`x = make(...)`); None when they differ or a
        binding is anything else."""
        makers = {name_of(value.func) if kind == "assign" and isinstance(value, ast.Call)
                  else None for kind, value in bound}
        maker = makers.pop() if len(makers) == 1 else None
        return None if maker in CASTS else maker  # `cast(T, x)` makes nothing: it is x

    def held(self, name: str, found: tuple[Scope, list],
             attrs: list[str]) -> Instance | Unknown | None:
        """What `name.meth` or `self.attr.meth` is called on, as the value model tells:
        a fixture argument or a `self` attribute set up for the test. None when neither
        applies."""
        where, bound = found
        func = where.node
        if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        if name == "self" and len(attrs) == 2 and where.cls is not None:
            return self.ctx.values.attribute(where.cls, attrs[0])
        if len(attrs) == 1 and len(bound) == 1 and bound[0][0] == "param" \
                and name not in ("self", "cls"):
            return self.ctx.values.name(func, where.cls, name)
        return None

    def static_name(self, expr: ast.AST, scope: Scope) -> str | None:
        root, attrs = chain(expr)
        if not isinstance(root, ast.Name):
            return None
        found = self.scopes.lookup(root.id, scope)
        if found is None or found[0] is self.scopes.module:
            return self.ctx.static_dotted(expr)
        if not all(kind == "import" for kind, _ in found[1]):
            return None
        # imported in the function (`import httpx` in a test), every import agreeing
        module = {dotted for _, stmt in found[1]
                  for name, dotted in imported(stmt) if name == root.id}  # type: ignore
        one = module.pop() if len(module) == 1 else None
        return ".".join([one, *attrs]) if one else None
