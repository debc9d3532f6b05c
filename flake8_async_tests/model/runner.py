"""What runs the linted file's async tests (the runner model), as pytest would load it.

Its plugins (`pytest_plugins` of the conftest.py chain, `-p`, installed entry points,
the project's declared dependencies: model/plugins.py), the hooks of its conftest.py files
that may run or mark async tests (model/hooks.py), pytest-asyncio's mode and the releases
the project pins. The rules ask it why unmarked async tests run here, or why a plugin may
run, mark or set them up: each answer is a reason a silence records.
"""

from __future__ import annotations

import ast
import functools

from .. import project
from ..index import modules
from ..imports import ImportTable
from ..rules import explain
from ..syntax import Syntax, of_tree, parameters, source_words
from . import known, plugins
from .fixtures import autouse, fixture_decorator, fixture_name
from .hooks import HOOKS, effect as hook_effect
from .marks import ASYNC_MARKS


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


class Runner:
    """Those answers for one file (a FileContext)."""

    def __init__(self, ctx) -> None:  # ctx: FileContext
        self.ctx = ctx
        self._pinned_before: dict[str, bool] = {}  # release -> pytest_asyncio_before()

    @property
    def mode(self) -> str:
        """'auto' or 'strict': how pytest-asyncio treats unmarked async tests and fixtures."""
        if self.ctx.options.mode != "detect":
            return self.ctx.options.mode
        return self.ctx.settings.asyncio_mode or "strict"

    @functools.cached_property
    def loaded_plugins(self) -> list[plugins.Verdict]:
        """The plugins the project loads that may matter to async tests (runner model)."""
        ctx = self.ctx
        own = (ctx.path, ctx.tree) if ctx.is_conftest else None
        return plugins.loaded(ctx.conftests, own, ctx.settings.plugins,
                              ctx.settings.config_file, ctx.rootdir, ctx.search_path)

    @functools.cached_property
    def plugin_modules(self) -> tuple[tuple[tuple[str, ast.Module], ...], str | None]:
        """The project's own plugin modules that pytest_plugins or -p load (value model)."""
        ctx = self.ctx
        own = (ctx.path, ctx.tree) if ctx.is_conftest else None
        return plugins.project_modules(ctx.conftests, own, tuple(ctx.settings.plugins),
                                       ctx.search_path, modules.is_installed,
                                       project.parse_file)

    @functools.cached_property
    def runner_plugin(self) -> plugins.Verdict | None:
        """The first plugin that runs (or may run) async tests by itself, if any."""
        return next((v for v in self.loaded_plugins if v.may_run_async_tests), None)

    @functools.cached_property
    def asyncio_mark_inert(self) -> bool:
        """The project runs its async tests with another plugin and does not name
        pytest-asyncio: nothing reads the asyncio mark."""
        if not self.ctx.rootdir:
            return False
        declared = plugins.declared_distributions(self.ctx.rootdir)
        return bool(plugins.declared_runners(self.ctx.rootdir)) and known.ASYNCIO not in declared

    @functools.cached_property
    def declared_mark(self) -> tuple[str, str] | None:
        """(distribution, mark) of the one plugin running only the async tests marked for
        it (known.MARKS) that the project declares, where it does not declare
        pytest-asyncio; None otherwise."""
        if not self.ctx.rootdir:
            return None
        declared = plugins.declared_distributions(self.ctx.rootdir)
        if known.ASYNCIO in declared:
            return None
        found = [(name, mark) for name, mark in known.MARKS.items() if name in declared]
        return found[0] if len(found) == 1 else None

    @functools.cached_property
    def declares_no_async_plugin(self) -> bool:
        """The project's dependencies name pytest and no plugin that runs async tests
        (known.KNOWN, known.MARKS), and it loads none: an unmarked async test has nothing
        to run it."""
        if not self.ctx.rootdir or any(
                v.kind != "plain" or known.by_entry_point(v.name) or known.by_module(v.name)
                for v in self.loaded_plugins):
            return False  # (one that runs only marked tests counts too: -p asyncio)
        declared = plugins.declared_distributions(self.ctx.rootdir)
        if "pytest" not in declared or declared & known.ASYNC_DISTRIBUTIONS:
            return False
        return not _project_uses_plugin_fixtures(self.ctx.rootdir)  # (a plugin it does not declare)

    def unmarked_reason(self) -> str | None:
        """Why unmarked async tests run here (AT100/AT104 silences), or None."""
        settings = self.ctx.settings
        where = (project.relative(settings.config_file, self.ctx.rootdir) if settings.config_file
                 else "the pytest configuration")
        if self.ctx.options.mode == "auto":
            return "unmarked async tests run: --async-tests-mode=auto"
        if self.mode == "auto":
            return f"unmarked async tests run: asyncio_mode = auto in {where}"
        if settings.trio_mode:
            return f"unmarked async tests run: trio_mode = true in {where}"
        if settings.anyio_mode == "auto":
            return f"unmarked async tests run: anyio_mode = auto in {where}"
        if self.ctx.options.mode == "detect" and settings.asyncio_plugin_disabled:
            return f"pytest-asyncio is switched off (-p no:asyncio in {where})"
        return None

    @functools.cached_property
    def unwarned_mark_reason(self) -> str | None:
        """Why the asyncio mark on a sync test is no mistake here (AT102 silence): the
        project pins pytest-asyncio before 0.18, which takes it without a warning."""
        if self.pytest_asyncio_before(known.WARNS_ON_SYNC_MARK):
            return explain("mark-unwarned", first=known.WARNS_ON_SYNC_MARK)
        return None

    def legacy_reason(self) -> str | None:
        """Why pytest-asyncio runs async fixtures declared with plain @pytest.fixture here
        (AT104 silence): its legacy mode, set, or the default of the releases the project
        pins (before 0.19). None otherwise."""
        if self.ctx.options.mode != "detect" or self.ctx.settings.asyncio_mode is not None:
            return None
        if self.ctx.settings.asyncio_legacy:
            where = (project.relative(self.ctx.settings.config_file, self.ctx.rootdir)
                     if self.ctx.settings.config_file else "the pytest configuration")
            return explain("legacy-mode", how=f"asyncio_mode = legacy in {where} sets")
        if self.pytest_asyncio_before(known.STRICT_BY_DEFAULT):
            return explain("legacy-mode", how=f"the project pins pytest-asyncio before "
                                              f"{known.STRICT_BY_DEFAULT}, whose default is")
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
        for name in plugins.unknown_declared_plugins(self.ctx.rootdir) if self.ctx.rootdir else ():
            modules = plugins.installed_plugin_modules(name)
            if modules is None:
                return explain("declared-plugin-unknown", plugin=name,
                               how="that is not installed here")
            for module in modules:
                kind, _ = plugins.classify(module, tuple(self.ctx.search_path))
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
        ctx = self.ctx
        declared = plugins.declared_distributions(ctx.rootdir) if ctx.rootdir else frozenset()
        requested = [(path, _plugin_fixtures(tree, ctx.syntax if tree is ctx.tree else None))
                     for path, tree in ((ctx.path, ctx.tree), *ctx.conftests)]
        for name, plugin in known.PLUGIN_FIXTURES.items():
            if (plugin in declared or plugins.installed_version(plugin) is not None
                    or self.ctx.values.defined(name, None) is not None):
                continue
            for path, lines in requested:
                if name in lines:
                    return explain("undeclared-plugin-fixture",
                                   where=f"{project.relative(path, ctx.rootdir)}:{lines[name]}",
                                   fixture=name, plugin=plugin, version=plugins.FIRST_1)
        return None

    @functools.cached_property
    def imported_tops(self) -> frozenset[str]:
        """The top-level packages this file's imports name."""
        return frozenset(dotted.split(".")[0] for dotted in self.ctx.imports.names.values())

    @functools.cached_property
    def trio_module(self) -> bool:
        """The module imports trio and not asyncio: its async tests are trio's (pytest-trio
        runs them), whatever pytest-asyncio's mode."""
        tops = self.imported_tops
        return "trio" in tops and not tops & {"asyncio", "pytest_asyncio"}

    def pytest_asyncio_before(self, release: str) -> bool:
        """The project pins pytest-asyncio below `release` (one of known's first releases)
        in its dependencies."""
        if release not in self._pinned_before:
            self._pinned_before[release] = bool(self.ctx.rootdir) and plugins.pins_before(
                self.ctx.rootdir, known.ASYNCIO, release)
        return self._pinned_before[release]

    @functools.cached_property
    def _hook_reason(self) -> str | None:
        """Why a hook of a conftest.py (or of this file) may run async tests or give them
        an async mark; None when every hook only does other things."""
        return self._chain_facts[0] or self._facts[0]

    @functools.cached_property
    def other_async_plugin(self) -> bool:
        """anyio or trio is involved here, so their plugins may handle async fixtures."""
        if self.ctx.settings.trio_mode:
            return True
        return self._chain_facts[1] or self._facts[1]

    @functools.cached_property
    def anyio_autouse(self) -> str | None:
        """Where an autouse fixture of this file or a conftest.py is or requests
        anyio_backend (anyio's plugin then runs every async test and fixture below it);
        None if none."""
        for path, tree in [(self.ctx.path, self.ctx.tree), *self.ctx.conftests]:
            resolve = (self.ctx.resolve if tree is self.ctx.tree
                       else self.ctx.home_of(path, tree).resolve)
            for stmt in tree.body:
                if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                deco = fixture_decorator(stmt, resolve)
                if deco is not None and autouse(deco) is True and (
                        "anyio_backend" in parameters(stmt)
                        or fixture_name(stmt, deco) == "anyio_backend"):
                    return f"{project.relative(path, self.ctx.rootdir)}:{stmt.lineno}"
        return None

    @functools.cached_property
    def _async_marks(self) -> frozenset[str]:
        """Marks that make a test async: the runners' own and the project's runner marks."""
        return frozenset(ASYNC_MARKS) | frozenset(self.ctx.options.runner_markers)

    @functools.cached_property
    def _chain_facts(self) -> tuple[str | None, bool]:
        return _conftest_facts(self.ctx.conftests, self._async_marks, self.ctx.rootdir)

    @functools.cached_property
    def _facts(self) -> tuple[str | None, bool]:
        ctx = self.ctx
        return tree_facts(ctx.tree, self._async_marks, project.relative(ctx.path, ctx.rootdir),
                          ctx.syntax, ctx.imports)
