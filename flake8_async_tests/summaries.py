"""What a module's source defines, read with `ast` alone: no astroid build, no imports.

A first, cheap answer to "does pkg.mod define this name?" and "is Cls.meth a plain
def?". Rules use it only to skip inference where the answer rules a finding out;
every finding still comes from astroid. Anything unusual answers None (unknown).
"""

from __future__ import annotations

import ast
import logging
import sys
from dataclasses import dataclass, field

from . import inference

LOG = logging.getLogger("flake8_async_tests")
# Decorators that leave a function's sync or async nature as written.
PLAIN_DECORATORS = frozenset({"staticmethod", "classmethod", "abstractmethod", "override"})
DEF, ASYNC_DEF, OTHER = "def", "async def", "other"
MAX_HOPS = 5


@dataclass
class ClassSummary:
    names: set[str] = field(default_factory=set)  # every name the class body binds
    kinds: dict[str, str] = field(default_factory=dict)  # DEF / ASYNC_DEF / OTHER


@dataclass
class ModuleSummary:
    name: str
    package: bool
    names: set[str] = field(default_factory=set)  # every name the top level binds
    kinds: dict[str, str] = field(default_factory=dict)
    classes: dict[str, ClassSummary] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)  # name -> dotted name it imports
    closed: bool = True  # no star import, module __getattr__ or globals() tricks


def _decorator_name(expr: ast.expr) -> str:
    while isinstance(expr, ast.Call):
        expr = expr.func
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return expr.id if isinstance(expr, ast.Name) else ""


def _kind(node: ast.stmt) -> str:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        if all(_decorator_name(d) in PLAIN_DECORATORS for d in node.decorator_list):
            return ASYNC_DEF if isinstance(node, ast.AsyncFunctionDef) else DEF
    return OTHER


def _bind(names: set[str], kinds: dict[str, str], name: str, kind: str) -> None:
    """A name bound twice in different ways is OTHER: which one wins is not known here."""
    if name in names and kinds.get(name) != kind:
        kind = OTHER
    names.add(name)
    kinds[name] = kind


def _statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Statements of a body, those under top-level if/try/with included."""
    found: list[ast.stmt] = []
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, (ast.If, ast.Try, ast.With)) or type(node).__name__ == "TryStar":
            inner = [*node.body, *getattr(node, "orelse", []), *getattr(node, "finalbody", [])]
            for handler in getattr(node, "handlers", []):
                inner.extend(handler.body)
            stack.extend(reversed(inner))
    return found


def _bound_names(node: ast.stmt) -> list[str]:
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target] if getattr(node, "value", None) is not None else []
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        targets = [node.target]
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        targets = [i.optional_vars for i in node.items if i.optional_vars is not None]
    names: list[str] = []
    for target in targets:
        for sub in ast.walk(target):
            if isinstance(sub, ast.Name):
                names.append(sub.id)
    return names


def _summarise(tree: ast.Module, name: str, package: bool) -> ModuleSummary:
    summary = ModuleSummary(name=name, package=package)
    base = name if package else name.rpartition(".")[0]
    for node in _statements(tree.body):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _bind(summary.names, summary.kinds, node.name, _kind(node))
            if node.name == "__getattr__":
                summary.closed = False
        elif isinstance(node, ast.ClassDef):
            _bind(summary.names, summary.kinds, node.name, OTHER)
            cls = ClassSummary()
            for stmt in _statements(node.body):
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    _bind(cls.names, cls.kinds, stmt.name, _kind(stmt))
                for bound in _bound_names(stmt):
                    _bind(cls.names, cls.kinds, bound, OTHER)
            if node.name in summary.classes:
                summary.classes.pop(node.name)  # defined twice: not known here
            else:
                summary.classes[node.name] = cls
        elif isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                _bind(summary.names, summary.kinds, local, OTHER)
                summary.imports[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = base.split(".")
                parts = parts[:len(parts) - node.level + 1] if node.level > 1 else parts
                module = ".".join(p for p in (*parts, module) if p)
            for alias in node.names:
                if alias.name == "*":
                    summary.closed = False
                    continue
                local = alias.asname or alias.name
                _bind(summary.names, summary.kinds, local, OTHER)
                summary.imports[local] = f"{module}.{alias.name}"
        else:
            for bound in _bound_names(node):
                _bind(summary.names, summary.kinds, bound, OTHER)
    for sub in ast.walk(tree):
        if isinstance(sub, ast.Name) and sub.id in ("globals", "vars", "setattr", "exec"):
            summary.closed = False
            break
    return summary


_modules: dict[tuple[str, tuple[str, ...]], ModuleSummary | None] = {}


def module(name: str) -> ModuleSummary | None:
    """The summary of an importable pure-Python module (found as astroid would find it)."""
    key = (name, tuple(sys.path))
    if key in _modules:
        return _modules[key]
    result = None
    location = inference.module_file(name)
    if location is not None:
        try:
            with open(location, "rb") as fh:
                tree = ast.parse(fh.read())
            result = _summarise(tree, name, location.endswith("__init__.py"))
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            LOG.debug("flake8-async-tests: no summary of %s: %s", name, exc)
    if len(_modules) > 5000:
        _modules.clear()
    _modules[key] = result
    return result


def seed(name: str, tree: ast.Module) -> ModuleSummary:
    """The summary of the linted file, from the tree flake8 parsed (it may not be saved)."""
    summary = _summarise(tree, name, False)
    _modules[(name, tuple(sys.path))] = summary
    return summary


def _split(dotted: str) -> tuple[ModuleSummary, list[str]] | None:
    """The longest importable module prefix of a dotted name, and the rest."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        found = module(".".join(parts[:cut]))
        if found is not None:
            return found, parts[cut:]
    return None


def _follow(summary: ModuleSummary, name: str, hops: int = 0):  # type: ignore[no-untyped-def]
    """(module summary, name) where `name` of `summary` is really defined."""
    target = summary.imports.get(name)
    if target is None or hops > MAX_HOPS:
        return summary, name
    found = _split(target)
    if found is None or len(found[1]) != 1:
        return None
    return _follow(found[0], found[1][0], hops + 1)


def has_name(dotted: str, attr: str) -> bool:
    """True when the module or class `dotted` certainly binds `attr` in its own source."""
    found = _split(dotted)
    if found is None:
        return False
    summary, rest = found
    if not rest:
        if attr in summary.names:
            return True
        return summary.package and module(f"{dotted}.{attr}") is not None
    cls = _class(summary, rest)
    return cls is not None and attr in cls.names


def _class(summary: ModuleSummary, rest: list[str]) -> ClassSummary | None:
    if len(rest) != 1:
        return None
    followed = _follow(summary, rest[0])
    if followed is None:
        return None
    return followed[0].classes.get(followed[1])


def kind_of(dotted: str) -> str | None:
    """DEF or ASYNC_DEF for a module function or a method written in a class body
    (`pkg.mod.func`, `pkg.mod.Cls.meth`), else None."""
    parts = dotted.split(".")
    if len(parts) < 2:
        return None
    found = _split(".".join(parts[:-1]))
    if found is None:
        return None
    summary, rest = found
    if not rest:
        followed = _follow(summary, parts[-1])
        if followed is None:
            return None
        kind = followed[0].kinds.get(followed[1])
    else:
        cls = _class(summary, rest)
        kind = cls.kinds.get(parts[-1]) if cls is not None else None
    return kind if kind in (DEF, ASYNC_DEF) else None
