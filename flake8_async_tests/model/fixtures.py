"""Fixtures as pytest finds them for a test: the test's class (and its bases), its module,
then each conftest.py from the nearest to the outermost. The first scope that binds a name
decides: a fixture there, or something this model cannot read (an import, an assignment,
a star import, a definition inside an `if`), which makes the name unknown.
"""

from __future__ import annotations

import ast
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ..imports import mark_name
from ..index import resolver
from ..index.facts import absolute
from ..syntax import FunctionNode, child_nodes

# pytest-asyncio's own: it runs these in strict mode too.
ASYNC_FIXTURE_DECORATORS = frozenset({"pytest_asyncio.fixture", "pytest_asyncio.plugin.fixture"})
FIXTURE_DECORATORS = frozenset({
    "pytest.fixture", "_pytest.fixtures.fixture", "pytest.yield_fixture",
}) | ASYNC_FIXTURE_DECORATORS


PARAM_CALLS = frozenset({"pytest.param", "_pytest.mark.param"})


def fixture_decorator(func: FunctionNode, resolve) -> ast.expr | None:
    """The decorator that makes `func` a fixture (`resolve` gives a dotted name), or None."""
    for deco in func.decorator_list:
        if resolve(deco) in FIXTURE_DECORATORS:
            return deco
    return None


def _keyword(deco: ast.expr, name: str) -> ast.expr | None:
    if isinstance(deco, ast.Call):
        for kw in deco.keywords:
            if kw.arg == name:
                return kw.value
    return None


def autouse(deco: ast.expr) -> bool | None:
    """Does a fixture decorator say `autouse=True`? None when `autouse=` is no literal:
    a rule silenced by autouse fixtures counts it, one that follows their values not."""
    given = _keyword(deco, "autouse")
    if given is None:
        return False
    if isinstance(given, ast.Constant):
        return bool(given.value)
    return None


def param_marks(deco: ast.expr, resolve,
                tree: ast.Module | None = None) -> frozenset[str] | None:
    """The marks a fixture's `params=` give the tests that use it (`pytest.param(value,
    marks=pytest.mark.asyncio)`: pytest marks each test it parametrizes with them), by mark
    name; a mark may be a name the module's `tree` binds once to one (`slow =
    pytest.mark.slow`). None when the params are no literal list or tuple, or a mark cannot
    be read (any mark may come)."""
    aliases = bound_once(tree.body) if tree is not None else {}
    params = _keyword(deco, "params")
    if params is None:
        return frozenset()
    if not isinstance(params, (ast.List, ast.Tuple)):
        return None
    found: set[str] = set()
    for param in params.elts:
        if not (isinstance(param, ast.Call) and resolve(param) in PARAM_CALLS):
            continue
        marks = _keyword(param, "marks")
        if marks is None:
            continue
        for mark in marks.elts if isinstance(marks, (ast.List, ast.Tuple)) else [marks]:
            if isinstance(mark, ast.Name) and mark.id in aliases:
                mark = aliases[mark.id].value
            name = mark_name(resolve(mark))
            if name is None:
                return None  # a mark spelled some other way: which one is not told
            found.add(name)
    return frozenset(found)


def bound_once(body: list[ast.stmt]) -> dict[str, ast.Assign]:
    """Names a body (a module's, a class's) binds once, by a plain `name = value`: that
    statement. A name bound any other way too (a def, an import, a second assignment) is
    left out."""
    return _once(body, lambda stmt: stmt.targets[0].id if isinstance(stmt, ast.Assign) and len(
        stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) else None)


def defined_once(body: list[ast.stmt]) -> dict[str, FunctionNode]:
    """Names a body binds once, by a def: that def."""
    return _once(body, lambda stmt: stmt.name if isinstance(
        stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) else None)


def _once(body: list[ast.stmt], named: Callable[[ast.stmt], str | None]) -> dict:
    """The statements of `body` that bind a name (`named` says which, or None) that no
    other statement of it binds."""
    found: dict[str, ast.stmt] = {}
    counts: Counter[str] = Counter()
    for stmt in body:
        counts.update(bound_in(stmt))
        name = named(stmt)
        if name is not None:
            found[name] = stmt
    return {name: stmt for name, stmt in found.items() if counts[name] == 1}


