"""When one rule family fails on a file, the others still report for it; the failure shows
as AT000 when asked for (--async-tests-report-errors) and as one log line under
`flake8 -v`, never as a traceback.

No input is known to make a family fail, so a wrapper around the real flake8 makes the
mock rules fail after they have found something (which must then not be reported).
"""

from __future__ import annotations

import sys
import textwrap

import pytest

from harness import run_flake8

FAILING = """\
import sys

from flake8_async_tests.checks import mocks

original = mocks.MockRules.check


def check(self):
    yield from original(self)
    raise RuntimeError("rule failure for the test")


mocks.MockRules.check = check
from flake8.main.cli import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
"""

SOURCE = textwrap.dedent("""\
    from unittest import mock


    async def helper():
        pass


    async def test_x():
        helper()
        m = mock.Mock()
        await m()
    """)
OTHERS = [("test_a.py", 8, 1, "AT100"), ("test_a.py", 9, 5, "AT200")]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "test_a.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "failing_flake8.py").write_text(FAILING, encoding="utf-8")
    return tmp_path


def lint(root, args):
    found, proc = run_flake8(root, args, ["test_a.py"],
                             command=[sys.executable, str(root / "failing_flake8.py")])
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    return [(f.path, f.line, f.col, f.code) for f in found], found, proc


def test_the_source_has_a_finding_of_each_family(project):
    found, proc = run_flake8(project, [], ["test_a.py"])
    assert [(f.path, f.line, f.col, f.code) for f in found] == [
        *OTHERS, ("test_a.py", 11, 5, "AT300")], proc.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_failure_is_reported_as_at000_when_asked(project, jobs):
    codes, found, proc = lint(project, ["--async-tests-report-errors", "-j", jobs])
    assert codes == [("test_a.py", 1, 1, "AT000"), *OTHERS]
    assert proc.stderr == ""
    assert (found[0].variant, found[0].fields) == (
        "", {"family": "mocks", "error": "RuntimeError: rule failure for the test"})


def test_report_errors_from_a_config_file(project):
    (project / "setup.cfg").write_text("[flake8]\nasync-tests-report-errors = true\n",
                                       encoding="utf-8")
    codes, _, _ = lint(project, [])
    assert codes == [("test_a.py", 1, 1, "AT000"), *OTHERS]


def test_failure_is_silent_by_default_and_logged_under_verbose(project):
    codes, _, proc = lint(project, [])
    assert codes == OTHERS
    assert proc.stderr == ""
    codes, _, proc = lint(project, ["-v"])
    assert codes == OTHERS
    logged = [line for line in proc.stderr.splitlines() if "rules failed on" in line]
    assert len(logged) == 1, proc.stderr
    assert "mocks rules failed on test_a.py: RuntimeError('rule failure for the test')" in logged[0]


# -- the astroid bridge ----------------------------------------------------------------


def test_only_astroid_failures_pass_for_unknown():
    """An exception astroid raises (its own, or a plain one from inside its code) is an
    "unknown" answer; one this plugin raises itself is a bug and goes on up."""
    import astroid
    import pytest as _pytest

    from flake8_async_tests import inference

    caught = []
    name = astroid.extract_node("x = 1\nx")
    for astroid_call in (lambda: astroid.extract_node("class A: pass").getattr("nothing"),
                         lambda: list(name.infer(context=5))):  # fails inside astroid
        try:
            astroid_call()
        except inference.ERRORS as exc:
            inference.own(exc)  # contained: returns
            caught.append(type(exc).__name__)
    assert caught == ["AttributeInferenceError", "AttributeError"]

    def plugin_bug():
        return {}["missing"]

    with _pytest.raises(KeyError):
        try:
            plugin_bug()
        except inference.ERRORS as exc:
            inference.own(exc)


def test_astroid_settings_are_restored_after_each_file(tmp_path):
    from astroid.context import InferenceContext

    from flake8_async_tests import inference

    manager = inference.MANAGER
    saved = manager.max_inferable_values, manager.always_load_extensions
    saved_cap = InferenceContext.max_inferred
    manager.max_inferable_values, manager.always_load_extensions = 77, True
    InferenceContext.max_inferred = 55
    try:
        with inference.analysis([str(tmp_path)]):
            # astroid's session begins at the file's first use of the bridge, not before
            assert (manager.max_inferable_values, manager.always_load_extensions) == (77, True)
            limit = inference.SETTINGS["max_inferable_values"]
            assert manager.max_inferable_values == limit
            assert manager.always_load_extensions is False
            assert InferenceContext.max_inferred == sys.maxsize  # no cap while analysing
        assert (manager.max_inferable_values, manager.always_load_extensions) == (77, True)
        assert InferenceContext.max_inferred == 55
    finally:
        manager.max_inferable_values, manager.always_load_extensions = saved
        InferenceContext.max_inferred = saved_cap
