"""The one module that talks to astroid.

Everything here answers "don't know" (None) rather than guess: on any astroid
error, on Uninferable, on several candidates that disagree, and once a file has
used up its inference budget. astroid reads source only; nothing of the linted
project is imported or run.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterator, Sequence

import astroid
from astroid import nodes, util
from astroid.context import InferenceContext
from astroid.exceptions import AstroidError
from astroid.manager import AstroidManager

LOG = logging.getLogger("flake8_async_tests")
MANAGER = AstroidManager()
# Never import C extensions of the linted project (astroid's default, made explicit).
MANAGER.always_load_extensions = False
MANAGER.max_inferable_values = 20

# Per linted file: inference questions it may ask (a count, so the answer never depends
# on machine load), and a CPU-time safety net for pathological inputs only.
FILE_QUESTIONS = 3000
FILE_SECONDS = 10.0

# astroid raises its own errors, and sometimes plain ones from deep inside.
ERRORS = (AstroidError, RecursionError, AttributeError, TypeError, ValueError, KeyError,
          IndexError, StopIteration, AssertionError, MemoryError, OSError, NotImplementedError)


class Budget:
    """How much inference one file may still use; once spent, every question answers None."""

    def __init__(self, questions: int = FILE_QUESTIONS, seconds: float = FILE_SECONDS) -> None:
        self.questions = questions
        self.deadline = time.process_time() + seconds
        self.exhausted = False

    def allows(self) -> bool:
        if not self.exhausted:
            self.questions -= 1
            if self.questions < 0 or time.process_time() > self.deadline:
                self.exhausted = True
                LOG.info("flake8-async-tests: inference budget used up; staying silent")
        return not self.exhausted


_budget: Budget = Budget()


_warmed = False


def warm_up() -> None:
    """Build the modules nearly every question needs once per process, outside any file's
    budget: on a busy machine astroid's first build of builtins and unittest alone can take
    longer than a whole budget, which made the first file's answers depend on machine load."""
    global _warmed
    if _warmed:
        return
    _warmed = True
    for name in ("builtins", "unittest", "unittest.case"):
        try:
            MANAGER.ast_from_module_name(name)
        except ERRORS as exc:
            LOG.info("flake8-async-tests: astroid cannot build %s: %s", name, exc)


@contextlib.contextmanager
def analysis(search_path: Sequence[str]) -> Iterator[None]:
    """Run one file's analysis: project directories importable, a fresh budget."""
    global _budget
    warm_up()
    _budget = Budget()
    saved = list(sys.path)
    # astroid resolves imports from sys.path. Project directories go after the standard
    # library (a project file must never shadow a stdlib module astroid may load) and before
    # installed packages (the project's own code wins, as under pytest).
    at = next((i for i, p in enumerate(saved) if "-packages" in p), len(saved))
    sys.path[at:at] = [p for p in search_path if p not in saved]
    try:
        yield
    finally:
        sys.path[:] = saved


def build_module(source: str, path: str, modname: str) -> nodes.Module | None:
    """The astroid tree of the linted file, built from the text flake8 already read."""
    try:
        return MANAGER.ast_from_string(source, modname, path)
    except ERRORS as exc:
        LOG.info("flake8-async-tests: astroid cannot build %s: %s", path, exc)
        return None


def forget_module(module: nodes.Module) -> None:
    """Drop the linted module from astroid's cache (other modules stay cached)."""
    if MANAGER.astroid_cache.get(module.name) is module:
        del MANAGER.astroid_cache[module.name]


def infer_all(node: nodes.NodeNG) -> list[nodes.NodeNG] | None:
    """All values `node` may have, or None if any is unknown or inference fails."""
    if not _budget.allows():
        return None
    context = InferenceContext()  # astroid caps each question at max_inferred (100) values
    try:
        values = []
        for value in node.infer(context=context):
            if isinstance(value, util.UninferableBase):
                return None
            values.append(value)
            if len(values) > MANAGER.max_inferable_values:
                return None
        return values or None
    except ERRORS:
        return None


def _same(a: nodes.NodeNG, b: nodes.NodeNG) -> bool:
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, (nodes.FunctionDef, nodes.ClassDef, nodes.Module)):
        return a.qname() == b.qname()
    if isinstance(a, astroid.Instance) and isinstance(b, astroid.Instance):
        return a._proxied is b._proxied
    if isinstance(a, astroid.BoundMethod) and isinstance(b, astroid.BoundMethod):
        return a._proxied is b._proxied
    return False


def safe_infer(node: nodes.NodeNG) -> nodes.NodeNG | None:
    """The single value of `node`, or None when unsure (none, several that disagree, errors)."""
    values = infer_all(node)
    if not values:
        return None
    first = values[0]
    if all(_same(first, other) for other in values[1:]):
        return first
    return None


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
    except ERRORS:
        return False


