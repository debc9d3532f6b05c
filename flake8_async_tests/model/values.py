"""What a name holds where a test uses it: an instance of a known class, or unknown (with
why). Values are followed through fixtures (pytest's overriding order, fixtures that
request fixtures, return and yield), `self` attributes set in setup methods and autouse
fixtures of the class, and locals. A value that may come from two places is unknown.

Read from source alone (the linted file, its conftest files and the index); nothing runs.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from ..index import resolver
from ..index.defs import ABSOLUTE, DEF, MADE_BY, awaited_spelling
from ..syntax import FunctionNode, Syntax, assigned, of_tree
from .bindings import bindings
from .fixtures import (
    NOT_A_FIXTURE, Fixture, Unknown, autouse, defined_once, fixture_decorator, scope_fixtures,
)
from .class_kinds import TESTCASE

# Methods pytest or unittest run before each test (or class) of a class.
SETUP_METHODS = frozenset({"setup_method", "setup_class", "setUp", "asyncSetUp", "setUpClass",
                           "setup", "__init__"})
MAX_DEPTH = 5
CASTS = frozenset({"typing.cast", "typing_extensions.cast"})  # return their second argument
# What runs a coroutine to its end and gives what awaiting it gives: functions, and a
# method of any event loop (by its name).
RUNNERS = frozenset({"asyncio.run", "asyncio.runners.run"})
RUN_METHODS = frozenset({"run_until_complete"})


# The fixtures pytest itself provides (its documentation's fixture reference).
PYTEST_FIXTURES = frozenset({
    "cache", "capsys", "capsysbinary", "capfd", "capfdbinary", "caplog", "capteesys",
    "doctest_namespace", "monkeypatch", "pytestconfig", "record_property",
    "record_testsuite_property", "record_xml_attribute", "recwarn", "request", "subtests",
    "testdir", "pytester", "tmp_path", "tmp_path_factory", "tmpdir", "tmpdir_factory",
})


@dataclass(frozen=True)
class Instance:
    cls: str  # dotted name of the class, as the index reads it
    origin: str  # where the value was made, for messages and explanations


@dataclass(frozen=True)
class _With:
    """A name bound by `with call as name`: what entering `call`'s value gives."""

    call: ast.Call


@dataclass(frozen=True)
class Home:
    """A module whose names a definition spells: the linted file or a conftest.py."""

    path: str
    tree: ast.Module
    syntax: Syntax
    # the dotted name an expression spells through the module's imports and top-level
    # definitions, None when its root is in the given names (bound where it is)
    static: Callable[[ast.AST, object], str | None]
    resolve: Callable[[ast.AST], str | None]
    label: str  # the path as users read it
    modname: str = ""  # the module's dotted name ("": unknown)


