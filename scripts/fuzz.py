"""Fuzz the plugin with random test modules (tests/fuzzing.py): hypothesmith programs mixed
with async tests, mocks and fixtures.

    python scripts/fuzz.py [--examples N] [--seed S]

Each example is a test module and the helper module it imports, written to a temporary
project and checked through flake8's own FileChecker with --async-tests-report-errors.
A crash is an AT000 or an exception that would reach flake8; hypothesis then shrinks it
and prints the smallest module that still fails. Prints the examples run, the time taken
and the slowest examples. Exits 1 on a crash.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import robustness  # noqa: E402
from hypothesis import HealthCheck, Phase, configuration, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=None, help="for a repeatable run")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    configuration.set_hypothesis_home_dir(str(work / ".hypothesis"))
    from fuzzing import projects

    (work / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    robustness._init()
    timings: list[tuple[float, str]] = []
    count = [0, 0]  # examples checked, attempts (some draws are rejected by hypothesmith)

    @settings(max_examples=args.examples, database=None, deadline=None,
              phases=[Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))
    @given(st.data())
    def fuzz(data):
        count[1] += 1
        number = count[1]
        modules = data.draw(projects(helpers=f"fuzz_helpers_{number}"))
        count[0] += 1
        test = work / f"test_fuzz_{number}.py"
        test.write_text(modules["test_fuzz"], encoding="utf-8")
        (work / f"fuzz_helpers_{number}.py").write_text(modules[f"fuzz_helpers_{number}"],
                                                        encoding="utf-8")
        _, seconds, codes, error, _ = robustness.check(str(test))
        timings.append((seconds, test.name))
        assert error is None, error
        assert "AT000" not in codes, modules["test_fuzz"]

    if args.seed is not None:
        fuzz = seed(args.seed)(fuzz)
    start = time.perf_counter()
    crashed = False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarnings from compiling odd programs
        try:
            fuzz()
        except AssertionError as exc:
            crashed = True
            print(f"CRASH (shrunk example):\n{exc}")
    wall = time.perf_counter() - start
    timings.sort(reverse=True)
    print(f"examples: {count[0]}; wall time: {wall:.0f} s; "
          f"plugin CPU time: {sum(t for t, _ in timings):.0f} s")
    print(f"crashes: {1 if crashed else 0}")
    print("slowest examples (plugin CPU seconds): "
          + ", ".join(f"{t:.2f}" for t, _ in timings[:5]))
    print(f"examples kept in {work}" if crashed else f"(work directory {work})")
    if not crashed:
        for path in work.glob("*.py"):
            os.unlink(path)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
