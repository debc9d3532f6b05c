"""The questions rules ask about names, answered from the index (source facts only).

`kinds_of` says how a function or method is written, `attribute` whether a module or class
has an attribute, `class_ancestors` what a class inherits from (whether a file's imports
can reach a def of some name is reach.py's question). Each answers None
(or UNKNOWN) when the source cannot tell: a star import of names it cannot list, a
metaclass, a module that rewrites itself, a base class that cannot be read, a name bound
two ways.

The modules and their facts come from modules.py.
"""

from __future__ import annotations

import builtins
import sys
from dataclasses import replace

from . import finder, modules, stdlib
from ..signatures import Signature
from .defs import ABSOLUTE, ASYNC_DEF, DEF, GENERATOR, MADE_BY, OTHER, OWN_CLASS
from .facts import NONE, PARAMETER, ClassFacts, ModuleFacts

BUILTIN_NAMES = frozenset(dir(builtins))
# Bases that add no methods of their own beyond dunders (their metaclasses aside).
TYPING_BASES = frozenset({"typing.Protocol", "typing.Generic", "typing_extensions.Protocol",
                          "abc.ABC"})
PRESENT, UNKNOWN = "present", "unknown"
# typing's aliases of classes (`typing.MutableMapping[str, str]` as a base) and the names
# of collections.abc: the class each stands for (typing binds them by calls, and
# collections.abc replaces itself in sys.modules on Python 3.13; the index follows neither).
_ABCS = ("AsyncGenerator", "AsyncIterable", "AsyncIterator", "Awaitable", "Callable",
         "Collection", "Container", "Coroutine", "Generator", "Hashable", "ItemsView",
         "Iterable", "Iterator", "KeysView", "Mapping", "MappingView", "MutableMapping",
         "MutableSequence", "MutableSet", "Reversible", "Sequence", "Sized", "ValuesView")
TYPING_ALIASES = {
    **{f"typing.{name}": f"_collections_abc.{name}" for name in _ABCS},
    **{f"collections.abc.{name}": f"_collections_abc.{name}" for name in (*_ABCS, "Set")},
    "typing.AbstractSet": "_collections_abc.Set",
    **{f"typing.{name}": f"builtins.{name.lower()}" for name in (
        "Dict", "FrozenSet", "List", "Set", "Tuple", "Type")},
    **{f"typing.{name}": f"collections.{origin}" for name, origin in (
        ("ChainMap", "ChainMap"), ("Counter", "Counter"), ("DefaultDict", "defaultdict"),
        ("Deque", "deque"), ("OrderedDict", "OrderedDict"))},
}
# Names the standard library provides through a module __getattr__ (a lazy import), which
# the index otherwise leaves unknown: what each really is.
LAZY_NAMES = {"unittest.IsolatedAsyncioTestCase": "unittest.async_case.IsolatedAsyncioTestCase"}
# Functions of the standard library whose value is documented (as typeshed annotates it)
# but not written in their source: the class that declares the methods of what they return.
# Only for telling a method from a coroutine function: the value is a subclass of it, so
# which attributes it has is not told.
API_RETURNS = {**{f"asyncio.{module}{name}": "asyncio.events.AbstractEventLoop"
                  for module in ("", "events.")
                  for name in ("new_event_loop", "get_event_loop", "get_running_loop")},
               "logging.getLogger": "logging.Logger"}
# Functions of the standard library that return an instance of a class written in C (as
# typeshed annotates them): no method of what they return makes a coroutine.
NATIVE_RETURNS = frozenset({"re.compile"})
NATIVE_VALUE = "<native>"  # (held_class: an instance of a class written in C)
# Standard-library classes whose whole API, at any depth, makes no coroutine: every method
# and property of their instances returns builtins, paths, files or generators of those,
# never something a caller handed in (as typeshed annotates pathlib).
CLOSED_APIS = frozenset(f"pathlib.{name}" for name in (
    "PurePath", "PurePosixPath", "PureWindowsPath", "Path", "PosixPath", "WindowsPath"))
