"""What a module's imports and simple aliases bind each name to (`ImportTable`), read from
its `ast` tree: the first tier of "what is this name?" for every rule."""

from __future__ import annotations

import ast
from collections.abc import Iterator

# Other spellings of the same module.
MODULE_ALIASES = {"mock": "unittest.mock", "_pytest.mark": "pytest.mark"}


def _normalise(name: str) -> str:
    for alias, real in MODULE_ALIASES.items():
        if name == alias or name.startswith(alias + "."):
            return real + name[len(alias):]
    return name


def imported(stmt: ast.Import | ast.ImportFrom) -> Iterator[tuple[str, str | None]]:
    """(name, the dotted name it is bound to) for each name an import binds; None for a
    relative import (a project module, not followed)."""
    for alias in stmt.names:
        if isinstance(stmt, ast.Import):
            if alias.asname:
                yield alias.asname, _normalise(alias.name)
            else:
                top = alias.name.split(".")[0]
                yield top, _normalise(top)
        elif alias.name != "*":
            yield alias.asname or alias.name, (
                _normalise(f"{stmt.module}.{alias.name}")
                if not stmt.level and stmt.module else None)


class ImportTable:
    """Local name -> dotted name, from imports and simple aliases (`mark = pytest.mark`).

    A name bound twice to different things (`try: from app import Factory` then
    `except ImportError: Factory = MagicMock`, both branches of an `if`, or a later
    assignment) has no single value: it is left out, and `ambiguous` says why.
    """

    def __init__(self, tree: ast.Module) -> None:
        self.names: dict[str, str] = {}
        self.ambiguous: dict[str, list[int]] = {}  # name -> lines that bind it differently
        self.relative: set[str] = set()  # bound once, by a relative import (`from .x import y`)
        self._lines: dict[str, int] = {}
        self._collect(tree.body)

    def _bind(self, name: str, dotted: str | None, line: int) -> None:
        if name in self.ambiguous:
            self.ambiguous[name].append(line)
        elif name in self._lines and self.names.get(name) != dotted:
            self.ambiguous[name] = [self._lines[name], line]
            self.names.pop(name, None)
        else:
            self._lines[name] = line
            if dotted is not None:
                self.names[name] = dotted
            return
        self.relative.discard(name)

    def _collect(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for name, dotted in imported(stmt):
                    fresh = name not in self._lines
                    self._bind(name, dotted, stmt.lineno)
                    if fresh and dotted is None and isinstance(stmt, ast.ImportFrom):
                        self.relative.add(name)
            elif isinstance(stmt, ast.If):  # `if TYPE_CHECKING:`, version checks
                self._collect(stmt.body)
                self._collect(stmt.orelse)
            elif isinstance(stmt, ast.Try):  # `try: import x except ImportError: ...`
                for block in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse,
                              stmt.finalbody):
                    self._collect(block)
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                value = stmt.value
                dotted = None
                if (len(targets) == 1 and isinstance(value, (ast.Attribute, ast.Name))):
                    dotted = self.resolve(value)
                    dotted = dotted if dotted and "." in dotted else None
                for target in targets:
                    if isinstance(target, ast.Name) and (dotted or target.id in self._lines):
                        self._bind(target.id, dotted, stmt.lineno)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if stmt.name in self._lines:
                    self._bind(stmt.name, None, stmt.lineno)

    def resolve(self, expr: ast.AST) -> str | None:
        """'pytest.mark.asyncio' for `pt.mark.asyncio`; calls resolve to their callee."""
        if isinstance(expr, ast.Call):
            expr = expr.func
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return None
        head = self.names.get(expr.id, expr.id)
        return ".".join([head, *reversed(parts)])

    def imports_module(self, prefix: str) -> bool:
        return any(v == prefix or v.startswith(prefix + ".") for v in self.names.values())


def mark_name(dotted: str | None) -> str | None:
    """'skipif' for `pytest.mark.skipif`, a dotted name as an import table resolves it;
    None for anything else."""
    if dotted and dotted.startswith("pytest.mark.") and dotted.count(".") == 2:
        return dotted.rsplit(".", 1)[1]
    return None
