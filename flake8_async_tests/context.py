"""Per-file facts shared by every rule family, computed from the plain `ast` tree.

Cheap things live here (which functions are tests, pytest settings, the file's names), or
are reached from here (the import table, what runs the tests, marks, scopes, values,
loops, `pytest.raises` blocks). The astroid tree
is built lazily, only when a rule family asks.
"""

from __future__ import annotations

import ast
import bisect
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
from .model.fixtures import fixture_decorator
from .model.async_mocks import AsyncMocks
from .model.branches import Dead, dead_lines
from .model.fields import constant_fields, constant_tests
from .model.loops import Loops
from .model.marks import Marks
from .model.raises import RaisesBlocks
from .model.runner import Runner
from .model.scopes import Scopes
from .model.class_kinds import ClassKinds
from .model.values import Home, Values
from .syntax import FunctionNode, Syntax, of_tree, parameters

# Names that astroid checks of a whole module or class look for (inference/names.py
# module_opening, inference/classes.py sets_attributes_dynamically): a body that uses one
# is built with the module.
WHOLE_TREE_NAMES = REWRITERS | {"locals", "eval", "__dict__"}
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
    def search_path(self) -> tuple[str, ...]:
        """Where the project's imports resolve from, for this file."""
        return project.search_path(self.path, self.settings)

    @functools.cached_property
    def runner(self) -> Runner:
        """What runs this file's async tests (model/runner.py)."""
        return Runner(self)

    def silent(self, node: ast.AST, code: str, reason: str) -> None:
        """Record that `code` looked at `node` and said nothing, and why."""
        self.silences.append((node.lineno, node.col_offset, code, reason))  # type: ignore

    @functools.cached_property
    def dead_lines(self) -> list[Dead]:
        """The branches of this file that never run (model/branches.py)."""
        fields = constant_fields(self.syntax, self.source, self.static_dotted)
        found = dead_lines(self.syntax, self.resolve, self._async_cm,
                           constant_tests(self.syntax, fields) if fields else None)
        skipped = [] if self.is_conftest else self._skipped_tests(self.tree.body, None)
        return sorted([*found, *skipped], key=lambda dead: (dead.first, -dead.last))

    def _skipped_tests(self, body: list[ast.stmt], cls: ast.ClassDef | None) -> list[Dead]:
        """The bodies of the tests in `body` that a mark skips whatever happens
        (marks.skipped): pytest never calls them, as if each began with `pytest.skip()`. A
        test: a function (not a fixture) named as python_functions says, or `test*` in a
        class (unittest's way); a method of a nested class too; none that the module names
        again, as other code may call it."""
        found: list[Dead] = []
        for stmt in body:
            if isinstance(stmt, ast.ClassDef):
                found.extend(self._skipped_tests(stmt.body, stmt))
            elif (isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
                  and (self.is_test_name(stmt.name)
                       or cls is not None and stmt.name.startswith("test"))
                  and stmt.name not in self.marks.used_names  # (called by other code)
                  and not self.is_fixture(stmt)):
                mark = self.marks.skipped(stmt, cls)
                if mark is not None:
                    found.append(Dead(stmt.body[0].lineno, stmt.end_lineno or stmt.lineno,
                                      stmt.name, True, self.marks.skip_label(mark),
                                      skipped=True))
        return found

    def _async_cm(self, func: ast.expr) -> str | None:
        """The function `func` names when calling it makes an async context manager (as
        the index reads its def), else None."""
        dotted = self.static_dotted(func)
        return dotted if dotted is not None and kinds_of(dotted) == {ASYNC_CM} else None

    @functools.cached_property
    def raises(self) -> RaisesBlocks:
        """The file's `with pytest.raises(...)` blocks (model/raises.py)."""
        return RaisesBlocks(self.syntax, self.resolve)

    def never_runs(self, line: int) -> Dead | None:
        """The branch that never runs around this line, if any."""
        return next((dead for dead in self.dead_lines if dead.first <= line <= dead.last),
                    None)

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
    def class_kinds(self) -> ClassKinds:
        return ClassKinds(self)

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
