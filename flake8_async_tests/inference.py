"""The one module that talks to astroid.

Everything here answers "don't know" (None) rather than guess: on any astroid
error, on Uninferable, on several candidates that disagree, and once a file has
used up its inference budget. astroid reads source only; nothing of the linted
project is imported or run (ImportGuard refuses the few imports astroid would do).
"""

from __future__ import annotations

import ast
import contextlib
import copy
import importlib.abc
import importlib.machinery
import logging
import os
import sys
import sysconfig
import time
import warnings
from collections.abc import Iterator, Sequence

import astroid
from astroid import nodes, util
from astroid.context import InferenceContext
from astroid.builder import AstroidBuilder
from astroid.exceptions import AstroidError
from astroid.manager import AstroidManager
from astroid.rebuilder import TreeRebuilder

from .index.facts import PLAIN_DECORATOR_NAMES
from .index.finder import installed_dirs

LOG = logging.getLogger("flake8.async_tests")
MANAGER = AstroidManager()
# astroid's process-wide settings while the plugin analyses a file (restored afterwards,
# for any other user of astroid in the process): never import C extensions of the linted
# project (astroid's default, made explicit), and fewer values per inference.
SETTINGS = {"always_load_extensions": False, "max_inferable_values": 20}
ASTROID_DIR = os.path.join(os.path.dirname(os.path.abspath(astroid.__file__)), "")

# Per linted file: inference questions it may ask (a count, so the answer never depends
# on machine load), and a CPU-time safety net for pathological inputs only.
FILE_QUESTIONS = 3000
FILE_SECONDS = 10.0
# Values one inference question may produce before it gives up.
NODES_PER_QUESTION = 60

# astroid raises its own errors, and sometimes plain ones from deep inside: those count
# as "unknown" only when they come out of astroid's code (see `own`).
ERRORS = (AstroidError, RecursionError, AttributeError, TypeError, ValueError, KeyError,
          IndexError, StopIteration, AssertionError, MemoryError, OSError, NotImplementedError)


def own(exc: BaseException) -> None:
    """Re-raise an exception caught as one of ERRORS unless astroid raised it (or it is
    astroid's own, a recursion or a memory error): a bug of this plugin must reach the
    containment of its rule family (AT000 and a failing test), not pass for "unknown"."""
    if isinstance(exc, (AstroidError, RecursionError, MemoryError)):
        return
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename.startswith(ASTROID_DIR):
            return
        trace = trace.tb_next
    raise exc


class LimitedContext(InferenceContext):
    """An inference context that gives up after NODES_PER_QUESTION values.

    max_inferred is a read-only slot on astroid's own class, so it is set here.
    """

    max_inferred = NODES_PER_QUESTION


class Budget:
    """How much inference one file may still use; once spent, every question answers None."""

    def __init__(self, questions: int = FILE_QUESTIONS, seconds: float = FILE_SECONDS) -> None:
        self.questions = questions
        self.deadline = time.process_time() + seconds
        self.exhausted = False

    def allows(self) -> bool:
        warm_up(self)
        if not self.exhausted:
            self.questions -= 1
            if self.questions < 0 or time.process_time() > self.deadline:
                self.exhausted = True
                LOG.info("flake8-async-tests: inference budget used up (%s); staying silent",
                         "questions" if self.questions < 0 else "seconds")
        return not self.exhausted


_budget: Budget = Budget()
# Which sys.path imports resolve against in the current analysis (a cache key; none yet).
path_key = -1
_path_keys: dict[tuple[str, ...], int] = {}


_warmed = False


def warm_up(budget: Budget | None = None) -> None:
    """Build the modules nearly every question needs, once per process and only once a file
    needs astroid at all, outside that file's budget: their first build alone can take a
    good part of a budget, which would make the first file's answers differ from others'."""
    global _warmed
    if _warmed:
        return
    _warmed = True
    started = time.process_time()
    try:
        _build_common()
    finally:
        if budget is not None:
            budget.deadline += time.process_time() - started


