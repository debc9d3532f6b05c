"""Every fixture under tests/fixtures gives exactly the findings written beside its lines.

The fixtures run through flake8's application inside this process; a few also run through
the real `flake8` command, which must agree.
"""

from __future__ import annotations

import pytest

from flake8_async_tests.rules import SILENCES, silence_of, silences_of
from harness import (FIXTURES, check_fixture, compare, compare_silences, expected_silences,
                     explained, parse_expectations)

CASES = sorted(
    [p for p in FIXTURES.glob("*.py")]
    + [p for p in (FIXTURES / "projects").glob("*") if p.is_dir()]
)
# One of each kind through the real command: single file, project, project with modules.
END_TO_END = ["AT200.py", "mocks_spec.py", "mock_fixtures", "cross_module"]


def test_there_are_fixtures():
    assert len(CASES) >= 5
    assert set(END_TO_END) <= {p.name for p in CASES}


def _check(fixture, tmp_path, end_to_end=False):
    want, found, returncode, stderr = check_fixture(fixture, tmp_path, end_to_end)
    assert returncode == (1 if found else 0), stderr
    assert "Traceback" not in stderr, stderr
    assert want or not found
    problems = compare(want, found)
    assert problems == [], "\n".join(problems)
    root = tmp_path / (fixture.name if fixture.is_dir() else "project")
    silences = [s for path in sorted(root.rglob("*.py")) for s in expected_silences(path, root)]
    found = explained(stderr)
    problems = compare_silences(silences, found)
    assert problems == [], "\n".join(problems)
    unregistered = [str(s) for s in found if silence_of(s.code, s.reason) is None]
    assert unregistered == [], "reasons missing from rules.SILENCES:\n" + "\n".join(unregistered)


@pytest.mark.parametrize("fixture", CASES, ids=lambda p: p.name)
def test_fixture(fixture, tmp_path):
    _check(fixture, tmp_path)


@pytest.mark.parametrize("name", END_TO_END)
def test_fixture_through_the_flake8_command(name, tmp_path):
    _check(next(p for p in CASES if p.name == name), tmp_path, end_to_end=True)


# Gates kept for safety that no known source reaches: astroid would have to hand back a
# method with no binding (not a bound or unbound method) for a call it can read.
DEFENSIVE = {"self-or-cls"}
# Reasons a fixture file cannot give at the real limits, asserted with smaller ones instead
# (test_pathological.py: a budget of a few questions).
AT_LIMITS = {"budget-used-up"}


def test_every_silence_has_a_fixture_line():
    """Each reason in rules.SILENCES is asserted, word for word, beside some fixture line
    of a code that gives it; each `# silent:` line gives a registered reason."""
    lines = [s for path in sorted(FIXTURES.rglob("*.py"))
             for s in expected_silences(path, FIXTURES)]
    matched = set()
    for line in lines:
        silence = silence_of(line.code, line.reason)
        assert silence is not None, f"{line}: not a reason in rules.SILENCES"
        readers = [s.name for s in silences_of(line.code) if s.text.parse(line.reason) is not None]
        assert readers == [silence.name], f"{line}: read by more than one silence: {readers}"
        matched.add(silence.name)
    assert {s.name for s in SILENCES} - matched == DEFENSIVE | AT_LIMITS


@pytest.mark.parametrize("text, error", [
    ("AT100", "cannot read"),
    ("AT101.default:1", "has one message"),
    ("AT304:5", "needs one of the variants"),
    ("AT304.nope:5", "needs one of the variants"),
    ("AT999:1", "unknown code"),
    ("AT100.asyncio:1 colour=red", "has no field"),
    ("name=x AT100:1", "cannot read"),
])
def test_a_malformed_expectation_is_an_error(text, error):
    with pytest.raises(ValueError, match=error):
        parse_expectations(text, "test_x.py", 3)


def test_expectations_are_exact():
    """Column, variant and each given field are compared; the harness cannot wave them by."""
    from harness import Finding

    text = ("'fecth' is not an attribute of class 'Api', so reading api.fecth on the spec'd "
            "mock raises AttributeError; use an attribute the spec has, or update the spec "
            "[docs/rules/AT304.md]")
    fields = {"attr": "fecth", "cls": "Api", "access": "reading", "mock": "api"}
    found = [Finding("test_x.py", 3, 5, "AT304", text, "spec-class", fields)]
    ok = parse_expectations('AT304.spec-class:5 attr=fecth cls="Api"', "test_x.py", 3)
    assert compare(ok, found) == []
    for wrong in ["AT304.spec-class:4", "AT304.spec-list:5", "AT304.spec-class:5 attr=fetch",
                  "AT304.spec-class:5 access=setting"]:
        assert compare(parse_expectations(wrong, "test_x.py", 3), found) != [], wrong
    assert compare([], found) != []
    assert compare(ok + ok, found) != []
