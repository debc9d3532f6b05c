"""A second flake8 run in the same process (an editor's long-lived flake8) reports what a
fresh process reports after the project changed: nothing is remembered from the first run;
the process's own settings are restored."""

from __future__ import annotations

import argparse
import gc
import platform

import pytest

from flake8_async_tests import collector
from harness import lint, places, run_flake8

UNMARKED = "import app\n\n\nasync def test_x():\n    pass\n\n\ndef test_y():\n    app.fetch()\n"


def test_a_changed_config_and_module_are_read_again(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("async def fetch():\n    pass\n", encoding="utf-8")
    (tmp_path / "test_a.py").write_text(UNMARKED, encoding="utf-8")
    first = places(lint(tmp_path, []).found)
    assert first == {("test_a.py", 4, "AT100"), ("test_a.py", 9, "AT200")}

    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("def fetch():\n    pass\n", encoding="utf-8")
    second = lint(tmp_path, [])
    fresh, _ = run_flake8(tmp_path, [])
    assert second.found == fresh == []


def test_a_changed_conftest_is_read_again(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "conftest.py").write_text("pytest_plugins = ['pytester']\n", encoding="utf-8")
    (tmp_path / "test_a.py").write_text("async def test_x():\n    pass\n", encoding="utf-8")
    assert places(lint(tmp_path, []).found) == {("test_a.py", 1, "AT100")}
    (tmp_path / "conftest.py").write_text("pytest_plugins = ['pytest_sanic.plugin']\n",
                                          encoding="utf-8")
    assert lint(tmp_path, []).found == []


def test_a_changed_requires_python_is_read_again(tmp_path):
    import sys

    here = "%d.%d.%d" % sys.version_info[:3]
    pyproject = tmp_path / "pyproject.toml"
    (tmp_path / "test_a.py").write_text("async def test_x():\n    pass\n", encoding="utf-8")
    pyproject.write_text(f'[project]\nname = "x"\nrequires-python = "=={here}"\n',
                         encoding="utf-8")
    first = lint(tmp_path, ["--async-tests-no-cache"])
    pyproject.write_text(f'[project]\nname = "x"\nrequires-python = "!={here}"\n',
                         encoding="utf-8")
    second = lint(tmp_path, ["--async-tests-no-cache"])
    assert "says the project runs on" not in first.stderr
    assert second.stderr.count(f"says the project runs on Python !={here}") == 1


def test_collector_thresholds_are_raised_for_a_run_then_restored(tmp_path):
    if platform.python_implementation() != "CPython":
        pytest.skip("thresholds are CPython's")
    gc.collect()  # the runs of other tests end
    saved = gc.get_threshold()
    gc.set_threshold(701, 11, 12)
    try:
        (tmp_path / "app.py").write_text("async def fetch():\n    pass\n", encoding="utf-8")
        (tmp_path / "test_a.py").write_text(
            "import app\n\n\ndef test_y():\n    app.fetch()\n", encoding="utf-8")
        run = argparse.Namespace()
        collector.collect_less_while(run)
        assert gc.get_threshold() == collector.GC_THRESHOLDS
        assert places(lint(tmp_path, []).found) == {("test_a.py", 5, "AT200")}
        del run
        assert gc.get_threshold() == collector.GC_THRESHOLDS  # flake8's run is alive
        gc.collect()  # and is freed with the cycles it is part of
        assert gc.get_threshold() == (701, 11, 12)
        assert places(lint(tmp_path, []).found) == {("test_a.py", 5, "AT200")}
        gc.collect()
        assert gc.get_threshold() == (701, 11, 12)
    finally:
        gc.set_threshold(*saved)


def test_a_broken_config_keeps_no_run_alive(tmp_path):
    """The error a malformed pytest.ini gives is kept for later runs, but not the run that
    met it (its traceback holds that run's frames): once freed, the run is over and the
    collector's thresholds are back (as in an editor's long-lived process)."""
    if platform.python_implementation() != "CPython":
        pytest.skip("thresholds are CPython's")
    gc.collect()
    saved = gc.get_threshold()
    gc.set_threshold(701, 11, 12)
    try:
        (tmp_path / "pytest.ini").write_text("[pytest\nasyncio_mode = auto\n", encoding="utf-8")
        (tmp_path / "test_a.py").write_text("async def test_x():\n    pass\n", encoding="utf-8")
        for _ in range(2):  # (the second run raises the kept error again)
            run = lint(tmp_path, [])
            assert places(run.found) == {("test_a.py", 1, "AT100")}, run.stderr
            assert "cannot parse the pytest configuration" in run.stderr
        gc.collect()
        assert gc.get_threshold() == (701, 11, 12)
    finally:
        gc.set_threshold(*saved)