MAX_HOPS = 5
API = "<api> "  # (instance_value: a class of API_RETURNS, not the value's own class)
NATIVE = frozenset({DEF})  # how kinds_of sees what a C module of the standard library defines
NOT_STARRED = object()  # no star import binds the name
MAX_MADE_BY = 3  # defs that return what another def makes: followed this far
GENERATOR_CLASSES = frozenset({"typing.Generator", "collections.abc.Generator",
                               "typing_extensions.Generator"})

_exported: dict[tuple[int, tuple[str, ...]], tuple[ModuleFacts, frozenset[str] | None]] = {}
# (id(module facts), class name, roots) -> the class as its decorators leave it
_decorated: dict[tuple[int, str, tuple[str, ...]], tuple[ModuleFacts, ClassFacts | None]] = {}
# (class, attribute, roots) -> instance_value's answer
_instance_values: dict[tuple[str, str, tuple[str, ...]], tuple[str, object] | None] = {}


def new_run() -> None:
    """A new flake8 run: the modules, the finder, the search in reach and the answers
    kept here start over."""
    modules.new_run()
    _exported.clear()
    _decorated.clear()
    _instance_values.clear()
    from . import reach  # (it imports this module)

    reach.new_run()


# -- following names -------------------------------------------------------------------


def _split(dotted: str) -> tuple[ModuleFacts, list[str]] | None:
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


def _follow(facts: ModuleFacts, name: str, hops: int = 0) -> tuple[ModuleFacts, str] | None:
    """(module, name) where `name` of `facts` is really defined; None when unknown."""
    if hops > MAX_HOPS:
        return facts, name
    starred = _starred(facts, name)
    if starred is None:
        return None
    if starred is not NOT_STARRED:
        return _follow(starred, name, hops + 1)  # type: ignore[arg-type]
    target = facts.imports.get(name)
    if target is None and name in facts.aliases and not facts.rewritten:
        target = _aliased(facts, facts.aliases[name])  # `StrictRedis = Redis`
    if target is None:
        return facts, name
    found = _split(target)
    if found is None or len(found[1]) != 1:
        return None
    return _follow(found[0], found[1][0], hops + 1)


def _aliased(facts: ModuleFacts, other: str) -> str | None:
    """The dotted name a module-level alias stands for (`ModuleFacts.aliases`): a def or
    another alias of the module itself, or what `_base_name` reads."""
    head = other.partition(".")[0]
    if head not in facts.imports and (head in facts.aliases
                                      or facts.kinds.get(head, OTHER) != OTHER):
        return f"{facts.name}.{other}"
    return _base_name(facts, other)


def defined_at(dotted: str) -> str:
    """`dotted` as spelled where its first name after the module is defined, when the index
    can follow the imports and star imports to it (`asyncio.AbstractEventLoop` is
    `asyncio.events.AbstractEventLoop`); else `dotted` itself. astroid then builds the
    module that defines it, not every module a package star-imports."""
    found = _split(dotted)
    if found is None or not found[1]:
        return dotted
    facts, rest = found
    followed = _follow(facts, rest[0])
    if followed is None or followed[0] is facts or followed[0].rewritten \
            or followed[1] not in followed[0].kinds or followed[1] in followed[0].imports:
        return dotted
    return ".".join((followed[0].name, followed[1], *rest[1:]))


def _starred(facts: ModuleFacts, name: str) -> ModuleFacts | object | None:
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


def _class_at(facts: ModuleFacts, rest: list[str]) -> tuple[ModuleFacts, str] | None:
    """(module, class name) where the class `rest` names from `facts` is defined."""
    if len(rest) != 1:
        return None
    followed = _follow(facts, rest[0])
    if followed is None or followed[1] not in followed[0].classes:
        return None
    return followed


