"""Functions: which callee a value is, whether it is a plain coroutine function, how a
call binds its arguments, whether a function surely returns no awaitable."""

from __future__ import annotations

import astroid
from astroid import nodes

from ..index.defs import PLAIN_DECORATOR_NAMES
from ..signatures import Signature
from .base import ERRORS, own
from .classes import class_mro
from .infer import safe_infer
from .names import dotted_name, qname


def callee(call: nodes.Call) -> nodes.NodeNG | None:
    """What a call calls, inferred with certainty, or None."""
    return safe_infer(call.func)


def function_of(value: nodes.NodeNG) -> nodes.FunctionDef | None:
    """The function definition behind a function, bound or unbound method value."""
    # A BoundMethod proxies an UnboundMethod, which proxies the FunctionDef.
    for _ in range(3):
        if isinstance(value, (astroid.BoundMethod, astroid.UnboundMethod)):
            value = value._proxied
    if isinstance(value, nodes.FunctionDef):  # AsyncFunctionDef is a subclass
        return value
    return None


def is_coroutine_function(value: nodes.NodeNG) -> bool:
    """True for an `async def` (not an async generator) function or method value."""
    func = function_of(value)
    if func is None or not isinstance(func, nodes.AsyncFunctionDef):
        return False
    try:
        return not func.is_generator()
    except ERRORS as exc:
        own(exc)
        return False


# Decorators that leave a method's sync/async nature and its presence unchanged.
PLAIN_DECORATORS = PLAIN_DECORATOR_NAMES


coroutine_verdicts: dict[tuple[str, str, int], bool] = {}


def _plain_coroutine(func: nodes.FunctionDef) -> bool:
    """An `async def` that is not an async generator and only has harmless decorators."""
    key = (str(func.root().file or func.root().name), qname(func) or "", func.lineno or 0)
    if key in coroutine_verdicts:
        return coroutine_verdicts[key]
    verdict = False
    if isinstance(func, nodes.AsyncFunctionDef):
        try:
            verdict = not func.is_generator() and all(
                name in PLAIN_DECORATORS for name in decorator_names(func))
        except ERRORS as exc:
            own(exc)
            verdict = False
    coroutine_verdicts[key] = verdict
    return verdict


def coroutine_function(value: nodes.NodeNG | None,
                       ) -> tuple[nodes.FunctionDef | None, str | None]:
    """(the `async def` a callee value certainly is: calling it makes a coroutine, None),
    or (None, the name of the instance's class) for an async def found on an ancestor of a
    class not every ancestor of which can be followed (a base that cannot be inferred, or
    more than class_mro follows: one may override it with a sync method), or (None, None).
    """
    func = function_of(value) if value is not None else None
    if func is None or not _plain_coroutine(func):
        return None, None
    if isinstance(value, astroid.BoundMethod):
        bound = value.bound
        owner = bound._proxied if isinstance(bound, astroid.Instance) else bound
        defined_in = func.parent.frame() if func.parent is not None else None
        if isinstance(owner, nodes.ClassDef) and owner is not defined_in \
                and class_mro(owner) is None:
            return None, owner.name
    return func, None


def implicit_first(value: nodes.NodeNG, on_instance: bool | None = None) -> int | None:
    """How many leading parameters a call of `value` fills by itself (self or cls): 1 or 0;
    None when that cannot be told. `on_instance` says how a method read from source alone
    (a FunctionDef, not an inferred bound or unbound method) is reached."""
    func = function_of(value)
    if func is None:
        return None
    kind = getattr(func, "type", None)
    if isinstance(value, astroid.BoundMethod):
        return 0 if kind == "staticmethod" else 1
    if isinstance(value, astroid.UnboundMethod):
        return 1 if kind == "classmethod" else 0
    if kind == "function" or kind == "staticmethod":
        return 0
    if kind == "classmethod":
        return 1
    if kind == "method" and on_instance is not None:
        return 1 if on_instance else 0
    return None


def signature_of(func: nodes.FunctionDef) -> Signature | None:
    """The signature astroid read for a function; None for one built from a live object."""
    sig = func.args
    if sig is None or sig.args is None:
        return None
    kwonly = [a.name for a in (sig.kwonlyargs or [])]
    return Signature(
        tuple(a.name for a in (sig.posonlyargs or [])), tuple(a.name for a in sig.args),
        len(sig.defaults or []), sig.vararg is not None, tuple(kwonly),
        tuple(n for n, d in zip(kwonly, sig.kw_defaults or []) if d is None),
        sig.kwarg is not None)


def decorator_names(func: nodes.FunctionDef) -> list[str | None]:
    if func.decorators is None:
        return []
    return [dotted_name(d) for d in func.decorators.nodes]


def plain_function(value: nodes.NodeNG | None) -> nodes.FunctionDef | None:
    """A function whose decorators cannot change what calling it returns, or None."""
    func = function_of(value) if value is not None else None
    if func is None:
        return None
    if any(name not in PLAIN_DECORATORS for name in decorator_names(func)):
        return None
    if not str(func.root().file or "").endswith(".py"):
        return None  # rebuilt from a compiled module: only a signature, no body
    return func


def is_async_def(func: nodes.NodeNG | None) -> bool:
    return isinstance(func, nodes.AsyncFunctionDef)


AWAITABLE_HINTS = ("Awaitable", "Coroutine", "Future", "Task", "Deferred", "Any", "object")


def surely_not_awaitable(func) -> bool:
    """A sync function whose result is plainly not awaitable (from its source)."""
    if func.returns is not None:
        text = func.returns.as_string()
        if any(h in text for h in AWAITABLE_HINTS):
            return False
        if text in ("None", "bool", "int", "str", "float", "bytes", "dict", "list", "set",
                    "tuple") or text.startswith(("dict[", "list[", "set[", "tuple[")):
            return True
    try:
        if func.is_generator():
            return False
    except ERRORS as exc:
        own(exc)
        return False
    plain = (nodes.Const, nodes.JoinedStr, nodes.List, nodes.Tuple, nodes.Dict, nodes.Set,
             nodes.ListComp, nodes.DictComp, nodes.SetComp, nodes.Compare, nodes.BoolOp)
    for ret in func.nodes_of_class(nodes.Return):
        if ret.scope() is not func:
            continue
        if ret.value is not None and not isinstance(ret.value, plain):
            return False
    return True
