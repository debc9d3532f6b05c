"""How a def is written, as its source says: its kind (a def, an async def, one with a
decorator of unknown effect), whether calling it makes a coroutine, its signature, what
its return annotation says it returns, and what a class-keeping function sets on a class.
Read by the index (facts.py) and by rules that look at a def of the linted file."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from ..signatures import Signature
from ..syntax import child_nodes
from .text import Text

# How a name is bound: a plain def or async def (decorators that keep it as written
# aside), a function with another decorator (no rule reports those), or anything else.
DEF, ASYNC_DEF, DECORATED, OTHER = "def", "async def", "decorated", "other"
# An async def whose one other decorator is `asynccontextmanager`: calling it makes an
# async context manager, which a plain `with` refuses before its body runs.
ASYNC_CM = "async context manager"
# Decorators that leave a function's sync or async nature as written (dotted, as inference
# resolves them; the index, which does not resolve names, goes by their last name).
PLAIN_DECORATOR_NAMES = frozenset({
    "builtins.staticmethod", "builtins.classmethod", "abc.abstractmethod", "functools.wraps",
    "typing.override", "typing_extensions.override",
})
PLAIN_DECORATORS = frozenset(n.rsplit(".", 1)[-1] for n in PLAIN_DECORATOR_NAMES)
_YIELD = re.compile(rb"\byield\b")


def decorator_name(expr: ast.expr) -> str:
    while isinstance(expr, ast.Call):
        expr = expr.func
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else ""


def def_kind(node: ast.stmt) -> str:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        other = [d for d in node.decorator_list if decorator_name(d) not in PLAIN_DECORATORS]
        if not other:
            return ASYNC_DEF if isinstance(node, ast.AsyncFunctionDef) else DEF
        if (isinstance(node, ast.AsyncFunctionDef) and len(other) == 1
                and isinstance(other[0], (ast.Name, ast.Attribute))
                and decorator_name(other[0]) == "asynccontextmanager"):
            return ASYNC_CM
        return DECORATED
    return OTHER


def makes_coroutine(node: ast.stmt, text: Text | None = None) -> bool:
    """An async def with plain decorators that is not an async generator: calling it makes
    a coroutine. (With `text`, the source of the module, a def whose lines never say
    `yield` is not walked.)"""
    if not isinstance(node, ast.AsyncFunctionDef) or def_kind(node) != ASYNC_DEF:
        return False
    if text is not None and not text.mentions(node, _YIELD):
        return True
    return not any(isinstance(sub, (ast.Yield, ast.YieldFrom)) for sub in own_nodes(node))


def own_nodes(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """Every node of a function's body, those inside nested functions and classes aside."""
    stack: list[ast.AST] = [*func.body]
    while stack:
        sub = stack.pop()
        yield sub
        if not isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(child_nodes(sub))


def _signature(node: ast.AsyncFunctionDef, in_class: bool) -> list:
    names = {decorator_name(d) for d in node.decorator_list}
    kind = ("function" if not in_class else "staticmethod" if "staticmethod" in names
            else "classmethod" if "classmethod" in names else "method")
    return [kind, Signature.of(node.args).to_json()]


def record_signature(found: dict[str, list | None], node: ast.stmt, text: Text,
                     in_class: bool = True) -> None:
    """Record a coroutine function's signature; None where two definitions of the name (in the
    branches of an `if`, say) disagree or one is no coroutine function."""
    name = node.name  # type: ignore[attr-defined]
    if not makes_coroutine(node, text):
        if name in found:
            found[name] = None
        return
    signature = _signature(node, in_class)  # type: ignore[arg-type]
    found[name] = signature if name not in found or found[name] == signature else None


GENERATOR = "<generator>"  # what a def annotated to return a Generator returns
OWN_CLASS = "<cls>"  # what a classmethod that returns `cls(...)` returns: its class
SELF = "<self>"  # what a method whose every return is `return self` returns


def record_return(found: dict[str, str], node: ast.stmt) -> None:
    """What calling a plain def returns, as its return annotation spells it (`Pipeline`,
    `"Pipeline"`, `mod.Cls`, `Generator[...]`), OWN_CLASS for a factory classmethod, or,
    unannotated, what its body returns when that is made by calling one name (MADE_BY);
    "" for anything else or where two definitions disagree."""
    if not isinstance(node, ast.FunctionDef) or def_kind(node) != DEF:
        found.pop(getattr(node, "name", ""), None)
        return
    returns = node.returns
    if isinstance(returns, ast.Constant) and isinstance(returns.value, str):
        try:
            returns = ast.parse(returns.value.strip(), mode="eval").body
        except (SyntaxError, ValueError, RecursionError):
            returns = None
    made = (spelled(returns) or "") if isinstance(
        returns, (ast.Name, ast.Attribute, ast.Subscript)) else ""  # "": unannotated too
    if _makes_own_class(node):
        made = OWN_CLASS  # whatever its annotation says (often a TypeVar)
    elif _returns_self(node):
        made = SELF  # (`-> Self`, `-> T` bound to the class...: the body says more)
    elif not made:
        made = _made_by_call(node) or ""
    _record(found, node.name, made)


