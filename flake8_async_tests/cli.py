"""`flake8-async-tests` (and `python -m flake8_async_tests`): flake8 with this plugin only.

It is flake8's own application, so options, config files (`[flake8]`), `# noqa`,
`per-file-ignores`, `-j`, `--format` and exit codes behave as with `flake8 --select AT`; only
the checkers differ: pycodestyle, pyflakes, mccabe and every other plugin are left out, so a
run pays for parsing and this plugin alone. flake8's own E902 (unreadable file) and E999
(syntax error) still report. `--format=github` prints GitHub Actions annotations and
`--format=sarif` a SARIF 2.1.0 document (the `async-tests-sarif` formatter, which plain
flake8 has too).

`--fix` applies the safe fixes of the findings it reports (`--unsafe-fixes` the others too)
and `--diff` shows them (flake8_async_tests/fix/); plain flake8 has no such options.

`flake8-async-tests rule AT100` prints a rule's page (shipped in the package), and
`flake8-async-tests rule` lists every code, in the manner of `ruff rule`.

Only this package's plugins and report formatters are imported: pyflakes, pycodestyle and
other checkers are not (nor are their options registered), unless the command line holds an
option this command does not know, which may be theirs: then every plugin is loaded, as
flake8 loads them, and the run goes on (or argparse refuses the option, as in flake8).

Parallel runs (`-j`) keep the selection where worker processes are forked (Linux); where
they are spawned, each worker would load every plugin again, so the run is made serial.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import multiprocessing
import os
import sys
import tokenize
from collections.abc import Iterator, Sequence
from typing import Any
from importlib import resources
from pathlib import Path

from flake8 import checker
from flake8.main.application import Application
from flake8.options.manager import OptionManager
from flake8.plugins import finder
from flake8.processor import FileProcessor

from . import collector, options

PACKAGE = "flake8-async-tests"
GITHUB = "::error file=%(path)s,line=%(row)d,col=%(col)d,title=%(code)s::%(code)s %(text)s"


class TreeChecker(checker.FileChecker):
    """flake8's checker of one file, which walks every token to feed line-based checks.
    This command runs none, so it skips that walk; `--benchmark`, which counts tokens and
    logical lines, keeps it."""

    _deferred_from: int | None = None  # while the tree checks run: where their results start

    def process_tokens(self) -> None:
        if self.plugins.logical_line or self.plugins.physical_line or self.options.benchmark:
            super().process_tokens()

    def run_ast_checks(self) -> None:
        """The tree checks, whose lines for `# noqa` are found once they are all in: from
        the tokens up to the last line reported (flake8 reads the whole file's)."""
        start = self._deferred_from = len(self.results)
        try:
            super().run_ast_checks()
        finally:
            self._deferred_from = None
            found = self.results[start:]
            if found and self.processor is not None:
                _tokens_through(self.processor, max(line for _, line, *_ in found))
                self.results[start:] = [
                    (code, line, col, text, self.processor.noqa_line_for(line))
                    for code, line, col, text, _ in found]

    def report(self, error_code: str | None, line_number: int, column: int,
               text: str) -> str:
        if self._deferred_from is None:
            return super().report(error_code, line_number, column, text)
        if error_code is None:
            error_code, text = text.split(" ", 1)
        self.results.append((error_code, line_number, column, text, None))
        return error_code


def _tokens_through(processor: FileProcessor, last: int) -> None:
    """Hand flake8's map of the lines for `# noqa` (which joins the lines of a token or a
    continued line) the file's tokens up to the end of the line range holding line `last`:
    the lines up to there map as from the whole file's tokens. Where tokenizing fails
    before that, flake8 reads every token itself (and finds no map, as it would)."""
    if "file_tokens" in processor.__dict__ or "_noqa_line_mapping" in processor.__dict__:
        return
    lines = iter(processor.lines)
    found: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(lambda: next(lines)):
            found.append(token)
            if token.type in (tokenize.NL, tokenize.NEWLINE) and token.end[0] >= last:
                break
    except (tokenize.TokenError, SyntaxError):
        return
    processor.__dict__["file_tokens"] = found


class OnlyThisPlugin(Application):
    def make_file_checker_manager(self, argv: Sequence[str]) -> None:
        assert self.plugins is not None
        checkers = self.plugins.checkers
        ours = [p for p in checkers.tree if p.plugin.package == PACKAGE]
        self.plugins = self.plugins._replace(checkers=finder.Checkers(ours, [], []))
        collector.only_checker()  # (its workers need not collect cycles: collector.py)
        super().make_file_checker_manager(argv)
        manager = self.file_checker_manager
        assert manager is not None
        if multiprocessing.get_start_method(allow_none=False) != "fork":
            manager.jobs = 1  # spawned workers would load every plugin
        start = manager.start

        def start_largest_first() -> None:
            """Hand the largest files to the workers first, so that no worker is left with
            a large one at the end (flake8 reports in file order whatever the order run)."""
            start()
            manager.filenames = tuple(sorted(manager.filenames, key=_size, reverse=True))

        manager.start = start_largest_first  # type: ignore[method-assign]

    def _run(self, argv: Sequence[str]) -> None:
        try:
            handlers = list(FLAKE8_LOG.handlers)
            try:
                with _loading_ours_only():
                    self.initialize(argv)
            except _OthersOption:
                for handler in set(FLAKE8_LOG.handlers) - set(handlers):
                    handler.close()  # (-v configured them once already)
                FLAKE8_LOG.handlers[:] = handlers
                self.initialize(argv)
        except ValueError as exc:  # flake8 rejects a value in a config file with a traceback
            sys.stderr.write(f"flake8-async-tests: error: {exc}\n")
            raise SystemExit(2) from None
        assert self.options is not None
        if self.options.fix or self.options.diff:
            from .fix import command  # libcst is imported only to fix

            command.run(self, argv)
        else:
            self.run_checks()
            self.report()


FLAKE8_LOG = logging.getLogger("flake8")


class _OthersOption(Exception):
    """The command line holds an option that this command's plugins do not register."""


def _ours(plugin: finder.Plugin) -> bool:
    return plugin.package == PACKAGE or plugin.entry_point.group == "flake8.report"


@contextlib.contextmanager
def _loading_ours_only() -> Iterator[None]:
    """flake8 imports only this package's plugins and the report formatters. Where the
    command line then holds an option that is not exactly one of those registered (one
    argparse would leave over, or take as an abbreviation, which fewer options make less
    ambiguous), or anything argparse leaves over, _OthersOption is raised instead of an
    error. The codes of the checkers left out stay selected by default, as when flake8
    loads them (so that flake8's own E902 and E999 report as with `flake8 --select AT`)."""
    load, register = finder.load_plugins, OptionManager.register_plugins
    parse = OptionManager.parse_args
    left_out: list[str] = []

    def load_ours(plugins: list[finder.Plugin], opts: finder.PluginOptions) -> finder.Plugins:
        left_out.extend(p.entry_point.name for p in plugins
                        if not _ours(p) and p.entry_point.group == "flake8.extension")
        return load([p for p in plugins if _ours(p)], opts)

    def register_selecting_left_out(self: OptionManager, plugins: finder.Plugins) -> None:
        register(self, plugins)
        self.extend_default_select(left_out)

    def parse_knowing_all(self: OptionManager, args: Sequence[str] | None = None,
                          values: argparse.Namespace | None = None) -> argparse.Namespace:
        if values:
            self.parser.set_defaults(**vars(values))
        if self.parser.parse_known_args(args)[1] or not _exact(self.parser, args or ()):
            raise _OthersOption
        return parse(self, args, values)

    finder.load_plugins = load_ours  # type: ignore[assignment]
    OptionManager.register_plugins = register_selecting_left_out  # type: ignore[method-assign]
    OptionManager.parse_args = parse_knowing_all  # type: ignore[method-assign]
    try:
        yield
    finally:
        finder.load_plugins = load
        OptionManager.register_plugins = register  # type: ignore[method-assign]
        OptionManager.parse_args = parse  # type: ignore[method-assign]


def _exact(parser: argparse.ArgumentParser, args: Sequence[str]) -> bool:
    """Is each long option in `args` (up to a `--`) one the parser has, not abbreviated?"""
    for arg in args:
        if arg == "--":
            break
        if arg.startswith("--") and arg.split("=", 1)[0] not in parser._option_string_actions:
            return False
    return True


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return 0  # stdin ("-"), or gone: flake8 reports that


# Short names the standalone command accepts for --format.
FORMATS = {"github": GITHUB, "sarif": "async-tests-sarif"}


def _argv(argv: Sequence[str]) -> list[str]:
    """`--format=github` / `--format github` (and `sarif`) become what flake8 knows."""
    out = list(argv)
    for i, arg in enumerate(out):
        if arg.startswith("--format=") and arg[len("--format="):] in FORMATS:
            out[i] = f"--format={FORMATS[arg[len('--format='):]]}"
        elif arg in FORMATS and i and out[i - 1] == "--format":
            out[i] = FORMATS[arg]
    return out


def rule_page(code: str) -> str | None:
    """The text of a rule's page: from the installed package, else from a checkout."""
    name = f"{code.upper()}.md"
    try:
        page = resources.files("flake8_async_tests.rule_docs").joinpath(name)
        if page.is_file():
            return page.read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        pass
    checkout = Path(__file__).resolve().parent.parent / "docs" / "rules" / name
    return checkout.read_text(encoding="utf-8") if checkout.is_file() else None


def rule(args: Sequence[str]) -> int:
    from .rules import RULES

    if not args:
        for entry in RULES:
            sys.stdout.write(f"{entry.code}  {entry.name:<38}  {entry.summary}\n")
        return 0
    status = 0
    for code in args:
        text = rule_page(code) if any(r.code == code.upper() for r in RULES) else None
        if text is None:
            sys.stderr.write(f"flake8-async-tests: no rule {code!r}; "
                             "`flake8-async-tests rule` lists them\n")
            status = 2
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["rule"]:
        return rule(args[1:])
    app = OnlyThisPlugin()
    with _standalone():
        app.run(_argv(args))
    return app.exit_code()


@contextlib.contextmanager
def _standalone() -> Iterator[None]:
    """For one run of the command: its own options (--fix, --diff, --unsafe-fixes), its
    name in usage, help and usage errors, and flake8's checker of a file without the token
    walk (flake8's manager makes each file's checker by that module-level name, in forked
    workers too)."""
    init = OptionManager.__init__

    def named(self: OptionManager, **kwargs: Any) -> None:
        init(self, **kwargs)
        self.parser.prog = PACKAGE

    options.FIXING, options.PROG = True, PACKAGE
    OptionManager.__init__ = named  # type: ignore[method-assign]
    checker.FileChecker = TreeChecker  # type: ignore[misc]
    try:
        yield
    finally:
        options.FIXING, options.PROG = False, "flake8"
        OptionManager.__init__ = init  # type: ignore[method-assign]
        checker.FileChecker = TreeChecker.__base__  # type: ignore[misc]


if __name__ == "__main__":  # pragma: no cover - python -m flake8_async_tests.cli
    raise SystemExit(main())
