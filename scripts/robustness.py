"""Run the plugin over the whole standard library (with its test suite) and any other trees.

    python scripts/robustness.py [DIR ...] [--no-stdlib] [--jobs N] [--top N] [--cli]

Every .py file is checked as a test module (--async-tests-files=*.py) with
--async-tests-report-errors, through flake8's own FileChecker, one file at a time, in
--jobs worker processes. Prints the files checked, the time taken, AT000 reports,
exceptions that would reach flake8 (tracebacks), and the slowest files by the plugin's own
CPU time (what it logs under flake8 -v).
--cli then runs the real flake8 command over the same trees and checks its exit status
and stderr. Exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import statistics
import subprocess
import sys
import sysconfig
import time
import traceback

SKIP_DIRS = {"site-packages", "dist-packages", "__pycache__", ".git", ".tox", ".venv", "venv",
             "node_modules"}
FLAKE8_ARGS = ["--isolated", "--select=AT", "--async-tests-files=*.py", "--async-tests-no-cache",
               "--async-tests-report-errors"]


def python_files(root: str) -> list[str]:
    if os.path.isfile(root):
        return [root]
    found = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        found.extend(os.path.join(directory, f) for f in sorted(files) if f.endswith(".py"))
    return found


_plugins = None
_options = None
_plugin_seconds: list[float] = []
_notes: list[str] = []


class _Log(logging.Handler):
    """Keeps what the plugin logs at INFO level: its own time per file, whether the
    inference budget ran out, the file was skipped as too large, or astroid's cache was
    cleared before it."""

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if text.startswith("flake8-async-tests: checked "):
            _plugin_seconds.append(float(record.args[-1]))
        elif "budget used up" in text:
            _notes.append(f"budget ({record.args[0]})")
        elif text.startswith("flake8-async-tests: skipped "):
            _notes.append("too large")
        elif "clearing astroid's cache" in text:
            _notes.append("astroid cache cleared (another project)")


def _init() -> None:
    global _plugins, _options
    from flake8.options.parse_args import parse_args
    from flake8.plugins.finder import Checkers

    from flake8_async_tests import inference

    plugins, _options = parse_args(FLAKE8_ARGS)
    ours = [p for p in plugins.checkers.tree if p.entry_name == "AT"]
    _plugins = Checkers(tree=ours, logical_line=[], physical_line=[])
    inference.warm_up()  # once per process, as in a flake8 run
    logger = logging.getLogger("flake8.async_tests")
    logger.setLevel(logging.INFO)
    logger.addHandler(_Log())


def check(path: str) -> tuple[str, float, list[str], str | None, list[str]]:
    """(path, plugin CPU seconds, codes reported, traceback text or None, notes)."""
    from flake8.checker import FileChecker

    _plugin_seconds.clear()
    _notes.clear()
    try:
        checker = FileChecker(filename=path, plugins=_plugins, options=_options)
        _, results, _ = checker.run_checks()
        codes = [r[0] for r in results]
        error = None
    except Exception:  # what flake8 would show as a traceback
        codes = []
        error = traceback.format_exc()
    return path, sum(_plugin_seconds), codes, error, list(_notes)


def run_cli(roots: list[str], jobs: int) -> list[str]:
    problems = []
    for root in roots:
        cmd = [sys.executable, "-m", "flake8", *FLAKE8_ARGS, f"-j{jobs}",
               "--exclude=" + ",".join(sorted(SKIP_DIRS)), root]
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        at000 = sum(" AT000 " in line for line in proc.stdout.splitlines())
        print(f"flake8 CLI on {root}: exit {proc.returncode}, "
              f"{len(proc.stdout.splitlines())} findings, {at000} AT000, "
              f"{len(proc.stderr.splitlines())} stderr lines, "
              f"{time.perf_counter() - start:.0f} s")
        if proc.returncode not in (0, 1) or "Traceback" in proc.stderr or at000:
            problems.append(f"flake8 CLI failed on {root}:\n{proc.stderr[-3000:]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dirs", nargs="*", help="more trees or files to check (e.g. projects' "
                        "test suites)")
    parser.add_argument("--no-stdlib", action="store_true", help="skip the standard library")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--top", type=int, default=15, help="how many slowest files to list")
    parser.add_argument("--cli", action="store_true", help="also run the flake8 command")
    args = parser.parse_args(argv)

    roots = [] if args.no_stdlib else [sysconfig.get_paths()["stdlib"]]
    roots += [os.path.abspath(d) for d in args.dirs]
    files = [f for root in roots for f in python_files(root)]
    print(f"{len(files)} files under {', '.join(roots)}; {args.jobs} processes", flush=True)

    start = time.perf_counter()
    timings: list[tuple[float, str]] = []
    at000: list[str] = []
    tracebacks: list[tuple[str, str]] = []
    findings = 0
    notes: dict[str, list[str]] = {}
    with multiprocessing.Pool(args.jobs, _init) as pool:
        for done, (path, seconds, codes, error, file_notes) in enumerate(
                pool.imap_unordered(check, files, chunksize=4), 1):
            timings.append((seconds, path))
            for note in file_notes:
                notes.setdefault(note, []).append(path)
            findings += sum(c.startswith("AT") and c != "AT000" for c in codes)
            if "AT000" in codes:
                at000.append(path)
            if error:
                tracebacks.append((path, error))
            if done % 500 == 0:
                print(f"  {done} files, {time.perf_counter() - start:.0f} s", flush=True)
    wall = time.perf_counter() - start

    timings.sort(reverse=True)
    checked = [t for t, _ in timings if t > 0]
    print(f"files checked: {len(files)}")
    print(f"wall time: {wall:.0f} s; plugin CPU time: {sum(t for t, _ in timings):.0f} s "
          f"(median per checked file {statistics.median(checked) if checked else 0:.2f} s)")
    print(f"findings (AT100-AT305): {findings}")
    print(f"AT000 (internal errors): {len(at000)}")
    for path in at000:
        print(f"  {path}")
    for note, paths in sorted(notes.items()):
        print(f"{note}: {len(paths)} files")
        for path in sorted(paths)[:args.top]:
            print(f"  {path}")
    print(f"tracebacks: {len(tracebacks)}")
    for path, error in tracebacks:
        print(f"  {path}\n{error}")
    print("slowest files (plugin CPU seconds):")
    for seconds, path in timings[:args.top]:
        print(f"  {seconds:7.2f}  {path}")

    problems = run_cli(roots, args.jobs) if args.cli else []
    for problem in problems:
        print(problem)
    return 1 if at000 or tracebacks or problems else 0


if __name__ == "__main__":
    sys.exit(main())
