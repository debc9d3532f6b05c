"""Which pytest plugins a project loads, and whether any of them runs async tests by itself.

Plugins are found the ways pytest loads them: `pytest_plugins` in conftest.py files (plain,
annotated or augmented assignment; a list, tuple or string), `-p NAME` in `addopts`,
installed `pytest11` entry points, and the distributions the project depends on. A plugin
module of the project or of an installed package is read with `ast` (never imported): one
that defines `pytest_pyfunc_call` or `pytest_pycollect_makeitem`, or takes them from a
runner, may run coroutines. A plugin that cannot be found or read is unknown, and unknown
counts as "may run them": the rules that need to know stay silent, with the reason.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from .. import project, reads
from ..rules import explain
from . import dependencies, known

RUNNER_HOOKS = frozenset({"pytest_pyfunc_call", "pytest_pycollect_makeitem"})
# pytest's own plugins, which `-p` and `pytest_plugins` may name (_pytest/config/__init__.py).
PYTEST_BUILTIN = frozenset({
    "mark", "main", "runner", "fixtures", "helpconfig", "python", "terminal", "debugging",
    "unittest", "capture", "skipping", "legacypath", "tmpdir", "monkeypatch", "recwarn",
    "pastebin", "assertion", "junitxml", "doctest", "cacheprovider", "freeze_support",
    "setuponly", "setupplan", "stepwise", "unraisableexception", "threadexception", "warnings",
    "logging", "reports", "faulthandler", "subtests", "pytester", "pytester_assertions",
})
MAX_DEPTH = 4  # plugin modules followed through other plugin modules


# (a registered silence, its fields but `where`); NOTHING for plugins that run no tests
Why = tuple[str, tuple[tuple[str, str], ...]]
NOTHING: Why = ("", ())


@dataclass(frozen=True)
class Verdict:
    """What one loaded plugin does to async tests, and where the project loads it."""

    name: str
    where: str  # "tests/conftest.py:3", "addopts of pytest.ini", "requirements-dev.txt"...
    kind: str  # "runner", "unknown", "asyncio" or "plain"
    why: Why = NOTHING  # for "runner" and "unknown": the registered silence and its fields

    @property
    def may_run_async_tests(self) -> bool:
        return self.kind in ("runner", "unknown")

    def explain(self) -> str:
        silence, fields = self.why
        return explain(silence, **dict(fields), where=self.where)


# -- pytest_plugins ------------------------------------------------------------------------

def pytest_plugins(tree: ast.Module) -> Iterator[tuple[int, str | None]]:
    """(line, name) for each name a module's `pytest_plugins` gives; name None where the
    value is not a literal (so not known)."""
    for stmt in _top_level(tree.body):
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
            targets, value = [stmt.target], stmt.value
        elif (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
              and isinstance(stmt.value.func, ast.Attribute)
              and stmt.value.func.attr in ("append", "extend", "insert")):
            call = stmt.value  # pytest_plugins.append("x") / .extend([...])
            targets = [call.func.value]  # type: ignore[attr-defined]
            value = call.args[-1] if call.args else None
            if call.func.attr != "extend" and value is not None:  # type: ignore[attr-defined]
                value = ast.List(elts=[value])
        else:
            continue
        if value is None or not any(isinstance(t, ast.Name) and t.id == "pytest_plugins"
                                    for t in targets):
            continue
        items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
        for item in items:
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                for name in item.value.split(","):  # pytest splits a string on commas
                    if name.strip():
                        yield stmt.lineno, name.strip()
            else:
                yield stmt.lineno, None


def _top_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements of a module body, including those inside top-level if/try blocks."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _top_level(stmt.body)
            yield from _top_level(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            for block in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse,
                          stmt.finalbody):
                yield from _top_level(block)


# -- what a plugin module does -------------------------------------------------------------

def classify(name: str, search: tuple[str, ...], depth: int = 0) -> tuple[str, Why]:
    """(kind, why) for a plugin module name: kind 'runner', 'asyncio', 'plain' or
    'unknown'; why the registered silence a runner or unknown plugin gives."""
    if name.startswith("no:"):
        return "plain", NOTHING  # switched off
    if name in PYTEST_BUILTIN or name == "pytest" or name.startswith(("_pytest.", "pytest.")):
        return "plain", NOTHING  # one of pytest's own
    plugin = known.by_module(name)
    if plugin is not None:
        if plugin.distribution == known.ASYNCIO:
            return "asyncio", NOTHING
        if plugin.runs_async_tests:
            return "runner", ("runner-plugin", (("plugin", plugin.distribution),))
        return "plain", NOTHING  # it runs only tests marked for it
    path = find_module(name, search)
    if path is None:
        return "unknown", ("plugin-not-found", (("plugin", name),))
    if depth >= MAX_DEPTH:
        return "unknown", ("plugin-too-deep", (("plugin", name),))
    return _module_verdict(name, path, *_stat(path), search, depth)


def _stat(path: str) -> tuple[int, int]:
    try:
        st = reads.stat(path)
    except OSError:
        return (-1, -1)
    return (st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=4096)
def _module_verdict(name: str, path: str, mtime: int, size: int, search: tuple[str, ...],
                    depth: int) -> tuple[str, Why]:
    """Keyed by the file's identity, so a changed plugin is read again."""
    if not path.endswith(".py"):
        return "unknown", ("plugin-compiled", (("plugin", name),))
    tree = project.parse_file(path)
    if tree is None:
        return "unknown", ("plugin-unreadable", (("plugin", name),))
    for stmt in _top_level(tree.body):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                and stmt.name in RUNNER_HOOKS:
            return "runner", ("plugin-runner-hook", (("hook", stmt.name), ("plugin", name)))
        if isinstance(stmt, ast.ImportFrom) and stmt.module and not stmt.level:
            names = {alias.name for alias in stmt.names}
            if "*" in names or names & RUNNER_HOOKS:
                kind, why = classify(stmt.module, search, depth + 1)
                if kind in ("runner", "unknown"):
                    return kind, why
    for _, inner in pytest_plugins(tree):
        if inner is None:
            return "unknown", ("plugins-not-written-out", (("module", f"plugin {name}"),))
        kind, why = classify(inner, search, depth + 1)
        if kind in ("runner", "unknown"):
            return kind, why
    return "plain", NOTHING  # no hook that runs tests


