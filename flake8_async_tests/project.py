"""What the linted project tells pytest: its config file, rootdir and conftest files.

Found per linted file the way pytest finds them (walk up from the file), read
without importing anything, cached per directory for the whole run. A config
file that cannot be read or parsed counts as absent.
"""

from __future__ import annotations

import argparse
import ast
import atexit
import fnmatch
import functools
import hashlib
import logging
import os
import secrets
import shutil
import shlex
import sys
import tempfile
from dataclasses import dataclass, field

import iniconfig

from . import reads

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

LOG = logging.getLogger("flake8.async_tests")

# pytest looks for these in each directory, in this order (pytest 9 added the .toml ones).
CONFIG_NAMES = (
    "pytest.toml",
    ".pytest.toml",
    "pytest.ini",
    ".pytest.ini",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
)
DEFAULT_PYTHON_FILES = ("test_*.py", "*_test.py")


@dataclass(frozen=True)
class PytestSettings:
    """The pytest options this plugin cares about, as found for one file."""

    config_file: str | None = None
    rootdir: str | None = None
    asyncio_mode: str | None = None  # "auto" / "strict" / None when unset (or "legacy")
    asyncio_legacy: bool = False  # asyncio_mode = legacy (pytest-asyncio 0.17 to 0.20)
    trio_mode: bool = False
    anyio_mode: str | None = None  # anyio's plugin runs every async test when "auto"
    python_files: tuple[str, ...] = DEFAULT_PYTHON_FILES
    python_classes: tuple[str, ...] = ("Test",)
    python_functions: tuple[str, ...] = ("test",)
    pythonpath: tuple[str, ...] = ()  # absolute
    plugins: tuple[str, ...] = ()  # names given with -p in addopts
    # pytest-asyncio's asyncio_default_fixture_loop_scope / _test_loop_scope (None: unset)
    default_loop_scopes: tuple[str | None, str | None] = (None, None)

    @property
    def shared_default_loop(self) -> bool:
        """Async fixtures or tests run on a loop wider than one test by default: it is the
        current loop while they use it, also for sync code around them."""
        return any(scope not in (None, "function") for scope in self.default_loop_scopes)

    @property
    def asyncio_plugin_disabled(self) -> bool:
        return "no:asyncio" in self.plugins or "no:pytest_asyncio" in self.plugins
    warnings: tuple[str, ...] = field(default=(), compare=False)


def _as_list(value: object) -> list[str]:
    """An ini 'args'/'linelist' value (string) or a TOML value (string or list)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    text = str(value)
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _read_ini_section(path: str, section: str) -> dict[str, object] | None:
    """An ini file read with iniconfig, pytest's own parser (keys keep their case)."""
    config = iniconfig.IniConfig(path)
    if section not in config:
        return None
    return dict(config[section].items())


def _read_pyproject(path: str) -> dict[str, object] | None:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    tool = data.get("tool", {})
    pytest_table = tool.get("pytest") if isinstance(tool, dict) else None
    if not isinstance(pytest_table, dict):
        return None
    ini_options = pytest_table.get("ini_options")
    if isinstance(ini_options, dict):
        return dict(ini_options)
    # pytest 9 native table: [tool.pytest] with options directly in it.
    return {k: v for k, v in pytest_table.items() if k != "ini_options"}


def _read_pytest_toml(path: str) -> dict[str, object] | None:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    table = data.get("pytest")
    return dict(table) if isinstance(table, dict) else None


def read_config_file(path: str) -> tuple[dict[str, object] | None, BaseException | None]:
    """(the pytest section of a config file, or None when the file has none; None), or
    (None, the error that makes it unreadable or malformed): the caller decides what that
    means. A file is read once while it keeps its size and mtime (each folder below it
    asks again). The error is never raised again: raised, it would hold the frames of the
    run that raised it (and, chained, of what that run was handling) for later runs."""
    stat = reads.stat(path)
    values, error = _read_config(path, stat.st_mtime_ns, stat.st_size)
    return (dict(values) if values is not None else None), error


@functools.lru_cache(maxsize=256)
def _read_config(path: str, mtime_ns: int, size: int,
                 ) -> tuple[dict[str, object] | None, BaseException | None]:
    try:
        return _parse_config(path), None
    except (OSError, UnicodeDecodeError, ValueError, iniconfig.ParseError) as exc:
        exc.__context__ = exc.__cause__ = None  # (kept for later runs: not the frames of
        return None, exc.with_traceback(None)   # the run that met it)


