"""Clear errors and the odd ways flake8 gets its input: bad option values, broken pytest
configuration files, source on stdin."""

from __future__ import annotations

import sys

import pytest

from harness import places, run_flake8

UNMARKED = "async def test_x():\n    pass\n"
FIXTURE = "import pytest\n\n\n@pytest.fixture\nasync def conn():\n    pass\n"


@pytest.mark.parametrize("args, config, option", [
    (["--async-tests-mode=sometimes"], "", "--async-tests-mode"),
    (["--async-tests-async-bases=NoDots"], "", "--async-tests-async-bases"),
    (["--async-tests-runner-markers=not-a-name"], "", "--async-tests-runner-markers"),
    ([], "async-tests-mode = sometimes\n", "--async-tests-mode"),
    # flake8 reads true/false options from config files with configparser, whose error is a
    # traceback; this plugin's flag takes the text and says which option is wrong.
    ([], "async-tests-report-errors = maybe\n", "--async-tests-report-errors"),
])
def test_an_invalid_option_value_is_a_usage_error_naming_it(tmp_path, args, config, option):
    (tmp_path / "test_a.py").write_text(UNMARKED, encoding="utf-8")
    if config:
        (tmp_path / "setup.cfg").write_text("[flake8]\n" + config, encoding="utf-8")
    found, proc = run_flake8(tmp_path, args)
    assert proc.returncode == 2
    assert found == [] and proc.stdout == ""
    assert proc.stderr.startswith(f"flake8: error: argument {option}: "), proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr


def test_a_malformed_pytest_config_counts_as_absent(tmp_path):
    """The broken file is skipped (the one above it applies) with one warning per run on
    stderr, without -v and whatever the number of -j workers: pytest itself would stop on
    it, so the user must hear about it."""
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n", encoding="utf-8")
    tests = tmp_path / "tests"
    subs = ("a", "b", "c", "d")
    for sub in subs:
        (tests / sub).mkdir(parents=True)
        (tests / sub / "test_x.py").write_text(UNMARKED, encoding="utf-8")
    (tests / "pyproject.toml").write_text("[tool.pytest.ini_options\nasyncio_mode = 'strict'\n",
                                          encoding="utf-8")
    (tests / "tox.ini").write_text("[pytest]\nasyncio_mode = strict\n", encoding="utf-8")
    broken = str(tests / "pyproject.toml")

    def warnings(stderr: str) -> list[str]:
        return [line for line in stderr.splitlines() if "cannot parse the pytest" in line]

    # tox.ini is read after pyproject.toml in a directory: every directory gets its strict
    # mode, and the warning says so.
    found, proc = run_flake8(tmp_path, ["-j", "2"])
    assert proc.returncode == 1
    assert places(found) == {(f"tests/{sub}/test_x.py", 1, "AT100") for sub in subs}
    [warning] = warnings(proc.stderr)  # the parser's own words vary between versions
    assert warning.startswith(f"flake8-async-tests: warning: cannot parse the pytest "
                              f"configuration {broken} (TOMLDecodeError: "), warning
    assert warning.endswith(f"); ignoring it and using the settings in {tests / 'tox.ini'}")
    assert proc.stderr.count("\n") == 1, proc.stderr

    (tests / "tox.ini").unlink()
    found, proc = run_flake8(tmp_path, ["-j", "1"])
    assert found == [], proc.stderr  # auto mode, from the pytest.ini above
    assert len(warnings(proc.stderr)) == 1, proc.stderr
    assert warnings(proc.stderr)[0].endswith(f"using the settings in {tmp_path / 'pytest.ini'}")
    assert "Traceback" not in proc.stderr


