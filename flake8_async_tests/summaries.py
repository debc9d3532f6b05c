"""What a module's source defines, read with `ast` alone: no astroid build, no imports.

A first, cheap answer to "does pkg.mod define this name?" and "how is Cls.meth
written?". Rules use it only to skip inference where the answer rules a finding out;
every finding still comes from astroid. Anything unusual answers None (unknown).
"""

from __future__ import annotations

import ast
import builtins
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import inference

LOG = inference.LOG
# Decorators that leave a function's sync or async nature as written, by their last name.
PLAIN_DECORATORS = frozenset(n.rsplit(".", 1)[-1] for n in inference.PLAIN_DECORATORS)
# How a name is bound: a plain def or async def (decorators that keep it as written
# aside), a function with another decorator (no rule reports those), or anything else.
DEF, ASYNC_DEF, DECORATED, OTHER = "def", "async def", "decorated", "other"
BUILTIN_NAMES = frozenset(dir(builtins))
# Bases that add no methods of their own beyond dunders (their metaclasses aside).
TYPING_BASES = frozenset({"typing.Protocol", "typing.Generic", "typing_extensions.Protocol",
                          "abc.ABC"})
MAX_HOPS = 5


@dataclass
class ClassSummary:
    names: set[str] = field(default_factory=set)  # every name the class body binds
    kinds: dict[str, str] = field(default_factory=dict)  # DEF / ASYNC_DEF / OTHER
    bases: list[ast.expr] = field(default_factory=list)
    plain: bool = True  # no metaclass, class decorator or __getattr__ of unknown effect


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
        return DECORATED
    return OTHER


def _overload(node: ast.stmt) -> bool:
    """A typing.overload stub: the definition after it replaces it."""
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
        _decorator_name(d) == "overload" for d in node.decorator_list)


# Class decorators and metaclasses that leave methods as written.
PLAIN_CLASS_DECORATORS = frozenset({"dataclass", "final", "total_ordering",
                                    "runtime_checkable", "unique"})


def _is_mark(expr: ast.expr) -> bool:
    """`pytest.mark.x`, `mark.x(...)`: marks leave a class's methods alone."""
    while isinstance(expr, ast.Call):
        expr = expr.func
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if isinstance(expr, ast.Name):
        parts.append(expr.id)
    return "mark" in parts[1:]


def _plain_class(node: ast.ClassDef, stdlib: bool) -> bool:
    """No class decorator, metaclass or hook that may rewrite methods (the standard
    library's own __init_subclass__ hooks do not)."""
    if any(_decorator_name(d) not in PLAIN_CLASS_DECORATORS and not _is_mark(d)
           for d in node.decorator_list):
        return False
    for keyword in node.keywords:
        if keyword.arg != "metaclass" or _decorator_name(keyword.value) != "ABCMeta":
            return False
    names = {getattr(stmt, "name", None) for stmt in node.body}
    hooks = {"__getattr__", "__getattribute__"} | (set() if stdlib else {"__init_subclass__"})
    return not names & hooks


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


def _summarise(tree: ast.Module, name: str, package: bool,
               name_nodes: Iterable[ast.AST] | None = None) -> ModuleSummary:
    """`name_nodes`: the tree's ast.Name nodes when already collected (else it is walked)."""
    summary = ModuleSummary(name=name, package=package)
    base = name if package else name.rpartition(".")[0]
    stdlib = name.split(".")[0] in sys.stdlib_module_names
    for node in _statements(tree.body):
        if _overload(node):
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _bind(summary.names, summary.kinds, node.name, _kind(node))
            if node.name == "__getattr__":
                summary.closed = False
        elif isinstance(node, ast.ClassDef):
            _bind(summary.names, summary.kinds, node.name, OTHER)
            cls = ClassSummary(bases=list(node.bases), plain=_plain_class(node, stdlib))
            for stmt in _statements(node.body):
                if _overload(stmt):
                    continue
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
    for sub in ast.walk(tree) if name_nodes is None else name_nodes:
        if isinstance(sub, ast.Name) and sub.id in ("globals", "vars", "setattr", "exec"):
            summary.closed = False
            break
    return summary


