"""`--fix` and `--diff` in the standalone command.

The findings fixed are the ones flake8 reports (after `# noqa`, per-file-ignores and the
selection), taken from its style guide as they reach the formatter. After writing, the
changed files are checked again, so what is printed and counted as remaining is what a new
run would report; the other files' findings are printed as found.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Sequence
from typing import Any

from flake8.violation import Violation

from .. import caches
from . import Reported, fixable

STDIN = "-"


def _collect(app: Any) -> list[Violation]:
    """The findings flake8 reports, kept instead of printed."""
    found: list[Violation] = []
    app.formatter.handle = found.append  # the style guide hands each reported one here
    try:
        app.file_checker_manager.report()
    finally:
        del app.formatter.handle
    return found


def _recheck(app: Any, argv: Sequence[str], paths: list[str]) -> list[Violation]:
    again = type(app)()
    again.plugins, again.options = app.plugins, copy.copy(app.options)
    again.options.filenames = paths
    again.make_formatter()
    again.make_guide()
    again.make_file_checker_manager(argv)
    caches.new_run()  # the written files are read afresh
    again.run_checks()
    return _collect(again)


def _plural(count: int, word: str = "error", words: str = "") -> str:
    return f"{count} {word if count == 1 else words or word + 's'}"


def _report(app: Any, violations: list[Violation]) -> None:
    """What app.report() does, for these findings."""
    app.guide.stats._store.clear()
    app.formatter.start()
    for violation in sorted(violations, key=lambda v: (v.filename, v.line_number,
                                                       v.column_number, v.code)):
        app.formatter.handle(violation)
        app.guide.stats.record(violation)
    app.result_count = app.total_result_count = len(violations)
    app.report_statistics()
    app.report_benchmarks()
    app.formatter.stop()


def run(app: Any, argv: Sequence[str]) -> None:
    """The rest of a run whose options are parsed: check, fix, report."""
    options = app.options
    app.run_checks()
    found = _collect(app)
    unsafe = options.unsafe_fixes
    by_file: dict[str, list[Reported]] = {}
    for v in found:
        if v.filename != STDIN and v.filename != options.stdin_display_name:
            by_file.setdefault(v.filename, []).append(
                Reported(v.filename, v.line_number, v.column_number, v.code, v.text))
    outcomes: list[Any] = []
    for path, reported in by_file.items():
        if any(fixable(f, True) for f in reported):
            from .apply import fix_file  # libcst, only for files with something to fix

            outcomes.append(fix_file(path, reported, unsafe))
    for outcome in outcomes:
        if outcome.error is not None:
            sys.stderr.write(f"flake8-async-tests: {outcome.path} left as it was, "
                             f"not fixed ({outcome.error})\n")
    fixed = sum(len(o.fixed) for o in outcomes if o.changed)
    hidden = sum(o.unsafe_left for o in outcomes)
    hint = (f" ({_plural(hidden, 'more fix', 'more fixes')} available with `--unsafe-fixes`)"
            if hidden else "")
    if options.diff:
        for outcome in outcomes:
            if outcome.changed:
                sys.stdout.write(outcome.diff())
        left = len(found) - fixed
        app.result_count = app.total_result_count = len(found)
        sys.stderr.write(f"Would fix {_plural(fixed)} ({left} remaining){hint}.\n"
                         if found else "")
        return
    changed = [o.path for o in outcomes if o.changed]
    for outcome in outcomes:
        if outcome.changed:
            from .apply import write_atomic

            write_atomic(outcome.path, outcome.after)
    remaining = [v for v in found if v.filename not in changed]
    if changed:
        remaining += _recheck(app, argv, changed)
    _report(app, remaining)
    if fixed or remaining:
        sys.stderr.write(f"Found {_plural(fixed + len(remaining))} ({fixed} fixed, "
                         f"{len(remaining)} remaining){hint}.\n")
