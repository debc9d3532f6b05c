"""The standard library's def and async def names, shipped with the plugin per Python
version (as mypy ships typeshed), so that the reach of a file stops at the standard library
instead of reading its modules in every run.

A table holds every name defined as a def, and every name defined as an async def, in the
pure-Python modules of one version's standard library (`scan`). It is used only to say
whether a name *may* be defined in reach, so a table that holds more names than a given
interpreter's library costs a little speed, never a finding. `python
scripts/stdlib_names.py` adds the running interpreter's names to its version's table, and a
test checks that the table holds them all. On a patch release the table was not written
from, the few packages that define async defs are read from source as well. Packages no
test imports (CPython's own tests, IDLE, tkinter...) are left out of the table and read
from source like any other module when reached. A Python version without a table reads
its standard library from source too.
"""

from __future__ import annotations

import ast
import functools
import json
import os
import platform
import sys
import sysconfig
from collections.abc import Iterator

from .class_facts import ClassFacts
from .facts import ModuleFacts, build
from .defs import ASYNC_DEF
from .finder import scheme_dirs

# Top-level standard-library names read from source instead (large, and rarely imported by
# tests); names that are no identifier (site-packages, lib-dynload) are never modules.
LEFT_OUT = frozenset({"test", "idlelib", "tkinter", "turtledemo", "lib2to3", "ensurepip",
                      "pydoc_data", "__phello__"})
# The only top-level packages of the standard library that define an async def (a test
# checks it against the running interpreter). On a patch release the table was not written
# from, these are read from source: a name a patch release adds can then not be missed.
ASYNC_PACKAGES = frozenset({"asyncio", "contextlib", "unittest", "types", "_collections_abc"})
VERSION = "%d.%d" % sys.version_info[:2]
TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"stdlib-{VERSION}.json")


def directories() -> tuple[str, ...]:
    """The interpreter's standard-library directories, real and absolute, each with a
    trailing separator."""
    return tuple(sorted({os.path.join(p, "") for d in scheme_dirs(("stdlib", "platstdlib"))
                         for p in (os.path.realpath(d), os.path.abspath(d))}))


_DIRECTORIES = directories()
_EXTENSION_DIRECTORIES = frozenset(
    os.path.realpath(d) for d in (*_DIRECTORIES, sysconfig.get_config_var("DESTSHARED") or "",
                                  os.path.join(sys.base_exec_prefix, "DLLs")) if d)


def _top(path: str) -> str | None:
    """The top-level module name a file of the standard library belongs to, if it does."""
    found = _split(path)
    return found[0] if found is not None else None


def place(path: str) -> tuple[str, str] | None:
    """(top-level module, path from the library's directory with `/` between parts:
    `unittest/mock.py`) of a file of the standard library's table (LEFT_OUT aside); None
    for any other file."""
    found = _split(path)
    return found if found is not None and found[0].isidentifier() \
        and found[0] not in LEFT_OUT else None


def _split(path: str) -> tuple[str, str] | None:
    for root in _DIRECTORIES:
        if path.startswith(root):
            rest = path[len(root):]
            top = rest.split(os.sep, 1)[0]
            return top[:-3] if top.endswith(".py") else top, rest.replace(os.sep, "/")
    return None


def holds_extensions(directory: str) -> bool:
    """Is this directory (an import root) where the standard library's extension modules
    are (lib-dynload, DLLs)?"""
    return os.path.realpath(directory) in _EXTENSION_DIRECTORIES


def in_table(path: str) -> bool:
    """Is this .py file one whose names this version's table holds?"""
    found = _load()
    if found is None:
        return False
    top = _top(path)
    return (top is not None and top.isidentifier() and top not in LEFT_OUT
            and (found[2] or top not in ASYNC_PACKAGES))


def sync_class(dotted: str, path: str | None) -> bool:
    """Is `dotted` (`module.Class`, its module found at `path`) a class of this version's
    standard library that the table lists as making no coroutine (`scan_sync_classes`)?
    Its methods can then be told apart from coroutine functions without reading it."""
    found = _load()
    return found is not None and dotted in found[3] and holds(path, dotted.partition(".")[0])


def sync_alias(dotted: str) -> str | None:
    """The class of the table that makes no coroutine which `module.Name` names where a
    module of the table re-exports it (`pathlib.Path` is `pathlib._local.Path` on 3.13),
    as `scan_sync_aliases` found it; None when it names no such class."""
    found = _load()
    return None if found is None else found[4].get(dotted)


def holds(path: str | None, top: str) -> bool:
    """Is `path` a file of the standard library's top-level module `top`?"""
    return path is not None and _top(path) == top


def table() -> tuple[frozenset[str], frozenset[str]] | None:
    """(def names, async def names) of this version's standard library; None when no
    table ships for it (or it cannot be read)."""
    found = _load()
    return None if found is None else (found[0], found[1])


@functools.lru_cache(maxsize=1)
def _load() -> tuple[frozenset[str], frozenset[str], bool, frozenset[str], dict[str, str],
                     ] | None:
    """The table (def names, async def names, whether it was written from this very patch
    release, classes that make no coroutine, the names that re-export them)."""
    try:
        with open(TABLE, encoding="utf-8") as handle:
            data = json.load(handle)
        return (frozenset(data["defs"]), frozenset(data["async_defs"]),
                platform.python_version() in data["pythons"],
                frozenset(data.get("sync_classes", ())), dict(data.get("sync_aliases", {})))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def scan() -> tuple[set[str], set[str], set[str]]:
    """(def names, async def names, top-level packages with an async def) of the running
    interpreter's standard library, read from source as the index reads any module."""
    defs: set[str] = set()
    async_defs: set[str] = set()
    async_tops: set[str] = set()
    for _, top, path in _table_files():
        try:
            with open(path, "rb") as handle:
                source = handle.read()
            facts = build(ast.parse(source, filename=path), top,
                          path.endswith("__init__.py"), source)
        except (OSError, SyntaxError, ValueError, RecursionError):
            continue  # the index cannot read it either
        defs.update(facts.defs)
        async_defs.update(facts.async_defs)
        if facts.async_defs:
            async_tops.add(top)
    return defs, async_defs, async_tops