_modules: dict[tuple[str, int], ModuleSummary | None] = {}


def module(name: str) -> ModuleSummary | None:
    """The summary of an importable pure-Python module (found as astroid would find it)."""
    key = (name, inference.path_key)
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


def seed(name: str, tree: ast.Module, name_nodes: Iterable[ast.AST] | None = None,
         ) -> ModuleSummary:
    """The summary of the linted file, from the tree flake8 parsed (it may not be saved)."""
    summary = _summarise(tree, name, False, name_nodes)
    _modules[(name, inference.path_key)] = summary
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
    found = _class_at(summary, rest)
    return found[0].classes.get(found[1]) if found is not None else None


def _class_at(summary: ModuleSummary, rest: list[str]) -> tuple[ModuleSummary, str] | None:
    """(module, class name) where the class `rest` names from `summary` is defined."""
    if len(rest) != 1:
        return None
    followed = _follow(summary, rest[0])
    if followed is None or followed[1] not in followed[0].classes:
        return None
    return followed


def _base_name(summary: ModuleSummary, base: ast.expr) -> str | None:
    """The dotted name a base class expression spells in its module."""
    if isinstance(base, ast.Subscript):  # Generic[T], Protocol[T]
        base = base.value
    parts: list[str] = []
    while isinstance(base, ast.Attribute):
        parts.insert(0, base.attr)
        base = base.value
    if not isinstance(base, ast.Name):
        return None
    if base.id in summary.imports:
        head = summary.imports[base.id]
    elif base.id in summary.classes:
        head = f"{summary.name}.{base.id}"
    elif base.id in summary.names:
        return None  # bound some other way
    elif base.id in BUILTIN_NAMES:
        head = f"builtins.{base.id}"
    else:
        return None
    return ".".join([head, *parts])


def _method_kinds(summary: ModuleSummary, name: str, method: str,
                  seen: set[tuple[str, str]]) -> set[str] | None:
    """How `method` is written in the class and every ancestor that defines it; None when
    an ancestor cannot be read. Classes of the builtins module only have sync methods."""
    if (summary.name, name) in seen:
        return set()
    seen.add((summary.name, name))
    cls = summary.classes.get(name)
    if cls is None or not cls.plain or not summary.closed or len(seen) > 60:
        return None
    kinds = {cls.kinds.get(method, OTHER)} if method in cls.names else set()
    for base in cls.bases:
        dotted = _base_name(summary, base)
        if dotted is None:
            return None
        if dotted.startswith("builtins.") or dotted in TYPING_BASES:
            continue
        found = _split(dotted)
        at = _class_at(*found) if found is not None else None
        if at is None:
            return None
        inherited = _method_kinds(at[0], at[1], method, seen)
        if inherited is None:
            return None
        kinds |= inherited
    return kinds


def kinds_of(dotted: str) -> frozenset[str] | None:
    """How a module function (`pkg.mod.func`) or a method (`pkg.mod.Cls.meth`) is written:
    for a method, every way the class and its ancestors define it (the one that wins is
    among them). None when unknown, not found, or bound as something else than a def."""
    parts = dotted.split(".")
    if len(parts) < 2:
        return None
    found = _split(".".join(parts[:-1]))
    if found is None:
        return None
    summary, rest = found
    if not rest:
        followed = _follow(summary, parts[-1])
        kinds = ({followed[0].kinds.get(followed[1], OTHER)}
                 if followed is not None and followed[0].closed else None)
    else:
        at = _class_at(summary, rest)
        kinds = _method_kinds(at[0], at[1], parts[-1], set()) if at is not None else None
    if not kinds or OTHER in kinds:
        return None
    return frozenset(kinds)
