"""Fix of AT200: `await` before a coroutine call, in async functions only."""

from __future__ import annotations

import ast
from typing import Any

import libcst as cst

from ..model.scopes import MAX_NAME

from .edits import CannotFix, Plan
from .source import Source

# Where `await` cannot go, or would change what runs (a generator expression becomes
# asynchronous, a lambda or comprehension is a scope of its own).
_OTHER_SCOPES = (cst.Lambda, cst.GeneratorExp, cst.ListComp, cst.SetComp, cst.DictComp,
                 cst.ClassDef)


def _in_async_function(src: Source, node: cst.CSTNode) -> bool:
    for above in src.ancestors(node):
        if isinstance(above, _OTHER_SCOPES):
            return False
        if isinstance(above, cst.FunctionDef):
            return above.asynchronous is not None
    return False


def _label(code: str) -> str:
    """The callee as the message names it (ast.unparse, shortened the same way)."""
    try:
        text = ast.unparse(ast.parse(f"({code})", mode="eval").body)
    except (SyntaxError, ValueError, RecursionError):
        return ""
    return text if len(text) <= MAX_NAME else text[: MAX_NAME - 3] + "..."


def _awaited(call: Any, wrap: bool) -> Any:
    node = cst.Await(expression=call)
    if wrap:
        node = node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return node


def at200(src: Source, plan: Plan, line: int, col: int, variant: str,
          fields: dict[str, str]) -> None:
    calls = [c for c in src.at(line, col, cst.Call) if _label(src.code(c.func)) == fields["name"]]
    if not calls:
        raise CannotFix("no such call there")
    call = calls[0]
    if not _in_async_function(src, call):
        raise CannotFix("not inside an async function")
    parent = src.parent(call)
    if isinstance(parent, cst.Await):
        raise CannotFix("already awaited")
    wrap = (isinstance(parent, (cst.Attribute, cst.Subscript))
            or (isinstance(parent, cst.Call) and parent.func is call))
    plan.replace_node(call, lambda node: _awaited(node, wrap), tag="await")


FIXERS = {"AT200": at200}
