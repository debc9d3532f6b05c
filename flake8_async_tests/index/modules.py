"""The modules of the index: where each is found (the import roots of the file being
linted), and its facts, read from the disk cache while the file is unchanged, else from the
archive shipped for the standard library (shipped.py), else from its source (an installed
module's names for the search in reach from its bytecode cache, see compiled.py). The
resolver asks its questions of what this module hands out.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import logging
import os
import sys
import weakref
from collections.abc import Iterable, Iterator

from .. import reads
from . import compiled, finder, shipped
from .facts import ModuleFacts, build
from .store import DEFAULT_DIR, Store

LOG = logging.getLogger("flake8.async_tests")

_roots: tuple[str, ...] = ()
_store: Store | None = None
_stores: dict[str, Store] = {}
_roots_of: dict[tuple[str, tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}
_cache_dir: str | None = None  # --async-tests-cache-dir
_use_cache = True
_facts: dict[tuple[str, str], ModuleFacts | None] = {}  # (path, name) -> facts
_seeded: dict[tuple[str, str], ModuleFacts] = {}
_names: dict[tuple[str, str], compiled.Names | None] = {}  # installed, from bytecode
_bindings: dict[str, frozenset[str] | None] = {}  # installed module path -> what it may bind
# the tree each was built from
_seeded_trees: dict[tuple[str, str], weakref.ReferenceType[ast.Module]] = {}
# The interpreter's standard library and installed packages, as real and as absolute
# paths (with a trailing separator): what is found there is "installed".
_system_roots = tuple({os.path.join(p, "") for d in finder.installed_dirs()
                       for p in (d, os.path.abspath(d))})


def configure(cache_dir: str | None, use_cache: bool) -> None:
    """The run's cache options; called where flake8 starts a run."""
    global _cache_dir, _use_cache
    _cache_dir = os.path.abspath(cache_dir) if cache_dir else None
    _use_cache = use_cache
    reads.IGNORED_NAMES.add(DEFAULT_DIR)  # no listing of a folder changes as a cache is made
    if _cache_dir:
        reads.IGNORED.add(_cache_dir)


def new_run() -> None:
    _facts.clear()
    _names.clear()
    _bindings.clear()
    _seeded.clear()
    _seeded_trees.clear()
    _stores.clear()
    _roots_of.clear()
    finder.new_run()


def roots_for(search_path: Iterable[str]) -> tuple[str, ...]:
    """Where imports resolve from: the interpreter's standard library, then the project's
    directories, then installed packages (as the analysis puts them on sys.path)."""
    key = (os.getcwd(), tuple(sys.path), tuple(search_path))
    found = _roots_of.get(key)
    if found is None:
        path = [os.path.abspath(p or ".") for p in sys.path]
        at = next((i for i, p in enumerate(path) if "-packages" in p), len(path))
        added = [p for p in key[2] if p not in path]
        found = _roots_of[key] = tuple(dict.fromkeys((*path[:at], *added, *path[at:])))
    return found


@contextlib.contextmanager
def scope(search_path: Iterable[str], rootdir: str | None = None,
          cached: bool = True) -> Iterator[None]:
    """Answer questions for one linted file: its import roots, its project's cache (none
    when not `cached`)."""
    global _roots, _store
    saved = _roots, _store
    _roots = roots_for(search_path)
    _store = _store_for(rootdir) if cached else None
    reads.folders(_roots)  # a module added there could change what a name finds
    try:
        yield
    finally:
        _roots, _store = saved


def cache_directory(rootdir: str | None) -> str | None:
    """Where the run keeps its caches for a project (None: --async-tests-no-cache)."""
    if not _use_cache:
        return None
    return _cache_dir or os.path.join(rootdir or os.getcwd(), DEFAULT_DIR)


def _store_for(rootdir: str | None) -> Store | None:
    directory = cache_directory(rootdir)
    if directory is None:
        return None
    if directory not in _stores:
        _stores[directory] = Store(directory)
    return _stores[directory]


def roots() -> tuple[str, ...]:
    """The import roots of the file being linted."""
    return _roots


def locate(name: str) -> str | None:
    return finder.locate(name, _roots)


# A module this large (its source, in bytes) is claimed before it is built, so that two
# `-j` workers do not both build it; a smaller one is cheaper to build twice than to claim
# (two more transactions, and a wait when another worker holds the claim).
CLAIM_BYTES = 16_384


class _Later:
    """What `module(name, wait=False)` gives for a module another process is reading."""


LATER = _Later()


