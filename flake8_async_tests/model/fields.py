"""Attributes every instance of a class holds at one value, as the file shows: a class
defined in a function (so every call of it is in sight), whose `__init__` sets `self.x =
p` once, from a parameter `p` with a literal default that no call of the class passes,
and nothing else sets `x` (no other assignment of that attribute in the file, no string
naming it, no setattr; no ancestor binding it). In its methods, `if self.x:` is then a
constant test, and the branch it rules out never runs (branches.py)."""

from __future__ import annotations

import ast
from collections.abc import Callable

from ..index import resolver
from ..syntax import Syntax

Constant = tuple[bool, str]  # (truth, why)


def constant_fields(syntax: Syntax, source: str,
                    base_of: Callable[[ast.expr], str | None]) -> dict[tuple[int, str], Constant]:
    """(id of a class node, attribute) -> its one value's truth and why; `base_of` names a
    base class through the file's imports."""
    found: dict[tuple[int, str], Constant] = {}
    local = [(cls, func) for func in syntax.of_type(ast.FunctionDef, ast.AsyncFunctionDef)
             for cls in func.body  # type: ignore[attr-defined]
             if isinstance(cls, ast.ClassDef) and not cls.decorator_list and not cls.keywords]
    if not local or "setattr" in source or "__dict__" in source or "vars(" in source:
        return found  # (most files: no class defined in a function)
    stores: dict[str, int] = {}
    strings: set[str] = set()
    for node in syntax.of_type(ast.Attribute, ast.Constant):
        if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
            stores[node.attr] = stores.get(node.attr, 0) + 1
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            strings.add(node.value)
    for cls, func in local:
        for attr, value in _fields(cls, func, syntax, base_of).items():  # type: ignore
            if stores.get(attr) == 1 and attr not in strings:
                found[(id(cls), attr)] = value
    return found


def _fields(cls: ast.ClassDef, home: ast.FunctionDef | ast.AsyncFunctionDef, syntax: Syntax,
            base_of: Callable[[ast.expr], str | None]) -> dict[str, Constant]:
    inits = [s for s in cls.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
             and s.name == "__init__"]
    if len(inits) != 1 or inits[0].decorator_list or isinstance(inits[0], ast.AsyncFunctionDef):
        return {}
    init = inits[0]
    args = init.args
    positional = [*args.posonlyargs, *args.args]
    if not positional or args.vararg is not None:
        return {}
    me = positional[0].arg
    defaults = dict(zip([a.arg for a in positional[len(positional) - len(args.defaults):]],
                        args.defaults))
    defaults.update((a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d)
    rebound = {n.id for n in ast.walk(init) if isinstance(n, ast.Name)
               and not isinstance(n.ctx, ast.Load)}
    candidates: dict[str, tuple[str, ast.Constant, int]] = {}
    for stmt in init.body:
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Attribute)
                and isinstance(stmt.targets[0].value, ast.Name) and stmt.targets[0].value.id == me
                and isinstance(stmt.value, ast.Name) and stmt.value.id not in rebound
                and isinstance(defaults.get(stmt.value.id), ast.Constant)):
            param = stmt.value.id
            candidates[stmt.targets[0].attr] = (param, defaults[param], stmt.lineno)  # type: ignore
    own = _class_names(cls)
    candidates = {attr: found for attr, found in candidates.items() if attr not in own}
    if not candidates or _remakes_itself(cls) \
            or not _calls_only(cls, home, syntax, positional, candidates):
        return {}
    for base in cls.bases:
        dotted = base_of(base)
        classes = resolver.class_ancestors(dotted) if dotted else None
        if classes is None or any(attr in c.kinds or attr in c.self_names or c.dynamic_self
                                  for c in classes.values() for attr in candidates):
            return {}
    return {attr: (bool(default.value), f"set at line {line} from parameter {param} "
                   f"(default {default.value!r}), which no call of {cls.name} passes")
            for attr, (param, default, line) in candidates.items()}


def _class_names(cls: ast.ClassDef) -> set[str]:
    """The names the class body binds (a property or class attribute of a field's name
    would change what setting it does)."""
    found: set[str] = set()
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(stmt.name)
        targets = getattr(stmt, "targets", None) or [getattr(stmt, "target", None)]
        for target in targets:
            if target is not None:
                found.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return found


def _remakes_itself(cls: ast.ClassDef) -> bool:
    """Does the class make instances of itself other than by its name (`type(self)(...)`,
    `self.__class__(...)`), which may pass a field's parameter?"""
    return any(isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Call) and isinstance(node.func.func, ast.Name)
         and node.func.func.id == "type")
        or (isinstance(node.func, ast.Attribute) and node.func.attr == "__class__"))
        for node in ast.walk(cls))


def _calls_only(cls: ast.ClassDef, home: ast.AST, syntax: Syntax, positional: list[ast.arg],
                candidates: dict[str, tuple[str, ast.Constant, int]]) -> bool:
    """Is the class named, in the function that defines it, only by calls that pass none
    of the candidates' parameters (and bound there by its `class` statement alone)?"""
    params = {param for param, _, _ in candidates.values()}
    places = [a.arg for a in positional[1:]]
    reach = min((places.index(p) for p in params if p in places), default=len(places))
    nodes = list(ast.walk(home))
    calls = [n for n in nodes if isinstance(n, ast.Call)]
    callees = {id(call.func) for call in calls}
    for node in nodes:
        if isinstance(node, ast.Name) and node.id == cls.name:
            if not isinstance(node.ctx, ast.Load) or id(node) not in callees:
                return False
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) \
                and node is not cls and node.name == cls.name:
            return False
    for call in calls:
        if isinstance(call.func, ast.Name) and call.func.id == cls.name and (
                any(isinstance(a, ast.Starred) for a in call.args) or len(call.args) > reach
                or any(k.arg is None or k.arg in params for k in call.keywords)):
            return False
    return True


def constant_tests(syntax: Syntax, fields: dict[tuple[int, str], Constant]
                   ) -> dict[int, Constant]:
    """The `if`/`while` statements (by id) in methods of those classes whose test is
    `self.x` or `not self.x` for such a field: the test's truth, and why."""
    found: dict[int, Constant] = {}
    classes = {key[0] for key in fields}
    for cls in syntax.of_type(ast.ClassDef):
        if id(cls) not in classes:
            continue
        for method in cls.body:  # type: ignore[attr-defined]
            if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            positional = [*method.args.posonlyargs, *method.args.args]
            if not positional or method.decorator_list:
                continue
            me = positional[0].arg
            nodes = syntax.scope_nodes(method, headers=False)
            if any(isinstance(n, ast.Name) and n.id == me and not isinstance(n.ctx, ast.Load)
                   for n in nodes):
                continue  # (`self` rebound)
            for node in nodes:
                if isinstance(node, (ast.If, ast.While)):
                    test, negated = node.test, False
                    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
                        test, negated = test.operand, True
                    if (isinstance(test, ast.Attribute) and isinstance(test.value, ast.Name)
                            and test.value.id == me and (id(cls), test.attr) in fields):
                        truth, why = fields[(id(cls), test.attr)]
                        found[id(node)] = (truth != negated, why)
    return found