def scan_sync_classes() -> tuple[set[str], set[str]]:
    """(classes that make no coroutine, every top-level class) of the running interpreter's
    standard library, as `module.Class`. A class makes no coroutine when the index reads it
    and its ancestors, all in the standard library (extension-module bases aside); none of
    them is in a package that defines an async def (ASYNC_PACKAGES), or in a module that
    imports from asyncio or star-imports such a package; and none defines an async def,
    `__getattr__`, a metaclass or a class decorator, or sets attributes on its instances
    with `setattr`. Calling one of its methods then makes no coroutine. An attribute that
    holds what a caller handed in (`Thread._target`) is not followed: neither the index
    nor astroid follows it."""
    from . import modules, resolver  # (they import this module)

    sync: set[str] = set()
    every: set[str] = set()
    with modules.scope([], cached=False):
        for name, facts in _table_modules():
            for cls in facts.classes:
                every.add(f"{name}.{cls}")
                found = resolver.readable_ancestors(f"{name}.{cls}")
                if found is not None and all(_makes_no_coroutine(qualified, ancestor)
                                             for qualified, ancestor in found):
                    sync.add(f"{name}.{cls}")
    return sync, every


def scan_sync_aliases(sync: set[str]) -> dict[str, str]:
    """`module.Name` -> the class of `sync` it names, for each name a module of the table
    binds (its own or through a star import) that the index follows to a class of `sync`
    defined elsewhere (`resolver.defined_at`). A name of a module of the table that is
    neither in `sync` nor here is not known from the table to name such a class (a name a
    module hands out by its `__getattr__` is not here)."""
    from . import modules, resolver  # (they import this module)

    aliases: dict[str, str] = {}
    with modules.scope([], cached=False):
        for name, facts in _table_modules():
            bound = set(facts.kinds)
            for star in facts.stars:
                bound |= resolver.star_exports(star) or set()
            for attr in sorted(bound):
                defined = resolver.defined_at(f"{name}.{attr}")
                if defined != f"{name}.{attr}" and defined in sync:
                    aliases[f"{name}.{attr}"] = defined
    return aliases


def _makes_no_coroutine(qualified: str, cls: ClassFacts) -> bool:
    from . import modules  # (it imports this module)

    module = qualified.rpartition(".")[0]
    facts = modules.module(module)
    top = module.partition(".")[0]
    return (top not in ASYNC_PACKAGES and holds(modules.locate(module), top)
            and facts is not None
            and not any(target.partition(".")[0] == "asyncio" for target in facts.imports.values())
            and not any(star.partition(".")[0] in ASYNC_PACKAGES for star in facts.stars)
            and cls.plain and not cls.decorators and not cls.dynamic_self
            and not cls.signatures and ASYNC_DEF not in cls.kinds.values()
            and "__getattr__" not in cls.kinds and "__getattribute__" not in cls.kinds)


def _table_modules() -> Iterator[tuple[str, ModuleFacts]]:
    """(dotted name, facts) of each module of the table the index reads where the running
    interpreter finds it (within `modules.scope`)."""
    from . import modules  # (it imports this module)

    for name in _module_names():
        facts = modules.module(name)
        if facts is not None and holds(modules.locate(name), name.partition(".")[0]):
            yield name, facts


def _module_names() -> list[str]:
    """Dotted names of the pure-Python modules of the table (LEFT_OUT aside)."""
    names = set()
    for root, _, path in _table_files():
        parts = os.path.relpath(path, root)[:-3].split(os.sep)
        if parts[-1] == "__init__":
            parts.pop()
        if all(part.isidentifier() for part in parts):
            names.add(".".join(parts))
    return sorted(names)


def table_modules() -> Iterator[tuple[str, str, bool, str]]:
    """(path, dotted name, whether a package, the path's `place` in the library) of each
    pure-Python module of the table (LEFT_OUT aside), as the index reads them."""
    for root, _, path in _table_files():
        place = os.path.relpath(path, root).replace(os.sep, "/")
        parts = place[:-3].split("/")
        package = parts[-1] == "__init__"
        if package:
            parts.pop()
        if all(part.isidentifier() for part in parts):
            yield path, ".".join(parts), package, place


def _table_files() -> Iterator[tuple[str, str, str]]:
    """(directory, top-level module, path) of each .py file the table is written from."""
    for root in {os.path.realpath(d) for d in _DIRECTORIES}:
        for entry in sorted(os.listdir(root)):
            top = entry[:-3] if entry.endswith(".py") else entry
            if top.isidentifier() and top not in LEFT_OUT:
                for path in _files(os.path.join(root, entry)):
                    yield root, top, path


def _files(path: str) -> list[str]:
    if path.endswith(".py") and os.path.isfile(path):
        return [path]
    found = []
    for directory, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d.isidentifier()]
        found += [os.path.join(directory, f) for f in files if f.endswith(".py")]
    return found
