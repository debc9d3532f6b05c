"""Automatic fixes (`flake8-async-tests --fix`), written with libcst so that formatting and
comments stay as they are.

FIXES says which findings have a fix, whether it is safe (the code keeps its meaning, or
only starts doing what it plainly meant) or unsafe (a person should look: the test may
start failing, which is the point), and what it does. The rule pages' Fix sections agree
with it (tests/test_docs.py). The fixers live in one module per rule family; `apply` is the
engine (it alone imports libcst) and `command` runs it from the standalone command.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..rules import BY_CODE

SAFE, UNSAFE = "safe", "unsafe"


@dataclass(frozen=True)
class Fix:
    safety: str  # SAFE or UNSAFE
    variants: tuple[str, ...] | None  # the variants it fixes; None: all of them
    does: str  # one sentence for the docs

    def covers(self, variant: str) -> bool:
        return self.variants is None or variant in self.variants


FIXES: dict[str, Fix] = {
    # (not AT100.no-plugin: with no async plugin, a mark alone runs nothing)
    "AT100": Fix(SAFE, ("asyncio", "module-marker", "declared-plugin"),
                 "adds the mark the message names to the test "
                 "(`@pytest.mark.asyncio`, or the `anyio` or `trio` mark it names), and "
                 "`import pytest` when the module has no way to name it."),
    "AT102": Fix(SAFE, None, "removes the asyncio mark from the sync test; a class's or the "
                 "module's mark only when no other test there loses it."),
    "AT103": Fix(SAFE, None, "removes the mark from the fixture."),
    "AT104": Fix(SAFE, None, "replaces the fixture decorator with `@pytest_asyncio.fixture`, "
                 "keeping its arguments, with `loop_scope=` equal to a wider `scope=` (and "
                 "adds `import pytest_asyncio` when missing)."),
    "AT105": Fix(UNSAFE, ("unittest-rename",), "renames the async `setUp`/`tearDown` of an "
                 "`IsolatedAsyncioTestCase` to `asyncSetUp`/`asyncTearDown`, so it runs."),
    "AT106": Fix(SAFE, ("mark-scope",), "renames the mark's `scope=` argument to "
                 "`loop_scope=`."),
    "AT200": Fix(UNSAFE, None, "adds `await` before the call, inside async functions only."),
    "AT303": Fix(SAFE, None, "takes the name from `unittest.mock` instead of `pytest` (and "
                 "imports it)."),
    "AT305": Fix(UNSAFE, None, "turns the call into the real assertion (`assert_` in front, "
                 "or the missing call parentheses) and drops an `assert` around it."),
}


def fix_for(code: str, variant: str) -> Fix | None:
    fix = FIXES.get(code)
    return fix if fix is not None and fix.covers(variant) else None


@dataclass(frozen=True)
class Reported:
    """A finding as flake8 reported it (column as printed: 1-based)."""

    path: str
    line: int
    col: int
    code: str
    text: str


def fixable(finding: Reported, unsafe: bool) -> bool:
    """Has the finding's code and variant a fix (a safe one unless `unsafe`)?"""
    rule = BY_CODE.get(finding.code)
    parsed = rule.parse(finding.text) if rule is not None else None
    fix = fix_for(finding.code, parsed[0]) if parsed else None
    return fix is not None and (unsafe or fix.safety != UNSAFE)