class Values:
    """The value model of one linted file (built on first use, per file)."""

    def __init__(self, ctx) -> None:  # ctx: FileContext (not imported: it imports this)
        self.ctx = ctx
        self.home = ctx.home
        self._chains: dict[int, list[tuple[dict[str, object], str | None]]] = {}
        self._bindings: dict[int, dict] = {}
        self._held: dict[tuple[int, str], Instance | Unknown | None] = {}
        # where a pytest_generate_tests hook is, and the only names it may parametrize
        # (None: any), once found
        self._generated: tuple[str, frozenset[str] | None] | None = None
        self._through_request: bool | None = None

    # -- the entry points: what a name, or `self.attr`, holds -----------------------

    def name(self, func: FunctionNode, cls: ast.ClassDef | None,
             name: str) -> Instance | Unknown | None:
        """What `name` holds in `func` (a function of this file, defined in `cls` if any):
        an argument pytest passes, or a local bound once by assignment. None when it is
        neither. Asked once per function and name, whichever rule asks."""
        key = (id(func), name)
        if key not in self._held:
            found = self._bound(func, self.home).get(name)
            value: Instance | Unknown | None = None
            if found is not None and len(found) == 1 and found[0][0] == "param":
                value = self.parameter(func, cls, name)
            elif found is not None and len(found) == 1 and found[0][0] == "assign":
                value = self._evaluate(ast.Name(id=name, ctx=ast.Load()), func, self.home,
                                       f"{name} in {func.name}", 0, None, cls)
            self._held[key] = value
        return self._held[key]

    def attribute(self, cls: ast.ClassDef, attr: str) -> Instance | Unknown:
        """What `self.attr` holds in a test method of `cls` (asked once per class)."""
        key = (id(cls), attr)
        if key not in self._held:
            self._held[key] = self.self_attribute(cls, attr)
        return self._held[key]  # type: ignore[return-value]

    # -- fixtures ------------------------------------------------------------------

    def _chain(self, cls: ast.ClassDef | None) -> list[tuple[dict[str, object], str | None]]:
        """Each scope a test of `cls` (or of the module) finds fixtures in, nearest first."""
        key = id(cls)
        if key not in self._chains:
            ctx = self.ctx
            chain = []
            if cls is not None:
                chain.append(self._class_scope(cls))
            chain.append(scope_fixtures(ctx.tree.body, self.home, len(chain), ctx.resolve,
                                        self.home.label))
            for path, tree in reversed(ctx.conftests):
                home = ctx.home_of(path, tree)
                chain.append(scope_fixtures(tree.body, home, len(chain), home.resolve,
                                            home.label))
            chain.append(self._plugin_level(len(chain)))
            self._chains[key] = chain
        return self._chains[key]

    def _plugin_level(self, level: int) -> tuple[dict[str, object], str | None]:
        """Fixtures of the project's plugin modules: below every conftest.py (pytest
        registers them as plugins), above installed plugins (registered before them). A
        name two of them define is unknown: which wins depends on load order."""
        modules, unknown = self.ctx.runner.plugin_modules
        level_fixtures: dict[str, object] = {}
        star = unknown
        for path, tree in modules:
            home = self.ctx.home_of(path, tree)
            found, other = scope_fixtures(tree.body, home, level, home.resolve, home.label)
            star = star or other
            for name, value in found.items():
                if value is NOT_A_FIXTURE:
                    continue
                if name in level_fixtures:
                    value = Unknown(f"fixture {name} is defined by two plugin modules")
                level_fixtures[name] = value
        return level_fixtures, star

    def _class_scope(self, cls: ast.ClassDef) -> tuple[dict[str, object], str | None]:
        found, star = scope_fixtures(cls.body, self.home, 0, self.ctx.resolve,
                                     self.home.label)
        if not cls.bases and not cls.keywords:
            return found, star
        ancestors = self._ancestors(cls)
        if ancestors is None:
            return found, star or f"the bases of {cls.name} cannot be read"
        for qualified, facts in ancestors.items():
            if qualified == f"{self.ctx.modname}.{cls.name}":
                continue  # the class itself
            for name in facts.kinds:
                found.setdefault(name, Unknown(f"{name} may come from base class {qualified}"))
        return found, star

    def _ancestors(self, cls: ast.ClassDef) -> dict | None:
        if cls not in self.ctx.tree.body:
            return None
        return resolver.class_ancestors(f"{self.ctx.modname}.{cls.name}")

    def fixture(self, name: str, cls: ast.ClassDef | None, level: int = 0) -> Fixture | Unknown:
        """The fixture a request for `name` gets, looking from `level` of the chain on."""
        for found, star in self._chain(cls)[level:]:
            value = found.get(name)
            if value is NOT_A_FIXTURE:
                continue
            if value is not None:
                return value  # type: ignore[return-value]
            if star is not None:
                return Unknown(f"fixture {name} may be defined by a {star}")
        if name in PYTEST_FIXTURES:
            return Unknown(f"fixture {name} is one of pytest's own")
        if self.ctx.unparsed_conftest is not None:
            return Unknown(f"fixture {name} may be defined in {self.ctx.unparsed_conftest}, "
                           "which does not parse with this Python")
        if self.ctx.runner.loaded_plugins or self.ctx.settings.plugins:
            return Unknown(f"fixture {name} may come from a plugin")
        return Unknown(f"fixture {name} is not defined in the file or its conftest files")

    def defined(self, name: str, cls: ast.ClassDef | None) -> Fixture | None:
        """The first fixture named `name` down the chain, past bindings that may or may
        not be one (an import, an assignment): a request may get it."""
        for scope, _ in self._chain(cls):
            value = scope.get(name)
            if isinstance(value, Fixture):
                return value
        return None

    def _generates_tests(self, name: str) -> str | None:
        """Where a pytest_generate_tests hook may parametrize argument `name`, if anywhere:
        one that calls `parametrize` with literal names only, and hands its `metafunc` to
        nothing else, parametrizes those names alone."""
        if self._generated is None:
            self._generated = ("", frozenset())
            homes = [(self.ctx.tree, self.home.label)]
            homes += [(tree, self.ctx.home_of(path, tree).label)
                      for path, tree in self.ctx.conftests]
            for tree, label in homes:
                index = self.ctx.syntax if tree is self.ctx.tree else of_tree(tree)
                for func in index.of_type(ast.FunctionDef, ast.AsyncFunctionDef):
                    if func.name == "pytest_generate_tests":  # type: ignore[attr-defined]
                        self._generated = (f"{label}:{func.lineno}",  # type: ignore
                                           _generated_names(func, tree))  # type: ignore
        where, names = self._generated
        return where if where and (names is None or name in names) else None

    def _parametrized(self, name: str, func: FunctionNode, cls: ast.ClassDef | None) -> bool:
        marks: list[ast.expr] = list(func.decorator_list)
        if cls is not None:
            marks += cls.decorator_list
            marks += self.ctx.marks.pytestmarks(cls.body)
        marks += self.ctx.marks.pytestmarks(self.ctx.tree.body)
        for mark in marks:
            if not isinstance(mark, ast.Call):
                continue
            dotted = self.ctx.resolve(mark.func) or ""
            if not dotted.endswith("mark.parametrize"):
                continue
            names = mark.args[0] if mark.args else next(
                (k.value for k in mark.keywords if k.arg == "argnames"), None)
            if isinstance(names, ast.Constant) and isinstance(names.value, str):
                given = {n.strip() for n in names.value.split(",")}
            elif isinstance(names, (ast.List, ast.Tuple)) and all(
                    isinstance(e, ast.Constant) for e in names.elts):
                given = {str(e.value) for e in names.elts}  # type: ignore[attr-defined]
            else:
                return True  # computed names: any may be parametrized
            if name in given:
                return True
        return False

    def parameter(self, func: FunctionNode, cls: ast.ClassDef | None,
                  name: str) -> Instance | Unknown:
        """What pytest passes as argument `name` of a test or fixture."""
        return self.fixture_value(self.requested(func, cls, name), cls, 0)

    def requested(self, func: FunctionNode, cls: ast.ClassDef | None,
                  name: str) -> Fixture | Unknown:
        """The fixture pytest passes as argument `name` of a test or fixture."""
        ctx = self.ctx
        if cls is not None and cls not in ctx.tree.body:
            return Unknown(f"{name} is an argument of a nested class's method")
        if func.name.startswith("pytest_") and cls is None:
            return Unknown(f"{name} is an argument of the hook {func.name}: what pytest "
                           "passes to hooks is not followed")
        if not (ctx.is_fixture(func) or ctx.is_test_name(func.name)):
            return Unknown(f"{name} is an argument of {func.name}, which pytest does not call")
        if cls is not None:
            ancestors = self._ancestors(cls)
            if ancestors is None or TESTCASE in ancestors:
                why = resolver.unreadable(f"{ctx.modname}.{cls.name}") if ancestors is None \
                    else None
                return Unknown(f"{cls.name} may be a unittest.TestCase"
                               + (f": {why}" if why else ""))
            if not ctx.is_fixture(func) and not ctx.is_test_class_name(cls.name):
                return Unknown(f"{name} is an argument of {cls.name}.{func.name}, which "
                               "pytest runs only through the test classes that derive from "
                               f"{cls.name} (their fixtures are not followed)")
        where = self._generates_tests(name)
        if where is not None:
            return Unknown(f"pytest_generate_tests at {where} may parametrize {name}")
        unread = ctx.marks.pytestmark_opening_around(cls)  # (cls is top-level here)
        if unread is not None:
            return Unknown(f"{name} may be parametrized by a mark that cannot be read: {unread}")
        if self._parametrized(name, func, cls):
            return Unknown(f"{name} is parametrized")
        # A fixture requesting its own name gets the one it overrides.
        own = ctx.is_fixture(func) and name == func.name
        return self.fixture(name, cls, 1 if own else 0)

    def fixture_value(self, fixture: Fixture | Unknown, cls: ast.ClassDef | None,
                      depth: int) -> Instance | Unknown:
        if isinstance(fixture, Unknown):
            return fixture
        if fixture.parametrized:
            return Unknown(f"fixture {fixture.name} is parametrized (params=)")
        if depth > MAX_DEPTH:
            return Unknown(f"fixture {fixture.name} is too far down a chain of fixtures")
        value = _output(fixture)
        if isinstance(value, Unknown):
            return value
        home: Home = fixture.home  # type: ignore[assignment]
        origin = f"fixture {fixture.name} ({home.label}:{fixture.func.lineno})"
        return self._evaluate(value, fixture.func, home, origin, depth, fixture, cls)

    def awaited_from_fixture(self, fixture: Fixture | Unknown) -> str | Unknown:
        """The class awaiting a call of what a fixture returns or yields gives an instance
        of, where that is a coroutine function: one the fixture itself defines (`async def
        go(app): server = TestServer(app); ...; return server`, then `yield go`: aiohttp's
        `aiohttp_server`), or one its module names (`return make_client`)."""
        if isinstance(fixture, Unknown):
            return fixture
        if fixture.parametrized:
            return Unknown(f"fixture {fixture.name} is parametrized (params=)")
        value = _output(fixture)
        if isinstance(value, Unknown):
            return value
        home: Home = fixture.home  # type: ignore[assignment]
        func = fixture.func
        origin = f"fixture {fixture.name} ({home.label}:{func.lineno})"
        bound = self._bound(func, home)
        found = bound.get(value.id) if isinstance(value, ast.Name) else None
        if found is not None:
            made = None
            if [kind for kind, _ in found] == ["def"]:
                made = nested_awaited(found[0][1], lambda expr: home.static(expr, bound))
        else:
            dotted = home.static(value, bound)
            made = resolver.awaited_class(dotted) if dotted else None
        return made if made is not None else Unknown(
            f"{origin}: what awaiting a call of {_text(value)} gives cannot be read")

    # -- self attributes -------------------------------------------------------------

    def self_attribute(self, cls: ast.ClassDef, attr: str) -> Instance | Unknown:
        """What `self.attr` holds in a test method of `cls`: set once, by a setup method or
        an autouse fixture of the class, and by nothing else the source shows."""
        found = self.self_assigned(cls, attr)
        if isinstance(found, Unknown):
            return found
        value, method = found
        origin = f"self.{attr} ({self.home.label}:{value.lineno})"
        return self._evaluate(value, method, self.home, origin, 0, None, cls)

    def self_assigned(self, cls: ast.ClassDef,
                      attr: str) -> tuple[ast.expr, FunctionNode] | Unknown:
        """(the expression, the method) of the one assignment that sets `self.attr` for the
        tests of `cls`: in a setup method or an autouse fixture of the class."""
        ctx = self.ctx
        kinds = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Delete)
        sets = [node for node in ctx.syntax.within(cls, *kinds) if _sets_attribute(node, attr)]
        label = f"self.{attr}"
        if len(sets) != 1 or not isinstance(sets[0], ast.Assign) or len(sets[0].targets) != 1:
            return Unknown(f"{label} is set {len(sets)} times in {cls.name}" if sets
                           else f"{label} is not set in {cls.name}")
        method = next((m for m in cls.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
                       and any(n is sets[0] for n in ctx.syntax.scope_nodes(m, headers=False))),
                      None)
        if method is None:
            return Unknown(f"{label} is set outside a method of {cls.name}")
        if method.name not in SETUP_METHODS and not self._autouse(method):
            return Unknown(f"{label} is set in {method.name}, which is not a setup method")
        ancestors = self._ancestors(cls)
        if ancestors is None:
            return Unknown(f"the bases of {cls.name} cannot be read")
        for qualified, facts in ancestors.items():
            if qualified != f"{ctx.modname}.{cls.name}" and (
                    attr in facts.self_names or attr in facts.kinds or facts.dynamic_self):
                return Unknown(f"{label} may be set by base class {qualified}")
        if self._set_through_request():
            return Unknown(f"{label} may be set by a fixture through request.cls")
        return sets[0].value, method

    def _autouse(self, method: FunctionNode) -> bool:
        deco = fixture_decorator(method, self.ctx.resolve)
        return deco is not None and autouse(deco) is True

    def _set_through_request(self) -> bool:
        """Does this file or a conftest set an attribute on `request.cls` (or any `.cls`)?"""
        if self._through_request is None:
            indexes = [self.ctx.syntax, *(of_tree(tree) for _, tree in self.ctx.conftests)]
            self._through_request = any(
                isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Attribute)
                and node.value.attr == "cls"
                for index in indexes for node in index.of_type(ast.Attribute))
        return self._through_request

    # -- expressions -------------------------------------------------------------------

    def _bound(self, func: FunctionNode, home: Home) -> dict:
        """How `func` binds each name: the linted file's scopes already know (rules share
        them); a conftest's fixtures are read here."""
        if home is self.home:
            scope = self.ctx.scopes.by_node.get(id(func))
            if scope is not None:
                return scope.bindings
        key = id(func)
        if key not in self._bindings:
            self._bindings[key] = bindings(func, home.syntax.scope_nodes(func, headers=False))
        return self._bindings[key]

    def _through_names(self, value: ast.expr, func: FunctionNode, bound: dict,
                       fixture: Fixture | None, cls: ast.ClassDef | None,
                       depth: int) -> ast.expr | Instance | Unknown | _With:
        """The expression a name of `func` is bound once to (through other such names), or
        (in a fixture) the value of the fixture a parameter requests."""
        for _ in range(MAX_DEPTH):
            if not isinstance(value, ast.Name):
                break
            found = bound.get(value.id)
            if found is None:
                break
            if len(found) != 1:
                return Unknown(f"{value.id} is bound {len(found)} times in {func.name}")
            kind, assigned = found[0]
            if kind == "param" and fixture is not None:
                return self.fixture_value(self._requested_by(fixture, value.id, cls), cls,
                                          depth + 1)
            if kind == "with" and isinstance(assigned, ast.Call):
                return _With(assigned)  # (`with make() as x`: what entering it gives)
            if kind != "assign" or not isinstance(assigned, ast.expr):
                return Unknown(f"{value.id} in {func.name} is not a plain assignment")
            value = assigned
        return value

    def _requested_by(self, fixture: Fixture, name: str,
                      cls: ast.ClassDef | None) -> Fixture | Unknown:
        """The fixture a fixture's argument `name` gets: pytest looks a fixture's requests
        up from the test, except its own name (the fixture it overrides)."""
        return self.fixture(name, cls, fixture.level + 1 if name == fixture.name else 0)

    def _entered(self, call: ast.Call, func: FunctionNode, home: Home, origin: str,
                 depth: int, fixture: Fixture | None, cls: ast.ClassDef | None,
                 ) -> Instance | Unknown:
        """What `with call as x` binds x to (`entered`), the value of `call` read as any."""
        if depth >= MAX_DEPTH:
            return Unknown(f"{origin} is followed through more than {MAX_DEPTH} names")
        made = self._evaluate(call, func, home, origin, depth + 1, fixture, cls)
        if not isinstance(made, Instance):
            return made
        inner = entered(made.cls)
        return Instance(inner, origin) if inner else Unknown(
            f"{origin}: what entering {made.cls} gives cannot be read")

    def _evaluate(self, value: ast.expr, func: FunctionNode, home: Home, origin: str,
                  depth: int, fixture: Fixture | None,
                  cls: ast.ClassDef | None) -> Instance | Unknown:
        """What an expression of `func` holds: `Cls(...)` (or a call of a def whose body
        makes one, `resolver.factory_class`), a local bound once to one, or (in a fixture)
        a fixture it requests."""
        bound = self._bound(func, home)
        awaited = False  # what a coroutine function's body returns (awaited_call)
        for _ in range(MAX_DEPTH):  # (`cast(T, value)` gives back its value, whatever T says)
            followed = self._through_names(value, func, bound, fixture, cls, depth)
            if isinstance(followed, _With):
                return self._entered(followed.call, func, home, origin, depth, fixture, cls)
            if not isinstance(followed, ast.expr):
                return followed  # (a requested fixture's value, or unknown)
            value = followed
            ran = awaited_call(value, lambda func: home.static(func, bound)) \
                if not awaited else None
            if ran is not None:  # `await make()`, `loop.run_until_complete(make())`
                awaited, value = True, ran
            if not isinstance(value, ast.Call):
                return Unknown(f"{origin} is not made by calling a class")
            callee = value.func
            generic = isinstance(callee, ast.Subscript)  # `Cls[T](...)` makes a Cls
            dotted = home.static(callee.value if isinstance(callee, ast.Subscript) else callee,
                                 bound)
            kinds = [kind for kind, _ in bound.get(callee.id, ())] \
                if dotted is None and awaited and isinstance(callee, ast.Name) else []
            if kinds == ["def"]:
                nested = nested_awaited(bound[callee.id][0][1],  # `async def go()` here
                                        lambda expr: home.static(expr, bound))
                if nested is not None:
                    dotted, awaited = nested, False
            elif kinds == ["param"] and (fixture is not None or home is self.home):
                # `server = await aiohttp_server(app)`: what the fixture hands out, awaited
                requested = (self._requested_by(fixture, callee.id, cls) if fixture is not None
                             else self.requested(func, cls, callee.id))
                made = self.awaited_from_fixture(requested)
                if isinstance(made, Unknown):
                    return made
                dotted, awaited = made, False
            if dotted is None:
                return Unknown(f"{origin}: what {_text(value.func)} is cannot be read")
            if dotted not in CASTS or len(value.args) != 2 or value.keywords or awaited:
                break
            value = value.args[1]
        else:
            return Unknown(f"{origin} is cast more than {MAX_DEPTH} times")
        if awaited:
            made = resolver.awaited_class(dotted)
            if made is None:
                why = resolver.unmade(dotted, awaited=True)
                return Unknown(f"{origin}: what awaiting {_text(value.func)}(...) gives "
                               "cannot be read" + (f": {why}" if why else ""))
            dotted, generic = made, False
        ancestors = resolver.class_ancestors(dotted)
        made = resolver.factory_class(dotted) if ancestors is None and not generic else None
        if made is not None:  # a def whose body makes an instance: `return Client(url)`
            dotted, ancestors = made, resolver.class_ancestors(made)
        if ancestors is None:
            mixed = resolver.mixed_return(dotted)
            if mixed is not None:  # (a def: what it returns has no single value)
                return Unknown(f"{origin}: {mixed}")
            why = resolver.unreadable(dotted)
            return Unknown(f"{origin}: " + (f"what {dotted}(...) returns cannot be read"
                                            if resolver.kinds_of(dotted) == {DEF} else
                                            f"{dotted} is not a class the index can read")
                           + (f": {why}" if why else ""))
        if generic and not resolver.generic_class(dotted):
            return Unknown(f"{origin}: {dotted} defines __class_getitem__")
        if any("__new__" in facts.kinds for facts in ancestors.values()):
            return Unknown(f"{origin}: {dotted} defines __new__")
        return Instance(dotted, origin)