def _base_name(facts: ModuleFacts, base: str | None) -> str | None:
    """The dotted name a base class, as spelled in its module, stands for."""
    if base is None:
        return None
    head, _, rest = base.partition(".")
    starred = _starred(facts, head)
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


def _ancestors(facts: ModuleFacts, name: str, seen: set[tuple[str, str]],
               path: tuple[tuple[str, str], ...] = (), natives: list[str] | None = None,
               ) -> list[tuple[str, ClassFacts]] | None:
    """(qualified name, facts) of the class and of every ancestor the index can read; None
    when one cannot be read (builtins and typing bases, which add no methods rules ask
    about, are skipped), when an ancestor defines `__init_subclass__` (the class's own
    runs for its subclasses only), or when a class is its own ancestor (Python cannot
    build it).
    With `natives`, a base defined by a standard-library extension module is added to it
    instead of making the answer None."""
    key = (facts.name, name)
    if key in path:
        return None
    if key in seen:
        return []  # met before through another base
    seen.add(key)
    cls = _class_facts(facts, name)
    if cls is None or facts.rewritten or len(seen) > 60:
        return None
    found = [(f"{facts.name}.{name}", cls)]
    for base in cls.bases:
        dotted = _base_name(facts, base)
        if dotted is None:
            return None
        dotted = TYPING_ALIASES.get(dotted, dotted)
        if dotted.startswith("builtins.") or dotted in TYPING_BASES:
            continue
        split = _split(dotted)
        at = _class_at(*split) if split is not None else None
        if at is None and natives is not None and native(dotted):
            natives.append(dotted)
            continue
        if at is None:
            return None
        inherited = _ancestors(at[0], at[1], seen, (*path, key), natives)
        if inherited is None or any(c.init_subclass for _, c in inherited):
            return None  # (an ancestor's __init_subclass__ may rewrite this class)
        found.extend(inherited)
    return found


def _class_facts(facts: ModuleFacts, name: str) -> ClassFacts | None:
    """A class of a module as the index can read it: plain, or made plain by decorators
    that return it and only set attributes on it (those become unknown). None when not."""
    cls = facts.classes.get(name)
    if cls is None or cls.plain or not cls.decorators:
        return cls if cls is not None and cls.plain else None
    key = (id(facts), name, modules.roots())  # decorators are found from the file's import roots
    if key not in _decorated:
        _decorated[key] = (facts, _undecorated(facts, cls))  # facts kept: the id stays theirs
    return _decorated[key][1]


def unreadable(dotted: str) -> str | None:
    """Why `class_ancestors(dotted)` is None, when the class's own module tells."""
    found = _split(dotted)
    if found is not None and found[0].rewritten:
        return "its module may rewrite its names (setattr, globals(), vars() or exec)"
    return None


def decorated_class(dotted: str) -> bool:
    """Is `dotted` a class with a class decorator the index cannot follow? (astroid infers
    such a class as written, whatever its decorator returns.)"""
    found = _split(dotted)
    at = _class_at(*found) if found is not None else None
    if at is None:
        return False
    cls = at[0].classes[at[1]]
    return cls.decorated and _class_facts(at[0], at[1]) is None


def _undecorated(facts: ModuleFacts, cls: ClassFacts) -> ClassFacts | None:
    changed: set[str] = set()
    for spelling in cls.decorators:
        if "." in spelling:
            dotted = _base_name(facts, spelling)
            found = _split(dotted) if dotted else None
            followed = (_follow(found[0], found[1][0])
                        if found is not None and len(found[1]) == 1 else None)
        else:
            followed = _follow(facts, spelling)  # defined here, or imported
        if followed is None or followed[0].rewritten \
                or followed[0].kinds.get(followed[1]) != DEF \
                or followed[1] not in followed[0].keeps_class:
            return None
        changed.update(followed[0].keeps_class[followed[1]])
    kinds = {**cls.kinds, **{name: OTHER for name in changed}}
    return replace(cls, plain=True, decorators=[], decorated=False, kinds=kinds,
                   signatures={k: v for k, v in cls.signatures.items() if k not in changed},
                   returns={k: v for k, v in cls.returns.items() if k not in changed})