def find_module(name: str, search: tuple[str, ...]) -> str | None:
    """The source file of a dotted module name under the search path, then sys.path
    (where flake8 runs: installed packages); nothing is imported."""
    parts = name.split(".")
    if not all(part.isidentifier() for part in parts):
        return None
    for base in (*search, *(p for p in sys.path if p and reads.isdir(p))):
        stem = os.path.join(base, *parts)
        for candidate in (stem + ".py", os.path.join(stem, "__init__.py")):
            if reads.isfile(candidate):
                return candidate
        directory = os.path.dirname(stem)
        if reads.isdir(directory):
            try:
                entries = reads.listdir(directory, reads.CODE)
            except OSError:
                continue
            if any(e.startswith(parts[-1] + ".") and e.endswith((".so", ".pyd"))
                   for e in entries):
                return stem + ".so"
    return None


@functools.lru_cache(maxsize=64)
def project_modules(conftests: tuple[tuple[str, ast.Module], ...],
                    own: tuple[str, ast.Module] | None, addopts_plugins: tuple[str, ...],
                    search: tuple[str, ...], is_installed, parse,
                    ) -> tuple[tuple[tuple[str, ast.Module], ...], str | None]:
    """(path, tree) of each plugin module of the project itself (not installed) that
    `pytest_plugins` or `-p` loads, following theirs in turn; and why others may exist
    (a name not written out, a module that cannot be read), if so. In load order; found
    once per set of conftest files and search path, not once per test file."""
    found: dict[str, ast.Module] = {}
    unknown: str | None = None
    todo = [name for path, tree in (*conftests, *([own] if own else []))
            for _, name in pytest_plugins(tree)] + list(addopts_plugins)
    for depth in range(MAX_DEPTH + 1):
        following: list[str | None] = []
        for name in todo:
            if name is None:
                unknown = unknown or "plugin module not written out in pytest_plugins"
                continue
            path = find_module(name, search)
            if path is None or not path.endswith(".py") or is_installed(path):
                continue  # pytest's own, or installed: read as plugins are (runner model)
            if path in found:
                continue
            tree = parse(path)
            if tree is None:
                unknown = unknown or f"plugin module {name} that cannot be read"
                continue
            found[path] = tree
            following.extend(n for _, n in pytest_plugins(tree))
        todo = following  # type: ignore[assignment]
        if not todo:
            break
    else:
        unknown = unknown or "plugin module loaded too deep to follow"
    return tuple(found.items()), unknown


