"""Findings reused from the cache (results.py) only while all they rest on is unchanged.

Each case lints a project twice with a cache (the second run reuses every file's findings),
changes one thing the findings rest on, and lints again: the findings must be those of a run
without any cache, and the files the change reaches must be analysed again. The project's
files are dated in the past first, so the cache tells changes by mtime (the usual case),
and once more with files changed just now (told by content). A last test runs the plugin
with every file-system call watched and checks that each file or folder it read is logged.
"""

from __future__ import annotations

import builtins
import os
import shutil
import sys
import time
from pathlib import Path

import astroid
import pytest
from flake8.main.application import Application

from harness import FIXTURES, run_flake8
from flake8_async_tests import plugin, reads
from flake8_async_tests.index import finder

FLAKE8_SCRIPT = str(Path(sys.executable).with_name("flake8"))
APP = "async def fetch():\n    pass\n"
TEST = ("import app\n\n\nasync def test_a():\n    pass\n\n\n"
        "def test_b():\n    assert app.fetch()\n")
OTHER = "def test_c():\n    assert 1\n"


def _project(root):
    (root / "tests").mkdir(parents=True)
    (root / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (root / "app.py").write_text(APP, encoding="utf-8")
    (root / "tests" / "test_a.py").write_text(TEST, encoding="utf-8")
    (root / "tests" / "test_other.py").write_text(OTHER, encoding="utf-8")


def _age(root, seconds):
    """Date every file and folder of the project `seconds` ago."""
    when = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        if ".cache" not in path.parts:
            os.utime(path, (when, when))


def _edit_app(root):  # the same size: only the mtime or the content tells
    (root / "app.py").write_text(APP.replace("async def fetch", "def fetch      "),
                                 encoding="utf-8")


def _shadow_app(root):  # another `app` where the test's import may find it: unknown
    (root / "tests" / "app.py").write_text("def fetch():\n    pass\n", encoding="utf-8")


def _add_conftest(root):  # a hook that runs async tests itself
    (root / "tests" / "conftest.py").write_text(
        "import asyncio\n\n\ndef pytest_pyfunc_call(pyfuncitem):\n"
        "    asyncio.run(pyfuncitem.obj())\n    return True\n", encoding="utf-8")


def _change_config(root):
    (root / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n", encoding="utf-8")


def _closer_config(root):
    (root / "tests" / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n",
                                               encoding="utf-8")


def _remove_app(root):
    (root / "app.py").unlink()


CHANGES = {"module edited": _edit_app, "module shadowed": _shadow_app,
           "conftest added": _add_conftest, "config changed": _change_config,
           "config added nearer": _closer_config, "module removed": _remove_app}


def _lint(root, cache, command=(FLAKE8_SCRIPT,)):
    args = ["-v", "-j", "1", "--async-tests-report-errors"]
    args += [f"--async-tests-cache-dir={cache}"] if cache else ["--async-tests-no-cache"]
    # The flake8 script, as pre-commit runs it (`python -m flake8` puts the project root
    # first on the import path).
    found, proc = run_flake8(root, args, ["tests"], command=list(command))
    reused = {line.split("reused the findings of ")[1].strip().replace(os.sep, "/")
              for line in proc.stderr.splitlines() if "reused the findings of" in line}
    assert "AT000" not in proc.stdout
    return sorted((f.path, f.line, f.col, f.text) for f in found), reused


@pytest.mark.parametrize("settled", [True, False], ids=["by mtime", "by content"])
@pytest.mark.parametrize("change", CHANGES)
def test_reused_findings_follow_what_they_rest_on(tmp_path, change, settled):
    root = tmp_path / "project"
    cache = tmp_path / ".cache"
    _project(root)
    if settled:
        _age(root, 100)
    first, reused = _lint(root, cache)
    assert reused == set()
    again, reused = _lint(root, cache)
    assert again == first and reused == {"tests/test_a.py", "tests/test_other.py"}

    CHANGES[change](root)
    if settled:
        _age(root, 50)
    after, reused = _lint(root, cache)
    fresh, _ = _lint(root, None)
    assert after == fresh
    assert after != first  # each change changes a finding of test_a.py
    assert "tests/test_a.py" not in reused


def test_a_changed_file_is_analysed_again_and_the_others_reused(tmp_path):
    root = tmp_path / "project"
    cache = tmp_path / ".cache"
    _project(root)
    _age(root, 100)
    _lint(root, cache)
    (root / "tests" / "test_other.py").write_text(OTHER + "\n\nasync def test_d():\n    pass\n",
                                                  encoding="utf-8")
    after, reused = _lint(root, cache)
    assert reused == {"tests/test_a.py"}
    assert after == _lint(root, None)[0]


@pytest.mark.parametrize("settled", [True, False], ids=["by mtime", "by content"])
def test_reused_findings_follow_an_installed_plugins_entry_points(tmp_path, monkeypatch,
                                                                  settled):
    """A plugin reinstalled at the same version with other entry points (an editable
    install being worked on) is seen: here it starts to declare itself to pytest, and
    being a runner, makes the unmarked async test run."""
    root = tmp_path / "project"
    cache = tmp_path / ".cache"
    _project(root)
    site = tmp_path / "site"
    info = site / "pytest_tornasync-0.6.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: pytest-tornasync\n"
                                   "Version: 0.6.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[console_scripts]\nx = x:main\n",
                                           encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(site))
    if settled:
        _age(root, 100)
        _age(site, 100)
    first, _ = _lint(root, cache)
    assert [(path, line) for path, line, _, text in first if "AT100" in text] == [
        ("tests/test_a.py", 4)]
    assert _lint(root, cache)[1] == {"tests/test_a.py", "tests/test_other.py"}
    (info / "entry_points.txt").write_text("[pytest11]\ntornado = pytest_tornasync.plugin\n",
                                           encoding="utf-8")
    if settled:
        _age(site, 50)
    after, reused = _lint(root, cache)
    assert after == _lint(root, None)[0]
    assert [text for *_, text in after if "AT100" in text] == []
    assert "tests/test_a.py" not in reused


DATACLASS_TEST = ("import dataclasses\n\n\n@dataclasses.dataclass\nclass TestThing:\n"
                  "    async def test_x(self):\n        pass\n")


@pytest.mark.parametrize("config", [False, True], ids=["no pytest config", "pytest.ini"])
def test_reused_while_folders_above_a_project_change(tmp_path, config):
    """Nothing a project's findings rest on is in the folders above it, but whether they
    hold a pytest config file: with none in the project, the search for one goes up to
    the file system's root. Another project next to it, a new file at home, do not make
    them miss. (A class decorator looks for its module in the project's root, which is
    there whatever the folder above holds.)"""
    root = tmp_path / "project"
    cache = tmp_path / ".cache"
    _project(root)
    (root / "tests" / "test_dc.py").write_text(DATACLASS_TEST, encoding="utf-8")
    if not config:
        (root / "pytest.ini").unlink()
    (tmp_path / "tox.ini").write_text("[tox]\nenv_list = py\n", encoding="utf-8")  # no [pytest]
    _age(root, 100)
    first, reused = _lint(root, cache)
    assert reused == set()
    (tmp_path / "notes.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / "another-project").mkdir()
    again, reused = _lint(root, cache)
    assert again == first
    assert reused == {"tests/test_a.py", "tests/test_other.py", "tests/test_dc.py"}
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n", encoding="utf-8")
    after, reused = _lint(root, cache)
    assert after == _lint(root, None)[0]
    if not config:  # (the project's own pytest.ini comes first)
        assert after != first and reused == set()


@pytest.mark.parametrize("command", [(FLAKE8_SCRIPT,), (sys.executable, "-m", "flake8")],
                         ids=["flake8", "python -m flake8"])
def test_reused_while_files_no_reader_uses_come_and_go(tmp_path, command):
    """An editor's swap file beside a test, an output or coverage file in the project's
    root, a hidden folder: no listing keeps them, so no finding misses, also where the
    root is on the import path, where distributions are looked for. (A module added,
    "module shadowed" above, does make them miss.)"""
    root = tmp_path / "project"
    cache = tmp_path / ".cache"
    _project(root)
    (root / "requirements.txt").write_text("pytest-asyncio\n", encoding="utf-8")
    _age(root, 100)
    first, _ = _lint(root, cache, command)
    (root / "tests" / ".test_a.py.swp").write_bytes(b"\0")
    (root / "tests" / "test_a.py~").write_text(TEST, encoding="utf-8")
    (root / "report.txt").write_text("x\n", encoding="utf-8")
    (root / "err").write_text("x\n", encoding="utf-8")
    (root / ".coverage").write_text("x\n", encoding="utf-8")
    (root / ".pytest_cache").mkdir()
    again, reused = _lint(root, cache, command)
    assert again == first and reused == {"tests/test_a.py", "tests/test_other.py"}


BASE_TEST = ("class StorageContract:\n    async def test_roundtrip(self):\n"
             "        assert await self.store.get('k') is None\n")
SUBCLASS = ("from test_base import StorageContract\n\n\n"
            "class TestMemory(StorageContract):\n    pass\n")


def _hidden_subclass(tests):
    (tests / ".test_memory.py").write_text(SUBCLASS, encoding="utf-8")


def _linked_folder_made_real(tests):
    (tests / "sub").unlink()
    shutil.copytree(tests.parent.parent / "elsewhere", tests / "sub")


@pytest.mark.parametrize("change, left", [(_hidden_subclass, [2]),
                                          (_linked_folder_made_real, [])])
def test_the_search_for_subclasses_below_reads_what_its_log_keeps(tmp_path, change, left):
    """The search of the test modules below a folder (for subclasses of a base with async
    tests, AT108) reads no hidden file, and enters no linked folder: a hidden file made,
    or a linked folder made a real one, changes its answer exactly when its log changes."""
    root = tmp_path / "project"
    tests = root / "tests"
    tests.mkdir(parents=True)
    (root / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n", encoding="utf-8")
    (tests / "test_base.py").write_text(BASE_TEST, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "test_memory.py").write_text(SUBCLASS, encoding="utf-8")
    (tests / "sub").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    cache = tmp_path / ".cache"
    _age(root, 100)
    first, _ = _lint(root, cache)
    assert [line for _, line, _, text in first if "AT108" in text] == [2]
    change(tests)
    after, _ = _lint(root, cache)
    assert after == _lint(root, None)[0]
    assert [line for _, line, _, text in after if "AT108" in text] == left


LOADED = ("import sys\nfrom flake8.main.cli import main\ntry:\n    main()\nfinally:\n"
          "    sys.stderr.write('analysis loaded: %s\\n' % ('flake8_async_tests.context' in "
          "sys.modules))\n")


def test_a_run_that_reuses_every_finding_loads_no_analysis(tmp_path):
    """The pre-commit case with nothing changed: the findings come from the cache and the
    rules, the model and the index resolver are never imported; the run before, with no
    kept findings, loads them (before any -j worker starts)."""
    root = tmp_path / "project"
    cache = tmp_path / ".cache"
    _project(root)
    _age(root, 100)
    command = [sys.executable, "-c", LOADED]
    args = ["-j", "1", f"--async-tests-cache-dir={cache}"]
    first, cold = run_flake8(root, args, ["tests"], command=command)
    again, warm = run_flake8(root, [*args, "-v"], ["tests"], command=command)
    assert "analysis loaded: True" in cold.stderr
    assert "analysis loaded: False" in warm.stderr
    assert warm.stderr.count("reused the findings of") == 2
    expected = [("tests/test_a.py", 4, "AT100"), ("tests/test_a.py", 9, "AT200")]
    assert [(f.path, f.line, f.code) for f in first] == expected
    assert [(f.path, f.line, f.code) for f in again] == expected


# -- every read is logged ------------------------------------------------------------------

PROJECTS = ("cross_module", "mock_fixtures", "conftest_hooks", "runner_plugin_module",
            "plugin_module_values", "star_package_reexport", "value_flows",
            "class_named_like_module", "coroutines_src_layout", "locked_new_pytest_asyncio",
            "star_import_exports")


def test_every_read_of_the_project_is_logged(tmp_path, monkeypatch):
    """While the plugin runs, every file it opens, every folder it lists and every path it
    asks about is in the log its findings are kept with."""
    seen: list[tuple[str, str]] = []
    watching = [False]

    def watched(op, real):
        def call(path, *args, **kwargs):
            if watching[0] and isinstance(path, (str, os.PathLike)):
                mode = args[0] if args else kwargs.get("mode", "r")
                if op != "open" or not set(str(mode)) & set("wax+"):
                    seen.append((op, os.path.abspath(os.fspath(path))))
            return real(path, *args, **kwargs)
        return call

    for op, owner, name in (("open", builtins, "open"), ("stat", os, "stat"),
                            ("list", os, "scandir"), ("list", os, "listdir")):
        monkeypatch.setattr(owner, name, watched(op, getattr(owner, name)))

    def run(self, real=plugin.AsyncTestsChecker.run):
        watching[0] = True
        try:
            yield from real(self)
        finally:
            watching[0] = False

    monkeypatch.setattr(plugin.AsyncTestsChecker, "run", run)
    for name in PROJECTS:
        shutil.copytree(FIXTURES / "projects" / name, tmp_path / name)
    cache = tmp_path / ".cache"
    # The standard library is left out: the interpreter's version is in every key.
    left_out = (str(cache), os.path.dirname(os.path.abspath(plugin.__file__)),
                os.path.dirname(os.path.abspath(astroid.__file__)),
                *(os.path.join(p, "") for p in finder.scheme_dirs(("stdlib", "platstdlib"))))
    for name in PROJECTS:
        seen.clear()
        app = Application()
        app.run(["--select=AT", "-j", "1", f"--async-tests-cache-dir={cache}",
                 str(tmp_path / name)])
        logged = {(kind, path) for kind, path, _ in reads.log()}
        missing = sorted({(op, path) for op, path in seen
                          if not path.startswith(left_out) and not _covered(op, path, logged)
                          and (op, path) != ("stat", str(tmp_path))})  # (os.makedirs(cache))
        assert seen and missing == [], name


LISTINGS = (reads.WHOLE, reads.CODE, reads.REQUIREMENTS, reads.METADATA)


def _covered(op, path, logged):
    """Would a change to what this call saw change the log? A file read: its own entry. A
    folder listed: a listing of it (which keeps the names its reader uses). A path asked
    about: the path (what it is, its content or its names), or its folder's listing that
    keeps its name when it exists; when it does not, the path or any missing folder above
    it, or the nearest one that exists (making the path makes something in that
    folder)."""
    if op == "open" and os.path.exists(path):  # (opening a missing path only asks)
        return ("f", path) in logged
    if op == "list":
        return any((kind, path) in logged for kind in LISTINGS)
    if any((kind, path) in logged for kind in ("f", "e", *LISTINGS)):
        return True
    if os.path.exists(path):
        return _keeps(os.path.dirname(path), os.path.basename(path), logged)
    while not os.path.exists(path):
        path = os.path.dirname(path)
        if any((kind, path) in logged for kind in LISTINGS):
            return True
    return False


def _keeps(folder, name, logged):
    """Is `name` in a listing of `folder` the log holds?"""
    code = not name.startswith(".") and (name.endswith(reads.CODE_SUFFIXES)
                                         or os.path.isdir(os.path.join(folder, name)))
    return (("d", folder) in logged or ("c", folder) in logged and code
            or ("r", folder) in logged and reads.is_requirements(name)
            or ("m", folder) in logged and name.lower().endswith(reads.METADATA_SUFFIXES))


def test_another_build_of_the_same_version_reads_no_entry_of_this_one(tmp_path):
    """Two commits of one version (two pre-commit revisions, an edited checkout) share the
    project's cache folder: each keeps its entries apart, so kept findings and facts of
    one are never the other's answers."""
    import subprocess

    import flake8_async_tests

    copy = tmp_path / "site" / "flake8_async_tests"
    shutil.copytree(Path(flake8_async_tests.__file__).parent, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))

    def key() -> str:
        code = "from flake8_async_tests.index import store; print(store.version_key())"
        env = {**os.environ, "PYTHONPATH": str(copy.parent)}
        return subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=tmp_path,
                              capture_output=True, text=True).stdout.strip()

    first = key()
    assert key() == first  # (the same files: the same entries)
    rules = copy / "rules.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "# another commit\n",
                     encoding="utf-8")
    assert key() != first
