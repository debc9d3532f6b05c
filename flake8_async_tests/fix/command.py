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
PASSES = 10  # a fix may bring out another (a mark removed from a fixture shows AT104)


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


def _fix(found: list[Violation], options: Any) -> dict[str, Any]:
    """path -> the outcome of fixing it, for each file with a fixable finding."""
    by_file: dict[str, list[Reported]] = {}
    for v in found:
        if v.filename != STDIN and v.filename != options.stdin_display_name:
            by_file.setdefault(v.filename, []).append(
                Reported(v.filename, v.line_number, v.column_number, v.code, v.text))
    outcomes: dict[str, Any] = {}
    for path, reported in by_file.items():
        if any(fixable(f, True) for f in reported):
            from .apply import fix_file  # libcst, only for files with something to fix

            outcome = outcomes[path] = fix_file(path, reported, options.unsafe_fixes)
            if outcome.error is not None:
                sys.stderr.write(f"flake8-async-tests: {path} left as it was, not fixed "
                                 f"({outcome.error})\n")
    return outcomes


def _hint(hidden: int) -> str:
    return (f" ({_plural(hidden, 'more fix', 'more fixes')} available with `--unsafe-fixes`)"
            if hidden else "")


def run(app: Any, argv: Sequence[str]) -> None:
    """The rest of a run whose options are parsed: check, fix, report."""
    options = app.options
    app.run_checks()
    found = _collect(app)
    outcomes = _fix(found, options)
    hidden = {path: o.unsafe_left for path, o in outcomes.items()}
    fixed = sum(len(o.fixed) for o in outcomes.values() if o.changed)
    if options.diff:  # one pass: what --fix would write first
        for outcome in outcomes.values():
            if outcome.changed:
                sys.stdout.write(outcome.diff())
        app.result_count = app.total_result_count = len(found)
        if found:
            sys.stderr.write(f"Would fix {_plural(fixed)} ({len(found) - fixed} remaining)"
                             f"{_hint(sum(hidden.values()))}.\n")
        return
    fixed = 0
    for _ in range(PASSES):  # a fix may bring out another finding that has one
        changed = [path for path, o in outcomes.items() if o.changed]
        if not changed:
            break
        from .apply import write_atomic

        for path in list(changed):
            try:
                write_atomic(path, outcomes[path].after)
            except OSError as exc:  # its findings stay as found
                sys.stderr.write(f"flake8-async-tests: {path} left as it was, cannot write "
                                 f"({exc.strerror})\n")
                changed.remove(path)
                continue
            fixed += len(outcomes[path].fixed)
        if not changed:
            break
        again = _recheck(app, argv, changed)
        found = [v for v in found if v.filename not in changed] + again
        outcomes = _fix(again, options)
        hidden.update({path: 0 for path in changed})
        hidden.update({path: o.unsafe_left for path, o in outcomes.items()})
    _report(app, found)
    if fixed or found:
        sys.stderr.write(f"Found {_plural(fixed + len(found))} ({fixed} fixed, "
                         f"{len(found)} remaining){_hint(sum(hidden.values()))}.\n")
