"""The questions rules ask about names, answered from the index (source facts only).

`kinds_of` says how a function or method is written, `coroutine_signature` what a
coroutine function takes, `attribute` whether a module or class has an attribute,
`returned_class`, `factory_class`, `held_class` and `instance_value` what a call, a
module-level name or an attribute set on `self` holds, and `class_ancestors` what a class
inherits from (whether a file's imports can reach a def of some name is reach.py's
question). Each answers None (or UNKNOWN) when the source cannot tell: a star import of
names it cannot list, a metaclass, a module that rewrites itself, a base class that cannot
be read, a name bound two ways.

Names are followed to their definitions in names.py and classes read in classes.py; the
modules and their facts come from modules.py.
"""

from __future__ import annotations

import sys

from . import classes, modules, names, stdlib
from ..signatures import Signature
from .classes import (  # noqa: F401 - the rules ask these through this module
    TYPING_ALIASES, ancestry, class_ancestors, class_at, decorated_class, definers,
    generic_class, readable_ancestors, sync_stdlib_class, unreadable,
)
from .defs import ABSOLUTE, ASYNC_DEF, DEF, GENERATOR, MADE_BY, OTHER, OWN_CLASS, SELF
from .class_facts import NONE, PARAMETER, ClassFacts
from .facts import ModuleFacts
from .names import (  # noqa: F401 - the rules ask these through this module
    BUILTIN_NAMES, MAX_HOPS, NOT_STARRED, base_name, defined_at, follow, missing_submodule,
    module_bound, native, native_import, split_dotted, star_exports, star_source,
    submodule_only, unparsed_module,
)

PRESENT, UNKNOWN = "present", "unknown"
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
API = "<api> "  # (instance_value: a class of API_RETURNS, not the value's own class)
NATIVE = frozenset({DEF})  # how kinds_of sees what a C module of the standard library defines
MAX_MADE_BY = 3  # defs that return what another def makes: followed this far
GENERATOR_CLASSES = frozenset({"typing.Generator", "collections.abc.Generator",
                               "typing_extensions.Generator"})

# (class, attribute, roots) -> instance_value's answer
_instance_values: dict[tuple[str, str, tuple[str, ...]], tuple[str, object] | None] = {}


def new_run() -> None:
    """A new flake8 run: the modules, the finder, the search in reach and the answers
    kept here start over."""
    modules.new_run()
    names.new_run()
    classes.new_run()
    _instance_values.clear()
    from . import reach  # (it imports this module)

    reach.new_run()


# -- what names are and hold ----------------------------------------------------------------


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


def kinds_of(dotted: str) -> frozenset[str] | None:
    """How a module function (`pkg.mod.func`) or a method (`pkg.mod.Cls.meth`) is written:
    for a method, how the definition that wins writes it, or every way the class and its
    ancestors define it where the index cannot tell which wins (`definers`). What a
    standard-library extension module defines counts as a def (it makes no coroutine).
    None when unknown, not found, or bound as something else than a def."""
    parts = dotted.split(".")
    if len(parts) < 2:
        return None
    found = split_dotted(".".join(parts[:-1]))
    if found is None:
        return NATIVE if native(dotted) else None
    facts, rest = found
    if not rest:
        followed = follow(facts, parts[-1])
        if followed is None and native_import(facts, parts[-1]):
            return NATIVE  # imported from an extension module (`from _x import f`)
        kinds = ({followed[0].kinds.get(followed[1], OTHER)}
                 if followed is not None and not followed[0].rewritten else None)
    else:
        at = class_at(facts, rest)
        if at is None and len(rest) == 1 and native_import(facts, rest[0]):
            return NATIVE  # a class an extension module defines
        if at is None and len(rest) == 1:
            return _held_kinds(_held_at(facts, rest), parts[-1])
        natives: list[str] = []
        classes = ancestry(at[0], at[1], set(), natives=natives) if at is not None else None
        kinds = None if classes is None else {
            c.kinds[parts[-1]] for _, c in (definers(classes, parts[-1]) if not natives
                                            else classes) if parts[-1] in c.kinds}
        if natives and kinds is not None:
            kinds.add(DEF)  # a native base may define it, and defines no coroutine function
    if not kinds or OTHER in kinds:
        return None
    return frozenset(kinds)


def names_class(dotted: str) -> bool:
    """Does `dotted` name a class the index reads (a `class` statement, the only one of
    its module to bind the name, in a module not rewritten at run time)? Calling it makes
    an instance, never a coroutine: astroid infers the class and goes no further."""
    found = split_dotted(dotted)
    at = class_at(*found) if found is not None else None
    return at is not None and not at[0].rewritten


