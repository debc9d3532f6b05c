"""Adding imports: a name joins an existing `from module import ...` line when there is one;
otherwise a new line goes into the module's first block of imports as isort would place it:
in the group of its kind (standard library, or not), in order when the group is sorted,
or as a group of its own after the standard library's. With no imports at all, it goes
after the docstring."""

from __future__ import annotations

import sys
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


def _kind(stmt: Any) -> str:
    """'future', 'stdlib' or 'other', from the line's first import."""
    small = stmt.body[0]
    if isinstance(small, cst.ImportFrom):
        if small.relative or small.module is None:
            return "other"
        name = cst.Module([]).code_for_node(small.module)
    else:
        name = cst.Module([]).code_for_node(small.names[0].name)
    top = name.split(".")[0]
    if top == "__future__":
        return "future"
    return "stdlib" if top in sys.stdlib_module_names else "other"


def _key(stmt: Any) -> tuple[bool, str]:
    """isort's default order in a group: `import x` lines, then `from x import` lines."""
    small = stmt.body[0]
    node = small.module if isinstance(small, cst.ImportFrom) else small.names[0].name
    name = cst.Module([]).code_for_node(node) if node is not None else ""
    return isinstance(small, cst.ImportFrom), name.lower()


def _groups(body: Sequence[Any], start: int) -> list[list[int]]:
    """Indexes of the first run of imports from `start`, split where a blank line is."""
    groups: list[list[int]] = []
    for index in range(start, len(body)):
        stmt = body[index]
        if not _is_import(stmt):
            if groups or not isinstance(stmt, cst.SimpleStatementLine):
                break
            continue
        if not groups or any(line.comment is None for line in stmt.leading_lines):
            groups.append([])
        groups[-1].append(index)
    return groups


def _place(body: list[Any], new: Any, start: int) -> bool:
    """Put `new` where isort would; False when the module has no imports."""
    groups = _groups(body, start)
    if not groups:
        return False
    kind = _kind(new)
    same = [g for g in groups if all(_kind(body[i]) == kind for i in g)]
    if same:
        group = same[-1] if kind == "stdlib" else same[0]
        keys = [_key(body[i]) for i in group]
        at = group[-1] + 1
        if keys == sorted(keys):
            at = next((i for i, k in zip(group, keys) if k > _key(new)), at)
        if at == group[0]:  # first of its group: it takes the group's leading lines
            new = new.with_changes(leading_lines=body[at].leading_lines)
            body[at] = body[at].with_changes(leading_lines=[])
        body.insert(at, new)
        return True
    others = [g for g in groups if any(_kind(body[i]) == "other" for i in g)]
    if kind == "stdlib" and others:  # a group of its own, before the first other one
        at = others[0][0]
        new = new.with_changes(leading_lines=body[at].leading_lines)
        body[at] = body[at].with_changes(leading_lines=[cst.EmptyLine()])
    else:  # a group of its own, after the rest
        at = groups[-1][-1] + 1
        new = new.with_changes(leading_lines=[cst.EmptyLine()])
    body.insert(at, new)
    return True


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
    start = 1 if body and _is_docstring(body[0]) else 0
    placed = [stmt for stmt in new if _place(body, stmt, start)]
    if len(placed) < len(new):
        at = _insert_at(body)
        if at and not _is_import(body[at - 1]):
            new[0] = new[0].with_changes(leading_lines=[cst.EmptyLine()])
        body[at:at] = new
    at = _insert_at(body)
    if at < len(body) and not _is_import(body[at]):  # a blank line before the code
        following = body[at]
        if not any(line.comment is None for line in following.leading_lines):
            blank = 2 if isinstance(following, (cst.FunctionDef, cst.ClassDef)) else 1
            body[at] = following.with_changes(
                leading_lines=[cst.EmptyLine()] * blank + list(following.leading_lines))
    return module.with_changes(body=body)