def _output(fixture: Fixture) -> ast.expr | Unknown:
    """The one value a fixture returns or yields."""
    func = fixture.func
    outputs = [node for node in fixture.home.syntax.scope_nodes(func, headers=False)
               if isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom))]
    values = [node.value for node in outputs if node.value is not None]
    if len(outputs) != 1 or len(values) != 1 or isinstance(outputs[0], ast.YieldFrom):
        return Unknown(f"fixture {fixture.name} ({fixture.home.label}:{func.lineno}) does "
                       "not return or yield one value")
    return values[0]


def _sets_attribute(node: ast.stmt, attr: str) -> bool:
    """Does a statement bind `self.attr` or `cls.attr`?"""
    stack = assigned(node)
    while stack:
        target = stack.pop()
        if isinstance(target, (ast.Tuple, ast.List)):
            stack.extend(target.elts)
        elif isinstance(target, ast.Starred):
            stack.append(target.value)
        elif (isinstance(target, ast.Attribute) and target.attr == attr
              and isinstance(target.value, ast.Name) and target.value.id in ("self", "cls")):
            return True
    return False


def _text(expr: ast.AST) -> str:
    try:
        return ast.unparse(expr)
    except Exception:  # pragma: no cover - unparse of a parsed tree
        return "it"


def awaited_call(value: ast.AST | None,
                 name_of: Callable[[ast.AST], str | None]) -> ast.Call | None:
    """The call of a coroutine function whose awaited value `value` is: `await make()`,
    `asyncio.run(make())`, `loop.run_until_complete(make())`. None for anything else."""
    if isinstance(value, ast.Await):
        return value.value if isinstance(value.value, ast.Call) else None
    if not isinstance(value, ast.Call) or len(value.args) != 1 or value.keywords \
            or not isinstance(value.args[0], ast.Call):
        return None
    func = value.func
    if isinstance(func, ast.Attribute) and func.attr in RUN_METHODS:
        return value.args[0]
    last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if last != "run":  # (every one of RUNNERS: no need to name other callees)
        return None
    return value.args[0] if name_of(func) in RUNNERS else None