def class_ancestors(dotted: str) -> dict[str, ClassFacts] | None:
    """The class a dotted name spells and all its ancestors (builtins and typing bases
    aside), by qualified name; None when the index cannot read one of them or the class
    may be rewritten (a metaclass, a class decorator, a hook). A subclass of it is also
    rewritten by the `__init_subclass__` of any of them (`ClassFacts.init_subclass`)."""
    found = _split(dotted)
    at = _class_at(*found) if found is not None else None
    classes = _ancestors(at[0], at[1], set()) if at is not None else None
    return dict(classes) if classes is not None else None


def readable_ancestors(dotted: str) -> list[tuple[str, ClassFacts]] | None:
    """As `class_ancestors`, but a base an extension module of the standard library
    defines is left out instead of making the answer None."""
    found = _split(dotted)
    at = _class_at(*found) if found is not None else None
    return _ancestors(at[0], at[1], set(), natives=[]) if at is not None else None


def sync_stdlib_class(dotted: str) -> bool:
    """Is `dotted` a class of the standard library, as found from the file's import roots,
    whose methods make no coroutine (stdlib.sync_class)? Told from the table alone, with no
    module read: where the table names it so, or where it names the class a module of the
    table re-exports under that name (`pathlib.Path`, defined in `pathlib._local` on
    3.13), both found in the standard library."""
    module = dotted.rpartition(".")[0]
    if not module:
        return False
    if stdlib.sync_class(dotted, modules.locate(module)):
        return True
    defined = stdlib.sync_alias(dotted)
    return (defined is not None and stdlib.holds(modules.locate(module), module.partition(".")[0])
            and stdlib.sync_class(defined, modules.locate(defined.rpartition(".")[0])))


def api_return(dotted: str) -> str | None:
    """The class whose API what a call of `dotted` returns has (API_RETURNS), where the
    file's imports find the standard library's module."""
    found = API_RETURNS.get(dotted)
    module = dotted.partition(".")[0]
    return found if found and stdlib.holds(modules.locate(module), module) else None


def closed_api(dotted: str) -> bool:
    """Is `dotted` one of CLOSED_APIS, or an attribute of one (`pathlib.Path.cwd`), where
    the file's imports find the standard library's module?"""
    module, _, rest = dotted.partition(".")
    name = ".".join([module, *rest.split(".")[:1]])
    return name in CLOSED_APIS and stdlib.holds(modules.locate(module), module)


def generic_class(dotted: str) -> bool:
    """Does `dotted[T](...)` make a `dotted` instance? Yes for a class the index reads
    (no metaclass) that defines no `__class_getitem__`: subscripting it gives a generic
    alias (typing's or the builtins'), and calling that calls the class."""
    classes = class_ancestors(dotted)
    return classes is not None and not any(
        "__class_getitem__" in cls.kinds for cls in classes.values())


