"""Per-file facts shared by every rule family, computed from the plain `ast` tree.

Cheap things live here (which functions are tests, pytest settings, what runs the tests),
or are reached from here (the import table, marks, scopes, values, loops). The astroid tree
is built lazily, only when a rule family asks.
"""

from __future__ import annotations

import ast
import bisect
import builtins
import fnmatch
import functools
import os
from collections.abc import Container

from . import inference, project
from .imports import ImportTable
from .index import reach as in_reach
from .index import modules
from .index.defs import ASYNC_CM, ASYNC_DEF, DEF
from .index.facts import ModuleFacts
from .index.resolver import kinds_of
from .index.rewrites import REWRITERS
from .options import Options
from .rules import explain
from .model import known, plugins
from .model.hooks import HOOKS, effect as hook_effect
from .model.fixtures import autouse, fixture_decorator, fixture_name
from .model.async_mocks import AsyncMocks
from .model.branches import Dead, dead_lines
from .model.fields import constant_fields, constant_tests
from .model.loops import Loops
from .model.marks import ASYNC_MARKS, Marks
from .model.scopes import Scopes
from .model.values import Home, Values
from .syntax import FunctionNode, Syntax, of_tree, parameters, source_words

# Names that astroid checks of a whole module or class look for (inference/names.py
# module_opening, inference/classes.py sets_attributes_dynamically): a body that uses one
# is built with the module.
WHOLE_TREE_NAMES = REWRITERS | {"locals", "eval", "__dict__"}
# Exceptions of the standard library that RuntimeError does not derive from: a
# `pytest.raises` of only these does not catch it.
NOT_RUNTIME_ERRORS = frozenset(
    name for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
    and not issubclass(RuntimeError, value)) | frozenset(
    f"asyncio.{name}" for name in ("CancelledError", "TimeoutError", "InvalidStateError",
                                   "IncompleteReadError", "LimitOverrunError", "QueueEmpty",
                                   "QueueFull"))
# Standard-library packages whose classes have coroutine methods.
STDLIB_ASYNC = ("asyncio", "contextlib", "unittest")


def _matches_any(name: str, patterns: tuple[str, ...]) -> bool:
    """pytest's python_functions/python_classes: a prefix, or a glob when it has glob chars."""
    for pattern in patterns:
        if any(ch in pattern for ch in "*?["):
            if fnmatch.fnmatchcase(name, pattern):
                return True
        elif name.startswith(pattern):
            return True
    return False


@functools.lru_cache(maxsize=None)
def _conftest_facts(chain: tuple[tuple[str, ast.Module], ...], marks: frozenset[str],
                    root: str | None) -> tuple[str | None, bool]:
    """(why a conftest hook may make or run async tests, if one may; whether a conftest
    involves anyio or trio)."""
    dynamic: str | None = None
    other = False
    for path, tree in chain:
        d, o = tree_facts(tree, marks, project.relative(path, root))
        dynamic = dynamic or d
        other |= o
    return dynamic, other


def tree_facts(tree: ast.Module, marks: frozenset[str], label: str,
               index: Syntax | None = None,
               table: ImportTable | None = None) -> tuple[str | None, bool]:
    """(why a hook of the module may run async tests or make them async, if one may;
    whether the module involves anyio or trio)."""
    dynamic: str | None = None
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name in HOOKS:
            table = table or ImportTable(tree)
            dynamic = dynamic or hook_effect(stmt, tree, table.resolve, marks,
                                             f"{label}:{stmt.lineno}")
    words = source_words(tree, index or of_tree(tree))
    other = "anyio" in words or "trio" in words or any(  # or it defines anyio's fixture
        isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
        and stmt.name == "anyio_backend" for stmt in tree.body)
    return dynamic, other


def _static_dotted(expr: ast.AST, shadowed: Container[str], imports: ImportTable,
                   facts: ModuleFacts, modname: str) -> str | None:
    root = expr
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name) or root.id in shadowed:
        return None
    dotted = imports.resolve(expr)
    if dotted is None:
        return None
    if root.id in imports.names:
        return dotted
    # `from .helpers import x`: the file's facts resolve it, and drop a name bound twice
    if root.id in imports.relative and root.id in facts.imports:
        return ".".join((facts.imports[root.id], *dotted.split(".")[1:]))
    if root.id in facts.classes or facts.kinds.get(root.id) in (DEF, ASYNC_DEF, ASYNC_CM):
        return f"{modname}.{dotted}"
    return None


