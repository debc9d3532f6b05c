"""Adding imports: a name joins an existing `from module import ...` line when there is one;
otherwise a new line goes after the module's first block of imports (after the docstring
when there are none), in the block's own style."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import libcst as cst

from .edits import Import


def _is_import(stmt: Any) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in stmt.body)


def _is_docstring(stmt: Any) -> bool:
    return (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1
            and isinstance(stmt.body[0], cst.Expr)
            and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))


def _insert_at(body: Sequence[Any]) -> int:
    """After the last import of the first run of imports (a docstring may come first)."""
    at = 1 if body and _is_docstring(body[0]) else 0
    found = None
    for index in range(at, len(body)):
        if _is_import(body[index]):
            found = index
        elif found is not None or not isinstance(body[index], cst.SimpleStatementLine):
            break
    return found + 1 if found is not None else at


def _joined(stmt: Any, wanted: Import, module: cst.Module) -> Any | None:
    """`stmt` with `wanted.name` added, if it is a plain `from wanted.module import ...`."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if (not isinstance(small, cst.ImportFrom) or small.relative or small.module is None
            or module.code_for_node(small.module) != wanted.module
            or isinstance(small.names, cst.ImportStar)):
        return None
    names = list(small.names)
    alias = cst.ImportAlias(
        name=cst.Name(wanted.name),
        asname=cst.AsName(name=cst.Name(wanted.alias)) if wanted.alias else None)
    last = names[-1]
    if isinstance(last.comma, cst.Comma):  # a trailing comma: the new one gets the same
        alias = alias.with_changes(comma=last.comma)
    else:
        names[-1] = last.with_changes(comma=cst.Comma(
            whitespace_after=cst.SimpleWhitespace(" ")))
    names.append(alias)
    return stmt.with_changes(body=[small.with_changes(names=names)])


def add_imports(module: cst.Module, imports: Sequence[Import]) -> cst.Module:
    body = list(module.body)
    new: list[Any] = []
    pending: dict[str, list[str]] = {}  # module -> names for a new `from` line
    for wanted in imports:
        if wanted.name is None:
            new.append(cst.parse_statement(f"import {wanted.module}\n"))
            continue
        for index, stmt in enumerate(body):
            joined = _joined(stmt, wanted, module)
            if joined is not None:
                body[index] = joined
                break
        else:
            alias = f" as {wanted.alias}" if wanted.alias else ""
            pending.setdefault(wanted.module, []).append(f"{wanted.name}{alias}")
    for name, names in pending.items():
        new.append(cst.parse_statement(f"from {name} import {', '.join(names)}\n"))
    if not new:
        return module.with_changes(body=body)
    at = _insert_at(body)
    if at < len(body) and not _is_import(body[at]):
        following = body[at]
        if not any(line.comment is None for line in following.leading_lines):
            blank = 2 if isinstance(following, (cst.FunctionDef, cst.ClassDef)) else 1
            body[at] = following.with_changes(
                leading_lines=[cst.EmptyLine()] * blank + list(following.leading_lines))
    if at and not _is_import(body[at - 1]) and not new[0].leading_lines:
        new[0] = new[0].with_changes(leading_lines=[cst.EmptyLine()])
    body[at:at] = new
    return module.with_changes(body=body)
