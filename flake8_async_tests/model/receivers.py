"""The classes a method may be called on, read from source and the index through
attributes: `r.nodes_manager.move_slot()`, `nm = r.nodes_manager` then `nm.move_slot()`,
where `r` is made by calling a class (or a factory the index reads) and the class's
methods set `self.nodes_manager = NodesManager(...)` (resolver.instance_value). A local
bound several ways, or an attribute set several ways, may hold any of their classes; what
an unknown value gives (a method's result, what `with` enters, a part unpacked) is
unknown too.

AT200 asks this only after source and the index said nothing surer, and only to hear "no
coroutine" (a plain def on every class the value may be an instance of) or "unknown" (an
attribute set to a parameter: what a caller passes), never "a coroutine": an attribute
may be replaced from outside its class. An attribute this file sets on anything but
`self`, or names in a string (`patch.object(r, "pool")`, `setattr`), is not followed.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass

from ..index import resolver
from .callees import Callees
from .fixtures import FIXTURE_DECORATORS, Unknown
from .scopes import Scope, Scopes
from .values import CASTS, Instance, awaited_call

MAX_HOPS = 4  # `a = b.c`, `b = make()`...: followed this far
MAX_CHAIN = 32  # `a.b().c().d()`: calls in a chain read down to the first value


@dataclass(frozen=True)
class Made:
    """The value is an instance of one of `classes` (dotted, as the index reads them), or
    None (which has no method: none of `classes` then)."""

    classes: tuple[str, ...]
    exact: bool  # of that very class, not of a subclass the source cannot see


class Receivers:
    """Those questions for one file."""

    def __init__(self, ctx, scopes: Scopes, callees: Callees) -> None:
        self.ctx = ctx
        self.scopes = scopes
        self.callees = callees
        self._subclasses: dict[str, tuple[str, ...]] = {}  # class -> its subclasses here

    def of(self, expr: ast.AST, scope: Scope, depth: int = 0) -> Made | Unknown | None:
        """The classes of the value `expr` holds in `scope`: Made, Unknown (with why) or
        None (source and the index do not tell)."""
        if depth > MAX_HOPS:
            return None
        if isinstance(expr, ast.Constant) and expr.value is None:
            return Made((), True)
        awaited = awaited_call(expr, lambda func: self.callees.callee_name(func, scope))
        if awaited is not None:  # `await make()`, `asyncio.run(make())`
            made = self.callees.awaited_of(awaited, scope)
            if made is None or resolver.class_ancestors(made) is None:
                return None
            return Made((made,), True)
        if isinstance(expr, ast.Call):
            maker = self.callees.callee_name(expr.func, scope)
            made = self.callees.made(maker)
            if made is None or resolver.class_ancestors(made) is None:
                return self._unknown_call(expr, maker, scope, depth)
            return Made((made,), made != resolver.api_return(maker or ""))
        if isinstance(expr, ast.Attribute):
            return self._attribute(expr, scope, depth)
        if isinstance(expr, ast.Name):
            return self._name(expr.id, scope, depth)
        return None

    def _unknown_call(self, call: ast.Call, maker: str | None, scope: Scope,
                      depth: int) -> Unknown | None:
        """Unknown, with why, for a call whose value has no single one: a def whose
        returns the index reads as bound several ways (resolver.mixed_return), or a method
        of a value that is unknown itself (`p = r.pubsub()`, `r` unknown), down a chain
        of method calls (`bf.set(...).get(...)`, read a link at a time, MAX_CHAIN at most)."""
        for _ in range(MAX_CHAIN):
            why = resolver.mixed_return(maker) if maker and maker not in CASTS else None
            if why is not None:
                return Unknown(why)
            if not isinstance(call.func, ast.Attribute):
                return None
            receiver = call.func.value
            if not (isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute)):
                owner = self.of(receiver, scope, depth)  # (a call spends no hop)
                return owner if isinstance(owner, Unknown) else None
            call, maker = receiver, self.callees.callee_name(receiver.func, scope)
        return None

    def _attribute(self, expr: ast.Attribute, scope: Scope, depth: int) -> Made | Unknown | None:
        owner = self.of(expr.value, scope, depth + 1)
        if not isinstance(owner, Made):
            return owner
        if not owner.exact or expr.attr in self._set_here:
            return None
        classes: set[str] = set()
        exact = True
        for cls in owner.classes:
            found = resolver.instance_value(cls, expr.attr)
            if found is None:
                return None
            kind, what = found
            if kind == "parameter":
                return Unknown(what)  # type: ignore[arg-type]
            for made in what:  # type: ignore[attr-defined]
                api = made.startswith(resolver.API)
                exact = exact and not api
                classes.add(made[len(resolver.API):] if api else made)
        return Made(tuple(sorted(classes)), exact)

    def _name(self, name: str, scope: Scope, depth: int) -> Made | Unknown | None:
        found = self.scopes.lookup(name, scope)
        if found is None or found[0] is self.scopes.module:
            return None
        where, bound = found
        if name == "self" and len(bound) == 1 and self._method(where):
            own = self.callees.own_class(where) if self.ctx.indexed_here else None
            if own is None or resolver.class_ancestors(own) is None:
                return None
            return Made((own, *self._subclasses_here(own)), True)
        if len(bound) == 1 and bound[0][0] == "param":
            held = self.callees.held(name, found, ["_"])
            if isinstance(held, Unknown):
                return held  # (a fixture whose value is unknown, with why)
            return Made((held.cls,), True) if isinstance(held, Instance) else None
        if not bound or any(kind not in ("assign", "with", "unpack") or value is None
                            for kind, value in bound):
            return None
        each = [self.of(value, where, depth + 1) for _, value in bound]
        if any(kind != "assign" and not isinstance(found, Unknown)
               for (kind, _), found in zip(bound, each)):
            return None  # (what entering a value, or a part of it, holds: not followed)
        unknown = next((value for value in each if isinstance(value, Unknown)), None)
        if unknown is not None:
            return unknown  # (whatever the other bindings hold)
        if any(value is None for value in each):
            return None
        return Made(tuple(sorted({cls for value in each for cls in value.classes})),  # type: ignore
                    all(value.exact for value in each))  # type: ignore[union-attr]

    def _method(self, scope: Scope) -> bool:
        """A method whose `self` is the instance: undecorated, or a fixture of the class
        (pytest binds it to the test's instance), `self` bound nowhere else in it."""
        node = scope.node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                or scope.parent is None or not isinstance(scope.parent.node, ast.ClassDef):
            return False
        if any(self.ctx.resolve(d) not in FIXTURE_DECORATORS for d in node.decorator_list):
            return False
        positional = [*node.args.posonlyargs, *node.args.args]
        return bool(positional) and positional[0].arg == "self" \
            and len(scope.bindings.get("self", [])) == 1

    def _subclasses_here(self, owner: str) -> tuple[str, ...]:
        """The classes of this file that derive from `owner` (a class of this file), at
        any depth, by the names their bases spell: `self` may be one of those."""
        if owner in self._subclasses:
            return self._subclasses[owner]
        module, _, name = owner.rpartition(".")
        found: list[str] = []
        names = [name]
        while names:
            base = names.pop()
            for cls, facts in self.ctx.facts.classes.items():
                if cls not in found and any(spelled and spelled.rsplit(".", 1)[-1] == base
                                            for spelled in facts.bases):
                    found.append(cls)
                    names.append(cls)
        self._subclasses[owner] = tuple(f"{module}.{cls}" for cls in found)
        return self._subclasses[owner]

    @functools.cached_property
    def _set_here(self) -> frozenset[str]:
        """Attributes this file sets on something other than `self`, and every string of
        it that could name one (`patch.object(r, "pool")`, `setattr(r, "pool", x)`)."""
        found: set[str] = set()
        for node in self.ctx.syntax.of_type(ast.Attribute, ast.Constant):
            if isinstance(node, ast.Constant):
                if isinstance(node.value, str) and node.value.isidentifier():
                    found.add(node.value)
            elif not isinstance(node.ctx, ast.Load) and not (  # type: ignore[attr-defined]
                    isinstance(node.value, ast.Name) and node.value.id == "self"):  # type: ignore
                found.add(node.attr)  # type: ignore[attr-defined]
        return frozenset(found)