def _read(path: str, name: str, wait: bool = True) -> ModuleFacts | _Later | None:
    package = os.path.basename(path) == "__init__.py"
    try:
        stat = reads.stat(path)
        entry = _store.entry(path, name) if _store is not None else None
        found = Store.facts_of(entry, path, name, stat)
        if found is not None:
            return found
        with open(path, "rb") as handle:
            source = handle.read()
        found = shipped.facts(path, name, source)
        if found is not None:
            return found  # (not saved: the archive is at hand in every run)
        claimed = False
        if _store is not None:
            found = Store.facts_of(entry, path, name, stat, source)  # (touched, same text)
            if found is None and len(source) >= CLAIM_BYTES:
                claimed = _store.claim(path, name)
                if not claimed and not wait:
                    return LATER  # (asked again later, when the other may be done)
                if not claimed:  # another worker builds it: its entry, once written
                    found = _store.wait(path, name, stat, source)
            if found is not None:
                return found
        try:
            facts = build(ast.parse(source, filename=path), name, package, source)
            if _store is not None:
                _store.save(path, stat, source, facts, now=claimed)
        finally:
            if claimed:
                _store.release(path, name)  # (after the entry is written)
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        LOG.debug("flake8-async-tests: no facts of %s: %s", name, exc)
        return None
    return facts


def module(name: str) -> ModuleFacts | None:
    """The facts of an importable pure-Python module, by dotted name."""
    found = module_or_later(name, wait=True)
    return None if isinstance(found, _Later) else found  # (never LATER when waiting)


def module_or_later(name: str, wait: bool = False) -> ModuleFacts | _Later | None:
    """module(name); unless `wait`, LATER where another process is reading the module
    for the disk cache (a caller with other modules to read asks again later, and the two
    processes read different modules meanwhile)."""
    path = locate(name)
    if path is None:
        return None
    key = (path, name)
    if key in _seeded:
        return _seeded[key]
    if key not in _facts:
        found = _read(path, name, wait)
        if isinstance(found, _Later):
            return found
        _facts[key] = found
    return _facts[key]


def may_bind(name: str, bound: str) -> bool:
    """May module `name` bind `bound` in its namespace? False only for an installed module
    whose bytecode cache shows that no statement of it does (compiled.bindings); True
    when unsure, and for the project's own modules."""
    path = locate(name)
    if path is None or not is_installed(path):
        return True
    if path not in _bindings:
        _bindings[path] = compiled.bindings(path)
    found = _bindings[path]
    return found is None or bound in found


def names(name: str) -> ModuleFacts | compiled.Names | None:
    """What the search of the modules in reach reads of an installed module (`defs`,
    `async_defs`, `modules`): its facts when at hand, else what the interpreter's bytecode
    cache tells where it can, else its facts."""
    path = locate(name)
    if path is None:
        return None
    key = (path, name)
    if key not in _seeded and key not in _facts:
        if key not in _names:
            _names[key] = _bytecode_names(path, name)
        if _names[key] is not None:
            return _names[key]
    return module(name)


def _bytecode_names(path: str, name: str) -> compiled.Names | None:
    """compiled.names, kept in the disk cache while the source and its cache file are as
    they were (their mtime and size, and the cache file's inode: the interpreter replaces
    it whole): a lookup instead of reading both files (about a tenth of a one-file run's
    time where pytest is in reach). Not kept where either changed too lately to tell, nor
    for a cache file stamped with the source's hash (only the source's text tells whether
    that one holds)."""
    if _store is None or not compiled.SUPPORTED:
        return compiled.names(path, name)
    try:
        source = reads.stat(path)  # (as compiled.names logs it)
        pyc = importlib.util.cache_from_source(path)
        cached = os.stat(pyc)
        with open(pyc, "rb") as handle:
            header = handle.read(8)  # the magic number, and the flags
    except (OSError, ValueError, NotImplementedError):
        return compiled.names(path, name)
    if reads.racy(source) or reads.racy(cached) or header[4:] != bytes(4):
        return compiled.names(path, name)  # (a hash-stamped cache file: the source's text tells)
    stamp = [source.st_mtime_ns, source.st_size, cached.st_ino, cached.st_mtime_ns,
             cached.st_size, int.from_bytes(header, "little")]
    kept = _store.names(path, name, stamp)
    if kept is not False:
        return kept
    found = compiled.names(path, name)
    _store.save_names(path, name, stamp, found)
    return found


def seed(path: str, name: str, tree: ast.Module, source: bytes | None = None) -> ModuleFacts:
    """The facts of the linted file, from the tree flake8 parsed (it may not be saved), and
    its text when known."""
    key = (os.path.abspath(path), name)
    reads.file(key[0])  # other files' findings may rest on it
    known = _seeded_trees.get(key)
    if key in _seeded and known is not None and known() is tree:
        return _seeded[key]  # a conftest.py, seeded again for each test file below it
    facts = build(tree, name, os.path.basename(path) == "__init__.py", source)
    _seeded[key] = facts
    _seeded_trees[key] = weakref.ref(tree)  # not kept alive: flake8's trees are freed
    return facts


def is_installed(path: str) -> bool:
    """Found in the interpreter's directories (standard library, installed packages)."""
    return path.startswith(_system_roots)
