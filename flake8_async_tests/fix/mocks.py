"""Fixes of AT3xx: mock names taken from unittest.mock, fake assertions made real."""

from __future__ import annotations

from typing import Any

import libcst as cst

from .edits import CannotFix, Import, Plan
from ..mock_names import MOCK_MODULE_NAMES
from .source import Source

MOCK = "unittest.mock"


def at303(src: Source, plan: Plan, line: int, col: int, variant: str,
          fields: dict[str, str]) -> None:
    name = fields["name"]
    if variant == "attribute":
        for attr in src.at(line, col, cst.Attribute):
            if attr.attr.value == name and src.dotted(attr.value) == "pytest":
                new = cst.parse_expression(_mock_name(src, plan, name))
                plan.replace_node(attr, lambda node: new.with_changes(
                    lpar=node.lpar, rpar=node.rpar), tag="mock")
                return
        raise CannotFix("no pytest attribute there")
    for stmt in src.at(line, col, cst.ImportFrom):
        if isinstance(stmt.names, cst.ImportStar):
            break
        aliases = [a for a in stmt.names if src.code(a.name) == name]
        if not aliases:
            break
        if all(src.code(a.name) in MOCK_MODULE_NAMES for a in stmt.names):
            # every name on the line is reported: the line imports from unittest.mock
            plan.replace_node(stmt, lambda node: node.with_changes(
                module=cst.parse_expression(MOCK)), tag="move")
            return
        local = src.code(aliases[0].asname.name) if aliases[0].asname else None
        gone: set[str] = plan.notes.setdefault(("from-pytest", id(stmt)), set())
        gone.add(name)
        plan.replace_node(stmt, lambda node: _without_names(src, node, gone), tag="drop")
        plan.add_import(Import(MOCK, name, local))
        return
    raise CannotFix("no import from pytest there")


def _without_names(src: Source, node: cst.ImportFrom, gone: set[str]) -> cst.ImportFrom:
    old = list(node.names)  # type: ignore
    names = [a for a in old if src.code(a.name) not in gone]
    names[-1] = names[-1].with_changes(comma=old[-1].comma)
    return node.with_changes(names=names)


def _mock_name(src: Source, plan: Plan, name: str) -> str:
    """How to spell unittest.mock's `name` here: an existing import of it or of the module,
    else a new `from unittest.mock import name` when nothing here is called `name`."""
    imported = {*src.modules.values(), *src.from_names.values()}
    if not imported & {MOCK, f"{MOCK}.{name}"} and (
            name not in src.names or src.from_names.get(name) == f"pytest.{name}"):
        plan.add_import(Import(MOCK, name))  # the same as AT303's fix of that import
        return name
    return src.reference(plan, MOCK, name)


# -- AT305 ------------------------------------------------------------------------------

def _as_statement(src: Source, plan: Plan, expr: Any, change: Any) -> None:
    """Apply `change` to `expr`, which must be a whole expression statement or the whole
    test of an `assert` without a message (the `assert` goes)."""
    parent = src.parent(expr)
    if isinstance(parent, cst.Expr):
        plan.replace_node(expr, change, tag="assert")
    elif isinstance(parent, cst.Assert) and parent.test is expr and parent.msg is None:
        plan.replace_node(expr, change, tag="assert")
        plan.replace_node(parent, lambda node: cst.Expr(value=node.test,
                                                        semicolon=node.semicolon),
                          tag="unassert")
    else:
        raise CannotFix("the assertion is part of a larger expression")


def at305(src: Source, plan: Plan, line: int, col: int, variant: str,
          fields: dict[str, str]) -> None:
    attr_name = fields["attr"]
    if variant == "not-called":
        for attr in src.at(line, col, cst.Attribute):
            if attr.attr.value == attr_name:
                _as_statement(src, plan, attr, lambda node: cst.Call(func=node))
                return
        raise CannotFix("no such attribute there")
    for call in src.at(line, col, cst.Call):
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == attr_name:
            _as_statement(src, plan, call, lambda node: node.with_changes(
                func=node.func.with_changes(attr=cst.Name(f"assert_{attr_name}"))))
            return
    raise CannotFix("no such call there")


FIXERS = {"AT303": at303, "AT305": at305}