def record_awaited(found: dict[str, str], node: ast.stmt) -> None:
    """What awaiting a call of a coroutine function gives (an async def with plain
    decorators; an async generator has no such value), read from its body as
    `record_return` reads a def's:
    OWN_CLASS for a factory classmethod (`return cls(...)`), SELF for a method whose every
    `return` gives `self` (`__aenter__`), MADE_BY and the callee when
    every `return` gives what calling one name makes; "" for anything else or where two
    definitions disagree. Its annotation is not read: the body alone is trusted."""
    if not isinstance(node, ast.AsyncFunctionDef) or def_kind(node) != ASYNC_DEF:
        found.pop(getattr(node, "name", ""), None)
        return
    made = (OWN_CLASS if _makes_own_class(node) else SELF if _returns_self(node)
            else _made_by_call(node) or "")
    _record(found, node.name, made)


def _record(found: dict[str, str], name: str, made: str) -> None:
    """What a def of `name` makes, or "" where an earlier definition says otherwise."""
    found[name] = made if found.get(name, made) == made else ""


def awaited_spelling(node: ast.AsyncFunctionDef) -> str:
    """What `record_awaited` records for one coroutine function (a nested one, read where
    it is defined): OWN_CLASS, SELF, MADE_BY and the callee as spelled, or ""."""
    found: dict[str, str] = {}
    record_awaited(found, node)
    return found.get(node.name, "")


MADE_BY = "<made by> "  # what a def returns when it returns what calling a name makes
# The name the index gives a class defined in a module-level def that the def returns an
# instance of (`func:Cls`; no dot: one name of its module, like a top-level class).
LOCAL_CLASS = "{func}:{cls}"
ABSOLUTE = "="  # a callee spelled by its absolute dotted name (imported in the def itself)


