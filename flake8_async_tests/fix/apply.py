"""The engine: fix one file from the findings flake8 reported for it.

The file is read as bytes and written back through libcst, which keeps its encoding, BOM
and newlines. Every fix of the file is planned on the original tree and applied in one
pass; the result must compile, else the file stays as it was, byte for byte. Writing goes
through a temporary file in the same folder and os.replace, so a reader never sees half a
file. A fixed file has no finding left that a fix handles, so fixing again changes nothing.
"""

from __future__ import annotations

import difflib
import logging
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..rules import BY_CODE
from . import Reported, fixable
from .coroutines import FIXERS as COROUTINES
from .edits import Apply, CannotFix, Plan
from .imports import add_imports
from .markers import FIXERS as MARKERS
from .mocks import FIXERS as MOCKS
from .source import Source

LOG = logging.getLogger("flake8.async_tests")
Fixer = Callable[[Source, Plan, int, int, str, dict], None]
FIXERS: dict[str, Fixer] = {**MARKERS, **COROUTINES, **MOCKS}


@dataclass
class Outcome:
    path: str
    before: bytes
    after: bytes  # == before when nothing changed
    fixed: list[Reported] = field(default_factory=list)
    unsafe_left: int = 0  # findings an unsafe fix would handle, with unsafe fixes off
    error: str | None = None  # why the file was left as it was
    encoding: str = "utf-8"

    @property
    def changed(self) -> bool:
        return self.after != self.before

    def diff(self) -> str:
        old = self.before.decode(self.encoding).splitlines(keepends=True)
        new = self.after.decode(self.encoding).splitlines(keepends=True)
        lines = difflib.unified_diff(old, new, self.path, self.path)
        return "".join(line if line.endswith(("\n", "\r")) else line + "\n"
                       for line in lines)


def _plan(source: Source, plan: Plan, finding: Reported) -> bool:
    """Plan the fix of one finding; False when there is none here."""
    parsed = BY_CODE[finding.code].parse(finding.text) if finding.code in BY_CODE else None
    fixer = FIXERS.get(finding.code)
    if parsed is None or fixer is None:
        return False
    try:
        fixer(source, plan, finding.line, finding.col, parsed[0], parsed[1])
    except CannotFix as why:
        LOG.info("flake8-async-tests: no fix for %s:%d: %s: %s", finding.path, finding.line,
                 finding.code, why)
        return False
    return True


def fix_text(path: str, data: bytes, findings: Iterable[Reported], unsafe: bool) -> Outcome:
    outcome = Outcome(path, data, data)
    findings = sorted(findings, key=lambda f: (f.line, f.col, f.code, f.text))
    if not any(fixable(f, True) for f in findings):
        return outcome
    try:
        source = Source(data)
    except Exception as exc:  # a file libcst cannot read: left alone
        outcome.error = f"cannot parse: {type(exc).__name__}"
        return outcome
    outcome.encoding = source.module.encoding
    plan, fixed = Plan(), []
    try:
        for finding in findings:
            if fixable(finding, unsafe):
                if _plan(source, plan, finding):
                    fixed.append(finding)
            elif fixable(finding, True) and _plan(source, Plan(), finding):
                outcome.unsafe_left += 1
        if not fixed:
            return outcome
        module = source.module.visit(Apply(plan, lambda m: add_imports(m, plan.imports)))
        after = module.bytes
        compile(after, path, "exec", dont_inherit=True)
    except (Exception, RecursionError) as exc:  # the whole file, or nothing
        outcome.error = f"{type(exc).__name__}: {exc}"[:200]
        outcome.unsafe_left = 0
        LOG.info("flake8-async-tests: left %s as it was: %s", path, outcome.error)
        return outcome
    outcome.after, outcome.fixed = after, fixed
    return outcome


def fix_file(path: str, findings: Iterable[Reported], unsafe: bool) -> Outcome:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return Outcome(path, b"", b"", error=f"cannot read: {exc.strerror}")
    return fix_text(path, data, findings, unsafe)


def write_atomic(path: str, data: bytes) -> None:
    """Replace the file's bytes at once, keeping its permissions (through a symlink: the
    file it points to)."""
    target = os.path.realpath(path)
    folder, name = os.path.split(target)
    mode = stat.S_IMODE(os.stat(target).st_mode)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".fix", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
