"""One file as the fixers see it: its libcst tree, where each node starts, each node's
parent, and the names its top-level imports bind.

flake8 reports a finding at the ast node's line and 0-based byte column (printed +1);
libcst counts columns in characters, so columns are converted through the line's text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import libcst as cst
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from ..imports import mark_name
from .edits import CannotFix, Import, Plan

N = TypeVar("N", bound=cst.CSTNode)


class Source:
    def __init__(self, data: bytes) -> None:
        self.wrapper = MetadataWrapper(cst.parse_module(data), unsafe_skip_copy=True)
        self.module = self.wrapper.module
        found = self.wrapper.resolve_many([PositionProvider, ParentNodeProvider])
        self.positions = found[PositionProvider]
        self.parents = found[ParentNodeProvider]
        self.lines = self.module.code.splitlines()
        self._starts: dict[tuple[int, int], list[cst.CSTNode]] | None = None
        self.modules: dict[str, str] = {}  # local name -> module (`import a.b as c`: c -> a.b)
        self.from_names: dict[str, str] = {}  # local name -> module.name
        self.names = {n.value for n in self.walk(cst.Name)  # every name used or bound
                      if not (isinstance(self.parents.get(n), cst.Attribute)
                              and self.parents[n].attr is n)}
        for stmt in self.module.body:
            for small in getattr(stmt, "body", ()) if isinstance(
                    stmt, cst.SimpleStatementLine) else ():
                self._bind(small)

    # -- where things are ---------------------------------------------------------------

    def walk(self, kind: type[N]) -> Iterator[N]:
        return (node for node in self.positions if isinstance(node, kind))  # type: ignore

    def column(self, line: int, col: int) -> int:
        """flake8's printed column (1-based, in UTF-8 bytes) as libcst's 0-based column."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(text.encode("utf-8")[:col - 1].decode("utf-8", "ignore"))

    def at(self, line: int, col: int, kind: type[N]) -> list[N]:
        """Nodes of `kind` that start where flake8 reported, outermost first."""
        if self._starts is None:
            self._starts = {}
            for node, where in self.positions.items():
                self._starts.setdefault((where.start.line, where.start.column), []).append(node)
        found = [node for node in self._starts.get((line, self.column(line, col)), [])
                 if isinstance(node, kind)]
        ends = {id(n): (self.positions[n].end.line, self.positions[n].end.column)
                for n in found}
        return sorted(found, key=lambda n: ends[id(n)], reverse=True)  # type: ignore

    def function(self, line: int, name: str) -> cst.FunctionDef:
        for node in self.walk(cst.FunctionDef):
            if node.name.value == name and self.positions[node].start.line == line:
                return node
        raise CannotFix(f"no function {name!r} on line {line}")

    def parent(self, node: cst.CSTNode) -> cst.CSTNode:
        return self.parents[node]

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        while node in self.parents:
            node = self.parents[node]
            yield node

    def statement(self, node: cst.CSTNode) -> tuple[Any, int]:
        """(body owner, index) of the statement line that holds `node`."""
        for above in [node, *self.ancestors(node)]:
            owner = self.parents.get(above)
            if isinstance(owner, (cst.Module, cst.IndentedBlock)):
                return owner, list(owner.body).index(above)
        raise CannotFix("no statement")

    # -- names ----------------------------------------------------------------------------

    def _bind(self, small: cst.BaseSmallStatement) -> None:
        if isinstance(small, cst.Import):
            for alias in small.names:
                dotted = self.code(alias.name)
                if alias.asname is not None:
                    self.modules[self.code(alias.asname.name)] = dotted
                else:
                    top = dotted.split(".")[0]
                    self.modules.setdefault(top, top)
                    if dotted != top:
                        self.modules.setdefault(dotted, dotted)
        elif isinstance(small, cst.ImportFrom) and not small.relative and small.module \
                and not isinstance(small.names, cst.ImportStar):
            module = self.code(small.module)
            for alias in small.names:
                local = self.code(alias.asname.name) if alias.asname else self.code(alias.name)
                self.from_names[local] = f"{module}.{self.code(alias.name)}"

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def dotted(self, expr: cst.BaseExpression) -> str | None:
        """What a name or attribute chain names, through the module's imports."""
        parts: list[str] = []
        while isinstance(expr, cst.Attribute):
            parts.append(expr.attr.value)
            expr = expr.value
        if not isinstance(expr, cst.Name):
            return None
        head = expr.value
        if head in self.from_names:
            base = self.from_names[head]
        elif head in self.modules:
            base = self.modules[head]
        else:
            return None
        return ".".join([base, *reversed(parts)])

    def mark_name(self, expr: cst.BaseExpression) -> str | None:
        """'asyncio' for `pytest.mark.asyncio` or `mark.asyncio(...)`, else the mark's name."""
        if isinstance(expr, cst.Call):
            expr = expr.func
        return mark_name(self.dotted(expr))

    def reference(self, plan: Plan, module: str, name: str) -> str:
        """Code that names `module.name` here, planning an `import module` if need be."""
        for local, target in self.from_names.items():
            if target == f"{module}.{name}":
                return local
        for local, target in [*self.modules.items(), *self.from_names.items()]:
            if target == module:
                return f"{local}.{name}"
        plan.add_import(Import(module))
        return f"{module}.{name}"
