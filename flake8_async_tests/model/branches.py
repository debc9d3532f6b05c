"""Branches of a test file that never run, as its source says: the body of `if NAME:` where
NAME is a false constant of the module (`_IS_SYNC = False`, bound once at its top level and
nowhere else), of `if TYPE_CHECKING:`, of `if False:`; the `else:` of a true one; the body
of `while` with a false test; the same for `if self.x:` in a method of a class defined in
a function, where `x` has one value (fields.py); and in a function, the statements of a
block after one that never lets the block go on (`return`, `raise`, `break`, `continue`,
or a call that never returns, such as `pytest.skip()`); the whole module where such a
statement stands at its top level (its import never completes); the body of a test that a
mark skips whatever happens (context.py, which knows the tests); the body of a plain `with` on an
async context manager (a function decorated with `asynccontextmanager`), which raises
before its body runs (`TypeError`; `AttributeError` before Python 3.11). A finding there
is about code that never runs: the rules' findings in those lines are dropped, with the
reason (plugin.py). Any test it cannot read as a constant (a call, a comparison, a name
bound twice) is taken to run either way.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import NamedTuple

from ..syntax import Syntax

# What the typing modules bind to False when code runs (True only for type checkers).
TYPE_CHECKING = frozenset({"typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"})


class Dead(NamedTuple):
    """Lines `first` to `last` never run, because `test` is always `value`; or, with
    `exit_line`, because `test` (`return`, `pytest.skip()`...) on that line comes first;
    or, with `with_line`, because that `with` enters `test`, an async context manager."""
    first: int
    last: int
    test: str
    value: bool
    where: str  # why: what binds the name, "a literal"...
    exit_line: int | None = None
    with_line: int | None = None
    stops_module: bool = False  # `test` at exit_line ends the module's import: all of it
    skipped: bool = False  # the body of test `test`, which the mark `where` always skips


# Calls that never return: pytest's outcomes raise, the others end the process.
NO_RETURN = frozenset({"pytest.skip", "pytest.fail", "pytest.xfail", "pytest.exit",
                       "sys.exit", "os._exit", "os.abort"})
_EXITS = {ast.Return: "return", ast.Raise: "raise", ast.Break: "break",
          ast.Continue: "continue"}
# The blocks of a compound statement (an except's and a case's are inside them).
_BLOCKS = ("body", "orelse", "finalbody")


# Nodes that may bind a name (see _binds); `type X = ...` on Python 3.12 and later.
_TYPE_ALIAS = (ast.TypeAlias,) if hasattr(ast, "TypeAlias") else ()
_NAME_BINDERS = (ast.Name, ast.arg, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                 ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal, ast.ExceptHandler,
                 ast.MatchAs, ast.MatchStar, ast.MatchMapping, *_TYPE_ALIAS)


def constants(syntax: Syntax) -> dict[str, tuple[bool, int]]:
    """Names the module binds once, by an assignment of a literal (True, False, None, a
    number or a string) at its top level, and nowhere else in the file: name -> (its
    truth, the line)."""
    found: dict[str, tuple[bool, int]] = {}
    for stmt in syntax.tree.body:
        target, value = None, None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.simple:
            target, value = stmt.target, stmt.value
        if (isinstance(target, ast.Name) and isinstance(value, ast.Constant)
                and not isinstance(value.value, bytes)):
            found[target.id] = (bool(value.value), stmt.lineno)
    if not found:
        return found
    bound: dict[str, int] = {}
    for node in syntax.of_type(*_NAME_BINDERS):
        for name in _binds(node):
            bound[name] = bound.get(name, 0) + 1
    return {name: known for name, known in found.items() if bound.get(name) == 1}


def _binds(node: ast.AST) -> list[str]:
    """The names a node binds (or may rebind: `global`, `del`)."""
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        return [node.id]
    if isinstance(node, ast.arg):  # a parameter shadows it in its function
        return [node.arg]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(alias.asname or alias.name).split(".")[0] for alias in node.names]
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return [*node.names, *node.names]  # may rebind it: never bound once
    if isinstance(node, ast.ExceptHandler) and node.name:
        return [node.name]
    if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
        return [node.name]
    if isinstance(node, ast.MatchMapping) and node.rest:
        return [node.rest]
    if isinstance(node, _TYPE_ALIAS):  # its name is not walked as a Name node
        return [node.name.id]  # type: ignore[attr-defined]
    return []


def dead_lines(syntax: Syntax, resolve: Callable[[ast.expr], str | None],
               async_cm: Callable[[ast.expr], str | None] = lambda func: None,
               field_truths: dict[int, tuple[bool, str]] | None = None) -> list[Dead]:
    """Every branch of the file that never runs (see the module's docstring); `resolve`
    names what an expression stands for through the file's imports, `async_cm` the
    function a callee is when that makes an async context manager; `field_truths` holds
    the `if`/`while` statements (by id) that test an instance attribute with one value
    (fields.py), with that value's truth and why."""
    known = constants(syntax)
    field_truths = field_truths or {}
    found: list[Dead] = []
    for node in syntax.of_type(ast.If, ast.While):
        assert isinstance(node, (ast.If, ast.While))
        truth = _truth(node.test, known, resolve) or field_truths.get(id(node))
        if truth is None:
            continue
        value, where = truth
        branch = node.body if not value else node.orelse if isinstance(node, ast.If) else []
        if branch:
            found.append(Dead(*_span(branch), ast.unparse(node.test), value, where))
    found.extend(_module_stop(syntax, resolve))
    found.extend(_after_exits(syntax, resolve))
    found.extend(_refused_withs(syntax, async_cm))
    return sorted(found, key=lambda dead: (dead.first, -dead.last))  # the outermost first


def _span(block: list[ast.stmt]) -> tuple[int, int]:
    """The first and last line of a block's statements (decorators included)."""
    return (min(_first_line(stmt) for stmt in block),
            max(stmt.end_lineno or stmt.lineno for stmt in block))


def _module_stop(syntax: Syntax, resolve: Callable[[ast.expr], str | None]) -> list[Dead]:
    """The whole file, where a statement at the module's top level never lets its import
    go on (`pytest.skip(..., allow_module_level=True)`, `raise`, `sys.exit()`): pytest
    collects nothing from a module whose import raises (it skips it, or reports an
    error), so no line of it runs as a test, before that statement or after."""
    body = syntax.tree.body
    for stmt in body:
        if isinstance(stmt, (ast.Return, ast.Break, ast.Continue)):
            continue  # (not compiled at a module's top level: a syntax error, not a stop)
        what = _exit(stmt, resolve)
        if what is not None:
            return [Dead(1, max(s.end_lineno or s.lineno for s in body), what, True, "",
                         stmt.lineno, stops_module=True)]
    return []


def _after_exits(syntax: Syntax, resolve: Callable[[ast.expr], str | None]) -> list[Dead]:
    """In each function, the statements of a block after one that leaves the block."""
    found: list[Dead] = []
    for func in syntax.of_type(ast.FunctionDef, ast.AsyncFunctionDef):
        blocks = [func.body]  # type: ignore[attr-defined]
        while blocks:
            block = blocks.pop()
            for at, stmt in enumerate(block):
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    continue  # (its own blocks are its own)
                blocks.extend(getattr(stmt, name) for name in _BLOCKS if getattr(stmt, name, None))
                blocks.extend(inner.body for inner in (*getattr(stmt, "handlers", ()),
                                                       *getattr(stmt, "cases", ())))
                what = _exit(stmt, resolve)
                if what is not None and at + 1 < len(block):
                    found.append(Dead(*_span(block[at + 1:]), what, True, "", stmt.lineno))
                    break
    return found


def _refused_withs(syntax: Syntax,
                   async_cm: Callable[[ast.expr], str | None]) -> list[Dead]:
    """The bodies of plain `with` statements that enter an async context manager."""
    found: list[Dead] = []
    for node in syntax.of_type(ast.With):
        assert isinstance(node, ast.With)
        for item in node.items:
            expr = item.context_expr
            if isinstance(expr, ast.Call) and node.body and async_cm(expr.func) is not None:
                found.append(Dead(*_span(node.body), f"{ast.unparse(expr.func)}()", True, "",
                                  with_line=node.lineno))
                break
    return found


def _exit(stmt: ast.stmt, resolve: Callable[[ast.expr], str | None]) -> str | None:
    """What makes a statement leave its block (`return`, `pytest.skip()`), or None."""
    if type(stmt) in _EXITS:
        return _EXITS[type(stmt)]
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    if isinstance(call, ast.Call) and isinstance(call.func, (ast.Name, ast.Attribute)):
        dotted = resolve(call.func)
        if dotted in NO_RETURN:
            return f"{dotted}()"
    return None


def _first_line(stmt: ast.stmt) -> int:
    decorators = getattr(stmt, "decorator_list", None) or []
    return min([stmt.lineno, *(d.lineno for d in decorators)])


def _truth(test: ast.expr, known: dict[str, tuple[bool, int]],
           resolve: Callable[[ast.expr], str | None]) -> tuple[bool, str] | None:
    """(the truth of a test that is constant, what binds it) or None."""
    if isinstance(test, ast.Constant):
        return bool(test.value), "a literal"
    if isinstance(test, ast.Name) and test.id in known:
        value, line = known[test.id]
        return value, f"bound once, at line {line}"
    if isinstance(test, (ast.Name, ast.Attribute)) and resolve(test) in TYPE_CHECKING:
        return False, "when the code runs"
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _truth(test.operand, known, resolve)
        return (not inner[0], inner[1]) if inner is not None else None
    if isinstance(test, ast.BoolOp):
        # `a and b` is false if any part is; `a or b` true if any part is
        deciding = isinstance(test.op, ast.Or)
        for value in test.values:
            inner = _truth(value, known, resolve)
            if inner is not None and inner[0] is deciding:
                return inner
    return None
