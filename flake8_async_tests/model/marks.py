"""pytest marks as a module reads them: a mark's name spelled through its imports, the
async runner a mark or decorator stands for, `pytestmark` of modules and classes (one
flattener), marks a project's own decorators stand for, and decorators that may change
whether a coroutine test runs."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass

from .. import project
from ..imports import ImportTable, mark_name
from ..rules import explain
from ..syntax import FunctionNode, child_nodes
from . import plugins
from .fixtures import bound_once
from .scopes import label

ASYNC_MARKS = ("asyncio", "anyio", "trio")
# Decorators known not to change whether a coroutine function gets run.
TRANSPARENT_DECORATORS = frozenset({
    "staticmethod", "classmethod", "unittest.mock.patch", "unittest.mock.patch.object",
    "unittest.mock.patch.dict", "unittest.mock.patch.multiple",
})
# Marks that keep a test from running whatever happens (skipif does not: the test runs, and
# fails or passes vacuously, the day its condition is false).
SKIP_MARKS = frozenset({"skip"})
# unittest's skip decorators, and the truth of the condition with which each skips (None:
# always): on a function, whatever kind of test it is, the decorated function raises
# SkipTest instead of running (and pytest reports that as a skip).
UNITTEST_SKIPS = {f"unittest{module}.{name}": when for module in ("", ".case")
                  for name, when in (("skip", None), ("skipIf", True), ("skipUnless", False))}


@dataclass(frozen=True)
class Mark:
    """An async-runner mark or decorator that applies to a test, and where it came from."""

    name: str  # 'asyncio', 'anyio', 'trio' or a runner-marker option entry
    node: ast.expr
    level: str  # 'function', 'class' or 'module'
    kwargs: tuple[str, ...] = ()


def mark_of(expr: ast.AST, table: ImportTable) -> str | None:
    """'skipif' for `pytest.mark.skipif(...)` spelled through a module's imports."""
    return mark_name(table.resolve(expr))


def returned_mark(func: ast.FunctionDef, table: ImportTable) -> str | None:
    """The mark a decorator factory returns: its body only assigns locals (a version
    check, a reason string) and then returns one `pytest.mark.X(...)`."""
    *before, last = func.body
    if not isinstance(last, ast.Return) or last.value is None:
        return None
    for stmt in before:
        plain = (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)) or (
            isinstance(stmt, (ast.Assign, ast.AnnAssign))
            and all(isinstance(t, ast.Name) for t in (
                stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])))
        if not plain:
            return None
    return mark_of(last.value, table)


