"""The same findings every time: with -j 1 and -j 2, twice in a row, and whatever the order
of the files on the command line. The corpus is several projects linted together, some of
them with modules of the same name, one with a module named like an installed package
(astroid caches modules by name for the whole run)."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

from harness import FIXTURES, expected, run_flake8, run_flake8_messages

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


    async def test_x():  # expect: AT100
        app.fetch()  # expect: {dropped}
        app.Client().get()  # expect: {dropped}
        mock.patch("app.nothing")  # expect: AT304
        mock.patch.object(app.Client, "get", new=mock.AsyncMock())  # expect: {replaced}
    """)


# A project that imports the installed iniconfig (a pytest dependency), and one with a
# module of that name, which comes first on its sys.path.
INICONFIG = {
    "iniconfig_user": (None, "async def parse():\n    pass\n\n\n", ""),
    "iniconfig_own": ("async def parse():\n    pass\n", "", "  # expect: AT200"),
}
INICONFIG_TEST = "import iniconfig\n\n\n{helper}async def test_x():  # expect: AT100\n" \
                 "    iniconfig.parse(){expect}\n"
# Projects of the fixture corpus with an `app` module of their own, and one without.
PROJECTS = ("coroutines_packages", "mock_fixtures", "cross_module")


def corpus(root):
    for project in PROJECTS:
        shutil.copytree(FIXTURES / "projects" / project, root / project)
    for name, app in TWINS.items():
        (root / name / "tests").mkdir(parents=True)
        (root / name / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        (root / name / "app.py").write_text(app, encoding="utf-8")
        asynchronous = name == "async_app"
        test = TWIN_TEST.format(dropped="AT200" if asynchronous else "nothing",
                                replaced="nothing" if asynchronous else "AT302")
        (root / name / "tests" / f"test_{name}.py").write_text(test, encoding="utf-8")
    for name, (module, helper, expect) in INICONFIG.items():
        (root / name / "tests").mkdir(parents=True)
        (root / name / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        if module:
            (root / name / "iniconfig.py").write_text(module, encoding="utf-8")
        (root / name / "tests" / f"test_{name}.py").write_text(
            INICONFIG_TEST.format(helper=helper, expect=expect), encoding="utf-8")
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py"))
    want = set()
    for path in root.rglob("*.py"):
        want |= expected(path, root)
    return files, want


def test_findings_do_not_depend_on_jobs_runs_or_file_order(tmp_path):
    root = tmp_path / "projects"
    root.mkdir()
    files, want = corpus(root)
    outputs = []
    for jobs, order in (("1", files), ("1", files), ("2", files), ("1", files[::-1])):
        found, proc = run_flake8_messages(root, ["--async-tests-report-errors", "-j", jobs],
                                          order)
        assert proc.returncode == 1, proc.stderr
        assert proc.stderr == ""
        outputs.append(sorted(found))
    assert all(output == outputs[0] for output in outputs[1:])
    assert {(path, row, code) for path, row, _, code, _ in outputs[0]} == want


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
    assert found == {("tests/test_a.py", 5, "AT200"), ("tests/test_b.py", 5, "AT200")}
    assert "clearing astroid's cache" not in proc.stderr


def test_where_a_module_was_found_is_not_kept_for_another_project(tmp_path):
    """mock_fixtures' conftest.py looks up its own `app`; astroid remembers where it found
    it by name alone, and sync_app's test, checked next, must still get its own `app`."""
    root = tmp_path / "projects"
    root.mkdir()
    _, want = corpus(root)
    order = ["mock_fixtures/tests/conftest.py", "sync_app/tests/test_sync_app.py"]
    found, proc = run_flake8_messages(root, ["--async-tests-report-errors", "-j", "1"], order)
    assert proc.stderr == ""
    assert {(p, r, c) for p, r, _, c, _ in found} == {w for w in want if w[0] in order}