def entered(cls: str | None) -> str | None:
    """The class `with cls(...) as x` and `async with cls(...) as x` bind x to an
    instance of: `cls`, when it (or an ancestor) defines `__enter__` or `__aenter__`
    and the index reads each one it defines as returning `self`; None otherwise."""
    classes = resolver.class_ancestors(cls) if cls else None
    if classes is None:
        return None
    found = False
    for name, awaited in (("__enter__", False), ("__aenter__", True)):
        if not any(name in facts.kinds for facts in classes.values()):
            continue
        if resolver.factory_class(f"{cls}.{name}", awaited=awaited) != cls:
            return None
        found = True
    return cls if found else None


def nested_awaited(node: ast.AST, resolve: Callable[[ast.expr], str | None]) -> str | None:
    """The class awaiting a call of a coroutine function defined in a function (`async
    def go(): return Docker(...)` in a fixture) gives an instance of, read from its body
    as the index reads a module's (`record_awaited`), the callee's name resolved where the
    def is (`resolve`); None otherwise."""
    if not isinstance(node, ast.AsyncFunctionDef):
        return None
    spelled = awaited_spelling(node)
    if not spelled.startswith(MADE_BY) or spelled.startswith(MADE_BY + ABSOLUTE) \
            or ":" in spelled:
        return None
    try:
        expr = ast.parse(spelled[len(MADE_BY):], mode="eval").body
    except SyntaxError:  # pragma: no cover - spelled from a parsed tree
        return None
    dotted = resolve(expr)
    if dotted is None:
        return None
    if resolver.class_ancestors(dotted) is not None:
        return dotted
    return resolver.factory_class(dotted)


