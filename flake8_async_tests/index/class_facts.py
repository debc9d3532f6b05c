"""One class's facts, read from its `ast` node: what each name of its body is, its bases
and decorators as spelled, whether something may rewrite its methods, and what its
methods set on `self` (each attribute's value where the source tells it)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .defs import (
    ASYNC_DEF, DEF, MADE_BY, OTHER, chain, decorator_name, def_kind, overload, record_awaited,
    record_return, record_signature, spelled,
)
from .rewrites import SETATTR, dynamic_self
from .statements import (
    COMPOUND, assigned_to, bind_kind, blocks_of, bound_names, call_name, one_target, statements,
)
from .text import Text


# Class decorators and metaclasses that leave methods as written.
PLAIN_CLASS_DECORATORS = frozenset({"dataclass", "final", "total_ordering",
                                    "runtime_checkable", "unique"})


# What a method sets `self.x` to when that is one of its parameters: PARAMETER and the line
# (what a caller passes: its value is unknown).
PARAMETER = "<parameter> "


NONE = "<none>"  # `self.x = None`: no method of it makes a coroutine (it has none)


@dataclass
class ClassFacts:
    kinds: dict[str, str] = field(default_factory=dict)  # every name the body binds
    bases: list[str | None] = field(default_factory=list)  # as spelled; None: not a name
    plain: bool = True  # no metaclass, class decorator or __getattr__ of unknown effect
    self_names: list[str] = field(default_factory=list)  # `self.x = ...` in any method
    # what the methods that set `self.x` set it to, where the source tells for each:
    # MADE_BY and a callee as spelled, or NONE (each way, once; [] where they only set
    # `self.x.y`), or PARAMETER and a line
    self_values: dict[str, list[str]] = field(default_factory=dict)
    dynamic_self: bool = False  # `setattr(self, name, ...)`: an instance may have any name
    marked: bool = False  # a mark decorator or a pytestmark in its body
    # each coroutine method (an async def, not a generator, plain decorators): its kind
    # ("method", "staticmethod", "classmethod") and Signature.to_json()
    signatures: dict[str, list | None] = field(default_factory=dict)
    # each plain def: what calling it returns, as source says (see `record_return`)
    returns: dict[str, str] = field(default_factory=dict)
    # each coroutine function: what awaiting its call gives (see `record_awaited`)
    awaited: dict[str, str] = field(default_factory=dict)
    # class decorators (as spelled) that alone keep the class from being plain: the
    # resolver follows them (`keeps_class`)
    decorators: list[str] = field(default_factory=list)
    decorated: bool = False  # has a class decorator of unknown effect
    # why it is not plain, as its source shows, said of the class (for explanations):
    # "has metaclass M", "defines __getattr__", "has class decorator d"...
    why: str = ""
    # defines __init_subclass__ (outside the standard library): a hook that may rewrite
    # every subclass, not the class itself
    init_subclass: bool = False


def _is_mark(expr: ast.expr) -> bool:
    """`pytest.mark.x`, `mark.x(...)`: marks leave a class's methods alone."""
    while isinstance(expr, ast.Call):
        expr = expr.func
    root, names = chain(expr)
    if isinstance(root, ast.Name):
        names = [root.id, *names]
    return "mark" in names[:-1]


def _plain_class(node: ast.ClassDef) -> tuple[bool, list[str], bool, str]:
    """(no class decorator, metaclass or attribute hook that may rewrite its methods (an
    __init_subclass__ rewrites subclasses: `ClassFacts.init_subclass`); the decorators, as
    spelled, that are the only reason it is not, when each is a name the resolver may
    follow; whether it has class decorators of unknown effect; why it is not plain)."""
    unknown = [d for d in node.decorator_list
               if decorator_name(d) not in PLAIN_CLASS_DECORATORS and not _is_mark(d)]
    why = _body_not_plain(node)
    if not unknown:
        return not why, [], False, why
    names = [spelled(d) if isinstance(d, (ast.Name, ast.Attribute)) else None for d in unknown]
    followable = not why and None not in names
    return (False, [n for n in names if n] if followable else [], True,
            why or f"has class decorator {_text(unknown[0])}")


def _body_not_plain(node: ast.ClassDef) -> str:
    """Why the class's own header or body may rewrite its methods: a metaclass (ABCMeta
    aside), a class keyword, `__getattr__` or `__getattribute__`; "" when none does."""
    for keyword in node.keywords:
        if keyword.arg != "metaclass":
            return f"has class keyword {keyword.arg or '**'}"
        if decorator_name(keyword.value) != "ABCMeta":
            return f"has metaclass {_text(keyword.value)}"
    names = {getattr(stmt, "name", None) for stmt in node.body}
    hooks = sorted(names & {"__getattr__", "__getattribute__"})
    return f"defines {hooks[0]}" if hooks else ""


def _text(expr: ast.expr) -> str:
    text = spelled(expr) if isinstance(expr, (ast.Name, ast.Attribute)) else None
    if text is None:
        try:
            text = ast.unparse(expr)
        except Exception:  # pragma: no cover - unparse of a parsed tree
            text = "..."
    return text if len(text) <= 60 else text[:57] + "..."