def _plugin_fixtures(tree: ast.Module, syntax: Syntax | None = None) -> dict[str, int]:
    """Each of known.PLUGIN_FIXTURES that `tree` requests, with the line of the first
    function taking it as a parameter, else of the first string naming it
    (`usefixtures("...")`)."""
    syntax = syntax or of_tree(tree)
    lines: dict[str, int] = {}
    for func in syntax.of_type(ast.FunctionDef, ast.AsyncFunctionDef):
        for name in parameters(func):  # type: ignore[arg-type]
            if name in known.PLUGIN_FIXTURES:
                lines.setdefault(name, func.lineno)  # type: ignore[attr-defined]
    for const in syntax.of_type(ast.Constant):
        value = const.value  # type: ignore[attr-defined]
        if isinstance(value, str) and value in known.PLUGIN_FIXTURES:
            lines.setdefault(value, const.lineno)  # type: ignore[attr-defined]
    return lines


@functools.lru_cache(maxsize=None)
def _project_uses_plugin_fixtures(rootdir: str) -> bool:
    """Does a file of the project request a plugin's fixture (_plugin_fixtures)? True too
    past the search's file limit. Once per run (caches.new_run)."""
    found = project.files_mentioning(rootdir, *known.PLUGIN_FIXTURES)
    return found is None or any(_plugin_fixtures(tree) for tree in found)