def _build_common() -> None:
    with _lean_builds():
        for name in ("builtins", "unittest", "unittest.case"):
            try:
                MANAGER.ast_from_module_name(name)
            except ERRORS as exc:
                own(exc)
                LOG.info("flake8-async-tests: astroid cannot build %s: %s", name, exc)


@contextlib.contextmanager
def _settings() -> Iterator[None]:
    """astroid's manager settings (shared by the whole process) as SETTINGS says, then back."""
    saved = {name: getattr(MANAGER, name) for name in SETTINGS}
    for name, value in SETTINGS.items():
        setattr(MANAGER, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(MANAGER, name, value)


@contextlib.contextmanager
def _lean_builds() -> Iterator[None]:
    """While the plugin analyses, astroid builds modules without two eager inferences.

    Building a module, astroid infers the object of every `x.attr = value` (to register
    the attribute), and the ancestors of every class with bases (to see whether it is an
    Enum). Each builds every module it reaches, which does the same in turn: most of the
    cost of a module, for facts no rule uses. Here attributes are registered as
    _register_attribute does, and only classes with a base spelled like an enum are
    checked. Both are restored afterwards, for any other user of astroid.
    """
    original = AstroidBuilder.delayed_assattr
    AstroidBuilder.delayed_assattr = _delayed_assattr  # type: ignore[method-assign]
    enum_slot = _enum_transform_slot()
    if enum_slot is not None:
        entries, at, (transform, predicate) = enum_slot
        entries[at] = (transform, _enum_spelled(predicate))
    try:
        yield
    finally:
        AstroidBuilder.delayed_assattr = original  # type: ignore[method-assign]
        if enum_slot is not None:
            entries, at, entry = enum_slot
            entries[at] = entry


def _delayed_assattr(builder: AstroidBuilder, node: nodes.AssignAttr) -> None:
    _register_attribute(node)


def _enum_transform_slot() -> tuple[list, int, tuple] | None:
    """Where astroid keeps its Enum class transform, if it is where astroid 3 and 4 keep it."""
    try:
        from astroid.brain import brain_namedtuple_enum as brain

        entries = MANAGER._transform.transforms[nodes.ClassDef]
        for at, entry in enumerate(entries):
            if tuple(entry) == (brain.infer_enum_class, brain._is_enum_subclass):
                return entries, at, entry
    except (ImportError, AttributeError, KeyError, TypeError, ValueError):
        pass
    return None


def _enum_spelled(predicate):  # type: ignore[no-untyped-def]
    def maybe_enum(cls: nodes.ClassDef) -> bool:
        for base in cls.bases:
            name = getattr(base, "attrname", None) or getattr(base, "name", None) or ""
            if "Enum" in name or "Flag" in name:
                return bool(predicate(cls))
        return False

    return maybe_enum


_installed_dirs = installed_dirs


class _Refused(importlib.abc.Loader):
    """The loader of a module that must not run: importing it fails before any of its code."""

    def __init__(self, name: str, place: str) -> None:
        self.name = name
        self.place = place

    def create_module(self, spec):
        LOG.info("flake8-async-tests: not importing %s from %s", self.name, self.place)
        raise ImportError(f"flake8-async-tests does not import {self.name} from {self.place}")

    def exec_module(self, module) -> None:  # pragma: no cover - create_module refuses first
        raise ImportError(f"flake8-async-tests does not import {self.name}")


class ImportGuard(importlib.abc.MetaPathFinder):
    """While a file is analysed, refuses to import modules from outside the interpreter's
    own directories.

    astroid imports a few modules for real: C extensions whose name looks like a standard
    library one, and, in its plugins, gi and numpy. With the project's directories on
    sys.path that would run the project's code. Such a module is still found (astroid looks
    modules up through the same finders), but loading it fails, and astroid answers
    "unknown".
    """

    def __init__(self) -> None:
        self.allowed = _installed_dirs()

    def allows(self, real: str) -> bool:
        """Is this real path in the interpreter's own directories?"""
        return any(real == d or real.startswith(d + os.sep) for d in self.allowed)

    def find_spec(self, name, path=None, target=None):
        spec = None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            try:
                spec = find(name, path, target)
            except Exception:  # the import itself will report it
                return None
            if spec is not None:
                break
        if spec is None:
            return None
        places = list(spec.submodule_search_locations or ())
        if spec.has_location and spec.origin:
            places.append(spec.origin)
        for place in places:
            if not self.allows(os.path.realpath(place)):
                refused = copy.copy(spec)
                refused.loader = _Refused(name, place)
                return refused
        return None


_guard: ImportGuard | None = None
_real: dict[str, str] = {}


def _realpath(path: str) -> str:
    found = _real.get(path)
    if found is None:
        found = _real[path] = os.path.realpath(path)
    return found


_listings: dict[str, frozenset[str]] = {}


def _top_names(directory: str) -> frozenset[str]:
    """Names a directory on sys.path makes importable at top level."""
    found = _listings.get(directory)
    if found is None:
        names = set()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    # x/, x.py, x.cpython-311-x86_64-linux-gnu.so: all 'x'; not x.png
                    name = entry.name.split(".")[0]
                    if name.isidentifier() and (
                            "." not in entry.name and _is_dir(entry)
                            or entry.name.endswith(_MODULE_SUFFIXES)):
                        names.add(name)
        except OSError:
            pass
        found = _listings[directory] = frozenset(names)
    return found


_MODULE_SUFFIXES = tuple(importlib.machinery.all_suffixes())


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _found_in(real: str, directory: str, top: str) -> bool:
    """Is the file `real`, of a module whose top-level name is `top`, found through the
    sys.path entry `directory` (as top.py, top/..., or an extension module top.*)?"""
    start = os.path.join(directory, top)
    return real.startswith(start) and real[len(start):len(start) + 1] in (os.sep, ".")


def _forget_other_projects(roots: Sequence[str], shared: Sequence[str],
                           first: Sequence[str]) -> None:
    """astroid caches modules by name for the whole process, and two projects can each have
    an `app`. Before a file is analysed with `roots` (the directories added to sys.path for
    it), the cache must hold no module that its name would not find now: found neither in
    the interpreter's directories nor through the process's own sys.path (`shared`), or
    found elsewhere when one of `roots` has a module of that name (and no entry of `first`,
    which come before the roots on sys.path, has it too). Otherwise astroid starts afresh."""
    global _warmed
    assert _guard is not None
    real_roots = [_realpath(r) for r in roots]
    own = [_top_names(r) for r in real_roots]
    fixed = frozenset().union(*(_top_names(_realpath(e or ".")) for e in first))
    shared_real = [_realpath(e or ".") for e in shared]
    for name, module in list(MANAGER.astroid_cache.items()):
        path = getattr(module, "file", None)
        if not path or not os.path.isabs(path):  # built from a string ("<?>")
            continue
        real = _realpath(path)
        top = name.split(".")[0]
        owner = next((r for r, names in zip(real_roots, own) if top in names), None)
        if owner is not None and top not in fixed:
            stale = not _found_in(real, owner, top)
        else:
            stale = not (_guard.allows(real)
                         or any(_found_in(real, entry, top) for entry in shared_real))
        if not stale:
            continue
        LOG.info("flake8-async-tests: %s is not what %r means here; clearing astroid's cache",
                 path, name)
        MANAGER.clear_cache()
        hooks = getattr(MANAGER, "_failed_import_hooks", None)
        if isinstance(hooks, list):  # clear_cache registers astroid's plugins once more
            hooks[:] = list(dict.fromkeys(hooks))
        _warmed = False
        return


def new_run() -> None:
    """Forget every module astroid built outside the standard library, and every answer
    given: a later run in the same process must see the project as it is now. The standard
    library does not change under a running interpreter, so its modules stay built."""
    global path_key
    stdlib = sysconfig.get_paths().get("stdlib", "")
    for name, module in list(MANAGER.astroid_cache.items()):
        path = getattr(module, "file", None) or ""
        if name == "builtins" or (name.split(".")[0] in sys.stdlib_module_names
                                  and "-packages" not in path
                                  and _realpath(path).startswith(_realpath(stdlib))):
            continue
        del MANAGER.astroid_cache[name]
    InferenceContext().inferred.clear()
    _forget_module_locations()
    path_key = -1
    for table in (_path_keys, _listings, _coroutine_verdicts):
        table.clear()


def _forget_module_locations() -> None:
    """astroid remembers where (and whether) it found a module by name, whatever sys.path
    was then: with another sys.path, the same name may find another file, or one where
    there was none. Built modules are checked by _forget_other_projects."""
    MANAGER._mod_file_cache.clear()
    try:
        from astroid.interpreter._import import spec
        from astroid.interpreter._import import util as import_util

        spec._find_spec.cache_clear()
        import_util.is_namespace.cache_clear()
        for finder in spec._SPEC_FINDERS:  # each remembers lookups on sys.path by name
            finder.find_module.cache_clear()
    except (ImportError, AttributeError):  # another astroid layout: its caches stay
        pass


@contextlib.contextmanager
def analysis(search_path: Sequence[str]) -> Iterator[None]:
    """Run one file's analysis: project directories importable, a fresh budget, imports of
    the project refused, astroid's warnings silenced (they are not the user's to act on)."""
    global _budget, _guard, path_key
    if _guard is None:
        _guard = ImportGuard()
    saved = list(sys.path)
    sys.meta_path.insert(0, _guard)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # astroid resolves imports from sys.path. Project directories go after the
            # standard library (a project file must never shadow a stdlib module astroid may
            # load) and before installed packages (the project's own code wins, as under
            # pytest).
            at = next((i for i, p in enumerate(saved) if "-packages" in p), len(saved))
            added = [p for p in search_path if p not in saved]
            key = _path_keys.setdefault((*saved[:at], *added, *saved[at:]), len(_path_keys))
            if key != path_key:  # what was cached under this sys.path still holds
                _forget_other_projects(added, saved, saved[:at])
                _forget_module_locations()
            path_key = key
            _budget = Budget()
            sys.path[at:at] = added
            with _lean_builds(), _settings():
                yield
    finally:
        sys.path[:] = saved
        if _guard in sys.meta_path:
            sys.meta_path.remove(_guard)


class _Rebuilder(TreeRebuilder):
    """astroid's rebuilder, made to leave the `ast` tree it reads as it found it.

    astroid drops docstrings from node bodies in place; flake8 hands the same tree to
    every plugin, so the bodies are put back after the rebuild.
    """

    def __init__(self) -> None:
        super().__init__(MANAGER)  # no source text: no token positions (pylint-only)
        self.shortened: list[tuple[ast.AST, list[ast.stmt]]] = []
        self.made: dict[int, nodes.NodeNG] = {}  # id of an `ast` node -> its astroid node

    def visit(self, node, parent):  # type: ignore[no-untyped-def, override]
        made = super().visit(node, parent)
        self.made[id(node)] = made
        return made

    def _get_doc(self, node):  # type: ignore[no-untyped-def]
        body = node.body
        result = super()._get_doc(node)
        if node.body is not body:
            self.shortened.append((node, body))
        return result


Built = tuple[nodes.Module, dict[int, nodes.NodeNG]]


def build_module(tree: ast.Module, path: str, modname: str) -> Built | None:
    """The astroid tree of the linted file, rebuilt from the `ast` tree flake8 parsed, and
    which astroid node each `ast` node (by id) became.

    As astroid's own builder does, with attributes registered as _register_attribute does.
    """
    warm_up(_budget)
    rebuilder = _Rebuilder()
    try:
        try:
            package = os.path.basename(path) == "__init__.py"
            module = rebuilder.visit_module(tree, modname, path, package)
        finally:
            for node, body in rebuilder.shortened:
                node.body = body  # type: ignore[attr-defined]
        # Caches the module, adds from-imported names, registers attributes (through
        # _lean_builds, active during analysis) and applies the transforms.
        module = AstroidBuilder(MANAGER)._post_build(module, rebuilder, "utf-8")
        return module, rebuilder.made
    except ERRORS as exc:
        own(exc)
        LOG.info("flake8-async-tests: astroid cannot build %s: %s", path, exc)
        return None


def _register_attribute(assattr: nodes.AssignAttr) -> None:
    """`self.x = v` in a method makes x an instance attribute, `cls.x = v` in a class
    method a class attribute: what astroid concludes after inferring `self` or `cls`.
    Attributes set on other objects are not registered."""
    expr = assattr.expr
    if not isinstance(expr, nodes.Name) or expr.name not in ("self", "cls"):
        return
    func = assattr.frame()
    if not isinstance(func, nodes.FunctionDef) or not isinstance(func.parent, nodes.ClassDef):
        return
    positional = [*(func.args.posonlyargs or ()), *(func.args.args or ())]
    if not positional or positional[0].name != expr.name or len(func.locals[expr.name]) != 1:
        return
    kind = "method"
    for name in decorator_names(func):
        if name in ("builtins.staticmethod", "builtins.classmethod"):
            kind = name.rsplit(".", 1)[1]
        elif name != "abc.abstractmethod":
            return  # a decorator of unknown effect: leave it alone
    cls = func.parent
    if kind == "method" and expr.name == "self":
        values = cls.instance_attrs.setdefault(assattr.attrname, [])
    elif kind == "classmethod" and expr.name == "cls":
        values = cls.locals.setdefault(assattr.attrname, [])
    else:
        return
    if assattr not in values:
        values.append(assattr)


def forget_module(module: nodes.Module) -> None:
    """Drop the linted module from astroid's caches (other modules stay cached).

    astroid's inference cache holds each question asked, keyed by node: the linted
    module's questions would keep every linted module alive for the whole run.
    """
    if MANAGER.astroid_cache.get(module.name) is module:
        del MANAGER.astroid_cache[module.name]
    cache = InferenceContext().inferred
    stale = [key for key in cache if _root_of(key[0]) is module]
    for key in stale:
        del cache[key]


def _root_of(node: nodes.NodeNG) -> nodes.NodeNG | None:
    try:
        return node.root()
    except ERRORS as exc:
        own(exc)
        return None


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
    except ERRORS as exc:
        own(exc)
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
    except ERRORS as exc:
        own(exc)
        return False


# -- classes --------------------------------------------------------------------


def _class_key(cls: nodes.ClassDef) -> str:
    return cls.qname() + "@" + str(cls.root().file)


def class_mro(cls: nodes.ClassDef, limit: int = 60) -> list[nodes.ClassDef] | None:
    """`cls` and all its ancestors, or None if any base cannot be inferred to one class, or
    the bases form a cycle (which Python cannot build, e.g. across circular imports)."""
    seen: dict[str, nodes.ClassDef] = {}
    bases_of: dict[str, list[str]] = {}
    order: list[nodes.ClassDef] = []
    stack = [cls]
    while stack:
        current = stack.pop()
        key = _class_key(current)
        if key in seen:
            continue
        seen[key] = current
        order.append(current)
        if len(order) > limit:
            return None
        bases_of[key] = []
        for base in current.bases:
            value = safe_infer(base)
            if isinstance(value, nodes.ClassDef):
                stack.append(value)
                bases_of[key].append(_class_key(value))
            else:
                return None  # unknown base: the caller must stay silent
    return None if _has_cycle(bases_of) else order


def _has_cycle(edges: dict[str, list[str]]) -> bool:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in edges:
        if start in state:
            continue
        state[start] = 1
        path = [(start, iter(edges[start]))]
        while path:
            node, rest = path[-1]
            child = next(rest, None)
            if child is None:
                state[node] = 2
                path.pop()
            elif state.get(child) == 1:
                return True
            elif child not in state:
                state[child] = 1
                path.append((child, iter(edges.get(child, ()))))
    return False


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
    except ERRORS as exc:
        own(exc)
        return True
    return meta is not None and qname(meta) not in PLAIN_METACLASSES


def is_stdlib(node: nodes.NodeNG) -> bool:
    try:
        top = node.root().name.split(".")[0]
    except ERRORS as exc:
        own(exc)
        return False
    return top in sys.stdlib_module_names or top == "builtins"


def qname(node: nodes.NodeNG) -> str | None:
    try:
        return node.qname()
    except ERRORS as exc:
        own(exc)
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
    except ERRORS as exc:
        own(exc)
        return None
    if len(assignments) != 1:
        return None if assignments else expr.name
    target = assignments[0]
    if target.root().name == "builtins":
        return f"builtins.{expr.name}"
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

# Decorators that leave a method's sync/async nature and its presence unchanged.
PLAIN_DECORATORS = PLAIN_DECORATOR_NAMES

_coroutine_verdicts: dict[tuple[str, str, int], bool] = {}


def _plain_coroutine(func: nodes.FunctionDef) -> bool:
    """An `async def` that is not an async generator and only has harmless decorators."""
    key = (str(func.root().file or func.root().name), qname(func) or "", func.lineno or 0)
    if key in _coroutine_verdicts:
        return _coroutine_verdicts[key]
    verdict = False
    if isinstance(func, nodes.AsyncFunctionDef):
        try:
            verdict = not func.is_generator() and all(
                name in PLAIN_DECORATORS for name in decorator_names(func))
        except ERRORS as exc:
            own(exc)
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


# -- members of modules and classes (mock targets and specs) ------------------------


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


def call_binds(func: nodes.FunctionDef, args: list[ast.expr], keywords: list[ast.keyword],
               implicit: int) -> bool | None:
    """Do a call's arguments fit `func`'s signature (after `implicit` leading parameters)?
    None when the call unpacks *args or **kwargs (it may or may not fit)."""
    if any(isinstance(a, ast.Starred) for a in args) or any(k.arg is None for k in keywords):
        return None
    sig = func.args
    if sig is None or sig.args is None:  # built from a live object: no signature
        return None
    posonly = [a.name for a in (sig.posonlyargs or [])]
    names = posonly + [a.name for a in sig.args]
    if implicit > len(names) and sig.vararg is None:
        return False  # self or cls has nowhere to go
    kwonly = [a.name for a in (sig.kwonlyargs or [])]
    required = set(names[implicit:len(names) - len(sig.defaults or [])])
    required |= {name for name, default in zip(kwonly, sig.kw_defaults or []) if default is None}
    positional = names[implicit:]
    if len(args) > len(positional) and sig.vararg is None:
        return False  # too many positional arguments
    given = set(positional[:len(args)])
    for keyword in keywords:
        name = keyword.arg
        if name in given:
            return False  # got multiple values
        if (name in positional and name not in posonly) or name in kwonly:
            given.add(name)
        elif sig.kwarg is None:
            return False  # unexpected keyword (or a positional-only one given by name)
    return required <= given


def module_by_name(name: str) -> nodes.Module | None:
    """The astroid tree of an importable pure-Python module, by dotted name."""
    if not _budget.allows():
        return None
    try:
        module = MANAGER.ast_from_module_name(name)
    except ERRORS as exc:
        own(exc)
        return None
    if not isinstance(module, nodes.Module) or not str(module.file or "").endswith(".py"):
        return None
    return module


def module_file(name: str) -> str | None:
    """The .py file astroid would build for a module name, found without building it."""
    try:
        location = str(MANAGER.file_from_module_name(name, None).location or "")
    except ERRORS as exc:
        own(exc)
        return None
    return location if location.endswith(".py") else None


def resolve_dotted(dotted: str, any_value: bool = False) -> nodes.NodeNG | None:
    """The module or class a dotted path names ('pkg.mod', 'pkg.mod.Class'), or None.
    With any_value, the last part may name any one certain value ('pkg.mod.func')."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        if module_file(".".join(parts[:cut])) is None:
            continue  # not a pure-Python module: nothing to build
        module = module_by_name(".".join(parts[:cut]))
        if module is None:
            continue
        owner: nodes.NodeNG = module
        rest = parts[cut:]
        for at, part in enumerate(rest):
            status, value = member(owner, part)
            last = at == len(rest) - 1
            if status != "present" or value is None or not (
                    isinstance(value, nodes.ClassDef) or (any_value and last)):
                return None
            owner = value
        return owner
    return None


def _module_is_closed(module: nodes.Module) -> bool:
    """A module whose names are all visible in its own source (no lazy or star tricks)."""
    if "__getattr__" in module.locals:
        return False
    for node in module.nodes_of_class((nodes.ImportFrom, nodes.Name)):
        if isinstance(node, nodes.ImportFrom) and any(n == "*" for n, _ in node.names):
            return False
        if isinstance(node, nodes.Name) and node.name in ("globals", "vars", "setattr"):
            return False
    return True


def class_is_closed(cls: nodes.ClassDef) -> list[nodes.ClassDef] | None:
    """The MRO of a class whose attributes are all visible in source, or None."""
    mro = class_mro(cls)
    if mro is None:
        return None
    try:
        ordered = cls.mro()
    except ERRORS as exc:
        own(exc)
        return None
    for klass in ordered:
        if not isinstance(klass, nodes.ClassDef):
            return None
        top = (qname(klass) or "").split(".")[0]
        if qname(klass) == "builtins.object":
            continue
        if top == "builtins" or not str(klass.root().file or "").endswith(".py"):
            return None  # built from a compiled module: its attributes are not all visible
        try:
            meta = klass.declared_metaclass()
        except ERRORS as exc:
            own(exc)
            return None
        if meta is not None and qname(meta) not in PLAIN_METACLASSES:
            return None
        if klass.decorators is not None and klass.decorators.nodes:
            return None
        if "__getattr__" in klass.locals or "__getattribute__" in klass.locals:
            return None
        if "__slots__" in klass.locals:
            return None
    return ordered


def _bare_annotations(klass: nodes.ClassDef) -> set[str]:
    """Names the class body only annotates (`x: int`), which sets no attribute."""
    return {node.target.name for node in klass.body
            if isinstance(node, nodes.AnnAssign) and node.value is None
            and isinstance(node.target, nodes.AssignName)}


def member(owner: nodes.NodeNG, name: str,
           want_value: bool = True) -> tuple[str, nodes.NodeNG | None]:
    """('present', value or None) / ('missing', None) / ('unknown', None) for owner.name.

    owner is a module or a class; a value is given only when it is one certain definition
    (and only if wanted: finding it may mean building the module an import names).
    """
    if not _budget.allows():
        return "unknown", None
    try:
        if isinstance(owner, nodes.Module):
            if name in owner.locals:
                if not want_value:
                    return "present", None
                return "present", _single(owner, name, owner.locals[name])
            if owner.package and module_by_name(f"{owner.name}.{name}") is not None:
                return "present", None
            if not str(owner.file or "").endswith(".py") or not _module_is_closed(owner):
                return "unknown", None
            return "missing", None
        if isinstance(owner, nodes.ClassDef):
            ordered = class_is_closed(owner)
            if ordered is None:
                return "unknown", None
            for klass in ordered:
                if name in klass.locals:
                    if name in _bare_annotations(klass):
                        return "unknown", None
                    if not want_value:
                        return "present", None
                    return "present", _single(klass, name, klass.locals[name])
            return "missing", None
    except ERRORS as exc:
        own(exc)
        return "unknown", None
    return "unknown", None


def _single(owner: nodes.NodeNG, name: str, definitions: list[nodes.NodeNG]) -> nodes.NodeNG | None:
    """The value behind a name's only definition (functions, classes, imports), or None."""
    if len(definitions) != 1:
        return None
    node = definitions[0]
    if isinstance(node, (nodes.FunctionDef, nodes.ClassDef)):
        return node
    if not isinstance(node, (nodes.AssignName, nodes.Import, nodes.ImportFrom)):
        return None
    context = LimitedContext()
    try:
        values = list(owner.igetattr(name, context=context))
    except ERRORS as exc:
        own(exc)
        return None
    if not values or any(isinstance(v, util.UninferableBase) for v in values):
        return None
    first = values[0]
    return first if all(_same(first, v) for v in values[1:]) else None


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


def class_attribute_names(cls: nodes.ClassDef) -> set[str] | None:
    """dir(cls) as far as source shows it, or None when it cannot be known."""
    ordered = class_is_closed(cls)
    if ordered is None:
        return None
    names: set[str] = set()
    try:
        for klass in ordered:
            names.update(set(klass.locals) - _bare_annotations(klass))
    except ERRORS as exc:
        own(exc)
        return None
    return names


def annotated_names(cls: nodes.ClassDef) -> set[str]:
    names: set[str] = set()
    ordered = class_is_closed(cls) or []
    for klass in ordered:
        for node in klass.body:
            if isinstance(node, nodes.AnnAssign) and isinstance(node.target, nodes.AssignName):
                names.add(node.target.name)
    return names


def owner_of(expr: nodes.NodeNG) -> tuple[nodes.NodeNG, bool] | None:
    """(module or class, is an instance) for what an expression is, or None when unsure."""
    value = safe_infer(expr)
    if isinstance(value, (nodes.Module, nodes.ClassDef)):
        return value, False
    if type(value) is astroid.Instance and isinstance(value._proxied, nodes.ClassDef):
        return value._proxied, True
    return None


def instance_attribute(cls: nodes.ClassDef, name: str) -> bool:
    """Is `name` assigned on instances (self.name = ...) anywhere in the class's MRO?"""
    ordered = class_is_closed(cls) or [cls]
    for klass in ordered:
        for node in getattr(klass, "instance_attrs", {}).get(name, ()):
            try:
                frame = node.frame()
            except ERRORS as exc:
                own(exc)
                return True
            # Only assignments made by the class's own methods, not by the code under lint.
            if isinstance(frame, nodes.FunctionDef) and isinstance(frame.parent, nodes.ClassDef):
                return True
    return False


def sets_attributes_dynamically(cls: nodes.ClassDef) -> bool:
    """Does the class (or an ancestor) set attributes the source does not name: setattr(),
    `__dict__`, vars()? Then a name missing from its source may exist on instances."""
    for klass in class_is_closed(cls) or [cls]:
        try:
            for node in klass.nodes_of_class((nodes.Call, nodes.Attribute)):
                if isinstance(node, nodes.Attribute) and node.attrname == "__dict__":
                    return True
                if (isinstance(node, nodes.Call) and isinstance(node.func, nodes.Name)
                        and node.func.name in ("setattr", "vars")):
                    return True
        except ERRORS as exc:
            own(exc)
            return True
    return False


def is_module(value: nodes.NodeNG | None) -> bool:
    return isinstance(value, nodes.Module)


def is_class(value: nodes.NodeNG | None) -> bool:
    return isinstance(value, nodes.ClassDef)


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


def node_in_file(path: str, modname: str, lineno: int, col: int, kind: str) -> nodes.NodeNG | None:
    """The node of kind `kind` at (lineno, col) in another file of the project (a conftest.py)."""
    if not _budget.allows():
        return None
    try:
        module = MANAGER.ast_from_file(path, modname, source=True)
        for node in module.nodes_of_class(nodes.NodeNG):
            if (type(node).__name__ == kind and node.lineno == lineno
                    and node.col_offset == col):
                return node
    except ERRORS as exc:
        own(exc)
        return None
    return None