def fixture_name(func: FunctionNode, deco: ast.expr) -> str | None:
    """The name tests request the fixture by (`name=` or the function's), None if unknown."""
    given = _keyword(deco, "name")
    if given is None:
        return func.name
    if isinstance(given, ast.Constant) and isinstance(given.value, str):
        return given.value
    return None


@dataclass(frozen=True)
class Fixture:
    name: str
    func: FunctionNode
    home: object  # the Home (values.py) whose names its body spells
    level: int  # where in the chain it was found: what its own requests resolve from
    parametrized: bool  # params=: each test gets one of several values
    autouse: bool


@dataclass(frozen=True)
class Unknown:
    reason: str


NOT_A_FIXTURE = object()  # a plain def rebinds the name: pytest sees no fixture here


def bound_in(stmt: ast.stmt) -> set[str]:
    """Names a compound statement (if, try, with, for...) binds anywhere inside."""
    found: set[str] = set()
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
            continue  # what its body binds is its own
        elif isinstance(node, ast.alias):
            found.add((node.asname or node.name).split(".")[0])
        stack.extend(child_nodes(node))
    return found


def scope_fixtures(body: list[ast.stmt], home: object, level: int, resolve,
                   where: str) -> tuple[dict[str, object], str | None]:
    """(name -> Fixture, Unknown or NOT_A_FIXTURE as the scope's last binding leaves it;
    why every other name is unknown here too, such as a star import)."""
    found: dict[str, object] = {}
    star: str | None = None
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            deco = fixture_decorator(stmt, resolve)
            if deco is None:
                found[stmt.name] = NOT_A_FIXTURE
                continue
            name = fixture_name(stmt, deco)
            if name is None:
                star = star or f"a fixture at {where}:{stmt.lineno} has a computed name"
                continue
            if name != stmt.name:
                found[stmt.name] = NOT_A_FIXTURE
            found[name] = Fixture(
                name, stmt, home, level, parametrized=_keyword(deco, "params") is not None,
                autouse=autouse(deco) is True)
        elif isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names):
            exported = _star_exports(stmt, home)
            if exported is None:
                star = star or f"star import at {where}:{stmt.lineno}"
            for name in exported or ():  # exactly these names: a fixture among them?
                found[name] = Unknown(f"fixture {name} may be defined by the star import "
                                      f"at {where}:{stmt.lineno}")
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)) and _imports_modules(stmt, home):
            for name in bound_in(stmt):
                found[name] = NOT_A_FIXTURE  # a module is no fixture: pytest looks past it
        elif isinstance(stmt, (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign,
                               ast.AugAssign, ast.ClassDef, ast.If, ast.Try, ast.With,
                               ast.For, ast.While, ast.Match, *_TRY_STAR)):
            for name in bound_in(stmt):
                found[name] = Unknown(f"{name} is bound at {where}:{stmt.lineno} "
                                      "in a way fixtures are not read")
    return found, star


def _imports_modules(stmt: ast.Import | ast.ImportFrom, home: object) -> bool:
    """Does the import bind modules only (`import x.y`, or `from . import sub` where `sub`
    is a submodule its package binds no other way)?"""
    if isinstance(stmt, ast.Import):
        return True
    if any(alias.name == "*" for alias in stmt.names):
        return False
    modname = getattr(home, "modname", "")
    if not modname and stmt.level:
        return False
    package = os.path.basename(getattr(home, "path", "")) == "__init__.py"
    owner = absolute(stmt.module, stmt.level, modname, package)
    return bool(owner) and all(resolver.submodule_only(owner, alias.name)
                               for alias in stmt.names)


def _star_exports(stmt: ast.ImportFrom, home: object) -> frozenset[str] | None:
    """The names a star import binds, when the index reads them (the module's literal
    `__all__`, or its public names); None when unknown."""
    modname = getattr(home, "modname", "")
    if not modname and stmt.level:
        return None
    package = os.path.basename(getattr(home, "path", "")) == "__init__.py"
    return resolver.star_exports(absolute(stmt.module, stmt.level, modname, package))


_TRY_STAR = (ast.TryStar,) if hasattr(ast, "TryStar") else ()