def _self_attributes(func: ast.FunctionDef | ast.AsyncFunctionDef,
                     me: str) -> dict[str, list[str]]:
    """Attributes a method assigns on its first parameter (`self.x = ...`, `self.x += 1`,
    `with ... as self.x`, `for self.x in ...`), each with what each assignment sets it to:
    MADE_BY and the callee as spelled (`self.pool = Pool(...)`, or a local the method binds
    once, to that), PARAMETER and the line (`self.transport = transport`), or "" (anything
    else; anything set in a nested def or class)."""
    args = func.args
    params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)} - {me}
    local = set(params) | {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    found: dict[str, list[tuple[ast.expr | None, int]]] = {}
    stores: dict[str, list[ast.expr | None]] = {}  # the method's own locals: their values
    stack: list[tuple[ast.stmt, bool]] = [(stmt, True) for stmt in reversed(func.body)]
    while stack:
        node, own = stack.pop()
        single = isinstance(node, ast.Assign) or (isinstance(node, ast.AnnAssign)
                                                  and node.value is not None)
        for target in assigned_to(node):
            for sub in ast.walk(target):
                value = node.value if own and single and sub is target else None  # type: ignore
                if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) \
                        and sub.value.id == me:  # (`self.x.y = v` sets nothing on self)
                    stored = not isinstance(sub.ctx, ast.Load)
                    found.setdefault(sub.attr, []).extend([(value, node.lineno)] * stored)
                elif own and isinstance(sub, ast.Name):
                    stores.setdefault(sub.id, []).append(value)
        if own and isinstance(node, (ast.Import, ast.ImportFrom)):
            local.update((a.asname or a.name).split(".")[0] for a in node.names)
        if type(node) not in COMPOUND:
            continue
        nested = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if own and nested:
            local.add(node.name)
        if own:
            local.update(h.name for h in getattr(node, "handlers", ()) if h.name)
        stack.extend((stmt, own and not nested) for stmt in reversed(blocks_of(node)))
    local.update(stores)
    return {attr: [_set_value(value, line, params, local, stores) for value, line in values]
            for attr, values in found.items()}


def _set_value(value: ast.expr | None, line: int, params: set[str], local: set[str],
               stores: dict[str, list[ast.expr | None]]) -> str:
    """What one `self.x = value` of a method sets, as `_self_attributes` spells it."""
    if isinstance(value, ast.Constant) and value.value is None:
        return NONE
    if isinstance(value, ast.Name):
        if value.id in params:
            return f"{PARAMETER}{line}"
        bound = stores.get(value.id, [])
        value = bound[0] if len(bound) == 1 else None
    callee = call_name(value)
    if callee is None or callee.partition(".")[0] in local:
        return ""
    return MADE_BY + callee


def _agreed(values: list[str]) -> list[str] | None:
    """One attribute's values over every assignment of the class: the first PARAMETER (an
    unknown value), else each value once when the source tells every one (none: the
    class only sets attributes of it, `self.x.y = v`), else None."""
    for value in values:
        if value.startswith(PARAMETER):
            return [value]
    return None if "" in values else sorted(set(values))


def class_facts(node: ast.ClassDef, stdlib: bool, text: Text) -> ClassFacts:
    plain, decorators, decorated, why = _plain_class(node)
    cls = ClassFacts(bases=[spelled(b) for b in node.bases], plain=plain,
                     marked=any(_is_mark(d) for d in node.decorator_list),
                     decorators=decorators, decorated=decorated, why=why,
                     init_subclass=not stdlib and any(
                         getattr(stmt, "name", None) == "__init_subclass__"
                         for stmt in node.body))
    own: set[str] = set()
    values: dict[str, list[str]] = {}
    scoped = {name for stmt in node.body if isinstance(stmt, (ast.Global, ast.Nonlocal))
              for name in stmt.names}  # (an alias of such a name is no alias of a method)
    for stmt in statements(node.body):
        if overload(stmt):
            continue
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bind_kind(cls.kinds, stmt.name, def_kind(stmt))
            record_signature(cls.signatures, stmt, text)
            record_return(cls.returns, stmt)
            record_awaited(cls.awaited, stmt)
        alias = _alias(stmt)
        if (alias is not None and not scoped.intersection(alias)
                and cls.kinds.get(alias[1]) in (ASYNC_DEF, DEF)):
            _bind_alias(cls, *alias)
        else:
            for bound in bound_names(stmt):
                bind_kind(cls.kinds, bound, OTHER)
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            own.add(stmt.target.id)  # annotated only: an instance attribute
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.args.args:
            me = stmt.args.args[0].arg
            for attr, set_to in _self_attributes(stmt, me).items():
                values.setdefault(attr, []).extend(set_to)
            if text.mentions(stmt, SETATTR):
                named: set[str] = set()
                cls.dynamic_self = dynamic_self(stmt, me, named) or cls.dynamic_self
                for attr in named:  # setattr(self, "x", ...): set to what is not read
                    values.setdefault(attr, []).append("")
    own.update(values)
    cls.self_names = sorted(own)
    cls.self_values = {attr: agreed for attr, set_to in sorted(values.items())
                       if (agreed := _agreed(set_to)) is not None}
    cls.marked = cls.marked or "pytestmark" in cls.kinds
    return cls


def _alias(stmt: ast.stmt) -> tuple[str, str] | None:
    """(name, other) for `name = other` or `name: T = other`, both plain names."""
    name = one_target(stmt)
    value = getattr(stmt, "value", None)
    return (name, value.id) if name and isinstance(value, ast.Name) else None


def _bind_alias(cls: ClassFacts, name: str, other: str) -> None:
    """`handler = ping` in a class body, `ping` a def of the class above it: `handler` is
    that def under another name (its kind, signature and return), kept as a second
    definition of `handler` would be (record_signature, record_return, record_awaited)."""
    bind_kind(cls.kinds, name, cls.kinds[other])
    for found, disagree in ((cls.signatures, None), (cls.returns, ""), (cls.awaited, "")):
        if other in found:
            same = found.get(name, found[other]) == found[other]
            found[name] = found[other] if same else disagree
        elif found is not cls.signatures:
            found.pop(name, None)  # (record_return, record_awaited: not that kind of def)
        elif name in found:
            found[name] = None  # (record_signature: a name that is no coroutine function)
