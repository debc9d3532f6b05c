"""Rule families: one module each, one class each, listed in families().

Which codes a family reports is said once, by `Rule.family` in rules.py.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import NamedTuple

from ..context import FileContext


class Finding(NamedTuple):
    line: int
    col: int
    code: str
    variant: str  # rules.ONLY for a code with one message
    fields: dict[str, object]


class Family:
    """A group of rules that share their cheap filter and their analysis."""

    name = ""  # the module's name, as rules.Rule.family gives it

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx

    def wants(self) -> bool:
        """Cheap syntactic test: can this file have anything for these rules?"""
        return True

    def check(self) -> Iterator[Finding]:
        raise NotImplementedError


class ScopeFamily(Family):
    """A family that walks every scope of the file (AT2xx): nothing to report without a
    call, and the file's scopes and AsyncMocks are shared with the other such family."""

    def wants(self) -> bool:
        return bool(self.ctx.syntax.of_type(ast.Call))

    def start(self) -> None:
        self.scopes = self.ctx.scopes
        self.async_mocks = self.ctx.async_mocks
        self.findings: list[Finding] = []


def families() -> tuple[type[Family], ...]:
    from .awaits import AwaitRules
    from .loops import LoopRules
    from .markers import MarkerRules
    from .mocks import MockRules
    from .sleeps import SleepRules

    return (MarkerRules, AwaitRules, LoopRules, SleepRules, MockRules)
