"""AT1xx: async tests that never run, marks that do nothing, hooks nobody awaits."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator

from .. import project
from ..context import FunctionNode
from ..model.marks import ASYNC_MARKS, Mark
from ..rules import ONLY, SCOPES, explain
from ..syntax import of_tree, parameters
from ..model.fixtures import (ASYNC_FIXTURE_DECORATORS, autouse, fixture_decorator,
                              param_marks)
from ..model import known, plugins
from ..model.loops import fixture_scopes
from ..model.scopes import MODULE_HOOKS, PYTEST_CLASS_HOOKS, UNITTEST_HOOKS
from ..model.class_kinds import ISOLATED, ClassInfo
from . import Family, Finding


# Runners whose mark AT100 proposes where it is the only one the module's async tests carry.
MODULE_MARKERS = frozenset({"anyio", "trio"})
MAX_FIXTURE_DEPTH = 4  # fixtures requesting fixtures: followed this far for their params


class MarkerRules(Family):
    name = "markers"

    def wants(self) -> bool:
        syntax = self.ctx.syntax
        if syntax.of_type(ast.AsyncFunctionDef) or self.ctx.options.runner_markers:
            return True
        words = set(ASYNC_MARKS) | {"event_loop", "event_loop_policy"}
        return (any(n.attr in words for n in syntax.of_type(ast.Attribute))  # type: ignore
                or any(n.id in words for n in syntax.of_type(ast.Name))  # type: ignore
                or any(n.name in words for n in syntax.of_type(ast.FunctionDef)))  # type: ignore

    def check(self) -> Iterator[Finding]:
        ctx = self.ctx
        yield from self._scope_marks()
        module_marks = ctx.marks.module
        for stmt in ctx.tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from self._function(stmt, module_marks, cls=None, info=None)
            elif isinstance(stmt, ast.ClassDef):
                yield from self._class(stmt, module_marks, outer_unknown=False)

    # -- marks anywhere: AT106 scope=, AT103 via pytestmark is not possible --------

    def _scope_marks(self) -> Iterator[Finding]:
        for node in self.ctx.syntax.of_type(ast.Call):
            if (isinstance(node, ast.Call) and self.ctx.marks.name(node) == "asyncio"
                    and any(k.arg == "scope" for k in node.keywords)):
                if self.ctx.runner.pytest_asyncio_before(known.DEPRECATES_MARK_SCOPE):
                    self.ctx.silent(node, "AT106", explain("pytest-asyncio-before-0-24"))
                else:
                    yield Finding(node.lineno, node.col_offset, "AT106", "mark-scope", {})

    # -- classes -----------------------------------------------------------------

    def _class(self, cls: ast.ClassDef, outer_marks: tuple[Mark, ...],
               outer_unknown: bool) -> Iterator[Finding]:
        ctx = self.ctx
        info: ClassInfo | None = None  # the ancestry is looked at only when a method needs it
        marks = outer_marks + ctx.marks.of_class(cls)
        unknown = outer_unknown or ctx.marks.unknown_decorators(cls.decorator_list)
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if ctx.fixture_decorator(stmt) is None:
                    if not self._may_report(stmt, cls):
                        continue
                    info = info or self.ctx.class_kinds.info(cls)
                yield from self._function(stmt, marks, cls=cls, info=info,
                                          class_unknown=unknown)
            elif isinstance(stmt, ast.ClassDef):
                yield from self._class(stmt, marks, unknown)

    def _may_report(self, func: FunctionNode, cls: ast.ClassDef) -> bool:
        """Can this method (not a fixture) have an AT1xx finding at all?"""
        name = func.name
        if isinstance(func, ast.AsyncFunctionDef):
            return (name.startswith("test") or self.ctx.is_test_name(name)
                    or name in PYTEST_CLASS_HOOKS or name in UNITTEST_HOOKS)
        return self.ctx.is_test_name(name) and self.ctx.is_test_class_name(cls.name)

    # -- functions ---------------------------------------------------------------

    def _function(self, func: FunctionNode, scope_marks: tuple[Mark, ...],
                  cls: ast.ClassDef | None, info: ClassInfo | None,
                  class_unknown: bool = False) -> Iterator[Finding]:
        ctx = self.ctx
        is_async = isinstance(func, ast.AsyncFunctionDef)
        fixture = ctx.fixture_decorator(func)
        if fixture is not None:
            yield from self._fixture(func, fixture)
            return
        if is_async:
            yield from self._hook(func, cls, info, class_unknown)
        if ctx.is_conftest:
            return  # (pytest collects no test from a conftest.py)
        if info is not None and not info.known:
            if is_async and ctx.is_test_name(func.name):
                why = explain("bases-unknown", cls=cls.name)  # type: ignore[union-attr]
                ctx.silent(func, "AT100", why)
                ctx.silent(func, "AT101", why)  # (one of them may be unittest.TestCase)
            return
        own_marks = ctx.marks.of_function(func)
        unknown = class_unknown or ctx.marks.unknown_decorators(func.decorator_list, cls)
        if info is not None and info.unittest:
            if not is_async or not func.name.startswith("test"):
                return
            if info.async_bases:
                base = info.async_bases[0]
                ctx.silent(func, "AT101", explain(
                    "async-base-gen-test" if base.partition(".")[0] == "tornado" else "async-base",
                    cls=cls.name, base=base))  # type: ignore[union-attr]
            elif unknown:
                ctx.silent(func, "AT101", "a decorator of unknown effect may run it")
            elif ctx.syntax.is_async_generator(func):
                ctx.silent(func, "AT101", "an async generator: unittest never calls it as "
                                          "a test, with or without a loop")
            else:
                yield Finding(func.lineno, func.col_offset, "AT101", ONLY, {"name": func.name})
            return
        if not self._collected(func, cls, info):
            if is_async and cls is not None and ctx.is_test_name(func.name):
                yield from self._uncollected_class(func, cls, info, unknown)
            return
        all_marks = own_marks + scope_marks
        if is_async:
            if all_marks or (info and info.inherited_marks):
                return
            reason = self._unmarked_silence(func, cls, unknown)
            if reason is None:
                runners = ctx.marks.on_async_tests
                if len(runners) == 1 and runners <= MODULE_MARKERS:
                    yield Finding(func.lineno, func.col_offset, "AT100", "module-marker",
                                  {"name": func.name, "mark": next(iter(runners))})
                elif not runners and ctx.runner.declared_mark is not None:
                    plugin, mark = ctx.runner.declared_mark
                    yield Finding(func.lineno, func.col_offset, "AT100", "declared-plugin",
                                  {"name": func.name, "mark": mark, "plugin": plugin})
                elif not runners and ctx.runner.declares_no_async_plugin:
                    yield Finding(func.lineno, func.col_offset, "AT100", "no-plugin",
                                  {"name": func.name})
                else:
                    mode = "legacy" if ctx.runner.legacy_reason() else "strict"
                    yield Finding(func.lineno, func.col_offset, "AT100", "asyncio",
                                  {"name": func.name, "mode": mode})
            else:
                ctx.silent(func, "AT100", reason)
        elif not unknown and not ctx.runner.asyncio_mark_inert:
            via = _asyncio_via(all_marks, info)
            if via is not None and ctx.runner.unwarned_mark_reason is not None:
                ctx.silent(func, "AT102", ctx.runner.unwarned_mark_reason)
            elif via is not None:
                yield Finding(func.lineno, func.col_offset, "AT102", via, {"name": func.name})

    def _uncollected_class(self, func: FunctionNode, cls: ast.ClassDef,
                           info: ClassInfo | None, unknown: bool) -> Iterator[Finding]:
        """AT108: pytest skips a class with __init__ (with only a warning) and never looks at
        one whose name python_classes does not match; the async tests in it never run. A
        class named otherwise may be a base that test classes elsewhere inherit from."""
        ctx = self.ctx
        if info is not None and info.has_init and ctx.is_test_class_name(cls.name):
            yield Finding(func.lineno, func.col_offset, "AT108", "init",
                          {"name": func.name, "cls": cls.name})
            return
        if cls not in ctx.tree.body:
            ctx.silent(func, "AT108", f"class {cls.name!r} is nested in another")
            return
        used = [n for n in ctx.syntax.of_type(ast.Name) if n.id == cls.name]  # type: ignore
        if used:
            ctx.silent(func, "AT108", f"class {cls.name!r} is used in this module, perhaps as "
                                      "a base of test classes")
            return
        if unknown or any(ctx.marks.name(d) is None for d in cls.decorator_list):
            ctx.silent(func, "AT108", explain("decorated-non-test", test=func.name,
                                              cls=cls.name))
            return
        root = ctx.rootdir or os.path.dirname(ctx.path)
        others = project.files_mentioning(root, cls.name)
        if others is None or any(tree is not ctx.tree and _names(tree, cls.name)
                                 for tree in others):
            ctx.silent(func, "AT108", f"class {cls.name!r} may be a base of test classes in "
                                      "other modules")
            return
        yield Finding(func.lineno, func.col_offset, "AT108", "class-name",
                      {"name": func.name, "cls": cls.name})

    def _unmarked_silence(self, func: FunctionNode, cls: ast.ClassDef | None,
                          unknown: bool) -> str | None:
        """Why an unmarked async test may run after all (AT100 stays silent), or None."""
        ctx = self.ctx
        skip = ctx.marks.skipped(func, cls)
        if skip is not None:
            return explain("skipped", mark=ctx.marks.skip_label(skip))
        if unknown:
            return "a decorator of unknown effect may run it"
        reason = (ctx.runner.unmarked_reason() or ctx.runner.dynamic_reason()
                  or ctx.marks.pytestmark_opening_around(cls))
        if reason is not None:
            return reason
        if ctx.runner.trio_module:
            return "a trio test module (it imports trio, not asyncio): pytest-trio's to run"
        if ctx.syntax.is_async_generator(func):
            return "an async generator, not a coroutine test"
        return self._anyio_runs(func) or self._closure_reason(self._requested(func, cls), cls)

    def _closure_reason(self, requested: list[str], cls: ast.ClassDef | None,
                        marks: bool = True) -> str | None:
        """Why the fixtures a test (or, without `marks`, an async fixture) requests make
        it run after all, from one walk of their closure: one of them requests
        anyio_backend (anyio's plugin runs every coroutine test and async fixture whose
        closure holds it), else (with `marks`) one's `params=` carry an async mark
        (`pytest.param("asyncio", marks=pytest.mark.asyncio)`) or cannot be read. As pytest
        parametrizes the whole closure, fixtures are followed through those they request;
        a name the test module binds by an import may hide a conftest's fixture or not,
        so the fixture below it counts."""
        ctx = self.ctx
        marked = None  # (the first fixture that gives a mark; anyio's reason wins over it)
        for name, found, via in self._closure(requested, cls):
            if name == "anyio_backend" and via is not None:
                return explain("anyio-through-fixture", fixture=via.func.name,  # type: ignore
                               where=f"{via.home.label}:{via.func.lineno}")  # type: ignore
            if not marks or marked is not None or found is None:
                continue  # (found None: a fixture of a plugin, pytest's own...)
            deco = fixture_decorator(found.func, found.home.resolve)  # type: ignore
            given = (param_marks(deco, found.home.resolve, found.home.tree)  # type: ignore
                     if deco is not None else None)
            where = f"{found.home.label}:{found.func.lineno}"  # type: ignore[attr-defined]
            if given is None:
                marked = explain("fixture-params-unread", fixture=name, where=where)
                continue
            runners = sorted(m for m in given if m in ASYNC_MARKS
                             or m in ctx.options.runner_markers)
            if runners:
                marked = explain("fixture-param-marks", fixture=name, where=where,
                                 marks=", ".join(runners))
        return marked

    def _closure(self, requested: list[str], cls: ast.ClassDef | None):
        """The fixtures a test (or fixture) that requests `requested` may use, as pytest
        builds its closure: (name, its definition in the file or a conftest.py, or None,
        and the definition of the fixture that requests it, or None for `requested`)."""
        pending = [(name, 0, None) for name in requested]
        seen: set[str] = set()
        while pending:
            name, depth, via = pending.pop()
            if name in seen or depth > MAX_FIXTURE_DEPTH:
                continue
            seen.add(name)
            found = self.ctx.values.defined(name, cls)
            yield name, found, via
            if found is not None:
                pending += [(n, depth + 1, found) for n in parameters(found.func)
                            if n != "request"]

    def _requested(self, func: FunctionNode, cls: ast.ClassDef | None) -> list[str]:
        """The fixtures a test requests: its parameters, and usefixtures marks on it, its
        class and its module."""
        ctx = self.ctx
        names = [n for n in parameters(func) if n not in ("self", "cls", "request")]
        marks = [*func.decorator_list, *ctx.marks.pytestmarks(ctx.tree.body)]
        if cls is not None:
            marks += [*cls.decorator_list, *ctx.marks.pytestmarks(cls.body)]
        for mark in marks:
            if isinstance(mark, ast.Call) and ctx.marks.name(mark) == "usefixtures":
                names += [arg.value for arg in mark.args
                          if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        return names

    def _anyio_runs(self, func: FunctionNode) -> str | None:
        """Why anyio's plugin runs this async test or fixture (AT100, AT104), or None: it
        takes anyio_backend, or an autouse fixture above it does."""
        if "anyio_backend" in parameters(func):
            return "it takes anyio_backend: anyio's plugin runs it"
        if self.ctx.runner.anyio_autouse is not None:
            return explain("anyio-autouse", where=self.ctx.runner.anyio_autouse)
        return None

    def _collected(self, func: FunctionNode, cls: ast.ClassDef | None,
                   info: ClassInfo | None) -> bool:
        """Would pytest collect this function as a test (python_functions/python_classes)?"""
        if not self.ctx.is_test_name(func.name):
            return False
        if cls is None:
            return True
        assert info is not None
        return self.ctx.is_test_class_name(cls.name) and not info.has_init

    def _another_plugins_loop(self) -> str | None:
        """Why an `event_loop` fixture may be another plugin's (aiomisc's runs every test on
        one): the project does not declare pytest-asyncio, and a plugin or hook it has may
        run async tests (ctx.runner.dynamic_reason)."""
        ctx = self.ctx
        if not ctx.rootdir or known.ASYNCIO in plugins.declared_distributions(ctx.rootdir):
            return None
        return ctx.runner.dynamic_reason()

    def _fixture(self, func: FunctionNode, decorator: str) -> Iterator[Finding]:
        ctx = self.ctx
        for deco in func.decorator_list:  # any mark: pytest 9 refuses them all on fixtures
            mark = ctx.marks.name(deco)
            if mark is not None:
                yield Finding(deco.lineno, deco.col_offset, "AT103", ONLY,
                              {"mark": mark, "name": func.name})
        name = _fixture_name(func)
        if name in ("event_loop", "event_loop_policy") and ctx.runner.pytest_asyncio_before(
                known.FIRST_1):
            # a pinned pytest-asyncio that still has them (lock files read only here)
            ctx.silent(func, "AT106", "the project pins pytest-asyncio below 1.0")
        elif name == "event_loop" and (elsewhere := self._another_plugins_loop()) is not None:
            ctx.silent(func, "AT106", elsewhere)
        elif name == "event_loop" and autouse(fixture_decorator(func, ctx.resolve)) is True:
            ctx.silent(func, "AT106", "an autouse fixture: it runs for every test, as a plain "
                                      "fixture")
        elif name == "event_loop" and not self._event_loop_driven_by_sync_code(func):
            yield Finding(func.lineno, func.col_offset, "AT106", "event-loop-fixture", {})
        elif name == "event_loop_policy" and ctx.runner.pytest_asyncio_before(
                known.DEPRECATES_POLICY):
            ctx.silent(func, "AT106", explain("pytest-asyncio-before-1-4"))
        elif name == "event_loop_policy":
            yield Finding(func.lineno, func.col_offset, "AT106", "event-loop-policy", {})
        if isinstance(func, ast.AsyncFunctionDef):
            yield from self._loop_scope(func, decorator)
        if isinstance(func, ast.AsyncFunctionDef) and decorator not in ASYNC_FIXTURE_DECORATORS:
            runner = ctx.runner
            reason = runner.unmarked_reason() or runner.legacy_reason() or runner.dynamic_reason()
            if reason is None and ctx.runner.other_async_plugin:
                reason = "anyio or trio is used here: their plugins run async fixtures"
            if reason is None:
                enclosing = ctx.syntax.enclosing(func)
                reason = self._anyio_runs(func) or self._closure_reason(
                    [n for n in parameters(func) if n not in ("self", "cls", "request")],
                    enclosing if isinstance(enclosing, ast.ClassDef) else None, marks=False)
            if reason is None and ctx.marks.unknown_decorators(
                    [d for d in func.decorator_list if ctx.resolve(d) != decorator]):
                reason = "a decorator of unknown effect may run it"
            if reason is None:
                shown = "pytest.fixture" if decorator.startswith("_pytest.") else decorator
                yield Finding(func.lineno, func.col_offset, "AT104", ONLY,
                              {"name": func.name, "decorator": shown})
            else:
                ctx.silent(func, "AT104", reason)

    def _loop_scope(self, func: FunctionNode, decorator: str) -> Iterator[Finding]:
        """AT107: pytest-asyncio runs an async fixture on a loop of its `loop_scope` (else
        asyncio_default_fixture_loop_scope; unset, the fixture's own scope); a loop
        narrower than the fixture's scope is a ScopeMismatch for every test using it."""
        ctx = self.ctx
        if decorator not in ASYNC_FIXTURE_DECORATORS and ctx.runner.mode != "auto":
            return  # not pytest-asyncio's fixture (AT104 covers it in strict mode)
        scope, loop_scope = fixture_scopes(fixture_decorator(func, ctx.resolve),
                                           ctx.settings.default_loop_scopes[0])
        if scope not in SCOPES or loop_scope not in SCOPES:
            return  # not written out
        if SCOPES.index(scope) > SCOPES.index(loop_scope):
            yield Finding(func.lineno, func.col_offset, "AT107", ONLY,
                          {"name": func.name, "scope": scope, "loop_scope": loop_scope})

    def _event_loop_driven_by_sync_code(self, fixture: FunctionNode) -> bool:
        """Sync tests or fixtures request `event_loop` and drive it themselves: a plain fixture.

        For a conftest.py, the test modules below it are searched too (unsure: True).
        """
        trees = [self.ctx.tree]
        if self.ctx.is_conftest:
            found = project.files_mentioning(os.path.dirname(self.ctx.path), "event_loop")
            if found is None:
                return True
            trees.extend(found)
        for tree in trees:
            index = self.ctx.syntax if tree is self.ctx.tree else of_tree(tree)
            for node in index.of_type(ast.FunctionDef):
                if node is not fixture and "event_loop" in parameters(node):  # type: ignore
                    return True
        return False

    def _hook(self, func: FunctionNode, cls: ast.ClassDef | None, info: ClassInfo | None,
              class_unknown: bool) -> Iterator[Finding]:
        ctx = self.ctx
        hooks = MODULE_HOOKS if cls is None else (*PYTEST_CLASS_HOOKS, *UNITTEST_HOOKS)
        if cls is not None and func.name in hooks and (
                class_unknown or (info is not None and not info.known)):
            ctx.silent(func, "AT105", f"the bases of class {cls.name!r} are unknown")
            return
        if class_unknown or ctx.marks.unknown_decorators(func.decorator_list, cls):
            if func.name in hooks:
                ctx.silent(func, "AT105", "a decorator of unknown effect may run it")
            return
        if cls is None:
            if func.name in MODULE_HOOKS:
                yield Finding(func.lineno, func.col_offset, "AT105", "module-hook",
                              {"hook": func.name})
            return
        assert info is not None
        if func.name in PYTEST_CLASS_HOOKS:
            yield Finding(func.lineno, func.col_offset, "AT105", "class-hook", {"hook": func.name})
        elif func.name in UNITTEST_HOOKS and info.unittest and not info.stdlib_async_only:
            ctx.silent(func, "AT105", f"{cls.name} derives from "
                                      f"{next(q for q in info.async_bases if q != ISOLATED)}, "
                                      "which may run async hooks")
        elif func.name in UNITTEST_HOOKS and info.unittest:
            if func.name in ("setUp", "tearDown"):
                rename = f"async{func.name[0].upper()}{func.name[1:]}"
                variant = "unittest-rename" if info.async_bases else "unittest-base"
                yield Finding(func.lineno, func.col_offset, "AT105", variant,
                              {"hook": func.name, "rename": rename})
            else:
                yield Finding(func.lineno, func.col_offset, "AT105", "unittest-class-hook",
                              {"hook": func.name})


def _names(tree: ast.Module, name: str) -> bool:
    """Does a module refer to `name` (as a name, an attribute or an imported name)?"""
    return any(isinstance(n, ast.Name) and n.id == name
               or isinstance(n, ast.Attribute) and n.attr == name
               or isinstance(n, ast.alias) and name in (n.name.split(".")[-1], n.asname)
               for n in ast.walk(tree))


def _fixture_name(func: FunctionNode) -> str:
    """The fixture's name: `name=` of the decorator call, else the function name."""
    for deco in func.decorator_list:
        if isinstance(deco, ast.Call):
            for kw in deco.keywords:
                if kw.arg == "name" and isinstance(kw.value, ast.Constant):
                    return str(kw.value.value)
    return func.name


def _asyncio_via(marks: tuple[Mark, ...], info: ClassInfo | None) -> str | None:
    """How the asyncio mark reaches a test (AT102's variant), or None when it does not."""
    for mark in marks:  # closest first: function, class, module
        if mark.name == "asyncio":
            return mark.level
    if info is not None and "asyncio" in info.inherited_marks:
        return "base-class"
    return None
