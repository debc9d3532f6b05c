"""The same findings every time: with -j 1 and -j 2, twice in a row, and whatever the order
of the files on the command line. The corpus is several projects linted together, some of
them with modules of the same name, one with a module named like an installed package
(astroid caches modules by name for the whole run)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import textwrap
from contextlib import closing
from pathlib import Path

from harness import (FIXTURES, FLAKE8, TEXT_FORMAT, compare, expected, places, read_output,
                     run_flake8)

# Two projects that each have an `app` module, with opposite facts about it.
TWINS = {
    "async_app": ("async def fetch():\n    pass\n\n\n"
                  "class Client:\n    async def get(self):\n        pass\n"),
    "sync_app": ("def fetch():\n    pass\n\n\n"
                 "class Client:\n    def get(self):\n        pass\n"),
}
TWIN_TEST = textwrap.dedent("""\
    from unittest import mock

    import app


    async def test_x():  # expect: AT100.asyncio:1
        app.fetch(){fetch}
        app.Client().get(){get}
        mock.patch("app.nothing")  # expect: AT304.patch-target:5 owner=app attr=nothing
        mock.patch.object(app.Client, "get", new=mock.AsyncMock()){replaced}
    """)


# A project that imports the installed iniconfig (a pytest dependency), and one with a
# module of that name, which comes first on its sys.path.
INICONFIG = {
    "iniconfig_user": (None, "async def parse():\n    pass\n\n\n", ""),
    "iniconfig_own": ("async def parse():\n    pass\n", "",
                      "  # expect: AT200.dropped:5 name=iniconfig.parse"),
}
INICONFIG_TEST = "import iniconfig\n\n\n{helper}async def test_x():  # expect: AT100.asyncio:1\n" \
                 "    iniconfig.parse(){expect}\n"
# Projects of the fixture corpus with an `app` module of their own, and one without.
PROJECTS = ("coroutines_packages", "mock_fixtures", "cross_module")
# A method reached through a class with a long ancestry, which astroid follows (the index
# does not read a class attribute that holds another class's method). astroid stops a
# question after 100 values, counting only values it has not cached, so whether a question
# got an answer depended on what earlier files had left in its cache; the plugin lifts
# that cap, and this question, which needs more, is answered in any order.
ANCESTRY = "class C0:\n    async def fetch(self, key):\n        return key\n" + "".join(
    f"\n\nclass C{k}(C{k - 1}):\n    pass\n" for k in range(1, 50))
ANCESTRY_TESTS = {
    "test_alias.py": "import ancestry\n\n\nclass Stub:\n    fetch = ancestry.C49.fetch\n\n\n"
                     "def test_fetch():\n    Stub().fetch('k')  # expect: AT200.dropped:5 "
                     "name=Stub().fetch\n",
    "test_other.py": "import ancestry\n\n\ndef test_other():\n    ancestry.C49().fetch"
                     "  # (an attribute read, no call)\n",
}

# A classmethod of an attrs-decorated base class with a metaclass, called on a subclass.
# astroid fails the first question whose inference builds this module and answers the same
# question once it is built: the findings depended on whether a file that asks it came
# first in the worker. The plugin asks such a question once more.
HALF_BUILT = textwrap.dedent("""\
    import abc
    from typing import Type, TypeVar

    import attr

    DS = TypeVar("DS", bound="DomainSpecificString")


    @attr.s(slots=True, frozen=True, repr=False, auto_attribs=True)
    class DomainSpecificString(metaclass=abc.ABCMeta):
        SIGIL = abc.abstractproperty()
        localpart: str
        domain: str

        @classmethod
        async def from_string(cls: Type[DS], s: str) -> DS:
            return cls(localpart=s, domain=s)


    @attr.s(slots=True, frozen=True, repr=False)
    class UserID(DomainSpecificString):
        SIGIL = "@"
    """)
HALF_BUILT_TESTS = {
    "test_build.py": "from domain import UserID\n\n\ndef test_build():\n"
                     "    UserID.from_string('@a:b')  # expect: AT200.dropped:5 "
                     "name=UserID.from_string\n",
    "test_compare.py": "from domain import UserID\n\n\ndef test_compare():\n"
                       "    a = UserID.from_string('@a:b')  # expect: AT200.stored:9 "
                       "name=UserID.from_string target=a\n    assert a\n",
}


def corpus(root):
    for project in PROJECTS:
        shutil.copytree(FIXTURES / "projects" / project, root / project)
    for name, app in TWINS.items():
        (root / name / "tests").mkdir(parents=True)
        (root / name / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        (root / name / "app.py").write_text(app, encoding="utf-8")
        asynchronous = name == "async_app"
        test = TWIN_TEST.format(
            fetch="  # expect: AT200.dropped:5 name=app.fetch" if asynchronous else "",
            get="  # expect: AT200.dropped:5 name=app.Client().get" if asynchronous else "",
            replaced="" if asynchronous else "  # expect: AT302:5 target=app.Client.get")
        (root / name / "tests" / f"test_{name}.py").write_text(test, encoding="utf-8")
    for name, (module, helper, expect) in INICONFIG.items():
        (root / name / "tests").mkdir(parents=True)
        (root / name / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        if module:
            (root / name / "iniconfig.py").write_text(module, encoding="utf-8")
        (root / name / "tests" / f"test_{name}.py").write_text(
            INICONFIG_TEST.format(helper=helper, expect=expect), encoding="utf-8")
    (root / "long_ancestry" / "tests").mkdir(parents=True)
    (root / "long_ancestry" / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (root / "long_ancestry" / "ancestry.py").write_text(ANCESTRY, encoding="utf-8")
    for name, text in ANCESTRY_TESTS.items():
        (root / "long_ancestry" / "tests" / name).write_text(text, encoding="utf-8")
    (root / "half_built" / "tests").mkdir(parents=True)
    (root / "half_built" / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (root / "half_built" / "domain.py").write_text(HALF_BUILT, encoding="utf-8")
    for name, text in HALF_BUILT_TESTS.items():
        (root / "half_built" / "tests" / name).write_text(text, encoding="utf-8")
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py"))
    want = []
    for path in root.rglob("*.py"):
        want.extend(expected(path, root))
    return files, want


def test_findings_do_not_depend_on_jobs_runs_or_file_order(tmp_path):
    root = tmp_path / "projects"
    root.mkdir()
    files, want = corpus(root)
    outputs = []
    for jobs, order in (("1", files), ("1", files), ("2", files), ("1", files[::-1])):
        found, proc = run_flake8(root, ["--async-tests-report-errors", "-j", jobs], order)
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr == ""
        outputs.append(sorted(found, key=lambda f: (f.path, f.line, f.col, f.text)))
    assert all(output == outputs[0] for output in outputs[1:])
    assert compare(want, outputs[0]) == []


def test_files_named_like_a_module_do_not_shadow_it(tmp_path):
    """`tests/app.png` beside the tests is not a module: the project's `app` stays cached
    from one test file to the next (clearing astroid's cache each time is slow)."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(TWINS["async_app"], encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "app.png").write_bytes(b"\x89PNG")
    (tmp_path / "tests" / "app_data").write_text("", encoding="utf-8")
    test = "import app\n\n\ndef test_x():\n    app.fetch()\n"
    for name in ("test_a.py", "test_b.py"):
        (tmp_path / "tests" / name).write_text(test, encoding="utf-8")
    # The flake8 script, as pre-commit runs it: `python -m flake8` would put the project
    # root itself first on sys.path.
    script = [str(Path(sys.executable).with_name("flake8"))]
    found, proc = run_flake8(tmp_path, ["-v", "-j", "1"], command=script)
    assert places(found) == {("tests/test_a.py", 5, "AT200"), ("tests/test_b.py", 5, "AT200")}
    assert "clearing astroid's cache" not in proc.stderr


def test_where_a_module_was_found_is_not_kept_for_another_project(tmp_path):
    """mock_fixtures' conftest.py looks up its own `app`; astroid remembers where it found
    it by name alone, and sync_app's test, checked next, must still get its own `app`."""
    root = tmp_path / "projects"
    root.mkdir()
    _, want = corpus(root)
    order = ["mock_fixtures/tests/conftest.py", "sync_app/tests/test_sync_app.py"]
    found, proc = run_flake8(root, ["--async-tests-report-errors", "-j", "1"], order)
    assert proc.stderr == ""
    assert compare([w for w in want if w.path in order], found) == []


def _sorted(found):
    return sorted(found, key=lambda f: (f.path, f.line, f.col, f.text))


def test_two_runs_at_once_share_a_cold_cache(tmp_path):
    """Two `flake8 -j 2` runs started together on one empty cache (two editors, or a
    pre-commit hook beside a CI job): four processes write the same database at once, and
    each run, then a third that reuses what they kept, finds what a run with no cache
    finds."""
    import subprocess

    root = tmp_path / "projects"
    root.mkdir()
    files, _ = corpus(root)
    cache = tmp_path / "cache"
    alone, _ = run_flake8(root, ["--async-tests-no-cache"], files)
    command = [*FLAKE8, "--select=AT", f"--format={TEXT_FORMAT}", "--no-show-source",
               f"--async-tests-cache-dir={cache}", "-j", "2", *files]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    runs = [subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env) for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [stderr for _, stderr in outputs] == ["", ""]
    assert [_sorted(read_output(stdout)) for stdout, _ in outputs] == [_sorted(alone)] * 2
    again, proc = run_flake8(root, [f"--async-tests-cache-dir={cache}", "-v"], files)
    assert _sorted(again) == _sorted(alone)
    assert "reused the findings of" in proc.stderr


def test_findings_do_not_depend_on_the_index_cache(tmp_path):
    """No cache, an empty one, a warm one (with -j 1 and -j 2), a damaged one and one that
    cannot be written: the same findings. A module changed between two runs (same size,
    new content) is read again."""
    root = tmp_path / "projects"
    root.mkdir()
    files, want = corpus(root)
    cache = tmp_path / "cache"
    runs = {
        "none": ["--async-tests-no-cache"],
        "cold": [f"--async-tests-cache-dir={cache}"],
        "warm": [f"--async-tests-cache-dir={cache}"],
        "warm -j 2": [f"--async-tests-cache-dir={cache}", "-j", "2"],
        "cold -j 2": [f"--async-tests-cache-dir={tmp_path / 'other'}", "-j", "2"],
        "warm -j 2 again": [f"--async-tests-cache-dir={tmp_path / 'other'}", "-j", "2"],
    }
    outputs = {}
    for name, args in runs.items():
        found, proc = run_flake8(root, ["--async-tests-report-errors", "-j", "1", *args], files)
        assert proc.stderr == "", (name, proc.stderr)
        outputs[name] = _sorted(found)
        if name == "cold":
            (database,) = cache.glob("cache-*.sqlite3")
            with closing(sqlite3.connect(database)) as db:
                assert db.execute("SELECT count(*) FROM modules").fetchone()[0] > 0
                assert db.execute("SELECT count(*) FROM findings").fetchone()[0] > 0
            assert (cache / "CACHEDIR.TAG").is_file()
    assert compare(want, outputs["none"]) == []
    assert all(output == outputs["none"] for output in outputs.values()), outputs.keys()

    with closing(sqlite3.connect(database)) as db, db:  # damaged: every entry is garbage
        for table in ("modules", "findings"):
            db.execute(f"UPDATE {table} SET entry = CAST(? AS TEXT)", (b"\x00{not json\xff",))
        db.execute("UPDATE reads SET line = '['")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    for args in ([f"--async-tests-cache-dir={cache}"], [f"--async-tests-cache-dir={blocked}"]):
        found, proc = run_flake8(root, ["-j", "1", *args], files)
        assert proc.stderr == ""
        assert _sorted(found) == outputs["none"]

    # The same size, another content: `fetch` is no longer a coroutine function.
    app = root / "async_app" / "app.py"
    text = app.read_text(encoding="utf-8")
    changed = text.replace("async def fetch():\n    pass\n", "def fetch():\n    pass      \n")
    assert len(changed) == len(text) and changed != text
    app.write_text(changed, encoding="utf-8")
    after, _ = run_flake8(root, ["-j", "1", f"--async-tests-cache-dir={cache}"], files)
    fresh, _ = run_flake8(root, ["-j", "1", "--async-tests-no-cache"], files)
    assert _sorted(after) == _sorted(fresh)
    dropped = ("async_app/tests/test_async_app.py", 7, "AT200")  # app.fetch()
    assert dropped in places(outputs["none"]) and dropped not in places(after)