def held_class(dotted: str) -> str | None:
    """The class of the instance a module-level name holds (`logger =
    logging.getLogger(__name__)` in `pkg.mod`, for `pkg.mod.logger`), read through
    re-exports, as `ModuleFacts.values` records it: a class the index reads, the class of
    API_RETURNS that declares its methods, or NATIVE_VALUE (a class written in C). None
    when unknown: bound otherwise, or more than once, or in a module that may rewrite
    itself."""
    found = split_dotted(dotted)
    return _held_at(*found) if found is not None else None


def _held_at(facts: ModuleFacts, rest: list[str]) -> str | None:
    """held_class for `rest` (one name) of the module `facts`."""
    followed = follow(facts, rest[0]) if len(rest) == 1 else None
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


def _defined(dotted: str) -> tuple[list[tuple[ModuleFacts, ModuleFacts | ClassFacts, str]],
                                   list[ClassFacts] | None] | None:
    """Where a module function (`pkg.mod.func`) or a method (`pkg.mod.Cls.meth`) is
    defined: ([(its module, the module or class that binds it, the name there)], the
    class and its ancestors for a method, None for a function). None when unknown."""
    parts = dotted.split(".")
    found = split_dotted(".".join(parts[:-1]))
    if found is None:
        return None
    facts, rest = found
    name = parts[-1]
    if not rest:
        followed = follow(facts, name)
        return ([(followed[0], followed[0], followed[1])], None) if followed else None
    at = class_at(facts, rest)
    classes = ancestry(at[0], at[1], set()) if at is not None else None
    if classes is None:
        return None
    owners: list[tuple[ModuleFacts, ModuleFacts | ClassFacts, str]] = []
    for qualified, cls in definers(classes, name):
        home = modules.module(qualified.rsplit(".", 1)[0])
        if home is None:
            return None
        owners.append((home, cls, name))
    return owners, [cls for _, cls in classes]


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


def _spelled_return(dotted: str, awaited: bool = False) -> tuple[list, str] | None:
    """(the definitions of a plain def, what each says calling it returns, as recorded by
    the index) when they all agree (for a method, the one that wins, where the index can
    tell: `definers`); None when it is no plain def or they differ. With `awaited`, those
    of a coroutine function and what awaiting its call gives (`record_awaited`)."""
    kind = ASYNC_DEF if awaited else DEF
    found = _defined(dotted) if kinds_of(dotted) == {kind} else None
    if found is None or not found[0]:
        return None
    owners, _ = found
    made = {(holder.awaited if awaited else holder.returns).get(name, "")
            for _, holder, name in owners}
    if len(made) != 1 or "" in made:
        return None  # unannotated, or definitions that disagree
    return owners, made.pop()


def mixed_return(dotted: str, depth: int = 0) -> str | None:
    """Why what calling a def returns has no single value, where the index reads it: a
    module's plain def (`pkg.mod.make`) whose every `return` gives a local it binds
    several ways, to values that disagree (defs.mixed_return), or a def (or method)
    whose every `return` gives what calling such a def gives; None otherwise."""
    if depth > MAX_MADE_BY or kinds_of(dotted) != {DEF}:
        return None
    found = _defined(dotted)
    if found is not None and found[1] is None and len(found[0]) == 1:
        _, holder, name = found[0][0]
        mixed = holder.mixed.get(name) if isinstance(holder, ModuleFacts) else None
        if mixed:
            local, lines = mixed
            at = ", ".join(map(str, lines[:-1])) + f" and {lines[-1]}"
            if not local:
                return f"{dotted} returns {len(lines)} different values (lines {at})"
            return f"{dotted} returns {local}, which it binds {len(lines)} ways (lines {at})"
    spelled = _spelled_return(dotted)
    if spelled is None or not spelled[1].startswith(MADE_BY):
        return None
    callee = _callee(spelled[0], spelled[1])
    inner = mixed_return(callee, depth + 1) if callee else None
    return f"{dotted} returns what {inner}" if inner else None