def kinds_of(dotted: str) -> frozenset[str] | None:
    """How a module function (`pkg.mod.func`) or a method (`pkg.mod.Cls.meth`) is written:
    for a method, how the definition that wins writes it, or every way the class and its
    ancestors define it where the index cannot tell which wins (`_defining`). What a
    standard-library extension module defines counts as a def (it makes no coroutine).
    None when unknown, not found, or bound as something else than a def."""
    parts = dotted.split(".")
    if len(parts) < 2:
        return None
    found = _split(".".join(parts[:-1]))
    if found is None:
        return NATIVE if native(dotted) else None
    facts, rest = found
    if not rest:
        followed = _follow(facts, parts[-1])
        if followed is None and _native_import(facts, parts[-1]):
            return NATIVE  # imported from an extension module (`from _x import f`)
        kinds = ({followed[0].kinds.get(followed[1], OTHER)}
                 if followed is not None and not followed[0].rewritten else None)
    else:
        at = _class_at(facts, rest)
        if at is None and len(rest) == 1 and _native_import(facts, rest[0]):
            return NATIVE  # a class an extension module defines
        if at is None and len(rest) == 1:
            return _held_kinds(_held_at(facts, rest), parts[-1])
        natives: list[str] = []
        classes = _ancestors(at[0], at[1], set(), natives=natives) if at is not None else None
        kinds = None if classes is None else {
            c.kinds[parts[-1]] for _, c in (_defining(classes, parts[-1]) if not natives
                                            else classes) if parts[-1] in c.kinds}
        if natives and kinds is not None:
            kinds.add(DEF)  # a native base may define it, and defines no coroutine function
    if not kinds or OTHER in kinds:
        return None
    return frozenset(kinds)


def held_class(dotted: str) -> str | None:
    """The class of the instance a module-level name holds (`logger =
    logging.getLogger(__name__)` in `pkg.mod`, for `pkg.mod.logger`), read through
    re-exports, as `ModuleFacts.values` records it: a class the index reads, the class of
    API_RETURNS that declares its methods, or NATIVE_VALUE (a class written in C). None
    when unknown: bound otherwise, or more than once, or in a module that may rewrite
    itself."""
    found = _split(dotted)
    return _held_at(*found) if found is not None else None


def _held_at(facts: ModuleFacts, rest: list[str]) -> str | None:
    """held_class for `rest` (one name) of the module `facts`."""
    followed = _follow(facts, rest[0]) if len(rest) == 1 else None
    if followed is None or followed[0].rewritten:
        return None
    home, name = followed
    value = home.values.get(name)
    callee = _name_in(home, value[len(MADE_BY):]) if value else None
    if callee is None:
        return None
    module = callee.partition(".")[0]
    if callee in NATIVE_RETURNS and stdlib.holds(modules.locate(module), module):
        return NATIVE_VALUE
    made = _made_there(home, None, name, value)  # type: ignore[arg-type]
    return made[len(API):] if made and made.startswith(API) else made


def _held_kinds(held: str | None, name: str) -> frozenset[str] | None:
    """kinds_of for a method called on an instance of `held` (see held_class): None when
    an instance may also bind the name (`self.name = ...`, a computed setattr)."""
    if held == NATIVE_VALUE:
        return NATIVE
    classes = class_ancestors(held) if held is not None else None
    if classes is None or any(c.dynamic_self or name in c.self_names
                              for c in classes.values()):
        return None
    return kinds_of(f"{held}.{name}")