# -- every way a project loads plugins -----------------------------------------------------

def loaded(conftests: tuple[tuple[str, ast.Module], ...], own: tuple[str, ast.Module] | None,
           addopts_plugins: tuple[str, ...], config_file: str | None, root: str | None,
           search: tuple[str, ...]) -> list[Verdict]:
    """A verdict for each plugin the project loads that may matter to async tests."""
    verdicts: list[Verdict] = []
    for path, tree in (*conftests, *([own] if own else [])):
        for line, name in pytest_plugins(tree):
            module = project.relative(path, root)
            where = f"pytest_plugins at {module}:{line}"
            if name is None:
                verdicts.append(Verdict("pytest_plugins", where, "unknown", (
                    "plugins-not-written-out", (("module", module),))))
            else:
                verdicts.append(Verdict(name, where, *classify(name, search)))
    for name in addopts_plugins:
        where = (f"-p in addopts of {project.relative(config_file, root)}" if config_file
                 else "-p")
        entry = known.by_entry_point(name)
        if entry:
            if any(p.runs_async_tests for p in entry):
                verdicts.append(Verdict(name, where, "runner", (
                    "runner-plugin", (("plugin", entry[0].distribution),))))
            else:
                verdicts.append(Verdict(name, where, "plain"))
        else:
            verdicts.append(Verdict(name, where, *classify(name, search)))
    if root:
        for name in sorted(declared_runners(root)):
            verdicts.append(Verdict(name, "declared in the project's dependencies"
                                    + _early(name), "runner",
                                    ("runner-plugin", (("plugin", name),))))
    for name in sorted(installed_runners()):
        verdicts.append(Verdict(name, "installed where flake8 runs" + _early(name), "runner",
                                ("runner-plugin", (("plugin", name),))))
    return verdicts


@functools.lru_cache(maxsize=None)
def installed_version(name: str) -> Version | None:
    """The version of distribution `name` installed where flake8 runs, if any."""
    read_installed()
    try:
        return Version(importlib.metadata.version(name))
    except Exception:  # not installed, or metadata this cannot read
        return None


def _early(name: str) -> str:
    """Said of a plugin that runs async tests only in its releases before 1.0."""
    return f", a release before {FIRST_1}" if name in known.RAN_THEM_BEFORE_1 else ""


FIRST_1 = Version(known.FIRST_1)


@functools.lru_cache(maxsize=None)
def declared_requirements(root: str) -> dict[str, list[Requirement]]:
    """What the project at `root` depends on, read once per run (caches.new_run)."""
    return dependencies.requirements(root)


def declared_distributions(root: str) -> frozenset[str]:
    return frozenset(declared_requirements(root))


def pins_before_1(root: str, distribution: str, anywhere: bool = False) -> bool:
    """The project declares `distribution` only with versions before 1.0 (with
    `anywhere`: in at least one of its declarations)."""
    return pins_before(root, distribution, known.FIRST_1, anywhere)


