"""The search of the modules a file's imports reach, transitively: could a name be a def
(an async def) anywhere there? A cheap filter before inference, and the only question here
whose answer depends on every module in reach, not on one.

Each module's reach is found once per run and shared by every file that imports it; an
installed module's is walked whole, a project module's stops at installed modules. The
standard library's modules that the shipped table holds (`stdlib`) are one key, not read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from . import finder, modules, stdlib

# More modules than this in reach of one file, and `reach` gives up (None).
MAX_REACH = 20_000
# Which modules define a name as a def (False) or an async def (True), among those reached.
_defining: dict[bool, dict[str, set[tuple[str, str]]]] = {False: {}, True: {}}
_named: set[tuple[str, str]] = set()
# module -> (its reach, the installed modules it meets, where its top-level names were
# found, none of those could be found in the project's roots); None: too far
_memo: dict[str, tuple[frozenset[tuple[str, str]], tuple[str, ...], dict[str, str | None],
                       bool] | None] = {}
_shadows: dict[tuple[str, ...], frozenset[str]] = {}
_still_valid: set[tuple[tuple[str, ...], str]] = set()


def new_run() -> None:
    _defining[False].clear()
    _defining[True].clear()
    _named.clear()
    _memo.clear()
    _still_valid.clear()
    _shadows.clear()


Key = tuple[str, str]  # (path, module name): one module as read from one file
# The modules of the standard library this version's table holds, as one.
STDLIB: Key = ("<standard library>", stdlib.VERSION)
_STDLIB_REACH = frozenset({STDLIB})


def _index_names(key: Key, defs: Iterable[str], async_defs: Iterable[str]) -> None:
    if key not in _named:
        _named.add(key)
        for name in defs:
            _defining[False].setdefault(name, set()).add(key)
        for name in async_defs:
            _defining[True].setdefault(name, set()).add(key)


class Reach:
    """Modules in reach of a file: the reach of each module it imports, found once per run
    and shared by every file that imports it (so not copied)."""

    def __init__(self, shared: dict[int, frozenset[Key]]) -> None:
        self.shared = list(shared.values())

    def __contains__(self, key: Key) -> bool:
        return any(key in keys for keys in self.shared)

    def __iter__(self) -> Iterator[Key]:
        seen: set[Key] = set()
        for keys in self.shared:
            seen |= keys
        return iter(seen)


def _walk(first: Iterable[str], shortcut: str,
          ) -> tuple[set[Key], dict[str, None], dict[str, str | None]]:
    """(keys of the modules expanded; the modules met whose own reach is taken instead of
    expanding them: every one with `shortcut` "all", installed ones with "installed", none
    with "none"; where each top-level name reached was found, and each name under a
    top-level namespace package). A project module another worker is reading for the disk
    cache is asked for again after the others (modules.module_or_later)."""
    seen: set[str] = set()
    found: set[Key] = set()
    shared: dict[str, None] = {}
    tops: dict[str, str | None] = {}
    stack = list(dict.fromkeys(first))
    starts = set(stack)
    later: list[str] = []  # project modules another process is reading: read at the end
    while stack or later:
        wait = not stack
        parts = (stack or later).pop().split(".")
        for cut in range(1, len(parts) + 1):
            dotted = ".".join(parts[:cut])
            if dotted in seen and not (wait and cut == len(parts)):
                continue
            seen.add(dotted)
            path = modules.locate(dotted)
            if cut == 1 or tops.get(parts[0], "") is None:
                # where a top-level name was found decides where all below it are; below
                # a namespace package (or no file), each name is recorded
                tops[dotted] = path
            if path is None:
                continue
            installed = modules.is_installed(path)
            if shortcut == "all" or (shortcut == "installed" and installed):
                shared[dotted] = None
                continue
            if stdlib.in_table(path):  # its names are in the shipped table
                _index_names(STDLIB, *stdlib.table())  # type: ignore[misc]
                found.add(STDLIB)
                continue
            known = _memo.get(dotted) if shortcut == "installed" else None
            if known is not None and dotted not in starts and _holds(dotted, known):
                found |= known[0]  # a project module whose reach is known: taken whole
                shared.update(dict.fromkeys(known[1]))
                tops.update(known[2])
                continue
            # (an installed module's names may come from its bytecode: see compiled.py)
            facts = (modules.names(dotted) if installed
                     else modules.module_or_later(dotted, wait=wait))
            if facts is modules.LATER:
                later.append(dotted)  # (its prefixes are done: only it is asked again)
                continue
            if facts is None:
                continue
            key = (path, dotted)
            _index_names(key, facts.defs, facts.async_defs)
            found.add(key)
            stack.extend(m for m in facts.modules if m not in seen)
            if not installed:  # the project's imports inside functions count too
                stack.extend(m for m in facts.lazy_modules  # type: ignore[union-attr]
                             if m not in seen)
        if len(seen) > MAX_REACH or len(found) > MAX_REACH:
            raise _TooFar
    return found, shared, tops


class _TooFar(Exception):
    pass


def _shadowing(roots: tuple[str, ...]) -> frozenset[str]:
    """Top-level names the project's own roots (those not on the interpreter's sys.path)
    provide: the only names whose place can differ between two sets of roots."""
    found = _shadows.get(roots)
    if found is None:
        names: set[str] = set()
        for root in roots:
            if not modules.is_installed(os.path.join(root, "")):
                names.update(finder.listing(root))
        found = _shadows[roots] = frozenset(names)
    return found


def _module_reach(dotted: str) -> tuple[frozenset[Key], tuple[str, ...]]:
    """(the modules a module reaches, the installed modules among them whose own reach is
    to be added), found once per run. An installed module's reach is walked whole; a
    project module's stops at installed modules. It holds for other roots when no
    top-level name it reached can be found in the project's roots, or else when each is
    still found where it was (checked once for each set of roots)."""
    known = _memo.get(dotted)
    if dotted in _memo and known is None:
        raise _TooFar
    if known is not None and _holds(dotted, known):
        return known[0], known[1]
    path = modules.locate(dotted)
    try:
        shortcut = "none" if path and modules.is_installed(path) else "installed"
        found, met, tops = _walk([dotted], shortcut)
    except _TooFar:
        _memo[dotted] = None
        raise
    keys = _STDLIB_REACH if found == _STDLIB_REACH else frozenset(found)
    roots = modules.roots()
    _memo[dotted] = (keys, tuple(met), tops, tops.keys().isdisjoint(_shadowing(roots)))
    _still_valid.add((roots, dotted))
    return keys, tuple(met)


def _holds(dotted: str, known: tuple) -> bool:
    """Does a module's reach found for other roots hold for these? Yes when no top-level
    name it reached can be found in the project's roots, or each is still found where it
    was (checked once for each set of roots)."""
    _, _, tops, clean = known
    roots = modules.roots()
    if (clean and tops.keys().isdisjoint(_shadowing(roots))) or (roots, dotted) in _still_valid:
        return True
    if all(modules.locate(top) == path for top, path in tops.items()):
        _still_valid.add((roots, dotted))
        return True
    return False


def reach(imported: Iterable[str]) -> Reach | None:
    """Every module these modules import, transitively (with the packages each import
    runs), as (path, name) keys; None when that is more than MAX_REACH modules from one
    of them. Imports inside functions are followed in the project's modules, not in
    installed ones (those are mostly optional dependencies; following them reaches most of
    the standard library from asyncio alone). The standard library's modules that the
    shipped table holds (`stdlib`) are one key, not read: any of them in reach brings all
    their names."""
    shared: dict[int, frozenset[Key]] = {}
    try:
        _, met, _ = _walk(imported, "all")
        installed: dict[str, None] = {}
        for name in met:
            keys, more = _module_reach(name)
            shared[id(keys)] = keys
            installed.update(dict.fromkeys(more))
        for name in installed:
            keys, _ = _module_reach(name)
            shared[id(keys)] = keys
    except _TooFar:
        return None
    return Reach(shared)


def defines(name: str, is_async: bool, found: Reach) -> bool:
    """Does any of these modules (from `reach`) define `name` as a def (an async def),
    at any depth?"""
    return any(key in found for key in _defining[is_async].get(name, ()))
