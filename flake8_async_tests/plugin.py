"""The flake8 entry point: picks the files, runs each rule family, contains every failure."""

from __future__ import annotations

import ast
import functools
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from . import __version__, cachedb, caches, collector, inference, options, project, results
from .index import modules
from .rules import explain, message

if TYPE_CHECKING:
    from .checks import Family, Finding
    from .context import FileContext

# Under flake8's logger: silent unless flake8 runs with -v.
LOG = logging.getLogger("flake8.async_tests")
Result = tuple[int, int, str, type]
# Test modules bigger than this (about 20,000 lines of test code, or one huge literal) are
# skipped, which keeps each file within the time bound the README gives.
MAX_NODES = 100_000


class AsyncTestsChecker:
    name = "flake8-async-tests"
    version = __version__
    options: options.Options = options.Options()

    def __init__(self, tree: ast.AST, filename: str, lines: list[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines
        self.checked = False  # a test module or conftest.py: the rules ran on it
        self.failed = False  # a rule family failed on it (its findings are not kept)

    @classmethod
    def add_options(cls, manager: Any) -> None:
        options.register(manager)
        if options.FIXING:
            options.register_fixing(manager)

    @classmethod
    def parse_options(cls, parsed: Any) -> None:
        caches.new_run()  # flake8 starts a run here
        cls.options = options.parse(parsed)
        collector.collect_less_while(parsed)
        modules.configure(cls.options.cache_dir, cls.options.use_cache)
        if not _findings_kept(parsed):
            _rules()  # loaded before flake8 forks its -j workers, which share them

    def run(self) -> Iterator[Result]:
        collector.quiet_worker()
        start = time.process_time()
        try:
            results = self._results()
        except (Exception, RecursionError) as exc:  # contained: flake8 must never see it
            LOG.warning("flake8-async-tests: failed on %s: %r", self.filename, exc)
            results = self._internal_error("plugin", exc)
        cachedb.flush()  # the index's entries this file made, when its findings were not kept
        collector.memory_valve()
        if self.checked:
            LOG.info("flake8-async-tests: checked %s in %.3f s", self.filename,
                     time.process_time() - start)
        yield from results

    def _results(self) -> list[Result]:
        if not isinstance(self.tree, ast.Module) or not self._is_test_file():
            return []
        self.checked = True
        kept = self._kept()
        if kept is not None:
            store, wanted = kept
            found = store.load(os.path.abspath(self.filename), wanted)
            if found is not None:
                LOG.info("flake8-async-tests: reused the findings of %s", self.filename)
                return [(line, col, text, type(self)) for line, col, text in found]
        file_context, _ = _rules()
        ctx = file_context(self.tree, self.lines, self.filename, self.options)
        if ctx.rootdir is not None:
            try:
                _python_outside(ctx.rootdir)
            except Exception as exc:  # (a warning only: the file's findings stand)
                LOG.info("flake8-async-tests: no requires-python read: %r", exc)
        if ctx.syntax.size > MAX_NODES:
            LOG.info("flake8-async-tests: skipped %s: more than %d syntax nodes", self.filename,
                     MAX_NODES)
            return []
        with modules.scope(ctx.search_path, ctx.rootdir):
            found = self._check(ctx)
        if kept is not None and not self.failed and not inference.spent():
            kept[0].save(ctx.path, kept[1], [r[:3] for r in found])
        return found

    def _kept(self) -> tuple[results.Results, str] | None:
        """Where this file's findings are kept between runs, and under which key; None when
        they are not (no cache, --async-tests-explain, a file that is not on disk)."""
        if self.options.explain or not os.path.isfile(self.filename):
            return None
        rootdir = project.settings_for_file(self.filename).rootdir
        directory = modules.cache_directory(rootdir)
        if directory is None:
            return None
        return (results.for_directory(directory),
                results.key(os.path.abspath(self.filename), self.lines, self.options))

    def _check(self, ctx: FileContext) -> list[Result]:
        findings: list[tuple[int, int, str]] = []
        errors: list[Result] = []
        _, families = _rules()
        wanted: list[Family] = [f(ctx) for f in families()]
        wanted = [family for family in wanted if family.wants()]
        if not wanted:
            return []
        ctx.facts  # the file joins the index before any rule asks it about the file's names
        try:
            with inference.analysis(ctx.search_path):
                for family in wanted:
                    try:
                        # A family that fails halfway reports nothing for the file.
                        findings.extend(
                            (f.line, f.col, message(f.code, f.variant, **f.fields))
                            for f in _running(ctx, list(family.check())))
                    except (Exception, RecursionError) as exc:
                        self.failed = True
                        LOG.warning("flake8-async-tests: %s rules failed on %s: %r",
                                    family.name, self.filename, exc)
                        errors.extend(self._internal_error(family.name, exc))
        finally:
            ctx.close()
        if self.options.explain:
            self._explain(ctx.silences)
        results = sorted(set(findings))
        return [(line, col, text, type(self)) for line, col, text in results] + errors

    def _explain(self, silences: list[tuple[int, int, str, str]]) -> None:
        """--async-tests-explain: one line per silence, on stderr (flake8's findings are
        on stdout)."""
        lines = [f"{self.filename}:{line}:{col + 1}: {code} silent: {reason}\n"
                 for line, col, code, reason in sorted(set(silences))]
        sys.stderr.write("".join(lines))

    def _is_test_file(self) -> bool:
        patterns = self.options.files
        if not patterns:
            patterns = project.settings_for_file(self.filename).python_files
        return project.is_test_file(self.filename, patterns)

    def _internal_error(self, family: str, exc: BaseException) -> list[Result]:
        if not self.options.report_errors:
            return []
        text = message("AT000", family=family, error=f"{type(exc).__name__}: {exc}"[:200])
        return [(1, 0, text, type(self))]


@functools.cache
def _rules() -> tuple[type[FileContext], Callable[[], tuple[type[Family], ...]]]:
    """The analysis (file contexts, and the rule families with the model, the index and
    the astroid bridge under them), imported on first use: a run that reuses every file's
    kept findings (the pre-commit case) never loads it."""
    from .checks import families
    from .context import FileContext
    return FileContext, families


@functools.lru_cache(maxsize=None)
def _python_outside(rootdir: str) -> None:
    """Warn once per run where the running Python is not one the project says it runs on:
    its parser may refuse syntax the project's modules use (they are then unknown to the
    plugin) or read them otherwise. (Only where files are analysed: kept findings are
    keyed by the interpreter, so a run that reuses them on this one warned before.)"""
    from .model import dependencies

    found = dependencies.requires_python(rootdir)
    here = "%d.%d.%d" % sys.version_info[:3]  # (platform's may be `3.13.0+`: no version)
    if found is not None and not found[1].contains(here, prereleases=True):
        project.announce(f"requires-python:{found[0]}",
                         f"{found[0]} says the project runs on Python {found[1]}, and this is "
                         f"Python {here}: run the plugin on a Python the tests run on (modules "
                         f"that do not parse on this one are unknown to it)")


def _findings_kept(parsed: Any) -> bool:
    """Does the cache hold kept findings for the project of the first path flake8 lints?
    Else the run analyses files, and the analysis is loaded at once (see _rules)."""
    paths = getattr(parsed, "filenames", None) or ["."]
    first = os.path.abspath(paths[0])
    folder = first if os.path.isdir(first) else os.path.dirname(first)
    directory = modules.cache_directory(project.settings_for_dir(folder).rootdir)
    return directory is not None and os.path.isfile(results.for_directory(directory).db.path)


# Codes whose findings no conftest.py can change: a patch target or a mock's assertion
# method is there or not, whatever fixtures, hooks and plugins the project has.
CONFTEST_FREE = frozenset({"AT303", "AT304", "AT305"})


def _running(ctx: FileContext, found: list[Finding]) -> list[Finding]:
    """The findings outside branches that never run (model/branches.py), and, where a
    conftest.py that applies does not parse, those no conftest can change; the others are
    recorded as silences, with the reason."""
    kept = []
    unparsed = ctx.unparsed_conftest if found else None
    for finding in found:
        if unparsed is not None and finding.code not in CONFTEST_FREE:
            ctx.silences.append((finding.line, finding.col, finding.code,
                                 explain("conftest-unparsed", conftest=unparsed)))
            continue
        dead = ctx.never_runs(finding.line)
        if dead is None:
            kept.append(finding)
        else:
            why = (explain("module-stops", what=dead.test, line=dead.exit_line)
                   if dead.stops_module else
                   explain("skipped-test", test=dead.test, mark=dead.where)
                   if dead.skipped else
                   explain("after-exit", what=dead.test, line=dead.exit_line)
                   if dead.exit_line is not None else
                   explain("refused-with", what=dead.test, line=dead.with_line)
                   if dead.with_line is not None else
                   explain("never-runs", test=dead.test, value=dead.value, where=dead.where))
            ctx.silences.append((finding.line, finding.col, finding.code, why))
    return kept