def _native_import(facts: ModuleFacts, name: str) -> bool:
    """Is `name` of `facts` bound only by an import from a C module of the standard
    library?"""
    return (not facts.rewritten and _starred(facts, name) is NOT_STARRED
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


def _defined(dotted: str) -> tuple[list[tuple[ModuleFacts, ModuleFacts | ClassFacts, str]],
                                   list[ClassFacts] | None] | None:
    """Where a module function (`pkg.mod.func`) or a method (`pkg.mod.Cls.meth`) is
    defined: ([(its module, the module or class that binds it, the name there)], the
    class and its ancestors for a method, None for a function). None when unknown."""
    parts = dotted.split(".")
    found = _split(".".join(parts[:-1]))
    if found is None:
        return None
    facts, rest = found
    name = parts[-1]
    if not rest:
        followed = _follow(facts, name)
        return ([(followed[0], followed[0], followed[1])], None) if followed else None
    at = _class_at(facts, rest)
    classes = _ancestors(at[0], at[1], set()) if at is not None else None
    if classes is None:
        return None
    owners: list[tuple[ModuleFacts, ModuleFacts | ClassFacts, str]] = []
    for qualified, cls in _defining(classes, name):
        home = modules.module(qualified.rsplit(".", 1)[0])
        if home is None:
            return None
        owners.append((home, cls, name))
    return owners, [cls for _, cls in classes]


def _defining(classes: list[tuple[str, ClassFacts]], name: str) -> list[tuple[str, ClassFacts]]:
    """The classes of `classes` (a class and its ancestors, `_ancestors`) that define
    `name`: only the one that wins where it derives from each of the others (Python's MRO
    puts a class before its ancestors, whatever the rest of the order is); every one of
    them where none does (mixins that each define it: their order decides)."""
    defining = [(qualified, cls) for qualified, cls in classes if name in cls.kinds]
    if len(defining) < 2:
        return defining
    for qualified, cls in defining:
        ancestors = class_ancestors(qualified)
        if ancestors is not None and all(other in ancestors for other, _ in defining):
            return [(qualified, cls)]
    return defining


def coroutine_signature(dotted: str, instance: bool) -> tuple[Signature, int] | None:
    """(signature, how many leading parameters the call fills by itself) of a coroutine
    function (`pkg.mod.func`) or method (`pkg.mod.Cls.meth`, called on an instance when
    `instance`), read from source; None when the index cannot be sure: not an async def
    (the one that wins, or every one where the index cannot tell which wins), a generator,
    definitions that disagree, an attribute the instance may set, a class with `__new__`."""
    found = _defined(dotted) if kinds_of(dotted) == {ASYNC_DEF} else None
    if found is None:
        return None
    owners, classes = found
    name = dotted.rsplit(".", 1)[1]
    if classes is None:
        entry = owners[0][1].signatures.get(owners[0][2])
        if entry is None or entry[0] != "function":
            return None
        return Signature.from_json(entry[1]), 0
    if any("__new__" in c.kinds or (instance and (name in c.self_names or c.dynamic_self))
           for c in classes):
        return None
    entries = [holder.signatures.get(name) for _, holder, _ in owners]
    if not entries or any(e is None or e != entries[0] for e in entries):
        return None
    kind, data = entries[0]  # type: ignore[misc]
    implicit = 0 if kind == "staticmethod" else 1 if kind == "classmethod" or instance else 0
    return Signature.from_json(data), implicit


def _spelled_return(dotted: str) -> tuple[list, str] | None:
    """(the definitions of a plain def, what each says calling it returns, as recorded by
    the index) when they all agree (for a method, the one that wins, where the index can
    tell: `_defining`); None when it is no plain def or they differ."""
    found = _defined(dotted) if kinds_of(dotted) == {DEF} else None
    if found is None or not found[0]:
        return None
    owners, _ = found
    made = {holder.returns.get(name, "") for _, holder, name in owners}
    if len(made) != 1 or "" in made:
        return None  # unannotated, or definitions that disagree
    return owners, made.pop()


def factory_class(dotted: str, depth: int = 0) -> str | None:
    """The class calling a def makes an instance of, read from its body: for a factory
    classmethod (`pkg.mod.Cls.from_url`, whose every return is `cls(...)`), the class it is
    called on; for a def that returns what calling one name makes (`pool = Pool(...)`,
    `return pool`), that class, or what that def makes in turn. None for anything else."""
    found = _spelled_return(dotted)
    if found is None:
        return None
    if found[1] == OWN_CLASS:
        return _called_on(dotted)
    return _made_by(found[0], found[1], depth) if found[1].startswith(MADE_BY) else None


def _made_by(owners: list, spelled: str, depth: int) -> str | None:
    """The class a def's body makes (`MADE_BY` and the callee as its module spells it):
    a class the index reads, with no `__new__`, or what a def called there makes."""
    called = {_name_in(home, spelled[len(MADE_BY):]) for home, _, _ in owners}
    callee = called.pop() if len(called) == 1 else None
    if callee is None:
        return None
    classes = class_ancestors(callee)
    if classes is not None:
        return None if any("__new__" in c.kinds for c in classes.values()) else callee
    return factory_class(callee, depth + 1) if depth < MAX_MADE_BY else None


def _name_in(facts: ModuleFacts, spelled: str) -> str | None:
    """The dotted name a name spelled in a module's code stands for: an import, a class,
    a plain def of the module (or a builtin); a name spelled whole (ABSOLUTE) is itself."""
    if spelled.startswith(ABSOLUTE):
        return spelled[len(ABSOLUTE):]
    head = spelled.partition(".")[0]
    if head in facts.kinds and facts.kinds[head] == DEF and head not in facts.imports:
        return f"{facts.name}.{spelled}"
    return _base_name(facts, spelled)


def _called_on(dotted: str) -> str | None:
    """The class a method `pkg.mod.Cls.meth` is spelled on, when the index reads it."""
    made = dotted.rpartition(".")[0]
    return made if class_ancestors(made) is not None else None


def returned_class(dotted: str) -> str | None:
    """What calling a plain function (`pkg.mod.func`) or method (`pkg.mod.Cls.meth`)
    returns, as its return annotation says: GENERATOR for `Generator[...]`, else the class
    it names when the index can read that class; for a def whose body makes its value,
    what `factory_class` says. None when unknown. An annotation may be wrong: this answers
    only "the call makes no coroutine", never the opposite."""
    found = _spelled_return(dotted)
    if found is None:
        return None
    owners, spelled = found
    if spelled == OWN_CLASS:
        return _called_on(dotted)
    if spelled.startswith(MADE_BY):
        return _made_by(owners, spelled, 0)
    dotted_class = _base_name(owners[0][0], spelled)
    if dotted_class is None or any(_base_name(home, spelled) != dotted_class
                                   for home, _, _ in owners):
        return None
    if dotted_class in GENERATOR_CLASSES:
        return GENERATOR
    return dotted_class if class_ancestors(dotted_class) is not None else None


def instance_value(dotted: str, attr: str) -> tuple[str, object] | None:
    """What `attr` of an instance of the class `dotted` may hold, as the methods of the
    class and its ancestors that set `self.attr` say: ("classes", the classes it may be an
    instance of) when each sets it to an instance of a class the index reads
    (`self.pool = Pool(...)`), to what a function of API_RETURNS returns (API and the
    class declaring its methods: `self.loop = asyncio.new_event_loop()`) or to None (no
    class: it has no method); ("parameter", where) when one sets it to one of its
    parameters (what a caller passes: unknown). None otherwise: set some other way, or
    also bound in a class body (a property, a class attribute), or never set, or a class
    that may be rewritten. A `setattr(self, name, value)` whose name is computed is not
    counted (astroid does not count it either): a caller would have to pass that name."""
    key = (dotted, attr, modules.roots())
    if key not in _instance_values:
        _instance_values[key] = _instance_value(dotted, attr)
    return _instance_values[key]


def _instance_value(dotted: str, attr: str) -> tuple[str, object] | None:
    classes = class_ancestors(dotted)
    if classes is None:
        return None
    made: set[str | None] = set()
    setters = 0
    for qualified, cls in classes.items():
        values = cls.self_values.get(attr, [""]) if attr in cls.self_names else None
        if values and values[0].startswith(PARAMETER):
            home = qualified.rsplit(".", 1)[0]
            return "parameter", f"{qualified}.{attr} is set to a parameter in {home}, " \
                                f"line {values[0][len(PARAMETER):]}"
        if attr in cls.kinds:
            made.add(None)
        elif values:
            setters += 1
            home_facts = modules.module(qualified.rsplit(".", 1)[0])
            made.update(_made_there(home_facts, cls, attr, value) for value in values)
    if not setters or None in made:
        return None
    made.discard(NONE)
    return "classes", tuple(sorted(made))  # type: ignore[arg-type]


def _made_there(home: ModuleFacts | None, cls: ClassFacts | None, attr: str,
                value: str) -> str | None:
    """A class (or API and a class, or NONE) that one `self.attr = ...` of a method of
    `cls` sets (with no class: a module-level `attr = ...`), as the index reads the
    module `home`; None when unknown."""
    if value == NONE:
        return NONE
    if home is None or not value.startswith(MADE_BY):
        return None
    callee = _name_in(home, value[len(MADE_BY):])
    api = api_return(callee) if callee is not None else None
    if api is not None:
        return f"{API}{api}"
    made = _made_by([(home, cls, attr)], value, 0) if callee is not None else None
    return made if made is not None and class_ancestors(made) is not None else None


def attribute(dotted: str, attr: str) -> str:
    """PRESENT when the module or class `dotted` certainly has `attr` (bound in its source or
    by one of its star imports, a submodule of a package, or bound by a class or any
    ancestor, one written in C read from the interpreter's own copy of its module), read
    through modules imported under a name (`pkg.mod.tempfile.X`); UNKNOWN otherwise.
    ("missing" needs more than source facts: a run-time hook, a builtin base, a metaclass;
    astroid answers that.)"""
    return _attribute(dotted, attr, 0)


def _attribute(dotted: str, attr: str, depth: int) -> str:
    """`attribute`, `depth` modules imported under a name followed so far."""
    found = _split(dotted)
    if found is None:
        return UNKNOWN
    facts, rest = found
    if not rest:
        if attr in facts.kinds or (facts.package
                                   and modules.module(f"{dotted}.{attr}") is not None):
            return PRESENT
        starred = _starred(facts, attr) if facts.stars else None
        return PRESENT if isinstance(starred, ModuleFacts) else UNKNOWN  # (a star import)
    at = _class_at(facts, rest)
    if at is None and len(rest) == 1:
        held = _held_at(facts, rest)
        classes = class_ancestors(held) if held not in (None, NATIVE_VALUE) else None
        if classes is not None and any(attr in c.kinds or attr in c.self_names
                                       for c in classes.values()):
            return PRESENT  # (an instance has what its class and ancestors bind)
    if at is None:
        module = _module_bound(facts, rest[0])
        return _attribute(".".join((module, *rest[1:])), attr, depth + 1) \
            if module and depth < MAX_HOPS else UNKNOWN
    cls = at[0].classes[at[1]]
    if attr in cls.kinds:
        return PRESENT
    natives: list[str] = []
    classes = _ancestors(at[0], at[1], set(), natives=natives)
    if classes is not None and (any(attr in c.kinds for _, c in classes)
                                or any(_native_has(base, attr) for base in natives)):
        return PRESENT
    return UNKNOWN


def _native_has(dotted: str, attr: str) -> bool:
    """Has a class of a standard-library extension module (`_socket.socket`) `attr`, as
    the interpreter's own copy of that module says? Only a module the process has imported
    already is asked (nothing is imported for it); astroid builds such a module from the
    same copy, so it would find the same."""
    module, _, name = dotted.rpartition(".")
    loaded = sys.modules.get(module)
    if loaded is None:
        return False
    found = getattr(loaded, name, None)
    return isinstance(found, type) and attr in dir(found)


def _module_bound(facts: ModuleFacts, name: str) -> str | None:
    """The module a module's `name` surely is, bound by an import: `import tempfile` (`as
    tmp`), or `from pkg import sub` where `sub` is only the submodule (`submodule_only`)."""
    target = facts.imports.get(name)
    if target is None or facts.rewritten or _starred(facts, name) is not NOT_STARRED \
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
    found = _split(dotted)
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
    return package, name


def _star_binds(facts: ModuleFacts, name: str, depth: int) -> bool:
    """May a star import of the module bind `name` (True when unsure)?"""
    for star in facts.stars:
        source = modules.module(star)
        if source is None or source.rewritten or depth > MAX_HOPS:
            return True
        if name in source.kinds or _star_binds(source, name, depth + 1):
            return True
    return False
