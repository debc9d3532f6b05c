"""Fixes of AT1xx: marks added, removed or renamed; fixtures and hooks made to run."""

from __future__ import annotations

from typing import Any

import libcst as cst

from .edits import CannotFix, Plan
from .source import Source

FIXTURE = "pytest.fixture"


def _decorator_index(func: Any, test: Any) -> list[int]:
    return [i for i, d in enumerate(func.decorators) if test(d.decorator)]


def at100(src: Source, plan: Plan, line: int, col: int, variant: str,
          fields: dict[str, str]) -> None:
    func = src.function(line, fields["name"])
    mark = fields.get("mark", "asyncio")  # the runner the message names
    plan.add_decorator(func, src.reference(plan, "pytest", "mark") + f".{mark}")


def at102(src: Source, plan: Plan, line: int, col: int, variant: str,
          fields: dict[str, str]) -> None:
    func = src.function(line, fields["name"])
    if variant == "function":
        found = _decorator_index(func, lambda e: src.mark_name(e) == "asyncio")
        if not found:
            raise CannotFix("the mark is not spelt pytest.mark.asyncio")
        for index in found:
            plan.drop_decorator(func, index)
    elif variant == "class":
        classes = [n for n in src.ancestors(func) if isinstance(n, cst.ClassDef)]
        marked = [c for c in classes if _asyncio_marks(src, c)]
        if not marked:
            raise CannotFix("the class's mark is not spelt pytest.mark.asyncio")
        for cls in marked:  # every check first: a fix is planned whole or not at all
            _no_async_tests(src, cls)
            if any(n.value == cls.name.value for n in src.walk(cst.Name)
                   if n is not cls.name):
                raise CannotFix("the class is used in this module (perhaps as a base)")
            _can_drop_marks(src, cls)
        for cls in marked:
            _drop_marks(src, plan, cls)
    elif variant == "module":
        _no_async_tests(src, src.module)
        if not _pytestmark_marks(src, src.module):
            raise CannotFix("the module's mark is not spelt pytest.mark.asyncio")
        _can_drop_marks(src, src.module)
        _drop_marks(src, plan, src.module)
    else:
        raise CannotFix("the mark comes from a base class")


def _no_async_tests(src: Source, scope: cst.CSTNode) -> None:
    """Refuse when an async function under `scope` would lose the mark."""
    for func in src.walk(cst.FunctionDef):
        if func.asynchronous is None or (scope is not src.module
                                         and scope not in src.ancestors(func)):
            continue
        if not any(_is_fixture(src, d.decorator) for d in func.decorators):
            raise CannotFix(f"async {func.name.value!r} would lose the mark")


def _is_fixture(src: Source, expr: Any) -> bool:
    if isinstance(expr, cst.Call):
        expr = expr.func
    return (src.dotted(expr) or "") in (FIXTURE, "pytest_asyncio.fixture")


def _asyncio_marks(src: Source, cls: cst.ClassDef) -> bool:
    return bool(_decorator_index(cls, lambda e: src.mark_name(e) == "asyncio")
                or _pytestmark_marks(src, cls))


def _pytestmark_marks(src: Source, owner: Any) -> list[tuple[Any, int, Any]]:
    """(block, statement index, value) of each `pytestmark = ...` naming asyncio."""
    block = owner.body if isinstance(owner, cst.ClassDef) else owner
    found = []
    for index, stmt in enumerate(getattr(block, "body", ())):
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            continue
        small = stmt.body[0]
        if (isinstance(small, cst.Assign) and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and small.targets[0].target.value == "pytestmark"):
            value = small.value
            items = [e.value for e in value.elements] if isinstance(
                value, (cst.List, cst.Tuple)) else [value]
            if any(src.mark_name(item) == "asyncio" for item in items):
                found.append((block, index, value))
    return found


def _can_drop_marks(src: Source, owner: Any) -> None:
    """Refuse what _drop_marks cannot do, before anything is planned."""
    for block, index, value in _pytestmark_marks(src, owner):
        line = block.body[index]
        if isinstance(value, (cst.List, cst.Tuple)) and any(
                src.mark_name(e.value) != "asyncio" for e in value.elements):
            continue
        if isinstance(owner, cst.ClassDef) and any(
                not (isinstance(b.value, cst.Name) and b.value.value == "object")
                for b in owner.bases):
            raise CannotFix("an empty pytestmark would hide the base class's marks")
        if len(line.body) != 1 or len(block.body) == 1:
            raise CannotFix("the pytestmark line cannot go alone")


