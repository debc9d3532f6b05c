"""Every fixture under tests/fixtures gives exactly the findings written beside its lines."""

from __future__ import annotations

import pytest

from harness import FIXTURES, check_fixture

CASES = sorted(
    [p for p in FIXTURES.glob("*.py")]
    + [p for p in (FIXTURES / "projects").glob("*") if p.is_dir()]
)


def test_there_are_fixtures():
    assert len(CASES) >= 5


@pytest.mark.parametrize("fixture", CASES, ids=lambda p: p.name)
def test_fixture(fixture, tmp_path):
    want, found, proc = check_fixture(fixture, tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert sorted(found) == sorted(want)