def _generated_names(hook: FunctionNode, module: ast.Module) -> frozenset[str] | None:
    """The names a pytest_generate_tests hook may parametrize: those its `parametrize`
    calls spell as literals (a string of comma-separated names, or a list or tuple of
    strings), or as `f.__name__` of a def its module binds once (adk-python's
    `env_variables.__name__`, a fixture's); None (any) when one computes them, or the hook
    uses its first argument (the metafunc) other than by reading its attributes
    (`metafunc.parametrize`, `metafunc.fixturenames`) or handing it to a def of its module
    that only reads attributes of it."""
    positional = [*hook.args.posonlyargs, *hook.args.args]
    if not positional:
        return frozenset()
    defs = defined_once(module.body)
    nodes = list(ast.walk(hook))
    if not _only_read(positional[0].arg, nodes, defs):
        return None  # handed on, aliased or rebound: what else parametrizes is not read
    names: set[str] = set()
    for node in nodes:
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "parametrize":
            spelled = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "argnames"), None)
            if isinstance(spelled, ast.Constant) and isinstance(spelled.value, str):
                names.update(n.strip() for n in spelled.value.split(","))
            elif isinstance(spelled, (ast.List, ast.Tuple)) and all(
                    isinstance(e, ast.Constant) and isinstance(e.value, str)
                    for e in spelled.elts):
                names.update(e.value for e in spelled.elts)  # type: ignore[attr-defined]
            elif (named := _def_name(spelled, defs)) is not None:
                names.add(named)
            else:
                return None
    return frozenset(names)