def _drop_marks(src: Source, plan: Plan, owner: Any) -> None:
    if isinstance(owner, cst.ClassDef):
        for index in _decorator_index(owner, lambda e: src.mark_name(e) == "asyncio"):
            plan.drop_decorator(owner, index)
    for block, index, value in _pytestmark_marks(src, owner):
        if isinstance(value, (cst.List, cst.Tuple)):
            kept = [i for i, e in enumerate(value.elements)
                    if src.mark_name(e.value) != "asyncio"]
            if kept:
                plan.replace_node(value, lambda node, kept=kept: _elements(node, kept),
                                  tag="drop-marks")
                continue
        if isinstance(owner, cst.ClassDef) and any(
                not (isinstance(b.value, cst.Name) and b.value.value == "object")
                for b in owner.bases):
            raise CannotFix("an empty pytestmark would hide the base class's marks")
        plan.drop_statement(block, index)


def _elements(node: Any, kept: list[int]) -> Any:
    """A list or tuple display with only the elements at `kept`; the last keeps the old
    last's comma style, and a one-element tuple keeps its comma."""
    old = list(node.elements)
    elements = [old[i] for i in kept]
    if kept[-1] != len(old) - 1:
        elements[-1] = elements[-1].with_changes(comma=old[-1].comma)
    if isinstance(node, cst.Tuple) and len(elements) == 1 and not isinstance(
            elements[0].comma, cst.Comma):
        elements[0] = elements[0].with_changes(comma=cst.Comma())
    return node.with_changes(elements=elements)


def at103(src: Source, plan: Plan, line: int, col: int, variant: str,
          fields: dict[str, str]) -> None:
    for expr in src.at(line, col, cst.BaseExpression):
        decorator = src.parent(expr)
        if isinstance(decorator, cst.Decorator):
            func = src.parent(decorator)
            plan.drop_decorator(func, list(func.decorators).index(decorator))
            return
    raise CannotFix("no mark there")


def at104(src: Source, plan: Plan, line: int, col: int, variant: str,
          fields: dict[str, str]) -> None:
    func = src.function(line, fields["name"])
    for decorator in func.decorators:
        expr = decorator.decorator
        target = expr.func if isinstance(expr, cst.Call) else expr
        if src.dotted(target) == FIXTURE:
            new = cst.parse_expression(src.reference(plan, "pytest_asyncio", "fixture"))
            if isinstance(expr, cst.Call):
                plan.replace_node(expr, lambda node: _with_loop_scope(
                    node.with_changes(func=new)))
            else:
                plan.replace_node(expr, lambda node: new)
            return
    raise CannotFix("the fixture decorator is not spelt pytest.fixture")


def _with_loop_scope(call: cst.Call) -> cst.Call:
    """A fixture of a literal scope wider than a function's runs on a loop of that scope
    (pytest_asyncio.fixture would otherwise give it a function's loop: AT107)."""
    keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    scope = keywords.get("scope")
    if ("loop_scope" in keywords or not isinstance(scope, cst.SimpleString)
            or scope.evaluated_value == "function"):
        return call
    args = list(call.args)
    new = cst.Arg(keyword=cst.Name("loop_scope"), value=scope,
                  equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                        whitespace_after=cst.SimpleWhitespace("")))
    between: Any = cst.SimpleWhitespace(" ")
    if isinstance(args[-1].comma, cst.Comma):  # one argument a line: the new one too
        new = new.with_changes(comma=args[-1].comma)
        if isinstance(call.whitespace_before_args, cst.ParenthesizedWhitespace):
            between = call.whitespace_before_args
    args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=between))
    return call.with_changes(args=[*args, new])


def at105(src: Source, plan: Plan, line: int, col: int, variant: str,
          fields: dict[str, str]) -> None:
    func = src.function(line, fields["hook"])
    cls = src.parent(src.parent(func))
    rename = fields["rename"]
    if not isinstance(cls, cst.ClassDef):
        raise CannotFix("not a method")
    if any(n.value in (rename, fields["hook"]) for n in src.walk(cst.Name)
           if n is not func.name and cls in src.ancestors(n)):
        raise CannotFix(f"the class already uses {rename!r} or calls the hook")
    plan.replace_node(func.name, lambda node: node.with_changes(value=rename))


def at106(src: Source, plan: Plan, line: int, col: int, variant: str,
          fields: dict[str, str]) -> None:
    for call in src.at(line, col, cst.Call):
        names = [a.keyword.value for a in call.args if a.keyword is not None]
        if src.mark_name(call) != "asyncio" or "scope" not in names:
            continue
        if "loop_scope" in names:
            raise CannotFix("the mark has both scope= and loop_scope=")
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "scope":
                plan.replace_node(arg.keyword, lambda node: node.with_changes(
                    value="loop_scope"))
        return
    raise CannotFix("no asyncio mark there")


FIXERS = {"AT100": at100, "AT102": at102, "AT103": at103, "AT104": at104, "AT105": at105,
          "AT106": at106}
