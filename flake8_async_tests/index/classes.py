"""Classes as the index reads them: where a class is defined, its ancestors (None where one
cannot be read or the class may be rewritten), the class its decorators leave, and which
of several definitions of a name in its ancestry wins.
"""

from __future__ import annotations

from dataclasses import replace

from . import modules, stdlib
from .defs import DEF, OTHER
from .class_facts import ClassFacts
from .facts import ModuleFacts
from .names import base_name, follow, native, split_dotted

# Bases that add no methods of their own beyond dunders (their metaclasses aside).
TYPING_BASES = frozenset({"typing.Protocol", "typing.Generic", "typing_extensions.Protocol",
                          "abc.ABC"})
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
# (id(module facts), class name, roots) -> the class as its decorators leave it
_decorated: dict[tuple[int, str, tuple[str, ...]], tuple[ModuleFacts, ClassFacts | None]] = {}


def class_at(facts: ModuleFacts, rest: list[str]) -> tuple[ModuleFacts, str] | None:
    """(module, class name) where the class `rest` names from `facts` is defined."""
    if len(rest) != 1:
        return None
    followed = follow(facts, rest[0])
    if followed is None or followed[1] not in followed[0].classes:
        return None
    return followed


def ancestry(facts: ModuleFacts, name: str, seen: set[tuple[str, str]],
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
    cls = class_facts(facts, name)
    if cls is None or facts.rewritten or len(seen) > 60:
        return None
    found = [(f"{facts.name}.{name}", cls)]
    for base in cls.bases:
        dotted = base_name(facts, base)
        if dotted is None:
            return None
        dotted = TYPING_ALIASES.get(dotted, dotted)
        if dotted.startswith("builtins.") or dotted in TYPING_BASES:
            continue
        split = split_dotted(dotted)
        at = class_at(*split) if split is not None else None
        if at is None and natives is not None and native(dotted):
            natives.append(dotted)
            continue
        if at is None:
            return None
        inherited = ancestry(at[0], at[1], seen, (*path, key), natives)
        if inherited is None or any(c.init_subclass for _, c in inherited):
            return None  # (an ancestor's __init_subclass__ may rewrite this class)
        found.extend(inherited)
    return found


def class_facts(facts: ModuleFacts, name: str) -> ClassFacts | None:
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
    """Why `class_ancestors(dotted)` is None, as far as the index tells: the class's
    module, the class itself or the first ancestor that cannot be read, and why."""
    found = split_dotted(dotted)
    if found is not None and found[0].rewritten:
        return "its module may rewrite its names (setattr, globals(), vars() or exec)"
    at = class_at(*found) if found is not None else None
    why = _unreadable(at[0], at[1], set(), ()) if at is not None else None
    own = f"{at[0].name}.{at[1]} " if at is not None else ""
    return f"it {why[len(own):]}" if why and why.startswith(own) else why


def _unreadable(facts: ModuleFacts, name: str, seen: set[tuple[str, str]],
                path: tuple[tuple[str, str], ...]) -> str | None:
    """Why `ancestry` gives None for a class (its checks in its order), or None."""
    key, qualified = (facts.name, name), f"{facts.name}.{name}"
    if key in path:
        return f"{qualified} is its own ancestor"
    if key in seen:
        return None
    seen.add(key)
    if facts.rewritten:
        return f"the module of {qualified} may rewrite its names"
    if class_facts(facts, name) is None:
        return f"{qualified} {facts.classes[name].why or 'may be rewritten'}"
    if len(seen) > 60:
        return f"{qualified} has too many ancestors"
    for base in facts.classes[name].bases:
        dotted = base_name(facts, base)
        if dotted is None:
            return f"a base of {qualified} is no name the index follows"
        dotted = TYPING_ALIASES.get(dotted, dotted)
        if dotted.startswith("builtins.") or dotted in TYPING_BASES:
            continue
        split = split_dotted(dotted)
        at = class_at(*split) if split is not None else None
        if at is None:
            return f"base {dotted} of {qualified} is not a class the index reads"
        why = _unreadable(at[0], at[1], seen, (*path, key))
        if why is not None:
            return why
        for ancestor in ancestry(at[0], at[1], set()) or ():
            if ancestor[1].init_subclass:
                return f"ancestor {ancestor[0]} defines __init_subclass__"
    return None


def decorated_class(dotted: str) -> bool:
    """Is `dotted` a class with a class decorator the index cannot follow? (astroid infers
    such a class as written, whatever its decorator returns.)"""
    found = split_dotted(dotted)
    at = class_at(*found) if found is not None else None
    if at is None:
        return False
    cls = at[0].classes[at[1]]
    return cls.decorated and class_facts(at[0], at[1]) is None


def _undecorated(facts: ModuleFacts, cls: ClassFacts) -> ClassFacts | None:
    changed: set[str] = set()
    for spelling in cls.decorators:
        if "." in spelling:
            dotted = base_name(facts, spelling)
            found = split_dotted(dotted) if dotted else None
            followed = (follow(found[0], found[1][0])
                        if found is not None and len(found[1]) == 1 else None)
        else:
            followed = follow(facts, spelling)  # defined here, or imported
        if followed is None or followed[0].rewritten \
                or followed[0].kinds.get(followed[1]) != DEF \
                or followed[1] not in followed[0].keeps_class:
            return None
        changed.update(followed[0].keeps_class[followed[1]])
    kinds = {**cls.kinds, **{name: OTHER for name in changed}}
    return replace(cls, plain=True, decorators=[], decorated=False, kinds=kinds,
                   signatures={k: v for k, v in cls.signatures.items() if k not in changed},
                   returns={k: v for k, v in cls.returns.items() if k not in changed},
                   awaited={k: v for k, v in cls.awaited.items() if k not in changed})


def class_ancestors(dotted: str) -> dict[str, ClassFacts] | None:
    """The class a dotted name spells and all its ancestors (builtins and typing bases
    aside), by qualified name; None when the index cannot read one of them or the class
    may be rewritten (a metaclass, a class decorator, a hook). A subclass of it is also
    rewritten by the `__init_subclass__` of any of them (`ClassFacts.init_subclass`)."""
    found = split_dotted(dotted)
    at = class_at(*found) if found is not None else None
    classes = ancestry(at[0], at[1], set()) if at is not None else None
    return dict(classes) if classes is not None else None


def readable_ancestors(dotted: str) -> list[tuple[str, ClassFacts]] | None:
    """As `class_ancestors`, but a base an extension module of the standard library
    defines is left out instead of making the answer None."""
    found = split_dotted(dotted)
    at = class_at(*found) if found is not None else None
    return ancestry(at[0], at[1], set(), natives=[]) if at is not None else None


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


def generic_class(dotted: str) -> bool:
    """Does `dotted[T](...)` make a `dotted` instance? Yes for a class the index reads
    (no metaclass) that defines no `__class_getitem__`: subscripting it gives a generic
    alias (typing's or the builtins'), and calling that calls the class."""
    classes = class_ancestors(dotted)
    return classes is not None and not any(
        "__class_getitem__" in cls.kinds for cls in classes.values())


def definers(classes: list[tuple[str, ClassFacts]], name: str) -> list[tuple[str, ClassFacts]]:
    """The classes of `classes` (a class and its ancestors, `ancestry`) that define
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


def new_run() -> None:
    _decorated.clear()
