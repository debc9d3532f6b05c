"""A file's planned edits, made on the original libcst tree and applied in one pass.

Fixers never rewrite the tree themselves: they ask for a node to be replaced (a function of
the node as the pass has rebuilt it so far), for decorators or statements to be removed or
added, and for imports. Removing an item keeps its comments (they move onto the next item).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst


class CannotFix(Exception):
    """This finding has no safe edit here; it stays reported."""


@dataclass(frozen=True)
class Import:
    module: str
    name: str | None = None  # None: `import module`
    alias: str | None = None


@dataclass
class Plan:
    replace: dict[int, list[Callable[[Any], Any]]] = field(default_factory=dict)
    drop_decorators: dict[int, set[int]] = field(default_factory=dict)
    add_decorators: dict[int, list[str]] = field(default_factory=dict)
    drop_statements: dict[int, set[int]] = field(default_factory=dict)
    imports: list[Import] = field(default_factory=list)
    notes: dict[object, Any] = field(default_factory=dict)  # fixers' shared bookkeeping

    def replace_node(self, node: cst.CSTNode, change: Callable[[Any], Any],
                     tag: str = "") -> None:
        """Replace `node` by change(node as rebuilt); once per (node, tag) when tagged."""
        if tag:
            if (id(node), tag) in self.notes:
                return
            self.notes[id(node), tag] = True
        self.replace.setdefault(id(node), []).append(change)

    def drop_decorator(self, owner: cst.FunctionDef | cst.ClassDef, index: int) -> None:
        self.drop_decorators.setdefault(id(owner), set()).add(index)

    def add_decorator(self, owner: cst.FunctionDef, code: str) -> None:
        wanted = self.add_decorators.setdefault(id(owner), [])
        if code not in wanted:
            wanted.append(code)

    def drop_statement(self, block: cst.Module | cst.IndentedBlock, index: int) -> None:
        line = block.body[index]
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            raise CannotFix("the statement shares its line")
        self.drop_statements.setdefault(id(block), set()).add(index)

    def add_import(self, wanted: Import) -> None:
        if wanted not in self.imports:
            self.imports.append(wanted)

    @property
    def empty(self) -> bool:
        return not (self.replace or self.drop_decorators or self.add_decorators
                    or self.drop_statements or self.imports)


def _comment_lines(item: Any) -> list[cst.EmptyLine]:
    """The comments an item carries, above it and at the end of its line."""
    lines = [line for line in item.leading_lines if line.comment is not None]
    trailing = getattr(item, "trailing_whitespace", None)
    if trailing is not None and trailing.comment is not None:
        lines.append(cst.EmptyLine(comment=trailing.comment))
    return lines


def without(items: Sequence[Any], drop: set[int]) -> tuple[list[Any], list[cst.EmptyLine]]:
    """`items` less the indexes in `drop`; their comments move onto the next item kept.
    Returns the items and the comments left over after the last one."""
    kept: list[Any] = []
    carry: list[cst.EmptyLine] = []
    for index, item in enumerate(items):
        if index in drop:
            carry.extend(_comment_lines(item))
            continue
        if carry:
            item = item.with_changes(leading_lines=[*carry, *item.leading_lines])
            carry = []
        kept.append(item)
    return kept, carry


class Apply(cst.CSTTransformer):
    def __init__(self, plan: Plan, finish: Callable[[cst.Module], cst.Module]) -> None:
        super().__init__()
        self.plan = plan
        self.finish = finish  # adds the imports

    def on_leave(self, original: Any, updated: Any) -> Any:
        key, plan = id(original), self.plan
        if isinstance(updated, (cst.FunctionDef, cst.ClassDef)) and (
                key in plan.drop_decorators or key in plan.add_decorators):
            updated = self._decorators(updated, plan.drop_decorators.get(key, set()),
                                       plan.add_decorators.get(key, []))
        if isinstance(updated, (cst.Module, cst.IndentedBlock)) and key in plan.drop_statements:
            body, carry = without(updated.body, plan.drop_statements[key])
            if not body:
                raise CannotFix("the block would be empty")
            updated = updated.with_changes(body=body)
            if carry:
                updated = updated.with_changes(footer=[*carry, *updated.footer])
        for change in plan.replace.get(key, ()):
            updated = change(updated)
        if isinstance(updated, cst.Module) and isinstance(original, cst.Module):
            updated = self.finish(updated)
        return updated

    @staticmethod
    def _decorators(node: Any, drop: set[int], add: list[str]) -> Any:
        decorators, carry = without(node.decorators, drop)
        decorators += [cst.Decorator(decorator=cst.parse_expression(code)) for code in add]
        changes: dict[str, Any] = {"decorators": decorators}
        if carry:
            if decorators:
                changes["lines_after_decorators"] = [*carry, *node.lines_after_decorators]
            else:
                changes["leading_lines"] = [*node.leading_lines, *carry]
        return node.with_changes(**changes)