def pins_before(root: str, distribution: str, release: str, anywhere: bool = False) -> bool:
    """The project declares `distribution` only with versions before `release` (one of
    known's first releases; with `anywhere`: in at least one of its declarations): its
    lock file says so, or no such declaration admits a version from then on (its releases
    sampled in known.SAMPLED_RELEASES, and the versions each pin names from then on:
    `==1.1.1`, `>=1.0.1,<1.0.5`, `==1.2.*`)."""
    first = Version(release)
    locked = locked_versions(root).get(distribution)
    if locked:  # a lock file says which version is installed: it decides
        return all(version < first for version in locked)
    pins = declared_requirements(root).get(distribution, [])
    sample = [v for v in map(Version, known.SAMPLED_RELEASES[distribution]) if v >= first]
    before = [not any(r.specifier.contains(v, prereleases=True)
                      for v in (*sample, *_pinned(r, first))) for r in pins]
    return bool(pins) and (any(before) if anywhere else all(before))


def _pinned(requirement: Requirement, first: Version) -> list[Version]:
    """The versions a requirement's clauses name, from `first` on."""
    found = []
    for clause in requirement.specifier:
        try:
            version = Version(clause.version.removesuffix(".*"))
        except InvalidVersion:
            continue
        if version >= first:
            found.append(version)
    return found


@functools.lru_cache(maxsize=None)
def locked_versions(root: str) -> dict[str, set[Version]]:
    return dependencies.locked(root)


def declared_runners(root: str) -> frozenset[str]:
    """Runner plugins the project declares, those pinned to releases that ran every async
    test included (pytest-aiohttp before 1.0) where any of its declarations pins so: with
    one file pinned and another not, either may be what runs the tests."""
    declared = declared_distributions(root)
    old = {name for name in known.RAN_THEM_BEFORE_1 & declared
           if pins_before_1(root, name, anywhere=True)}
    return (declared & known.RUNNER_DISTRIBUTIONS) | old


def unknown_declared_plugins(root: str) -> list[str]:
    """The pytest plugins the project declares that this tool does not know (neither a
    runner nor one of known.NO_RUNNERS), by name."""
    return sorted(d for d in declared_distributions(root) if known.named_for_pytest(d)
                  and d not in known.BY_DISTRIBUTION and d not in known.NO_RUNNERS)


@functools.lru_cache(maxsize=None)
def installed_plugin_modules(distribution: str) -> tuple[str, ...] | None:
    """The modules of an installed distribution's pytest11 entry points, read once per run
    (caches.new_run); None when it is not installed here (or its metadata cannot be
    read)."""
    read_installed()
    try:
        entries = importlib.metadata.distribution(distribution).entry_points
    except Exception:  # not installed, or metadata this cannot read
        return None
    return tuple(entry.module for entry in entries if entry.group == "pytest11")


@functools.lru_cache(maxsize=1)
def read_installed() -> None:
    """Log what tells which distributions are installed where flake8 runs, with their
    versions and entry points: the metadata folders on the import path (the project's
    root too, under `python -m flake8`), and each one's entry points (a reinstall of the
    same version may bring others) and, where its folder's name has no version (an
    `.egg-info` one), its metadata file."""
    for directory in sys.path:
        if directory and reads.isdir(directory):
            reads.folder(directory, reads.METADATA)
    try:
        for dist in importlib.metadata.distributions():
            found = getattr(dist, "_path", None)  # (a distribution found on a path)
            if found is not None:
                folder = str(found)
                reads.file(os.path.join(folder, "entry_points.txt"))
                if folder.endswith(".egg-info"):
                    reads.file(os.path.join(folder, "PKG-INFO"))
    except Exception:  # broken metadata of some package: its readers know nothing
        return


@functools.lru_cache(maxsize=1)
def installed_runners() -> frozenset[str]:
    """Runner plugins installed where flake8 runs (pytest loads every pytest11 plugin)."""
    found = set()
    read_installed()
    try:
        for entry in importlib.metadata.entry_points(group="pytest11"):
            dist = getattr(entry, "dist", None)
            name = getattr(dist, "name", None)
            if not name:
                continue
            name = canonicalize_name(name)
            version = installed_version(name) if name in known.RAN_THEM_BEFORE_1 else None
            if name in known.RUNNER_DISTRIBUTIONS or (version is not None
                                                      and version < FIRST_1):
                found.add(name)
    except Exception:  # broken metadata of some package: nothing known
        return frozenset()
    return frozenset(found)