class FileContext:
    """Everything a rule family may ask about the linted file."""

    def __init__(self, tree: ast.Module, lines: list[str], path: str, options: Options) -> None:
        self.tree = tree
        self.lines = lines
        self.path = os.path.abspath(path)
        self.options = options
        self.is_conftest = os.path.basename(path) == "conftest.py"
        self.settings = project.settings_for_file(self.path)
        self.imports = ImportTable(tree)
        # Why rules stayed silent where they looked: (line, col, code, reason), printed
        # with --async-tests-explain.
        self.silences: list[tuple[int, int, str, str]] = []
        self._built: object = None  # inference.Built, False once building failed
        self._homes: dict[str, Home] = {}
        # (id of a class, attribute) -> (the mock a setup method sets it to, or None; why
        # it is not followed, if so): for the mock rules, found once per class
        self.self_mocks: dict[tuple[int, str], tuple[object, str | None]] = {}

    @functools.cached_property
    def syntax(self) -> Syntax:
        """The file's nodes by type and by scope, from one walk."""
        return Syntax(self.tree)

    @functools.cached_property
    def source(self) -> str:
        """The file's text, for the cheapest filter of all: is a word there at all?"""
        return "".join(self.lines)

    # -- pytest settings ---------------------------------------------------------

    @property
    def mode(self) -> str:
        """'auto' or 'strict': how pytest-asyncio treats unmarked async tests and fixtures."""
        if self.options.mode != "detect":
            return self.options.mode
        return self.settings.asyncio_mode or "strict"

    @property
    def unmarked_tests_run(self) -> bool:
        """Some plugin runs async tests that carry no mark (or pytest-asyncio is switched off)."""
        settings = self.settings
        return (self.mode == "auto" or settings.trio_mode or settings.anyio_mode == "auto"
                or (self.options.mode == "detect" and settings.asyncio_plugin_disabled))

    @functools.cached_property
    def rootdir(self) -> str | None:
        if self.settings.rootdir:
            return self.settings.rootdir
        cwd = os.getcwd()
        return cwd if self.path.startswith(cwd + os.sep) else None

    @functools.cached_property
    def conftests(self) -> tuple[tuple[str, ast.Module], ...]:
        return project.conftest_chain(self.path, self.rootdir)

    @functools.cached_property
    def unparsed_conftest(self) -> str | None:
        """A conftest.py that applies here but does not parse (relative to the rootdir)."""
        found = project.unparsed_conftests(self.path, self.rootdir)
        return project.relative(found[0], self.rootdir) if found else None

    @functools.cached_property
    def loaded_plugins(self) -> list[plugins.Verdict]:
        """The plugins the project loads that may matter to async tests (runner model)."""
        own = (self.path, self.tree) if self.is_conftest else None
        return plugins.loaded(self.conftests, own, self.settings.plugins,
                              self.settings.config_file, self.rootdir, self.search_path)

    @functools.cached_property
    def plugin_modules(self) -> tuple[tuple[tuple[str, ast.Module], ...], str | None]:
        """The project's own plugin modules that pytest_plugins or -p load (value model)."""
        own = (self.path, self.tree) if self.is_conftest else None
        return plugins.project_modules(self.conftests, own, tuple(self.settings.plugins),
                                       self.search_path, modules.is_installed,
                                       project.parse_file)

    @functools.cached_property
    def search_path(self) -> tuple[str, ...]:
        """Where the project's imports resolve from, for this file."""
        return project.search_path(self.path, self.settings)

    @functools.cached_property
    def runner_plugin(self) -> plugins.Verdict | None:
        """The first plugin that runs (or may run) async tests by itself, if any."""
        return next((v for v in self.loaded_plugins if v.may_run_async_tests), None)

    @functools.cached_property
    def asyncio_mark_inert(self) -> bool:
        """The project runs its async tests with another plugin and does not name
        pytest-asyncio: nothing reads the asyncio mark."""
        if not self.rootdir:
            return False
        declared = plugins.declared_distributions(self.rootdir)
        return bool(plugins.declared_runners(self.rootdir)) and known.ASYNCIO not in declared

    @functools.cached_property
    def declared_mark(self) -> tuple[str, str] | None:
        """(distribution, mark) of the one plugin running only the async tests marked for
        it (known.MARKS) that the project declares, where it does not declare
        pytest-asyncio; None otherwise."""
        if not self.rootdir:
            return None
        declared = plugins.declared_distributions(self.rootdir)
        if known.ASYNCIO in declared:
            return None
        found = [(name, mark) for name, mark in known.MARKS.items() if name in declared]
        return found[0] if len(found) == 1 else None

    @functools.cached_property
    def declares_no_async_plugin(self) -> bool:
        """The project's dependencies name pytest and no plugin that runs async tests
        (known.KNOWN, known.MARKS), and it loads none: an unmarked async test has nothing
        to run it."""
        if not self.rootdir or any(
                v.kind != "plain" or known.by_entry_point(v.name) or known.by_module(v.name)
                for v in self.loaded_plugins):
            return False  # (one that runs only marked tests counts too: -p asyncio)
        declared = plugins.declared_distributions(self.rootdir)
        if "pytest" not in declared or declared & known.ASYNC_DISTRIBUTIONS:
            return False
        return not _project_uses_plugin_fixtures(self.rootdir)  # (a plugin it does not declare)

    def silent(self, node: ast.AST, code: str, reason: str) -> None:
        """Record that `code` looked at `node` and said nothing, and why."""
        self.silences.append((node.lineno, node.col_offset, code, reason))  # type: ignore

    @functools.cached_property
    def dead_lines(self) -> list[Dead]:
        """The branches of this file that never run (model/branches.py)."""
        fields = constant_fields(self.syntax, self.source, self.static_dotted)
        return dead_lines(self.syntax, self.resolve, self._async_cm,
                          constant_tests(self.syntax, fields) if fields else None)

    def _async_cm(self, func: ast.expr) -> str | None:
        """The function `func` names when calling it makes an async context manager (as
        the index reads its def), else None."""
        dotted = self.static_dotted(func)
        return dotted if dotted is not None and kinds_of(dotted) == {ASYNC_CM} else None

    @functools.cached_property
    def _raises_blocks(self) -> list[tuple[int, int, int, bool]]:
        """(first, last, with line, may it catch RuntimeError) of the body of each `with
        pytest.raises(...)`."""
        found = []
        for node in self.syntax.of_type(ast.With):
            raises = [item.context_expr for item in node.items  # type: ignore[attr-defined]
                      if isinstance(item.context_expr, ast.Call)
                      and self.resolve(item.context_expr.func) == "pytest.raises"]
            if node.body and raises:  # type: ignore[attr-defined]
                body = node.body  # type: ignore[attr-defined]
                found.append((body[0].lineno, max(s.end_lineno or s.lineno for s in body),
                              node.lineno, any(self.may_catch_runtime_error(r) for r in raises)))
        return found

    def may_catch_runtime_error(self, raises: ast.Call) -> bool:
        """May `pytest.raises(...)` catch RuntimeError? Not when every exception it names is
        one of the standard library's that RuntimeError does not derive from (ValueError,
        asyncio.CancelledError...); yes when one is RuntimeError or one of its bases, or is
        anything else (a project's name may be an alias)."""
        expected = raises.args[0] if raises.args else next(
            (k.value for k in raises.keywords if k.arg == "expected_exception"), None)
        if expected is None:
            return True
        named = expected.elts if isinstance(expected, ast.Tuple) else [expected]
        return not all(self.resolve(e) in NOT_RUNTIME_ERRORS for e in named)

    def ends_raises_block(self, node: ast.AST) -> str | None:
        """expects_raise, for a call that ends the body of its `with pytest.raises(...)`,
        whatever it expects: either it raises, as the test expects, or something before it
        did and it never runs (AT204: a sleep there never blocks the loop)."""
        end = node.end_lineno  # type: ignore[attr-defined]
        where = next((at for first, last, at, _ in self._raises_blocks
                      if first <= node.lineno <= last and end == last), None)  # type: ignore
        return explain("in-pytest-raises", line=where) if where is not None else None

    def expects_raise(self, node: ast.AST, anything: bool = False,
                      within: ast.AST | None = None) -> str | None:
        """Why a call that raises RuntimeError is left alone inside `with
        pytest.raises(...)` that may catch it (AT201: a loop started where one runs), or,
        with `anything`, inside any `pytest.raises`: the test expects an exception there.
        With `within`, only a `with` on that node's lines counts. None outside one."""
        line = node.lineno  # type: ignore[attr-defined]
        lines = ((within.lineno, within.end_lineno or within.lineno)  # type: ignore
                 if within is not None else None)
        where = next((at for first, last, at, runtime in self._raises_blocks
                      if first <= line <= last and (runtime or anything)
                      and (lines is None or lines[0] <= at <= lines[1])), None)
        return explain("in-pytest-raises", line=where) if where is not None else None

    def never_runs(self, line: int) -> Dead | None:
        """The branch that never runs around this line, if any."""
        return next((dead for dead in self.dead_lines if dead.first <= line <= dead.last),
                    None)

    def unmarked_reason(self) -> str | None:
        """Why unmarked async tests run here (AT100/AT104 silences), or None."""
        settings = self.settings
        where = (project.relative(settings.config_file, self.rootdir) if settings.config_file
                 else "the pytest configuration")
        if self.options.mode == "auto":
            return "unmarked async tests run: --async-tests-mode=auto"
        if self.mode == "auto":
            return f"unmarked async tests run: asyncio_mode = auto in {where}"
        if settings.trio_mode:
            return f"unmarked async tests run: trio_mode = true in {where}"
        if settings.anyio_mode == "auto":
            return f"unmarked async tests run: anyio_mode = auto in {where}"
        if self.options.mode == "detect" and settings.asyncio_plugin_disabled:
            return f"pytest-asyncio is switched off (-p no:asyncio in {where})"
        return None

    @functools.cached_property
    def unwarned_mark_reason(self) -> str | None:
        """Why the asyncio mark on a sync test is no mistake here (AT102 silence): the
        project pins pytest-asyncio before 0.18, which takes it without a warning."""
        if self.rootdir and plugins.pins_pytest_asyncio_before_sync_warning(self.rootdir):
            return explain("mark-unwarned", first=plugins.WARNS_ON_SYNC_MARK)
        return None

    def legacy_reason(self) -> str | None:
        """Why pytest-asyncio runs async fixtures declared with plain @pytest.fixture here
        (AT104 silence): its legacy mode, set, or the default of the releases the project
        pins (before 0.19). None otherwise."""
        if self.options.mode != "detect" or self.settings.asyncio_mode is not None:
            return None
        if self.settings.asyncio_legacy:
            where = (project.relative(self.settings.config_file, self.rootdir)
                     if self.settings.config_file else "the pytest configuration")
            return explain("legacy-mode", how=f"asyncio_mode = legacy in {where} sets")
        if self.rootdir and plugins.pins_pytest_asyncio_before_strict(self.rootdir):
            return explain("legacy-mode", how=f"the project pins pytest-asyncio before "
                                              f"{plugins.STRICT_BY_DEFAULT}, whose default is")
        return None

    def dynamic_reason(self) -> str | None:
        """Why a plugin, a hook or a plugin's release that cannot be told may run, mark or
        set up the tests here (AT100, AT104, AT202 silences), or None."""
        if self.runner_plugin is not None:
            return self.runner_plugin.explain()
        return (self._hook_reason or self._undeclared_plugin_fixture
                or self._unknown_declared_plugin)

    @functools.cached_property
    def _unknown_declared_plugin(self) -> str | None:
        """The first pytest plugin the project declares that this tool does not know and
        that is not installed here, or whose installed modules may run coroutines."""
        for name in plugins.unknown_declared_plugins(self.rootdir) if self.rootdir else ():
            modules = plugins.installed_plugin_modules(name)
            if modules is None:
                return explain("declared-plugin-unknown", plugin=name,
                               how="that is not installed here")
            for module in modules:
                kind, _ = plugins.classify(module, tuple(self.search_path))
                if kind in ("runner", "unknown"):
                    return explain("declared-plugin-unknown", plugin=name,
                                   how=f"whose module {module} this tool cannot tell from "
                                       "a runner")
        return None

    @functools.cached_property
    def _undeclared_plugin_fixture(self) -> str | None:
        """Where this file or a conftest.py above it requests a fixture that only a plugin
        whose early releases ran every async test gives (known.PLUGIN_FIXTURES), which the
        project neither declares nor defines, and which is not installed here: which
        release runs the tests cannot be told."""
        declared = plugins.declared_distributions(self.rootdir) if self.rootdir else frozenset()
        requested = [(path, _plugin_fixtures(tree, self.syntax if tree is self.tree else None))
                     for path, tree in ((self.path, self.tree), *self.conftests)]
        for name, plugin in known.PLUGIN_FIXTURES.items():
            if (plugin in declared or plugins.installed_version(plugin) is not None
                    or self.values.defined(name, None) is not None):
                continue
            for path, lines in requested:
                if name in lines:
                    return explain("undeclared-plugin-fixture",
                                   where=f"{project.relative(path, self.rootdir)}:{lines[name]}",
                                   fixture=name, plugin=plugin, version=plugins.FIRST_1)
        return None

    @functools.cached_property
    def imported_tops(self) -> frozenset[str]:
        """The top-level packages this file's imports name."""
        return frozenset(dotted.split(".")[0] for dotted in self.imports.names.values())

    @functools.cached_property
    def trio_module(self) -> bool:
        """The module imports trio and not asyncio: its async tests are trio's (pytest-trio
        runs them), whatever pytest-asyncio's mode."""
        tops = self.imported_tops
        return "trio" in tops and not tops & {"asyncio", "pytest_asyncio"}

    @functools.cached_property
    def pytest_asyncio_before_1(self) -> bool:
        """The project pins pytest-asyncio below 1.0 in its dependencies."""
        return bool(self.rootdir) and plugins.pins_pytest_asyncio_before_1(self.rootdir)

    @functools.cached_property
    def _hook_reason(self) -> str | None:
        """Why a hook of a conftest.py (or of this file) may run async tests or give them
        an async mark; None when every hook only does other things."""
        return self._chain_facts[0] or self._facts[0]

    @functools.cached_property
    def other_async_plugin(self) -> bool:
        """anyio or trio is involved here, so their plugins may handle async fixtures."""
        if self.settings.trio_mode:
            return True
        return self._chain_facts[1] or self._facts[1]

    @functools.cached_property
    def anyio_autouse(self) -> str | None:
        """Where an autouse fixture of this file or a conftest.py is or requests
        anyio_backend (anyio's plugin then runs every async test and fixture below it);
        None if none."""
        for path, tree in [(self.path, self.tree), *self.conftests]:
            resolve = self.resolve if tree is self.tree else self.home_of(path, tree).resolve
            for stmt in tree.body:
                if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                deco = fixture_decorator(stmt, resolve)
                if deco is not None and autouse(deco) is True and (
                        "anyio_backend" in parameters(stmt)
                        or fixture_name(stmt, deco) == "anyio_backend"):
                    return f"{project.relative(path, self.rootdir)}:{stmt.lineno}"
        return None

    @functools.cached_property
    def _async_marks(self) -> frozenset[str]:
        """Marks that make a test async: the runners' own and the project's runner marks."""
        return frozenset(ASYNC_MARKS) | frozenset(self.options.runner_markers)

    @functools.cached_property
    def _chain_facts(self) -> tuple[str | None, bool]:
        return _conftest_facts(self.conftests, self._async_marks, self.rootdir)

    @functools.cached_property
    def _facts(self) -> tuple[str | None, bool]:
        return tree_facts(self.tree, self._async_marks,
                          project.relative(self.path, self.rootdir), self.syntax, self.imports)

    @functools.cached_property
    def _own_defs(self) -> tuple[frozenset[str], frozenset[str]]:
        """(def names, async def names) in this file and its conftest.py files."""
        defs: set[str] = set()
        async_defs: set[str] = set()
        for facts in self._own_facts:
            defs.update(facts.defs)
            async_defs.update(facts.async_defs)
        return frozenset(defs), frozenset(async_defs)

    @functools.cached_property
    def _own_facts(self) -> list[ModuleFacts]:
        return [self.facts, *(modules.seed(path, project.import_base(path)[1], tree)
                              for path, tree in self.conftests)]

    @functools.cached_property
    def reach(self) -> in_reach.Reach | None:
        """Every module this file and its conftest.py files import, transitively (from the
        index); None when there is too much in reach."""
        imported = [*STDLIB_ASYNC, *(m for facts in self._own_facts for m in facts.modules)]
        return in_reach.reach(imported)

    def may_define(self, name: str, is_async: bool, package: str | None = None) -> bool:
        """Could `name` be a def (an async def) anywhere in reach, `package` included?
        A cheap filter before inference: True when unsure."""
        if name in self._own_defs[is_async]:
            return True
        found = self.reach
        if found is None or in_reach.defines(name, is_async, found):
            return True
        if package is not None:
            extra = in_reach.reach([package])
            return extra is None or in_reach.defines(name, is_async, extra)
        return False

    # -- names and marks -----------------------------------------------------------

    @functools.cached_property
    def modname(self) -> str:
        return project.import_base(self.path)[1]

    @functools.cached_property
    def facts(self) -> ModuleFacts:
        """This file's facts, as the index reads modules (from flake8's tree)."""
        source = self.source.encode("utf-8", "surrogatepass")
        return modules.seed(self.path, self.modname, self.tree, source)

    @functools.cached_property
    def indexed_here(self) -> bool:
        """Does the index read this file's names from the tree being linted (not from
        another file found under the same module name)?"""
        return modules.module(self.modname) is self.facts

    def readable(self, dotted: str) -> bool:
        """May the index be asked about `dotted`? Not a name of this file's module that
        the index reads from another file."""
        return not dotted.startswith(self.modname + ".") or self.indexed_here

    def static_dotted(self, expr: ast.AST, shadowed: Container[str] = ()) -> str | None:
        """The dotted name an expression spells through this file's imports or top-level
        definitions (`pkg.mod.Cls.meth`), read without inference; None when its root name
        is in `shadowed` (bound where the expression is) or is anything else."""
        return _static_dotted(expr, shadowed, self.imports, self.facts, self.modname)

    def resolve(self, expr: ast.AST) -> str | None:
        return self.imports.resolve(expr)

    # -- the value model ---------------------------------------------------------------

    @functools.cached_property
    def home(self) -> Home:
        return Home(self.path, self.tree, self.syntax, self.static_dotted, self.resolve,
                    project.relative(self.path, self.rootdir), self.modname)

    def home_of(self, path: str, tree: ast.Module) -> Home:
        """A conftest.py as a home of the fixtures it defines."""
        found = self._homes.get(path)
        if found is None:
            imports = ImportTable(tree)
            modname = project.import_base(path)[1]
            facts = modules.seed(path, modname, tree)

            def static(expr: ast.AST, shadowed: Container[str] = ()) -> str | None:
                return _static_dotted(expr, shadowed, imports, facts, modname)

            found = self._homes[path] = Home(path, tree, of_tree(tree), static,
                                             imports.resolve,
                                             project.relative(path, self.rootdir), modname)
        return found

    @functools.cached_property
    def values(self) -> Values:
        return Values(self)

    @functools.cached_property
    def scopes(self) -> Scopes:
        return Scopes(self)

    @functools.cached_property
    def marks(self) -> Marks:
        return Marks(self)

    @functools.cached_property
    def loops(self) -> Loops:
        return Loops(self)

    @functools.cached_property
    def async_mocks(self) -> AsyncMocks:
        return AsyncMocks(self.scopes)

    def is_fixture(self, func: FunctionNode) -> bool:
        return fixture_decorator(func, self.resolve) is not None

    def fixture_decorator(self, func: FunctionNode) -> str | None:
        """The dotted name of the decorator that makes `func` a fixture, or None."""
        deco = fixture_decorator(func, self.resolve)
        return self.resolve(deco) if deco is not None else None

    # -- which functions pytest collects -------------------------------------------

    def is_test_name(self, name: str) -> bool:
        return _matches_any(name, self.settings.python_functions)

    def is_test_class_name(self, name: str) -> bool:
        return _matches_any(name, self.settings.python_classes)

    # -- astroid -----------------------------------------------------------------

    def astroid_node(self, node: ast.AST):
        """The astroid node a plain `ast` node of this file became (None if the file
        cannot be built). The file is built on first use, the bodies of `build_later`
        when a node in them is first asked for."""
        if self._built is None:
            built = inference.build_module(self.tree, self.path, self.modname,
                                           self.build_later)
            self._built = built if built is not None else False
        if not self._built:
            return None
        made = self._built.made  # type: ignore[attr-defined]
        if id(node) not in made and hasattr(node, "lineno"):
            for func, _ in list(self._built.pending.values()):  # type: ignore[attr-defined]
                if func.lineno <= node.lineno <= (func.end_lineno or func.lineno):
                    inference.build_body(self._built, func)
                    break
        return made.get(id(node))

    @functools.cached_property
    def build_later(self) -> list[FunctionNode]:
        """Test functions (and test methods of top-level classes) whose bodies astroid
        need not build before a question is about them: inference cannot reach their
        bodies from anywhere else. Nothing in the file names them (not even in a
        string), they set no attribute on their first parameter (astroid would record it
        on the class), they do not yield, and nothing in them (nested functions too)
        declares a global or touches names astroid's whole-tree checks look for
        (`setattr`, `vars`, `globals`, `__dict__`...)."""
        named: set[object] = set()  # every name, attribute and string of the file
        marked: list[int] = []  # lines with a `global`, `nonlocal` or WHOLE_TREE_NAMES
        for node in self.syntax.of_type(ast.Name, ast.Attribute, ast.Constant,
                                        ast.Global, ast.Nonlocal):
            if isinstance(node, (ast.Global, ast.Nonlocal)):
                marked.append(node.lineno)
                continue
            if isinstance(node, ast.Constant):
                named.add(node.value)
                continue
            word = node.id if isinstance(node, ast.Name) else node.attr  # type: ignore
            named.add(word)
            if word in WHOLE_TREE_NAMES:
                marked.append(node.lineno)  # type: ignore[attr-defined]
        marked.sort()
        funcs = [node for node in self.tree.body if isinstance(node, FunctionNode)]
        funcs.extend(node for cls in self.tree.body if isinstance(cls, ast.ClassDef)
                     for node in cls.body if isinstance(node, FunctionNode))
        return [func for func in funcs if self.is_test_name(func.name)
                and func.name not in named and self._self_contained(func, marked)]

    def _self_contained(self, func: FunctionNode, marked: list[int]) -> bool:
        first = parameters(func)[:1]
        for node in self.syntax.scope_nodes(func, headers=False):
            if isinstance(node, (ast.Yield, ast.YieldFrom)):
                return False
            if (isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load)
                    and isinstance(node.value, ast.Name) and [node.value.id] == first):
                return False
        at = bisect.bisect_left(marked, func.lineno)
        return not (at < len(marked) and marked[at] <= (func.end_lineno or func.lineno))

    def close(self) -> None:
        """The file is analysed: its astroid tree leaves astroid's cache, and the context
        lets go of everything it holds but `path` and `silences`. The models and rule
        families made for the file point back at it, so without this the file's trees
        would wait for the cyclic collector (most of its work on a large suite)."""
        if self._built:
            inference.forget_module(self._built.module)  # type: ignore[attr-defined]
        kept = {"path": self.path, "silences": self.silences}
        vars(self).clear()
        vars(self).update(kept)
