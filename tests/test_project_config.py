"""pytest configuration is found per linted file the way pytest finds it."""

from __future__ import annotations

import textwrap

import pytest

from flake8_async_tests import project
from harness import lint, places

UNMARKED = "async def test_x():\n    pass\n"


@pytest.fixture(autouse=True)
def _fresh_caches():
    project.settings_for_dir.cache_clear()
    yield
    project.settings_for_dir.cache_clear()


CONFIGS = {
    "pytest.ini": "[pytest]\nasyncio_mode = auto\n",
    ".pytest.ini": "[pytest]\nasyncio_mode = auto\n",
    "pytest.toml": "[pytest]\nasyncio_mode = \"auto\"\n",
    "pyproject.toml": "[tool.pytest.ini_options]\nasyncio_mode = \"auto\"\n",
    "tox.ini": "[tox]\nenvlist = py3\n\n[pytest]\nasyncio_mode = auto\n",
    "setup.cfg": "[metadata]\nname = x\n\n[tool:pytest]\nasyncio_mode = auto\n",
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_each_config_kind_is_read(tmp_path, name):
    (tmp_path / name).write_text(CONFIGS[name])
    (tmp_path / "tests").mkdir()
    settings = project.settings_for_file(str(tmp_path / "tests" / "test_a.py"))
    assert settings.config_file == str(tmp_path / name)
    assert settings.rootdir == str(tmp_path)
    assert settings.asyncio_mode == "auto"


def test_pytest_native_table_in_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent("""
        [tool.pytest]
        asyncio_mode = "auto"
        python_files = ["check_*.py"]
        addopts = ["-p", "anyio"]
    """))
    settings = project.settings_for_file(str(tmp_path / "check_a.py"))
    assert settings.asyncio_mode == "auto"
    assert settings.python_files == ("check_*.py",)
    assert settings.plugins == ("anyio",)


@pytest.mark.parametrize("addopts", ["--asyncio-mode=auto", "-ra --asyncio-mode auto -q"])
def test_asyncio_mode_in_addopts(tmp_path, addopts):
    (tmp_path / "pytest.ini").write_text(f"[pytest]\naddopts = {addopts}\n")
    assert project.settings_for_file(str(tmp_path / "test_a.py")).asyncio_mode == "auto"


def test_trio_mode(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\ntrio_mode = true\n")
    assert project.settings_for_file(str(tmp_path / "test_a.py")).trio_mode is True


def test_nearest_config_wins_and_order_within_a_directory(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    # In one directory pytest.ini comes before tox.ini; tox.ini without [pytest] is skipped.
    (sub / "tox.ini").write_text("[tox]\n")
    (sub / "setup.cfg").write_text("[tool:pytest]\nasyncio_mode = strict\n")
    assert project.settings_for_file(str(sub / "test_a.py")).asyncio_mode == "strict"
    (sub / "pytest.ini").write_text("[pytest]\n")
    project.settings_for_dir.cache_clear()
    settings = project.settings_for_file(str(sub / "test_a.py"))
    assert settings.config_file == str(sub / "pytest.ini")
    assert settings.asyncio_mode is None


def test_pyproject_without_pytest_table_is_skipped_but_marks_rootdir(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    settings = project.settings_for_file(str(tmp_path / "test_a.py"))
    assert settings.config_file is None
    assert settings.rootdir == str(tmp_path)


@pytest.mark.parametrize("name, text", [
    ("pyproject.toml", "[tool.pytest.ini_options\nasyncio_mode = 'auto'\n"),
    ("pytest.ini", "asyncio_mode = auto\n[pytest\n"),
    ("setup.cfg", "[tool:pytest]\n  bad continuation\n= = =\n"),
])
def test_malformed_config_counts_as_absent(tmp_path, name, text):
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / name).write_text(text)
    settings = project.settings_for_file(str(sub / "test_a.py"))
    # The broken file is skipped: pytest would refuse it, we look further up.
    assert settings.config_file == str(tmp_path / "pytest.ini")
    assert settings.warnings


def test_python_files_from_config_decide_what_is_linted(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\npython_files = check_*.py\n")
    (tmp_path / "check_a.py").write_text(UNMARKED)
    (tmp_path / "test_b.py").write_text(UNMARKED)
    (tmp_path / "conftest.py").write_text("@pytest.fixture\nasync def f():\n    pass\n")
    run = lint(tmp_path, [])
    assert places(run.found) == {("check_a.py", 1, "AT100"), ("conftest.py", 2, "AT104")}, \
        run.stderr


def test_files_option_overrides_config(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\npython_files = check_*.py\n")
    (tmp_path / "check_a.py").write_text(UNMARKED)
    (tmp_path / "spec_b.py").write_text(UNMARKED)
    run = lint(tmp_path, ["--async-tests-files=spec_*.py"])
    assert places(run.found) == {("spec_b.py", 1, "AT100")}, run.stderr


def test_default_patterns_without_config(tmp_path):
    for name in ("test_a.py", "b_test.py", "helpers.py"):
        (tmp_path / name).write_text(UNMARKED)
    run = lint(tmp_path, [])
    assert places(run.found) == {("test_a.py", 1, "AT100"), ("b_test.py", 1, "AT100")}


def test_config_in_flake8_section(tmp_path):
    (tmp_path / "setup.cfg").write_text("[flake8]\nasync-tests-mode = auto\n")
    (tmp_path / "test_a.py").write_text(UNMARKED)
    run = lint(tmp_path, [])
    assert run.found == [], run.stderr


@pytest.mark.parametrize("table, written", [
    ('[tool.setuptools_scm]\nversion_file = "pkg/_version.py"\n', True),
    ('[tool.setuptools_scm]\nwrite_to = "pkg/_version.py"\n', True),
    ('[tool.hatch.build.hooks.vcs]\nversion-file = "pkg/_version.py"\n', True),
    ('[tool.setuptools_scm]\nversion_file = "pkg/other.py"\n', False),
    ('[tool.setuptools_scm]\n', False),
    ("[tool.setuptools_scm\nbroken", False),
])
def test_modules_the_build_backend_writes(tmp_path, table, written):
    (tmp_path / "pyproject.toml").write_text(table, encoding="utf-8")
    (tmp_path / "pkg").mkdir()
    project.build_outputs.cache_clear()
    assert project.written_by_build(str(tmp_path / "pkg" / "_version.py")) is written
