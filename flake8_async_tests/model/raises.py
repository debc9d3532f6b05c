"""The `with pytest.raises(...)` blocks of a file: where a call is expected to raise.

AT201 leaves a loop started inside one alone when it may catch the RuntimeError, AT203
a dropped task, and AT204 a sleep that ends the block (it never runs, or the test wants
the raise).
"""

from __future__ import annotations

import ast
import builtins
import functools
from collections.abc import Callable

from ..rules import explain
from ..syntax import Syntax

# Exceptions of the standard library that RuntimeError does not derive from: a
# `pytest.raises` of only these does not catch it.
NOT_RUNTIME_ERRORS = frozenset(
    name for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
    and not issubclass(RuntimeError, value)) | frozenset(
    f"asyncio.{name}" for name in ("CancelledError", "TimeoutError", "InvalidStateError",
                                   "IncompleteReadError", "LimitOverrunError", "QueueEmpty",
                                   "QueueFull"))
CANCELLED = frozenset({"asyncio.CancelledError", "asyncio.exceptions.CancelledError"})


class RaisesBlocks:
    """Those blocks of one file, found on first use."""

    def __init__(self, syntax: Syntax, resolve: Callable[[ast.AST], str | None]) -> None:
        self.syntax = syntax
        self.resolve = resolve

    @functools.cached_property
    def _blocks(self) -> list[tuple[int, int, int, bool, bool]]:
        """(first, last, with line, may it catch RuntimeError, does it expect
        asyncio.CancelledError) of the body of each `with pytest.raises(...)`."""
        found = []
        for node in self.syntax.of_type(ast.With):
            raises = [item.context_expr for item in node.items  # type: ignore[attr-defined]
                      if isinstance(item.context_expr, ast.Call)
                      and self.resolve(item.context_expr.func) == "pytest.raises"]
            if node.body and raises:  # type: ignore[attr-defined]
                body = node.body  # type: ignore[attr-defined]
                # RuntimeError may be caught unless every exception named is one of the
                # standard library's it does not derive from (a project's name may be an
                # alias of anything)
                named = [self._named(r) for r in raises]
                found.append((body[0].lineno, max(s.end_lineno or s.lineno for s in body),
                              node.lineno,
                              any(n is None or not n <= NOT_RUNTIME_ERRORS for n in named),
                              any(n is not None and not n.isdisjoint(CANCELLED)
                                  for n in named)))
        return found

    def expects_cancel(self, node: ast.AST) -> bool:
        """Is `node` in the body of a `with pytest.raises(...)` that expects the awaited
        call to be cancelled (asyncio.CancelledError)?"""
        line = node.lineno  # type: ignore[attr-defined]
        return any(first <= line <= last and cancel
                   for first, last, _, _, cancel in self._blocks)

    def _named(self, raises: ast.Call) -> set[str | None] | None:
        """The exceptions a `pytest.raises(...)` names, as dotted names (None for one that
        is not a name); None when it names none."""
        expected = raises.args[0] if raises.args else next(
            (k.value for k in raises.keywords if k.arg == "expected_exception"), None)
        if expected is None:
            return None
        named = expected.elts if isinstance(expected, ast.Tuple) else [expected]
        return {self.resolve(e) for e in named}

    def ends_raises_block(self, node: ast.AST) -> str | None:
        """expects_raise, for a call that ends the body of its `with pytest.raises(...)`,
        whatever it expects: either it raises, as the test expects, or something before it
        did and it never runs (AT204: a sleep there never blocks the loop)."""
        end = node.end_lineno  # type: ignore[attr-defined]
        where = next((at for first, last, at, _, _ in self._blocks
                      if first <= node.lineno <= last and end == last), None)  # type: ignore
        return explain("in-pytest-raises", line=where) if where is not None else None

    def expects_raise(self, node: ast.AST, anything: bool = False,
                      within: ast.AST | None = None) -> str | None:
        """Why a call that raises RuntimeError is left alone inside `with
        pytest.raises(...)` that may catch it (AT201: a loop started where one runs), or,
        with `anything`, inside any `pytest.raises`: the test expects an exception there.
        With `within`, only a `with` on that node's lines counts. None outside one."""
        line = node.lineno  # type: ignore[attr-defined]
        lines = ((within.lineno, within.end_lineno or within.lineno)  # type: ignore
                 if within is not None else None)
        where = next((at for first, last, at, runtime, _ in self._blocks
                      if first <= line <= last and (runtime or anything)
                      and (lines is None or lines[0] <= at <= lines[1])), None)
        return explain("in-pytest-raises", line=where) if where is not None else None