# -- classes --------------------------------------------------------------------


def class_mro(cls: nodes.ClassDef, limit: int = 60) -> list[nodes.ClassDef] | None:
    """`cls` and all its ancestors, or None if any base cannot be inferred to one class."""
    seen: dict[str, nodes.ClassDef] = {}
    order: list[nodes.ClassDef] = []
    stack = [cls]
    while stack:
        current = stack.pop()
        key = current.qname() + "@" + str(current.root().file)
        if key in seen:
            continue
        seen[key] = current
        order.append(current)
        if len(order) > limit:
            return None
        for base in current.bases:
            value = safe_infer(base)
            if isinstance(value, nodes.ClassDef):
                stack.append(value)
            else:
                return None  # unknown base: the caller must stay silent
    return order


PLAIN_METACLASSES = frozenset({"builtins.type", "abc.ABCMeta"})


def rewrites_subclasses(cls: nodes.ClassDef) -> bool:
    """A custom metaclass or __init_subclass__ may wrap the methods of every subclass.

    The standard library's classes are known not to.
    """
    if is_stdlib(cls):
        return False
    if "__init_subclass__" in cls.locals:
        return True
    try:
        meta = cls.declared_metaclass()
    except ERRORS:
        return True
    return meta is not None and qname(meta) not in PLAIN_METACLASSES


def is_stdlib(node: nodes.NodeNG) -> bool:
    try:
        top = node.root().name.split(".")[0]
    except ERRORS:
        return False
    return top in sys.stdlib_module_names or top == "builtins"


def qname(node: nodes.NodeNG) -> str | None:
    try:
        return node.qname()
    except ERRORS:
        return None


# -- names without inference ----------------------------------------------------


def dotted_name(expr: nodes.NodeNG, depth: int = 0) -> str | None:
    """The imported dotted name an expression spells, by scope lookup only (no inference).

    `pt.mark.asyncio` after `import pytest as pt` gives 'pytest.mark.asyncio'.
    """
    if depth > 20:
        return None
    if isinstance(expr, nodes.Attribute):
        base = dotted_name(expr.expr, depth + 1)
        return f"{base}.{expr.attrname}" if base else None
    if isinstance(expr, nodes.Call):
        return dotted_name(expr.func, depth + 1)
    if not isinstance(expr, nodes.Name):
        return None
    try:
        _, assignments = expr.lookup(expr.name)
    except ERRORS:
        return None
    if len(assignments) != 1:
        return None if assignments else expr.name
    target = assignments[0]
    if isinstance(target, nodes.Import):
        for name, alias in target.names:
            if (alias or name.split(".")[0]) == expr.name:
                return name if alias else name.split(".")[0]
        return None
    if isinstance(target, nodes.ImportFrom):
        for name, alias in target.names:
            if (alias or name) == expr.name and target.level in (None, 0):
                return f"{target.modname}.{name}"
        return None
    return None


# -- coroutine functions (AT2xx) ---------------------------------------------------

# Decorators that leave an `async def` a coroutine function.
_KEEPS_COROUTINE = frozenset({
    "staticmethod", "classmethod", "abc.abstractmethod", "functools.wraps",
    "typing.override", "typing_extensions.override",
})
_coroutine_verdicts: dict[tuple[str, str, int], bool] = {}


def _plain_coroutine(func: nodes.FunctionDef) -> bool:
    """An `async def` that is not an async generator and only has harmless decorators."""
    key = (str(func.root().file or func.root().name), qname(func) or "", func.lineno or 0)
    if key in _coroutine_verdicts:
        return _coroutine_verdicts[key]
    verdict = False
    if isinstance(func, nodes.AsyncFunctionDef):
        try:
            verdict = not func.is_generator()
            for deco in func.decorators.nodes if func.decorators else ():
                name = dotted_name(deco)
                if name is None and isinstance(deco, nodes.Name):
                    name = deco.name  # builtins: staticmethod, classmethod
                if name not in _KEEPS_COROUTINE:
                    verdict = False
        except ERRORS:
            verdict = False
    _coroutine_verdicts[key] = verdict
    return verdict


def coroutine_function(value: nodes.NodeNG | None) -> nodes.FunctionDef | None:
    """The `async def` a callee value certainly is (calling it makes a coroutine), or None.

    A method found on an ancestor counts only when the instance's whole ancestry is known,
    since an unknown base could override it with a sync method.
    """
    if value is None:
        return None
    func = function_of(value)
    if func is None or not _plain_coroutine(func):
        return None
    if isinstance(value, astroid.BoundMethod):
        bound = value.bound
        owner = bound._proxied if isinstance(bound, astroid.Instance) else bound
        defined_in = func.parent.frame() if func.parent is not None else None
        if isinstance(owner, nodes.ClassDef) and owner is not defined_in:
            if class_mro(owner) is None:
                return None
    return func