class Marks:
    """The marks of the linted file (FileContext.marks)."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self._project: dict[tuple[str, bool], str | None] = {}
        self._aliases: dict[int, dict[str, tuple[int, str]]] = {}
        self._pytestmarks: dict[int, tuple[list[ast.stmt], list[ast.expr]]] = {}
        self._openings: dict[int, tuple[list[ast.stmt], str | None]] = {}
        self._bound: dict[int, tuple[list[ast.stmt], dict[str, ast.Assign]]] = {}

    def name(self, expr: ast.AST) -> str | None:
        """'asyncio' for `pytest.mark.asyncio` / `mark.asyncio(...)`; None if not a pytest mark."""
        return mark_of(expr, self.ctx.imports)

    @functools.cached_property
    def on_async_tests(self) -> frozenset[str]:
        """Every async runner the marks of the file's async tests name: their own, their
        class's and the module's (fixtures and helpers aside)."""
        found: set[str] = set()
        for node in self.ctx.syntax.of_type(ast.AsyncFunctionDef):
            if not self.ctx.is_test_name(node.name) or self.ctx.is_fixture(node):  # type: ignore
                continue
            marks = [*self.of_function(node), *self.module]  # type: ignore[arg-type]
            enclosing = self.ctx.syntax.enclosing(node)  # type: ignore[arg-type]
            if isinstance(enclosing, ast.ClassDef):
                marks += self.of_class(enclosing)
            found.update(mark.name for mark in marks)
        return frozenset(found)

    def runner(self, expr: ast.AST) -> str | None:
        """The async runner a mark or decorator expression stands for, if it is one."""
        mark = self.name(expr)
        if mark in ASYNC_MARKS:
            return mark
        dotted = self.ctx.resolve(expr)
        for entry in self.ctx.options.runner_markers:
            if mark is not None and mark == entry:
                return entry
            if dotted and (dotted == entry or dotted.endswith("." + entry)):
                return entry
        return None

    def _marks_in(self, value: ast.expr, level: str) -> Iterator[Mark]:
        for item in _mark_items(value):
            name = self.runner(item)
            if name is not None:
                kwargs = tuple(k.arg for k in item.keywords if k.arg) if isinstance(
                    item, ast.Call) else ()
                yield Mark(name, item, level, kwargs)

    def pytestmark_values(self, body: list[ast.stmt]) -> Iterator[ast.expr]:
        """What a body's statements put in `pytestmark`: assigned (`=`, `: list =`, `+=`),
        or added by `pytestmark.append(mark)`, `.extend([...])` or `.insert(i, mark)`."""
        for stmt in run_statements(body):
            if isinstance(stmt, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "pytestmark" for t in stmt.targets):
                yield stmt.value
            elif (isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and stmt.value is not None
                  and isinstance(stmt.target, ast.Name) and stmt.target.id == "pytestmark"):
                yield stmt.value
            elif (added := _added(stmt)) is not None:
                yield added

    def pytestmark_opening(self, body: list[ast.stmt]) -> str | None:
        """Why the marks a body's `pytestmark` ends up holding cannot all be read (pytest
        reads its value once the module or class has run), or None when they can: set or
        changed in a block that may not run, changed some other way than above, or given
        a value that is not a mark, a list or tuple of marks, or a sum of those."""
        known = self._openings.get(id(body))
        if known is not None:
            return known[1]
        why = None
        for stmt in run_statements(body):
            if isinstance(stmt, _BLOCKS) and _touches_pytestmark(stmt):
                why = explain("pytestmark-in-block", line=stmt.lineno)
                break
            method = _pytestmark_method(stmt)
            if method is not None and method not in _TAKERS and _added(stmt) is None:
                why = explain("pytestmark-changed", line=stmt.lineno, how=f".{method}()")
                break
            if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and any(
                    isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)
                    and t.value.id == "pytestmark"
                    for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])):
                why = explain("pytestmark-changed", line=stmt.lineno, how="an item is set")
                break
        if why is None:
            for value in self.pytestmark_values(body):
                item = next((i for i in _mark_items(value)
                             if self.name(self._unaliased(i, body)) is None
                             and not self._inert_project_mark(i)), None)
                if item is not None:
                    why = explain("pytestmark-unread", line=value.lineno, value=label(item, 50))
                    break
        self._openings[id(body)] = (body, why)  # (the body kept: its id stays its own)
        return why

    def _unaliased(self, item: ast.expr, body: list[ast.stmt]) -> ast.expr:
        """The mark a name in `pytestmark` holds when the body, or the module, binds it
        once to one (`old_python = pytest.mark.skipif(...)`); else the item itself. (Marks
        bound to a plain dotted name, `slow = pytest.mark.slow`, the import table reads.)"""
        if not isinstance(item, ast.Name):
            return item
        for scope in (body, self.ctx.tree.body):
            key = id(scope)
            if key not in self._bound:
                self._bound[key] = (scope, bound_once(scope))
            assign = self._bound[key][1].get(item.id)
            if assign is not None:
                value = assign.value
                return value if isinstance(value, ast.Call) and self.name(value) else item
        return item

    def pytestmark_opening_around(self, cls: ast.ClassDef | None) -> str | None:
        """pytestmark_opening of every `pytestmark` a test of `cls` gets: its module's and
        those of its class and the classes around it (None: a module-level test)."""
        bodies = [self.ctx.tree.body]
        while isinstance(cls, ast.ClassDef):
            bodies.append(cls.body)
            cls = self.ctx.syntax.enclosing(cls)  # type: ignore[assignment]
        return next((why for why in map(self.pytestmark_opening, bodies) if why), None)

    def _inert_project_mark(self, item: ast.expr) -> bool:
        """Is `item` a project helper's mark (`skip_if_server_version_lt("8.0")`, whose body
        returns `pytest.mark.skipif(...)`; see project_mark) that no rule reads: not an
        async or runner mark, not usefixtures or parametrize?"""
        dotted = self.ctx.resolve(item)
        mark = self.project_mark(item, dotted) if dotted else None
        return mark is not None and mark not in (
            *ASYNC_MARKS, "usefixtures", "parametrize", *self.ctx.options.runner_markers)

    def pytestmarks(self, body: list[ast.stmt]) -> list[ast.expr]:
        """Every mark a body's `pytestmark` gives, one by one (lists and tuples flattened);
        read once per body (asked for the module's for each test). The list is shared:
        callers copy it before changing it."""
        known = self._pytestmarks.get(id(body))
        if known is not None:
            return known[1]
        marks: list[ast.expr] = []
        for value in self.pytestmark_values(body):
            marks.extend(self._unaliased(item, body) for item in _mark_items(value))
        self._pytestmarks[id(body)] = (body, marks)  # (the body kept: its id stays its own)
        return marks

    @functools.cached_property
    def module(self) -> tuple[Mark, ...]:
        marks: list[Mark] = []
        for value in self.pytestmarks(self.ctx.tree.body):
            marks.extend(self._marks_in(value, "module"))
        return tuple(marks)

    def of_class(self, cls: ast.ClassDef) -> tuple[Mark, ...]:
        marks: list[Mark] = []
        for deco in cls.decorator_list:
            marks.extend(self._marks_in(deco, "class"))
        for value in self.pytestmarks(cls.body):
            marks.extend(self._marks_in(value, "class"))
        return tuple(marks)

    def of_function(self, func: FunctionNode) -> tuple[Mark, ...]:
        marks: list[Mark] = []
        for deco in func.decorator_list:
            marks.extend(self._marks_in(deco, "function"))
        return tuple(marks)

    def skip_mark(self, expr: ast.expr) -> bool:
        """Does this mark skip whatever happens: `skip` (called or not), or `skipif` with a
        condition that is a literal truth (`True`, `1`, or a string that is one: pytest
        evaluates a string)? Without `reason=`, such a `skipif` fails the test at setup
        instead: it never runs either."""
        name = self.name(expr)
        if name in SKIP_MARKS:
            return True
        if name != "skipif" or not isinstance(expr, ast.Call):
            return False
        return any(_literally_true(condition) for condition in _conditions(expr, False))

    @functools.cached_property
    def used_names(self) -> frozenset[str]:
        """Every name the module loads, and every attribute it reads: a test named here
        may be called by other code (`await test_a()`, `self.test_b()`), a class may be
        a base (whose subclass may undo unittest's skip: `__unittest_skip__ = False`)."""
        found = {node.id for node in self.ctx.syntax.of_type(ast.Name)
                 if isinstance(node.ctx, ast.Load)}  # type: ignore[attr-defined]
        found.update(node.attr for node in self.ctx.syntax.of_type(ast.Attribute))  # type: ignore
        return frozenset(found)

    def _unittest_class(self, cls: ast.ClassDef) -> bool:
        """Does `cls` derive from unittest.TestCase, for sure? (pytest honours unittest's
        skip decorator on such a class only.)"""
        info = self.ctx.class_kinds.info(cls)
        return info.known and info.unittest

    def unittest_skip(self, expr: ast.expr) -> bool:
        """Is this decorator one of unittest's that skips whatever happens: `skip` (called
        or not), or `skipIf` / `skipUnless` with a literal condition that skips?"""
        dotted = self.ctx.resolve(expr.func if isinstance(expr, ast.Call) else expr)
        if dotted not in UNITTEST_SKIPS:
            return False
        when = UNITTEST_SKIPS[dotted]
        if when is None:
            return True
        return isinstance(expr, ast.Call) and any(
            isinstance(c, ast.Constant) and bool(c.value) is when for c in _conditions(expr, True))

    def skipped(self, func: FunctionNode, cls: ast.ClassDef | None) -> ast.expr | None:
        """The mark that skips a test whatever happens (skip_mark): on the test, on a class
        around it (a decorator or its `pytestmark`) or in the module's `pytestmark`; or
        unittest's skip decorator (unittest_skip) on the test, or on a unittest class
        around it that the module does not name again (a subclass may undo it)."""
        found = next((d for d in func.decorator_list
                      if self.skip_mark(d) or self.unittest_skip(d)), None)
        bodies = []
        while found is None and isinstance(cls, ast.ClassDef):
            found = next((d for d in cls.decorator_list if self.skip_mark(d) or (
                self.unittest_skip(d) and self._unittest_class(cls)
                and cls.name not in self.used_names)), None)
            bodies.append(cls.body)
            cls = self.ctx.syntax.enclosing(cls)  # type: ignore[assignment]
        bodies.append(self.ctx.tree.body)
        for body in bodies:
            if found is None:
                found = next((m for m in self.pytestmarks(body) if self.skip_mark(m)), None)
        return found

    def skip_label(self, skip: ast.expr) -> str:
        """How a skipping mark is named in a reason: its condition kept, its reason left
        out (`pytest.mark.skipif(True)`, `pytest.mark.skip`)."""
        if isinstance(skip, ast.Call):
            pytest_mark = self.name(skip) == "skipif"
            if pytest_mark or UNITTEST_SKIPS.get(self.ctx.resolve(skip.func)) is not None:
                conditions = _conditions(skip, not pytest_mark)
                keyword = any(k.arg == "condition" for k in skip.keywords)
                skip = ast.Call(skip.func, [] if keyword else conditions,
                                [ast.keyword("condition", c) for c in conditions] if keyword
                                else [])
            else:
                skip = skip.func
        return label(skip, 60)

    def unknown_decorators(self, decorators: list[ast.expr],
                           cls: ast.ClassDef | None = None) -> bool:
        """Any decorator that may change how (or whether) the function runs (a method of
        `cls`: its decorators may name a mark the class body binds first)."""
        aliases: dict[str, tuple[int, str]] = {}
        if cls is not None:
            if id(cls) not in self._aliases:
                self._aliases[id(cls)] = self._class_aliases(cls)
            aliases = self._aliases[id(cls)]
        for deco in decorators:
            base = deco.func if isinstance(deco, ast.Call) else deco
            if isinstance(base, ast.Name) and base.id in aliases:
                line, mark = aliases[base.id]
                if line < deco.lineno and mark not in SKIP_MARKS and mark not in ASYNC_MARKS \
                        and mark not in self.ctx.options.runner_markers:
                    continue  # `parametrize = pytest.mark.parametrize(...)`, then @parametrize
                return True
            dotted = self.ctx.resolve(deco)
            if dotted is None:
                return True
            if dotted.startswith("pytest.mark."):
                if self.skip_mark(deco):
                    return True
                continue
            if dotted in TRANSPARENT_DECORATORS:
                continue
            if self.runner(deco):
                continue
            mark = self.project_mark(deco, dotted)
            if mark is None or mark in SKIP_MARKS or mark in ASYNC_MARKS \
                    or mark in self.ctx.options.runner_markers:
                return True  # unknown, a skip, or a runner mark under another name
        return False

    def _class_aliases(self, cls: ast.ClassDef) -> dict[str, tuple[int, str]]:
        """Names a class body binds once, to a pytest mark: name -> (line, mark)."""
        found = {name: (stmt.lineno, mark_of(stmt.value, self.ctx.imports))
                 for name, stmt in bound_once(cls.body).items()}
        return {name: (line, mark) for name, (line, mark) in found.items() if mark}

    def project_mark(self, deco: ast.expr, dotted: str) -> str | None:
        """The pytest mark a project decorator is, read from its source: a module-level
        `name = pytest.mark.X(...)`, or a function whose body only returns one (used as
        `@name(...)`). None when it is anything else, or cannot be read. Looked up once
        per decorator name and form."""
        key = (dotted, isinstance(deco, ast.Call))
        if key not in self._project:
            self._project[key] = self._read_project_mark(key[1], dotted)
        return self._project[key]

    def _read_project_mark(self, called: bool, dotted: str) -> str | None:
        module, _, name = dotted.rpartition(".")
        if not module or module == self.ctx.modname:  # defined in this file
            tree: ast.Module | None = self.ctx.tree
        else:
            path = plugins.find_module(module, self.ctx.search_path)
            tree = project.parse_file(path) if path and path.endswith(".py") else None
        if tree is None:
            return None
        table = self.ctx.imports if tree is self.ctx.tree else ImportTable(tree)
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == name for t in stmt.targets):
                return mark_of(stmt.value, table)
            if (isinstance(stmt, ast.FunctionDef) and stmt.name == name
                    and called and not stmt.decorator_list):
                return returned_mark(stmt, table)
        return None


# `pytestmark.<method>(...)` calls that add what their last argument gives, and those that
# add nothing (they may take a mark away: no async mark comes from them).
_ADDERS = frozenset({"append", "extend", "insert"})
_TAKERS = frozenset({"remove", "pop", "clear", "reverse", "sort", "copy", "index", "count"})
# Statements whose blocks may or may not run when the module or class body does.
_BLOCKS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try, ast.With, ast.AsyncWith,
           ast.Match, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))


