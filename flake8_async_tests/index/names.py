"""Following a dotted name through a module's imports, aliases and star imports to where it
is defined, as the index reads them (source facts only). Each answers None when the
source cannot tell: a star import of names it cannot list, a module that rewrites itself,
a name bound two ways.

The modules and their facts come from modules.py; resolver.py asks the questions.
"""

from __future__ import annotations

import builtins
import os
import sys

from . import finder, modules, stdlib
from .. import project
from .defs import OTHER
from .facts import ModuleFacts

BUILTIN_NAMES = frozenset(dir(builtins))
# Names the standard library provides through a module __getattr__ (a lazy import), which
# the index otherwise leaves unknown: what each really is.
LAZY_NAMES = {"unittest.IsolatedAsyncioTestCase": "unittest.async_case.IsolatedAsyncioTestCase"}
MAX_HOPS = 5
NOT_STARRED = object()  # no star import binds the name
# (id(module facts), roots) -> the names its star import binds (None: unknown)
_exported: dict[tuple[int, tuple[str, ...]], tuple[ModuleFacts, frozenset[str] | None]] = {}


def split_dotted(dotted: str) -> tuple[ModuleFacts, list[str]] | None:
    """The longest importable module prefix of a dotted name, and the rest."""
    for lazy, real in LAZY_NAMES.items():
        if dotted == lazy or dotted.startswith(lazy + "."):
            dotted = real + dotted[len(lazy):]
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        found = modules.module(".".join(parts[:cut]))
        if found is not None:
            return found, parts[cut:]
    return None


def follow(facts: ModuleFacts, name: str, hops: int = 0) -> tuple[ModuleFacts, str] | None:
    """(module, name) where `name` of `facts` is really defined; None when unknown."""
    if hops > MAX_HOPS:
        return facts, name
    starred = star_source(facts, name)
    if starred is None:
        return None
    if starred is not NOT_STARRED:
        return follow(starred, name, hops + 1)  # type: ignore[arg-type]
    target = facts.imports.get(name)
    if target is None and name in facts.aliases and not facts.rewritten:
        target = _aliased(facts, facts.aliases[name])  # `StrictRedis = Redis`
    if target is None:
        return facts, name
    found = split_dotted(target)
    if found is None or len(found[1]) != 1:
        return None
    return follow(found[0], found[1][0], hops + 1)


def _aliased(facts: ModuleFacts, other: str) -> str | None:
    """The dotted name a module-level alias stands for (`ModuleFacts.aliases`): a def or
    another alias of the module itself, or what `base_name` reads."""
    head = other.partition(".")[0]
    if head not in facts.imports and (head in facts.aliases
                                      or facts.kinds.get(head, OTHER) != OTHER):
        return f"{facts.name}.{other}"
    return base_name(facts, other)


def defined_at(dotted: str) -> str:
    """`dotted` as spelled where its first name after the module is defined, when the index
    can follow the imports and star imports to it (`asyncio.AbstractEventLoop` is
    `asyncio.events.AbstractEventLoop`); else `dotted` itself. astroid then builds the
    module that defines it, not every module a package star-imports."""
    found = split_dotted(dotted)
    if found is None or not found[1]:
        return dotted
    facts, rest = found
    followed = follow(facts, rest[0])
    if followed is None or followed[0] is facts or followed[0].rewritten \
            or followed[1] not in followed[0].kinds or followed[1] in followed[0].imports:
        return dotted
    return ".".join((followed[0].name, followed[1], *rest[1:]))


def star_source(facts: ModuleFacts, name: str) -> ModuleFacts | object | None:
    """The one star-imported module that binds `name` in `facts`; NOT_STARRED when no
    star import binds it; None when that cannot be told (a star module whose exports are
    unknown, two that bind it, or one that may replace a binding of the module's own)."""
    if not facts.stars or name in facts.late:
        return NOT_STARRED  # (a binding after every star import wins over them)
    found: list[ModuleFacts] = []
    for star in facts.stars:
        if not modules.may_bind(star, name):
            continue  # (asyncio star-imports 20 modules: one binds `create_task`)
        source = modules.module(star)
        if source is None and name.startswith("_") and native(star):
            continue  # a C module of the standard library exports no private name
        exported = _exports(source) if source is not None else None
        if exported is None:
            return None
        if name in exported:
            found.append(source)  # type: ignore[arg-type]
    if not found:
        return NOT_STARRED
    return found[0] if len(found) == 1 and name not in facts.kinds else None


def star_exports(dotted: str) -> frozenset[str] | None:
    """The names `from <dotted> import *` binds, when the index reads them; else None."""
    facts = modules.module(dotted) if dotted else None
    return _exports(facts) if facts is not None else None