def _made_by_call(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """MADE_BY and the callee, as spelled, when the def ends with a `return` and every
    `return` of its own body gives `name(...)` (`pkg.Cls(...)`, `Cls.__new__(Cls)`), or a
    local bound once, by a statement of the body itself, to that (`pool = Pool(...)`, then
    `return pool`), the same name each time; a name the def binds itself (a parameter,
    say) is no such name, except a class it defines (LOCAL_CLASS) or a name only its own
    absolute import binds (ABSOLUTE and the dotted name). None otherwise."""
    last = _last_statement(node.body)
    if not isinstance(last, ast.Return) or not _may_be_made(last.value, node):
        return None  # (most defs end otherwise: no need to walk their bodies)
    args = node.args
    local = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    local.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    stores: dict[str, list[ast.AST]] = {}
    classes: dict[str, ast.ClassDef] = {}  # classes the def's own body defines, once
    imported: dict[str, list[str | None]] = {}  # what its own imports bind (None: relative)
    returned: list[ast.expr | None] = []
    for sub in own_nodes(node):
        if isinstance(sub, (ast.Yield, ast.YieldFrom, ast.Global, ast.Nonlocal)):
            return None
        if isinstance(sub, ast.Return):
            returned.append(sub.value)
        elif isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
            stores.setdefault(sub.id, []).append(sub)
        elif isinstance(sub, ast.ClassDef) and sub.name not in classes:
            classes[sub.name] = sub
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            local.add(sub.name)  # (a class defined twice among them)
        elif isinstance(sub, ast.Import):
            for alias in sub.names:
                imported.setdefault((alias.asname or alias.name).split(".")[0], []).append(
                    alias.name if alias.asname else alias.name.split(".")[0])
        elif isinstance(sub, ast.ImportFrom):
            for alias in sub.names:
                imported.setdefault(alias.asname or alias.name, []).append(
                    f"{sub.module}.{alias.name}" if sub.module and not sub.level else None)
        elif isinstance(sub, ast.ExceptHandler) and sub.name:
            local.add(sub.name)
    local.update(stores)
    single = {target.id: stmt.value for stmt in node.body  # run on every way through
              if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
              and isinstance(target := stmt.targets[0], ast.Name)
              and len(stores.get(target.id, ())) == 1}
    callees = set()
    for value in returned:
        if isinstance(value, ast.Name):
            value = single.get(value.id)
        if not isinstance(value, ast.Call) or not isinstance(value.func, (ast.Name,
                                                                          ast.Attribute)):
            return None
        root, names = chain(value.func)
        if names == ["__new__"] and isinstance(root, ast.Name) and len(value.args) == 1 \
                and isinstance(value.args[0], ast.Name) and value.args[0].id == root.id:
            names = []  # `Cls.__new__(Cls)`: a Cls, its __init__ not run
        if isinstance(root, ast.Name) and root.id in imported:
            found = imported[root.id]
            if len(found) != 1 or found[0] is None or root.id in local or root.id in classes:
                return None
            callees.add(ABSOLUTE + ".".join([found[0], *names]))  # imported in the def
            continue
        if isinstance(root, ast.Name) and not names and root.id in classes \
                and root.id not in local and not stores.get(root.id) \
                and not _bases_bound_in(classes[root.id], local | set(stores) | set(classes)):
            callees.add(LOCAL_CLASS.format(func=node.name, cls=root.id))
            continue
        if not isinstance(root, ast.Name) or root.id in local or root.id in classes:
            return None
        callees.add(".".join([root.id, *names]))
    return MADE_BY + callees.pop() if len(callees) == 1 else None


def mixed_return(node: ast.stmt) -> list | None:
    """Where what a plain def returns has no single value, as its body shows: [the local,
    the lines binding it] when every `return` gives one local (not a parameter) that the
    body binds more than once, to values that are not all calls of one name as spelled
    (`client = cls(...)`, `client = Cluster.from_url(...)`, `client = client.client()`,
    then `return client`); ["", the lines of the returns] when its returns give calls of
    different names (`return Manager()`, `return Store()`). None otherwise."""
    if not isinstance(node, ast.FunctionDef) or def_kind(node) != DEF:
        return None
    last = _last_statement(node.body)
    if not isinstance(last, ast.Return) or not isinstance(last.value, (ast.Name, ast.Call)):
        return None
    name = last.value.id if isinstance(last.value, ast.Name) else None
    args = node.args
    if name in {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs,
                                args.vararg, args.kwarg) if a is not None}:
        return None
    stores: list[ast.Name] = []
    returns: list[ast.Return] = []
    assigned: dict[int, ast.expr] = {}  # id of a store -> the value of its `name = value`
    for sub in own_nodes(node):
        if isinstance(sub, (ast.Yield, ast.YieldFrom)) or (
                isinstance(sub, (ast.Global, ast.Nonlocal)) and name in sub.names):
            return None
        if isinstance(sub, ast.Return):
            returns.append(sub)
            if not (isinstance(sub.value, ast.Name) and sub.value.id == name
                    if name else isinstance(sub.value, ast.Call)):
                return None
        elif isinstance(sub, ast.Name) and sub.id == name and not isinstance(sub.ctx, ast.Load):
            stores.append(sub)
        elif isinstance(sub, ast.Assign) and len(sub.targets) == 1:
            assigned[id(sub.targets[0])] = sub.value
    found: list[ast.AST] = stores if name else returns
    values = [assigned.get(id(store)) for store in stores] if name else [
        r.value for r in returns]
    if len(found) < 2:
        return None
    callees = {spelled(value.func) if isinstance(value, ast.Call) else None
               for value in values}
    if len(callees) == 1 and None not in callees:
        return None  # (one class made each way: the index or astroid may read it)
    return [name or "", sorted(each.lineno for each in found)]


def _bases_bound_in(cls: ast.ClassDef, local: set[str]) -> bool:
    """Does a base of `cls` (or a keyword of its header) name something its def binds?
    Then the module's names do not tell what it is."""
    for base in (*cls.bases, *(k.value for k in cls.keywords)):
        root, _ = chain(base)
        if not isinstance(root, ast.Name) or root.id in local:
            return True
    return False


def _last_statement(body: list[ast.stmt]) -> ast.stmt | None:
    """The last statement of a body, inside the `with` blocks it ends with."""
    last = body[-1] if body else None
    while isinstance(last, (ast.With, ast.AsyncWith)) and last.body:
        last = last.body[-1]
    return last


def local_class(node: ast.FunctionDef, made: str) -> ast.ClassDef | None:
    """The class a module-level def defines and returns an instance of, when `made` (what
    record_return found) names one."""
    if not made.startswith(MADE_BY) or ":" not in made:
        return None
    name = made.rpartition(":")[2]
    return next((sub for sub in own_nodes(node)
                 if isinstance(sub, ast.ClassDef) and sub.name == name), None)


