"""Rule families: one module each, one class each, listed in FAMILIES."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from ..context import FileContext


class Finding(NamedTuple):
    line: int
    col: int
    code: str
    fields: dict[str, object]


class Family:
    """A group of rules that share their cheap filter and their analysis."""

    name = ""
    codes: tuple[str, ...] = ()

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx

    def wants(self) -> bool:
        """Cheap syntactic test: can this file have anything for these rules?"""
        return True

    def check(self) -> Iterator[Finding]:
        raise NotImplementedError


def families() -> tuple[type[Family], ...]:
    from .coroutines import CoroutineRules
    from .markers import MarkerRules
    from .mocks import MockRules

    return (MarkerRules, CoroutineRules, MockRules)
