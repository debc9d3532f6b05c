"""One file's analysis session: the project's directories on the import path (after the
standard library), astroid's settings, a fresh inference budget, the import guard, and
the caches to forget when the project around a file (or the run) changes."""

from __future__ import annotations

import contextlib
import importlib.machinery
import os
import sys
import sysconfig
import time
import warnings
from collections.abc import Iterator, Sequence

from astroid.context import InferenceContext

from .. import reads
from . import building
from .base import LOG, MANAGER
from .functions import coroutine_verdicts
from .guard import ImportGuard


# astroid's process-wide settings while the plugin analyses a file (restored afterwards,
# for any other user of astroid in the process): never import C extensions of the linted
# project (astroid's default, made explicit), and fewer values per inference.
SETTINGS = {"always_load_extensions": False, "max_inferable_values": 20}


# ... and of its inference contexts: astroid gives up on a question once it has inferred
# max_inferred (100) values for it, but it counts only values it had not cached, and its
# cache holds whatever earlier questions left there (earlier files, in this -j worker), so
# the same question in the same file got an answer or none depending on the file order.
# No cap here: max_inferable_values, the file's budget and astroid's own recursion guards
# bound the work.
CONTEXT = {"max_inferred": sys.maxsize}


# Per linted file: inference questions it may ask (a count, so the answer never depends
# on machine load), and a CPU-time safety net for pathological inputs only.
FILE_QUESTIONS = 3000


FILE_SECONDS = 10.0


class Budget:
    """How much inference one file may still use; once spent, every question answers None."""

    def __init__(self, questions: int = FILE_QUESTIONS, seconds: float = FILE_SECONDS) -> None:
        self.questions = questions
        self.deadline = time.process_time() + seconds
        self.exhausted = False

    def allows(self) -> bool:
        building.warm_up(self)
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


@contextlib.contextmanager
def _settings() -> Iterator[None]:
    """astroid's manager and context settings (shared by the whole process) as SETTINGS
    and CONTEXT say, then back."""
    owners = ((MANAGER, SETTINGS), (InferenceContext, CONTEXT))
    saved = [(owner, {name: getattr(owner, name) for name in wanted}) for owner, wanted in owners]
    for owner, wanted in owners:
        for name, value in wanted.items():
            setattr(owner, name, value)
    try:
        yield
    finally:
        for owner, values in saved:
            for name, value in values.items():
                setattr(owner, name, value)


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
            for entry in reads.scandir(directory, reads.CODE):
                # x/, x.py, x.cpython-311-x86_64-linux-gnu.so: all 'x'; not x.png
                name = entry.name.split(".")[0]
                if name.isidentifier() and (
                        "." not in entry.name and reads.entry_is_dir(entry)
                        or entry.name.endswith(_MODULE_SUFFIXES)):
                    names.add(name)
        except OSError:
            pass
        found = _listings[directory] = frozenset(names)
    return found


_MODULE_SUFFIXES = tuple(importlib.machinery.all_suffixes())


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
        building.forget_warm_up()
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
    for table in (_path_keys, _listings, coroutine_verdicts, _logged):
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
            with building.lean_builds(), _settings():
                yield
    finally:
        sys.path[:] = saved
        if _guard in sys.meta_path:
            sys.meta_path.remove(_guard)


_logged: dict[str, object] = {}  # module name -> the module of astroid's cache logged


def log_reads() -> bool:
    """Log the files astroid has read (reads.py): each module it built, and the folder it
    was found in (a module added beside it could change what a name finds); then whether
    the file's inference budget ran out (its findings then depend on the clock)."""
    for name, module in list(MANAGER.astroid_cache.items()):
        if _logged.get(name) is module:
            continue
        _logged[name] = module
        path = getattr(module, "file", None)
        if path and os.path.isabs(path):
            reads.folder(os.path.dirname(path), reads.CODE)
            reads.file(path)
            _log_packages(os.path.dirname(path))
        for portion in getattr(module, "path", None) or ():  # a package's folders
            if isinstance(portion, str) and os.path.isabs(portion):
                reads.folder(portion, reads.CODE)
    return _budget.exhausted


def _log_packages(folder: str) -> None:
    """The `__init__.py` of each package a module is in: astroid reads them to tell
    namespace packages while it looks for modules below them."""
    while True:
        init = os.path.join(folder, "__init__.py")
        if ("f", init) in reads.logged() or not os.path.isfile(init):
            return
        reads.file(init)
        folder = os.path.dirname(folder)


def allows() -> bool:
    """May the file being analysed ask astroid one more question?"""
    return _budget.allows()


def current() -> Budget:
    return _budget