def _exports(facts: ModuleFacts, depth: int = 0) -> frozenset[str] | None:
    """The names `from <module> import *` binds: its literal `__all__`, else its public
    names and those of its own star imports; None when unknown."""
    key = (id(facts), modules.roots())  # star modules are found from the file's import roots
    if key in _exported:
        return _exported[key][1]
    result: frozenset[str] | None = None
    if not facts.rewritten and facts.all_known and depth <= MAX_HOPS:
        if facts.all_names is not None:
            result = frozenset(facts.all_names)
        else:
            names = {n for n in facts.kinds if not n.startswith("_")}
            for star in facts.stars:
                source = modules.module(star)
                inner = _exports(source, depth + 1) if source is not None else None
                if inner is None:
                    break
                names |= inner
            else:
                result = frozenset(names)
    _exported[key] = (facts, result)  # the facts are kept so that the id stays theirs
    return result


def base_name(facts: ModuleFacts, base: str | None) -> str | None:
    """The dotted name a base class, as spelled in its module, stands for."""
    if base is None:
        return None
    head, _, rest = base.partition(".")
    starred = star_source(facts, head)
    if starred is None:
        return None
    if starred is not NOT_STARRED:
        found = f"{starred.name}.{head}"  # type: ignore[attr-defined]
    elif head in facts.imports:
        found = facts.imports[head]
    elif head in facts.classes or (head in facts.aliases and not facts.rewritten):
        found = f"{facts.name}.{head}"  # (an alias, `AsyncACL = ACL`, is followed there)
    elif head in facts.kinds:
        return None  # bound some other way
    elif head in BUILTIN_NAMES:
        found = f"builtins.{head}"
    else:
        return None
    return f"{found}.{rest}" if rest else found


def native_import(facts: ModuleFacts, name: str) -> bool:
    """Is `name` of `facts` bound only by an import from a C module of the standard
    library?"""
    return (not facts.rewritten and star_source(facts, name) is NOT_STARRED
            and native(facts.imports.get(name, "")))


def native(dotted: str) -> bool:
    """Is `dotted` in a standard-library module written in C (builtin, or an extension
    module of the standard library's directories)? None of those defines a coroutine
    function: their functions and methods make no coroutine."""
    top = dotted.split(".")[0]
    if top in sys.builtin_module_names:
        return True
    place = finder.extension_place(top, modules.roots())
    return place is not None and stdlib.holds_extensions(place)


def module_bound(facts: ModuleFacts, name: str) -> str | None:
    """The module a module's `name` surely is, bound by an import: `import tempfile` (`as
    tmp`), or `from pkg import sub` where `sub` is only the submodule (`submodule_only`)."""
    target = facts.imports.get(name)
    if target is None or facts.rewritten or star_source(facts, name) is not NOT_STARRED \
            or modules.locate(target) is None:
        return None  # (a star import after the import may bind the name again)
    package, _, last = target.rpartition(".")
    return target if not package or submodule_only(package, last) else None


def submodule_only(package: str, name: str) -> bool:
    """Is `from package import name` surely the submodule `package.name`: a package the
    index reads, that binds `name` no other way (nor may by a star import or a rewrite)?"""
    if modules.locate(f"{package}.{name}") is None:
        return False  # (most imported names are no submodule: nothing is read for them)
    facts = modules.module(package)
    return (facts is not None and facts.package and not facts.rewritten and not facts.stars
            and name not in facts.kinds)


def missing_submodule(dotted: str) -> tuple[str, str] | None:
    """(package, name) when `dotted` runs through a package of the project (not an
    installed one) that has no submodule and binds no attribute `name` where `dotted`
    needs one: importing it raises. None when it exists or the source cannot tell."""
    found = split_dotted(dotted)
    if found is None or not found[1]:
        return None
    facts, rest = found
    name = rest[0]
    package = dotted[:len(dotted) - len(".".join(rest)) - 1]
    path = modules.locate(package)
    if path is None or modules.is_installed(path) or not facts.package or facts.rewritten:
        return None
    if name in facts.kinds or _star_binds(facts, name, 0):
        return None
    if modules.locate(f"{package}.{name}") is not None:
        return None  # there, though the index cannot read it (unparsed_module)
    if project.written_by_build(os.path.join(os.path.dirname(path), f"{name}.py")):
        return None  # (a version file setuptools-scm or hatch-vcs writes on install)
    return package, name


def unparsed_module(dotted: str) -> str | None:
    """The first module `dotted` runs through that is there but that the index cannot read
    (it does not parse with this Python, or cannot be decoded), if any."""
    parts = dotted.split(".")
    for end in range(1, len(parts) + 1):
        name = ".".join(parts[:end])
        if modules.locate(name) is None:
            return None
        if modules.module(name) is None:
            return name
    return None


def _star_binds(facts: ModuleFacts, name: str, depth: int) -> bool:
    """May a star import of the module bind `name` (True when unsure)?"""
    for star in facts.stars:
        source = modules.module(star)
        if source is None or source.rewritten or depth > MAX_HOPS:
            return True
        if name in source.kinds or _star_binds(source, name, depth + 1):
            return True
    return False


def new_run() -> None:
    _exported.clear()