def _def_name(expr: ast.expr | None, defs: dict[str, FunctionNode]) -> str | None:
    """The name `f.__name__` gives for a def `f` of the module: its own, unless a decorator
    may rename it (a fixture's `name=`, which pytest before 8.4 leaves out of __name__)."""
    if not (isinstance(expr, ast.Attribute) and expr.attr == "__name__"
            and isinstance(expr.value, ast.Name) and expr.value.id in defs):
        return None
    func = defs[expr.value.id]
    if any(isinstance(d, ast.Call) and any(k.arg == "name" or k.arg is None for k in d.keywords)
           for d in func.decorator_list):
        return None
    return func.name


def _only_read(name: str, nodes: list[ast.AST], defs: dict[str, FunctionNode],
               depth: int = 0) -> bool:
    """Is `name` only read for its attributes in these nodes, or handed by position to a
    def of the module that (itself, one level down) does the same with its parameter and
    does not parametrize through it?"""
    read = {id(node.value) for node in nodes if isinstance(node, ast.Attribute)
            and not (depth and node.attr == "parametrize")}
    handed: dict[int, tuple[ast.Call, int]] = {}
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            for at, arg in enumerate(node.args):
                handed[id(arg)] = (node, at)
    for node in nodes:
        if not (isinstance(node, ast.Name) and node.id == name) or id(node) in read:
            continue
        call, at = handed.get(id(node), (None, 0))
        callee = defs.get(call.func.id) if call is not None else None  # type: ignore
        params = [*callee.args.posonlyargs, *callee.args.args] if callee is not None else []
        if depth or callee is None or at >= len(params) or not _only_read(
                params[at].arg, list(ast.walk(callee)), defs, depth + 1):
            return False
    return True