def _parse_config(path: str) -> dict[str, object] | None:
    name = os.path.basename(path)
    if name in ("pytest.toml", ".pytest.toml"):
        return _read_pytest_toml(path) or {}
    if name in ("pytest.ini", ".pytest.ini"):
        # pytest.ini counts even when it has no [pytest] section.
        return _read_ini_section(path, "pytest") or {}
    if name == "pyproject.toml":
        return _read_pyproject(path)
    if name == "tox.ini":
        return _read_ini_section(path, "pytest")
    if name == "setup.cfg":
        found = _read_ini_section(path, "tool:pytest")
        if found is None and _read_ini_section(path, "pytest") is not None:
            # pytest refuses to start: "[pytest] section in setup.cfg files is no longer
            # supported, change to [tool:pytest] instead."
            raise ValueError("[pytest] section in setup.cfg, which pytest no longer reads")
        return found
    return None


def _addopts_parser() -> argparse.ArgumentParser:
    """The options of pytest and pytest-asyncio that change what this plugin reads, parsed
    the way pytest parses addopts (anything else is left alone)."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False, prog="addopts")
    parser.add_argument("-o", "--override-ini", action="append", default=[], dest="overrides")
    parser.add_argument("-p", action="append", default=[], dest="plugins")
    parser.add_argument("--asyncio-mode", dest="asyncio_mode")
    return parser


_ADDOPTS = _addopts_parser()


def _apply_addopts(values: dict[str, object]) -> tuple[dict[str, object], list[str], object]:
    """(ini values with -o/--override-ini applied, -p plugins, --asyncio-mode or None)."""
    try:
        parsed, _ = _ADDOPTS.parse_known_args(_as_list(values.get("addopts")))
    except SystemExit:  # argparse's error exit (an option missing its value)
        return values, [], None
    values = dict(values)
    for override in parsed.overrides:
        key, sep, value = override.partition("=")
        if sep:
            values[key.strip()] = value
    return values, parsed.plugins, parsed.asyncio_mode


def _settings_from(values: dict[str, object], config_file: str) -> PytestSettings:
    base = os.path.dirname(config_file)
    values, plugins, option_mode = _apply_addopts(values)
    # pytest-asyncio: the --asyncio-mode option wins over the asyncio_mode ini value.
    asyncio_mode = option_mode if option_mode is not None else values.get("asyncio_mode")
    mode = str(asyncio_mode).strip().lower() if asyncio_mode is not None else None
    if mode not in ("auto", "strict"):
        mode = None
    return PytestSettings(
        config_file=config_file,
        rootdir=base,
        asyncio_mode=mode,
        asyncio_legacy=str(asyncio_mode).strip().lower() == "legacy",
        trio_mode=_as_bool(values.get("trio_mode", False)),
        anyio_mode=str(values["anyio_mode"]).strip().lower() if "anyio_mode" in values else None,
        python_files=tuple(_as_list(values.get("python_files"))) or DEFAULT_PYTHON_FILES,
        python_classes=tuple(_as_list(values.get("python_classes"))) or ("Test",),
        python_functions=tuple(_as_list(values.get("python_functions"))) or ("test",),
        pythonpath=tuple(
            os.path.normpath(os.path.join(base, p)) for p in _as_list(values.get("pythonpath"))
        ),
        plugins=tuple(plugins),
        default_loop_scopes=(_scope(values.get("asyncio_default_fixture_loop_scope")),
                             _scope(values.get("asyncio_default_test_loop_scope"))),
    )


def _scope(value: object) -> str | None:
    return str(value).strip().lower() or None if value is not None else None


_reported: set[str] = set()  # unparsable config files already announced by this process
# Where the processes of one run claim each announcement: named where the run starts,
# before any -j worker forks, and made by the first process to announce (most runs
# announce nothing and touch no disk; a killed process leaves no folder behind then).
_run_dir: str | None = None


def new_run() -> None:
    """Called in flake8's main process where a run starts, before any -j worker forks: a
    fresh name for the folder in which the first process to announce something claims it."""
    global _run_dir
    _reported.clear()
    _remove_run_dir()
    try:
        temporary = tempfile.gettempdir()
    except OSError:  # none usable: each process says each warning once
        _run_dir = None
        return
    _run_dir = os.path.join(temporary, f"flake8-async-tests-{os.getpid()}-"
                                       f"{secrets.token_hex(8)}")


@atexit.register
def _remove_run_dir() -> None:
    if _run_dir is not None:
        shutil.rmtree(_run_dir, ignore_errors=True)


def _first_to_announce(path: str) -> bool:
    """Is this the first process of the run to announce `path`?"""
    if path in _reported:
        return False
    _reported.add(path)
    if _run_dir is None:
        return True
    claim = os.path.join(_run_dir, hashlib.sha1(path.encode("utf-8", "replace")).hexdigest())
    try:
        try:
            os.mkdir(_run_dir, 0o700)
        except FileExistsError:  # (another process of the run made it)
            pass
        os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    except OSError:
        return True
    return True


def _announce(broken: list[tuple[str, BaseException]], used: str | None) -> None:
    """One line on stderr per broken pytest config file and run, without -v: pytest itself
    would stop on it; the plugin says what it reads instead."""
    instead = f"the settings in {used}" if used else "pytest's defaults (asyncio_mode=strict)"
    for path, exc in broken:
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        announce(path, f"cannot parse the pytest configuration {path} ({reason}); ignoring "
                       f"it and using {instead}")


def announce(key: str, warning: str) -> None:
    """A warning on stderr, once per `key` and run (whichever process comes first)."""
    if _first_to_announce(key):
        sys.stderr.write(f"flake8-async-tests: warning: {warning}\n")


@functools.lru_cache(maxsize=None)
def settings_for_dir(directory: str) -> PytestSettings:
    """pytest settings for files in `directory` (absolute), found by walking up."""
    warnings: list[str] = []
    broken: list[tuple[str, BaseException]] = []
    current = directory
    fallback_root: str | None = None
    while True:
        for name in CONFIG_NAMES:
            path = os.path.join(current, name)
            if not reads.isfile(path):  # (that path alone: folders above a project hold
                continue                  # other things that come and go)
            try:
                values, error = read_config_file(path)
            except OSError as exc:  # (gone since it was seen)
                values, error = None, exc
            if error is not None:  # (tomllib.TOMLDecodeError is a ValueError)
                warnings.append(f"{path}: ignored, cannot be parsed ({error.__class__.__name__})")
                broken.append((path, error))
                continue
            if values is None:
                if name == "pyproject.toml" and fallback_root is None:
                    fallback_root = current
                continue
            settings = _settings_from(values, path)
            _announce(broken, path)
            return settings if not warnings else _with_warnings(settings, warnings)
        if fallback_root is None and reads.isfile(os.path.join(current, "setup.py")):
            fallback_root = current
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    _announce(broken, None)
    return PytestSettings(rootdir=fallback_root, warnings=tuple(warnings))


def _with_warnings(settings: PytestSettings, warnings: list[str]) -> PytestSettings:
    from dataclasses import replace

    return replace(settings, warnings=tuple(warnings))


def settings_for_file(path: str) -> PytestSettings:
    return settings_for_dir(os.path.dirname(os.path.abspath(path)))


def is_test_file(path: str, patterns: tuple[str, ...]) -> bool:
    """Is `path` a file pytest collects tests from (`python_files` patterns), or a
    conftest.py?"""
    name = os.path.basename(path)
    if name == "conftest.py":
        return True
    posix = path.replace(os.sep, "/")
    for pattern in patterns:
        if "/" in pattern:
            if fnmatch.fnmatch(posix, pattern if pattern.startswith("/") else "*/" + pattern):
                return True
        elif fnmatch.fnmatch(name, pattern):
            return True
    return False


# -- conftest.py files ---------------------------------------------------------


@functools.lru_cache(maxsize=None)
def parse_file(path: str) -> ast.Module | None:
    """A project file parsed with `ast` (None if unreadable), kept for the run."""
    try:
        return ast.parse(reads.read_bytes(path), filename=path)
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def conftest_chain(path: str, rootdir: str | None) -> tuple[tuple[str, ast.Module], ...]:
    """conftest.py files that apply to `path`, outermost first, each parsed with `ast`.

    The file itself is left out when it is a conftest.py.
    """
    return tuple((found, tree) for found, tree in _conftests(path, rootdir)
                 if tree is not None)


def unparsed_conftests(path: str, rootdir: str | None) -> tuple[str, ...]:
    """The conftest.py files that apply to `path` but do not parse here (written for a
    newer Python, or undecodable): what they define is unknown."""
    return tuple(found for found, tree in _conftests(path, rootdir) if tree is None)


def _conftests(path: str, rootdir: str | None) -> tuple[tuple[str, ast.Module | None], ...]:
    return _conftest_chain(os.path.dirname(os.path.abspath(path)), rootdir,
                           os.path.abspath(path))


@functools.lru_cache(maxsize=None)
def _conftest_chain(directory: str, rootdir: str | None,
                    own: str) -> tuple[tuple[str, ast.Module | None], ...]:
    """Each conftest.py from the rootdir down to `directory` (`own` aside), with its tree
    (None where it does not parse)."""
    found = _conftest_files(directory, rootdir, own)
    return tuple((candidate, parse_file(candidate)) for candidate in found)


def _conftest_files(directory: str, rootdir: str | None, own: str) -> list[str]:
    """The conftest.py files from the rootdir down to `directory`, `own` aside."""
    found: list[str] = []
    current = directory
    stop = os.path.abspath(rootdir) if rootdir else None
    while True:
        candidate = os.path.join(current, "conftest.py")
        if candidate != own and reads.isfile(candidate):
            found.append(candidate)
        if stop is None or current == stop:
            break
        parent = os.path.dirname(current)
        if parent == current or not parent.startswith(stop):
            break
        current = parent
    return found[::-1]


# -- where project modules come from ------------------------------------------


def import_base(path: str) -> tuple[str, str]:
    """(base directory, module name) for a file, as pytest's default import mode sees it.

    pytest inserts the first directory upwards without an __init__.py into sys.path
    and imports the file under the dotted name from there.
    """
    path = os.path.abspath(path)
    directory, filename = os.path.split(path)
    stem = os.path.splitext(filename)[0]
    parts = [] if stem == "__init__" else [stem]
    while reads.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        parts.insert(0, package)
        if not package:
            break
    modname = ".".join(p for p in parts if p) or stem
    return directory, modname


def relative(path: str, root: str | None) -> str:
    """A path as a user reads it: relative to the project root when inside it."""
    if root and path.startswith(root + os.sep):
        return os.path.relpath(path, root).replace(os.sep, "/")
    return path


def search_path(path: str, settings: PytestSettings) -> tuple[str, ...]:
    """Directories project imports resolve from, best first, for a linted file."""
    base, _ = import_base(path)
    roots = [base]
    roots.extend(settings.pythonpath)
    if settings.rootdir:
        roots.append(settings.rootdir)
        src = os.path.join(settings.rootdir, "src")
        if reads.isdir(src):
            roots.append(src)
    return tuple(dict.fromkeys(os.path.normpath(r) for r in roots))


# -- searching test modules below a conftest.py -------------------------------

SEARCH_FILE_LIMIT = 3000


def written_by_build(path: str) -> bool:
    """Is the module file `path` one the project's build backend writes when it builds or
    installs the project, as the nearest pyproject.toml above it says? setuptools-scm's
    version file (`[tool.setuptools_scm]` `version_file` or `write_to`) and hatch-vcs's
    (`[tool.hatch.build.hooks.vcs]` `version-file`), relative to that file: a checkout
    lacks the module until then, an installed project has it."""
    directory = os.path.dirname(os.path.abspath(path))
    while True:
        config = os.path.join(directory, "pyproject.toml")
        if reads.isfile(config):
            return os.path.normpath(os.path.abspath(path)) in build_outputs(config)
        parent = os.path.dirname(directory)
        if parent == directory:
            return False
        directory = parent


@functools.lru_cache(maxsize=16)
def build_outputs(config: str) -> frozenset[str]:
    """The module files a pyproject.toml says its build backend writes (written_by_build)."""
    try:
        reads.file(config)
        with open(config, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, ValueError, UnicodeDecodeError):
        return frozenset()
    tool = data.get("tool")
    tool = tool if isinstance(tool, dict) else {}
    scm = tool.get("setuptools_scm")
    scm = scm if isinstance(scm, dict) else {}
    hatch = tool.get("hatch")
    hooks = hatch.get("build", {}).get("hooks", {}) if isinstance(hatch, dict) else {}
    vcs = hooks.get("vcs") if isinstance(hooks, dict) else None
    vcs = vcs if isinstance(vcs, dict) else {}
    base = os.path.dirname(config)
    return frozenset(os.path.normpath(os.path.join(base, value))
                     for value in (scm.get("version_file"), scm.get("write_to"),
                                   vcs.get("version-file"))
                     if isinstance(value, str) and value.endswith(".py"))


@functools.lru_cache(maxsize=64)
def files_mentioning(directory: str, *words: str) -> tuple[ast.Module, ...] | None:
    """Parsed .py files below `directory` whose text contains one of `words`; None past
    the limit."""
    wanted = [word.encode() for word in words]
    found: list[ast.Module] = []
    seen = 0
    for current, dirs, files in reads.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
        for name in sorted(files):
            if not name.endswith(".py") or name.startswith("."):
                continue  # (a hidden file: no import names it, an editor's lock file)
            seen += 1
            if seen > SEARCH_FILE_LIMIT:
                return None
            path = os.path.join(current, name)
            try:
                text = reads.read_bytes(path)
                if not any(word in text for word in wanted):
                    continue
            except OSError:
                continue
            tree = parse_file(path)
            if tree is not None:
                found.append(tree)
    return tuple(found)


SKIP_DIRS = frozenset({"__pycache__", "node_modules", "venv", "build", "dist", "site-packages"})