def test_a_python_the_project_does_not_run_on_is_said_once(tmp_path):
    """Where the running Python is outside the project's requires-python, one warning per
    run on stderr, whatever the number of -j workers and files; none where it is inside,
    nor in a run that reuses every file's kept findings."""
    import sys

    here = "%d.%d.%d" % sys.version_info[:3]
    pyproject = tmp_path / "pyproject.toml"
    for name in ("test_a.py", "test_b.py", "test_c.py"):
        (tmp_path / name).write_text(UNMARKED, encoding="utf-8")
    pyproject.write_text(f'[project]\nname = "x"\nrequires-python = "!={here}"\n',
                         encoding="utf-8")
    found, proc = run_flake8(tmp_path, ["-j", "2"])
    assert len(found) == 3
    assert proc.stderr == (
        f"flake8-async-tests: warning: {pyproject} says the project runs on Python "
        f"!={here}, and this is Python {here}: run the plugin on a Python the tests run "
        f"on (modules that do not parse on this one are unknown to it)\n")
    found, proc = run_flake8(tmp_path, ["-j", "2"])  # (every file's findings kept)
    assert (len(found), proc.stderr) == (3, "")
    pyproject.write_text(f'[project]\nname = "x"\nrequires-python = "=={here}"\n',
                         encoding="utf-8")
    found, proc = run_flake8(tmp_path, ["-j", "2", "--async-tests-no-cache"])
    assert (len(found), proc.stderr) == (3, "")


def test_the_claims_of_a_run_leave_no_folder_behind(tmp_path, monkeypatch):
    """The -j workers of a run claim each warning in a folder of the temporary directory:
    made only by a run that warns, and removed when it ends; a process killed after a run
    that warned of nothing (an editor's) leaves none behind."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    root = tmp_path / "project"
    root.mkdir()
    for name in ("test_a.py", "test_b.py"):
        (root / name).write_text(UNMARKED, encoding="utf-8")
    found, proc = run_flake8(root, ["-j", "2", "--async-tests-no-cache"])
    assert (len(found), proc.stderr) == (2, "")
    assert list(temporary.iterdir()) == []
    # an editor's flake8, killed (no exit handler runs) after a run that warned of nothing
    killed = [sys.executable, "-c", "import os, sys\nfrom flake8.main.application import "
              "Application\nApplication().run(sys.argv[1:])\nos.kill(os.getpid(), 9)\n"]
    found, proc = run_flake8(root, ["-j", "2", "--async-tests-no-cache"], command=killed)
    assert (len(found), proc.returncode) == (2, -9)
    assert list(temporary.iterdir()) == []
    (root / "pytest.ini").write_text("[pytest\n", encoding="utf-8")
    found, proc = run_flake8(root, ["-j", "2", "--async-tests-no-cache"])
    assert proc.stderr.count("cannot parse the pytest configuration") == 1, proc.stderr
    assert list(temporary.iterdir()) == []


def test_no_usable_temporary_directory_is_no_error(monkeypatch, capsys):
    """Where no temporary directory can be used (a read-only container), a run starts and
    warns as before: each process says each warning once."""
    import tempfile

    from flake8_async_tests import project

    def none_usable():
        raise FileNotFoundError("No usable temporary directory found")

    monkeypatch.setattr(tempfile, "gettempdir", none_usable)
    project.new_run()
    project.announce("key", "said once")
    project.announce("key", "said once")
    assert capsys.readouterr().err == "flake8-async-tests: warning: said once\n"
    monkeypatch.undo()
    project.new_run()


def test_stdin_uses_the_display_name_for_config_and_test_file_detection(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\npython_files = check_*.py\n",
                                         encoding="utf-8")
    auto = tmp_path / "auto"
    auto.mkdir()
    (auto / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = auto\npython_files = check_*.py\n", encoding="utf-8")

    def lint(name: str | None, source: str = UNMARKED) -> set:
        args = [f"--stdin-display-name={name}"] if name else []
        found, proc = run_flake8(tmp_path, args, ["-"], stdin=source)
        assert proc.returncode in (0, 1) and proc.stderr == "", proc.stderr
        return places(found)

    assert lint("check_x.py") == {("check_x.py", 1, "AT100")}
    assert lint("test_x.py") == set()  # not a test module under this configuration
    assert lint("auto/check_x.py") == set()  # auto mode, from auto/pytest.ini
    assert lint("conftest.py", FIXTURE) == {("conftest.py", 5, "AT104")}
    assert lint(None) == set()  # "stdin" is not a test module name