def _may_be_made(value: ast.expr | None,
                 node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A quick look at a def's last `return`: `name(...)`, or a local its body assigns
    from a call of a name, where the name is no parameter."""
    if isinstance(value, ast.Name):
        value = next((stmt.value for stmt in node.body if isinstance(stmt, ast.Assign)
                      and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                      and stmt.targets[0].id == value.id), None)
    if not isinstance(value, ast.Call) or not isinstance(value.func, (ast.Name, ast.Attribute)):
        return False
    root, _ = chain(value.func)
    args = node.args
    return isinstance(root, ast.Name) and not any(  # not `self.make(...)`, `factory(...)`
        a.arg == root.id for a in (*args.posonlyargs, *args.args, *args.kwonlyargs))


def _makes_own_class(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A factory classmethod (`from_url`): every `return` of its own body gives
    `cls(...)`, there is one, and it yields nothing."""
    if not node.args.args or not any(decorator_name(d) == "classmethod"
                                     for d in node.decorator_list):
        return False
    first = node.args.args[0].arg
    found = False
    for sub in own_nodes(node):
        if isinstance(sub, (ast.Yield, ast.YieldFrom)):
            return False
        if isinstance(sub, ast.Return):
            value = sub.value
            if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                    and value.func.id == first):
                return False
            found = True
        elif isinstance(sub, ast.Name) and sub.id == first and isinstance(
                sub.ctx, (ast.Store, ast.Del)):
            return False  # `cls` rebound: not the class any more
    return found


def _returns_self(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A method (no staticmethod or classmethod) that ends with `return self` (its first
    parameter), whose every other `return` of its own body gives it too, and that yields
    nothing nor rebinds it (`__enter__`, `__aenter__`, a builder's setters)."""
    positional = [*node.args.posonlyargs, *node.args.args]
    last = _last_statement(node.body)
    if not positional or not isinstance(last, ast.Return) or not isinstance(
            last.value, ast.Name) or last.value.id != positional[0].arg or any(
            decorator_name(d) in ("staticmethod", "classmethod") for d in node.decorator_list):
        return False  # (most methods end otherwise: no need to walk their bodies)
    first = positional[0].arg
    found = False
    for sub in own_nodes(node):
        if isinstance(sub, (ast.Yield, ast.YieldFrom)):
            return False
        if isinstance(sub, ast.Return):
            if not (isinstance(sub.value, ast.Name) and sub.value.id == first):
                return False
            found = True
        elif isinstance(sub, ast.Name) and sub.id == first and isinstance(
                sub.ctx, (ast.Store, ast.Del)):
            return False
    return found


def overload(node: ast.stmt) -> bool:
    """A typing.overload stub: the definition after it replaces it."""
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
        decorator_name(d) == "overload" for d in node.decorator_list)


def chain(expr: ast.expr) -> tuple[ast.expr, list[str]]:
    """(the innermost value, the attribute names after it, in order) of `a.b.c`."""
    names: list[str] = []
    while isinstance(expr, ast.Attribute):
        names.insert(0, expr.attr)
        expr = expr.value
    return expr, names


def spelled(expr: ast.expr) -> str | None:
    """`a.b.C` for a base class expression (Generic[T] is Generic); None for anything else."""
    if isinstance(expr, ast.Subscript):
        expr = expr.value
    root, names = chain(expr)
    return ".".join([root.id, *names]) if isinstance(root, ast.Name) else None


def keeps_class(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str] | None:
    """The attributes a plain function sets on its first parameter when it only ever
    returns that parameter, reads its attributes, calls it or sets attributes on it
    (`cls.__init__ = new_init; return cls`, in nested functions too); None otherwise."""
    params = [*func.args.posonlyargs, *func.args.args]
    if not isinstance(func, ast.FunctionDef) or func.decorator_list or not params:
        return None
    me = params[0].arg
    last = func.body[-1]
    if not (isinstance(last, ast.Return) and isinstance(last.value, ast.Name)
            and last.value.id == me):
        return None
    if any(isinstance(sub, ast.Return) and not (
            isinstance(sub.value, ast.Name) and sub.value.id == me) for sub in own_nodes(func)):
        return None  # returns something else
    nodes = list(ast.walk(func))
    allowed: set[int] = set()
    set_attrs: set[str] = set()
    for sub in nodes:
        if isinstance(sub, ast.Return) and isinstance(sub.value, ast.Name):
            allowed.add(id(sub.value))
        elif isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) \
                and sub.value.id == me:
            allowed.add(id(sub.value))
            if isinstance(sub.ctx, ast.Store):
                set_attrs.add(sub.attr)
            elif isinstance(sub.ctx, ast.Del):
                return None
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name):
            allowed.add(id(sub.func))
        elif isinstance(sub, ast.arg) and sub.arg == me and sub is not params[0]:
            return None  # a nested function's parameter of the same name
    for sub in nodes:
        if isinstance(sub, ast.Name) and sub.id == me and id(sub) not in allowed:
            return None  # handed on, rebound, or anything else
    return sorted(set_attrs)