def factory_class(dotted: str, depth: int = 0, awaited: bool = False) -> str | None:
    """The class calling a def makes an instance of, read from its body: for a factory
    classmethod (`pkg.mod.Cls.from_url`, whose every return is `cls(...)`), the class it is
    called on; for a def that returns what calling one name makes (`pool = Pool(...)`,
    `return pool`), that class, or what that def makes in turn. None for anything else.
    With `awaited`, the class awaiting a call of a coroutine function gives, read alike."""
    found = _spelled_return(dotted, awaited)
    if found is None:
        return None
    if found[1] in (OWN_CLASS, SELF):
        return _called_on(dotted)
    return _made_by(found[0], found[1], depth) if found[1].startswith(MADE_BY) else None


def unmade(dotted: str, awaited: bool = False) -> str | None:
    """Why `factory_class` gives None for a def whose body does name the class it makes:
    the index cannot read that class (`unreadable` says why), or the class the def is a
    method of; None otherwise."""
    found = _spelled_return(dotted, awaited)
    made: str | None = None
    if found is None:
        owner = dotted.rpartition(".")[0]  # (a method of a class the index cannot read?)
        split = split_dotted(owner) if owner else None
        made = owner if split is not None and class_at(*split) is not None else None
    elif found[1] in (OWN_CLASS, SELF):
        made = dotted.rpartition(".")[0]
    elif found[1].startswith(MADE_BY):
        made = _callee(found[0], found[1])
    why = unreadable(made) if made and class_ancestors(made) is None else None
    return f"{made} is not a class the index can read: {why}" if why else None


def awaited_class(dotted: str) -> str | None:
    """The class awaiting a call of a coroutine function (`pkg.mod.make`, or a method
    `pkg.mod.Cls.create`) gives an instance of, as its body tells (`factory_class`); None
    for anything else, and where definitions disagree."""
    return factory_class(dotted, awaited=True)


def _made_by(owners: list, spelled: str, depth: int) -> str | None:
    """The class a def's body makes (`MADE_BY` and the callee as its module spells it):
    a class the index reads, with no `__new__`, or what a def called there makes."""
    callee = _callee(owners, spelled)
    if callee is None:
        return None
    classes = class_ancestors(callee)
    if classes is not None:
        return None if any("__new__" in c.kinds for c in classes.values()) else callee
    return factory_class(callee, depth + 1) if depth < MAX_MADE_BY else None


def _callee(owners: list, spelled: str) -> str | None:
    """The dotted name a def's recorded return (`MADE_BY` and the callee as spelled)
    calls, the same in each module that defines it (`_spelled_return`'s owners)."""
    called = {_name_in(home, spelled[len(MADE_BY):]) for home, _, _ in owners}
    return called.pop() if len(called) == 1 else None


def _name_in(facts: ModuleFacts, spelled: str) -> str | None:
    """The dotted name a name spelled in a module's code stands for: an import, a class,
    a plain def of the module (or a builtin); a name spelled whole (ABSOLUTE) is itself."""
    if spelled.startswith(ABSOLUTE):
        return spelled[len(ABSOLUTE):]
    head = spelled.partition(".")[0]
    if head in facts.kinds and facts.kinds[head] == DEF and head not in facts.imports:
        return f"{facts.name}.{spelled}"
    return base_name(facts, spelled)


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
    if spelled in (OWN_CLASS, SELF):
        return _called_on(dotted)
    if spelled.startswith(MADE_BY):
        return _made_by(owners, spelled, 0)
    dotted_class = base_name(owners[0][0], spelled)
    if dotted_class is None or any(base_name(home, spelled) != dotted_class
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
    found = split_dotted(dotted)
    if found is None:
        return UNKNOWN
    facts, rest = found
    if not rest:
        if attr in facts.kinds or (facts.package
                                   and modules.module(f"{dotted}.{attr}") is not None):
            return PRESENT
        starred = star_source(facts, attr) if facts.stars else None
        return PRESENT if isinstance(starred, ModuleFacts) else UNKNOWN  # (a star import)
    at = class_at(facts, rest)
    if at is None and len(rest) == 1:
        held = _held_at(facts, rest)
        classes = class_ancestors(held) if held not in (None, NATIVE_VALUE) else None
        if classes is not None and any(attr in c.kinds or attr in c.self_names
                                       for c in classes.values()):
            return PRESENT  # (an instance has what its class and ancestors bind)
    if at is None:
        module = module_bound(facts, rest[0])
        return _attribute(".".join((module, *rest[1:])), attr, depth + 1) \
            if module and depth < MAX_HOPS else UNKNOWN
    cls = at[0].classes[at[1]]
    if attr in cls.kinds:
        return PRESENT
    natives: list[str] = []
    classes = ancestry(at[0], at[1], set(), natives=natives)
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
