"""The plugin's flake8 options, parsed once into a frozen Options object."""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from typing import Any

MODES = ("detect", "strict", "auto")

# Base classes (by top-level package and class name) that run async test methods
# themselves; a unittest.TestCase subclass with one of these is not AT101.
DEFAULT_ASYNC_BASES = (
    "unittest.IsolatedAsyncioTestCase",
    "django.test.SimpleTestCase",
    "asynctest.TestCase",
    "aiounittest.AsyncTestCase",
    "twisted.trial.unittest.TestCase",
    "tornado.testing.AsyncTestCase",
    "aiohttp.test_utils.AioHTTPTestCase",
)

_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


@dataclass(frozen=True)
class Options:
    mode: str = "detect"
    files: tuple[str, ...] = ()  # empty: from pytest's python_files
    runner_markers: tuple[str, ...] = ()
    async_bases: tuple[str, ...] = DEFAULT_ASYNC_BASES
    report_errors: bool = False
    explain: bool = False  # print why rules stayed silent
    cache_dir: str | None = None  # None: .async_tests_cache at each project's pytest rootdir
    use_cache: bool = True


class Flag(argparse.Action):
    """A store_true flag. Not spelt action="store_true": flake8 reads such options from a
    config file with configparser's getboolean, whose error for a bad value is a traceback.
    This way the text reaches parse(), which names the option."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        kwargs.pop("nargs", None)
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser: Any, namespace: Any, values: Any, option_string: Any = None):
        setattr(namespace, self.dest, True)


TRUE = ("1", "yes", "true", "on")
FALSE = ("0", "no", "false", "off")


def register(manager: Any) -> None:
    manager.add_option(
        "--async-tests-mode",
        default="detect",
        parse_from_config=True,
        help="How pytest-asyncio runs unmarked async tests: 'detect' reads asyncio_mode from "
        "the project's pytest configuration, 'strict' or 'auto' force it. "
        "(Default: %(default)s)",
    )
    manager.add_option(
        "--async-tests-files",
        default="",
        parse_from_config=True,
        comma_separated_list=True,
        help="Glob patterns of test modules to check (conftest.py is always checked). "
        "(Default: pytest's python_files, else test_*.py,*_test.py)",
    )
    manager.add_option(
        "--async-tests-runner-markers",
        default="",
        parse_from_config=True,
        comma_separated_list=True,
        help="Extra marks or decorators that run async tests, e.g. 'asyncio_cooperative' "
        "(pytest.mark.asyncio_cooperative) or 'tests.helpers.run_async'. (Default: none)",
    )
    manager.add_option(
        "--async-tests-async-bases",
        default="",
        parse_from_config=True,
        comma_separated_list=True,
        help="Extra unittest.TestCase subclasses that run async test methods themselves, "
        "as dotted names. (Default: none besides the built-in list)",
    )
    manager.add_option(
        "--async-tests-report-errors",
        default=False,
        action=Flag,
        parse_from_config=True,
        help="Report internal failures of this plugin as AT000 instead of only logging them. "
        "(Default: %(default)s)",
    )
    manager.add_option(
        "--async-tests-explain",
        default=False,
        action=Flag,
        parse_from_config=True,
        help="Print to stderr, for each place a rule considered and left silent, the reason "
        "(path:line:col: CODE silent: reason). (Default: %(default)s)",
    )
    manager.add_option(
        "--async-tests-cache-dir",
        default=None,
        parse_from_config=True,
        normalize_paths=True,
        help="Where to keep the index of what project modules define between runs. "
        "(Default: .async_tests_cache in the project's pytest rootdir)",
    )
    manager.add_option(
        "--async-tests-no-cache",
        default=False,
        action=Flag,
        parse_from_config=True,
        help="Read every module from source; neither read nor write the cache. "
        "(Default: %(default)s)",
    )


def _usage_error(option: str, problem: str) -> None:
    sys.stderr.write(f"{PROG}: error: argument {option}: {problem}\n")
    raise SystemExit(2)


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    return tuple(v.strip() for v in value if v and v.strip())


def parse(options: Any) -> Options:
    """Validate flake8's parsed options; an invalid value is a usage error naming the option."""
    mode = str(getattr(options, "async_tests_mode", "detect") or "detect").strip().lower()
    if mode not in MODES:
        _usage_error(
            "--async-tests-mode",
            f"invalid choice: {mode!r} (choose from {', '.join(map(repr, MODES))})",
        )
    files = _names(getattr(options, "async_tests_files", ()))
    for pattern in files:
        if "\x00" in pattern:
            _usage_error("--async-tests-files", f"invalid pattern: {pattern!r}")
    markers = _names(getattr(options, "async_tests_runner_markers", ()))
    for name in markers:
        if not _DOTTED.match(name):
            _usage_error(
                "--async-tests-runner-markers",
                f"invalid name: {name!r} (expected a mark name or a dotted decorator name)",
            )
    bases = _names(getattr(options, "async_tests_async_bases", ()))
    for name in bases:
        if not _DOTTED.match(name) or "." not in name:
            _usage_error(
                "--async-tests-async-bases",
                f"invalid name: {name!r} (expected a dotted class name such as pkg.mod.Class)",
            )
    return Options(
        mode=mode,
        files=files,
        runner_markers=markers,
        async_bases=DEFAULT_ASYNC_BASES + bases,
        report_errors=_flag(options, "report_errors"),
        explain=_flag(options, "explain"),
        cache_dir=str(getattr(options, "async_tests_cache_dir", None) or "") or None,
        use_cache=not _flag(options, "no_cache"),
    )


def _flag(options: Any, name: str) -> bool:
    value = getattr(options, f"async_tests_{name}", False)
    if isinstance(value, str):  # from a config file
        if value.strip().lower() not in TRUE + FALSE:
            _usage_error(f"--async-tests-{name.replace('_', '-')}",
                         f"invalid boolean value: {value!r} (use true or false)")
        value = value.strip().lower() in TRUE
    return bool(value)


# The fixing options belong to the standalone command alone (plain `flake8 --fix` stays an
# unknown option): cli.main sets this while its application registers options, and the
# program's name that usage errors give.
FIXING = False
PROG = "flake8"


def register_fixing(manager: Any) -> None:
    manager.add_option(
        "--fix", default=False, action="store_true",
        help="Apply the safe fixes of the findings reported, rewriting the files; print what "
        "remains. (Default: %(default)s)")
    manager.add_option(
        "--diff", default=False, action="store_true",
        help="Print the fixes as unified diffs instead of writing them. (Default: %(default)s)")
    manager.add_option(
        "--unsafe-fixes", default=False, action="store_true",
        help="With --fix or --diff, apply the unsafe fixes too (they change what a test "
        "checks: review them). (Default: %(default)s)")