def run_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """A body's statements, an `if` whose test is one literal (`if True:`, `if 0:`)
    replaced by the branch that runs, as the compiler does."""
    for stmt in body:
        if isinstance(stmt, ast.If) and isinstance(stmt.test, ast.Constant):
            yield from run_statements(stmt.body if stmt.test.value else stmt.orelse)
        else:
            yield stmt


def _conditions(call: ast.Call, unittest: bool) -> list[ast.expr]:
    """The conditions a skipif (pytest's) or skipIf / skipUnless (unittest's) call is given:
    `condition=` alone where it is given (pytest reads it so), else the positional ones
    (unittest's first only: its second is the reason)."""
    named = [k.value for k in call.keywords if k.arg == "condition"]
    return named or (call.args[:1] if unittest else call.args)


def _literally_true(condition: ast.expr) -> bool:
    """A `skipif` condition that is true as written: a number or bool constant, or a string
    pytest would evaluate to one (read as a literal, never run)."""
    if not isinstance(condition, ast.Constant):
        return False
    value = condition.value
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value.strip())
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return False
    return type(value) in (bool, int, float) and bool(value)


def _mark_items(value: ast.expr) -> list[ast.expr]:
    """The marks a value of `pytestmark` holds, one by one: a list or tuple flattened, and
    the lists and tuples of a sum (`base + [pytest.mark.asyncio]`)."""
    if isinstance(value, (ast.List, ast.Tuple)):
        return list(value.elts)
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        return [*_mark_items(value.left), *_mark_items(value.right)]
    return [value]


def _pytestmark_method(stmt: ast.stmt) -> str | None:
    """`append` for a statement `pytestmark.append(...)`; None for any other."""
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name) and call.func.value.id == "pytestmark"):
        return call.func.attr
    return None


def _added(stmt: ast.stmt) -> ast.expr | None:
    """What `pytestmark.append(mark)`, `.extend(marks)` or `.insert(i, mark)` adds."""
    if _pytestmark_method(stmt) not in _ADDERS:
        return None
    call = stmt.value  # type: ignore[attr-defined]
    return call.args[-1] if call.args and not call.keywords else None


def _touches_pytestmark(block: ast.stmt) -> bool:
    """Does a block name `pytestmark` anywhere in it (not in a def or class)?"""
    stack: list[ast.AST] = [block]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and node.id == "pytestmark":
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                 ast.Lambda)):
            stack.extend(child_nodes(node))
    return False
